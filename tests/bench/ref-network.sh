#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The reference a benchmark compares against: the network hook's start and port-created as a
# competent admin would write them in shell (bash + xmllint + ip), doing the same job: parse the
# document, activate VFs or find the port's VF index through sysfs, read the VF's state
# (`ip -d link show`), and set what differs (or print it, with SRIOV_HOOKS_DRY_RUN=1).
set -u
sys=${SRIOV_HOOKS_SYSFS:-/sys}
dry=${SRIOV_HOOKS_DRY_RUN:-0}
op="$2 $3"
case "$op" in
"start begin"|"port-created begin") ;;
*) exit 0 ;;
esac
doc=$(cat)
x() { xmllint --xpath "$1" - <<<"$doc" 2>/dev/null; }
mode=$(x 'string(/hookData/network/forward/@mode)')
[ "$mode" = hostdev ] || [ "$mode" = passthrough ] || exit 0
pf=$(x 'string(/hookData/network/forward/pf/@dev)')

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
# shellcheck disable=SC2086
ip link set "$pf" vf "$idx" $want
