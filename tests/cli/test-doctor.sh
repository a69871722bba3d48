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
# A zombie libvirtd from before the hooks (exited under an init that never reaps it): not a
# daemon that runs them, so no "started before the hook" problem.
mkdir -p "$ROOT/proc/4100"
echo libvirtd >"$ROOT/proc/4100/comm"
echo '4100 (libvirtd) Z 1 4100 4100 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 50 0 0 0' \
	>"$ROOT/proc/4100/stat"
mkdir -p "$SYS/module/apparmor/parameters" "$ROOT/etc/apparmor.d/local"
echo Y >"$SYS/module/apparmor/parameters/enabled"
printf 'profile libvirtd /usr/sbin/libvirtd {\n  /etc/libvirt/hooks/** rmix,\n}\n' \
	>"$ROOT/etc/apparmor.d/usr.sbin.libvirtd"
mkdir -p "$SYS/kernel/security/apparmor"
printf 'libvirtd (enforce)\nlibvirtd//qemu_bridge_helper (enforce)\n' \
	>"$SYS/kernel/security/apparmor/profiles"

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
expect_grep pass '^\[ ok \] AppArmor profiles: libvirtd \(enforce\), virtqemud unconfined \(no profile loaded\), virtnetworkd unconfined'
expect_grep pass '^\[warn\] qemu hook path: our hook holds the main path /etc/libvirt/hooks/qemu: a package that ships one there \(vdsm'
expect_grep pass 'fix: mkdir -p /etc/libvirt/hooks/qemu.d && mv /etc/libvirt/hooks/qemu /etc/libvirt/hooks/qemu.d/libvirt-sriov-hooks'
expect_grep pass '^\[ ok \] SELinux: disabled \(no /sys/fs/selinux/enforce\)'
expect_no_grep pass '^\[....\] SELinux (module|boolean|labels)'
expect_grep pass '^\[ ok \] NetworkManager: no connection sets SR-IOV on a PF of a pool or of the host file'
expect_grep pass '^\[ ok \] neutron SR-IOV agent: not configured'
expect_grep pass '^\[ ok \] libvirt: connected to test://'
expect_grep pass '^\[ ok \] PF sriovtest0 link \(network pool-a\): sriovtest0 is up'
expect_grep pass '^\[ ok \] VF count \(PF sriovtest0, network pool-a\): 4 of 8 VFs'
expect_grep pass '^\[ ok \] driver support \(PF sriovtest0, network pool-a\): the igb driver reports spoofchk, trust'
expect_grep pass '^no problems found|^0 problems'

doctor pass-json --json
expect_rc pass-json 0
expect_json pass-json
expect_golden_json pass-json
jq_eq pass-json '.schema' sriov-hooks-doctor
jq_eq pass-json '.schema_version' 1
jq_eq pass-json '.problems' 0

# IOMMU: no groups.
rm -rf "$SYS/kernel/iommu_groups/0" "$SYS/kernel/iommu_groups/1"
doctor iommu-firmware
expect_rc iommu-firmware 1
expect_grep iommu-firmware '^\[FAIL\] IOMMU: no IOMMU groups .* it is off in the firmware'
expect_grep iommu-firmware 'fix: enable VT-d'
# The same as JSON, exactly: what a fleet check (install/ansible) reads.
doctor iommu-firmware-json --json
expect_rc iommu-firmware-json 1
expect_json iommu-firmware-json
expect_golden_json iommu-firmware-json
jq_eq iommu-firmware-json '.problems' 1
jq_eq iommu-firmware-json '[.checks[] | select(.result == "fail") | .check] | join(",")' IOMMU
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

# Booted two hours ago, the daemon (re)started a minute from now: field 22 of its stat, in clock
# ticks (100 a second), not field 21 (itrealvalue, always 0, which would put the start at boot).
# Seen in the VMs: a libvirtd restarted after the install read as started before it.
set_btime $((now - 7200))
echo '4242 (libvirtd) S 1 4242 4242 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 17 0 726000 1 2 3' \
	>"$ROOT/proc/4242/stat"
doctor daemon-restarted
expect_grep daemon-restarted '^\[ ok \] network hook active: libvirtd \(pid 4242\) started after'
echo '4242 (libvirtd) S 1 4242 4242 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 17 0 100 1 2 3' \
	>"$ROOT/proc/4242/stat"

# The daemon started before the hooks were installed: not active yet.
set_btime 1000
doctor daemon-old
expect_rc daemon-old 1
expect_grep daemon-old '^\[FAIL\] network hook active: libvirtd \(pid 4242\) started at .* before the hook was installed'
expect_grep daemon-old 'fix: systemctl reload libvirtd'
expect_grep daemon-old 'no reload since is on record'
# The installer reloaded it after the install and recorded that: seen. A record of another PID
# (a daemon since restarted), of another daemon, or from before the install is no reload of it.
mkdir -p "$ROOT/run"
printf 'virtqemud 4242 %s\nlibvirtd 4241 %s\nlibvirtd 4242 %s\n' "$((now + 60))" "$((now + 60))" "$((now - 60))" \
	>"$ROOT/run/libvirt-sriov-hooks.reloaded"
