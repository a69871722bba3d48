#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Test-only hook of the modular-daemon scenarios (guest/scenario-modular.sh), installed as
# /etc/libvirt/hooks/network.d/zz-calls and qemu.d/zz-calls: libvirt runs it after the project's
# hook for every call. It changes nothing and prints nothing; it appends one line per call to
# /run/vm-calls.log: "HOOK DAEMON PID ARGV...", DAEMON and PID being the process that ran it
# (libvirt execs hooks directly: the parent is the daemon).
cat >/dev/null
echo "$(basename "$(dirname "$0")" .d) $(cat "/proc/$PPID/comm" 2>/dev/null || echo '?') $PPID $*" \
	>>/run/vm-calls.log
exit 0
