#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Guest side of the two-host live-migration scenarios (tests/vm/migrate.sh). Run by main.sh as
# its SCRIPT in both guests, after the hooks are installed and libvirtd started; the role comes
# from /mnt/out/config (MIG_ROLE=a: the source, which drives the scenarios; b: the destination,
# which serves a's requests).
#
# The two guests share:
#   - a private link, a virtio NIC per guest joined by QEMU's `-netdev dgram` over the host's
#     loopback: a is 10.99.0.1/24, b 10.99.0.2/24. libvirtd listens (TCP, no authentication,
#     test-only) on that address only, and the migration stream goes over it;
#   - a 9p directory at /mnt/mig: "ready-ROLE" flags, and the requests a sends b to run
#     (rpc/req.N -> rpc/out.N + rpc/rc.N), so that a can read b's `ip link` and state directory
#     while b's guest is still paused.
#
# FLEET=1 (tests/vm/fleet.sh, scenario n-fleet): the hooks are not installed (main.sh) and no
# pool is defined here: each guest starts sshd on a third NIC (QEMU's user network, whose
# hostfwd on the host's loopback is the controller's way in, with a key made for the run), says
# its PF names, and the host's Ansible play installs the hooks and defines the pools. a runs the
# migration scenarios once the host writes fleet-go (or skips them on "abort").
set -u

OUT=${OUT:-/mnt/out}
VMDIR=/mnt/src/tests/vm
# shellcheck disable=SC1091
. "$OUT/config"
. "$VMDIR/guest/lib.sh"
. "$VMDIR/guest/scenarios.sh"
. "$VMDIR/guest/migrate-scenarios.sh"

MIG=/mnt/mig
ROLE=${MIG_ROLE:?MIG_ROLE not set}
MIG_TIMEOUT=${MIG_TIMEOUT:-900}
IP_A=10.99.0.1 IP_B=10.99.0.2
case "$ROLE" in
a) MY_IP=$IP_A ;;
b) MY_IP=$IP_B ;;
*) echo "migrate-main: bad role '$ROLE'"; exit 2 ;;
esac

