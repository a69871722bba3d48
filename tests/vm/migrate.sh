# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# shellcheck disable=SC2154 # scenarios, standin, tools, accel, all_results: run.sh's
# shellcheck disable=SC2034,SC2054 # boot_extra is read by run.sh's boot; its commas are QEMU's
# Host side of the two-host live-migration scenarios (issue 9), sourced by run.sh, which gives
# it: boot, image_dir, info_get, say, tools, all_results, failed_runs, scenarios, VM_WORK,
# keep/follow.
#
# Per flavour, two guests boot at once from the same cached image (two throwaway overlays),
# each with its own two igb PFs, plus:
#   - a virtio NIC joined to the other guest's by `-netdev dgram` over 127.0.0.1 (two UDP ports
#     on the host's loopback; inside, 10.99.0.1 and 10.99.0.2: that link is all they share, and
#     it carries libvirt's TCP connection and the migration stream);
#   - a 9p directory both mount at /mnt/mig (ready flags and a's requests to b).
# Guest a (the source) runs the scenarios (guest/migrate-scenarios.sh) and writes the results;
# guest b (the destination) serves it. Both run guest/migrate-main.sh as main.sh's SCRIPT.
#
# Scenarios: m1-migrate, m2-migrate-override, m3-migrate-refused (default run, --migrate) and
# m4-migrate-os (--migrate-os). --scenario PREFIX filters them like the others.

MIG_ALL="m1-migrate m2-migrate-override m3-migrate-refused"

