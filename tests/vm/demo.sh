#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A guided tour for newcomers: boots the test VM (Debian 12, libvirt 9.0, two emulated igb
# SR-IOV NICs; the image is built and cached on first use, a couple of minutes) and runs
# tests/vm/demo-guest.sh in it, showing each real command and its real output: the PF with 0
# VFs, virsh net-start creating them, a guest starting, its VF at spoofchk off / trust on, the
# hooks' syslog lines, the guest stopping and the VF restored.
#
# usage: sudo tests/vm/demo.sh [--flavour bookworm-backports] [other run.sh options]
# DEMO_PAUSE=SECONDS (default 1) between steps.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ -t 1 ] && export DEMO_COLOR=1
flavour=(--flavour bookworm)
case " $* " in *" --flavour "*) flavour=() ;; esac
echo "demo: booting the VM (first run: building its image, a few minutes; then about a minute)"
exec "$here/run.sh" "${flavour[@]}" --script "$here/demo-guest.sh" --follow "$@"
