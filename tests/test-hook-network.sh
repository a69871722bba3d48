#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The built hook binary, run as libvirt runs it, against a fake sysfs tree:
#   argv checks, empty and oversized stdin, a DTD, dry runs and one real write.
# The PF is 'sriovtest0', a name no CI machine has: in a dry run the hook's real RTM_GETLINK then
# fails and it plans every setting, which keeps this deterministic. Nothing may ever reach stdout.
#
# Environment (set by make check): HOOK_NETWORK, TEST_DATA_DIR, TEST_BUILD_DIR.

set -u

HOOK=${HOOK_NETWORK:-hooks/network}
DATA=${TEST_DATA_DIR:-$(dirname "$0")/data}
BUILD=${TEST_BUILD_DIR:-.}
PF=sriovtest0
PF_BDF=0000:01:00.0

fails=0
count=0
T=$(mktemp -d "$BUILD/hooktest-XXXXXX") || exit 99
cleanup() {
	if [ "${SRIOV_TEST_KEEP:-}" = 1 ]; then
		echo "# kept $T"
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT

# The fake sysfs: PF with 4 of 7 VFs' virtfn links in place (a write creates none here).
# shellcheck source=lib/fakesys.sh
. "$(dirname "$0")/lib/fakesys.sh"

make_sysfs() {
	rm -rf "$T/sys" "$T/state"
	d=$T/sys/bus/pci/devices
	fakesys_pf "$T/sys" "$PF" "$PF_BDF" igb 7 "$1" 0000:01:10.0 0000:01:10.2 0000:01:10.4 0000:01:10.6
	# sriov_numvfs's mtime to a fixed past, so any write shows in the listing
	touch -d '2000-01-01 00:00:00' "$d/$PF_BDF/sriov_numvfs"
}

listing() {
	(cd "$T" && find sys state 2>/dev/null | LC_ALL=C sort | while read -r f; do
		if [ -f "$f" ]; then
			printf '%s %s %s\n' "$f" "$(stat -c %Y "$f")" "$(cat "$f" | tr '\n' '|')"
		else
			printf '%s\n' "$f"
		fi
	done)
}

doc() {
	sed "s/enp1s0/$PF/g" "$DATA/network/$1.xml"
}

# check NAME EXPECTED_STATUS EXPECTED_STDERR_FILE [write] -- ARGS... (stdin: the input)
check() {
	name=$1 want_status=$2 want_err=$3 mode=$4
	shift 5
	count=$((count + 1))
	before=$(listing)
	SRIOV_HOOKS_SYSFS=$T/sys SRIOV_HOOKS_STATE_DIR=$T/state SRIOV_HOOKS_DRY_RUN=$DRY \
		"$HOOK" "$@" >"$T/out" 2>"$T/err"
	status=$?
	after=$(listing)
	ok=1
	if [ "$status" != "$want_status" ]; then
		echo "# $name: exit status $status, expected $want_status"
		ok=0
	fi
	if [ -s "$T/out" ]; then
		echo "# $name: wrote to stdout:"
		sed 's/^/#   /' "$T/out"
		ok=0
	fi
	if ! cmp -s "$T/err" "$want_err"; then
		echo "# $name: stderr differs (expected, then got):"
		sed 's/^/#   < /' "$want_err"
		sed 's/^/#   > /' "$T/err"
		ok=0
	fi
	if [ "$mode" != write ] && [ "$before" != "$after" ]; then
		echo "# $name: the fake sysfs or the state directory changed"
		ok=0
	fi
	if [ $ok = 1 ]; then
		echo "ok $count - $name"
	else
		echo "not ok $count - $name"
		fails=$((fails + 1))
	fi
}

expect() {
	printf '%s\n' "$@" >"$T/expected"
}
E="libvirt-sriov-hooks: error:"

DRY=1
make_sysfs 0

: >"$T/none"
expect "$E usage: $HOOK NETWORK OPERATION SUB-OPERATION - (libvirt runs this as /etc/libvirt/hooks/network, with <hookData> on stdin)"
check "no arguments" 2 "$T/expected" - -- </dev/null
check "two arguments" 2 "$T/expected" - -- pool1 start </dev/null
check "empty network name" 2 "$T/expected" - -- "" start begin - </dev/null

check "ignored operation, stdin unread" 0 "$T/none" - -- pool1 started begin - </dev/null
check "ignored operation, garbage on stdin" 0 "$T/none" - -- pool1 updated begin - <"$HOOK"

expect "$E network 'pool1': cannot use the document libvirt passed on standard input: no XML on standard input"
check "empty stdin" 1 "$T/expected" - -- pool1 start begin - </dev/null

expect "$E network 'pool1' start begin: standard input is larger than 8 MiB, which no document from libvirt is; refusing it"
head -c 67108864 /dev/zero | tr '\0' ' ' >"$T/huge"
check "64 MiB on stdin" 1 "$T/expected" - -- pool1 start begin - <"$T/huge"
rm -f "$T/huge"

expect "$E network 'pool1': cannot use the document libvirt passed on standard input: a document type declaration (DTD) is not accepted"
printf '<!DOCTYPE hookData [<!ENTITY x "x">]>\n<hookData>&x;</hookData>\n' >"$T/in"
check "entity declaration" 1 "$T/expected" - -- pool1 start begin - <"$T/in"

expect "$E network 'pool1': cannot use the document libvirt passed on standard input: invalid interface name '../../etc' in <pf dev>"
doc start-begin | sed "s|dev='$PF'|dev='../../etc'|" >"$T/in"
check "pf dev ../../etc" 1 "$T/expected" - -- pool1 start begin - <"$T/in"

expect "$E network 'pool1': bad policy in <metadata>: invalid value 'maybe' for attribute 'trust' of <pool>: expected 'on', 'off' or 'keep'; fix it with 'virsh net-edit pool1'"
doc start-begin-bad-trust >"$T/in"
check "trust='maybe'" 1 "$T/expected" - -- pool1 start begin - <"$T/in"

# Dry runs: the plan on stderr, nothing written.
expect "numvfs $PF 0 -> 7"
doc start-begin >"$T/in"
check "dry run: start begin" 0 "$T/expected" - -- pool1 start begin - <"$T/in"

expect "numvfs $PF 0 -> 4"
doc start-begin-policy >"$T/in"
check "dry run: start begin, vfs='4'" 0 "$T/expected" - -- pool1 start begin - <"$T/in"

expect "vf $PF 0 (0000:01:10.0) spoofchk off trust on"
doc port-created >"$T/in"
check "dry run: port-created, state unreadable" 0 "$T/expected" - -- pool1 port-created begin - <"$T/in"

expect "vf $PF 2 (0000:01:10.4) spoofchk off trust on"
doc port-created-vf-list >"$T/in"
check "dry run: port-created, PF from physfn" 0 "$T/expected" - -- pool1 port-created begin - <"$T/in"

check "dry run: port-deleted, no record" 0 "$T/none" - -- pool1 port-deleted begin - <"$T/in"
doc stopped >"$T/in"
check "dry run: stopped end, no state" 0 "$T/none" - -- pool1 stopped end - <"$T/in"

# A real run: sriov_numvfs 0 -> 4 (the virtfn links exist already).
DRY=0
doc start-begin-policy >"$T/in"
check "start begin writes sriov_numvfs" 0 "$T/none" write -- pool1 start begin - <"$T/in"
got=$(cat "$T/sys/bus/pci/devices/$PF_BDF/sriov_numvfs")
count=$((count + 1))
if [ "$got" = 4 ]; then
	echo "ok $count - sriov_numvfs is 4"
else
	echo "not ok $count - sriov_numvfs is '$got', expected 4"
	fails=$((fails + 1))
fi
# and again: the count is right, nothing is written
check "start begin again writes nothing" 0 "$T/none" - -- pool1 start begin - <"$T/in"

# M != N: left alone, with the warning
make_sysfs 2
expect "libvirt-sriov-hooks: warning: network 'pool1': PF '$PF' has 2 VFs, the policy asks for 4; left as it is, since changing it destroys every VF, in use or not. To change it, stop the guests using them, then: echo 0 > /sys/bus/pci/devices/$PF_BDF/sriov_numvfs; echo 4 > /sys/bus/pci/devices/$PF_BDF/sriov_numvfs"
check "start begin, 2 VFs, vfs='4'" 0 "$T/expected" - -- pool1 start begin - <"$T/in"

echo "1..$count"
[ $fails = 0 ]
