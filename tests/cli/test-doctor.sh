#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# sriov-hooks doctor: every check, once passing and once failing, against a fake root (etc/,
# proc/), a fake sysfs tree, libvirt's test driver and a fake kernel at the libnl boundary.
. "${srcdir:-.}/tests/cli/lib.sh"
need_fakecli
mk_host
echo 0x1003 >"$SYS/bus/pci/devices/0000:3c:00.0/net/sriovtest1/flags" # both PFs up
SRIOV_TEST_FAKEVF=$FAKEVF_GOOD
export SRIOV_TEST_FAKEVF

# A healthy host: IOMMU on, both hooks installed as real executables, libvirtd started after
# them, AppArmor allowing them.
mkdir -p "$SYS/kernel/iommu_groups/0" "$SYS/kernel/iommu_groups/1" "$ROOT/etc/libvirt/hooks"
echo 'BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro intel_iommu=on iommu=pt quiet' >"$ROOT/proc/cmdline"
for h in network qemu; do
	cp "$PWD/hooks/$h" "$ROOT/etc/libvirt/hooks/$h"
	chmod 0755 "$ROOT/etc/libvirt/hooks/$h"
done
now=$(date +%s)
# btime: boot time; the daemon started 100 ticks after it.
set_btime() { printf 'cpu  1 2 3 4\nbtime %s\nprocesses 42\n' "$1" >"$ROOT/proc/stat"; }
set_btime $((now + 3600))
mkdir -p "$ROOT/proc/4242"
echo libvirtd >"$ROOT/proc/4242/comm"
echo '4242 (libvirtd) S 1 4242 4242 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 17 0 100 1 2 3' \
	>"$ROOT/proc/4242/stat"
mkdir -p "$SYS/module/apparmor/parameters" "$ROOT/etc/apparmor.d/local"
echo Y >"$SYS/module/apparmor/parameters/enabled"
printf 'profile libvirtd /usr/sbin/libvirtd {\n  /etc/libvirt/hooks/** rmix,\n}\n' \
	>"$ROOT/etc/apparmor.d/usr.sbin.libvirtd"

doctor() { # NAME [OPTION...]
	name=$1
	shift
	run "$name" "$FAKECLI" -c "$URI" --sysfs "$SYS" --root "$ROOT" --state-dir "$STATE" "$@" doctor
}

doctor pass
expect_rc pass 0
expect_no_grep pass '^\[FAIL\]'
expect_grep pass '^\[ ok \] IOMMU: 2 IOMMU groups'
expect_grep pass '^\[ ok \] network hook: /etc/libvirt/hooks/network, an executable file'
expect_grep pass '^\[ ok \] qemu hook: /etc/libvirt/hooks/qemu, an executable file'
expect_grep pass '^\[ ok \] network hook active: libvirtd \(pid 4242\) started after'
expect_grep pass '^\[ ok \] qemu hook active: libvirtd \(pid 4242\)'
expect_grep pass '^\[ ok \] AppArmor: enabled; usr.sbin.libvirtd allow'
expect_grep pass '^\[ ok \] libvirt: connected to test://'
expect_grep pass '^\[ ok \] PF sriovtest0 link \(network pool-a\): sriovtest0 is up'
expect_grep pass '^\[ ok \] VF count \(PF sriovtest0, network pool-a\): 4 of 8 VFs'
expect_grep pass '^\[ ok \] driver support \(PF sriovtest0, network pool-a\): the igb driver reports spoofchk, trust'
expect_grep pass '^no problems found|^0 problems'

doctor pass-json --json
expect_rc pass-json 0
expect_json pass-json
jq_eq pass-json '.problems' 0

