#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The benchmark's real half, inside the VM harness on the igb driver's real VFs:
#   tests/vm/run.sh --script tests/bench/vm-bench.sh
# For every VF of both PFs (2 x 7): port-created for real (RTM_GETLINK, RTM_SETLINK, records), ours
# against the shell equivalent (tests/bench/ref-network.sh: xmllint, ip -d link show, ip link set).
#   b. one port: the median of repeated runs (after the first run: a replay, nothing differs)
#   c. every VF once, from the driver's defaults (spoofchk on, trust off): first touch, total
#   c'. every VF again: a replay of port-created for all ports, total
set -uo pipefail

src=/mnt/src
work=$(mktemp -d)
# Everything runs from the guest's own disk: the hook as install.sh installed it, and local
# copies of the rest. Run from the 9p share, every page a process touches is read from the host
# again, which costs the 2 MiB static hook far more than the shell (seen: 0.67 s against 0.55 s).
hook=/etc/libvirt/hooks/network
[ -x "$hook" ] || hook=/etc/libvirt/hooks/network.d/libvirt-sriov-hooks
cp "$src/tests/bench/runbench" "$src/tests/bench/ref-network.sh" "$work/"
rb=$work/runbench
ref=$work/ref-network.sh
[ -x "$rb" ] && [ -x "$hook" ] || { echo "vm-bench: no runbench in $src or no installed hook"; exit 1; }
export SRIOV_HOOKS_STATE_DIR=$work/state
unset SRIOV_HOOKS_DRY_RUN SRIOV_HOOKS_SYSFS

vfs=()
for pf in "$PF1" "$PF2"; do
	dev=/sys/class/net/$pf/device
	[ "$(cat "$dev/sriov_numvfs")" = 0 ] && cat "$dev/sriov_totalvfs" >"$dev/sriov_numvfs"
	n=$(cat "$dev/sriov_numvfs")
	for i in $(seq 0 $((n - 1))); do
		b=$(basename "$(readlink "$dev/virtfn$i")")
		vfs+=("$pf $i $b")
		cat >"$work/port-$pf-$i.xml" <<XML
<hookData>
  <network connections='1'>
    <name>bench</name>
    <uuid>56380527-2c38-4bbe-9d8c-506167e5a692</uuid>
    <forward mode='hostdev' managed='yes'>
      <pf dev='$pf'/>
    </forward>
  </network>
  <networkport>
    <uuid>62f3066b-c2ed-43b0-9cd3-faa5228560$(printf %02x "$i")</uuid>
    <owner>
      <name>g$i</name>
      <uuid>723da1c4-8803-482b-b241-4bf728c256df</uuid>
    </owner>
    <mac address='52:54:00:aa:bb:01'/>
    <plug type='hostdev-pci' managed='yes'>
      <address domain='0x${b:0:4}' bus='0x${b:5:2}' slot='0x${b:8:2}' function='0x${b:11:1}'/>
    </plug>
  </networkport>
</hookData>
XML
	done
done
echo "vm-bench: ${#vfs[@]} VFs on $PF1 and $PF2 ($(uname -r), $(libvirtd --version 2>/dev/null))"

reset_vfs() {
	local v pf i
	for v in "${vfs[@]}"; do
		read -r pf i _ <<<"$v"
		ip link set "$pf" vf "$i" spoofchk on trust off
	done
	rm -rf "$SRIOV_HOOKS_STATE_DIR"
}
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
each() { # ours|shell
	local v pf i
	for v in "${vfs[@]}"; do
		read -r pf i _ <<<"$v"
		if [ "$1" = ours ]; then "$hook" bench port-created begin - <"$work/port-$pf-$i.xml"
		else bash "$ref" bench port-created begin - <"$work/port-$pf-$i.xml"; fi
	done
}
check_policy() {
	local v pf i bad=0
	for v in "${vfs[@]}"; do
		read -r pf i _ <<<"$v"
		ip -d link show "$pf" | grep -q "vf $i .*spoof checking off.*trust on" || bad=$((bad + 1))
	done
	echo "$bad"
}

for who in ours shell; do
	reset_vfs
	t=$(date +%s%N); each "$who"; first=$(ms "$t")
	bad=$(check_policy)
	t=$(date +%s%N); each "$who"; replay=$(ms "$t")
	read -r _ med _ rss _ < <(if [ "$who" = ours ]; then
		"$rb" one 50 5 "$work/port-$PF1-0.xml" -- "$hook" bench port-created begin -
	else
		"$rb" one 20 2 "$work/port-$PF1-0.xml" -- /bin/bash "$ref" bench port-created begin -
	fi)
	echo "$who first=$first replay=$replay one_us=$med rss=$rss not_at_policy=$bad" | tee -a "$work/r"
done
reset_vfs

echo
awk -v n=${#vfs[@]} '
	{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1]] = kv[2] } }
	END {
		printf "%-52s %10s %10s %8s\n", "on real igb VFs (" n " VFs, 2 PFs)", "ours", "shell", "shell/us"
		printf "%-52s %9.2fms %9.2fms %7.1fx\n", "b. one port-created (replay), median", v["ours","one_us"]/1000, v["shell","one_us"]/1000, v["shell","one_us"]/v["ours","one_us"]
		printf "%-52s %9dms %9dms %7.1fx\n", "c. every VF, first touch (sets spoofchk and trust)", v["ours","first"], v["shell","first"], v["shell","first"]/(v["ours","first"] ? v["ours","first"] : 1)
		printf "%-52s %9dms %9dms %7.1fx\n", "c. every VF again (replay: nothing differs)", v["ours","replay"], v["shell","replay"], v["shell","replay"]/(v["ours","replay"] ? v["ours","replay"] : 1)
		printf "%-52s %10d %10d\n", "peak RSS of one run (KiB)", v["ours","rss"], v["shell","rss"]
		printf "%-52s %10d %10d\n", "VFs not at policy after the first pass", v["ours","not_at_policy"], v["shell","not_at_policy"]
	}' "$work/r"
rm -rf "$work"
