# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# shellcheck disable=SC2154 # scenarios, standin, tools, accel, all_results, tree: run.sh's
# shellcheck disable=SC2034,SC2054 # boot_extra is read by run.sh's boot; its commas are QEMU's
# Host side of scenario n-fleet (issue 16), sourced by run.sh after migrate.sh: the Ansible
# collection (install/ansible) sets up the two migration hosts from nothing, with this machine as
# the control node.
#
# The two guests boot as for the migration scenarios (private link, shared directory), with
# FLEET=1 (guest/migrate-main.sh): no hooks installed, no pool defined, and a third NIC on QEMU's
# user network whose hostfwd (127.0.0.1:PORT -> the guest's sshd) is the controller's way in,
# with a key made for this run only. Then, here:
#   1. the collection is built and installed (ansible-galaxy) into the run's directory;
#   2. the play (libvirt_sriov_hooks.fleet.site) installs the .deb (VM_DEB, else one built now
#      by install/build-deb.sh), writes the host file, restarts libvirtd, defines and starts
#      pool1 and strict on both hosts and checks them: it must pass; its time is measured;
#   3. the same play again: 0 changed on both hosts;
#   4. pool1's trust turned off by hand on mig-b (virsh): the check play must fail, naming
#      mig-b and pool1;
#   5. the play with sriov_pools_apply_now=true repairs mig-b; its own check (the play ends with
#      the check role) passes;
#   6. guest a runs the migration scenario m1 (and any other m* selected) between the hosts the
#      play set up; those results are reported as n-fleet-m1-migrate etc.
# Needs ansible-playbook and community.libvirt on this machine (install/deps.sh), else SKIP.

FLEET_ALL="n-fleet"

