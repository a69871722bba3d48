# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck disable=SC2016 # on_b's arguments are expanded on b, on purpose
# The two-host live-migration scenarios (issue 9), run on host a (the source) by
# migrate-main.sh. Host b (the destination) is reached two ways: libvirt over the private link
# (qemu+tcp://10.99.0.2/system, as an admin would) and `on_b CODE`, which runs CODE in b's
# shell (lib.sh and scenarios.sh loaded, PF1/PF2 set) through the shared directory, for what
# libvirt cannot tell: b's `ip -d link`, b's state directory and the hook order b saw.
#
# Both hosts carry pool1 on PF1 (vfs=4 spoofchk=off trust=on on-error=warn) and strict on PF2
# (vfs=2, defaults spoofchk=off trust=on, on-error=fail). A migratable guest holding a VF uses
# QEMU's virtio-net failover: a virtio interface with <teaming type='persistent'/> and the
# pool interface with <teaming type='transient' persistent='ALIAS'/>, same MAC.

MIG_SCENARIOS_ALL="m1-migrate m2-migrate-override m3-migrate-refused m4-migrate-os"
URI_B=qemu+tcp://10.99.0.2/system

vsh_b() { timeout 120 virsh -q -c "$URI_B" "$@"; }

# on_b CODE: run CODE on b; its output on stdout, its status ours (124: b did not answer).
# Requests are numbered in a file: on_b mostly runs inside $(...), where a variable would not
# keep its increment.
on_b()
{
	local n r=$MIG/rpc
	n=$(($(cat "$r/seq" 2>/dev/null || echo 0) + 1))
	echo "$n" >"$r/seq"
	printf '%s\n' "$*" >"$r/req.$n.tmp"
	mv "$r/req.$n.tmp" "$r/req.$n"
	for _ in $(seq 1 1500); do
		[ -e "$r/rc.$n" ] && break
		sleep 0.2
	done
	if [ ! -e "$r/rc.$n" ]; then
		echo "on_b: no answer from b in 300 s to: $*"
		return 124
	fi
	cat "$r/out.$n"
	return "$(cat "$r/rc.$n")"
}

# Our records in a state directory, relative and sorted, locks aside: "vf/BDF guest/UUID".
state_files()
{
	local f
	f=$(find "$STATE_DIR" -type f ! -path "$STATE_DIR/lock/*" 2>/dev/null | sed "s#^$STATE_DIR/##" | sort | tr '\n' ' ')
	echo "${f% }"
}

# mac_vf PF MAC: "IDX spoofchk=.. trust=.." of the VF whose admin MAC is MAC (from ip -d link).
mac_vf()
{
	ip -d link show dev "$1" | sed -n -E \
		"s/^[[:space:]]*vf ([0-9]+) .*link\/ether $2 .*spoof checking (on|off).* trust (on|off).*/\1 spoofchk=\2 trust=\3/p"
}

# The hook order since a line count of /run/vm-mig/order.log, names dropped:
# "qemu migrate begin; qemu prepare begin; network port-created begin; ..."
order_since()
{
	tail -n +"$(($1 + 1))" /run/vm-mig/order.log 2>/dev/null |
		awk '{ x = ""; for (i = 6; i <= NF; i++) if ($i != "-") x = x " " $i
			printf "%s%s %s %s%s", (NR > 1 ? "; " : ""), $2, $4, $5, x }'
}
order_lines() { wc -l </run/vm-mig/order.log 2>/dev/null || echo 0; }

