#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build the fuzz targets with clang's libFuzzer under ASan+UBSan, straight from common/ and xml/
# (no autotools), and run each for SECONDS (default 20). Fails on any crash, leak, UB, timeout or
# broken parser promise; the input that did it is kept in $FUZZ_DIR/crashes/. Copy it into
# tests/fuzz/regressions/TARGET/ and `make check` replays it from then on (tests/fuzz/replay.c).
#
#   tests/fuzz/run.sh [SECONDS [TARGET...]]     targets: netxml domxml policy conf args state
#
# Environment: FUZZ_DIR (build, corpora, crashes; default build-test/fuzz in the source tree; the
# corpora grow from run to run there), CC (default clang), FUZZ_NICE (default 10),
# FUZZ_ARGS (extra libFuzzer options, e.g. -jobs=1).
# Prints one line per target: executions, executions/s, corpus size, coverage.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-20}
[ $# -gt 0 ] && shift
targets=${*:-netxml domxml policy conf args state}
out=${FUZZ_DIR:-$top/build-test/fuzz}
cc=${CC:-clang}
nice_n=${FUZZ_NICE:-10}

case "$secs" in
'' | *[!0-9]*) echo "usage: $0 [SECONDS [TARGET...]]" >&2; exit 2 ;;
esac
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "$0: $cc not found (apt-get install clang)" >&2
	exit 77
fi

mkdir -p "$out/obj" "$out/crashes"
# The few things configure would define (config.h), and CONF_PATH as Makefile.am passes it; the
# hook marker as configure.ac defines it, its one definition.
marker=$(sed -n "s/^HOOK_MARKER='\(.*\)'\$/\1/p" "$top/configure.ac")
[ -n "$marker" ] || { echo "$0: no HOOK_MARKER in configure.ac" >&2; exit 2; }
cat >"$out/obj/config.h" <<EOF
#define _GNU_SOURCE 1
#define PACKAGE "libvirt-sriov-hooks"
#define PACKAGE_NAME "libvirt-sriov-hooks"
#define PACKAGE_VERSION "0.1.0"
#define VERSION "0.1.0"
#define STATE_DIR "/run/libvirt-sriov-hooks"
#define HOOK_MARKER "$marker"
EOF

deps=$(pkg-config --cflags --libs libxml-2.0 libnl-3.0 libnl-route-3.0)
cflags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all \
	-I$out/obj -I$top/common -I$top/xml -I$top/tests/fuzz -DCONF_PATH=\"/nonexistent.conf\" \
	$(pkg-config --cflags libxml-2.0 libnl-3.0 libnl-route-3.0)"

# The parsers and what they pull in: everything but the CLI's status.c.
objs=
for src in "$top"/common/*.c "$top"/xml/*.c; do
	case "$src" in */status.c) continue ;; esac
	o=$out/obj/$(basename "$src" .c).o
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ "$0" -nt "$o" ]; then
		# shellcheck disable=SC2086
		nice -n "$nice_n" "$cc" $cflags -fsanitize=fuzzer-no-link -c "$src" -o "$o"
	fi
	objs="$objs $o"
done

for t in $targets; do
	src=$top/tests/fuzz/fuzz-$t.c
	[ -f "$src" ] || { echo "$0: no target $t" >&2; exit 2; }
	# shellcheck disable=SC2086
	nice -n "$nice_n" "$cc" $cflags -fsanitize=fuzzer "$src" $objs $deps -o "$out/fuzz-$t"
done

# Seeds: the golden documents, and the hand-made seeds for the other parsers. Regression inputs
# are seeds too, so a fixed crash keeps being exercised.
seed() { # TARGET FILES...
	d=$out/corpus/$1
	shift
	mkdir -p "$d"
	for f in "$@"; do
		[ -f "$f" ] && cp -p "$f" "$d/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
	done
	return 0
}
for t in $targets; do
	case $t in
	netxml) seed netxml "$top"/tests/data/network/*.xml "$top"/tests/cli/data/*.xml ;;
	domxml) seed domxml "$top"/tests/data/qemu/*.xml ;;
	*) seed "$t" "$top"/tests/fuzz/seeds/"$t"/* ;;
	esac
	seed "$t" "$top"/tests/fuzz/regressions/"$t"/*
done

fails=0
printf '%-8s %12s %10s %8s %8s  %s\n' target executions exec/s corpus cov result
for t in $targets; do
	dict=
	case $t in netxml | domxml | policy) dict=-dict=$top/tests/fuzz/xml.dict ;; esac
	maxlen=4096
	case $t in netxml | domxml) maxlen=65536 ;; esac
	log=$out/fuzz-$t.log
	mkdir -p "$out/crashes/$t"
	# -rss_limit_mb bounds memory (a billion laughs would show here); -timeout: one input
	# taking over 10 s is a hang. Leaks are reported (ASan's LeakSanitizer).
	# shellcheck disable=SC2086
	if nice -n "$nice_n" "$out/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$maxlen" -print_final_stats=1 -artifact_prefix="$out/crashes/$t/" \
		$dict ${FUZZ_ARGS:-} "$out/corpus/$t" >"$log" 2>&1; then
		result=ok
	else
		result="FAILED: see $log and $out/crashes/$t/"
		fails=$((fails + 1))
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	corpus=$(find "$out/corpus/$t" -type f | wc -l)
	printf '%-8s %12s %10s %8s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$corpus" "${cov:-?}" \
		"$result"
	if [ "$result" != ok ]; then
		grep -E 'ERROR|runtime error|broken promise|SUMMARY' "$log" | head -n 5 | sed 's/^/    /'
	fi
done
[ "$fails" = 0 ]