doctor reload-stale
expect_rc reload-stale 1
expect_grep reload-stale '^\[FAIL\] network hook active: libvirtd \(pid 4242\) started at .* no reload since is on record'
printf 'libvirtd 4242 %s\n' "$((now + 60))" >>"$ROOT/run/libvirt-sriov-hooks.reloaded"
doctor reloaded
expect_grep reloaded '^\[ ok \] network hook active: libvirtd \(pid 4242\) reloaded by the installer at .* after the hook was installed'
expect_grep reloaded '^\[ ok \] qemu hook active: libvirtd \(pid 4242\) reloaded by the installer at'
rm -f "$ROOT/run/libvirt-sriov-hooks.reloaded"
rm -rf "$ROOT/proc/4242"
doctor daemon-none
expect_grep daemon-none '^\[warn\] network hook active: neither libvirtd nor virtnetworkd is running'
expect_no_grep daemon-none 'pid 4100'
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

# The package that owns a main hook path: vdsm ships /etc/libvirt/hooks/qemu, which now holds ours
# (dpkg's database); an rpm database answers through rpm (a fake first in PATH) for network.
mkdir -p "$ROOT/var/lib/dpkg/info"
printf '/etc/libvirt\n/etc/libvirt/hooks\n/etc/libvirt/hooks/qemu\n' >"$ROOT/var/lib/dpkg/info/vdsm.list"
doctor owner-dpkg
expect_rc owner-dpkg 1
expect_grep owner-dpkg "^\[FAIL\] qemu hook path: /etc/libvirt/hooks/qemu belongs to package vdsm but holds our hook: vdsm's own hook is gone"
expect_grep owner-dpkg 'fix: reinstall vdsm \(dnf reinstall vdsm, or apt-get install --reinstall vdsm\), and install ours into /etc/libvirt/hooks/qemu.d/'
expect_grep owner-dpkg "^\[ ok \] network hook path: /etc/libvirt/hooks/network is an admin's own hook"
rm -rf "${ROOT:?}/var/lib/dpkg"
mkdir -p "$T/bin" "$ROOT/var/lib/rpm"
printf '%s\n' '#!/bin/sh' \
	"[ \"\$1 \$2 \$3\" = \"--root $ROOT -qf\" ] || exit 9" \
	'[ "$6" = /etc/libvirt/hooks/network ] && { echo vdsm-hook-x; exit 0; }' \
	'echo "file $6 is not owned by any package"; exit 1' >"$T/bin/rpm"
chmod 0755 "$T/bin/rpm"
PATH=$T/bin:$PATH doctor owner-rpm
expect_grep owner-rpm '^\[ ok \] network hook path: /etc/libvirt/hooks/network belongs to package vdsm-hook-x, whose upgrades overwrite it: ours must stay in /etc/libvirt/hooks/network.d/'
expect_grep owner-rpm '^\[warn\] qemu hook path: our hook holds the main path'
rm -rf "${ROOT:?}/var/lib/rpm"

# SELinux enforcing, with a policy that confines the daemons that run hooks (it has the boolean,
# off) and no module of ours: every net-start would fail.
mkdir -p "$SYS/fs/selinux/booleans"
echo 1 >"$SYS/fs/selinux/enforce"
echo '0 0' >"$SYS/fs/selinux/booleans/virt_hooks_unconfined"
doctor selinux-nomodule
expect_rc selinux-nomodule 1
expect_grep selinux-nomodule '^\[ ok \] SELinux: enforcing \(policy targeted\)'
expect_grep selinux-nomodule '^\[FAIL\] SELinux module libvirt_sriov_hooks: not loaded, and virt_hooks_unconfined is off: .* every net-start fails'
expect_grep selinux-nomodule 'fix: install the libvirt-sriov-hooks-selinux package, or semodule -i /usr/share/selinux/packages/targeted/libvirt_sriov_hooks.pp.bz2'
expect_grep selinux-nomodule '^\[warn\] SELinux boolean virt_hooks_unconfined: off, and our module is not loaded'
expect_grep selinux-nomodule '^\[warn\] SELinux labels: .* \(these types come with our module\)'
# Our module in the store; the labels (the tests' build reads them from user.sriov_test_selinux).
mkdir -p "$ROOT/var/lib/selinux/targeted/active/modules/400/libvirt_sriov_hooks"
label() {
	python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.sriov_test_selinux", ("system_u:object_r:%s:s0" % sys.argv[2]).encode())' "$1" "$2"
}
if ! command -v python3 >/dev/null 2>&1; then
	echo "skip: no python3 to set extended attributes; the labels are unit-tested (test-status-checks)"
