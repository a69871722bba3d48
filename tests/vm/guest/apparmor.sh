# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# shellcheck disable=SC2034,SC2153 # FLAVOUR_*: read by scenarios.sh; HOOKS, SCEN_FAILS: lib.sh's
# The AppArmor part of the guest side (flavours bookworm, bookworm-backports, trixie), sourced by
# main.sh after lib.sh when the kernel runs AppArmor or the image expects it (LSM_EXPECTED). See
# tests/vm/README.md.
#
# The image has the apparmor package and libvirt's profiles as Debian ships them
# (image-apparmor.sh). The guest has no systemd, so nothing loads them: apparmor_start does,
# with apparmor_parser, before libvirtd starts (as apparmor.service does before libvirtd.service
# on a host). Then:
#   - scenario 0-apparmor, first: the kernel's LSM list has apparmor, aa-status lists libvirtd's
#     profile in enforce mode, the running libvirtd is confined by it; if not, no other scenario
#     runs (each is reported FAIL, naming the reason);
#   - y-apparmor-symlink: why the installer copies real files: a hook that is a symlink into
#     libexec is denied at exec under libvirtd's profile (the kernel logs apparmor="DENIED") and
#     does not run, the same script as a real file runs, inside libvirtd's profile;
#   - z-apparmor, last: still enforcing, our hooks real files that import no exec function, and
#     no apparmor="DENIED" line naming our hooks in the whole run (logs/apparmor-denied-*.txt).
# The nested guests run under libvirt's AppArmor security driver (virt-aa-helper, a libvirt-UUID
# profile each): qemu.conf's security_driver is "apparmor" here, not lib.sh's "none".

AA_FS=/sys/kernel/security/apparmor
AA_AUDIT_LOG=/var/log/audit/audit.log
AA_TESTDIR=/usr/libexec/sriov-vmtest
AA_MARKER_LOG=/run/aa-marker.log
AA_GATE_WHY=""
FLAVOUR_FIRST_SCENARIOS="0-apparmor"
FLAVOUR_SCENARIOS="y-apparmor-symlink z-apparmor"

# Every apparmor="DENIED" line so far (audit log and kernel log), once each (by audit id).
aa_denials()
{
	{
		cat "$AA_AUDIT_LOG" 2>/dev/null
		dmesg 2>/dev/null
	} | grep 'apparmor="DENIED"' | sed -E 's/^.*(audit\([0-9.:]+\))/\1/' | sort -u
}

# The profiles in enforce mode, as aa-status lists them.
aa_enforced()
{
	aa-status 2>/dev/null | awk '/profiles are in enforce mode/ { s = 1; next }
		/profiles are in|processes (are|have)/ { s = 0 } s { print $1 }'
}
aa_libvirtd_profile() { aa_enforced | grep -xE 'libvirtd|/usr/sbin/libvirtd' | head -n 1; }
# The confinement of a process: "libvirtd (enforce)", "unconfined", ...
aa_confinement()
{
	local c
	c=$(tr -d '\0' <"/proc/$1/attr/apparmor/current" 2>/dev/null) ||
		c=$(tr -d '\0' <"/proc/$1/attr/current" 2>/dev/null)
	echo "${c:-unknown}"
}

# Before setup_base: securityfs, auditd, libvirt's profiles loaded. Any failure is kept in
# AA_GATE_WHY for scenario 0-apparmor (and the script runs).
apparmor_start()
{
	local p t0 loaded=""
	mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security
	echo "apparmor: kernel LSMs: $(cat /sys/kernel/security/lsm 2>/dev/null)"
	if [ ! -d "$AA_FS" ]; then
		AA_GATE_WHY="the kernel runs no AppArmor (LSMs: $(cat /sys/kernel/security/lsm 2>/dev/null))"
		return 1
	fi
	mkdir -p /var/log/audit
	auditd || echo "WARNING: auditd did not start: DENIED lines only in dmesg"
	t0=$(date +%s)
	# What apparmor.service would load for libvirt: every profile its packages put in
	# /etc/apparmor.d (libvirtd, virt-aa-helper, and on 11.x virtqemud, virtxend).
	for p in /etc/apparmor.d/usr.sbin.libvirtd /etc/apparmor.d/usr.lib.libvirt.virt-aa-helper \
		/etc/apparmor.d/usr.sbin.virt*; do
		[ -f "$p" ] || continue
		if apparmor_parser -r "$p"; then
			loaded="$loaded ${p##*/}"
		else
			AA_GATE_WHY="${AA_GATE_WHY}apparmor_parser -r $p failed; "
		fi
	done
	echo "apparmor: loaded$loaded in $(($(date +%s) - t0)) s"
	timing apparmor-profiles
	aa-status >"$OUT/logs/aa-status-boot.txt" 2>&1
	[ -n "$(aa_libvirtd_profile)" ] ||
		AA_GATE_WHY="${AA_GATE_WHY}aa-status lists no libvirtd profile in enforce mode; "
	[ -z "$AA_GATE_WHY" ]
}

