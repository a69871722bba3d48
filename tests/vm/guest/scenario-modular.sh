# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# shellcheck disable=SC2046,SC2086,SC2015,SC2116 # lists split on purpose; "a && b || fail" reports either failure
# Scenarios only hosts with the modular daemons have (sourced by main.sh after scenarios.sh):
# the network hook runs in virtnetworkd, the qemu hook in virtqemud, two processes that share
# only the hooks' state directory.
#   j1  virtnetworkd restarted with guests running: port-created replayed for every port (each
#       network's `virsh net-port-list`), nothing changed (VF states, sriov_numvfs, our records)
#   j2  virtqemud restarted with guests running: qemu `reconnect` per guest, in virtqemud; guests,
#       their VFs, VF states, sriov_numvfs and our records unchanged
#   j3  a per-guest override recorded by the qemu hook (prepare, in virtqemud) honoured by
#       port-created (in virtnetworkd, another process)
#   j4  the installer reloads both running daemons (no restart: same PIDs) so that their first
#       hooks are seen: doctor reports both hooks active from the installer's record of the
#       reload, net-start creates VFs (network hook), a guest's override applies (qemu hook)
# Which hooks ran, and in which process, comes from a test hook (guest/call-log-hook.sh, after
# ours in network.d/ and qemu.d/); what they did is read from sysfs and `ip -d link` as elsewhere.
# In another mode they are reported as skipped.

MODULAR_SCENARIOS="j1-virtnetworkd-restart j2-virtqemud-restart j3-override-across-daemons
j4-installer-reload"
CALLS=/run/vm-calls.log

if [ "$MODE" = modular ]; then
	ALL_SCENARIOS="$ALL_SCENARIOS $MODULAR_SCENARIOS"
else
	for s in $MODULAR_SCENARIOS; do
		for want in ${SCENARIOS:-j}; do
			case "$s" in "$want"*)
				scenario_skip "$s" "needs the modular daemons (virtnetworkd, virtqemud); mode $MODE runs every driver in one process"
				break ;;
			esac
		done
	done
fi

daemon_pid() { cat "/run/$1.pid" 2>/dev/null; }

# A pool interface of NETWORK with MAC, for guest_xml's extra devices.
pool_iface() { echo "<interface type='network'><mac address='$2'/><source network='$1'/></interface>"; }

# host_snapshot: everything a daemon restart must leave alone, one line per fact.
host_snapshot()
{
	local pf r
	for pf in "$PF1" "$PF2"; do
		echo "$pf sriov_numvfs $(numvfs "$pf")"
		vf_states "$pf" | sed "s/^/$pf vf /"
	done
	for r in $(state_records | sort); do echo "record $r $(md5sum <"$r" | cut -c1-32)"; done
}

# expect_same WHAT BEFORE-FILE AFTER-FILE
expect_same()
{
	local d
	d=$(diff "$2" "$3" | grep '^[<>]' | tr '\n' ';')
	expect "$1 (differences)" "${d:-none}" none
}

# restart_alone DAEMON OTHER TAG: what the guests and the host look like (/tmp/TAG.*), the test
# hook's log emptied, then DAEMON alone restarted: it gets a new PID, OTHER keeps its own.
restart_alone()
{
	local pid other_pid
	host_snapshot >"/tmp/$3.before"
	domain_vfs jg1 >"/tmp/$3.vfs1"
	domain_vfs jg2 >"/tmp/$3.vfs2"
	pid=$(daemon_pid "$1")
	other_pid=$(daemon_pid "$2")
	: >"$CALLS"
	stop_daemon "$1"
	start_daemon "$1" && wait_ready || { fail "$1 did not come back"; return 1; }
	sleep 3
	expect "$2 PID (not restarted)" "$(daemon_pid "$2")" "$other_pid"
	[ "$(daemon_pid "$1")" != "$pid" ] || fail "$1 PID unchanged: not restarted"
}