elif ! label "$H/qemu" sriov_hooks_exec_t 2>/dev/null; then
	echo "skip: no user.* extended attributes here; the labels are unit-tested (test-status-checks)"
else
	label "$H/network.d/libvirt-sriov-hooks" sriov_hooks_exec_t
	label "$STATE" sriov_hooks_var_run_t
	doctor selinux-ok
	expect_grep selinux-ok '^\[ ok \] SELinux module libvirt_sriov_hooks: loaded \(priority 400, policy targeted\)'
	expect_grep selinux-ok '^\[ ok \] SELinux boolean virt_hooks_unconfined: off: ours run in their own domain'
	expect_grep selinux-ok "^\[ ok \] SELinux labels: /etc/libvirt/hooks/network.d/libvirt-sriov-hooks, /etc/libvirt/hooks/qemu, $STATE: as our module labels them"
	label "$H/qemu" virt_hook_t
	doctor selinux-label
	expect_rc selinux-label 1
	expect_grep selinux-label '^\[FAIL\] SELinux labels: /etc/libvirt/hooks/qemu is virt_hook_t, not sriov_hooks_exec_t$'
	expect_grep selinux-label 'fix: restorecon -RFv /etc/libvirt/hooks/qemu$'
fi
rm -rf "${SYS:?}/fs" "${ROOT:?}/var/lib/selinux"

# NetworkManager: an ifcfg file creating the VFs of the PF the host file names; a keyfile setting
# SR-IOV on pool-a's PF.
mkdir -p "$ROOT/etc/NetworkManager/system-connections" "$ROOT/etc/sysconfig/network-scripts"
printf '[connection]\nid=sriov\ntype=ethernet\ninterface-name=sriovtest1\n' \
	>"$ROOT/etc/NetworkManager/system-connections/sriovtest1.nmconnection"
printf 'DEVICE="sriovtest1"\nSRIOV_TOTAL_VFS=2\n' >"$ROOT/etc/sysconfig/network-scripts/ifcfg-sriovtest1"
doctor nm-conf --config "$DATA/host.conf"
expect_grep nm-conf '^\[warn\] NetworkManager: /etc/sysconfig/network-scripts/ifcfg-sriovtest1 creates the VFs of sriovtest1 \(2\), which network pool-b uses: NetworkManager rewrites sriov_numvfs'
expect_grep nm-conf 'fix: do not re-activate that connection while guests hold its VFs'
printf '[connection]\nid=pool\ninterface-name=sriovtest0\n[sriov]\ntotal-vfs=4\nvfs=0 trust=true\n' \
	>"$ROOT/etc/NetworkManager/system-connections/pool.nmconnection"
doctor nm-pool --config "$DATA/host.conf"
expect_rc nm-pool 1
expect_grep nm-pool '^\[FAIL\] NetworkManager: /etc/NetworkManager/system-connections/pool.nmconnection sets SR-IOV on sriovtest0 \(4 VFs\), the PF of network pool-a: .* and the network hook sets that count too$'
expect_grep nm-pool 'fix: delete the \[sriov\] section in /etc/NetworkManager/system-connections/pool.nmconnection, then nmcli connection reload'
rm -rf "${ROOT:?}/etc/NetworkManager" "${ROOT:?}/etc/sysconfig"

# neutron's SR-IOV agent maps the PF whose direct VFs the host file hands to the qemu hook.
mkdir -p "$ROOT/etc/neutron/plugins/ml2"
printf '[sriov_nic]\nphysical_device_mappings = physnet0:sriovtest0,physnet1:sriovtest1\n' \
	>"$ROOT/etc/neutron/plugins/ml2/sriov_agent.ini"
doctor neutron
expect_grep neutron '^\[ ok \] neutron SR-IOV agent: maps none of the PFs the host file names'
doctor neutron-conf --config "$DATA/host.conf" --json
expect_rc neutron-conf 1
expect_json neutron-conf
expect_grep neutron-conf '"check":"neutron SR-IOV agent","result":"fail","detail":"/etc/neutron/plugins/ml2/sriov_agent.ini maps sriovtest1 \(physical network physnet1\)'
jq_eq neutron-conf '.checks[] | select(.check == "neutron SR-IOV agent") | .fix' "remove the [pf sriovtest1] section from the host file and leave that PF to neutron, or remove sriovtest1 from physical_device_mappings"
rm -rf "${ROOT:?}/etc/neutron"

# No libvirt: the host checks still run, and the connection is a problem.
run nolibvirt "$CLI" -c "test:///$T/no-such-node.xml" --sysfs "$SYS" --root "$ROOT" doctor
expect_rc nolibvirt 1
expect_grep nolibvirt '^\[FAIL\] libvirt: cannot connect'
expect_grep nolibvirt '^\[ ok \] IOMMU'
expect_grep nolibvirt 'cannot connect to libvirt at' err

finish
