#!/bin/sh
# shellcheck disable=SC2317,SC2016 # helpers run through check(); sh -c scripts take "$1"
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The Debian package on this machine, for real: build it (install/build-deb.sh, lintian clean),
# dpkg -i it, check the hooks landed in /etc/libvirt/hooks/{network,qemu}.d/ as real executables, reinstall it,
# dpkg -r it and check only ours went; then again beside an administrator's own hooks, which
# must stay byte-identical. The machine is left as it was found: /etc/libvirt/hooks is moved
# aside first and put back at the end, whatever happens.
#
#   sudo tests/install/test-deb.sh [--deb FILE] [--keep DIR]
#
# --deb FILE   test this .deb instead of building one
# --keep DIR   leave the built packages (and build.log, lintian.txt) in DIR
# Exit 77 (automake's SKIP) when not root, or dpkg-buildpackage, debhelper or lintian are missing,
# or libvirt-sriov-hooks is already installed here (the test would remove it).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
PKG=libvirt-sriov-hooks
LIBEXEC=/usr/libexec/$PKG
H=/etc/libvirt/hooks
D=$PKG
deb=''
keep=''

while [ $# -gt 0 ]; do
	case "$1" in
	--deb) deb=$2; shift ;;
	--keep) keep=$2; shift ;;
	*) echo "usage: $0 [--deb FILE] [--keep DIR]" >&2; exit 2 ;;
	esac
	shift
done

