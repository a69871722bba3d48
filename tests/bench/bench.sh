#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The benchmark: our hooks side by side with the shell equivalent (ref-*.sh: bash + xmllint + ip)
# and with exec'ing /bin/true, in one run, on the same inputs:
#   a. qemu hook, start begin, a 10 KB domain with no VF
#   b. network hook, port-created, dry run against a fake sysfs tree (the real thing runs in the
#      VM harness: tests/vm/run.sh --script tests/bench/bench.sh)
#   c. a replay of port-created for 256 ports (256 VFs on one PF), dry run
#   d. network hook, start begin on a pool whose VFs are already active (the no-op path)
# Prints medians (runbench.c: fork+exec, stdin from a file, wait4 for peak RSS), ratios, and
# callgrind instruction counts for a and d.
#
#   tests/bench/bench.sh [BUILDDIR]     (default: build-test/plain, then build/)
# Needs: gcc, xmllint (libxml2-utils), iproute2, valgrind.
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
NVF=256

# A fake sysfs tree: PF sriovbench0 at 0000:3b:00.0 with 256 active VFs, links relative as in /sys.
sys=$work/sys
pfbdf=0000:3b:00.0
mkdir -p "$sys/class/net" "$sys/bus/pci/devices/$pfbdf/net/sriovbench0"
ln -s "../../bus/pci/devices/$pfbdf/net/sriovbench0" "$sys/class/net/sriovbench0"
ln -s "../../../$pfbdf" "$sys/bus/pci/devices/$pfbdf/net/sriovbench0/device"
echo $NVF >"$sys/bus/pci/devices/$pfbdf/sriov_numvfs"
echo $NVF >"$sys/bus/pci/devices/$pfbdf/sriov_totalvfs"
vfbdf() { printf '0000:%02x:%02x.%x' $((0x3c + $1 / 128)) $(($1 % 128 / 8)) $(($1 % 8)); }
for i in $(seq 0 $((NVF - 1))); do
	b=$(vfbdf "$i")
	mkdir -p "$sys/bus/pci/devices/$b"
	ln -s "../$pfbdf" "$sys/bus/pci/devices/$b/physfn"
	ln -s "../$b" "$sys/bus/pci/devices/$pfbdf/virtfn$i"
done

portdoc() { # index -> file
	local b; b=$(vfbdf "$1")
	cat >"$work/port$1.xml" <<XML
<hookData>
  <network connections='1'>
    <name>pool1</name>
    <uuid>56380527-2c38-4bbe-9d8c-506167e5a692</uuid>
    <forward mode='hostdev' managed='yes'>
      <pf dev='sriovbench0'/>
    </forward>
  </network>
  <networkport>
    <uuid>62f3066b-c2ed-43b0-9cd3-faa5228560b6</uuid>
    <owner>
      <name>g$1</name>
      <uuid>723da1c4-8803-482b-b241-4bf728c256df</uuid>
    </owner>
    <mac address='52:54:00:aa:bb:01'/>
    <plug type='hostdev-pci' managed='yes'>
      <address domain='0x${b:0:4}' bus='0x${b:5:2}' slot='0x${b:8:2}' function='0x${b:11:1}'/>
    </plug>
  </networkport>
</hookData>
XML
}
for i in $(seq 0 $((NVF - 1))); do portdoc "$i"; done
cat >"$work/start.xml" <<XML
<hookData>
  <network>
    <name>pool1</name>
    <uuid>56380527-2c38-4bbe-9d8c-506167e5a692</uuid>
    <forward mode='hostdev' managed='yes'>
      <pf dev='sriovbench0'/>
    </forward>
  </network>
</hookData>
XML

export SRIOV_HOOKS_SYSFS=$sys SRIOV_HOOKS_STATE_DIR=$work/state SRIOV_HOOKS_DRY_RUN=1
rb() { "$work/runbench" "$@"; }
results=$work/results
: >"$results"
measure() { # scenario name runs input -- cmd...
	local sc=$1 name=$2 runs=$3 input=$4; shift 5
	echo "$sc $(rb "$name" "$runs" 10 "$input" -- "$@")" >>"$results"
}