# IOMMU: no groups.
rm -rf "$SYS/kernel/iommu_groups/0" "$SYS/kernel/iommu_groups/1"
doctor iommu-firmware
expect_rc iommu-firmware 1
expect_grep iommu-firmware '^\[FAIL\] IOMMU: no IOMMU groups .* it is off in the firmware'
expect_grep iommu-firmware 'fix: enable VT-d'
echo 'BOOT_IMAGE=/vmlinuz ro quiet' >"$ROOT/proc/cmdline"
doctor iommu-cmdline
expect_grep iommu-cmdline '^\[FAIL\] IOMMU: no IOMMU groups .* no intel_iommu=on on the kernel command line'
mkdir -p "$SYS/kernel/iommu_groups/0"
echo 'BOOT_IMAGE=/vmlinuz ro intel_iommu=off' >"$ROOT/proc/cmdline"
doctor iommu-off
expect_grep iommu-off '^\[FAIL\] IOMMU: the kernel command line turns the IOMMU off'
echo 'BOOT_IMAGE=/vmlinuz ro intel_iommu=on' >"$ROOT/proc/cmdline"

# Hooks: missing, a symlink, not executable; and ours in network.d/ beside an admin's hook.
H=$ROOT/etc/libvirt/hooks
mv "$H/network" "$T/network.bin"
doctor hook-missing
expect_rc hook-missing 1
expect_grep hook-missing '^\[FAIL\] network hook: no hook of ours at /etc/libvirt/hooks/network'
expect_grep hook-missing 'fix: install the hooks'
ln -s "$T/network.bin" "$H/network"
doctor hook-symlink
expect_rc hook-symlink 1
expect_grep hook-symlink '^\[FAIL\] network hook: /etc/libvirt/hooks/network is a symbolic link'
rm "$H/network"
printf '#!/bin/sh\nexit 0\n' >"$H/network"
chmod 0755 "$H/network"
mkdir -p "$H/network.d"
cp "$T/network.bin" "$H/network.d/libvirt-sriov-hooks"
chmod 0644 "$H/network.d/libvirt-sriov-hooks"
doctor hook-noexec
expect_rc hook-noexec 1
expect_grep hook-noexec '^\[FAIL\] network hook: /etc/libvirt/hooks/network.d/libvirt-sriov-hooks is not executable'
expect_grep hook-noexec 'fix: chmod 0755 /etc/libvirt/hooks/network.d/libvirt-sriov-hooks'
chmod 0755 "$H/network.d/libvirt-sriov-hooks"
doctor hook-dotd
expect_grep hook-dotd '^\[ ok \] network hook: /etc/libvirt/hooks/network.d/libvirt-sriov-hooks, an executable'

# The daemon started before the hooks were installed: not active yet.
set_btime 1000
doctor daemon-old
expect_rc daemon-old 1
expect_grep daemon-old '^\[FAIL\] network hook active: libvirtd \(pid 4242\) started at .* before the hook was installed'
expect_grep daemon-old 'fix: systemctl reload libvirtd'
rm -rf "$ROOT/proc/4242"
doctor daemon-none
expect_grep daemon-none '^\[warn\] network hook active: neither libvirtd nor virtnetworkd is running'
set_btime $((now + 3600))
mkdir -p "$ROOT/proc/4243"
echo virtnetworkd >"$ROOT/proc/4243/comm"
echo '4243 (virtnetworkd) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 1 2 3' >"$ROOT/proc/4243/stat"
doctor daemon-split
expect_grep daemon-split '^\[ ok \] network hook active: virtnetworkd \(pid 4243\) started after'
expect_grep daemon-split '^\[warn\] qemu hook active: neither libvirtd nor virtqemud is running'

# AppArmor: a profile without the hooks rule; then the rule in local/.
printf 'profile virtqemud /usr/sbin/virtqemud {\n  #include <abstractions/base>\n}\n' \
	>"$ROOT/etc/apparmor.d/usr.sbin.virtqemud"
