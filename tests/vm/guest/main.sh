#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the test guest, started by /sbin/test-init (see build-image.sh) with the project
# tree (sources, build, installer) read-only at /mnt/src and the run's output directory at
# /mnt/out. Reads /mnt/out/config (written by run.sh), sets libvirt up without systemd,
# installs the hooks with the project's installer, starts the daemons and runs the scenarios or
# a user's script. Results: /mnt/out/results/<flavour>-<mode>-<scenario>.result.
set -u

OUT=${1:-/mnt/out}
VMDIR=/mnt/src/tests/vm
# shellcheck disable=SC1091
. "$OUT/config"
. "$VMDIR/guest/lib.sh"

exec > >(tee -a "$OUT/guest.log" >/dev/console) 2>&1
# A guest booted with SELinux (flavour bookworm-selinux): auditd, our module, scenario z.
if [ -e /sys/fs/selinux/enforce ]; then . "$VMDIR/guest/selinux.sh"; selinux_start_audit; fi
# AppArmor (the Debian flavours but bookworm-selinux): libvirt's profiles loaded before libvirtd
# starts, checked by scenario 0-apparmor. Only where the image says so: Debian 13's kernel runs
# AppArmor in every image, also modular's, whose libvirt (built without AppArmor) has no profile
# to load and no AppArmor security driver for its guests.
if [ ! -e /sys/fs/selinux/enforce ] && [ "${LSM_EXPECTED:-}" = apparmor ]; then
	mkdir -p "$OUT/logs"
	. "$VMDIR/guest/apparmor.sh"
	apparmor_start || echo "WARNING: AppArmor: $AA_GATE_WHY"
fi
timing boot

setup_base
declare -F apparmor_qemu_conf >/dev/null && apparmor_qemu_conf
. "$VMDIR/guest/platform.sh"
write_platform
timing setup

if [ -n "${SCRIPT:-}" ]; then
	# The two-host scenarios, and users' scripts, need the same confinement as the others.
	if [ "${LSM_EXPECTED:-}" = apparmor ] && [ -n "${AA_GATE_WHY:-}" ]; then
		echo "=== not running $SCRIPT: AppArmor does not confine libvirtd: $AA_GATE_WHY" |
			tee "$OUT/script.log"
		echo 1 >"$OUT/script.rc"
		collect_logs
		exit 0
	fi
	# The fleet scenario (tests/vm/fleet.sh): an Ansible play installs the hooks, not the harness.
	[ "${FLEET:-0}" = 1 ] || install_hooks
	start_daemons
	timing daemons
	export PF1 PF2 OUT MODE FLAVOUR LIBVIRT_VERSION
	echo "=== running $SCRIPT (PF1=$PF1 PF2=$PF2, $MODE)"
	bash "$SCRIPT" 2>&1 | tee "$OUT/script.log"
	echo "${PIPESTATUS[0]}" >"$OUT/script.rc"
	timing script
	stop_daemons
	collect_logs
	exit 0
fi

. "$VMDIR/guest/scenarios.sh"
. "$VMDIR/guest/scenario-packages.sh"
. "$VMDIR/guest/scenario-modular.sh"
run_scenarios
collect_logs
timing end
