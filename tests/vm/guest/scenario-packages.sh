# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck disable=SC2086,SC2194,SC2016 # VF lists split on purpose; a constant matched against patterns; sh -c scripts take "$1"
# Scenario p-packages (sourced by main.sh after scenarios.sh): the Debian package built on the
# host (tests/install/package-tests.sh; run.sh shares the file given in VM_DEB as $DEB), installed
# and removed here, in the guest, never on the machine running the tests:
#   1. free paths: dpkg -i puts real executables at network.d/ and qemu.d/libvirt-sriov-hooks
#      (copies of the package's binaries), nothing at the main paths; the installer, the postrm
#      and both hooks carry one marker; libvirt runs the packaged hooks (net-start creates the
#      VFs, a guest's VF gets the policy); dpkg -r and --purge leave no file of ours;
#   2. beside an admin's own hooks (main paths and an entry in qemu.d/): byte-identical throughout,
#      both run; dpkg -r removes only ours;
#   3. an earlier install of ours at a main path: dpkg -i moves it into .d/;
#   4. an admin's file at our .d/ name: dpkg -i fails naming it, the file is left as it was;
#      once it is moved away, dpkg --configure -a completes.
# Without a .deb (VM_DEB unset) the scenario is reported as skipped.

PKG=libvirt-sriov-hooks
PKG_LIBEXEC=/usr/libexec/$PKG
DENTRY=$PKG

# The .deb depends on Debian's libvirt0 (the admin tool links libvirt's client library): an image
# whose libvirt is built from source (modular) has no such package, so dpkg would refuse the .deb
# for that reason alone.
pkg_skip_why=""
if [ -z "${DEB:-}" ]; then
	pkg_skip_why="no .deb from the host (run.sh shares VM_DEB; tests/run.sh sets it)"
elif ! dpkg-query -W libvirt0 >/dev/null 2>&1; then
	pkg_skip_why="the .deb depends on Debian's libvirt0; this image's libvirt is built from source"
fi
if [ -z "$pkg_skip_why" ]; then
	ALL_SCENARIOS="$ALL_SCENARIOS p-packages"
else
	for want in ${SCENARIOS:-p}; do
		case p-packages in "$want"*)
			scenario_skip p-packages "$pkg_skip_why"
			break ;;
		esac
	done
fi

pkg_status() { dpkg-query -W -f='${db:Status-Abbrev}' "$PKG" 2>/dev/null | tr -d ' '; }
pkg_gone() { case "$(pkg_status)" in ''|un|pn) return 0 ;; *) return 1 ;; esac; }
script_marker() { sed -n "s/^MARKER='\(.*\)'\$/\1/p" "$1" 2>/dev/null; }
real_exe() { [ -f "$1" ] && [ ! -L "$1" ] && [ -x "$1" ]; }
absent() { [ ! -e "$1" ] && [ ! -L "$1" ]; }
# expect_that WHAT COMMAND...: the command succeeds.
expect_that()
{
	local what=$1
	shift
	if "$@"; then echo "ok: $what"; else fail "$what"; fi
}
# Everything under the hooks directory: path, type, mode, checksum.
hooks_listing()
{
	[ -d "$HOOKS" ] || return 0
	(cd "$HOOKS" && find . | LC_ALL=C sort | while IFS= read -r f; do
		if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
		elif [ -f "$f" ]; then echo "$f $(stat -c %a "$f") $(sha256sum <"$f" | cut -c1-16)"
		else echo "$f/"
		fi
	done)
}
admin_script() { # path name
	mkdir -p "$(dirname "$1")"
	printf '#!/bin/sh\necho "$*" >>/run/admin-%s.log\nexit 0\n' "$2" >"$1"
	chmod 750 "$1"
}
# The packaged hooks at work: net-start creates pool1's VFs, a guest's VF gets the policy.
p_hooks_run()
{
	local vfs
	start_daemons || { fail "daemons did not start"; return 1; }
	define_from net "$(pool_xml pool1 "$PF1" "vfs='4' spoofchk='off' trust='on'")"
	run vsh net-start pool1 || fail "net-start pool1: $LAST_OUT"
	expect "$PF1 sriov_numvfs (the packaged network hook ran)" "$(numvfs "$PF1")" 4
	vf_states "$PF1" >"/tmp/baseline.$PF1"
	define_from domain "$(guest_xml g1 52:54:00:aa:bb:01)"
	if run vsh start g1; then
		vfs=$(domain_vfs g1)
		expect_policy "$PF1" $vfs
		run vsh destroy g1
		expect_baseline "$PF1"
	else
		fail "start g1: $LAST_OUT"
	fi
	vsh undefine g1 >/dev/null 2>&1
	expect_no_records
	run vsh net-destroy pool1
	vsh net-undefine pool1 >/dev/null 2>&1
	stop_daemons
	set_numvfs "$PF1" 0
}
p_removed()
{
	local h
	for h in network qemu; do
		expect_that "$h: ours gone from $h.d/" absent "$HOOKS/$h.d/$DENTRY"
	done
	expect_that "$PKG_LIBEXEC is gone" absent "$PKG_LIBEXEC"
	expect_that "/usr/bin/sriov-hooks is gone" absent /usr/bin/sriov-hooks
}

