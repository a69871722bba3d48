#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The benchmark's real half, inside the VM harness on the igb driver's real VFs:
#   tests/vm/run.sh --script tests/bench/vm-bench.sh
# On the 7 VFs of PF1 (one igb PF), for real (RTM_GETLINK, RTM_SETLINK, records), ours against the
# shell equivalent (tests/bench/ref-network.sh: xmllint, ip -d link show, ip link set, its own
# records), each pass ROUNDS times (default 7), the two sides alternating round by round;
# medians, with the range of the rounds:
#   b. one port: the median of repeated runs (after the first run: a replay, nothing differs)
# Every number is runbench's wall time around fork+exec+wait of the hook (summed over the VFs),
# so the driving shell loop is not counted for either side.
#   e. first touch: port-created of every VF once, from the driver's defaults (spoofchk on, trust
#      off) and no record: every VF gets spoofchk off and trust on; total wall time
#   e. replay: port-created of every VF again, records present, nothing differs; total
#   e. restore: one stopped end of the network, 7 records: every VF put back; one run
# The pool rows give the median of the rounds' totals with their range, and for first touch and
# replay also the sum over the VFs of each VF's median over the rounds (as bench.sh's pool rows),
# which a single stalled run cannot move. The last row is the floor: /bin/true in this guest.
# Each pass is checked (VFs at policy after first touch, back at the defaults and no record left
# after restore); a pass that did not do its job fails the script.
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
for pf in ${PF1:?}; do
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
cat >"$work/net.xml" <<XML
<hookData>
  <network>
    <name>bench</name>
    <uuid>56380527-2c38-4bbe-9d8c-506167e5a692</uuid>
    <forward mode='hostdev' managed='yes'>
      <pf dev='$PF1'/>
    </forward>
  </network>
</hookData>
XML
ROUNDS=${ROUNDS:-7}
echo "vm-bench: ${#vfs[@]} VFs on $PF1, $ROUNDS rounds ($(uname -r), $(libvirtd --version 2>/dev/null))"

