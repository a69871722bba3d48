#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The demo's script, run inside the guest by run.sh --script (see demo.sh): real commands with
# their real output, one step at a time. PF1, MODE and friends come from guest/main.sh.
. /mnt/src/tests/vm/guest/lib.sh
NS=urn:libvirt-sriov-hooks:1
if [ "${DEMO_COLOR:-0}" = 1 ]; then b=$'\033[1m' c=$'\033[36m' n=$'\033[0m'; else b='' c='' n=''; fi
step() { printf '\n%s### %s%s\n' "$b" "$*" "$n"; sleep "${DEMO_PAUSE:-1}"; }
# show 'COMMAND LINE': print it as typed, then run it.
show() { printf '%s# %s%s\n' "$c" "$1" "$n"; bash -c "$1" 2>&1; }

step "The hooks, installed by install/install.sh before libvirt started"
show "ls -l /etc/libvirt/hooks/"

step "The PF $PF1 (an emulated Intel 82576, driver igb): no VFs yet"
show "cat /sys/class/net/$PF1/device/sriov_totalvfs /sys/class/net/$PF1/device/sriov_numvfs"
show "ip -d link show dev $PF1"

step "A VF pool on $PF1, with our policy in <metadata>"
cat >/tmp/pool1.xml <<EOF
<network>
  <name>pool1</name>
  <metadata>
    <sriov:pool xmlns:sriov='$NS' vfs='4' spoofchk='off' trust='on'/>
  </metadata>
  <forward mode='hostdev' managed='yes'>
    <pf dev='$PF1'/>
  </forward>
</network>
EOF
show "cat /tmp/pool1.xml"
show "virsh net-define /tmp/pool1.xml"

step "virsh net-start: the network hook's 'start begin' creates the VFs"
show "virsh net-start pool1"
show "cat /sys/class/net/$PF1/device/sriov_numvfs"
show "ip -d link show dev $PF1"
show "virsh net-dumpxml pool1"

step "A guest with one interface from the pool"
cat >/tmp/g1.xml <<EOF
<domain type='qemu'>
  <name>g1</name>
  <memory unit='MiB'>128</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <interface type='network'>
      <mac address='52:54:00:aa:bb:01'/>
      <source network='pool1'/>
    </interface>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
show "cat /tmp/g1.xml"
show "virsh define /tmp/g1.xml"
show "virsh start g1"

step "libvirt gave g1 this VF; 'port-created' set spoofchk off and trust on on it, and only on it"
show "virsh domiflist g1"
show "virsh dumpxml g1 | grep -A5 \"<interface type='hostdev'\""
show "ip -d link show dev $PF1"

step "What the hooks logged (syslog, ident libvirt-sriov-hooks)"
show "grep libvirt-sriov-hooks /var/log/messages"

step "The guest stops: 'port-deleted' puts the VF back as it was"
show "virsh destroy g1"
show "ip -d link show dev $PF1"
show "ls -R /run/libvirt-sriov-hooks"

step "The hooks' log lines for that"
show "grep libvirt-sriov-hooks /var/log/messages | tail -n 3"

step "net-destroy"
show "virsh net-destroy pool1"
show "cat /sys/class/net/$PF1/device/sriov_numvfs"
