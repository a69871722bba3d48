# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck disable=SC2046,SC2086 # VF lists are split on purpose
# The scenarios of tests/vm (issue 3), run in order inside the guest by main.sh. Each asserts
# through sysfs and `ip -d link show PF` only, never through the hooks' own logs or state
# (the state directory is checked only for being empty after a restore).
#
# Layout: PF1 carries pool1 (policy vfs=4 spoofchk=off trust=on), PF2 carries pool2 (no policy
# element: vfs = sriov_totalvfs, spoofchk off, trust on). Guest g1 takes VFs from pool1.

NS=urn:libvirt-sriov-hooks:1
ALL_SCENARIOS="a-net-start b-guest-start c-attach d-destroy e-daemon-restart f-net-destroy
g1-too-many-vfs g2-count-mismatch g3-on-error-fail h1-guest-override h2-direct-hostdev
i-beside-admin-hooks"

pool_xml()
{
	# pool_xml NAME PF [POLICY-ATTRIBUTES]
	echo "<network><name>$1</name>"
	[ -n "${3:-}" ] && echo "<metadata><sriov:pool xmlns:sriov='$NS' $3/></metadata>"
	echo "<forward mode='hostdev' managed='yes'><pf dev='$2'/></forward></network>"
}

guest_xml()
{
	# guest_xml NAME MAC [EXTRA-DEVICES-XML [METADATA-XML]]
	cat <<-EOF
	<domain type='qemu'>
	  <name>$1</name>
	  <memory unit='MiB'>128</memory>
	  <vcpu>1</vcpu>
	  ${4:+<metadata>$4</metadata>}
	  <os><type arch='x86_64' machine='q35'>hvm</type><bios rebootTimeout='-1'/></os>
	  <devices>
	    <controller type='pci' index='0' model='pcie-root'/>
	    <controller type='pci' index='1' model='pcie-root-port'/>
	    <controller type='pci' index='2' model='pcie-root-port'/>
	    <controller type='pci' index='3' model='pcie-root-port'/>
	    <controller type='pci' index='4' model='pcie-root-port'/>
	    ${2:+<interface type='network'><mac address='$2'/><source network='pool1'/></interface>}
	    ${3:-}
	    <memballoon model='none'/>
	  </devices>
	</domain>
	EOF
}

define_from()
{
	# define_from KIND(net|domain) XML
	local f
	f=$(mktemp /tmp/xml.XXXXXX)
	printf '%s\n' "$2" >"$f"
	if [ "$1" = net ]; then run vsh net-define "$f"; else run vsh define "$f"; fi
}

# expect_policy PF BDF...: each VF has spoofchk off and trust on.
expect_policy()
{
	local pf=$1 bdf idx
	shift
	for bdf in "$@"; do
		idx=$(vf_index "$pf" "$bdf") || { fail "VF $bdf is not a VF of $pf"; continue; }
		expect "$pf vf $idx ($bdf)" "$(vf_state "$pf" "$idx")" "spoofchk=off trust=on"
	done
}

# expect_baseline PF [EXCLUDED-INDEX...]: every other VF is as it was right after activation.
expect_baseline()
{
	local pf=$1 line idx
	shift
	while read -r idx line; do
		case " $* " in *" $idx "*) continue ;; esac
		expect "$pf vf $idx (untouched)" "$(vf_state "$pf" "$idx")" "$line"
	done <"/tmp/baseline.$pf"
}

# expect_restored PF: every VF back at its activation state, or gone with the VFs.
expect_restored()
{
	local pf=$1 n
	n=$(numvfs "$pf")
	if [ "$n" = 0 ]; then
		note "$pf: VFs removed (sriov_numvfs 0)"
	else
		expect_baseline "$pf"
	fi
}

expect_no_records()
{
	local r
	r=$(state_records)
	expect "VF records in $STATE_DIR" "${r:-none}" none
}

indexes_of()
{
	local pf=$1 bdf
	shift
	for bdf in "$@"; do vf_index "$pf" "$bdf"; done | tr '\n' ' '
}