reset_vfs() {
	local v pf i
	for v in "${vfs[@]}"; do
		read -r pf i _ <<<"$v"
		ip link set "$pf" vf "$i" spoofchk on trust off
	done
	rm -rf "$SRIOV_HOOKS_STATE_DIR"
}
hookcmd() { if [ "$1" = ours ]; then echo "$hook"; else echo "/bin/bash $ref"; fi; }
# One run of a hook, timed by runbench around fork+exec+wait only (no shell loop in the number).
once_us() { # who input args...
	local who=$1 in=$2 us
	shift 2
	# shellcheck disable=SC2046
	read -r _ us _ < <("$rb" once 1 0 "$in" -- $(hookcmd "$who") "$@")
	echo "${us:-0}"
}
each() { # ours|shell [PASS]: port-created of every VF once; prints the total in ms, and keeps
	# each VF's time ("VF us" lines in $work/t-WHO-PASS) for the per-VF medians
	local v pf i us total=0
	for v in "${vfs[@]}"; do
		read -r pf i _ <<<"$v"
		us=$(once_us "$1" "$work/port-$pf-$i.xml" bench port-created begin -)
		total=$((total + us))
		[ -z "${2:-}" ] || echo "$pf-$i $us" >>"$work/t-$1-$2"
	done
	echo $((total / 1000))
}
# The sum over the VFs of each VF's median over the rounds, in ms: one run of a few tens of ms
# that the host happens to stall (TCG, other work) moves a round's total by 2-3x, not this.
sum_of_medians() { # WHO PASS
	sort -k1,1 -k2,2n "$work/t-$1-$2" | awk '
		function flush() { if (n) total += v[int((n + 1) / 2)]; n = 0 }
		$1 != k { flush(); k = $1 } { v[++n] = $2 } END { flush(); printf "%d", total / 1000 }'
}
count_vfs() { # spoof-word trust-word: VFs NOT in that state
	local v pf i bad=0
	for v in "${vfs[@]}"; do
		read -r pf i _ <<<"$v"
		ip -d link show "$pf" | grep -q "vf $i .*spoof checking $1.*trust $2" || bad=$((bad + 1))
	done
	echo "$bad"
}
records() { find "$SRIOV_HOOKS_STATE_DIR" -type f \( -path '*/vf/*' -o -path '*/ref/*' \) 2>/dev/null | wc -l; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

fail=0
declare -A firsts=() replays=() restores=() ratios=()
# Rounds alternate the sides (ours, shell, ours, shell...): the host under TCG speeds up and slows
# down with the other work on it, and a side measured only early or only late would carry that
# drift into the ratio. Each round's ratio is also kept, so the spread shows.
for round in $(seq "$ROUNDS"); do
	for who in ours shell; do
		reset_vfs
		f=$(each "$who" first)
		firsts[$who]="${firsts[$who]:-} $f"
		bad=$(count_vfs off on)
		[ "$bad" = 0 ] || { echo "vm-bench: $who first touch left $bad VFs off policy"; fail=1; }
		replays[$who]="${replays[$who]:-} $(each "$who" replay)"
		n=$(records)
		[ "$n" = ${#vfs[@]} ] || { echo "vm-bench: $who holds $n records after the replay, not ${#vfs[@]}"; fail=1; }
		restores[$who]="${restores[$who]:-} $(($(once_us "$who" "$work/net.xml" bench stopped end -) / 1000))"
		bad=$(count_vfs on off) n=$(records)
		[ "$bad" = 0 ] && [ "$n" = 0 ] ||
			{ echo "vm-bench: $who restore left $bad VFs not at the defaults and $n records"; fail=1; }
		[ "$who" = ours ] && o=$f
	done
	ratios[first]="${ratios[first]:-} $(awk -v o="$o" -v s="$f" 'BEGIN {printf "%.1f", s / (o ? o : 1)}')"
	echo "round $round: first touch ours ${o} ms, shell ${f} ms ($(awk -v o="$o" -v s="$f" 'BEGIN {printf "%.1fx", s / (o ? o : 1)}'))"
done
spread() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {printf "%s-%s", v[1], v[NR]}'; }
for who in ours shell; do
	reset_vfs
	each "$who" >/dev/null # so that "one" below measures a replay
	read -r _ med _ rss _ < <(if [ "$who" = ours ]; then
		"$rb" one 50 5 "$work/port-$PF1-0.xml" -- "$hook" bench port-created begin -
	else
		"$rb" one 20 2 "$work/port-$PF1-0.xml" -- /bin/bash "$ref" bench port-created begin -
	fi)
	echo "$who first=$(median <<<"${firsts[$who]}") replay=$(median <<<"${replays[$who]}") restore=$(median <<<"${restores[$who]}") one_us=$med rss=$rss firstspread=$(spread <<<"${firsts[$who]}") replayspread=$(spread <<<"${replays[$who]}") restorespread=$(spread <<<"${restores[$who]}") firstsm=$(sum_of_medians "$who" first) replaysm=$(sum_of_medians "$who" replay)" | tee -a "$work/r"
	echo "$who all runs (ms): first:${firsts[$who]} replay:${replays[$who]} restore:${restores[$who]}"
done
echo "ratio first-touch per round:${ratios[first]} (median $(median <<<"${ratios[first]}"))"
# The floor under every row: starting any process at all in this guest (fork, exec, exit).
read -r _ med _ rss _ < <("$rb" true 50 5 /dev/null -- /bin/true)
echo "true one_us=$med rss=$rss" >>"$work/r"
reset_vfs

echo
awk -v n=${#vfs[@]} -v pf="$PF1" -v k="$ROUNDS" -v rr="$(median <<<"${ratios[first]}")" '
	{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1]] = kv[2] } }
	function r(a, b) { return b / (a ? a : 1) }
	END {
		printf "%-52s %16s %18s %8s\n", "on real igb VFs (" n " VFs of " pf "; median [range] of " k ")", "ours", "shell", "shell/us"
		printf "%-52s %14.2fms %16.2fms %7.1fx\n", "b. one port-created (replay), median", v["ours","one_us"]/1000, v["shell","one_us"]/1000, r(v["ours","one_us"], v["shell","one_us"])
		printf "%-52s %6dms [%7s] %6dms [%9s] %7.1fx (per round: median %sx)\n", "e. first touch, " n " VFs (sets spoofchk and trust)", v["ours","first"], v["ours","firstspread"], v["shell","first"], v["shell","firstspread"], r(v["ours","first"], v["shell","first"]), rr
		printf "%-52s %14dms %16dms %7.1fx\n", "e. first touch: sum of per-VF medians", v["ours","firstsm"], v["shell","firstsm"], r(v["ours","firstsm"], v["shell","firstsm"])
		printf "%-52s %6dms [%7s] %6dms [%9s] %7.1fx\n", "e. replay, " n " VFs (records present, nothing differs)", v["ours","replay"], v["ours","replayspread"], v["shell","replay"], v["shell","replayspread"], r(v["ours","replay"], v["shell","replay"])
		printf "%-52s %14dms %16dms %7.1fx\n", "e. replay: sum of per-VF medians", v["ours","replaysm"], v["shell","replaysm"], r(v["ours","replaysm"], v["shell","replaysm"])
		printf "%-52s %6dms [%7s] %6dms [%9s] %7.1fx\n", "e. restore, stopped end, " n " records (one run)", v["ours","restore"], v["ours","restorespread"], v["shell","restore"], v["shell","restorespread"], r(v["ours","restore"], v["shell","restore"])
		printf "%-52s %16d %18d\n", "peak RSS of one run (KiB)", v["ours","rss"], v["shell","rss"]
		printf "%-52s %14.2fms   (ours per first-touch VF, from the per-VF medians: %.1f ms = %.2fx /bin/true)\n", "floor: /bin/true, median of 50", v["true","one_us"]/1000, v["ours","firstsm"]/n, v["ours","firstsm"]*1000/n/(v["true","one_us"] ? v["true","one_us"] : 1)
	}' "$work/r"
rm -rf "$work"
exit $fail