echo "bench: $RUNS runs each; build $build"
measure a true "$RUNS" "$here/domain-10k.xml" -- /bin/true
measure a ours "$RUNS" "$here/domain-10k.xml" -- "$build/hooks/qemu" vm1 start begin -
measure a shell "$RUNS" "$here/domain-10k.xml" -- "$here/ref-qemu.sh" vm1 start begin -
measure b true "$RUNS" "$work/port7.xml" -- /bin/true
measure b ours "$RUNS" "$work/port7.xml" -- "$build/hooks/network" pool1 port-created begin -
measure b shell "$((RUNS / 5))" "$work/port7.xml" -- "$here/ref-network.sh" pool1 port-created begin -
measure d true "$RUNS" "$work/start.xml" -- /bin/true
measure d ours "$RUNS" "$work/start.xml" -- "$build/hooks/network" pool1 start begin -
measure d shell "$((RUNS / 5))" "$work/start.xml" -- "$here/ref-network.sh" pool1 start begin -

# c: one run per port, 256 ports, each measured 3 times; the total is the sum of medians.
for who in ours shell; do
	total=0 rss=0
	for i in $(seq 0 $((NVF - 1))); do
		if [ $who = ours ]; then cmd=("$build/hooks/network"); else cmd=("$here/ref-network.sh"); fi
		read -r _ med _ r _ < <(rb c 3 0 "$work/port$i.xml" -- "${cmd[@]}" pool1 port-created begin -)
		total=$((total + med))
		[ "$r" -gt "$rss" ] && rss=$r
	done
	echo "c $who $total $total $rss 0" >>"$results"
done

printf '\n%-48s %12s %12s %12s %8s %10s\n' scenario "ours ms" "shell ms" "/bin/true" "shell/us" "ours/true"
label() {
	case $1 in
	a) echo "a. qemu start, 10 KB domain, no VF" ;;
	b) echo "b. port-created, dry run, fake sysfs" ;;
	c) echo "c. replay of port-created, 256 ports (total)" ;;
	d) echo "d. start begin, VFs already active (no-op)" ;;
	esac
}
for sc in a b c d; do
	o=$(awk -v s=$sc '$1==s && $2=="ours" {print $3}' "$results")
	sh=$(awk -v s=$sc '$1==s && $2=="shell" {print $3}' "$results")
	t=$(awk -v s=$sc '$1==s && $2=="true" {print $3}' "$results")
	awk -v l="$(label $sc)" -v o="$o" -v s="$sh" -v t="$t" 'BEGIN {
		printf "%-48s %12.3f %12.3f %12s %7.1fx %10s\n", l, o/1000, s/1000,
			(t == "" ? "-" : sprintf("%.3f", t/1000)), s/o, (t == "" ? "-" : sprintf("%.2fx", o/t)) }'
done
printf '\n%-48s %12s %12s\n' "peak RSS (KiB)" ours shell
for sc in a b c d; do
	awk -v s=$sc -v l="$(label $sc)" '$1==s && $2=="ours" {o=$5} $1==s && $2=="shell" {sh=$5}
		END {printf "%-48s %12d %12d\n", l, o, sh}' "$results"
done

if command -v valgrind >/dev/null; then
	printf '\n%-48s %14s %14s\n' "callgrind instructions" ours /bin/true
	ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'; }
	printf '%-48s %14s %14s\n' "$(label a)" "$(ir "$build/hooks/qemu" vm1 start begin - <"$here/domain-10k.xml")" "$(ir /bin/true)"
	printf '%-48s %14s %14s\n' "$(label d)" "$(ir "$build/hooks/network" pool1 start begin - <"$work/start.xml")" "$(ir /bin/true)"
fi