# After setup_base's qemu.conf: the nested guests under libvirt's AppArmor driver.
# Test-only, in the nested QEMU's profile (never libvirtd's): the libvirt-UUID profile
# virt-aa-helper writes here lacks the VF's /dev/vfio/N (pool VFs and direct <hostdev> alike),
# so QEMU cannot open it. The local part of the abstraction every guest profile includes allows
# the VFIO group devices, with "audit": each use is logged (apparmor="AUDIT"), and z-apparmor
# counts them.
AA_QEMU_LOCAL=/etc/apparmor.d/local/abstractions/libvirt-qemu
apparmor_qemu_conf()
{
	sed -i 's/^security_driver = "none"$/security_driver = "apparmor"/' /etc/libvirt/qemu.conf
	grep '^security_driver' /etc/libvirt/qemu.conf
	mkdir -p "$(dirname "$AA_QEMU_LOCAL")"
	cat >>"$AA_QEMU_LOCAL" <<-'EOF'
	# tests/vm only: the VFs' VFIO groups (not in the profile virt-aa-helper makes here)
	audit /dev/vfio/[0-9]* rw,
	EOF
}

# lib.sh's collect_logs, plus the audit log and aa-status.
eval "lib_collect_logs() $(declare -f collect_logs | tail -n +2)"
collect_logs()
{
	lib_collect_logs "$@"
	cp "$AA_AUDIT_LOG" "$OUT/logs/audit.log" 2>/dev/null
	aa-status >"$OUT/logs/aa-status-end.txt" 2>&1
}

# -- 0: AppArmor enforcing libvirtd's profile, before any other scenario ----------------------
scen_0()
{
	local lsms prof pid conf
	lsms=$(cat /sys/kernel/security/lsm 2>/dev/null)
	note "kernel LSMs: $lsms"
	case ",$lsms," in
	*,apparmor,*) echo "ok: apparmor among the kernel's LSMs" ;;
	*) fail "apparmor is not among the kernel's LSMs ($lsms)" ;;
	esac
	[ -z "$AA_GATE_WHY" ] || fail "$AA_GATE_WHY"
	run aa-status
	prof=$(aa_libvirtd_profile)
	[ -n "$prof" ] || fail "aa-status: no libvirtd profile in enforce mode"
	note "aa-status: profile '$prof' in enforce mode"
	pid=$(cat /run/libvirtd.pid 2>/dev/null)
	if [ "$MODE" = libvirtd ] && [ -n "$pid" ]; then
		conf=$(aa_confinement "$pid")
		expect "libvirtd (pid $pid) confinement" "$conf" "$prof (enforce)"
	elif [ "$MODE" = libvirtd ]; then
		fail "libvirtd is not running"
	fi
	[ -n "$SCEN_FAILS" ] && AA_GATE_WHY="${AA_GATE_WHY:-AppArmor does not confine libvirtd (scenario 0-apparmor)}"
}

# -- y: a hook that is a symlink into libexec is denied -----------------------------------------
aa_write_marker()
{
	# Shell builtins only: an exec from the hook would leave libvirtd's profile (PUx).
	cat >"$1" <<-'EOF'
	#!/bin/sh
	c=unknown
	if [ -r /proc/self/attr/apparmor/current ]; then
		read -r c </proc/self/attr/apparmor/current
	else
		read -r c </proc/self/attr/current
	fi
	# A helper from outside /bin, /sbin, /usr/bin, /usr/sbin, and one from /usr/bin.
	h=denied
	/usr/libexec/sriov-vmtest/helper 2>/dev/null && h=ran
	u=denied
	/usr/bin/true && u=ran
	echo "${0##*/} $1 $2 $3 [$c] libexec-helper=$h usr-bin=$u" >>/run/aa-marker.log
	exit 0
	EOF
	chmod 755 "$1"
}