# --- the host: name, link, libvirtd listening on the link ---------------------------------------
setup_host()
{
	local nic="" n uuid listener shim
	mkdir -p "$MIG"
	mountpoint -q "$MIG" || mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 mig "$MIG" ||
		{ echo "cannot mount the shared directory"; return 1; }
	# libvirt refuses a migration between hosts with the same name or host UUID.
	hostname "mig-$ROLE"
	printf '127.0.1.1 mig-%s\n%s mig-a\n%s mig-b\n' "$ROLE" "$IP_A" "$IP_B" >>/etc/hosts
	modprobe virtio_net 2>/dev/null
	modprobe tun 2>/dev/null  # the guests' virtio interfaces: taps on mbr0
	for _ in $(seq 1 50); do
		for n in /sys/class/net/*; do
			[ "$(cat "$n/address" 2>/dev/null)" = "$MIG_LINK_MAC" ] && nic=$(basename "$n")
		done
		[ -n "$nic" ] && break
		sleep 0.2
	done
	[ -n "$nic" ] || { echo "no NIC with MAC $MIG_LINK_MAC"; return 1; }
	ip addr add "$MY_IP/24" dev "$nic"
	ip link set "$nic" up
	echo "private link: $nic $MY_IP"
	# The bridge behind the guests' virtio (persistent) interface: no ports, no traffic.
	ip link add mbr0 type bridge && ip link set mbr0 up

	[ "${FLEET:-0}" = 1 ] && { fleet_sshd || return 1; }
	stop_daemons
	mkdir -p "$HOOKS/network.d" "$HOOKS/qemu.d"
	install -m 755 "$VMDIR/guest/migrate-order-hook.sh" "$HOOKS/network.d/zz-order"
	install -m 755 "$VMDIR/guest/migrate-order-hook.sh" "$HOOKS/qemu.d/zz-order"
	uuid=$([ "$ROLE" = a ] && echo 6d1f4e3a-aaaa-4000-8000-00000000000a || echo 6d1f4e3a-bbbb-4000-8000-00000000000b)
	# The listener: libvirtd itself (--listen), or on modular hosts virtproxyd, as Fedora has it
	# (its virtproxyd-tcp.socket), forwarding qemu+tcp:// to virtqemud; virtproxyd has no
	# --listen: without socket activation it listens as its listen_tcp says. host_uuid goes to every daemon
	# (the qemu driver's is the one a migration compares).
	listener=libvirtd
	[ "$MODE" = modular ] && listener=virtproxyd
	cat >>"/etc/libvirt/$listener.conf" <<-EOF
	listen_tls = 0
	listen_tcp = 1
	auth_tcp = "none"
	listen_addr = "$MY_IP"
	EOF
	for n in $(daemons) $listener; do
		echo "host_uuid = \"$uuid\"" >>"/etc/libvirt/$n.conf"
	done
	echo "migration_address = \"$MY_IP\"" >>/etc/libvirt/qemu.conf
	# The destination's network daemon carries the refusing shim (scenario m3); it does nothing
	# until /run/vm-refuse-vf-attr exists.
	shim=()
	[ "$ROLE" = b ] && [ -f "$OUT/tools/refuse-vf-attr.so" ] && shim=(LD_PRELOAD="$OUT/tools/refuse-vf-attr.so")
	if [ "$MODE" = modular ]; then
		start_daemon virtnetworkd "${shim[@]}" && start_daemon virtqemud &&
			{ rm -f /run/virtproxyd.pid; virtproxyd -d; } || { echo "$listener failed to start"; return 1; }
	else
		# How libvirtd starts here, also for the fleet play's restart
		# (sriov_install_restart_command): every libvirtd stopped, whatever its pid file says.
		cat >/usr/local/sbin/vm-restart-libvirtd <<-EOF
		#!/bin/bash
		. /mnt/src/tests/vm/guest/lib.sh
		MODE=libvirtd
		for p in \$(pidof libvirtd); do kill "\$p"; done
		for i in \$(seq 1 60); do pidof libvirtd >/dev/null || break; sleep 0.5; done
		pidof libvirtd >/dev/null && { echo "libvirtd did not stop"; exit 1; }
		rm -f /run/libvirtd.pid
		env ${shim[*]} libvirtd -d --listen || { echo "libvirtd -d --listen failed"; exit 1; }
		wait_ready
		EOF
		chmod 755 /usr/local/sbin/vm-restart-libvirtd
		/usr/local/sbin/vm-restart-libvirtd || return 1
	fi
	wait_ready || return 1
	for _ in $(seq 1 60); do
		timeout 20 virsh -q -c "qemu+tcp://$MY_IP/system" version >/dev/null 2>&1 && break
		sleep 0.5
	done
	echo "$listener: $($listener --version), listening on $MY_IP:16509 ($(daemons))"
	if [ "${FLEET:-0}" = 1 ]; then
		printf 'PF1=%s\nPF2=%s\n' "$PF1" "$PF2" >"$MIG/pfs-$ROLE"
		return 0
	fi

	# The same pools, by name and policy, on both hosts.
	define_from net "$(pool_xml pool1 "$PF1" "vfs='4' spoofchk='off' trust='on' on-error='warn'")"
	define_from net "$(pool_xml strict "$PF2" "vfs='2' on-error='fail'")"
	run vsh net-start pool1 || return 1
	run vsh net-start strict || return 1
	for n in "$PF1" "$PF2"; do vf_states "$n" >"/tmp/baseline.$n"; done
	run ip -d link show dev "$PF1"
}

# --- FLEET=1: the controller's way in --------------------------------------------------------------
fleet_sshd()
{
	local nic="" n
	for _ in $(seq 1 50); do
		for n in /sys/class/net/*; do
			[ "$(cat "$n/address" 2>/dev/null)" = "$FLEET_SSH_MAC" ] && nic=$(basename "$n")
		done
		[ -n "$nic" ] && break
		sleep 0.2
	done
	[ -n "$nic" ] || { echo "no NIC with MAC $FLEET_SSH_MAC"; return 1; }
	# QEMU's user network: the guest is 10.0.2.15, where hostfwd delivers.
	ip addr add 10.0.2.15/24 dev "$nic" && ip link set "$nic" up || return 1
	[ -x /usr/sbin/sshd ] || { echo "no sshd in the image"; return 1; }
	install -d -m 700 /root/.ssh
	install -m 600 "$MIG/authorized_keys" /root/.ssh/authorized_keys || return 1
	mkdir -p /run/sshd
	/usr/sbin/sshd -o PermitRootLogin=prohibit-password -o PasswordAuthentication=no \
		-o ListenAddress=10.0.2.15 || { echo "sshd failed"; return 1; }
	echo "sshd on $nic 10.0.2.15"
}

# a, FLEET=1: wait for the host's play; then baselines on both hosts (the play started the pools).
fleet_wait()
{
	local deadline=$((SECONDS + MIG_TIMEOUT)) n
	# shellcheck disable=SC2034 # mig_fail_all's
	MIG_SELECTED=${MIG_SCENARIOS:-m1-migrate}
	while [ $SECONDS -lt $deadline ] && [ ! -e "$MIG/fleet-go" ]; do sleep 1; done
	if [ "$(cat "$MIG/fleet-go" 2>/dev/null)" != go ]; then
		mig_fail_all "the fleet play did not set the hosts up (see the n-fleet result)"
		return 1
	fi
	for n in "$PF1" "$PF2"; do vf_states "$n" >"/tmp/baseline.$n"; done
	# shellcheck disable=SC2016 # expanded on b
	on_b 'for n in $PF1 $PF2; do vf_states $n >/tmp/baseline.$n; done' || return 1
	return 0
}

# --- b: serve a's requests until a is done ---------------------------------------------------------
serve()
{
	local n=1 deadline=$((SECONDS + MIG_TIMEOUT)) r=$MIG/rpc
	while [ $SECONDS -lt $deadline ] && [ ! -e "$MIG/done-a" ]; do
		if [ -e "$r/req.$n" ]; then
			echo "rpc $n: $(head -c 300 "$r/req.$n" | tr '\n' ' ')"
			# shellcheck disable=SC1090
			(. "$r/req.$n") >"$r/out.$n" 2>&1 </dev/null
			echo $? >"$r/rc.$n.tmp"
			mv "$r/rc.$n.tmp" "$r/rc.$n"
			n=$((n + 1))
		else
			sleep 0.2
		fi
	done
	[ -e "$MIG/done-a" ] || echo "serve: a never said it was done (${MIG_TIMEOUT} s)"
}

timing mig-boot
if ! setup_host; then
	echo "setup failed"
	echo "setup failed" >"$MIG/failed-$ROLE"
	[ "$ROLE" = a ] && mig_fail_all "host a: set-up failed (see its guest.log)"
	: >"$MIG/done-$ROLE"
	exit 1
fi
timing mig-setup
: >"$MIG/ready-$ROLE"
if [ "$ROLE" = b ]; then
	serve
else
	mkdir -p "$MIG/rpc"
	if [ "${FLEET:-0}" != 1 ] || fleet_wait; then
		run_mig_scenarios
	fi
	: >"$MIG/done-a"
fi
cp /run/vm-mig/order.log "$OUT/hook-order.log" 2>/dev/null
timing mig-end
exit 0