ensure_pool()
{
	# ensure_pool NAME: defined, started and its PF's baseline known
	vsh net-info "$1" 2>/dev/null | grep -q 'Active:.*yes' && return 0
	run vsh net-start "$1"
}

# -- a: net-start activates the VFs -------------------------------------------------------------
scen_a()
{
	local pf want
	expect "$PF1 sriov_numvfs before" "$(numvfs "$PF1")" 0
	expect "$PF2 sriov_numvfs before" "$(numvfs "$PF2")" 0
	define_from net "$(pool_xml pool1 "$PF1" "vfs='4' spoofchk='off' trust='on' on-error='warn'")"
	define_from net "$(pool_xml pool2 "$PF2")"
	run vsh net-start pool1 || fail "net-start pool1: $LAST_OUT"
	run vsh net-start pool2 || fail "net-start pool2: $LAST_OUT"
	for pf in "$PF1" "$PF2"; do
		vf_states "$pf" >"/tmp/baseline.$pf"
		run ip -d link show dev "$pf"
	done
	expect "pool1 active" "$(vsh net-info pool1 | awk '/^Active:/ { print $2 }')" yes
	expect "pool2 active" "$(vsh net-info pool2 | awk '/^Active:/ { print $2 }')" yes
	expect "$PF1 sriov_numvfs (policy vfs=4)" "$(numvfs "$PF1")" 4
	want=$(totalvfs "$PF2")
	expect "$PF2 sriov_numvfs (default: max)" "$(numvfs "$PF2")" "$want"
	expect "$PF1 VFs in ip link" "$(vf_states "$PF1" | wc -l)" 4
	expect "$PF2 VFs in ip link" "$(vf_states "$PF2" | wc -l)" "$want"
}

# -- b: a guest from the pool gets the policy on its VF only --------------------------------------
scen_b()
{
	local vfs
	define_from domain "$(guest_xml g1 52:54:00:aa:bb:01)"
	run vsh start g1 || { fail "start g1: $LAST_OUT"; return; }
	vfs=$(domain_vfs g1)
	expect "VFs given to g1" "$(echo "$vfs" | grep -c .)" 1
	run ip -d link show dev "$PF1"
	expect_policy "$PF1" $vfs
	expect_baseline "$PF1" $(indexes_of "$PF1" $vfs)
	expect_baseline "$PF2"
}

# -- c: hotplug from the pool ---------------------------------------------------------------------
scen_c()
{
	local before after new
	before=$(domain_vfs g1)
	run vsh attach-interface g1 network pool1 --mac 52:54:00:aa:bb:02 --live ||
		{ fail "attach-interface: $LAST_OUT"; return; }
	sleep 2
	after=$(domain_vfs g1)
	new=$(comm -13 <(echo "$before" | sort) <(echo "$after" | sort))
	expect "new VFs in g1" "$(echo "$new" | grep -c .)" 1
	run ip -d link show dev "$PF1"
	expect_policy "$PF1" $after
	expect_baseline "$PF1" $(indexes_of "$PF1" $after)
}

# -- d: destroy restores ----------------------------------------------------------------------------
scen_d()
{
	run vsh destroy g1 || fail "destroy g1: $LAST_OUT"
	run ip -d link show dev "$PF1"
	expect_baseline "$PF1"
	expect_no_records
}

# -- e: daemon restart with a guest running ----------------------------------------------------------
scen_e()
{
	local vfs numvfs errs d
	run vsh start g1 || { fail "start g1: $LAST_OUT"; return; }
	vfs=$(domain_vfs g1)
	expect_policy "$PF1" $vfs
	numvfs=$(numvfs "$PF1")
	log_mark
	for d in $(daemons); do stop_daemon "$d"; done
	start_daemons || fail "daemons did not come back"
	sleep 3
	expect "g1 state after restart" "$(vsh domstate g1)" running
	expect "pool1 active after restart" "$(vsh net-info pool1 | awk '/^Active:/ { print $2 }')" yes
	expect "$PF1 sriov_numvfs after restart" "$(numvfs "$PF1")" "$numvfs"
	expect "g1's VFs after restart" "$(domain_vfs g1 | tr '\n' ' ')" "$(echo "$vfs" | tr '\n' ' ')"
	run ip -d link show dev "$PF1"
	expect_policy "$PF1" $vfs
	expect_baseline "$PF1" $(indexes_of "$PF1" $vfs)
	errs=$(log_since_mark | grep -E 'Hook script execution failed|hook.*(error|failed)' | head -n 5)
	expect "hook errors in the daemon logs since the restart" "${errs:-none}" none
}

