# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# shellcheck disable=SC2034 # VM_SYSLOGD, VM_SHIM, FLAVOUR_SCENARIOS: read by lib.sh, scenarios.sh
# The SELinux part of the guest side (flavour bookworm-selinux), sourced by main.sh after lib.sh
# when the guest runs with SELinux (/sys/fs/selinux/enforce exists). See tests/vm/README.md.
#
# The guest boots enforcing with Debian's reference policy (image-bookworm-selinux.sh); PID 1
# runs as init_t, so main.sh and the scenarios run as init_t (an unconfined domain of that policy,
# as an init script's shell is), libvirtd as virtd_t (permissive: sriov_vmtest), the hooks as our
# sriov_hooks_t, enforcing. Here:
#   - auditd (auditd_t) is started first, so every AVC line reaches /var/log/audit/audit.log;
#   - the syslog daemon of lib.sh is /usr/sbin/syslogd (busybox, labelled syslogd_exec_t), so it
#     runs as syslogd_t and its /dev/log is devlog_t, as on a host;
#   - install_hooks first builds our module from /mnt/src/install/selinux/ (the tree under test)
#     with Debian's selinux-policy-dev and loads it (semodule -i), together with sriov_vmaudit,
#     a test-only module that only audits (auditallow) every domain transition into
#     sriov_hooks_t and lets g3's LD_PRELOAD shim work; after the project's installer it
#     runs restorecon on what was installed, as the installer does on a host;
#   - scenario z-selinux, always last: the mode, our domain enforcing and not unconfined, the
#     labels, the hooks really entered sriov_hooks_t (audited transitions), no AVC denial for
#     sriov_hooks_t in the whole run, and a deliberate denial that shows enforcement is on.

SE_SRC=/mnt/src/install/selinux
SE_BUILD=/tmp/selinux-modules
SE_AUDIT_LOG=/var/log/audit/audit.log
SE_DOMAIN=sriov_hooks_t
SE_EXEC=sriov_hooks_exec_t
SE_LOADED=0
# lib.sh's syslog daemon (busybox, as syslogd_t) and g3's shim (a labelled copy: a hook in its
# own domain must not reach into the 9p share).
VM_SYSLOGD=/usr/sbin/syslogd
VM_SHIM=/usr/local/lib/sriov-vmtest/refuse-vf-attr.so
FLAVOUR_SCENARIOS="z-selinux"

se_type() { stat -c %C "$1" 2>/dev/null | cut -d: -f3; }

# Every "avc: denied" line seen so far (audit log and kernel log), one per line.
se_denials()
{
	{
		cat "$SE_AUDIT_LOG" 2>/dev/null
		dmesg 2>/dev/null
	} | grep -E 'avc: +denied' | sort -u
}

selinux_start_audit()
{
	mkdir -p /var/log/audit
	restorecon -R /var/log/audit /run 2>/dev/null
	auditd || echo "WARNING: auditd did not start: AVC lines only in dmesg"
	for _ in $(seq 1 20); do
		[ -s "$SE_AUDIT_LOG" ] && break
		sleep 0.5
	done
	echo "selinux: $(getenforce), policy $(sestatus | sed -n 's/^Loaded policy name: *//p'), shell $(id -Z), auditd $(ps -o label= -p "$(pidof auditd 2>/dev/null || echo 1)" 2>/dev/null)"
}

