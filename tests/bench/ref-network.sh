#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The reference a benchmark compares against: the network hook's start and port-created as a
# competent admin would write them in shell (bash + xmllint + ip), doing the same job: parse the
# document, activate VFs or find the port's VF index through sysfs, read the VF's state
# (`ip -d link show`), record the VF's original settings the first time (one file per VF under
# $SRIOV_HOOKS_STATE_DIR/ref: "PF INDEX NETWORK-UUID SPOOFCHK TRUST") and set what differs; at
# "stopped end", put back every VF this network recorded and no guest holds (not bound to
# vfio-pci), one `ip link set` per VF. With SRIOV_HOOKS_DRY_RUN=1 it prints instead of setting
# and writes or removes no record.
set -u
sys=${SRIOV_HOOKS_SYSFS:-/sys}
dry=${SRIOV_HOOKS_DRY_RUN:-0}
refstate=${SRIOV_HOOKS_STATE_DIR:-/var/lib/libvirt-sriov-hooks}/ref
op="$2 $3"
case "$op" in
"start begin"|"port-created begin"|"stopped end") ;;
*) exit 0 ;;
esac
doc=$(cat)
x() { xmllint --xpath "$1" - <<<"$doc" 2>/dev/null; }
mode=$(x 'string(/hookData/network/forward/@mode)')
[ "$mode" = hostdev ] || [ "$mode" = passthrough ] || exit 0
pf=$(x 'string(/hookData/network/forward/pf/@dev)')

if [ "$op" = "stopped end" ]; then
	uuid=$(x 'string(/hookData/network/uuid)')
	for r in "$refstate"/*; do
		[ -f "$r" ] || continue
		read -r rpf idx net sp tr <"$r"
		[ "$net" = "$uuid" ] || continue
		bdf=${r##*/}
		drv=$(readlink "$sys/bus/pci/devices/$bdf/driver")
		case ${drv##*/} in vfio-pci|pci-stub) continue ;; esac
		if [ "$dry" = 1 ]; then echo "restore $rpf $idx ($bdf) spoofchk $sp trust $tr" >&2; continue; fi
		ip link set "$rpf" vf "$idx" spoofchk "$sp" trust "$tr" && rm -f "$r"
	done
	exit 0
fi

if [ "$op" = "start begin" ]; then
	[ -n "$pf" ] || exit 0
	dev="$sys/class/net/$pf/device"
	[ -e "$dev/sriov_totalvfs" ] || { echo "$pf is not SR-IOV capable" >&2; exit 1; }
	read -r cur <"$dev/sriov_numvfs"
	read -r total <"$dev/sriov_totalvfs"
	[ "$cur" = 0 ] || exit 0
	if [ "$dry" = 1 ]; then echo "numvfs $pf $cur -> $total" >&2; exit 0; fi
	echo "$total" >"$dev/sriov_numvfs"
	exit 0
fi

d=$(x 'string(/hookData/networkport/plug/address/@domain)')
b=$(x 'string(/hookData/networkport/plug/address/@bus)')
s=$(x 'string(/hookData/networkport/plug/address/@slot)')
f=$(x 'string(/hookData/networkport/plug/address/@function)')
[ -n "$d" ] || exit 0
bdf=$(printf '%04x:%02x:%02x.%x' "$d" "$b" "$s" "$f")
if [ -z "$pf" ]; then
	pfbdf=$(basename "$(readlink "$sys/bus/pci/devices/$bdf/physfn")")
	pf=$(ls "$sys/bus/pci/devices/$pfbdf/net" | head -n 1)
fi
# One find for the virtfnN link that points at the VF (not a readlink per VF).
l=$(find "$sys/class/net/$pf/device/" -maxdepth 1 -name 'virtfn*' -lname "*/$bdf" -print -quit)
idx=${l##*virtfn}
[ -n "$idx" ] || { echo "$bdf is not a VF of $pf" >&2; exit 1; }
want=""
state=$(ip -d link show dev "$pf" 2>/dev/null | grep "^    vf $idx ")
[[ $state == *"spoof checking off"* ]] || want="$want spoofchk off"
[[ $state == *"trust on"* ]] || want="$want trust on"
[ -n "$want" ] || exit 0
if [ "$dry" = 1 ]; then echo "vf $pf $idx ($bdf)$want" >&2; exit 0; fi
if [ ! -e "$refstate/$bdf" ]; then
	sp=on tr=off
	[[ $state == *"spoof checking off"* ]] && sp=off
	[[ $state == *"trust on"* ]] && tr=on
	mkdir -p "$refstate"
	echo "$pf $idx $(x 'string(/hookData/network/uuid)') $sp $tr" >"$refstate/$bdf.tmp" &&
		mv "$refstate/$bdf.tmp" "$refstate/$bdf"
fi
# shellcheck disable=SC2086
ip link set "$pf" vf "$idx" $want