doctor apparmor-norule
expect_rc apparmor-norule 1
expect_grep apparmor-norule '^\[FAIL\] AppArmor: the AppArmor profile /etc/apparmor.d/usr.sbin.virtqemud has no rule'
expect_grep apparmor-norule "fix: add the line '/etc/libvirt/hooks/\*\* rmix,' to /etc/apparmor.d/local/usr.sbin.virtqemud"
echo '/etc/libvirt/hooks/** rmix,' >"$ROOT/etc/apparmor.d/local/usr.sbin.virtqemud"
doctor apparmor-local
expect_grep apparmor-local '^\[ ok \] AppArmor: enabled; usr.sbin.libvirtd, usr.sbin.virtqemud allow'
echo N >"$SYS/module/apparmor/parameters/enabled"
doctor apparmor-off
expect_grep apparmor-off '^\[ ok \] AppArmor: AppArmor is not enabled'

# PF link down.
echo 0x1002 >"$SYS/bus/pci/devices/0000:3b:00.0/net/sriovtest0/flags"
doctor pf-down
expect_rc pf-down 1
expect_grep pf-down '^\[FAIL\] PF sriovtest0 link \(network pool-a\): sriovtest0 is down'
expect_grep pf-down 'fix: ip link set sriovtest0 up'
echo 0x1003 >"$SYS/bus/pci/devices/0000:3b:00.0/net/sriovtest0/flags"

# A driver that reports -1 for trust.
SRIOV_TEST_FAKEVF='sriovtest0=52:54:00:00:00:01,0,1,-1,0;00:00:00:00:00:00,0,1,-1,0|sriovtest1=00:00:00:00:00:00,0,1,0,0;00:00:00:00:00:00,0,1,0,0'
doctor driver
expect_rc driver 1
expect_grep driver '^\[FAIL\] driver support \(PF sriovtest0, network pool-a\): the igb driver of sriovtest0 reports no trust'
expect_grep driver "fix: set those attributes to 'keep'"
SRIOV_TEST_FAKEVF=$FAKEVF_GOOD
# Netlink unreadable (the plain CLI, real kernel): a warning, not a failure.
run driver-unknown "$CLI" -c "$URI" --sysfs "$SYS" --root "$ROOT" --state-dir "$STATE" doctor
expect_grep driver-unknown '^\[warn\] driver support \(PF sriovtest0, network pool-a\): cannot read the VFs of sriovtest0'

# The VF count: not what the policy asks for; none at all while the network is active.
echo 2 >"$SYS/bus/pci/devices/0000:3b:00.0/sriov_numvfs"
doctor numvfs-mismatch
expect_rc numvfs-mismatch 1
expect_grep numvfs-mismatch '^\[FAIL\] VF count \(PF sriovtest0, network pool-a\): sriovtest0 has 2 VFs, the policy asks for 4'
expect_grep numvfs-mismatch 'fix: stop the guests using its VFs, then echo 0 > /sys/bus/pci/devices/0000:3b:00.0/sriov_numvfs'
echo 0 >"$SYS/bus/pci/devices/0000:3b:00.0/sriov_numvfs"
doctor numvfs-zero
expect_grep numvfs-zero '^\[FAIL\] VF count \(PF sriovtest0, network pool-a\): the network is active but sriovtest0 has no VFs'
echo 4 >"$SYS/bus/pci/devices/0000:3b:00.0/sriov_numvfs"

# A pool with an invalid policy.
run policy-bad "$FAKECLI" -c "test://$DATA/node-bad-policy.xml" --sysfs "$SYS" --root "$ROOT" \
	--state-dir "$STATE" doctor
expect_rc policy-bad 1
expect_grep policy-bad "^\[FAIL\] network pool-bad: invalid policy in <metadata>: invalid value 'maybe' for attribute 'trust'"
expect_grep policy-bad 'fix: virsh net-edit pool-bad'

# No libvirt: the host checks still run, and the connection is a problem.
run nolibvirt "$CLI" -c "test:///$T/no-such-node.xml" --sysfs "$SYS" --root "$ROOT" doctor
expect_rc nolibvirt 1
expect_grep nolibvirt '^\[FAIL\] libvirt: cannot connect'
expect_grep nolibvirt '^\[ ok \] IOMMU'
expect_grep nolibvirt 'cannot connect to libvirt at' err

finish