# expect_unchanged DAEMON TAG: after restart_alone, the guests keep their VFs and the VF states,
# sriov_numvfs and records are as they were.
expect_unchanged()
{
	expect "jg1's VFs" "$(domain_vfs jg1 | tr '\n' ' ')" "$(tr '\n' ' ' <"/tmp/$2.vfs1")"
	expect "jg2's VFs" "$(domain_vfs jg2 | tr '\n' ' ')" "$(tr '\n' ' ' <"/tmp/$2.vfs2")"
	host_snapshot >"/tmp/$2.after"
	expect_same "VF states, sriov_numvfs, records after the $1 restart" "/tmp/$2.before" "/tmp/$2.after"
}

# calls_matching PATTERN: the test hook's lines since the last reset matching an ERE.
calls_matching() { grep -E "$1" "$CALLS" 2>/dev/null; }

# modular_ready: hooks (ours, the test hook), both daemons, pool1 (policy) and pool2 (none)
# active. Set up once, from a clean host; later scenarios reuse it.
modular_ready()
{
	if [ -x "$HOOKS/network.d/zz-calls" ] && vsh net-info pool1 2>/dev/null | grep -q 'Active:.*yes' &&
		vsh net-info pool2 2>/dev/null | grep -q 'Active:.*yes'; then
		return 0
	fi
	reset_host
	install_hooks || { fail "the installer failed: $LAST_OUT"; return 1; }
	mkdir -p "$HOOKS/network.d" "$HOOKS/qemu.d"
	install -m 755 "$VMDIR/guest/call-log-hook.sh" "$HOOKS/network.d/zz-calls"
	install -m 755 "$VMDIR/guest/call-log-hook.sh" "$HOOKS/qemu.d/zz-calls"
	start_daemons || { fail "daemons did not start"; return 1; }
	define_from net "$(pool_xml pool1 "$PF1" "vfs='4' spoofchk='off' trust='on' on-error='warn'")"
	define_from net "$(pool_xml pool2 "$PF2")"
	run vsh net-start pool1 || { fail "net-start pool1: $LAST_OUT"; return 1; }
	run vsh net-start pool2 || { fail "net-start pool2: $LAST_OUT"; return 1; }
	vf_states "$PF1" >"/tmp/baseline.$PF1"
	vf_states "$PF2" >"/tmp/baseline.$PF2"
}

# modular_guests: jg1 (one VF of pool1) and jg2 (one of pool1, one of pool2) running.
modular_guests()
{
	if ! vsh domstate jg1 2>/dev/null | grep -q running; then
		define_from domain "$(guest_xml jg1 52:54:00:aa:cc:01)"
		run vsh start jg1 || { fail "start jg1: $LAST_OUT"; return 1; }
	fi
	if ! vsh domstate jg2 2>/dev/null | grep -q running; then
		define_from domain "$(guest_xml jg2 52:54:00:aa:cc:02 "$(pool_iface pool2 52:54:00:aa:cc:03)")"
		run vsh start jg2 || { fail "start jg2: $LAST_OUT"; return 1; }
	fi
}

scen_j1()
{
	local net ports n calls
	modular_ready || return
	modular_guests || return
	expect_policy "$PF1" $(domain_vfs jg1)
	restart_alone virtnetworkd virtqemud j1 || return
	for net in pool1 pool2; do
		ports=$(vsh net-port-list "$net" | grep -c .)
		n=$(calls_matching "^network virtnetworkd [0-9]+ $net port-created begin" | wc -l)
		expect "$net: port-created replayed in virtnetworkd, once per port" "$n" "$ports"
	done
	expect "$(echo pool1 + pool2) ports" "$(( $(vsh net-port-list pool1 | grep -c .) + $(vsh net-port-list pool2 | grep -c .) ))" 3
	calls=$(calls_matching '^qemu ' | head -n 3)
	expect "qemu hook calls while virtnetworkd restarted" "${calls:-none}" none
	note "hook calls at the virtnetworkd restart: $(cut -d' ' -f1,2,4- "$CALLS" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
	expect "jg1 state" "$(vsh domstate jg1)" running
	expect "jg2 state" "$(vsh domstate jg2)" running
	expect_unchanged virtnetworkd j1
	expect "records of the running guests' VFs" "$(grep -c '^record' /tmp/j1.after)" 3
}

