#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The benchmark: our hooks side by side with the shell equivalent (ref-*.sh: bash + xmllint + ip)
# and with exec'ing /bin/true, in one run, on the same inputs:
#   a. qemu hook, start begin, a 10 KB domain with no VF
#   b. network hook, port-created of one port
#   d. network hook, start begin on a pool whose VFs are already active (the no-op path)
#   e. pool scale, for a 7-VF PF (the VM's igb) and a 64-VF PF:
#      first touch: port-created of every port once, no record present (a fresh state directory)
#      replay:      port-created of every port once, every port's record present
#      restore:     one stopped end with a record for every VF (the network's N VFs put back)
#
# Everything here runs in DRY RUN (SRIOV_HOOKS_DRY_RUN=1) against a fake sysfs tree: the fake PFs
# exist only in sysfs, so no netlink request reaches a driver (the RTM_GETLINK for the PF fails at
# once with ENODEV, and both sides then plan every setting). These rows measure exec, parsing,
# sysfs resolution, record reading and planning, not the driver's work; in dry run first touch and
# replay take the same path (records are read at restore only). The real half, on the igb
# driver's VFs: tests/vm/run.sh --script tests/bench/vm-bench.sh.
# Prints medians (runbench.c: fork+exec, stdin from a file, wait4 for peak RSS), ratios, the
# command of each row, and callgrind instruction counts for a and d.
#
#   tests/bench/bench.sh [BUILDDIR]     (default: build-test/plain, then build/)
# Needs: gcc, xmllint (libxml2-utils), iproute2, valgrind (optional). About 1 minute.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-}
if [ -z "$build" ]; then
	for d in "$top/build-test/plain" "$top/build"; do
		[ -x "$d/hooks/network" ] && build=$d && break
	done
fi
[ -n "$build" ] && [ -x "$build/hooks/network" ] || { echo "bench.sh: build the project first (or pass BUILDDIR)" >&2; exit 1; }
for t in xmllint ip gcc; do command -v $t >/dev/null || { echo "bench.sh: needs $t" >&2; exit 1; }; done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -x "$build/tests/bench/runbench" ]; then
	cp "$build/tests/bench/runbench" "$work/runbench"
else
	gcc -O2 -Wall -o "$work/runbench" "$here/runbench.c"
fi
RUNS=${RUNS:-300}

# A fake sysfs tree: PF sriovb7 at 0000:3b:00.0 with 7 active VFs (bus 3c) and PF sriovb64 at
# 0000:5e:00.0 with 64 (bus 5f), links relative as in /sys.
sys=$work/sys
mkdir -p "$sys/class/net"
vfbdf() { printf '0000:%s:%02x.%x' "$1" $(($2 / 8)) $(($2 % 8)); } # VF bus, index
mkpf() { # ifname pfbdf vfbus n
	local ifn=$1 pfbdf=$2 bus=$3 n=$4 i b
	mkdir -p "$sys/bus/pci/devices/$pfbdf/net/$ifn"
	ln -s "../../bus/pci/devices/$pfbdf/net/$ifn" "$sys/class/net/$ifn"
	ln -s "../../../$pfbdf" "$sys/bus/pci/devices/$pfbdf/net/$ifn/device"
	echo "$n" >"$sys/bus/pci/devices/$pfbdf/sriov_numvfs"
	echo "$n" >"$sys/bus/pci/devices/$pfbdf/sriov_totalvfs"
	for i in $(seq 0 $((n - 1))); do
		b=$(vfbdf "$bus" "$i")
		mkdir -p "$sys/bus/pci/devices/$b"
		ln -s "../$pfbdf" "$sys/bus/pci/devices/$b/physfn"
		ln -s "../$b" "$sys/bus/pci/devices/$pfbdf/virtfn$i"
	done
}
mkpf sriovb7 0000:3b:00.0 3c 7
mkpf sriovb64 0000:5e:00.0 5f 64

