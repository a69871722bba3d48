#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Test-only hook of the two-host migration scenarios (tests/vm/migrate.sh), installed by
# guest/migrate-main.sh as /etc/libvirt/hooks/network.d/zz-order and qemu.d/zz-order, so libvirt
# runs it after the project's own hook (network.d/libvirt-sriov-hooks: .d/ entries run in strcmp
# order) for every call. It changes nothing and prints nothing (the
# qemu `migrate` hook's stdout is read by libvirt): it appends one line per call to
# /run/vm-mig/order.log ("HOOK ARGV...") and, at qemu `GUEST started begin`, a snapshot of
# `ip -d link` of every SR-IOV PF to /run/vm-mig/started-GUEST.txt. On an incoming migration
# `started begin` runs before the guest's CPUs resume, so the snapshot shows what the VF had
# when the guest could first use it.
dir=/run/vm-mig
mkdir -p "$dir" 2>/dev/null || exit 0
hook=$(basename "$(dirname "$0")" .d)
cat >/dev/null
echo "$(cut -d' ' -f1 /proc/uptime) $hook $*" >>"$dir/order.log"
if [ "$hook" = qemu ] && [ "$2" = started ] && [ "$3" = begin ]; then
	for n in /sys/class/net/*; do
		[ -e "$n/device/sriov_totalvfs" ] || continue
		ip -d link show dev "$(basename "$n")"
	done >"$dir/started-$1.txt" 2>&1
fi
exit 0