# -- f: net-destroy with a guest running, then the guest stopped -------------------------------------
scen_f()
{
	vsh domstate g1 2>/dev/null | grep -q running || run vsh start g1
	run vsh net-destroy pool1 || fail "net-destroy pool1: $LAST_OUT"
	run vsh destroy g1 || fail "destroy g1: $LAST_OUT"
	run ip -d link show dev "$PF1"
	expect_restored "$PF1"
	run vsh net-destroy pool2 || fail "net-destroy pool2: $LAST_OUT"
	expect_restored "$PF2"
	expect_no_records
	run ls -lR "$STATE_DIR"
}

# -- g: failures ---------------------------------------------------------------------------------------
scen_g1()
{
	local total
	total=$(totalvfs "$PF1")
	set_numvfs "$PF1" 0
	define_from net "$(pool_xml toomany "$PF1" "vfs='$((total + 1))'")"
	if run vsh net-start toomany; then
		fail "net-start with vfs=$((total + 1)) > sriov_totalvfs succeeded"
		vsh net-destroy toomany >/dev/null 2>&1
	else
		case "$LAST_OUT" in
		*"supports at most $total VFs"*) echo "ok: error names the limit" ;;
		*) fail "net-start error lacks 'supports at most $total VFs': $LAST_OUT" ;;
		esac
	fi
	expect "$PF1 sriov_numvfs" "$(numvfs "$PF1")" 0
	expect "toomany active" "$(vsh net-info toomany | awk '/^Active:/ { print $2 }')" no
	vsh net-undefine toomany >/dev/null 2>&1
}

scen_g2()
{
	local warn
	set_numvfs "$PF1" 2
	define_from net "$(pool_xml mismatch "$PF1" "vfs='4'")"
	run vsh net-start mismatch || fail "net-start with 2 VFs present and vfs=4: $LAST_OUT"
	expect "$PF1 sriov_numvfs left alone" "$(numvfs "$PF1")" 2
	expect "mismatch active" "$(vsh net-info mismatch | awk '/^Active:/ { print $2 }')" yes
	warn=$(grep 'libvirt-sriov-hooks' /var/log/messages 2>/dev/null | grep "'mismatch'" | tail -n 1)
	note "syslog (informational): ${warn:-no line about network 'mismatch'}"
	vsh net-destroy mismatch >/dev/null 2>&1
	vsh net-undefine mismatch >/dev/null 2>&1
	set_numvfs "$PF1" 0
}