netxml() { # N [connections]
	cat <<XML
  <network${2:+ connections='$2'}>
    <name>pool$1</name>
    <uuid>56380527-2c38-4bbe-9d8c-5061670000$(printf %02d "$1")</uuid>
    <forward mode='hostdev' managed='yes'>
      <pf dev='sriovb$1'/>
    </forward>
  </network>
XML
}
portdoc() { # N index bus -> $work/port-N-index.xml, and the records of both sides
	local n=$1 i=$2 b port
	b=$(vfbdf "$3" "$i")
	port=62f3066b-c2ed-43b0-9cd3-faa5228560$(printf %02x "$i")
	{
		echo "<hookData>"
		netxml "$n" 1
		cat <<XML
  <networkport>
    <uuid>$port</uuid>
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
	} >"$work/port-$n-$i.xml"
	# What each side's port-created would have recorded on a driver's defaults.
	mkdir -p "$work/recs$n/vf" "$work/recs$n/ref"
	printf 'version=1\nvf=%s\npf=%s\npf-ifname=sriovb%s\nindex=%u\nnetwork=pool%s\nnetwork-uuid=%s\nport=%s\nowner-name=g%s\nowner-uuid=723da1c4-8803-482b-b241-4bf728c256df\norig.spoofchk=1\norig.trust=0\nwant.spoofchk=0\nwant.trust=1\non-error=warn\n' \
		"$b" "$(basename "$(readlink "$sys/bus/pci/devices/$b/physfn")")" "$n" "$i" "$n" \
		"56380527-2c38-4bbe-9d8c-5061670000$(printf %02d "$n")" "$port" "$i" >"$work/recs$n/vf/$b"
	echo "sriovb$n $i 56380527-2c38-4bbe-9d8c-5061670000$(printf %02d "$n") on off" >"$work/recs$n/ref/$b"
}
for i in $(seq 0 6); do portdoc 7 "$i" 3c; done
for i in $(seq 0 63); do portdoc 64 "$i" 5f; done
for n in 7 64; do
	{ echo "<hookData>"; netxml "$n"; echo "</hookData>"; } >"$work/net$n.xml"
done

export SRIOV_HOOKS_SYSFS=$sys SRIOV_HOOKS_DRY_RUN=1
empty=$work/empty-state
mkdir -p "$empty"
rb() { "$work/runbench" "$@"; }
results=$work/results
: >"$results"
measure() { # scenario name runs input -- cmd...
	local sc=$1 name=$2 runs=$3 input=$4; shift 5
	echo "$sc $(rb "$name" "$runs" 10 "$input" -- "$@")" >>"$results"
}
hook_of() { if [ "$1" = ours ]; then echo "$build/hooks/network"; else echo "$here/ref-network.sh"; fi; }
# every port of pool N once, each the median of K runs; the total is the sum of medians.
pool_pass() { # scenario who N K state-dir
	local sc=$1 who=$2 n=$3 k=$4 total=0 rss=0 i med r
	for i in $(seq 0 $((n - 1))); do
		read -r _ med _ r _ < <(SRIOV_HOOKS_STATE_DIR=$5 rb "$sc" "$k" 1 "$work/port-$n-$i.xml" -- \
			"$(hook_of "$who")" "pool$n" port-created begin -)
		total=$((total + med))
		[ "$r" -gt "$rss" ] && rss=$r
	done
	echo "$sc $who $total $total $rss 0" >>"$results"
}

echo "bench: $RUNS runs each (pool rows: fewer, see the commands); build $build"
export SRIOV_HOOKS_STATE_DIR=$empty
measure a true "$RUNS" "$here/domain-10k.xml" -- /bin/true
measure a ours "$RUNS" "$here/domain-10k.xml" -- "$build/hooks/qemu" vm1 start begin -
measure a shell "$RUNS" "$here/domain-10k.xml" -- "$here/ref-qemu.sh" vm1 start begin -
measure b true "$RUNS" "$work/port-64-7.xml" -- /bin/true
measure b ours "$RUNS" "$work/port-64-7.xml" -- "$build/hooks/network" pool64 port-created begin -
measure b shell "$((RUNS / 5))" "$work/port-64-7.xml" -- "$here/ref-network.sh" pool64 port-created begin -
measure d true "$RUNS" "$work/net64.xml" -- /bin/true
measure d ours "$RUNS" "$work/net64.xml" -- "$build/hooks/network" pool64 start begin -
measure d shell "$((RUNS / 5))" "$work/net64.xml" -- "$here/ref-network.sh" pool64 start begin -

# The dry run writes and removes no record, so every pass and every restore run sees the same
# state: an empty directory for first touch, the N records for replay and restore.
for who in ours shell; do
	pool_pass f7 "$who" 7 9 "$empty"
	pool_pass f64 "$who" 64 3 "$empty"
	pool_pass r7 "$who" 7 9 "$work/recs7"
	pool_pass r64 "$who" 64 3 "$work/recs64"
done
for n in 7 64; do
	SRIOV_HOOKS_STATE_DIR=$work/recs$n measure "s$n" ours 30 "$work/net$n.xml" -- "$build/hooks/network" "pool$n" stopped end -
	SRIOV_HOOKS_STATE_DIR=$work/recs$n measure "s$n" shell 10 "$work/net$n.xml" -- "$here/ref-network.sh" "pool$n" stopped end -
done

