#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The sriov_check role on three local hosts whose sriov-hooks prints the tool's own documents
# (tests/cli/data: status-json.out, pass-json.out, iommu-firmware-json.out): all agree; one
# peer's pool policy differs (with two peers both are named, with three the odd one); a pool
# missing on one peer; a doctor problem on one host. Each failure names host, pool and problem,
# exactly.
. "${srcdir:-.}/tests/ansible/lib.sh"
command -v ansible-playbook >/dev/null 2>&1 ||
	{ echo "SKIP: ansible-playbook not installed (apt-get install ansible-core)"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
DATA=$TOP_SRC/tests/cli/data
FAKE=$TOP_SRC/tests/ansible/fake-sriov-hooks.sh

# host DIR-NAME STATUS-FILTER DOCTOR-FILE: the documents one fake host prints. The filter is a
# python3 expression over the status document d (its pools: pool-a, pool-b, the direct PF).
host() {
	mkdir -p "$T/$1"
	python3 -c "
import json, sys
d = json.load(open('$DATA/status-json.out'))
$2
print(json.dumps(d, separators=(',', ':')))" >"$T/$1/status.json" || exit 99
	cp "$DATA/$3" "$T/$1/doctor.json"
}

# play NAME PEERS HOSTS...: the check role on HOSTS (local connections), peers group PEERS
# (comma-separated); the failure messages, one per line as "HOST: MESSAGE", in $T/NAME.msgs.
play() {
	name=$1 peers=$2
	shift 2
	{
		echo "all:"
		echo "  hosts:"
		for h in "$@"; do
			echo "    $h: {ansible_connection: local, ansible_python_interpreter: '{{ ansible_playbook_python }}', sriov_check_command: 'sh $FAKE $T/$h'}"
		done
		echo "  children:"
		echo "    migration:"
		echo "      hosts:"
		for h in $(echo "$peers" | tr ',' ' '); do echo "        $h:"; done
		echo "  vars: {sriov_check_peer_groups: [migration]}"
	} >"$T/$name.inv.yml"
	cat >"$T/$name.play.yml" <<-PLAY
	- name: Check
	  hosts: all
	  gather_facts: false
	  roles:
	    - libvirt_sriov_hooks.fleet.sriov_check
	PLAY
	ANSIBLE_STDOUT_CALLBACK=json ansible-playbook -i "$T/$name.inv.yml" "$T/$name.play.yml" \
		>"$T/$name.json" 2>"$T/$name.err"
	echo $? >"$T/$name.rc"
	python3 -c "
import json
r = json.load(open('$T/$name.json'))
for p in r['plays']:
    for t in p['tasks']:
        for h, v in sorted(t['hosts'].items()):
            if v.get('failed'):
                m = v.get('msg')
                for l in (m if isinstance(m, list) else [m]):
                    print(h + ': ' + str(l))" >"$T/$name.msgs" 2>>"$T/$name.err"
}

# expect NAME RC: exit status RC and exactly these messages (stdin)
expect() {
	cat >"$T/$1.want"
	if [ "$(cat "$T/$1.rc")" = "$2" ]; then ok "$1: exit status $2"; else
		fail "$1: exit status $(cat "$T/$1.rc"), expected $2"
		sed 's/^/  | /' "$T/$1.err" "$T/$1.json" | tail -n 40
	fi
	if diff -u "$T/$1.want" "$T/$1.msgs"; then ok "$1: messages as expected"; else
		fail "$1: messages differ"; fi
}

host a '' pass-json.out
host b '' pass-json.out
play agree a,b a b
expect agree 0 </dev/null

# b's pool-a has trust off: with two peers neither is the majority, so both are named.
host c "d['pools'][0]['policy']['want']['trust'] = 'off'" pass-json.out
play differ2 a,c a c
expect differ2 2 <<-'EOF2'
	a: peers migration: pool pool-a on a has policy "manage=yes spoofchk=off trust=on on-error=warn"; not the same on c
	a: peers migration: pool pool-a on c has policy "manage=yes spoofchk=off trust=off on-error=warn"; not the same on a
	EOF2
# With three, the one that differs.
play differ3 a,b,c a b c
expect differ3 2 <<-'EOF2'
	a: peers migration: pool pool-a on c has policy "manage=yes spoofchk=off trust=off on-error=warn"; its peers have "manage=yes spoofchk=off trust=on on-error=warn"
	EOF2

# pool-b missing on d, and inactive on e; f is no peer and may lack it.
host d "d['pools'] = [p for p in d['pools'] if p['network'] != 'pool-b']" pass-json.out
host e "d['pools'][1]['active'] = False" pass-json.out
cp -r "$T/d" "$T/f"
play missing a,d,e a d e f
expect missing 2 <<-'EOF2'
	a: peers migration: pool pool-b is missing on d
	a: peers migration: pool pool-b is not active on e
	EOF2

# A doctor problem on g: the play fails on g, naming the check, what was found and the fix.
host g '' iommu-firmware-json.out
play doctor a,b a b g
python3 -c "
import json
d = json.load(open('$DATA/iommu-firmware-json.out'))
c = [c for c in d['checks'] if c['result'] == 'fail'][0]
print('g: g: ' + ' | '.join([c['check'], c['detail'], c['fix']]))" | expect doctor 2

# A tool that prints another schema version is refused, naming the host.
host h "d['schema_version'] = 2" pass-json.out
play schema a a h
if grep -q "^h: h: sriov-hooks prints sriov-hooks-doctor version 1 and sriov-hooks-status version 2; this role reads" "$T/schema.msgs"; then
	ok "schema: another version refused"
else fail "schema: $(cat "$T/schema.msgs")"; fi
finish