scen_p()
{
	local h m before saved=/tmp/p-packages-hooks
	# The hooks the harness installed, put back at the end: the scenarios after this one (the
	# SELinux flavour's z-selinux) find the guest as it was (cp -a keeps the labels too).
	rm -rf "$saved"
	cp -a "$HOOKS" "$saved"
	reset_host
	echo "package: $DEB"

	echo "--- 1. free paths"
	run dpkg -i "$DEB" || fail "dpkg -i: $LAST_OUT"
	expect "package status" "$(pkg_status)" ii
	for h in network qemu; do
		expect_that "$h: a real executable at $h.d/$DENTRY" real_exe "$HOOKS/$h.d/$DENTRY"
		expect_that "$h: a copy of $PKG_LIBEXEC/$h" cmp -s "$PKG_LIBEXEC/$h" "$HOOKS/$h.d/$DENTRY"
		expect_that "$h: nothing at the main path" absent "$HOOKS/$h"
		expect_that "$h: $h.d/$DENTRY is no file of the package" \
			sh -c '! dpkg -S "$1" >/dev/null 2>&1' sh "$HOOKS/$h.d/$DENTRY"
	done
	expect_that "postinst: policy-rc.d forbids the reload, and it says so" \
		grep -q "policy-rc.d forbids reloading libvirt" <<<"$LAST_OUT"
	m=$(script_marker "$PKG_LIBEXEC/install-hooks")
	expect_that "install-hooks has a marker ('$m')" test -n "$m"
	expect "the postrm's marker" "$(script_marker "/var/lib/dpkg/info/$PKG.postrm")" "$m"
	for h in network qemu; do
		expect_that "$PKG_LIBEXEC/$h carries the marker" grep -qaF -- "$m" "$PKG_LIBEXEC/$h"
	done
	run dpkg -i "$DEB" || fail "dpkg -i again: $LAST_OUT"
	expect_that "dpkg -i again: ours unchanged" grep -q "network.d/$DENTRY: unchanged" <<<"$LAST_OUT"
	p_hooks_run
	run dpkg -r "$PKG" || fail "dpkg -r: $LAST_OUT"
	p_removed
	for h in network qemu; do
		expect_that "$h.d/ (empty) is gone" absent "$HOOKS/$h.d"
	done
	run dpkg --purge "$PKG" || fail "dpkg --purge: $LAST_OUT"
	expect_that "the package is gone" pkg_gone

	echo "--- 2. beside an admin's own hooks"
	admin_script "$HOOKS/network" network
	admin_script "$HOOKS/qemu" qemu
	admin_script "$HOOKS/qemu.d/50-admin" qemu-d
	before=$(hooks_listing)
	rm -f /run/admin-*.log
	run dpkg -i "$DEB" || fail "dpkg -i: $LAST_OUT"
	for h in network qemu; do
		expect_that "$h: ours in $h.d/" cmp -s "$PKG_LIBEXEC/$h" "$HOOKS/$h.d/$DENTRY"
	done
	expect "the admin's files, with ours left out" \
		"$(hooks_listing | grep -v "/$DENTRY \|^./network.d/\$")" "$before"
	p_hooks_run
	expect "admin's network hook ran at start" "$(grep -c '^pool1 start begin' /run/admin-network.log 2>/dev/null)" 1
	expect "admin's qemu hook ran at prepare" "$(grep -c '^g1 prepare begin' /run/admin-qemu.log 2>/dev/null)" 1
	expect "admin's qemu.d/ entry ran at prepare" "$(grep -c '^g1 prepare begin' /run/admin-qemu-d.log 2>/dev/null)" 1
	run dpkg -r "$PKG" || fail "dpkg -r: $LAST_OUT"
	p_removed
	expect "after dpkg -r: exactly the admin's files" "$(hooks_listing)" "$before"
	run dpkg --purge "$PKG" || fail "dpkg --purge: $LAST_OUT"
	expect "after dpkg --purge: exactly the admin's files" "$(hooks_listing)" "$before"

	echo "--- 3. an earlier install of ours at the main paths"
	rm -rf "$HOOKS"
	mkdir -p "$HOOKS"
	install -m 755 /mnt/src/hooks/network "$HOOKS/network"
	run dpkg -i "$DEB" || fail "dpkg -i: $LAST_OUT"
	expect_that "our old network at the main path is gone" absent "$HOOKS/network"
	expect_that "ours is the package's, in network.d/" cmp -s "$PKG_LIBEXEC/network" "$HOOKS/network.d/$DENTRY"
	expect_that "it says it moved" grep -q "$HOOKS/network: ours, moved to $HOOKS/network.d/$DENTRY" <<<"$LAST_OUT"
	run dpkg --purge "$PKG" || fail "dpkg --purge: $LAST_OUT"
	p_removed

	echo "--- 4. an admin's file at our .d/ name"
	rm -rf "$HOOKS"
	admin_script "$HOOKS/qemu.d/$DENTRY" theirs
	before=$(hooks_listing)
	if run dpkg -i "$DEB"; then
		fail "dpkg -i succeeded over an admin's $HOOKS/qemu.d/$DENTRY"
	else
		expect_that "dpkg -i fails naming the file" \
			grep -q "$HOOKS/qemu.d/$DENTRY exists and is not ours" <<<"$LAST_OUT"
	fi
	expect "the hooks directory is as it was (network not installed either)" "$(hooks_listing)" "$before"
	mv "$HOOKS/qemu.d/$DENTRY" "$HOOKS/qemu.d/50-theirs"
	run dpkg --configure -a || fail "dpkg --configure -a: $LAST_OUT"
	expect "package status once the file is moved" "$(pkg_status)" ii
	expect_that "qemu: ours in qemu.d/" cmp -s "$PKG_LIBEXEC/qemu" "$HOOKS/qemu.d/$DENTRY"
	run dpkg --purge "$PKG" || fail "dpkg --purge: $LAST_OUT"
	p_removed
	expect_that "the admin's file, moved, is still there" test -x "$HOOKS/qemu.d/50-theirs"
	expect_that "the package is gone" pkg_gone
	rm -rf "$HOOKS"
	cp -a "$saved" "$HOOKS" && rm -rf "$saved"
	! command -v restorecon >/dev/null 2>&1 || restorecon -RF "$HOOKS"
}