# Both sides must plan the same work, or the comparison means nothing.
plans() { # who state-dir doc args...: the plan lines (stderr), counted
	local who=$1 st=$2 doc=$3; shift 3
	SRIOV_HOOKS_STATE_DIR=$st "$(hook_of "$who")" "$@" <"$doc" 2>&1 >/dev/null | grep -c -E '(^|: )(vf|restore) ' || true
}
for n in 7 64; do
	o=$(plans ours "$work/recs$n" "$work/net$n.xml" "pool$n" stopped end -)
	sh=$(plans shell "$work/recs$n" "$work/net$n.xml" "pool$n" stopped end -)
	[ "$o" = "$n" ] && [ "$sh" = "$n" ] ||
		{ echo "bench.sh: stopped end of pool$n planned $o restores (ours) and $sh (shell), not $n" >&2; exit 1; }
	for who in ours shell; do
		c=$(plans "$who" "$empty" "$work/port-$n-$((n - 1)).xml" "pool$n" port-created begin -)
		[ "$c" = 1 ] || { echo "bench.sh: port-created of pool$n planned $c VF changes ($who), not 1" >&2; exit 1; }
	done
done

label() {
	case $1 in
	a) echo "a. qemu start, 10 KB domain, no VF" ;;
	b) echo "b. port-created, one port" ;;
	d) echo "d. start begin, 64 VFs already active (no-op)" ;;
	f7) echo "e. first touch, 7 ports (total)" ;;
	f64) echo "e. first touch, 64 ports (total)" ;;
	r7) echo "e. replay, 7 ports, records present (total)" ;;
	r64) echo "e. replay, 64 ports, records present (total)" ;;
	s7) echo "e. restore: stopped end, 7 records" ;;
	s64) echo "e. restore: stopped end, 64 records" ;;
	esac
}
command_of() {
	local env='SRIOV_HOOKS_DRY_RUN=1 SRIOV_HOOKS_SYSFS=<fake tree>'
	case $1 in
	a) echo "runbench a $RUNS 10 domain-10k.xml -- HOOK vm1 start begin -   (HOOK: hooks/qemu | ref-qemu.sh; shell $RUNS runs)" ;;
	b) echo "$env runbench b $RUNS 10 port-64-7.xml -- HOOK pool64 port-created begin -   (shell: $((RUNS / 5)) runs)" ;;
	d) echo "$env runbench d $RUNS 10 net64.xml -- HOOK pool64 start begin -   (shell: $((RUNS / 5)) runs)" ;;
	f*|r*) local n=${1#?} k=9 st='<empty dir>'
		[ "$n" = 64 ] && k=3
		[ "${1:0:1}" = r ] && st="<N records>"
		echo "$env SRIOV_HOOKS_STATE_DIR=$st; for i in 0..$((n - 1)): runbench $1 $k 1 port-$n-\$i.xml -- HOOK pool$n port-created begin -; sum of medians" ;;
	s*) local n=${1#?}
		echo "$env SRIOV_HOOKS_STATE_DIR=<$n records> runbench s$n 30|10 10 net$n.xml -- HOOK pool$n stopped end -   (ours 30 runs, shell 10)" ;;
	esac
}

echo
echo "DRY RUN on a fake sysfs tree: no netlink request reaches a driver (see the header). HOOK is"
echo "hooks/network (ours) or tests/bench/ref-network.sh (shell); medians."
printf '\n%-48s %12s %12s %12s %8s %10s\n' scenario "ours ms" "shell ms" "/bin/true" "shell/us" "ours/true"
rows="a b d f7 r7 s7 f64 r64 s64"
for sc in $rows; do
	o=$(awk -v s=$sc '$1==s && $2=="ours" {print $3}' "$results")
	sh=$(awk -v s=$sc '$1==s && $2=="shell" {print $3}' "$results")
	t=$(awk -v s=$sc '$1==s && $2=="true" {print $3}' "$results")
	awk -v l="$(label "$sc")" -v o="$o" -v s="$sh" -v t="$t" 'BEGIN {
		printf "%-48s %12.3f %12.3f %12s %7.1fx %10s\n", l, o/1000, s/1000,
			(t == "" ? "-" : sprintf("%.3f", t/1000)), s/o, (t == "" ? "-" : sprintf("%.2fx", o/t)) }'
done
printf '\n%-48s %12s %12s\n' "peak RSS (KiB)" ours shell
for sc in $rows; do
	awk -v s=$sc -v l="$(label "$sc")" '$1==s && $2=="ours" {o=$5} $1==s && $2=="shell" {sh=$5}
		END {printf "%-48s %12d %12d\n", l, o, sh}' "$results"
done
echo
echo "commands:"
for sc in $rows; do printf '  %-4s %s\n' "$sc" "$(command_of "$sc")"; done

if command -v valgrind >/dev/null; then
	printf '\n%-48s %14s %14s\n' "callgrind instructions" ours /bin/true
	ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'; }
	printf '%-48s %14s %14s\n' "$(label a)" "$(ir "$build/hooks/qemu" vm1 start begin - <"$here/domain-10k.xml")" "$(ir /bin/true)"
	printf '%-48s %14s %14s\n' "$(label d)" "$(ir "$build/hooks/network" pool64 start begin - <"$work/net64.xml")" "$(ir /bin/true)"
fi
