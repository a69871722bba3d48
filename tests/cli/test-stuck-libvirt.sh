#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# sriov-hooks against a libvirt that accepts the connection and never answers (a stuck virtqemud
# or libvirtd): status, doctor and plan NAME give up within --timeout (SRIOV_HOOKS_TIMEOUT), name
# the URI and say what to do, and exit 1; without the deadline they would wait for ever.
. "${srcdir:-.}/tests/cli/lib.sh"
mk_host
MUTE=$PWD/tests/cli/mute-server
[ -x "$MUTE" ] || { echo "SKIP: $MUTE not built (built with the cmocka tests)"; exit 77; }

# A unix socket path must fit in 108 bytes: a short directory of its own.
D=$(mktemp -d "${TMPDIR:-/tmp}/sriov-mute-XXXXXX") || exit 99
SOCK=$D/sock
MUTE_PID=
stop() {
	[ -n "$MUTE_PID" ] && kill "$MUTE_PID" 2>/dev/null && wait "$MUTE_PID" 2>/dev/null
	rm -rf "$D"
	cleanup
}
trap stop EXIT
trap 'exit 1' HUP INT TERM
"$MUTE" "$SOCK" 120 &
MUTE_PID=$!
i=0
while [ ! -S "$SOCK" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$SOCK" ] || { echo "mute-server did not start" >&2; exit 99; }
MUTEURI="qemu+unix:///system?socket=$SOCK"
# grep -E, with the URI's ? escaped
MUTERE=$(printf '%s' "$MUTEURI" | sed 's/[?.+]/\\&/g')

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A tool that hangs is killed after 30 s (and fails), rather than hanging the test suite.
KILLER=
command -v timeout >/dev/null 2>&1 && KILLER="timeout -s KILL 30"

# timed NAME MAX-MS CMD...: run, and fail when it took longer than MAX-MS plus 5 s: the margin a
# machine loaded by other jobs needs (2.5 s seen for a 1 s bound), still far below the 30 s after
# which a tool that ignores its deadline is killed.
timed() {
	name=$1 max=$2
	shift 2
	t0=$(now_ms)
	run "$name" $KILLER "$@"
	took=$(($(now_ms) - t0))
	if [ "$took" -le $((max + 5000)) ]; then ok "$name: gave up after $took ms"; else
		fail "$name: took $took ms, the bound was $max ms"
	fi
}

timed status 1000 "$CLI" -c "$MUTEURI" --timeout 1 --sysfs "$SYS" status
expect_rc status 1
expect_grep status "^sriov-hooks: libvirt at $MUTERE did not answer within 1 s \(connecting\): is virtqemud/libvirtd stuck\? See 'systemctl status libvirtd' \(or virtqemud and virtnetworkd\) and its journal, and restart it; if it is only slow, raise --timeout$" err
[ -s "$T/status.out" ] && fail "status: output on stdout" || ok "status: nothing on stdout"

# The environment variable, and the URI from LIBVIRT_DEFAULT_URI.
timed plan 500 env SRIOV_HOOKS_TIMEOUT=0.5 LIBVIRT_DEFAULT_URI="$MUTEURI" \
	"$CLI" --sysfs "$SYS" plan pool-a
expect_rc plan 1
expect_grep plan "^sriov-hooks: libvirt at $MUTERE did not answer within 0\.5 s \(connecting\)" err

# doctor still reports the rest, with libvirt as a problem.
timed doctor 1000 env SRIOV_HOOKS_TIMEOUT=1 "$CLI" -c "$MUTEURI" --sysfs "$SYS" --root "$ROOT" \
	--state-dir "$STATE" doctor
expect_rc doctor 1
expect_grep doctor "did not answer within 1 s \(connecting\)" err
expect_grep doctor "libvirt.*cannot connect \(see the message above\)"

timed json 1000 "$CLI" --json -c "$MUTEURI" -t 1 --sysfs "$SYS" status
expect_rc json 1
expect_grep json "did not answer within 1 s" err

# The option wins over the environment.
timed optwins 1000 env SRIOV_HOOKS_TIMEOUT=600 "$CLI" -c "$MUTEURI" --timeout 1 --sysfs "$SYS" status
expect_rc optwins 1

# Nonsense is a usage error, before any wait.
for bad in 0 -1 abc 1x 86401; do
	run "bad$bad" "$CLI" -c "$MUTEURI" --timeout "$bad" --sysfs "$SYS" status
	expect_rc "bad$bad" 2
	expect_grep "bad$bad" "invalid timeout '$bad'" err
done

# A libvirt that answers is not affected by a short bound (the test driver: no daemon at all).
run answers "$CLI" -c "$URI" --timeout 1 --sysfs "$SYS" status
expect_rc answers 0
expect_grep answers 'pool-a'
run help "$CLI" --help
expect_grep help 'gives up \(default 10; env SRIOV_HOOKS_TIMEOUT\)'

finish