# mig_guest_xml NAME UUID MAC NETWORK [METADATA [OS-XML]]
mig_guest_xml()
{
	cat <<-EOF
	<domain type='qemu'>
	  <name>$1</name>
	  <uuid>$2</uuid>
	  <memory unit='MiB'>${MIG_GUEST_MIB:-128}</memory>
	  <vcpu>1</vcpu>
	  ${5:+<metadata>$5</metadata>}
	  <os><type arch='x86_64' machine='q35'>hvm</type>${6:-<bios rebootTimeout='-1'/>}</os>
	  <features><acpi/></features>
	  <devices>
	    <controller type='pci' index='0' model='pcie-root'/>
	    <controller type='pci' index='1' model='pcie-root-port'/>
	    <controller type='pci' index='2' model='pcie-root-port'/>
	    <controller type='pci' index='3' model='pcie-root-port'/>
	    <controller type='pci' index='4' model='pcie-root-port'/>
	    <controller type='pci' index='5' model='pcie-root-port'/>
	    <interface type='bridge'>
	      <mac address='$3'/>
	      <source bridge='mbr0'/>
	      <model type='virtio'/>
	      <teaming type='persistent'/>
	      <alias name='ua-backup0'/>
	    </interface>
	    <interface type='network'>
	      <mac address='$3'/>
	      <source network='$4'/>
	      <teaming type='transient' persistent='ua-backup0'/>
	    </interface>
	    ${MIG_GUEST_DEVICES:-}
	    <memballoon model='none'/>
	  </devices>
	</domain>
	EOF
}

# bl PF [EXCLUDED-INDEX...]: the VFs of PF not at their baseline ("" when all are), on this host.
bl() { expect_baseline "$@" | grep '^FAIL' | tr '\n' ' '; }

# migrate_and_check NAME UUID MAC NETWORK PFVAR WANT [METADATA [OS-XML]]: start NAME on a, check its
# VF, migrate it live to b (left paused there), check b's VF, state and hook order while the
# guest is paused, resume it, check a restored its VF; destroy it on b, check b restored.
# PFVAR: PF1 or PF2 (each host has its own); WANT: "spoofchk=.. trust=..", the effective policy.
migrate_and_check()
{
	local name=$1 uuid=$2 mac=$3 net=$4 pfv=$5 want=$6 meta=${7:-} os=${8:-} pf=${!5}
	local vf_a idx_a mark_a mark_b bdf_b idx_b got snap order_b order_a want_b t0 secs
	define_from domain "$(mig_guest_xml "$name" "$uuid" "$mac" "$net" "$meta" "$os")" ||
		{ fail "define $name: $LAST_OUT"; return 1; }
	run vsh start "$name" || { fail "start $name on a: $LAST_OUT"; return 1; }
	vf_a=$(domain_vfs "$name")
	expect "VFs given to $name on a" "$(echo "$vf_a" | grep -c .)" 1
	idx_a=$(vf_index "$pf" "$vf_a")
	run ip -d link show dev "$pf"
	expect "a: $pf vf $idx_a ($vf_a) at start" "$(vf_state "$pf" "$idx_a")" "$want"
	expect "a: $pf VFs but $name's untouched" "$(bl "$pf" "$idx_a")" ""
	[ -n "${MIG_BEFORE_MIGRATE:-}" ] && { "$MIG_BEFORE_MIGRATE" "$name" || return 1; }

	mark_a=$(order_lines)
	mark_b=$(on_b 'wc -l </run/vm-mig/order.log 2>/dev/null || echo 0')
	t0=$(date +%s)
	# --suspend: the guest stays paused on b, so what b's hook did can be read before it runs.
	if ! run timeout 900 virsh -c qemu:///system migrate --live --suspend "$name" "$URI_B" \
		--migrateuri "tcp://10.99.0.2"; then
		fail "virsh migrate $name: $LAST_OUT"
		note "b's hooks: $(on_b "order_since $mark_b")"
		return 1
	fi
	secs=$(($(date +%s) - t0))
	note "$name migrated in ${secs} s"

	# b, guest paused: its new VF (the one with the guest's MAC) has the policy.
	expect "b: $name state after migrate --suspend" "$(vsh_b domstate "$name" 2>&1)" paused
	bdf_b=$(on_b "domain_vfs $name")
	expect "b: VFs given to $name" "$(echo "$bdf_b" | grep -c .)" 1
	idx_b=$(on_b "vf_index \$$pfv $bdf_b")
	got=$(on_b "mac_vf \$$pfv $mac")
	echo "b: $(on_b "ip -d link show dev \$$pfv")"
	expect "b: the VF with $name's MAC (paused)" "$got" "$idx_b $want"
	# ... and had it already at qemu 'started begin' (snapshot by b's qemu.d/zz-order).
	snap=$(on_b "cat /run/vm-mig/started-$name.txt" |
		sed -n -E "s/^[[:space:]]*vf ([0-9]+) .*link\/ether $mac .*spoof checking (on|off).* trust (on|off).*/\1 spoofchk=\2 trust=\3/p")
	expect "b: the VF with $name's MAC at 'started begin'" "$snap" "$idx_b $want"
	expect "b: $pf VFs but $name's untouched" "$(on_b "bl \$$pfv $idx_b")" ""
	want_b="vf/$bdf_b"
	[ -n "$meta" ] && want_b="guest/$uuid $want_b"
	expect "b: state directory" "$(on_b state_files)" "$want_b"
	order_b=$(on_b "order_since $mark_b")
	note "b hook order: $order_b"
	case "$order_b" in
	*"qemu migrate begin"*"qemu prepare begin"*"network port-created begin"*"qemu start begin"*"qemu started begin"*)
		echo "ok: b ran migrate, prepare, port-created, start, started in that order" ;;
	*) fail "b: hook order not migrate < prepare < port-created < start < started: $order_b" ;;
	esac

	# a: the old VF is restored, nothing recorded.
	order_a=$(order_since "$mark_a")
	note "a hook order: $order_a"
	case "$order_a" in
	*"qemu stopped end"*"network port-deleted begin"*"qemu release end"*) echo "ok: a ran stopped, port-deleted, release" ;;
	*) fail "a: hook order not stopped < port-deleted < release: $order_a" ;;
	esac
	expect "a: $name state after migration" "$(vsh domstate "$name" 2>&1)" "shut off"
	run ip -d link show dev "$pf"
	expect "a: $pf VFs restored" "$(bl "$pf")" ""
	expect "a: state directory" "$(state_files)" ""

	run vsh_b resume "$name" || fail "resume $name on b: $LAST_OUT"
	expect "b: $name state after resume" "$(vsh_b domstate "$name" 2>&1)" running
	expect "b: the VF with $name's MAC (running)" "$(on_b "mac_vf \$$pfv $mac")" "$idx_b $want"
	[ -n "${MIG_AFTER_RESUME:-}" ] && "$MIG_AFTER_RESUME" "$name"

	run vsh_b destroy "$name" || fail "destroy $name on b: $LAST_OUT"
	expect "b: $pf VFs restored after destroy" "$(on_b "bl \$$pfv")" ""
	expect "b: state directory after destroy" "$(on_b state_files)" ""
	vsh undefine "$name" >/dev/null 2>&1
	return 0
}