scen_j2()
{
	local g n calls
	modular_ready || return
	modular_guests || return
	restart_alone virtqemud virtnetworkd j2 || return
	for g in jg1 jg2; do
		n=$(calls_matching "^qemu virtqemud [0-9]+ $g reconnect begin" | wc -l)
		expect "$g: qemu reconnect in virtqemud" "$n" 1
		expect "$g state" "$(vsh domstate "$g")" running
	done
	calls=$(calls_matching '^network .* port-(created|deleted)' | head -n 3)
	note "network hook calls at the virtqemud restart: ${calls:-none}"
	note "hook calls at the virtqemud restart: $(cut -d' ' -f1,2,4- "$CALLS" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
	expect_unchanged virtqemud j2
}

# The override (spoofchk off, trust off) is neither pool1's policy (trust on) nor an untouched
# VF (spoofchk on): only the record the qemu hook made in virtqemud can give it.
scen_j3()
{
	local vfs bdf meta uuid prep pc
	# (the baseline stays the one modular_ready took at activation: jg1 and jg2 may be running)
	modular_ready || return
	meta="<sriov:guest xmlns:sriov='$NS'><sriov:interface mac='52:54:00:aa:cc:31' spoofchk='off' trust='off'/></sriov:guest>"
	define_from domain "$(guest_xml jg3 52:54:00:aa:cc:31 "" "$meta")"
	: >"$CALLS"
	run vsh start jg3 || { fail "start jg3: $LAST_OUT"; return; }
	uuid=$(vsh domuuid jg3)
	vfs=$(domain_vfs jg3)
	expect "VFs given to jg3" "$(echo "$vfs" | grep -c .)" 1
	run ip -d link show dev "$PF1"
	for bdf in $vfs; do
		expect "$PF1 vf $(vf_index "$PF1" "$bdf") (override)" \
			"$(vf_state "$PF1" "$(vf_index "$PF1" "$bdf")")" "spoofchk=off trust=off"
	done
	prep=$(calls_matching "^qemu [^ ]+ [0-9]+ jg3 prepare begin" | head -n 1)
	pc=$(calls_matching "^network [^ ]+ [0-9]+ pool1 port-created begin" | head -n 1)
	expect "process running qemu prepare" "$(echo "$prep" | cut -d' ' -f2)" virtqemud
	expect "process running network port-created" "$(echo "$pc" | cut -d' ' -f2)" virtnetworkd
	[ "$(echo "$prep" | cut -d' ' -f3)" != "$(echo "$pc" | cut -d' ' -f3)" ] ||
		fail "prepare and port-created ran in the same process"
	note "state directory while jg3 runs: $(find "$STATE_DIR" -type f ! -path "$STATE_DIR/lock/*" | sed "s|$STATE_DIR/||" | sort | tr '\n' ' ')"
	[ -n "$(find "$STATE_DIR" -type f -name "*$uuid*" 2>/dev/null)" ] ||
		note "no file naming jg3's UUID in $STATE_DIR while it runs"
	run vsh destroy jg3
	# (jg1 and jg2, if running, keep their VFs under the pool's policy)
	expect_baseline "$PF1" $(indexes_of "$PF1" $(domain_vfs jg1 2>/dev/null) $(domain_vfs jg2 2>/dev/null))
	expect "files naming jg3's UUID after destroy" "$(find "$STATE_DIR" -name "*$uuid*" 2>/dev/null | head -n 1)" ""
	vsh undefine jg3 >/dev/null 2>&1
	# The shared guests go too: the last modular scenario (j4) starts from a clean host.
	for g in jg1 jg2; do vsh destroy "$g" >/dev/null 2>&1; vsh undefine "$g" >/dev/null 2>&1; done
	expect_baseline "$PF1"
	expect_no_records
}

scen_j4()
{
	local qpid npid vfs meta
	reset_host
	start_daemons || { fail "daemons did not start"; return; }
	qpid=$(daemon_pid virtqemud)
	npid=$(daemon_pid virtnetworkd)
	expect "hooks before the install" "$(find "$HOOKS" -type f 2>/dev/null | head -n 1)" ""
	install_hooks || fail "the installer failed: $LAST_OUT"
	case "$LAST_OUT" in *"virtnetworkd: reloaded"*) echo "ok: virtnetworkd reloaded" ;;
	*) fail "the installer did not say it reloaded virtnetworkd" ;; esac
	case "$LAST_OUT" in *"virtqemud: reloaded"*) echo "ok: virtqemud reloaded" ;;
	*) fail "the installer did not say it reloaded virtqemud" ;; esac
	sleep 2
	expect "virtnetworkd PID after the install (reloaded, not restarted)" "$(daemon_pid virtnetworkd)" "$npid"
	expect "virtqemud PID after the install (reloaded, not restarted)" "$(daemon_pid virtqemud)" "$qpid"
	kill -0 "$npid" 2>/dev/null || fail "virtnetworkd is gone"
	kill -0 "$qpid" 2>/dev/null || fail "virtqemud is gone"
	wait_ready || fail "libvirt does not answer after the reload"
	# doctor cannot see a reload in /proc: it reads the installer's record of it. Both daemons
	# started before the hooks existed, so without the record both checks would fail.
	run /mnt/src/hooks/sriov-hooks doctor
	case "$LAST_OUT" in *"[ ok ] network hook active: virtnetworkd (pid $npid) reloaded by the installer at "*)
		echo "ok: doctor: virtnetworkd sees the network hook (the installer's reload)" ;;
	*) fail "doctor: network hook active: $(echo "$LAST_OUT" | grep 'network hook active')" ;; esac
	case "$LAST_OUT" in *"[ ok ] qemu hook active: virtqemud (pid $qpid) reloaded by the installer at "*)
		echo "ok: doctor: virtqemud sees the qemu hook (the installer's reload)" ;;
	*) fail "doctor: qemu hook active: $(echo "$LAST_OUT" | grep 'qemu hook active')" ;; esac
	define_from net "$(pool_xml pool1 "$PF1" "vfs='4' spoofchk='off' trust='on' on-error='warn'")"
	run vsh net-start pool1 || { fail "net-start pool1: $LAST_OUT"; return; }
	expect "$PF1 sriov_numvfs (virtnetworkd ran the first network hook)" "$(numvfs "$PF1")" 4
	vf_states "$PF1" >"/tmp/baseline.$PF1"
	meta="<sriov:guest xmlns:sriov='$NS'><sriov:interface mac='52:54:00:aa:cc:41' spoofchk='off' trust='off'/></sriov:guest>"
	define_from domain "$(guest_xml jg4 52:54:00:aa:cc:41 "" "$meta")"
	run vsh start jg4 || { fail "start jg4: $LAST_OUT"; return; }
	vfs=$(domain_vfs jg4)
	for bdf in $vfs; do
		expect "$PF1 vf $(vf_index "$PF1" "$bdf") (override: virtqemud ran the first qemu hook)" \
			"$(vf_state "$PF1" "$(vf_index "$PF1" "$bdf")")" "spoofchk=off trust=off"
	done
	run vsh destroy jg4
	vsh undefine jg4 >/dev/null 2>&1
	expect_baseline "$PF1"
	run vsh net-destroy pool1
	expect_no_records
}
