#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The project's test command (the README's second command; CI runs it too):
#   1. build dependencies (apt-get, as root, only what is missing);
#   2. a clang build with warnings as errors under ASan+UBSan: make check;
#   3. a gcc build with warnings as errors: make check, every unit test under valgrind, make distcheck
#      (the tarball built and its tests built, not run again);
#   3b. the SELinux module checked in the real RHEL 10 and RHEL 9 policies (needs ../shared);
#   4. the packages: built and their contents checked, never installed here;
#   5. the VM end-to-end tests on a real kernel and real libvirt, with the .deb installed and removed
#      in the guest (make check-vm; --no-vm skips).
# Build trees go to build-test/ in the source tree. Nothing outside it is changed (CI checks that
# dpkg -l, /etc/libvirt, /usr and the running daemons are as they were), apart from the
# dependencies installed first as root.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
vm=1
for a in "$@"; do
	case "$a" in
	--no-vm) vm=0 ;;
	*) echo "usage: $0 [--no-vm]" >&2; exit 2 ;;
	esac
done

. "$top/install/deps.sh"
if [ "$(id -u)" = 0 ]; then
	install_deps test
fi

cd "$top"
[ -x configure ] || autoreconf -fi
jobs=$(nproc)

# Each step's header carries the time since the start, so a slow step shows in CI's log.
t0=$(date +%s)
step() {
	t=$(($(date +%s) - t0))
	printf '\n==== [%dm%02ds] %s\n' $((t / 60)) $((t % 60)) "$*"
}

# The VM images (debootstrap, Debian's packages, libvirt built from source for one flavour) are
# mostly waiting on the mirror and dpkg: they build in the background, beside the unit tests, in
# the work directory make check-vm uses (the cache's lock makes the VM step wait for them).
prefetch=""
if [ "$vm" = 1 ] && [ "$(id -u)" = 0 ]; then
	mkdir -p build-test/plain
	# shellcheck disable=SC2086
	VM_WORK="$top/build-test/plain/tests/vm/work" \
		bash "$top/tests/vm/run.sh" --images-only ${VM_ARGS:-} \
		>"$top/build-test/vm-images.log" 2>&1 </dev/null &
	prefetch=$!
fi

step "clang, -Werror, ASan+UBSan: make check"
mkdir -p build-test/san && cd build-test/san
[ -f Makefile ] || "$top/configure" -q CC=clang --enable-werror --enable-sanitizers
make -s -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	make -s -j"$jobs" check || { cat tests/*.log 2>/dev/null | tail -n 200; exit 1; }

step "libFuzzer, ASan+UBSan: each input parser fuzzed 20 s (tests/fuzz/run.sh)"
FUZZ_DIR="$top/build-test/fuzz" "$top/tests/fuzz/run.sh" 20 || [ "$?" -eq 77 ]

step "gcc, -Werror: make check, valgrind, distcheck"
cd "$top" && mkdir -p build-test/plain && cd build-test/plain
[ -f Makefile ] || "$top/configure" -q CC=gcc --enable-werror
make -s -j"$jobs"
make -s -j"$jobs" check || { cat tests/*.log 2>/dev/null | tail -n 200; exit 1; }
make -s check-valgrind
# distcheck proves the tarball builds everything, tests included, out of tree and read-only; the
# tests themselves have just run twice, so its own make check runs none (TESTS=) and saves CI
# about five minutes.
make -s distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror TESTS= >/dev/null

step "SELinux: our module in the RHEL 10 and RHEL 9 policies (tests/selinux/check-policy.sh)"
"$top/tests/selinux/check-policy.sh" "$top/build-test/selinux" || [ "$?" -eq 77 ]

# Nothing is installed on this machine: the packages are built and read here, and the .deb is
# installed and removed inside the VM (scenario p-packages).
step "packages: .deb built (lintian clean) and its contents checked; RPM built"
"$top/tests/install/package-tests.sh" "$top/build-test/packages" || [ "$?" -eq 77 ]

if [ "$vm" = 1 ]; then
	step "VM end-to-end: real kernel, real igb VFs, real libvirt; the .deb installed and removed there"
	if [ -n "$prefetch" ] && ! wait "$prefetch"; then
		echo "the background image build failed (the VM step tries again):"
		tail -n 20 "$top/build-test/vm-images.log"
	fi
	deb=$(ls "$top"/build-test/packages/deb/libvirt-sriov-hooks_*.deb 2>/dev/null | head -n 1)
	VM_DEB=$deb make check-vm
fi
step "all passed"
