#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What the built hooks touch, for deriving the SELinux module's permission list
# (install/selinux/libvirt_sriov_hooks.te, the table in tests/selinux/check-policy.sh): each hook
# operation that does work runs under `strace -f`, as libvirt runs it (cleared environment,
# LC_ALL=C, XML on stdin), against a fake sysfs whose PF is "lo" in a private network namespace,
# so the hooks' RTM_GETLINK is real. The fake PF reports no VFs over netlink: RTM_SETLINK is never
# reached here (the module's nlmsg_write comes from common/vf.c). Not a test: it prints the
# syscalls that name a path, a socket or a capability-relevant operation, counted, for a human.
#
#   sudo tests/selinux/strace-hooks.sh BUILDDIR [OUTDIR]
# BUILDDIR has hooks/network and hooks/qemu (ideally --disable-static-hooks, as the packages
# build them). Traces are kept in OUTDIR (default a temporary directory, printed).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: strace-hooks.sh BUILDDIR [OUTDIR]}" && pwd)
out=${2:-$(mktemp -d "${TMPDIR:-/tmp}/strace-hooks.XXXXXX")}
data=$top/tests/data
command -v strace >/dev/null || { echo "strace-hooks.sh: needs strace (apt-get install strace)" >&2; exit 2; }

if [ "${STRACE_HOOKS_NETNS:-}" != 1 ]; then
	STRACE_HOOKS_NETNS=1 exec unshare -n "$0" "$build" "$out"
fi

mkdir -p "$out"
T=$out/root
rm -rf "$T"
mkdir -p "$T"
pf=lo
pf_bdf=0000:01:00.0
d=$T/sys/bus/pci/devices
mkdir -p "$d/$pf_bdf/net/$pf" "$T/sys/class/net" "$T/sys/bus/pci/drivers/igb"
printf '7\n' >"$d/$pf_bdf/sriov_totalvfs"
printf '0\n' >"$d/$pf_bdf/sriov_numvfs"
ln -s ../../../../bus/pci/drivers/igb "$d/$pf_bdf/driver"
ln -s "../../../$pf_bdf" "$d/$pf_bdf/net/$pf/device"
ln -s "../../bus/pci/devices/$pf_bdf/net/$pf" "$T/sys/class/net/$pf"
n=0
for vf in 0000:01:10.0 0000:01:10.2 0000:01:10.4 0000:01:10.6 0000:01:10.1 0000:01:10.3 0000:01:10.5; do
	mkdir -p "$d/$vf"
	ln -s "../$pf_bdf" "$d/$vf/physfn"
	ln -s "../$vf" "$d/$pf_bdf/virtfn$n"
	n=$((n + 1))
done
printf '[defaults]\non-error = warn\n[pf lo]\nspoofchk = off\ntrust = on\n' >"$T/conf"

i=0
run() { # HOOK XML ARGS...
	local hook=$1 xml=$2
	shift 2
	i=$((i + 1))
	sed "s/enp1s0/$pf/g" "$xml" >"$T/in"
	echo "== $hook $*"
	strace -f -o "$out/trace.$i.$hook.$2" -s 80 env -i LC_ALL=C SRIOV_HOOKS_SYSFS="$T/sys" \
		SRIOV_HOOKS_STATE_DIR="$T/state" SRIOV_HOOKS_CONFIG="$T/conf" "$build/hooks/$hook" "$@" <"$T/in" || :
}
run network "$data/network/start-begin.xml" pool1 start begin -
run network "$data/network/port-created.xml" pool1 port-created begin -
run qemu "$data/qemu/prepare-override.xml" g1 prepare begin -
run qemu "$data/qemu/start-direct-hostdev.xml" g1 start begin -
run qemu "$data/qemu/start-pool-vf.xml" g1 reconnect begin -
run network "$data/network/port-deleted.xml" pool1 port-deleted begin -
run qemu "$data/qemu/release.xml" g1 release end -
run network "$data/network/stopped.xml" pool1 stopped end -

echo "== syscalls that name a file, a socket or a lock (all runs, counted; traces in $out)"
cat "$out"/trace.* | sed -E 's/^[0-9]+ +//' |
	grep -E '^(open|openat|mkdir|mkdirat|unlinkat|renameat|readlinkat|faccessat2?|access|flock|socket|bind|connect|sendmsg|sendto|setsockopt|getsockname|execve)\(' |
	grep -v '"/proc/self' | sed -E -e 's/nlmsg_pid=-?[0-9]+/nlmsg_pid=N/g' -e 's/, msg_iov=.*//' \
		-e 's/[0-9]{5,}/N/g' -e 's/\.tmp\.[0-9]+/.tmp.PID/' | cut -c1-160 | sort | uniq -c | sort -rn