# mig_selected: the migration scenarios this run wants (empty: none).
mig_selected()
{
	local all=$MIG_ALL s want sel=""
	[ "${migrate_os:-0}" = 1 ] && all="$all m4-migrate-os"
	for s in $all; do
		if [ ${#scenarios[@]} -eq 0 ]; then
			sel="$sel $s"
		else
			for want in "${scenarios[@]}"; do
				case "$s" in "$want"*) sel="$sel $s"; break ;; esac
			done
		fi
	done
	echo "${sel# }"
}

# A free UDP port on 127.0.0.1 (bound and released: good enough for a test).
mig_free_port()
{
	python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((20000 + RANDOM % 20000))
}

# mig_config RUN ROLE FLAVOUR MODE SCENARIOS: the guest's config (main.sh reads it) for a role
# (a or b) of a two-host run; more lines may be appended (n-fleet's).
mig_config()
{
	local run=$1 role=$2 f=$3 mode=$4 sel=$5 dir
	dir=$(image_dir "$f")
	mkdir -p "$run/$role/out/results" "$run/$role/out/tools"
	cp "$tools"/*.so "$run/$role/out/tools/" 2>/dev/null
	{
		echo "FLAVOUR=$f"
		echo "MODE=$mode"
		echo "LIBVIRT_VERSION=$(info_get "$dir" libvirt | cut -d- -f1)"
		echo "LSM_EXPECTED=$(info_get "$dir" lsm_expected)"
		echo "SCENARIOS=''"
		echo "CAPTURE=0"
		echo "STANDIN=$standin"
		echo "SCRIPT=/mnt/src/tests/vm/guest/migrate-main.sh"
		echo "MIG_ROLE=$role"
		echo "MIG_SCENARIOS='$sel'"
		echo "MIG_TIMEOUT=$((VM_TIMEOUT - 120))"
		echo "MIG_LINK_MAC=52:54:00:99:00:0$([ "$role" = a ] && echo 1 || echo 2)"
	} >"$run/$role/out/config"
}

# mig_boot_one RUN DIR ROLE LOCAL-PORT REMOTE-PORT [SSH-PORT]: one guest of the pair (run it in
# the background), its end of the link and the shared directory; with SSH-PORT, a NIC on QEMU's
# user network whose hostfwd 127.0.0.1:SSH-PORT reaches its sshd (n-fleet's controller).
mig_boot_one()
{
	local run=$1 dir=$2 role=$3 lp=$4 rp=$5 sp=${6:-} n
	n=$([ "$role" = a ] && echo 1 || echo 2)
	boot_extra=(-netdev "dgram,id=mig,local.type=inet,local.host=127.0.0.1,local.port=$lp,remote.type=inet,remote.host=127.0.0.1,remote.port=$rp"
		-device virtio-net-pci,netdev=mig,mac=52:54:00:99:00:0$n
		-virtfs "local,path=$run/link,mount_tag=mig,security_model=none,id=mig")
	[ -n "$sp" ] && boot_extra+=(-netdev "user,id=ssh,restrict=on,hostfwd=tcp:127.0.0.1:$sp-:22"
		-device virtio-net-pci,netdev=ssh,mac=52:54:00:98:00:0$n)
	boot "$dir" "$run/$role"
}

# mig_boot_pair RUN DIR PA PB [SSH-A SSH-B]: both guests in the background (pid_a, pid_b); b
# boots once a is past early boot: two kernels booting at once under TCG on two cores stall
# (RCU, timers) far more often, and a stalled boot costs VM_BOOT_TIMEOUT.
mig_boot_pair()
{
	local run=$1 dir=$2 pa=$3 pb=$4 sa=${5:-} sb=${6:-}
	# (script stays empty in boot: the console, not script.log, is what --follow shows)
	mig_boot_one "$run" "$dir" a "$pa" "$pb" "$sa" &
	pid_a=$!
	for _ in $(seq 1 90); do
		grep -q '^test-init: booted' "$run/a/out/serial.log" 2>/dev/null && break
		kill -0 "$pid_a" 2>/dev/null || break
		sleep 1
	done
	mig_boot_one "$run" "$dir" b "$pb" "$pa" "$sb" &
	pid_b=$!
}

# migrate_flavour FLAVOUR: boot the two guests, run the selected scenarios, collect the results.
migrate_flavour()
{
	local f=$1 dir run sel libvirt_version pa pb role expected s r t0 rc_a rc_b pid_a pid_b mode
	sel=$(mig_selected)
	[ -n "$sel" ] || return 0
	# The image's daemon mode: libvirtd, or modular (flavour modular: virtproxyd listens).
	mode=$(info_get "$(image_dir "$f")" modes)
	mode=${mode%% *}
	mode=${mode:-libvirtd}
	if [ "$standin" = 1 ]; then
		for s in $sel; do
			printf 'SKIP\nthe stand-in hook (--standin, or no hooks in the build) sets no policy to follow the guest\n' \
				>"$all_results/$f-$mode-$s.result"
		done
		return 0
	fi
	dir=$(image_dir "$f")
	libvirt_version=$(info_get "$dir" libvirt)
	libvirt_version=${libvirt_version%%-*}
	run=$VM_WORK/runs/$f-migrate
	rm -rf "$run"
	mkdir -p "$run/link"
	pa=$(mig_free_port)
	pb=$(mig_free_port)
	[ "$pa" = "$pb" ] && pb=$((pa + 1))
	for role in a b; do mig_config "$run" "$role" "$f" "$mode" "$sel"; done
	say "$f/migrate: booting two guests (libvirt $libvirt_version, $accel; link 127.0.0.1:$pa <-> :$pb): $sel"
	t0=$SECONDS
	mig_boot_pair "$run" "$dir" "$pa" "$pb"
	wait "$pid_a"
	rc_a=$?
	# a is done: b stops serving once it sees done-a; give it a moment, then it is bounded by
	# VM_TIMEOUT anyway.
	[ -e "$run/link/done-a" ] || : >"$run/link/done-a"
	wait "$pid_b"
	rc_b=$?
	say "$f/migrate: guests ran $((SECONDS - t0)) s (a: exit $rc_a, b: exit $rc_b; a: $(grep -h '^timing:' "$run/a/out/timings" 2>/dev/null | tr '\n' ' '))"
	expected=$(cat "$run/a/out/expected" 2>/dev/null)
	[ -n "$expected" ] || expected=$sel
	for s in $expected; do
		r=$run/a/out/results/$f-$mode-$s.result
		if [ ! -s "$r" ]; then
			{
				echo "FAIL"
				echo "no result: guest a stopped before this scenario finished"
				tail -n 15 "$run/a/out/serial.log" 2>/dev/null
			} >"$r"
		fi
	done
	cp "$run/a/out/results/"*.result "$all_results/" 2>/dev/null
	if grep -lq '^FAIL' "$run/a/out/results/"*.result 2>/dev/null; then failed_runs+=("$run/a"); fi
}
