#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# End-to-end tests of the hooks in a VM: a Debian guest with a real kernel, two emulated igb
# SR-IOV NICs and a real libvirt, booted under QEMU. See tests/vm/README.md.
#
# usage: tests/vm/run.sh [options]
#   --flavour F     bookworm (libvirt 9.0), bookworm-backports (libvirt 11.3), trixie (Debian 13,
#                   libvirt 11.3): AppArmor enforcing libvirtd's profile; bookworm-selinux
#                   (9.0, SELinux enforcing); modular (libvirt 11.3 built from source,
#                   virtnetworkd + virtqemud); F:S,S,... runs only the scenarios starting with
#                   an S on F; repeatable; default: the CI set
#                   ($ci_flavours, tests/vm/README.md says why)
#   --all           every flavour (the full matrix): $all_flavours
#   --images-only   build (or find cached) the images of the flavours selected, then stop; the
#                   test command starts this in the background so images build beside the unit
#                   tests
#   --mode M        libvirtd or modular (virtnetworkd + virtqemud); repeatable; default: every
#                   mode the flavour's packages ship
#   --scenario S    run only scenarios whose name starts with S (a, b, g2, i, ...); repeatable
#   --capture       save every hook invocation (argv + stdin) seen in the guest, per libvirt
#                   version, under $VM_WORK/capture/
#   --script FILE   instead of the scenarios, run FILE (bash) in the booted guest, after the
#                   hooks are installed and the daemons started (default flavour: bookworm);
#                   its exit status is ours
#   --follow        copy the guest's console to our stdout while it runs
#   --standin       install tests/vm/standin-hook.sh (logs argv + stdin only) instead of the
#                   project's hooks; used automatically while the project has no hooks/network
#   --keep          keep the run directories even when everything passed
#   --migrate       only the two-host live-migration scenarios (m1-m3, tests/vm/migrate.sh);
#                   the default run includes them after the others
#   --scenario n    only n-fleet (tests/vm/fleet.sh): the Ansible collection sets up the two
#                   migration hosts from nothing (this machine the controller), then m1 runs on
#                   them; in the default run too, after the two-host scenarios
#   --migrate-os    also m4: the migrated guest runs a tiny OS, its VF really unplugs and
#                   replugs (slow: minutes per flavour; run it before a release)
# environment:
#   SRCDIR, BUILDDIR  the project (defaults: this script's ../..; BUILDDIR only names VM_WORK)
#   VM_CACHE          image cache (default /var/cache/libvirt-sriov-hooks-vm)
#   VM_WORK           work directory (default $BUILDDIR/tests/vm/work)
#   VM_ACCEL          auto (default: KVM only if a probe boots a kernel with it), tcg or kvm
#   VM_TIMEOUT        seconds one guest may run (default 1200)
#   VM_SMP            vCPUs per guest (default 2)
#   VM_MIRROR         Debian mirror (default: the first in the host's apt sources)
#   VM_ARGS           options, split on spaces, used when there are no arguments
#   VM_DEB            a .deb of the project (tests/install/package-tests.sh builds it): scenario
#                     p-packages installs and removes it in the guest (skipped without it)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCDIR=$(cd "${SRCDIR:-$here/../..}" && pwd)
BUILDDIR=${BUILDDIR:-$SRCDIR}
VM_CACHE=${VM_CACHE:-/var/cache/libvirt-sriov-hooks-vm}
VM_WORK=${VM_WORK:-$BUILDDIR/tests/vm/work}
VM_ACCEL=${VM_ACCEL:-auto}
VM_TIMEOUT=${VM_TIMEOUT:-1200}
. "$here/host-deps.sh"