skip() { echo "SKIP: test-deb.sh: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (dpkg -i)"
if [ -z "$deb" ]; then
	for t in dpkg-buildpackage dh lintian; do
		command -v "$t" >/dev/null 2>&1 || skip "$t not found (apt-get install dpkg-dev debhelper lintian)"
	done
fi
if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'ok installed\|config-files\|half'; then
	skip "$PKG is already installed here; the test would remove it"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-deb.XXXXXX") || exit 99
backup=$tmp/hooks-backup
had_libvirt=0
had_hooks=0
[ -e /etc/libvirt ] && had_libvirt=1
if [ -e "$H" ] || [ -L "$H" ]; then
	had_hooks=1
	mv "$H" "$backup"
	echo "# $H moved aside to $backup for the test"
fi

restore() {
	if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'installed\|config-files\|half'; then
		dpkg --purge "$PKG" >/dev/null 2>&1 || dpkg --purge --force-remove-reinstreq "$PKG" >/dev/null 2>&1
	fi
	rm -rf "$H"
	if [ "$had_hooks" = 1 ]; then
		mkdir -p /etc/libvirt
		mv "$backup" "$H" && echo "# $H restored"
	fi
	[ "$had_libvirt" = 1 ] || rmdir /etc/libvirt 2>/dev/null || true
	rm -rf "$tmp"
}
trap 'restore' EXIT
trap 'exit 1' INT TERM

fails=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { # description command...
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
bail() { echo "Bail out! $*"; exit 1; }
says() { grep -q -- "$1" "$tmp/out"; }
real_exe() { [ -f "$1" ] && [ ! -L "$1" ] && [ -x "$1" ]; }
absent() { [ ! -e "$1" ] && [ ! -L "$1" ]; }
status() { dpkg-query -W -f='${db:Status-Abbrev}' "$PKG" 2>/dev/null | tr -d ' '; }
dpkg_do() { # args...: dpkg, output (shown) in $tmp/out, status in $rc
	rc=0
	dpkg "$@" >"$tmp/out" 2>&1 || rc=$?
	sed 's/^/#   /' "$tmp/out"
}
daemon_running() {
	for d in libvirtd virtnetworkd virtqemud; do
		if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
			systemctl is-active --quiet "$d" && return 0
		else
			pidof "$d" >/dev/null 2>&1 && return 0
		fi
	done
	return 1
}
policy_forbids() {
	command -v policy-rc.d >/dev/null 2>&1 || return 1
	rc=0
	policy-rc.d libvirtd reload >/dev/null 2>&1 || rc=$?
	[ "$rc" = 101 ]
}
# What the maintainer scripts say about reloading libvirt on this machine.
expected_reload_message() {
	if ischroot; then echo "in a chroot: libvirt daemons not reloaded"
	elif policy_forbids; then echo "policy-rc.d forbids reloading libvirt"
	elif daemon_running; then echo "reloaded"
	else echo "no libvirt daemon is running"
	fi
}
admin_hook() { # path
	mkdir -p "$(dirname "$1")"
	printf '#!/bin/sh\n# the admin'"'"'s own hook\nexit 0\n' >"$1"
	chmod 0700 "$1"
	cp -p "$1" "$tmp/$(basename "$1").admin"
}

if [ -z "$deb" ]; then
	out=${keep:-$tmp/out-debs}
	# make check is run by tests/run.sh already, twice; the package is what is tested here.
	rm -f "$tmp/build-rc"
	{ "$top/install/build-deb.sh" --nocheck "$out" 2>&1 || echo $? >"$tmp/build-rc"; } |
		grep -v '^N:' | sed 's/^/# /'
	[ ! -s "$tmp/build-rc" ] || bail "install/build-deb.sh failed (exit $(cat "$tmp/build-rc"))"
	deb=$(ls "$out"/${PKG}_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || bail "install/build-deb.sh made no .deb"
	grep -q '^E: \|^W: ' "$out/lintian.txt" && bail "lintian is not clean: see $out/lintian.txt"
fi
[ -f "$deb" ] || bail "$deb: no such file"
echo "# testing $deb"

echo "# 1. free paths: dpkg -i"
dpkg_do -i "$deb"
check "dpkg -i succeeds" [ "$rc" = 0 ]
check "the package is installed" [ "$(status)" = ii ]
for h in network qemu; do
	check "$h: a real executable at $H/$h.d/$D" real_exe "$H/$h.d/$D"
	check "$h: a copy of $LIBEXEC/$h" cmp -s "$LIBEXEC/$h" "$H/$h.d/$D"
	check "$h: nothing at the main path $H/$h" absent "$H/$h"
	check "$h: not a file of the package (no conffile)" sh -c '! dpkg -S "$1" >/dev/null 2>&1' sh "$H/$h.d/$D"
done
check "the installer is in $LIBEXEC" real_exe "$LIBEXEC/install-hooks"
check "postinst: $(expected_reload_message)" says "$(expected_reload_message)"
check "the installed network hook runs (ignored operation: exit 0)" \
	sh -c 'echo "<hookData/>" | "$1" n1 started begin -' sh "$H/network.d/$D"

echo "# 2. reinstall the same package"
# Where policy-rc.d forbids service actions (containers) and no libvirt daemon runs, allow them
# for this one dpkg call (a policy-rc.d earlier in PATH), so the reload path is exercised too:
# with no daemon running, it must say so and succeed.
if ! ischroot && policy_forbids && ! daemon_running; then
	mkdir -p "$tmp/policy"
	printf '#!/bin/sh\nexit 0\n' >"$tmp/policy/policy-rc.d"
	chmod 0755 "$tmp/policy/policy-rc.d"
	saved_path=$PATH
	PATH=$tmp/policy:$PATH
	dpkg_do -i "$deb"
	PATH=$saved_path
	check "postinst, service actions allowed: no libvirt daemon is running" \
		says "no libvirt daemon is running"
else
	dpkg_do -i "$deb"
fi
check "dpkg -i again succeeds" [ "$rc" = 0 ]
check "says unchanged" says "$H/network.d/$D: unchanged"
check "network still in place" cmp -s "$LIBEXEC/network" "$H/network.d/$D"
check "qemu still in place" cmp -s "$LIBEXEC/qemu" "$H/qemu.d/$D"

echo "# 3. dpkg -r"
dpkg_do -r "$PKG"
check "dpkg -r succeeds" [ "$rc" = 0 ]
check "network is gone" absent "$H/network.d"
check "qemu is gone" absent "$H/qemu.d"
check "the installed files are gone" absent "$LIBEXEC/network"
if [ "$had_hooks" = 0 ]; then
	check "$H (made for the package) is gone" absent "$H"
fi
dpkg_do --purge "$PKG"
check "dpkg --purge succeeds" [ "$rc" = 0 ]
check "the package is gone" [ -z "$(status)" ] || [ "$(status)" = un ] || [ "$(status)" = pn ]

echo "# 4. beside an administrator's own hooks"
admin_hook "$H/network"
admin_hook "$H/qemu"
dpkg_do -i "$deb"
check "dpkg -i succeeds" [ "$rc" = 0 ]
for h in network qemu; do
	check "$h: the admin's hook is byte-identical" cmp "$tmp/$h.admin" "$H/$h"
	check "$h: the admin's hook keeps its mode" [ "$(stat -c %a "$H/$h")" = 700 ]
	check "$h: ours is a real executable in $h.d/" real_exe "$H/$h.d/$D"
	check "$h: ours is a copy of $LIBEXEC/$h" cmp -s "$LIBEXEC/$h" "$H/$h.d/$D"
done
dpkg_do -r "$PKG"
check "dpkg -r succeeds" [ "$rc" = 0 ]
for h in network qemu; do
	check "$h: ours is gone" absent "$H/$h.d/$D"
	check "$h: the empty $h.d/ is gone" absent "$H/$h.d"
	check "$h: the admin's hook is byte-identical" cmp "$tmp/$h.admin" "$H/$h"
done
dpkg_do --purge "$PKG"
check "dpkg --purge succeeds" [ "$rc" = 0 ]
for h in network qemu; do
	check "$h: the admin's hook survives the purge" cmp "$tmp/$h.admin" "$H/$h"
done

echo "1..$n"
if [ "$fails" -gt 0 ]; then
	echo "# $fails of $n checks failed"
	exit 1
fi
echo "# all $n checks passed"
exit 0
