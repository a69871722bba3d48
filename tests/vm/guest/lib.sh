# SPDX-License-Identifier: LGPL-2.1-or-later
# Helpers for the guest side of the VM harness (sourced by main.sh and by --script scripts that
# want them: . /mnt/src/tests/vm/guest/lib.sh). Everything that can block is bounded by timeout.

STATE_DIR=/run/libvirt-sriov-hooks
HOOKS=/etc/libvirt/hooks
OUT=${OUT:-/mnt/out}
VMDIR=${VMDIR:-/mnt/src/tests/vm}
T0=${T0:-$(cut -d' ' -f1 /proc/uptime)}

timing()
{
	local now
	now=$(cut -d' ' -f1 /proc/uptime)
	echo "timing: $1 ${now%.*}s" | tee -a "$OUT/timings"
}

# --- libvirt ---------------------------------------------------------------------------------
vsh() { timeout 120 virsh -q -c qemu:///system "$@"; }

# Echo a command and its output to the console; return its status.
run()
{
	local out rc
	echo "\$ $*"
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out"
	[ $rc = 0 ] || echo "(exit status $rc)"
	LAST_OUT=$out
	return $rc
}

daemons()
{
	case "$MODE" in
	libvirtd) echo libvirtd ;;
	modular) echo virtnetworkd virtqemud ;;
	esac
}
network_daemon() { [ "$MODE" = modular ] && echo virtnetworkd || echo libvirtd; }

# start_daemon NAME [VAR=VALUE...]: the environment is how g3 gives the network daemon (and so
# its hooks: libvirt passes LD_PRELOAD through) the refusing shim.
start_daemon()
{
	local d=$1 i
	shift
	rm -f "/run/$d.pid"
	env "$@" "$d" -d || { echo "failed to start $d"; return 1; }
	for i in $(seq 1 120); do
		[ -S "/run/libvirt/$d-sock" ] || [ -S /run/libvirt/libvirt-sock ] && [ -s "/run/$d.pid" ] && break
		sleep 0.5
	done
	return 0
}

start_daemons()
{
	local d
	for d in $(daemons); do
		start_daemon "$d" || return 1
	done
	wait_ready
}

wait_ready()
{
	local i
	for i in $(seq 1 120); do
		vsh list >/dev/null 2>&1 && vsh net-list --all >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	echo "libvirt did not answer within 60 s"
	return 1
}