# The flavours every change is tested on (CI), and the full matrix: tests/vm/README.md.
# A flavour may be given as NAME:PREFIX,PREFIX...: only those scenarios on it.
ci_flavours="modular trixie:a,b,c,d,e,f,g,h,i,y,p,n bookworm-selinux bookworm:n"
all_flavours="bookworm bookworm-backports bookworm-selinux trixie modular"
flavours=() modes=() scenarios=() capture=0 script="" follow=0 standin=0 keep=0
migrate_only=0 migrate_os=0 boot_extra=() images_only=0
# make check-vm passes $(VM_ARGS) as arguments, and make also exports it: take it only once.
# shellcheck disable=SC2086
[ $# -gt 0 ] || set -- ${VM_ARGS:-}
while [ $# -gt 0 ]; do
	case "$1" in
	--flavour) flavours+=("$2"); shift 2 ;;
	--all) read -r -a flavours <<<"$all_flavours"; shift ;;
	--images-only) images_only=1; shift ;;
	--mode) modes+=("$2"); shift 2 ;;
	--scenario) scenarios+=("$2"); shift 2 ;;
	--capture) capture=1; shift ;;
	--script) script=$(realpath "$2") || exit 2; shift 2 ;;
	--follow) follow=1; shift ;;
	--standin) standin=1; shift ;;
	--keep) keep=1; shift ;;
	--migrate) migrate_only=1; shift ;;
	--migrate-os) migrate_os=1; shift ;;
	-h|--help) sed -n '3,40p' "$0" | sed "s/\$ci_flavours/$ci_flavours/; s/\$all_flavours/$all_flavours/"; exit 0 ;;
	*) echo "run.sh: unknown option '$1'" >&2; exit 2 ;;
	esac