fleet_selected()
{
	local want
	if [ ${#scenarios[@]} -eq 0 ]; then echo "$FLEET_ALL"; return; fi
	for want in "${scenarios[@]}"; do
		case "$FLEET_ALL" in "$want"*) echo "$FLEET_ALL"; return ;; esac
	done
}

fleet_free_tcp_port()
{
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# fleet_play RUN NAME [ansible-playbook ARGS...]: one play, json callback; sets FLEET_RC,
# FLEET_SECS, FLEET_CHANGED ("mig-a=N mig-b=N") and FLEET_MSGS (the failure messages).
fleet_play()
{
	local run=$1 name=$2 t0
	shift 2
	t0=$SECONDS
	(cd "$run/ctl" && ANSIBLE_STDOUT_CALLBACK=json timeout 1500 ansible-playbook -i inventory.yml "$@") \
		>"$run/ctl/$name.json" 2>"$run/ctl/$name.err"
	FLEET_RC=$?
	FLEET_SECS=$((SECONDS - t0))
	FLEET_CHANGED=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(" ".join("%s=%d" % (h, s["changed"]) for h, s in sorted(r["stats"].items())))' \
		"$run/ctl/$name.json" 2>/dev/null)
	FLEET_MSGS=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for p in r["plays"]:
    for t in p["tasks"]:
        for h, v in sorted(t["hosts"].items()):
            if v.get("failed") or v.get("unreachable"):
                m = v.get("msg")
                for l in (m if isinstance(m, list) else [m]):
                    print("%s: %s: %s" % (h, t["task"]["name"], l))' "$run/ctl/$name.json" 2>/dev/null)
	say "fleet: $name: exit $FLEET_RC, ${FLEET_SECS} s, changed: ${FLEET_CHANGED:-?}"
}

# fleet_task_ran JSON TASK: the play's task TASK (its name, as the json callback gives it, which
# may carry the role's prefix) ran on at least one host and failed on none.
fleet_task_ran()
{
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
hit = [v for p in r["plays"] for t in p["tasks"]
       if t["task"]["name"].split(" : ")[-1] == sys.argv[2] for v in t["hosts"].values()]
sys.exit(0 if hit and not any(v.get("failed") for v in hit) else 1)' "$1" "$2" 2>/dev/null
}

# fleet_steps RUN: steps 1-5; their findings in $run/fleet.result (PASS/FAIL first line).
fleet_steps()
{
	local run=$1 ctl=$1/ctl deb=${VM_DEB:-} fails="" notes="" r role pf1 pf2 t_first changed_first
	mkdir -p "$ctl/collections"
	fail_() { fails="$fails$*"$'\n'; say "fleet: FAIL: $*"; }
	note_() { notes="$notes$*"$'\n'; say "fleet: $*"; }

	if [ -z "$deb" ]; then
		# From the sources, as CI's package step does (run.sh's copy is configured in place,
		# where build-deb.sh's out-of-tree make dist cannot run).
		say "fleet: building the .deb (install/build-deb.sh --binary-only --nocheck --no-lintian)"
		rm -rf "$VM_WORK/fleet-deb"
		if ! bash "$SRCDIR/install/build-deb.sh" --binary-only --nocheck --no-lintian "$VM_WORK/fleet-deb" \
			>"$run/build-deb.log" 2>&1; then
			fail_ "install/build-deb.sh failed: $(tail -n 3 "$run/build-deb.log" | tr '\n' ' ')"
		fi
		for deb in "$VM_WORK"/fleet-deb/libvirt-sriov-hooks_*.deb; do break; done
	fi
	if [ -z "$deb" ] || [ ! -f "$deb" ]; then fail_ "no .deb to install"; fi
	if ! (cd "$tree/install/ansible" && ansible-galaxy collection build --force --output-path "$ctl") \
		>"$ctl/galaxy.log" 2>&1 ||
		! ansible-galaxy collection install --no-deps --force -p "$ctl/collections" \
			"$ctl"/libvirt_sriov_hooks-fleet-*.tar.gz >>"$ctl/galaxy.log" 2>&1; then
		fail_ "ansible-galaxy could not build or install the collection: $(tail -n 3 "$ctl/galaxy.log" | tr '\n' ' ')"
	fi
	# The guests are up when both said ready (or failed).
	for _ in $(seq 1 $((VM_TIMEOUT / 2))); do
		[ -e "$run/link/failed-a" ] || [ -e "$run/link/failed-b" ] && break
		[ -e "$run/link/ready-a" ] && [ -e "$run/link/ready-b" ] && break
		sleep 2
	done
	for role in a b; do
		[ -e "$run/link/ready-$role" ] || fail_ "guest $role never got ready (see its guest.log)"
	done
	if [ -n "$fails" ]; then
		printf 'FAIL\n%s' "$fails" >"$run/fleet.result"
		return 1
	fi

	# The inventory: both hosts through their hostfwd, the pools of the migration scenarios.
	{
		echo "hypervisors:"
		echo "  hosts:"
		for role in a b; do
			pf1=$(sed -n 's/^PF1=//p' "$run/link/pfs-$role")
			pf2=$(sed -n 's/^PF2=//p' "$run/link/pfs-$role")
			cat <<-INV
			    mig-$role:
			      ansible_host: 127.0.0.1
			      ansible_port: $(cat "$run/ssh-port-$role")
			      sriov_pools_list:
			        - {name: pool1, pf: $pf1, policy: {vfs: 4, spoofchk: "off", trust: "on", on-error: warn}}
			        - {name: strict, pf: $pf2, policy: {vfs: 2, on-error: fail}}
			INV
		done
		cat <<-INV
		  vars:
		    ansible_user: root
		    ansible_ssh_private_key_file: $ctl/key
		    ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=60
		    ansible_python_interpreter: /usr/bin/python3
		    sriov_install_package_file: $deb
		    sriov_install_host_defaults: {on-error: warn}
		    sriov_install_restart_command: /usr/local/sbin/vm-restart-libvirtd
		    sriov_check_peer_groups: [migration_peers]
		migration_peers:
		  hosts:
		    mig-a:
		    mig-b:
		INV
	} >"$ctl/inventory.yml"
	export ANSIBLE_COLLECTIONS_PATH="$ctl/collections" ANSIBLE_PIPELINING=1 ANSIBLE_NOCOLOR=1 \
		ANSIBLE_HOST_KEY_CHECKING=0 ANSIBLE_LOCAL_TEMP="$ctl/tmp" ANSIBLE_RETRY_FILES_ENABLED=0 \
		ANSIBLE_CONFIG="$ctl/ansible.cfg"
	: >"$ctl/ansible.cfg"

	# 2. From nothing.
	fleet_play "$run" play1 libvirt_sriov_hooks.fleet.site -e sriov_hosts=hypervisors
	t_first=$FLEET_SECS changed_first=$FLEET_CHANGED
	if [ "$FLEET_RC" = 0 ]; then
		note_ "first play (install, pools, check) from nothing: ${t_first} s, changed: $changed_first"
	else
		fail_ "first play: exit $FLEET_RC: $(echo "$FLEET_MSGS" | head -n 5 | tr '\n' ' ')"
		python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for p in r["plays"]:
    for t in p["tasks"]:
        for h, v in sorted(t["hosts"].items()):
            if "Restart" in t["task"]["name"] and v.get("stdout"):
                print("%s: restart: %s" % (h, v["stdout"]))' "$run/ctl/play1.json" >&2
	fi
	# 3. Again: nothing to change.
	if [ -z "$fails" ]; then
		fleet_play "$run" play2 libvirt_sriov_hooks.fleet.site -e sriov_hosts=hypervisors
		if [ "$FLEET_RC" = 0 ] && [ "$FLEET_CHANGED" = "mig-a=0 mig-b=0" ]; then
			note_ "second play: ${FLEET_SECS} s, changed: $FLEET_CHANGED"
		else
			fail_ "second play: exit $FLEET_RC, changed: $FLEET_CHANGED (want mig-a=0 mig-b=0): $(echo "$FLEET_MSGS" | head -n 5 | tr '\n' ' ')"
		fi
	fi
	# 4. pool1's policy changed by hand on mig-b: the check names mig-b and pool1.
	if [ -z "$fails" ]; then
		if ! timeout 300 ssh -i "$ctl/key" -p "$(cat "$run/ssh-port-b")" -o StrictHostKeyChecking=no \
			-o UserKnownHostsFile=/dev/null -o BatchMode=yes root@127.0.0.1 \
			"virsh net-dumpxml --inactive pool1 | sed \"s/trust=.on./trust='off'/\" >/tmp/pool1.xml &&
			 virsh net-define /tmp/pool1.xml && virsh net-destroy pool1 && virsh net-start pool1" \
			>"$run/hand-change.log" 2>&1; then
			fail_ "changing pool1 by hand on mig-b failed: $(tail -n 3 "$run/hand-change.log" | tr '\n' ' ')"
		fi
		fleet_play "$run" check-drift libvirt_sriov_hooks.fleet.check -e sriov_hosts=hypervisors
		r='peers migration_peers: pool pool1 on mig-b has policy "manage=yes spoofchk=off trust=off on-error=warn"; not the same on mig-a'
		if [ "$FLEET_RC" != 0 ] && echo "$FLEET_MSGS" | grep -qF "$r"; then
			note_ "check after trust=off by hand on mig-b: exit $FLEET_RC, \"$r\""
		else
			fail_ "check after the hand change: exit $FLEET_RC, messages: $(echo "$FLEET_MSGS" | tr '\n' ' ') (want: $r)"
		fi
	fi
	# 5. The play puts it right (restarting the pool: no guest uses it), and the check agrees.
	if [ -z "$fails" ]; then
		fleet_play "$run" repair libvirt_sriov_hooks.fleet.site -e sriov_hosts=hypervisors \
			-e sriov_pools_apply_now=true
		# The play ends with the check role (every host, then the peers): its exit 0 is the check
		# passing on the repaired fleet, so no separate check play is needed.
		if [ "$FLEET_RC" = 0 ] && [ "$FLEET_CHANGED" = "mig-a=0 mig-b=2" ] &&
			fleet_task_ran "$run/ctl/repair.json" "Compare migration peers" &&
			fleet_task_ran "$run/ctl/repair.json" "Fail where sriov-hooks doctor found a problem"; then
			note_ "repair play: ${FLEET_SECS} s, changed: $FLEET_CHANGED (pool1 redefined and restarted on mig-b; its check passed)"
		else
			fail_ "repair play: exit $FLEET_RC, changed: $FLEET_CHANGED (want mig-a=0 mig-b=2): $(echo "$FLEET_MSGS" | head -n 5 | tr '\n' ' ')"
		fi
	fi
	if [ -z "$fails" ]; then
		printf 'PASS\n%s' "$notes" >"$run/fleet.result"
		echo "${t_first}" >"$VM_WORK/fleet-play-seconds-$(basename "$run")"
		return 0
	fi
	printf 'FAIL\n%s%s' "$fails" "$notes" >"$run/fleet.result"
	return 1
}

# fleet_flavour FLAVOUR: boot the two guests, run the steps, then the migration on their hosts.
fleet_flavour()
{
	local f=$1 dir run libvirt_version pa pb sa sb role s r t0 pid_a pid_b expected mig
	[ -n "$(fleet_selected)" ] || return 0
	if [ "$standin" = 1 ]; then
		printf 'SKIP\nthe stand-in hook (--standin, or no hooks in the build)\n' >"$all_results/$f-libvirtd-n-fleet.result"
		return 0
	fi
	if ! command -v ansible-playbook >/dev/null 2>&1 || ! command -v ansible-galaxy >/dev/null 2>&1; then
		printf 'SKIP\nansible-playbook not installed (apt-get install ansible-core ansible)\n' \
			>"$all_results/$f-libvirtd-n-fleet.result"
		return 0
	fi
	if ! ansible-doc -t module community.libvirt.virt_net >/dev/null 2>&1; then
		printf 'SKIP\nthe community.libvirt collection is not installed (apt-get install ansible)\n' \
			>"$all_results/$f-libvirtd-n-fleet.result"
		return 0
	fi
	dir=$(image_dir "$f")
	libvirt_version=$(info_get "$dir" libvirt)
	libvirt_version=${libvirt_version%%-*}
	run=$VM_WORK/runs/$f-fleet
	rm -rf "$run"
	mkdir -p "$run/link" "$run/ctl"
	# The controller's key, for this run only; the guests take the public half from the link.
	ssh-keygen -q -t ed25519 -N '' -C "n-fleet test key" -f "$run/ctl/key" || return 1
	cp "$run/ctl/key.pub" "$run/link/authorized_keys"
	mig=$(mig_selected_fleet)
	pa=$(mig_free_port)
	pb=$(mig_free_port)
	[ "$pa" = "$pb" ] && pb=$((pa + 1))
	sa=$(fleet_free_tcp_port)
	sb=$(fleet_free_tcp_port)
	[ "$sa" = "$sb" ] && sb=$((sa + 1))
	echo "$sa" >"$run/ssh-port-a"
	echo "$sb" >"$run/ssh-port-b"
	for role in a b; do
		mig_config "$run" "$role" "$f" libvirtd "$mig"
		{
			echo "FLEET=1"
			echo "FLEET_SSH_MAC=52:54:00:98:00:0$([ "$role" = a ] && echo 1 || echo 2)"
		} >>"$run/$role/out/config"
	done
	say "$f/fleet: booting two guests (libvirt $libvirt_version, $accel; ssh 127.0.0.1:$sa, :$sb); then the play; then: $mig"
	t0=$SECONDS
	mig_boot_pair "$run" "$dir" "$pa" "$pb" "$sa" "$sb"
	if fleet_steps "$run"; then
		echo go >"$run/link/fleet-go"
	else
		echo abort >"$run/link/fleet-go"
	fi
	cp "$run/fleet.result" "$all_results/$f-libvirtd-n-fleet.result"
	wait "$pid_a"
	[ -e "$run/link/done-a" ] || : >"$run/link/done-a"
	wait "$pid_b"
	say "$f/fleet: guests ran $((SECONDS - t0)) s"
	grep -q '^FAIL' "$run/fleet.result" && failed_runs+=("$run")
	expected=$(cat "$run/a/out/expected" 2>/dev/null)
	[ -n "$expected" ] || expected=$mig
	for s in $expected; do
		r=$run/a/out/results/$f-libvirtd-$s.result
		if [ ! -s "$r" ]; then
			printf 'FAIL\nno result: guest a stopped before this scenario finished\n' >"$r"
		fi
		cp "$r" "$all_results/$f-libvirtd-n-fleet-$s.result"
		grep -q '^FAIL' "$r" && failed_runs+=("$run/a")
	done
	return 0
}

# The migration scenarios run on the hosts the play set up: m1 by default (CI time), or the m*
# scenarios --scenario selects (--scenario n-fleet --scenario m: all three).
mig_selected_fleet()
{
	local s want sel=""
	for s in $MIG_ALL; do
		for want in "${scenarios[@]}"; do
			case "$want" in m*) case "$s" in "$want"*) sel="$sel $s" ;; esac ;; esac
		done
	done
	sel=${sel# }
	echo "${sel:-m1-migrate}"
}