# -- m1: the pool's policy follows the guest -------------------------------------------------------
scen_m1()
{
	migrate_and_check mig1 6d1f4e3a-0000-4000-8000-000000000001 52:54:00:99:01:01 \
		pool1 PF1 "spoofchk=off trust=on"
}

# -- m2: a per-guest override holds on the destination too ----------------------------------------
# The override (spoofchk off, trust off) is neither the pool's policy (trust on) nor what an
# untouched VF has (spoofchk on): b's port-created found it only if b's prepare recorded it.
scen_m2()
{
	local meta="<sriov:guest xmlns:sriov='$NS'><sriov:interface mac='52:54:00:99:02:01' spoofchk='off' trust='off'/></sriov:guest>"
	migrate_and_check mig2 6d1f4e3a-0000-4000-8000-000000000002 52:54:00:99:02:01 \
		pool1 PF1 "spoofchk=off trust=off" "$meta"
}

# -- m3: a destination that cannot apply the policy (on-error='fail') ------------------------------
scen_m3()
{
	local name=mig3 uuid=6d1f4e3a-0000-4000-8000-000000000003 mac=52:54:00:99:03:01
	local vf_a idx_a mark_b order_b
	note "igb accepts trust: b's libvirtd carries refuse-vf-attr.so, which refuses it while /run/vm-refuse-vf-attr exists"
	define_from domain "$(mig_guest_xml "$name" "$uuid" "$mac" strict)" ||
		{ fail "define $name: $LAST_OUT"; return; }
	run vsh start "$name" || { fail "start $name on a: $LAST_OUT"; return; }
	vf_a=$(domain_vfs "$name")
	idx_a=$(vf_index "$PF2" "$vf_a")
	expect "a: $PF2 vf $idx_a ($vf_a) at start" "$(vf_state "$PF2" "$idx_a")" "spoofchk=off trust=on"
	on_b 'echo trust >/run/vm-refuse-vf-attr'
	mark_b=$(on_b 'wc -l </run/vm-mig/order.log 2>/dev/null || echo 0')
	if run timeout 900 virsh -c qemu:///system migrate --live "$name" "$URI_B" --migrateuri "tcp://10.99.0.2"; then
		fail "the migration succeeded although b refuses trust and the pool has on-error='fail'"
	else
		case "$LAST_OUT" in
		*libvirt-sriov-hooks*) echo "ok: the error names libvirt-sriov-hooks" ;;
		*) fail "migrate error lacks 'libvirt-sriov-hooks': $LAST_OUT" ;;
		esac
		note "virsh migrate: $(echo "$LAST_OUT" | tr '\n' ' ' | cut -c1-400)"
	fi
	on_b 'rm -f /run/vm-refuse-vf-attr'
	order_b=$(on_b "order_since $mark_b")
	note "b hook order: $order_b"
	expect "a: $name state" "$(vsh domstate "$name" 2>&1)" running
	expect "a: $PF2 vf $idx_a still open" "$(vf_state "$PF2" "$idx_a")" "spoofchk=off trust=on"
	expect "a: state directory" "$(state_files)" "vf/$vf_a"
	expect "b: $name there" "$(vsh_b list --all --name 2>&1 | grep -cx "$name")" 0
	echo "b: $(on_b 'ip -d link show dev $PF2')"
	expect "b: $PF2 VFs as found (refused port rolled back)" "$(on_b 'bl $PF2')" ""
	expect "b: state directory" "$(on_b state_files)" ""
	run vsh destroy "$name" || fail "destroy $name on a: $LAST_OUT"
	expect "a: $PF2 VFs restored after destroy" "$(bl "$PF2")" ""
	expect "a: state directory after destroy" "$(state_files)" ""
	vsh undefine "$name" >/dev/null 2>&1
}