done
if [ ${#flavours[@]} -eq 0 ]; then
	if [ -n "$script" ]; then flavours=(bookworm); else read -r -a flavours <<<"$ci_flavours"; fi
fi
# NAME:PREFIX,... -> the name, and that flavour's own scenario selection (use_scenarios).
declare -A flavour_scenarios=()
cli_scenarios=("${scenarios[@]}")
for i in "${!flavours[@]}"; do
	case "${flavours[$i]}" in
	*:*) flavour_scenarios[${flavours[$i]%%:*}]=${flavours[$i]#*:}; flavours[$i]=${flavours[$i]%%:*} ;;
	esac
done
# --scenario, when given, wins over a flavour's own selection (the CI set's included).
use_scenarios()
{
	if [ ${#cli_scenarios[@]} -eq 0 ] && [ -n "${flavour_scenarios[$1]:-}" ]; then
		IFS=, read -r -a scenarios <<<"${flavour_scenarios[$1]}"
	else
		scenarios=("${cli_scenarios[@]}")
	fi
}
[ "$(id -u)" = 0 ] || { echo "run.sh: must run as root (debootstrap, image builds)" >&2; exit 2; }

t_start=$SECONDS
say() { echo "vm: [$((SECONDS - t_start))s] $*" >&2; }
die() { echo "vm: error: $*" >&2; exit 1; }

mkdir -p "$VM_WORK" "$VM_CACHE" || die "cannot create $VM_WORK or $VM_CACHE"
VM_WORK=$(cd "$VM_WORK" && pwd)

say "host dependencies"
vm_host_deps >"$VM_WORK/host-deps.log" 2>&1 || { cat "$VM_WORK/host-deps.log" >&2; die "host dependencies"; }

# --- the project: a plain (unsanitized) build in a copy of the source tree -------------------
# A copy, so that an in-tree configured SRCDIR (or the CI's ASan build) is never disturbed and
# the guest sees exactly one tree: the sources, the installer and the binaries it installs.
tree=$VM_WORK/src
build_project()
{
	local skip d
	mkdir -p "$tree"
	# Never copy build trees (any directory with a config.status, but the top) nor VM_WORK.
	skip=$( { find "$SRCDIR" -mindepth 2 -name config.status -printf '%h\n'; echo "$VM_WORK"; } |
		while read -r d; do
			case "$d/" in "$SRCDIR"/*) echo "${d#"$SRCDIR"/}/" ;; esac
		done)
	if git -C "$SRCDIR" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$SRCDIR" && git ls-files -co --exclude-standard) |
			grep -v -F "${skip:-//}" | grep -v '^tests/vm/work/' |
			(cd "$SRCDIR" && tar -T - -cf -) | tar -xf - -C "$tree" || return 1
	else
		(cd "$SRCDIR" && find . -path ./.git -prune -o ! -type d -print | sed 's|^\./||') |
			grep -v -F "${skip:-//}" | grep -v '^tests/vm/work/' |
			(cd "$SRCDIR" && tar -T - -cf -) | tar -xf - -C "$tree" || return 1
	fi
	if [ "$standin" = 1 ] || [ ! -f "$tree/configure.ac" ]; then
		standin=1
		say "using the stand-in hook (no configure.ac, or --standin)"
		return 0
	fi
	say "building the project in $tree"
	(
		cd "$tree" || exit 1
		# An in-tree configured SRCDIR brings its config.status (maybe sanitizer flags, its
		# own paths) along: start again from clean sources then.
		if [ -f config.status ] && ! grep -q "^ac_pwd='$tree'" config.status; then
			make distclean >/dev/null 2>&1 || rm -f config.status Makefile
		fi
		[ -x configure ] || autoreconf -fi || exit 1
		# The paths install/setup.sh gives users (the host file is \$sysconfdir/...).
		[ -f Makefile ] || ./configure --prefix=/usr --sysconfdir=/etc --localstatedir=/var \
			--libexecdir=/usr/libexec CFLAGS='-O2 -g' || exit 1
		make -j"$(nproc)"
	) >"$VM_WORK/build.log" 2>&1 || { tail -n 40 "$VM_WORK/build.log" >&2; return 1; }
	if [ ! -x "$tree/hooks/network" ]; then
		say "the build has no hooks/network: using the stand-in hook"
		standin=1
	elif head -c 2 "$tree/hooks/network" | grep -q '#!'; then
		die "hooks/network is a script (libtool wrapper?), not the binary the installer must copy"
	fi
}
[ "$images_only" = 1 ] || build_project || die "building the project failed (log: $VM_WORK/build.log)"

# A test-only LD_PRELOAD that makes RTM_SETLINK requests carrying a VF's trust or spoofchk fail
# with EOPNOTSUPP, as a driver without that attribute does; igb accepts both (scenario g3).
tools=$VM_WORK/tools
mkdir -p "$tools"
if ! cc -O2 -shared -fPIC -o "$tools/refuse-vf-attr.so" "$here/refuse-vf-attr.c" -ldl \
	>"$tools/cc.log" 2>&1; then
	say "could not build refuse-vf-attr.so (scenario g3 will be skipped): $(head -n 3 "$tools/cc.log")"
	rm -f "$tools/refuse-vf-attr.so"
fi

# --- images, cached by recipe ----------------------------------------------------------------
mirror=$(vm_mirror) || die "no mirror"
image_dir()
{
	local key inc
	# A flavour's part (image-FLAVOUR.sh) may run a shared one (image-apparmor.sh): hashed too.
	key=$( { cat "$here/build-image.sh" "$here/image-$1.sh" 2>/dev/null
		for inc in $(grep -o 'image-[a-z0-9-]*\.sh' "$here/image-$1.sh" 2>/dev/null | sort -u); do
			[ "$inc" = "image-$1.sh" ] || cat "$here/$inc"
		done
		echo "flavour=$1"; } | sha256sum | cut -c1-16)
	echo "$VM_CACHE/$1-$key"
}
build_image()
{
	local f=$1 dir tmp
	dir=$(image_dir "$f")
	exec 9>"$VM_CACHE/.lock-$f"
	flock -w 1800 9 || { say "$f: cannot lock the cache"; return 1; }
	if [ -f "$dir/info" ]; then
		say "$f: cached image $dir"
		return 0
	fi
	tmp=$dir.tmp
	rm -rf "$tmp"
	say "$f: building image (recipe changed or cache empty)"
	if ! bash "$here/build-image.sh" "$f" "$tmp" "$mirror" >"$VM_WORK/image-$f.log" 2>&1; then
		tail -n 30 "$VM_WORK/image-$f.log" >&2
		return 1
	fi
	# Older images of this flavour are dead weight: drop them.
	rm -rf "$VM_CACHE/$f"-????????????????
	mv "$tmp" "$dir"
	say "$f: image built: $(grep -E '^build-image: (debootstrap|packages|mkfs)' "$VM_WORK/image-$f.log" | tr '\n' ' ')"
}
# The images build at once: each is mostly waiting for the mirror and dpkg's fsyncs.
pids=()
for f in "${flavours[@]}"; do
	build_image "$f" &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || die "image build failed (logs: $VM_WORK/image-*.log)"; done
if [ "$images_only" = 1 ]; then
	say "images ready: ${flavours[*]}"
	exit 0
fi

# --- accelerator -----------------------------------------------------------------------------
# KVM is used only if a kernel really boots with it: on nested cloud machines /dev/kvm exists
# but guests hang in early boot.
probe_kvm()
{
	local dir=$1 log=$VM_WORK/kvm-probe.log
	[ -w /dev/kvm ] || return 1
	rm -f "$log"
	# (in a subshell: QEMU may abort, and bash would report it)
	(timeout 20 qemu-system-x86_64 -accel kvm -cpu host -m 512 -nodefaults -display none \
		-kernel "$dir/vmlinuz" -append "console=ttyS0 panic=-1" -serial "file:$log" \
		-no-reboot; exit $?) >/dev/null 2>&1
	grep -q 'Freeing unused kernel' "$log" 2>/dev/null
}
case "$VM_ACCEL" in
auto)
	if probe_kvm "$(image_dir "${flavours[0]}")"; then accel=kvm; else accel=tcg; fi
	say "accelerator: $accel (probe)" ;;
tcg|kvm) accel=$VM_ACCEL ;;
*) die "VM_ACCEL must be auto, tcg or kvm" ;;
esac
if [ "$accel" = kvm ]; then
	accel_args=(-accel kvm -cpu host)
else
	accel_args=(-accel tcg,thread=multi -cpu max)
fi

# --- one boot per flavour and daemon mode ----------------------------------------------------
# boot IMAGE-DIR RUN-DIR: one guest run, bounded by VM_TIMEOUT. A guest that has not reached
# test-init within VM_BOOT_TIMEOUT s is killed and booted once more: under TCG on a loaded host
# a boot now and then stalls for good in early kernel init (RCU stall, timer never fires).
boot()
{
	local dir=$1 run=$2 overlay=$2/overlay.qcow2 rc attempt qpid booted append
	# A flavour's own kernel arguments (bookworm-selinux: security=selinux ..., its PID 1).
	append=$(info_get "$dir" append)
	for attempt in 1 2; do
		rm -f "$overlay"
		qemu-img create -q -f qcow2 -b "$dir/image.raw" -F raw "$overlay" || return 1
		: >"$run/out/serial.log"
		if [ "$follow" = 1 ]; then
			# With a script, its output is what the user wants to watch.
			if [ -n "$script" ]; then
				tail -n +1 -F "$run/out/script.log" 2>/dev/null &
			else
				tail -n +1 -f "$run/out/serial.log" &
			fi
			tailpid=$!
		fi
		timeout --kill-after=10 "$VM_TIMEOUT" qemu-system-x86_64 "${accel_args[@]}" \
			-smp "${VM_SMP:-2}" -m 3072 \
			-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on,caching-mode=on \
			-kernel "$dir/vmlinuz" -initrd "$dir/initrd.img" \
			-append "console=ttyS0 root=/dev/vda rw init=/sbin/test-init intel_iommu=on panic=-1 quiet${append:+ $append}" \
			-drive "file=$overlay,if=virtio,format=qcow2,cache=unsafe" \
			-virtfs "local,path=$tree,mount_tag=src,security_model=none,readonly=on,id=src" \
			-virtfs "local,path=$run/out,mount_tag=out,security_model=none,id=out" \
			-device pcie-root-port,id=rp0,chassis=1 -netdev user,id=n0,restrict=on \
			-device igb,bus=rp0,netdev=n0 \
			-device pcie-root-port,id=rp1,chassis=2 -netdev user,id=n1,restrict=on \
			-device igb,bus=rp1,netdev=n1 "${boot_extra[@]}" \
			-display none -serial "file:$run/out/serial.log" -monitor none -nodefaults \
			-no-reboot </dev/null >"$run/qemu.log" 2>&1 &
		qpid=$!
		booted=0
		for _ in $(seq 1 "${VM_BOOT_TIMEOUT:-120}"); do
			grep -q '^test-init: booted' "$run/out/serial.log" 2>/dev/null && { booted=1; break; }
			kill -0 "$qpid" 2>/dev/null || break
			sleep 1
		done
		if [ $booted = 0 ] && kill -0 "$qpid" 2>/dev/null; then
			say "guest did not reach test-init in ${VM_BOOT_TIMEOUT:-120} s (attempt $attempt)"
			kill "$qpid" 2>/dev/null
		fi
		wait "$qpid"
		rc=$?
		if [ "$follow" = 1 ]; then
			sleep 1
			kill "$tailpid" 2>/dev/null
			wait "$tailpid" 2>/dev/null
		fi
		[ $booted = 1 ] && break
		cp "$run/out/serial.log" "$run/serial-attempt$attempt.log"
	done
	rm -f "$overlay"
	[ $rc = 124 ] && say "guest timed out after $VM_TIMEOUT s"
	return $rc
}

# info_get IMAGE-DIR KEY: a value from the image's info file (written by build-image.sh).
info_get() { sed -n "s/^$2=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$1/info"; }

all_results=$VM_WORK/results
rm -rf "$all_results"
mkdir -p "$all_results"
failed_runs=() script_rc=0
for f in "${flavours[@]}"; do
	use_scenarios "$f"
	dir=$(image_dir "$f")
	info_modes=$(info_get "$dir" modes)
	libvirt_version=$(info_get "$dir" libvirt)
	libvirt_version=${libvirt_version%%-*}
	run_modes=()
	for m in $info_modes; do
		if [ ${#modes[@]} -eq 0 ] || [[ " ${modes[*]} " == *" $m "* ]]; then run_modes+=("$m"); fi
	done
	for m in "${modes[@]}"; do
		[[ " $info_modes " == *" $m "* ]] ||
			printf "SKIP\n%s does not ship the %s daemons\n" "$f" "$m" >"$all_results/$f-$m-all.result"
	done
	[ -n "$script" ] && run_modes=("${run_modes[0]}")
	# --migrate, --migrate-os alone or --scenario m...: only the two-host scenarios, below.
	if [ "$migrate_only" = 1 ] || { [ "$migrate_os" = 1 ] && [ ${#scenarios[@]} -eq 0 ]; } ||
		{ [ ${#scenarios[@]} -gt 0 ] && ! printf '%s\n' "${scenarios[@]}" | grep -qv '^[mn]'; }; then
		run_modes=()
	fi
	for m in "${run_modes[@]}"; do
		run=$VM_WORK/runs/$f-$m
		rm -rf "$run"
		mkdir -p "$run/out/results" "$run/out/tools"
		cp "$tools"/*.so "$run/out/tools/" 2>/dev/null
		{
			echo "FLAVOUR=$f"
			echo "MODE=$m"
			echo "LIBVIRT_VERSION=$libvirt_version"
			echo "LSM_EXPECTED=$(info_get "$dir" lsm_expected)"
			echo "SCENARIOS='${scenarios[*]}'"
			echo "CAPTURE=$capture"
			echo "STANDIN=$standin"
			if [ -n "${VM_DEB:-}" ] && cp "$VM_DEB" "$run/out/"; then
				echo "DEB=/mnt/out/$(basename "$VM_DEB")"
			fi
			if [ -n "$script" ]; then
				cp "$script" "$run/out/user-script"
				echo "SCRIPT=/mnt/out/user-script"
				echo "export DEMO_PAUSE=${DEMO_PAUSE:-1} DEMO_COLOR=${DEMO_COLOR:-0}"
			fi
		} >"$run/out/config"
		say "$f/$m: booting (libvirt $libvirt_version, $accel)"
		t0=$SECONDS
		boot "$dir" "$run"
		say "$f/$m: guest ran $((SECONDS - t0)) s ($(grep -h '^timing:' "$run/out/timings" 2>/dev/null | tr '\n' ' '))"
		if [ -n "$script" ]; then
			rc=$(cat "$run/out/script.rc" 2>/dev/null || echo 125)
			[ "$follow" = 1 ] || cat "$run/out/script.log" 2>/dev/null
			say "$f/$m: script exit status $rc; guest logs: $run/out"
			[ "$rc" = 0 ] || script_rc=$rc
		else
			expected=$(cat "$run/out/expected" 2>/dev/null)
			[ -n "$expected" ] || expected=boot
			for s in $expected; do
				r=$run/out/results/$f-$m-$s.result
				if [ ! -s "$r" ]; then
					{
						echo "FAIL"
						echo "no result: the guest stopped before this scenario finished"
						tail -n 15 "$run/out/serial.log" 2>/dev/null
					} >"$r"
				fi
			done
			cp "$run/out/results/"*.result "$all_results/" 2>/dev/null
			cp "$run/out/platform" "$all_results/$f-$m.platform" 2>/dev/null
			if grep -lq '^FAIL' "$run/out/results/"*.result 2>/dev/null; then failed_runs+=("$run"); fi
		fi
		if [ "$capture" = 1 ] && [ -d "$run/out/capture" ]; then
			cdir=$VM_WORK/capture/libvirt-$libvirt_version/$m
			rm -rf "$cdir"
			mkdir -p "$cdir"
			cp -r "$run/out/capture/." "$cdir/"
			say "captured $(find "$cdir" -name '*.argv' | wc -l) hook invocations in $cdir"
		fi
	done
done

if [ -n "$script" ]; then
	exit "$script_rc"
fi

# --- two hosts: live migration (tests/vm/migrate.sh) ----------------------------------------
. "$here/migrate.sh"
for f in "${flavours[@]}"; do
	use_scenarios "$f"
	# An image may say it has no two-host run (bookworm-selinux: CI time, tests/vm/README.md).
	if [ "$(info_get "$(image_dir "$f")" migrate)" = no ]; then
		for s in $(mig_selected); do
			printf 'SKIP\nno two-host scenarios on %s (tests/vm/README.md)\n' "$f" \
				>"$all_results/$f-libvirtd-$s.result"
		done
		continue
	fi
	migrate_flavour "$f"
done

# --- two hosts set up by the Ansible collection (tests/vm/fleet.sh) --------------------------
. "$here/fleet.sh"
for f in "${flavours[@]}"; do
	use_scenarios "$f"
	[ "$migrate_only" = 1 ] && break
	[ "$migrate_os" = 1 ] && [ ${#scenarios[@]} -eq 0 ] && break
	[ "$(info_get "$(image_dir "$f")" migrate)" = no ] && continue
	if [ "$(info_get "$(image_dir "$f")" fleet)" = no ]; then
		[ -n "$(fleet_selected)" ] &&
			printf 'SKIP\nno managed-node packages (sshd, Python) in the %s image (tests/vm/README.md)\n' \
				"$f" >"$all_results/$f-$(info_get "$(image_dir "$f")" modes | cut -d' ' -f1)-n-fleet.result"
		continue
	fi
	fleet_flavour "$f"
done

# --- report ----------------------------------------------------------------------------------
pass=0 fail=0 skip=0
# Per flavour and daemon mode, what the guest found at boot (guest/platform.sh); a mode the image
# does not ship, or one not run, says so.
printf '\n%-20s %-9s %-8s %-22s %s\n' flavour mode libvirt kernel "LSM (mode)"
for f in "${flavours[@]}"; do
	dir=$(image_dir "$f")
	for m in libvirtd modular; do
		p=$all_results/$f-$m.platform
		[ -s "$p" ] || p=$VM_WORK/runs/$f-migrate/a/out/platform
		if [[ " $(info_get "$dir" modes) " != *" $m "* ]]; then
			printf '%-20s %-9s %s\n' "$f" "$m" "SKIP: the image ships no ${m/modular/virtnetworkd+virtqemud} (libvirt $(info_get "$dir" libvirt | cut -d- -f1))"
		elif [ "$m" = libvirtd ] && [ -s "$p" ]; then
			printf '%-20s %-9s %-8s %-22s %s\n' "$f" "$m" "$(sed -n 's/^libvirt=//p' "$p")" \
				"$(sed -n 's/^kernel=//p' "$p")" "$(sed -n 's/^lsm=//p' "$p")"
		elif [ -s "$all_results/$f-$m.platform" ]; then
			p=$all_results/$f-$m.platform
			printf '%-20s %-9s %-8s %-22s %s\n' "$f" "$m" "$(sed -n 's/^libvirt=//p' "$p")" \
				"$(sed -n 's/^kernel=//p' "$p")" "$(sed -n 's/^lsm=//p' "$p")"
		else
			printf '%-20s %-9s %s\n' "$f" "$m" "not booted in this run (image: libvirt $(info_get "$dir" libvirt | cut -d- -f1), kernel $(info_get "$dir" kernel), LSM expected: $(info_get "$dir" lsm_expected)$(info_get "$dir" lsm))"
		fi
	done
done
printf '\n%-20s %-9s %-22s %-5s %s\n' flavour mode scenario result detail
for f in "${flavours[@]}"; do
	for m in libvirtd modular; do
		for r in "$all_results/$f-$m-"*.result; do
			[ -e "$r" ] || continue
			s=$(basename "$r" .result)
			s=${s#"$f-$m-"}
			status=$(head -n1 "$r")
			detail=$(sed -n 2p "$r" | cut -c1-70)
			printf '%-20s %-9s %-22s %-5s %s\n' "$f" "$m" "$s" "$status" "$detail"
			case "$status" in
			PASS) pass=$((pass + 1)) ;;
			SKIP) skip=$((skip + 1)) ;;
			*) fail=$((fail + 1)) ;;
			esac
		done
	done
done
echo
for run in "${failed_runs[@]}"; do
	echo "vm: failures in $run: results in $run/out/results, guest console $run/out/serial.log, logs in $run/out/logs"
done
if [ "$fail" = 0 ] && [ "$keep" = 0 ]; then
	rm -rf "$VM_WORK/runs"
fi
say "done"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ] && [ $((pass + skip)) -gt 0 ]