scen_y()
{
	local ours=/mnt/src/hooks/network before new prof n
	prof=$(aa_libvirtd_profile)
	reset_host
	install_hooks || fail "the installer failed: $LAST_OUT"
	mkdir -p "$AA_TESTDIR"
	aa_write_marker "$AA_TESTDIR/marker-hook"
	printf '#!/bin/sh\nexit 0\n' >"$AA_TESTDIR/helper"
	chmod 755 "$AA_TESTDIR/helper"
	run "$AA_TESTDIR/helper" || fail "the helper does not run outside libvirtd's profile"
	install -m 755 "$ours" "$AA_TESTDIR/hook-copy"
	# The same script as a real file (as the installer puts ours) and as a symlink into libexec
	# (as a package linking its binary would), and our own hook's copy as a symlink.
	install -m 755 "$AA_TESTDIR/marker-hook" "$HOOKS/network.d/zz-aa-real"
	ln -s "$AA_TESTDIR/marker-hook" "$HOOKS/network.d/zz-aa-symlink"
	ln -s "$AA_TESTDIR/hook-copy" "$HOOKS/network.d/zz-aa-symlink-ours"
	run ls -l "$HOOKS/network.d"
	: >"$AA_MARKER_LOG"
	start_daemons || { fail "daemons did not start"; return; }
	define_from net "<network><name>aaprobe</name><bridge name='virbr-aa' stp='off'/></network>"
	before=$(aa_denials | wc -l)
	if run vsh net-start aaprobe; then
		fail "net-start aaprobe succeeded although two of its network hooks cannot be executed"
		vsh net-destroy aaprobe >/dev/null 2>&1
	else
		note "net-start with a denied hook fails: $(printf '%s' "$LAST_OUT" | tr '\n' ' ' | cut -c1-300)"
		case "$LAST_OUT" in
		*zz-aa-symlink*) echo "ok: the error names a symlinked hook" ;;
		*) fail "the net-start error does not name zz-aa-symlink*: $LAST_OUT" ;;
		esac
	fi
	sleep 1
	run cat "$AA_MARKER_LOG"
	new=$(aa_denials | tail -n +"$((before + 1))")
	printf '%s\n' "$new"
	aa_denials | grep -F "$AA_TESTDIR/" >"$OUT/logs/apparmor-denied-symlink.txt"
	expect "the real file ran, inside libvirtd's profile" \
		"$(grep -c "^zz-aa-real aaprobe start begin \[$prof (enforce)\]" "$AA_MARKER_LOG")" 1
	# From a hook: a helper in libexec may not be executed, one in /usr/bin may (PUx).
	expect "helpers run by the real file" \
		"$(sed -n "s/^zz-aa-real aaprobe start begin \[.*\] //p" "$AA_MARKER_LOG")" \
		"libexec-helper=denied usr-bin=ran"
	expect "runs of the symlinked script" "$(grep -c '^zz-aa-symlink' "$AA_MARKER_LOG")" 0
	for f in marker-hook hook-copy helper; do
		n=$(aa_denials | grep 'operation="exec"' | grep -F "profile=\"$prof\"" |
			grep -cF "name=\"$AA_TESTDIR/$f\"")
		[ "$n" -ge 1 ] && n=yes || n=no
		expect "apparmor=\"DENIED\" exec of $AA_TESTDIR/$f under profile $prof" "$n" yes
	done
	# The rule, not the daemon state: without the symlinks the same network starts.
	rm -f "$HOOKS/network.d/zz-aa-symlink" "$HOOKS/network.d/zz-aa-symlink-ours"
	stop_daemons
	start_daemons || { fail "daemons did not start"; return; }
	run vsh net-start aaprobe || fail "net-start aaprobe with real files only: $LAST_OUT"
	expect "runs of the real file at the second start" \
		"$(grep -c "^zz-aa-real aaprobe start begin \[$prof (enforce)\]" "$AA_MARKER_LOG")" 2
	vsh net-destroy aaprobe >/dev/null 2>&1
	vsh net-undefine aaprobe >/dev/null 2>&1
	rm -f "$HOOKS/network.d/zz-aa-real"
	rm -rf "$AA_TESTDIR"
}

