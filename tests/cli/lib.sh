# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by tests/cli/test-*.sh (run by make check from the top build directory): a fake sysfs
# tree, a fake root (etc/, proc/), a state directory, and helpers to compare the CLI's output.
#
#   REGENERATE=1 make check TESTS=tests/cli/test-status.sh   rewrite the expected outputs
#   SRIOV_TEST_KEEP=1                                        keep the temp trees

set -u

srcdir=${srcdir:-.}
TOP_SRC=$(cd "$srcdir" && pwd)
DATA=$TOP_SRC/tests/cli/data
. "$TOP_SRC/tests/lib/fakesys.sh"
CLI=$PWD/hooks/sriov-hooks
# The CLI again, with a fake kernel at the libnl boundary (tests/cli/fakevf.c); built with cmocka.
FAKECLI=$PWD/tests/cli/sriov-hooks-fakevf
URI="test://$DATA/node.xml"
FAILED=0

[ -x "$CLI" ] || { echo "no $CLI: build first" >&2; exit 99; }
T=$(mktemp -d "$PWD/tests/cli-XXXXXX") || exit 99
cleanup() { [ "${SRIOV_TEST_KEEP:-}" = 1 ] || rm -rf "$T"; }
trap cleanup EXIT
SYS=$T/sys
ROOT=$T/root
STATE=$T/state
mkdir -p "$SYS/bus/pci/devices" "$SYS/class/net" "$SYS/kernel" "$ROOT/etc" "$ROOT/proc" "$STATE"
# Nothing of the real host leaks in: no host file, no libvirt default URI.
export SRIOV_HOOKS_CONFIG=$T/no-host-file
unset SRIOV_HOOKS_SYSFS SRIOV_HOOKS_STATE_DIR SRIOV_HOOKS_ROOT LIBVIRT_DEFAULT_URI SRIOV_TEST_FAKEVF

need_fakecli() {
	[ -x "$FAKECLI" ] || { echo "SKIP: $FAKECLI not built (needs cmocka)"; exit 77; }
}

# mk_pf IFNAME PF-BDF DRIVER TOTALVFS FLAGS VF-BDF...   (sriov_numvfs = the number of VFs given;
# the VFs are bound to vfio-pci, as libvirt leaves them for a guest)
mk_pf() {
	ifname=$1 pf=$2 drv=$3 total=$4 flags=$5
	shift 5
	fakesys_pf "$SYS" "$ifname" "$pf" "$drv" "$total" "$#" "$@"
	fakesys_flags "$SYS" "$ifname" "$flags"
	for vf in "$@"; do fakesys_pci "$SYS" "$vf" vfio-pci; done
}

# The host of node.xml: sriovtest0 (igb, up, 4 of 8 VFs) for pool-a; sriovtest1 (ixgbe, down,
# 2 of 4 VFs): pool-b lists its VF 0, guest direct1 holds its VF 1 directly.
mk_host() {
	mk_pf sriovtest0 0000:3b:00.0 igb 8 0x1003 0000:3b:10.0 0000:3b:10.2 0000:3b:10.4 0000:3b:10.6
	mk_pf sriovtest1 0000:3c:00.0 ixgbe 4 0x1002 0000:3c:10.0 0000:3c:10.2
}

# mk_record VF PF PF-IFNAME INDEX NETWORK NETWORK-UUID PORT OWNER OWNER-UUID [want.X=N...]
mk_record() {
	mkdir -p "$STATE/vf" "$STATE/lock"
	f=$STATE/vf/$1
	printf 'version=1\nvf=%s\npf=%s\npf-ifname=%s\nindex=%s\nnetwork=%s\nnetwork-uuid=%s\nport=%s\nowner-name=%s\nowner-uuid=%s\n' \
		"$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" >"$f"
	shift 9
	for kv in "$@"; do echo "$kv" >>"$f"; done
	echo "on-error=warn" >>"$f"
}