stop_daemon()
{
	local d=$1 pid i
	pid=$(cat "/run/$d.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 1 60); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.5
	done
	echo "$d did not stop in 30 s: SIGKILL"
	kill -9 "$pid" 2>/dev/null
	sleep 1
}

stop_daemons()
{
	local d
	for d in $(daemons); do stop_daemon "$d"; done
}

# Lines of the daemons' logs since a mark (a line count saved by log_mark).
log_mark()
{
	local d
	for d in $(daemons); do
		wc -l <"/var/log/libvirt/$d.log" 2>/dev/null >"/tmp/logmark.$d" || echo 0 >"/tmp/logmark.$d"
	done
}
log_since_mark()
{
	local d n
	for d in $(daemons); do
		n=$(cat "/tmp/logmark.$d" 2>/dev/null || echo 0)
		tail -n +"$((n + 1))" "/var/log/libvirt/$d.log" 2>/dev/null | sed "s/^/$d: /"
	done
}

# --- sysfs and ip ----------------------------------------------------------------------------
numvfs() { cat "/sys/class/net/$1/device/sriov_numvfs"; }
totalvfs() { cat "/sys/class/net/$1/device/sriov_totalvfs"; }

# set_numvfs PF N: through 0, as the kernel demands; only for test set-up.
set_numvfs()
{
	[ "$(numvfs "$1")" = "$2" ] && return 0
	echo 0 >"/sys/class/net/$1/device/sriov_numvfs"
	[ "$2" = 0 ] || echo "$2" >"/sys/class/net/$1/device/sriov_numvfs"
}

# vf_states PF: "IDX spoofchk=on|off trust=on|off" per VF, from ip -d link show.
vf_states()
{
	ip -d link show dev "$1" | sed -n -E \
		's/^[[:space:]]*vf ([0-9]+) .*spoof checking (on|off).* trust (on|off).*/\1 spoofchk=\2 trust=\3/p'
}
vf_state() { vf_states "$1" | awk -v i="$2" '$1 == i { print $2, $3 }'; }

# vf_index PF BDF: N such that /sys/class/net/PF/device/virtfnN is BDF.
vf_index()
{
	local l
	for l in /sys/class/net/"$1"/device/virtfn*; do
		[ -e "$l" ] || continue
		[ "$(basename "$(readlink -f "$l")")" = "$2" ] && { echo "${l##*virtfn}"; return 0; }
	done
	return 1
}

# domain_vfs DOMAIN: the BDF of every VF in the live domain XML (pool and direct).
domain_vfs()
{
	vsh dumpxml "$1" | xmllint --xpath \
		"//devices/interface[@type='hostdev']/source/address | //devices/hostdev[@type='pci']/source/address" - 2>/dev/null |
		sed -E 's#/>#/>\n#g' |
		sed -n -E "s/.*domain=.0x([0-9a-f]+).*bus=.0x([0-9a-f]+).*slot=.0x([0-9a-f]+).*function=.0x([0-9a-f]+).*/\1 \2 \3 \4/p" |
		while read -r d b s f; do printf '%04x:%02x:%02x.%x\n' "0x$d" "0x$b" "0x$s" "0x$f"; done
}

# state_records: our VF records, locks aside.
state_records() { find "$STATE_DIR" -type f ! -path "$STATE_DIR/lock/*" 2>/dev/null; }

# --- results ---------------------------------------------------------------------------------
# scenario_begin NAME; checks with expect/fail/note; scenario_end writes
# $OUT/results/<flavour>-<mode>-<NAME>.result: PASS|FAIL|SKIP, then details.
scenario_begin()
{
	SCEN=$1
	SCEN_FAILS="" SCEN_NOTES=""
	SCEN_T0=$(date +%s)
	echo "$SCEN" >/run/vm-test-scenario
	echo
	echo "=== scenario $SCEN ($FLAVOUR, $MODE)"
	# Nothing here should take minutes: if it does, show what is stuck.
	( sleep 240; echo "watchdog: $SCEN still running after 240 s"; ps -eo pid,etime,args ) &
	SCEN_WATCHDOG=$!
}
fail() { SCEN_FAILS="$SCEN_FAILS$*"$'\n'; echo "FAIL: $*"; }
note() { SCEN_NOTES="$SCEN_NOTES$*"$'\n'; echo "note: $*"; }
# expect WHAT GOT WANT
expect()
{
	if [ "$2" = "$3" ]; then
		echo "ok: $1 = $2"
	else
		fail "$1: got '$2', want '$3'"
	fi
}
scenario_end()
{
	local f="$OUT/results/$FLAVOUR-$MODE-$SCEN.result" secs=$(($(date +%s) - SCEN_T0))
	kill "$SCEN_WATCHDOG" 2>/dev/null
	if [ -z "$SCEN_FAILS" ]; then
		{ echo PASS; printf '%s' "$SCEN_NOTES"; echo "(${secs} s)"; } >"$f"
		echo "=== $SCEN: PASS (${secs} s)"
	else
		{ echo FAIL; printf '%s' "$SCEN_FAILS"; printf '%s' "$SCEN_NOTES"; echo "(${secs} s)"; } >"$f"
		echo "=== $SCEN: FAIL (${secs} s)"
	fi
	echo setup >/run/vm-test-scenario
}
scenario_skip()
{
	printf 'SKIP\n%s\n' "$2" >"$OUT/results/$FLAVOUR-$MODE-$1.result"
	echo "=== $1: SKIP: $2"
}

# --- set-up ----------------------------------------------------------------------------------
setup_base()
{
	local n
	mkdir -p /var/log/libvirt "$OUT/logs"
	# A syslog daemon, so that /dev/log exists and the hooks' syslog lines are kept.
	# (bookworm-selinux: VM_SYSLOGD is a copy labelled for syslogd_t, guest/selinux.sh)
	${VM_SYSLOGD:-busybox syslogd} -O /var/log/messages
	modprobe vfio-pci
	modprobe vfio_iommu_type1
	cat >>/etc/libvirt/qemu.conf <<-EOF
	stdio_handler = "file"
	security_driver = "none"
	cgroup_controllers = [ ]
	namespaces = [ ]
	user = "root"
	group = "root"
	EOF
	for n in libvirtd virtnetworkd virtqemud; do
		[ -f "/etc/libvirt/$n.conf" ] || continue
		cat >>"/etc/libvirt/$n.conf" <<-EOF
		log_filters = "1:util.hook 1:network.bridge_driver 3:util.command"
		log_outputs = "1:file:/var/log/libvirt/$n.log"
		EOF
	done
	# The NAT network would autostart and fail (no dnsmasq): it is noise here.
	rm -f /etc/libvirt/qemu/networks/autostart/default.xml
	# The two igb PFs, in PCI order.
	set -- $(for n in /sys/class/net/*; do
		[ -e "$n/device/sriov_totalvfs" ] || continue
		echo "$(basename "$(readlink -f "$n/device")") $(basename "$n")"
	done | sort | awk '{ print $2 }')
	PF1=${1:-} PF2=${2:-}
	for n in $PF1 $PF2; do ip link set "$n" up; done
	echo "PFs: PF1=$PF1 PF2=$PF2 (sriov_totalvfs $(totalvfs "$PF1"), $(totalvfs "$PF2"))"
	echo "libvirt: $(libvirtd --version 2>/dev/null || virtqemud --version), kernel $(uname -r), mode $MODE"
}

# reset_host: no guest, no network, daemons stopped, libvirt's definitions, our state and the
# hooks directory gone, both PFs at 0 VFs: a scenario that installs its own hooks starts here.
reset_host()
{
	local d
	for d in $(vsh list --name 2>/dev/null); do vsh destroy "$d" >/dev/null 2>&1; done
	for d in $(vsh net-list --name 2>/dev/null); do vsh net-destroy "$d" >/dev/null 2>&1; done
	stop_daemons
	rm -rf /etc/libvirt/qemu/*.xml /etc/libvirt/qemu/networks/*.xml /run/libvirt "$STATE_DIR" "$HOOKS"
	set_numvfs "$PF1" 0
	set_numvfs "$PF2" 0
}

# install_hooks [DIR]: the project's installer, as the README tells users, from the tree the
# host built. With --standin (or no hooks in the build) the stand-in goes in their place.
install_hooks()
{
	local dir=/mnt/src/hooks rc
	if [ "${STANDIN:-0}" = 1 ]; then
		dir=/tmp/standin-hooks
		mkdir -p "$dir"
		install -m 755 "$VMDIR/standin-hook.sh" "$dir/network"
		install -m 755 "$VMDIR/standin-hook.sh" "$dir/qemu"
	fi
	if [ -x /mnt/src/install/install.sh ] || [ -f /mnt/src/install/install.sh ]; then
		run sh /mnt/src/install/install.sh --hooks-dir "$dir"
		rc=$?
	else
		echo "install/install.sh missing: copying the hooks by hand (stand-in only)"
		mkdir -p "$HOOKS"
		for h in network qemu; do [ -x "$dir/$h" ] && install -m 755 "$dir/$h" "$HOOKS/$h"; done
		rc=0
	fi
	if [ "${CAPTURE:-0}" = 1 ] && [ "${STANDIN:-0}" != 1 ]; then
		mkdir -p "$HOOKS/network.d" "$HOOKS/qemu.d"
		install -m 755 "$VMDIR/standin-hook.sh" "$HOOKS/network.d/00-capture"
		install -m 755 "$VMDIR/standin-hook.sh" "$HOOKS/qemu.d/00-capture"
	fi
	echo "installed hooks:"
	find "$HOOKS" -type f -exec ls -l {} + 2>/dev/null
	return $rc
}

collect_logs()
{
	cp /var/log/libvirt/*.log "$OUT/logs/" 2>/dev/null
	cp -r /var/log/libvirt/qemu "$OUT/logs/qemu" 2>/dev/null
	cp /var/log/messages "$OUT/logs/syslog" 2>/dev/null
	dmesg >"$OUT/logs/dmesg"
	find "$STATE_DIR" -ls >"$OUT/logs/state-dir" 2>/dev/null
	find "$HOOKS" -ls >"$OUT/logs/hooks-dir" 2>/dev/null
}
