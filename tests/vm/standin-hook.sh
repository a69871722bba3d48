#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Capture hook for the VM harness. Installed by tests/vm/guest/lib.sh as
# /etc/libvirt/hooks/{network,qemu}.d/00-capture when run.sh gets --capture, and as the hooks
# themselves (--standin) while the project has none: it changes nothing, it only saves what
# libvirt gave it. One invocation = NNNN-HOOK_OP_SUBOP.argv + .xml (stdin) in CAPTURE_DIR.
# libvirt clears the environment, so the directory is fixed.
dir=/mnt/out/capture
mkdir -p "$dir" 2>/dev/null || exit 0
hook=$(basename "$(dirname "$0")" .d)
[ "$hook" = hooks ] && hook=$(basename "$0")
# The sequence number is shared by all hooks; mkdir is the lock.
while ! mkdir "$dir/.lock" 2>/dev/null; do sleep 0.05; done
n=$(cat "$dir/.seq" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" >"$dir/.seq"
rmdir "$dir/.lock"
scenario=$(cat /run/vm-test-scenario 2>/dev/null || echo setup)
base=$(printf '%s/%04d-%s_%s_%s' "$dir" "$n" "$hook" "$2" "$3")
printf '%s\n' "$hook" "$@" >"$base.argv"
echo "scenario=$scenario" >>"$base.argv"
cat >"$base.xml"
exit 0