# The test-only module, built with ours: it references our types, so it can only exist beside
# our module. Nothing in it widens what sriov_hooks_t may do in the scenarios a-i but g3's shim.
se_write_vmaudit()
{
	cat >"$SE_BUILD/sriov_vmaudit.te" <<-'EOF'
	policy_module(sriov_vmaudit, 1.0)

	gen_require(`
		type sriov_hooks_t, virtd_t;
		attribute domain;
	')

	# The proof that the hooks run in our domain: each transition into it is logged.
	auditallow domain sriov_hooks_t:process transition;

	# g3: the LD_PRELOAD shim simulating a driver that refuses trust. A transition into a
	# domain makes glibc ignore LD_PRELOAD (AT_SECURE) unless the old domain has noatsecure
	# on the new; the shim (a copy on the guest's disk) and its trigger file have a type of
	# their own that only the shim's code reads.
	type sriov_vmtest_shim_t;
	files_type(sriov_vmtest_shim_t)
	allow virtd_t sriov_hooks_t:process noatsecure;
	allow sriov_hooks_t sriov_vmtest_shim_t:dir search;
	allow sriov_hooks_t sriov_vmtest_shim_t:file { read open getattr map execute };

	# The scenarios' shell runs as initrc_t, whose files in /etc get etc_runtime_t; an admin's
	# shell (unconfined_t) makes the host file etc_t. h2 writes it as an admin would.
	gen_require(`
		type initrc_t, etc_t;
	')
	type_transition initrc_t etc_t:file etc_t "libvirt-sriov-hooks.conf";
	EOF
	printf '/usr/local/lib/sriov-vmtest(/.*)?\tgen_context(system_u:object_r:sriov_vmtest_shim_t,s0)\n' \
		>"$SE_BUILD/sriov_vmaudit.fc"
	: >"$SE_BUILD/sriov_vmaudit.if"
}

# Build install/selinux/*.te of the tree under test and load it, once per boot.
selinux_load_module()
{
	local t0 te mods=() args
	[ "$SE_LOADED" = 1 ] && return 0
	t0=$(date +%s)
	rm -rf "$SE_BUILD"
	mkdir -p "$SE_BUILD"
	if ! ls "$SE_SRC"/*.te >/dev/null 2>&1; then
		echo "selinux: no module in $SE_SRC (install/selinux/*.te)"
		return 1
	fi
	cp "$SE_SRC"/*.te "$SE_SRC"/*.fc "$SE_SRC"/*.if "$SE_BUILD/" 2>/dev/null
	se_write_vmaudit
	for te in "$SE_BUILD"/*.te; do mods+=("$(basename "$te" .te).pp"); done
	if ! run make -C "$SE_BUILD" -f /usr/share/selinux/devel/Makefile "${mods[@]}"; then
		echo "selinux: the module does not build against Debian's reference policy"
		return 1
	fi
	# ours first, then the test module (it requires our types): one transaction, one rebuild.
	args=()
	for te in "${mods[@]}"; do args+=(-i "$SE_BUILD/$te"); done
	run semodule -v "${args[@]}" ||
		{ echo "selinux: semodule -i failed"; return 1; }
	SE_LOADED=1
	echo "selinux: modules loaded in $(($(date +%s) - t0)) s: $(semodule -l | grep -E '^(libvirt_sriov_hooks|sriov_vm)' | tr '\n' ' ')"
	timing selinux-module
	# g3's shim and its (empty: no refusal) trigger file, with the test type.
	mkdir -p "$(dirname "$VM_SHIM")"
	cp "$OUT/tools/refuse-vf-attr.so" "$VM_SHIM" 2>/dev/null
	restorecon -R "$(dirname "$VM_SHIM")"
	: >/run/vm-refuse-vf-attr
	chcon -t sriov_vmtest_shim_t /run/vm-refuse-vf-attr
}

# lib.sh's install_hooks, with the module loaded before and restorecon after.
eval "lib_install_hooks() $(declare -f install_hooks | tail -n +2)"
install_hooks()
{
	local rc
	selinux_load_module || echo "WARNING: our SELinux module is not loaded"
	lib_install_hooks "$@"
	rc=$?
	restorecon -RFv /etc/libvirt/hooks /usr/libexec/libvirt-sriov-hooks 2>/dev/null
	echo "labels:"
	find /etc/libvirt/hooks -exec ls -dZ {} + 2>/dev/null
	return $rc
}

# lib.sh's collect_logs, plus the audit log.
eval "lib_collect_logs() $(declare -f collect_logs | tail -n +2)"
collect_logs()
{
	lib_collect_logs "$@"
	cp "$SE_AUDIT_LOG" "$OUT/logs/audit.log" 2>/dev/null
}

# -- z: SELinux ------------------------------------------------------------------------------
scen_z()
{
	local f t want n denials lv hook info perm unconf ours=0
	expect "getenforce" "$(getenforce)" Enforcing
	expect "module libvirt_sriov_hooks loaded" "$(semodule -l | grep -cx libvirt_sriov_hooks)" 1
	# One seinfo (python: seconds under TCG), two lists; each with a control that shows the query
	# answered (virtd_t is permissive by sriov_vmtest, initrc_t is an unconfined domain).
	info=$(seinfo -x --permissive -a unconfined_domain_type 2>/dev/null)
	perm=$(printf '%s\n' "$info" | awk '/^Permissive Types/ { s = 1; next } /^[A-Z]/ { s = 0 } s' |
		grep -oE '[A-Za-z0-9_]+_t\b')
	unconf=$(printf '%s\n' "$info" | awk '/^Type Attributes/ { s = 1; next } /^[A-Z]/ { s = 0 } s' |
		grep -oE '[A-Za-z0-9_]+_t\b')
	expect "virtd_t among the permissive types (control)" "$(printf '%s\n' "$perm" | grep -cx virtd_t)" 1
	expect "$SE_DOMAIN among the permissive types" "$(printf '%s\n' "$perm" | grep -cx "$SE_DOMAIN")" 0
	expect "initrc_t among the unconfined domains (control)" "$(printf '%s\n' "$unconf" | grep -cx initrc_t)" 1
	expect "$SE_DOMAIN among the unconfined domains" "$(printf '%s\n' "$unconf" | grep -cx "$SE_DOMAIN")" 0
	note "permissive (test set-up): ${perm//$'\n'/ }"
	# Our hooks, wherever the installer put them, carry our exec type.
	for f in /etc/libvirt/hooks/network /etc/libvirt/hooks/qemu /etc/libvirt/hooks/*.d/*; do
		if [ ! -f "$f" ] || ! grep -qa 'libvirt-sriov-hooks:hook-binary' "$f"; then continue; fi
		ours=$((ours + 1))
		t=$(se_type "$f")
		case "$f" in
		*.d/*) expect "label of $f" "$t" "$SE_EXEC" ;;
		*) fail "$f: ours at libvirt's main hook path, labelled $t by the policy (not $SE_EXEC): the installer must use network.d/ and qemu.d/ (issue 12 item 3)" ;;
		esac
	done
	# (none left is possible after a scenario that removes them, e.g. a package's purge; the
	# audited transitions below are the proof that they ran)
	[ "$ours" -gt 0 ] || note "none of our hooks is installed at the end of the run"
	# The state directory was created by the hooks (no tmpfiles here): its type is the one the
	# module's file contexts give it, not /run's.
	if [ -d "$STATE_DIR" ]; then
		want=$(matchpathcon -n "$STATE_DIR" | cut -d: -f3)
		expect "label of $STATE_DIR" "$(se_type "$STATE_DIR")" "$want"
		[ "$want" = var_run_t ] && fail "the module gives $STATE_DIR no type of its own"
		run ls -laZ "$STATE_DIR"
	else
		fail "$STATE_DIR does not exist: the hooks never ran?"
	fi
	# The hooks entered our domain: the kernel audited each transition (sriov_vmaudit).
	for hook in network qemu; do
		[ -x "/mnt/src/hooks/$hook" ] || continue
		n=$(grep -E "avc: +granted +\{ transition \}" "$SE_AUDIT_LOG" 2>/dev/null |
			grep "tcontext=[^ ]*:$SE_DOMAIN:" | grep -c "path=\"/etc/libvirt/hooks/$hook")
		note "$hook hook: $n audited transitions into $SE_DOMAIN"
		[ "$n" -gt 0 ] || fail "no audited transition into $SE_DOMAIN for the $hook hook: it ran in another domain"
	done
	grep -E "avc: +granted +\{ transition \}" "$SE_AUDIT_LOG" 2>/dev/null | grep "tcontext=[^ ]*:$SE_DOMAIN:" |
		sed -E 's/.*comm="([^"]*)".*path="([^"]*)".*scontext=([^ ]*).*/\3 -> \2/' | sort | uniq -c
	# No denial for our domain in the whole run.
	denials=$(se_denials | grep "scontext=[^ ]*:$SE_DOMAIN:")
	printf '%s\n' "$denials" | grep . >"$OUT/logs/avc-$SE_DOMAIN.txt"
	expect "AVC denials for $SE_DOMAIN" "$(printf '%s\n' "$denials" | grep -c .)" 0
	[ -n "$denials" ] && printf '%s\n' "$denials" | head -n 20
	lv=$(se_denials | grep -v "scontext=[^ ]*:$SE_DOMAIN:")
	printf '%s\n' "$lv" | grep . >"$OUT/logs/avc-others.txt"
	note "other domains: $(printf '%s\n' "$lv" | grep -c .) AVC denials (permissive ones: libvirt's; $OUT/logs/avc-others.txt)"
	# A deliberate denial: our hook, entered from virtd_t by the module's transition, with
	# /etc/shadow as its stdin. At exec the kernel re-checks inherited descriptors against the
	# new domain: enforcing, the read is denied (and logged with permissive=0) and the hook gets
	# a null descriptor instead.
	hook=""
	for f in /etc/libvirt/hooks/network.d/libvirt-sriov-hooks /etc/libvirt/hooks/network \
		/usr/libexec/libvirt-sriov-hooks/network; do
		grep -qa 'libvirt-sriov-hooks:hook-binary' "$f" 2>/dev/null && { hook=$f; break; }
	done
	if [ -n "$hook" ]; then
		runcon system_u:system_r:virtd_t:s0 /bin/sh -c "'$hook' sevm-deliberate stopped end - </etc/shadow 2>&1 | cat" >/dev/null 2>&1
		sleep 2
		n=$(se_denials | grep "scontext=[^ ]*:$SE_DOMAIN:" | grep 'path="/etc/shadow"' | grep -c 'permissive=0')
		[ "$n" -ge 1 ] && n=yes || n=no
		expect "deliberate denial (hook stdin from /etc/shadow) logged with permissive=0" "$n" yes
		se_denials | grep 'path="/etc/shadow"'
	else
		fail "no hook binary of ours left for the deliberate denial"
	fi
}
