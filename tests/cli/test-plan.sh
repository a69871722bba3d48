#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# sriov-hooks plan: the hooks' own pipeline in dry run, for a <network> file, a <hookData>, a
# <domain>, stdin and a name libvirt knows; nothing may change.
. "${srcdir:-.}/tests/cli/lib.sh"
mk_host
mk_pf sriovtest2 0000:3d:00.0 igb 8 0x1003 # no VFs yet
mk_records
STATE_BEFORE=$(cd "$STATE" && find . -exec ls -ld --time-style=+%s {} + | sort)

plan() { # NAME [OPTION...] DOC
	name=$1
	shift
	run "$name" "$CLI" -c "$URI" --sysfs "$SYS" --state-dir "$STATE" --config "$DATA/host.conf" \
		plan "$@"
}

# A new pool on a PF without VFs: net-start would activate them all.
plan network "$DATA/pool.xml"
expect_rc network 0
expect_golden network
[ "$(cat "$SYS/bus/pci/devices/0000:3d:00.0/sriov_numvfs")" = 0 ] && ok "sriov_numvfs untouched" ||
	fail "plan wrote sriov_numvfs"

plan network-json --json "$DATA/pool.xml"
expect_rc network-json 0
expect_json network-json
expect_golden_json network-json
jq_eq network-json '.schema' sriov-hooks-plan
jq_eq network-json '.schema_version' 1
jq_eq network-json '.runs[0].lines[0]' 'numvfs sriovtest2 0 -> 8'
jq_eq network-json '.port_policy' 'spoofchk off trust on'

# The same from stdin.
run network-stdin sh -c "\"$CLI\" --sysfs \"$SYS\" --state-dir \"$STATE\" plan - <\"$DATA/pool.xml\""
expect_rc network-stdin 0
expect_grep network-stdin '^  numvfs sriovtest2 0 -> 8$'

# The <hookData> libvirt passes at start begin (a <network>, no <networkport>): planned as the
# start it is, VFs and all, not as a port-created with nothing to change.
plan hookdata-start "$DATA/hookdata-start.xml"
expect_rc hookdata-start 0
expect_grep hookdata-start '^network pool-new start begin \(dry run, exit status 0\):$'
expect_grep hookdata-start '^  numvfs sriovtest2 0 -> 8$'
expect_no_grep hookdata-start 'nothing to change|port-created begin'
expect_grep hookdata-start "^then, for each guest's VF \(port-created\): spoofchk off trust on "
plan hookdata-start-json --json "$DATA/hookdata-start.xml"
expect_json hookdata-start-json
jq_eq hookdata-start-json '.document' 'hookData'
jq_eq hookdata-start-json '.runs[0].operation' 'start'
jq_eq hookdata-start-json '.runs[0].lines[0]' 'numvfs sriovtest2 0 -> 8'
plan hookdata-start-stopped --op stopped "$DATA/hookdata-start.xml"
expect_rc hookdata-start-stopped 0
expect_grep hookdata-start-stopped '^network pool-new stopped end '
# A port operation needs the port.
plan hookdata-noport --op port-created "$DATA/hookdata-start.xml"
expect_rc hookdata-noport 2
expect_grep hookdata-noport '--op port-created needs a port' err
[ "$(cat "$SYS/bus/pci/devices/0000:3d:00.0/sriov_numvfs")" = 0 ] &&
	ok "hookdata-start: sriov_numvfs untouched" || fail "plan wrote sriov_numvfs"

# A port: the VF the guest gets, and (netlink unreadable here: every setting planned).
plan port "$DATA/port-created.xml"
expect_rc port 0
expect_golden port
# Its port-deleted: the VF has no record, nothing to restore; router1's VF has one.
plan port-deleted --op port-deleted "$DATA/port-created.xml"
expect_rc port-deleted 0
expect_grep port-deleted 'nothing to change'
sed -e 's/bb:cc:dd:ee:ee:02/x/' -e "s/function='0x2'/function='0x0'/" \
	-e 's/eeeeeeeeee02/eeeeeeeeee01/' "$DATA/port-created.xml" >"$T/router1-port.xml"
plan port-deleted-rec --op port-deleted "$T/router1-port.xml"
expect_rc port-deleted-rec 0
expect_grep port-deleted-rec '^  restore sriovtest0 0 \(0000:3b:10.0\) spoofchk on trust off$'

# A guest with a VF given directly, whose PF the host file names.
plan domain "$DATA/domain-direct.xml"
expect_rc domain 0
expect_golden domain
plan domain-release --op release "$DATA/domain-direct.xml"
expect_grep domain-release '^  restore sriovtest1 1 \(0000:3c:10.2\) trust off$'

# By name, from libvirt: a pool, a network that is none, a guest.
plan byname pool-a
expect_rc byname 0
expect_grep byname "^network 'pool-a': VF pool \(hostdev\) on PF sriovtest0"
expect_grep byname '^network pool-a start begin \(dry run, exit status 0\):$'
expect_grep byname '^  nothing to change$'
plan plain plain
expect_rc plain 0
expect_grep plain "^network 'plain' is not a VF pool"
plan guest router1
expect_rc guest 0
expect_grep guest '^qemu router1 start begin'

# What the hook would refuse: a bad policy; and options that do not fit the document.
plan bad "$DATA/pool-bad.xml"
expect_rc bad 1
expect_grep bad "INVALID policy: invalid value 'sometimes' for attribute 'spoofchk'"
expect_grep bad "libvirt-sriov-hooks: error: network 'pool-bad': bad policy in <metadata>"
plan badop --op port-created "$DATA/pool.xml"
expect_rc badop 2
expect_grep badop 'needs a port' err
plan badop2 --op migrate "$DATA/domain-direct.xml"
expect_rc badop2 2
expect_grep badop2 "unknown --op 'migrate'" err
printf '<capabilities/>' >"$T/caps.xml"
plan notadoc "$T/caps.xml"
expect_rc notadoc 1
expect_grep notadoc 'plan takes a <network>, a <domain>' err
printf '<network><name>x' >"$T/broken.xml"
plan broken "$T/broken.xml"
expect_rc broken 1
expect_grep broken 'malformed XML' err

# Read-only: the state directory is as it was, to the file and the second.
if [ "$(cd "$STATE" && find . -exec ls -ld --time-style=+%s {} + | sort)" = "$STATE_BEFORE" ]; then
	ok "state directory untouched"
else
	fail "plan changed the state directory"
fi

finish