scen_g3()
{
	local shim=${VM_SHIM:-$OUT/tools/refuse-vf-attr.so} nd vfs
	nd=$(network_daemon)
	# igb implements both ndo_set_vf_spoofchk and ndo_set_vf_trust and refuses neither for a
	# valid VF, so nothing real can be made to refuse: a preloaded shim answers EOPNOTSUPP to
	# RTM_SETLINK requests carrying IFLA_VF_TRUST, as a driver without trust does.
	note "igb accepts spoofchk and trust; the refusal of trust is simulated (LD_PRELOAD shim on $nd)"
	stop_daemon "$nd"
	start_daemon "$nd" LD_PRELOAD="$shim" && wait_ready || fail "cannot restart $nd with the shim"
	echo trust >/run/vm-refuse-vf-attr
	define_from net "$(pool_xml strict "$PF1" "vfs='4' on-error='fail'")"
	run vsh net-start strict || fail "net-start strict: $LAST_OUT"
	vf_states "$PF1" >"/tmp/baseline.$PF1"
	define_from domain "$(guest_xml g3 52:54:00:aa:bb:03 | sed "s/network='pool1'/network='strict'/")"
	if run vsh start g3; then
		fail "g3 started although its pool has on-error=fail and trust was refused"
		vfs=$(domain_vfs g3)
		vsh destroy g3 >/dev/null 2>&1
	else
		case "$LAST_OUT" in
		*libvirt-sriov-hooks*) echo "ok: the error names libvirt-sriov-hooks" ;;
		*) fail "start error lacks 'libvirt-sriov-hooks': $LAST_OUT" ;;
		esac
	fi
	rm -f /run/vm-refuse-vf-attr
	expect "g3 state" "$(vsh domstate g3 2>/dev/null)" "shut off"
	# libvirt runs no port-deleted for a port whose port-created failed: whatever the hook set
	# before the refusal must be undone by the hook itself, at once (the VF is free again).
	run ip -d link show dev "$PF1"
	expect_baseline "$PF1"
	[ -n "$(state_records)" ] && note "VF records after the failed start: $(state_records | tr '\n' ' ')"
	vsh undefine g3 >/dev/null 2>&1
	run vsh net-destroy strict
	vsh net-undefine strict >/dev/null 2>&1
	[ -n "$SCEN_FAILS" ] && note "after net-destroy: $(vf_states "$PF1" | tr '\n' ';')"
	stop_daemon "$nd"
	start_daemon "$nd" && wait_ready || fail "cannot restart $nd"
	expect_no_records
}

# -- h: per-guest override and direct VFs (qemu hook) --------------------------------------------------
HOST_FILE=/etc/libvirt-sriov-hooks.conf

has_qemu_hook() { [ -x /mnt/src/hooks/qemu ] && [ "${STANDIN:-0}" != 1 ]; }

# A guest whose pool VF gets an override (domain <metadata>): spoofchk off, trust kept as found
# (off), which is neither the pool's policy (trust on) nor the untouched state (spoofchk on).
scen_h1()
{
	local vfs meta
	ensure_pool pool1
	vf_states "$PF1" >"/tmp/baseline.$PF1"
	meta="<sriov:guest xmlns:sriov='$NS'><sriov:interface mac='52:54:00:aa:bb:11' spoofchk='off' trust='keep'/></sriov:guest>"
	define_from domain "$(guest_xml h1 52:54:00:aa:bb:11 "" "$meta")"
	run vsh start h1 || { fail "start h1: $LAST_OUT"; return; }
	vfs=$(domain_vfs h1)
	run ip -d link show dev "$PF1"
	for bdf in $vfs; do
		expect "$PF1 vf $(vf_index "$PF1" "$bdf") (override)" \
			"$(vf_state "$PF1" "$(vf_index "$PF1" "$bdf")")" "spoofchk=off trust=off"
	done
	expect_baseline "$PF1" $(indexes_of "$PF1" $vfs)
	run vsh destroy h1
	expect_baseline "$PF1"
	vsh undefine h1 >/dev/null 2>&1
	expect_no_records
}

# A guest with a VF of PF2 as a plain <hostdev>, PF2 named in the host file.
scen_h2()
{
	local bdf
	set_numvfs "$PF2" 2
	vf_states "$PF2" >"/tmp/baseline.$PF2"
	bdf=$(basename "$(readlink -f "/sys/class/net/$PF2/device/virtfn1")")
	printf '[pf %s]\nspoofchk = off\ntrust = on\n' "$PF2" >"$HOST_FILE"
	define_from domain "$(guest_xml h2 "" "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x${bdf:0:4}' bus='0x${bdf:5:2}' slot='0x${bdf:8:2}' function='0x${bdf:11:1}'/></source></hostdev>")"
	run vsh start h2 || { fail "start h2: $LAST_OUT"; rm -f "$HOST_FILE"; return; }
	run ip -d link show dev "$PF2"
	expect_policy "$PF2" "$bdf"
	expect_baseline "$PF2" 1
	[ -n "$SCEN_FAILS" ] && note "syslog: $(grep libvirt-sriov-hooks /var/log/messages | grep -w h2 | tail -n 3)"
	run vsh destroy h2
	expect_baseline "$PF2"
	vsh undefine h2 >/dev/null 2>&1
	rm -f "$HOST_FILE"
	expect_no_records
}

