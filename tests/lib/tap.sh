# SPDX-License-Identifier: LGPL-2.1-or-later
# TAP for the shell tests: numbered "ok N - ..." / "not ok N - ..." lines and a failure count.
# Sourced; POSIX sh. The caller prints "1..$n" at the end and exits non-zero when $fails > 0.

fails=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { # description command...
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