# The records the hooks would have left for node.xml's two guests.
mk_records() {
	mk_record 0000:3b:10.0 0000:3b:00.0 sriovtest0 0 pool-a 6f1c5b1e-6a4e-4f0e-9a52-0a1b2c3d4e01 \
		aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeee01 router1 11111111-2222-3333-4444-555555555501 \
		orig.spoofchk=1 orig.trust=0 want.spoofchk=1 want.trust=1
	mk_record 0000:3c:10.2 0000:3c:00.0 sriovtest1 1 '' '' '' direct1 \
		11111111-2222-3333-4444-555555555502 orig.trust=0 want.trust=1
}

# The state the fake kernel reports: MAC,VLAN,SPOOFCHK,TRUST,LINK-STATE per VF.
FAKEVF_GOOD='sriovtest0=52:54:00:00:00:01,0,1,1,0;00:00:00:00:00:00,0,1,0,0;00:00:00:00:00:00,0,1,0,0;00:00:00:00:00:00,0,1,0,0|sriovtest1=00:00:00:00:00:00,0,1,0,0;52:54:00:00:00:02,100,1,1,1'

# run NAME CMD...: run, keep stdout in $T/NAME.out, stderr in $T/NAME.err, status in $RC.
run() {
	name=$1
	shift
	"$@" >"$T/$name.out" 2>"$T/$name.err"
	RC=$?
}

fail() {
	echo "FAIL: $*"
	FAILED=1
}

ok() {
	echo "ok: $*"
}

# expect_rc NAME WANT
expect_rc() {
	if [ "$RC" = "$2" ]; then ok "$1: exit status $2"; else
		fail "$1: exit status $RC, expected $2"
		sed 's/^/  stderr: /' "$T/$1.err"
	fi
}

# expect_golden NAME: stdout equals tests/cli/data/NAME.out
expect_golden() {
	want=$DATA/$1.out
	if [ "${REGENERATE:-}" = 1 ]; then
		cp "$T/$1.out" "$want"
		echo "regenerated $want"
		return
	fi
	if diff -u "$want" "$T/$1.out"; then ok "$1: output as expected"; else fail "$1: output differs"; fi
}

# expect_golden_json NAME: stdout, with this tree's data directory written @DATA@, is exactly
# data/NAME.out: the --json documents are an interface (sriov-hooks(8), JSON OUTPUT).
expect_golden_json() {
	sed "s|$DATA|@DATA@|g" "$T/$1.out" >"$T/$1.norm" && mv "$T/$1.norm" "$T/$1.out"
	expect_golden "$1"
}

# expect_grep NAME REGEX [stream: out|err]
expect_grep() {
	if grep -qE -- "$2" "$T/$1.${3:-out}"; then ok "$1: has /$2/"; else
		fail "$1: no /$2/ in its std${3:-out}:"
		sed 's/^/  | /' "$T/$1.${3:-out}"
	fi
}

expect_no_grep() {
	if grep -qE -- "$2" "$T/$1.${3:-out}"; then
		fail "$1: unexpected /$2/ in its std${3:-out}:"
		sed 's/^/  | /' "$T/$1.${3:-out}"
	else ok "$1: no /$2/"; fi
}

# expect_json NAME: stdout is valid JSON (python3 or jq, when there is one)
expect_json() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -m json.tool "$T/$1.out" >/dev/null || { fail "$1: invalid JSON"; return; }
	elif command -v jq >/dev/null 2>&1; then
		jq . "$T/$1.out" >/dev/null || { fail "$1: invalid JSON"; return; }
	else
		return 0
	fi
	ok "$1: valid JSON"
}

# jq_eq NAME FILTER WANT: a value of the JSON output (skipped without jq)
jq_eq() {
	command -v jq >/dev/null 2>&1 || return 0
	got=$(jq -r "$2" "$T/$1.out")
	if [ "$got" = "$3" ]; then ok "$1: $2 = $3"; else fail "$1: $2 = '$got', expected '$3'"; fi
}

finish() {
	[ "$FAILED" = 0 ] && exit 0
	exit 1
}