# -- i: beside an admin's own hooks ----------------------------------------------------------------------
scen_i()
{
	local vfs
	reset_host
	mkdir -p "$HOOKS"
	for h in network qemu; do
		printf '#!/bin/sh\necho "$*" >>/run/admin-%s.log\nexit 0\n' "$h" >"$HOOKS/$h"
		chmod 755 "$HOOKS/$h"
	done
	install_hooks || fail "the installer failed beside the admin's hooks: $LAST_OUT"
	expect "admin's network hook kept" "$(head -c 200 "$HOOKS/network" | grep -c admin-network)" 1
	expect "admin's qemu hook kept" "$(head -c 200 "$HOOKS/qemu" | grep -c admin-qemu)" 1
	start_daemons || { fail "daemons did not start"; return; }
	define_from net "$(pool_xml pool1 "$PF1" "vfs='4' spoofchk='off' trust='on'")"
	run vsh net-start pool1 || fail "net-start pool1: $LAST_OUT"
	vf_states "$PF1" >"/tmp/baseline.$PF1"
	expect "$PF1 sriov_numvfs (ours ran)" "$(numvfs "$PF1")" 4
	expect "admin's network hook ran at start" "$(grep -c '^pool1 start begin' /run/admin-network.log 2>/dev/null)" 1
	define_from domain "$(guest_xml g1 52:54:00:aa:bb:01)"
	run vsh start g1 || { fail "start g1: $LAST_OUT"; return; }
	vfs=$(domain_vfs g1)
	expect_policy "$PF1" $vfs
	expect "admin's network hook ran at port-created" "$(grep -c '^pool1 port-created begin' /run/admin-network.log 2>/dev/null)" 1
	expect "admin's qemu hook ran at prepare" "$(grep -c '^g1 prepare begin' /run/admin-qemu.log 2>/dev/null)" 1
	run vsh destroy g1
	expect_baseline "$PF1"
	expect_no_records
	run vsh net-destroy pool1
}

run_scenarios()
{
	local s sel="" want gate=""
	for s in $ALL_SCENARIOS; do
		if [ -z "${SCENARIOS:-}" ]; then
			sel="$sel $s"
		else
			for want in $SCENARIOS; do
				case "$s" in "$want"*) sel="$sel $s"; break ;; esac
			done
		fi
	done
	# A flavour's own checks run whatever was selected: its gate first (guest/apparmor.sh:
	# 0-apparmor; when it fails, nothing else runs), the others last (z-selinux, z-apparmor).
	sel="${FLAVOUR_FIRST_SCENARIOS:-} $sel ${FLAVOUR_SCENARIOS:-}"
	echo "$sel" >"$OUT/expected"
	install_hooks || echo "WARNING: the installer failed"
	start_daemons || echo "WARNING: libvirt did not start"
	timing daemons
	log_mark
	for s in $sel; do
		if [ -n "$gate" ]; then
			printf 'FAIL\nnot run: %s\n' "$gate" >"$OUT/results/$FLAVOUR-$MODE-$s.result"
			continue
		fi
		case "$s" in
		g3-*)
			[ -f "$OUT/tools/refuse-vf-attr.so" ] ||
				{ scenario_skip "$s" "the refusing shim could not be built on the host"; continue; } ;;
		h*|j3-*|j4-*)
			has_qemu_hook ||
				{ scenario_skip "$s" "no qemu hook in the build (hooks/qemu)"; continue; } ;;
		esac
		scenario_begin "$s"
		"scen_${s%%-*}"
		case " ${FLAVOUR_FIRST_SCENARIOS:-} " in
		*" $s "*) [ -z "$SCEN_FAILS" ] || gate="$s failed: $(printf '%s' "$SCEN_FAILS" | head -n 1)" ;;
		esac
		scenario_end
		timing "$s"
	done
	stop_daemons
}
