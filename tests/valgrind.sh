#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run each cmocka test program under valgrind; fail on any memory error or leak.
# Used by `make check-valgrind` (on a build without --enable-sanitizers: ASan and valgrind do not
# mix). valgrind 3.19 cannot read clang 14's default DWARF 5: use gcc, or CFLAGS=-gdwarf-4.
#
#   tests/valgrind.sh tests/test-util tests/test-plan ...

set -u

if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind not found" >&2
	exit 77
fi

fails=0
for t in "$@"; do
	log=$t.valgrind.log
	# libnl keeps its caches for the process's life ("still reachable"), so only definite and
	# possible leaks count.
	if valgrind --quiet --leak-check=full --show-leak-kinds=definite,possible \
		--errors-for-leak-kinds=definite,possible --error-exitcode=1 \
		--track-fds=no --log-file="$log" "$t" >"$t.valgrind.out" 2>&1; then
		echo "PASS: $t (valgrind)"
	else
		echo "FAIL: $t (valgrind), see $log and $t.valgrind.out"
		tail -n 30 "$log" "$t.valgrind.out"
		fails=$((fails + 1))
	fi
done
[ $fails = 0 ]