# -- z: AppArmor, at the end of the run ------------------------------------------------------------
# Functions through which a program starts another: our hooks import none (an exec from a hook
# leaves libvirtd's profile, and one outside /bin, /sbin, /usr/bin, /usr/sbin is denied).
AA_EXEC_SYMBOLS='execve|execv|execvp|execvpe|execl|execle|execlp|fexecve|execveat|system|popen|posix_spawn|posix_spawnp|fork|vfork|clone|clone3'

scen_z()
{
	local prof pid f syms ours=0 hooks others n
	prof=$(aa_libvirtd_profile)
	[ -n "$prof" ] || fail "aa-status: no libvirtd profile in enforce mode at the end of the run"
	pid=$(cat /run/libvirtd.pid 2>/dev/null)
	[ "$MODE" = libvirtd ] && [ -n "$pid" ] &&
		expect "libvirtd confinement at the end" "$(aa_confinement "$pid")" "$prof (enforce)"
	for f in /etc/libvirt/hooks/network /etc/libvirt/hooks/qemu /etc/libvirt/hooks/*.d/*; do
		{ [ -f "$f" ] || [ -L "$f" ]; } || continue
		grep -qa 'libvirt-sriov-hooks:hook-binary' "$f" 2>/dev/null || continue
		ours=$((ours + 1))
		[ -L "$f" ] && fail "$f is a symlink: libvirtd's profile denies its exec"
		case "$f" in
		/etc/libvirt/hooks/*) echo "ok: $f a real file under /etc/libvirt/hooks" ;;
		esac
	done
	[ "$ours" -gt 0 ] || note "none of our hooks is installed at the end of the run"
	for f in /mnt/src/hooks/network /mnt/src/hooks/qemu; do
		[ -f "$f" ] || continue
		# The dynamic string table holds each imported symbol as a NUL-terminated string.
		syms=$(tr '\0' '\n' <"$f" | grep -xE "$AA_EXEC_SYMBOLS" | sort -u | tr '\n' ' ')
		expect "syslog imported by ${f#/mnt/src/} (control: the dynamic symbols are read)" \
			"$(tr '\0' '\n' <"$f" | grep -cx syslog)" 1
		expect "functions that start programs imported by ${f#/mnt/src/}" "${syms:-none}" none
	done
	hooks=$(aa_denials | grep -E 'libvirt-sriov-h|/run/libvirt-sriov-hooks')
	printf '%s\n' "$hooks" | grep . >"$OUT/logs/apparmor-denied-hooks.txt"
	expect "apparmor=\"DENIED\" lines naming our hooks" "$(printf '%s\n' "$hooks" | grep -c .)" 0
	[ -n "$hooks" ] && printf '%s\n' "$hooks" | head -n 20
	others=$(aa_denials | grep -vE 'libvirt-sriov-h|/run/libvirt-sriov-hooks')
	printf '%s\n' "$others" | grep . >"$OUT/logs/apparmor-denied-others.txt"
	note "other apparmor=\"DENIED\" lines: $(printf '%s\n' "$others" | grep -c .) (y's deliberate ones among them; logs/apparmor-denied-others.txt)"
	printf '%s\n' "$others" | grep -vF "$AA_TESTDIR/" | head -n 10
	# The test-only rule of the nested guests' profiles (apparmor_qemu_conf): how often it served.
	n=$( { cat "$AA_AUDIT_LOG" 2>/dev/null; dmesg 2>/dev/null; } | grep 'apparmor="AUDIT"' |
		grep 'name="/dev/vfio/[0-9]' | sed -E 's/^.*(audit\([0-9.:]+\))/\1/' | sort -u | grep -c .)
	note "nested QEMU opened a VF's /dev/vfio/N $n times through the test-only rule (virt-aa-helper's profile lacks it)"
}