# -- m4: a guest with an OS: the VF really unplugs and replugs (--migrate-os) -----------------------
. "$VMDIR/guest/migrate-tinyos.sh"

mig_fail_all()
{
	local s
	for s in ${MIG_SELECTED:-$MIG_SCENARIOS_ALL}; do
		printf 'FAIL\n%s\n' "$1" >"$OUT/results/$FLAVOUR-$MODE-$s.result"
	done
}

run_mig_scenarios()
{
	local s w
	MIG_SELECTED=${MIG_SCENARIOS:-m1-migrate m2-migrate-override m3-migrate-refused}
	echo "$MIG_SELECTED" >"$OUT/expected"
	# b is up when its libvirtd answers over the link.
	for _ in $(seq 1 $((MIG_TIMEOUT / 2))); do
		[ -e "$MIG/failed-b" ] && { mig_fail_all "host b: set-up failed (see its guest.log)"; return; }
		[ -e "$MIG/ready-b" ] && vsh_b version >/dev/null 2>&1 && break
		sleep 2
	done
	if ! vsh_b version; then
		mig_fail_all "host b's libvirtd never answered on $URI_B"
		return
	fi
	timing mig-peer
	for s in $MIG_SELECTED; do
		if [ "$s" = m3-migrate-refused ] && [ ! -f "$OUT/tools/refuse-vf-attr.so" ]; then
			scenario_skip "$s" "the refusing shim could not be built on the host"
			continue
		fi
		scenario_begin "$s"
		"scen_${s%%-*}"
		# The watchdog's sleep would outlive it and hold main.sh's pipe to tee open: end both
		# (the subshell first, or it reports the sleep's end as a stuck scenario).
		w=$(pgrep -P "$SCEN_WATCHDOG")
		# shellcheck disable=SC2086 # none or one pid
		kill "$SCEN_WATCHDOG" $w 2>/dev/null
		scenario_end
		timing "$s"
	done
}
