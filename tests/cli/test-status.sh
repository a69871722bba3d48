#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# sriov-hooks status, table and --json, against libvirt's test driver (data/node.xml), a fake sysfs
# tree and our state records; with the real kernel (the fake PFs do not exist there: every VF
# state is "unknown") and with a fake kernel at the libnl boundary (real values, match/mismatch).
. "${srcdir:-.}/tests/cli/lib.sh"
need_fakecli
mk_host
mk_records

# No netlink answer for the fake PFs: "unknown", never a crash.
run status-unknown "$CLI" -c "$URI" --sysfs "$SYS" --state-dir "$STATE" status
expect_rc status-unknown 0
# The reason depends on the host's kernel (no such device, or no netlink in a sandbox).
sed 's/over netlink: [^)]*)/over netlink: REASON)/' "$T/status-unknown.out" >"$T/x" &&
	mv "$T/x" "$T/status-unknown.out"
expect_golden status-unknown

# The fake kernel: router1's VF has what its record wants (the guest's override: spoofchk on).
SRIOV_TEST_FAKEVF=$FAKEVF_GOOD
export SRIOV_TEST_FAKEVF
run status "$FAKECLI" -c "$URI" --sysfs "$SYS" --state-dir "$STATE" --config "$DATA/host.conf" \
	status
expect_rc status 0
expect_golden status

run status-json "$FAKECLI" --json -c "$URI" --sysfs "$SYS" --state-dir "$STATE" \
	--config "$DATA/host.conf" status
expect_rc status-json 0
expect_json status-json
expect_golden status-json
jq_eq status-json '.schema' sriov-hooks-status
jq_eq status-json '.schema_version' 1
jq_eq status-json '.pools | length' 3
jq_eq status-json '.pools[0].network' pool-a
jq_eq status-json '.pools[0].pf.numvfs' 4
jq_eq status-json '.pools[0].vfs[0].owner' router1
jq_eq status-json '.pools[0].vfs[0].mac' 52:54:00:00:00:01
jq_eq status-json '.pools[0].vfs[0].policy' match
jq_eq status-json '.pools[0].vfs[1].policy' none
jq_eq status-json '.pools[2].kind' direct
jq_eq status-json '.pools[2].vfs[0].owner' direct1
jq_eq status-json '.pools[2].vfs[0].vlan' 100

# A VF whose settings were reset (trust off) and a driver without trust (-1): mismatch.
SRIOV_TEST_FAKEVF='sriovtest0=52:54:00:00:00:01,0,1,0,0|sriovtest1=00:00:00:00:00:00,0,1,0,0;52:54:00:00:00:02,100,1,-1,1'
run status-mismatch "$FAKECLI" --json -c "$URI" --sysfs "$SYS" --state-dir "$STATE" status
expect_rc status-mismatch 0
expect_json status-mismatch
expect_grep status-mismatch '"trust":"off".*"policy":"mismatch"'
expect_grep status-mismatch '"trust":"unsupported".*"policy":"mismatch"'
jq_eq status-mismatch '.pools[0].vfs[0].policy' mismatch
jq_eq status-mismatch '.pools[2].vfs[0].trust' unsupported
unset SRIOV_TEST_FAKEVF

# Without a record, a guest's pool VF is judged by the pool's policy and its override; a record
# whose guest is gone still names its owner.
rm -f "$STATE/vf/0000:3b:10.0"
mk_record 0000:3b:10.6 0000:3b:00.0 sriovtest0 3 pool-a 6f1c5b1e-6a4e-4f0e-9a52-0a1b2c3d4e01 \
	aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeee09 gone 11111111-2222-3333-4444-555555555509 want.trust=1
STATE_BEFORE=$(cd "$STATE" && find . | sort)
run status-norecord env SRIOV_TEST_FAKEVF="$FAKEVF_GOOD" \
	"$FAKECLI" --json -c "$URI" --sysfs "$SYS" --state-dir "$STATE" status pool-a
expect_rc status-norecord 0
jq_eq status-norecord '.pools | length' 1
jq_eq status-norecord '.pools[0].vfs[0].recorded' false
jq_eq status-norecord '.pools[0].vfs[0].want.spoofchk' on
jq_eq status-norecord '.pools[0].vfs[0].policy' match
jq_eq status-norecord '.pools[0].vfs[3].owner' gone
jq_eq status-norecord '.pools[0].vfs[3].policy' mismatch

# One network by name; and no state directory at all is no error.
run status-one "$CLI" -c "$URI" --sysfs "$SYS" --state-dir "$T/none" status pool-b
expect_rc status-one 0
expect_grep status-one '^network pool-b '
expect_no_grep status-one 'pool-a|direct'
[ -e "$T/none" ] && fail "status created the state directory" || ok "no state directory created"

# Read-only: status left the state directory as it was (no lock, no temporary file).
if [ "$(cd "$STATE" && find . | sort)" = "$STATE_BEFORE" ]; then ok "state directory untouched"
else fail "the state directory changed: $(cd "$STATE" && find . | sort | tr '\n' ' ')"; fi

finish
