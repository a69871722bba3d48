#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The bookworm-selinux flavour's part of the image recipe, run by build-image.sh after the common
# part (packages, /sbin/test-init), with proc, sys and dev still mounted in ROOT. run.sh hashes
# this file into the flavour's cache key.
#
# usage: image-bookworm-selinux.sh ROOT OUTDIR
#
# What it adds to the bookworm image (libvirt 9.0, Linux 6.1):
#   - Debian's reference policy (selinux-policy-default), the tools to build and load a module
#     (selinux-policy-dev, policycoreutils, semodule), to query it (setools: seinfo, sesearch),
#     and auditd, so that no AVC line is lost to printk's rate limit;
#   - /etc/selinux/config: enforcing, policy "default";
#   - a test-only module, sriov_vmtest (below): libvirt's own domains permissive, the labels the
#     harness's PID 1 needs;
#   - /sbin/test-init-selinux, PID 1 of this flavour: loads the policy, then re-executes
#     /sbin/test-init, which the policy then runs as init_t;
#   - every file of the image labelled by setfiles with the policy's file_contexts (mkfs.ext4
#     -d copies the security.selinux attributes into the image);
#   - info: the kernel arguments (security=selinux ...), the LSM line of the report, and no
#     two-host run (two more guests loading the module: minutes of CI for hooks that do the same
#     in that domain as in the single-host scenarios).
# Our own module (install/selinux/ of the tree under test) is not in the image: the guest
# builds and loads it at each run (guest/selinux.sh), as the installer does on a host.
set -euo pipefail

root=$1 out=$2

in_root()
{
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
		/bin/sh -ec "$1" 2>&1
}

t0=$SECONDS
in_root "
	apt-get -q update
	apt-get -q install -y --no-install-recommends selinux-policy-default selinux-policy-dev \
		policycoreutils selinux-utils setools auditd make m4 checkpolicy
	apt-get clean
	rm -rf /var/lib/apt/lists/*
"
echo "build-image: selinux packages $((SECONDS - t0)) s" >&2

cat >"$root/etc/selinux/config" <<'EOF'
SELINUX=enforcing
SELINUXTYPE=default
EOF

# The syslog daemon of the guest (lib.sh starts busybox syslogd) must run in syslogd_t, as a
# host's does: the hooks' syslog() then sends to a syslogd_t socket, which is what the
# policy's logging_send_syslog_msg grants. The policy labels /usr/sbin/syslogd syslogd_exec_t.
cp "$root/bin/busybox" "$root/usr/sbin/syslogd"

# PID 1: the policy must be loaded before anything is mounted or created, so that every
# mount and file of the run gets its label from the policy.
cat >"$root/sbin/test-init-selinux" <<'INIT'
#!/bin/sh
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
# Initial policy load: mounts selinuxfs, loads /etc/selinux/default/policy, sets the mode from
# /etc/selinux/config and enforcing= (load_policy -i is what init systems call).
load_policy -i || echo "test-init-selinux: load_policy -i failed"
# devtmpfs was populated before the policy existed: label it as an init system does.
restorecon -R /dev 2>/dev/null
# The policy has no rule for 9p (its files would be unlabeled_t, which even init_t may not
# read): mount the shares with one label of the test module (test-init then leaves them).
modprobe 9pnet_virtio
modprobe 9p
mkdir -p /mnt/src /mnt/out
o=trans=virtio,version=9p2000.L,msize=262144,context=system_u:object_r:sriov_vmtest_share_t:s0
mount -t 9p -o $o,ro src /mnt/src
mount -t 9p -o $o out /mnt/out
echo "test-init-selinux: $(sed 's/1/enforcing/;s/0/permissive/' /sys/fs/selinux/enforce 2>/dev/null), $(cat /proc/self/attr/current 2>/dev/null | tr -d '\0')"
# The kernel runs init_exec_t files as init_t (kernel_domtrans_to): test-init carries that label.
exec /sbin/test-init
INIT
chmod 755 "$root/sbin/test-init-selinux"

# The test-only module. Never part of what users install; everything in it is scaffolding of
# this harness, none of it grants anything to sriov_hooks_t.
mkdir -p "$root/usr/share/sriov-vmtest"
cat >"$root/usr/share/sriov-vmtest/sriov_vmtest.te" <<'EOF'
policy_module(sriov_vmtest, 1.0)

gen_require(`
	type virtd_t, virsh_t, qemu_t, svirt_t, syslogd_t;
')

# The harness's 9p shares (/mnt/src read-only, /mnt/out), mounted with context= (the policy has
# no labelling rule for 9p). Only the harness's shell (init_t, unconfined) and libvirt's
# permissive domains touch them.
type sriov_vmtest_share_t;
files_type(sriov_vmtest_share_t)

# libvirt's own domains (and the nested QEMU) are confined in Debian's reference policy, but
# that policy was not written for libvirt 9 run by hand without systemd, dbus or virtlogd:
# they run permissive (their AVCs are logged, not enforced). Our domain is not among them.
permissive virtd_t;
permissive virsh_t;
permissive qemu_t;
permissive svirt_t;
# busybox as syslogd (tests/vm: lib.sh), not the rsyslog the policy was written for.
permissive syslogd_t;
EOF
cat >"$root/usr/share/sriov-vmtest/sriov_vmtest.fc" <<'EOF'
/usr/sbin/test-init	--	gen_context(system_u:object_r:init_exec_t,s0)
/usr/sbin/test-init-selinux	--	gen_context(system_u:object_r:init_exec_t,s0)
EOF
: >"$root/usr/share/sriov-vmtest/sriov_vmtest.if"

t1=$SECONDS
in_root "
	cd /usr/share/sriov-vmtest
	make -f /usr/share/selinux/devel/Makefile sriov_vmtest.pp
	# Debian's spamassassin module (2:2.20221101-9) holds one file context twice
	# (/var/log/rspamd(/.*)?); libsepol 3.4 then fails a policy rebuild now and then with
	# 'Found conflicting filecon rules'. Nothing here needs it: disabled, in the same rebuild.
	semodule -n -d spamassassin -i sriov_vmtest.pp
	semodule -l | grep -qx sriov_vmtest
	# Not the mounted /proc, /sys and /dev (the host's /dev, bound in).
	setfiles -e /proc -e /sys -e /dev -F /etc/selinux/default/contexts/files/file_contexts /
	ls -Z /usr/sbin/test-init /usr/sbin/syslogd /usr/sbin/libvirtd
"
echo "build-image: selinux module and labels $((SECONDS - t1)) s" >&2

# Read by run.sh: kernel arguments and the report's LSM column.
cat >>"$out/info" <<'EOF'
append="init=/sbin/test-init-selinux security=selinux enforcing=1 audit=1 audit_backlog_limit=8192"
lsm="selinux enforcing (refpolicy)"
migrate="no"
EOF
