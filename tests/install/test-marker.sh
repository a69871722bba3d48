#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The hook marker is defined once, in configure.ac: config.h, the configured install/install.sh and
# install/debian/postrm, the built hooks, and what `make install DESTDIR=...` puts in place
# (install-hooks beside the hooks) all carry the same string, and no script is left with the
# unsubstituted @HOOK_MARKER@. make check runs it (TOP_BUILDDIR set); by hand:
#   TOP_BUILDDIR=build sh tests/install/test-marker.sh
set -u

b=${TOP_BUILDDIR:-}
[ -n "$b" ] && [ -f "$b/config.h" ] || { echo "SKIP: test-marker.sh: set TOP_BUILDDIR to a configured build directory"; exit 77; }
b=$(cd "$b" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-marker.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# shellcheck source=../lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"
script_marker() { sed -n "s/^MARKER='\(.*\)'\$/\1/p" "$1"; }
carries() { [ -f "$2" ] && grep -qaF -- "$1" "$2"; }

m=$(sed -n 's/^#define HOOK_MARKER "\(.*\)"$/\1/p' "$b/config.h")
echo "# config.h: HOOK_MARKER \"$m\""
check "config.h defines HOOK_MARKER" [ -n "$m" ]
check "the configured install/install.sh has it" [ "$(script_marker "$b/install/install.sh")" = "$m" ]
check "the configured install/debian/postrm has it" [ "$(script_marker "$b/install/debian/postrm")" = "$m" ]
check "install/install.sh is executable" [ -x "$b/install/install.sh" ]
for f in install/install.sh install/debian/postrm; do
	check "$f: no unsubstituted @HOOK_MARKER@" sh -c '! grep -q "@HOOK_MARKER@" "$1"' sh "$b/$f"
done
for h in network qemu; do
	check "the built hooks/$h carries it" carries "$m" "$b/hooks/$h"
done

# What make install puts in place: the same string in the installer and in both hooks.
rc=0
${MAKE:-make} -s -C "$b" install DESTDIR="$tmp/dest" >"$tmp/install.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || sed 's/^/#   /' "$tmp/install.log"
check "make install DESTDIR=... succeeds" [ "$rc" = 0 ]
inst=$(find "$tmp/dest" -name install-hooks -type f | head -n 1)
check "make install puts install-hooks in place" [ -n "$inst" ]
if [ -n "$inst" ]; then
	dir=$(dirname "$inst")
	check "the installed install-hooks has the marker" [ "$(script_marker "$inst")" = "$m" ]
	check "the installed install-hooks is executable" [ -x "$inst" ]
	for h in network qemu; do
		check "the installed $h (beside it) carries the same marker" carries "$(script_marker "$inst")" "$dir/$h"
	done
fi

echo "1..$n"
if [ "$fails" -gt 0 ]; then
	echo "# $fails of $n checks failed"
	exit 1
fi
echo "# all $n checks passed"
exit 0
