# SPDX-License-Identifier: LGPL-2.1-or-later
# Robustness tests (issue 6), included from Makefile.am after tests/cli.mk:
#   tests/fuzz/replay           every fuzz target on its seeds and on tests/fuzz/regressions/
#   tests/robust/test-hostile.sh  both hook binaries against hostile stdin and argv
#   tests/robust/test-concurrency 32 hooks at once on one PF; a hook killed before its rename
#   tests/robust/test-faults    netlink, sysfs and state-directory faults; the invariants
#   tests/robust/test-timeout   a driver that never answers (socket timeouts, about 20 s)
# The fuzzers themselves run from tests/fuzz/run.sh (clang's libFuzzer; not part of make check).

ROBUST_TESTS_SHELL = tests/robust/test-hostile.sh
TESTS += $(ROBUST_TESTS_SHELL)
dist_check_SCRIPTS += $(ROBUST_TESTS_SHELL) tests/fuzz/run.sh
EXTRA_DIST += tests/fuzz/README.md tests/fuzz/seeds tests/fuzz/regressions tests/fuzz/xml.dict \
	tests/fuzz/fuzz-netxml.c \
	tests/fuzz/fuzz-domxml.c tests/fuzz/fuzz-policy.c tests/fuzz/fuzz-conf.c \
	tests/fuzz/fuzz-args.c tests/fuzz/fuzz-state.c tests/fuzz/fuzz.h

if HAVE_CMOCKA
ROBUST_CMOCKA = tests/fuzz/replay tests/robust/test-concurrency tests/robust/test-faults \
	tests/robust/test-timeout tests/robust/test-bounds
# Into tests/Makefile.inc's list: built by make check, run by it and by make check-valgrind.
TESTS_CMOCKA += $(ROBUST_CMOCKA)

FUZZ_SOURCES = tests/fuzz/fuzz.h tests/fuzz/fuzz-netxml.c tests/fuzz/fuzz-domxml.c \
	tests/fuzz/fuzz-policy.c tests/fuzz/fuzz-conf.c tests/fuzz/fuzz-args.c \
	tests/fuzz/fuzz-state.c
tests_fuzz_replay_SOURCES = tests/fuzz/replay.c $(FUZZ_SOURCES)
tests_fuzz_replay_CPPFLAGS = $(TEST_CPP_FLAGS) -DFUZZ_REPLAY
tests_fuzz_replay_CFLAGS = $(TEST_CC_FLAGS)
tests_fuzz_replay_LDADD = $(TEST_LIBS)

# libc's door (robust.c): write, renameat, openat; see robust.h.
ROBUST_LIBC_WRAPS = -Wl,--wrap=write -Wl,--wrap=renameat -Wl,--wrap=openat
ROBUST_HELPERS = tests/robust/robust.c tests/robust/robust.h

tests_robust_test_concurrency_SOURCES = tests/robust/test-concurrency.c $(ROBUST_HELPERS) \
	$(TEST_FAKES)
tests_robust_test_concurrency_CPPFLAGS = $(TEST_CPP_FLAGS)
tests_robust_test_concurrency_CFLAGS = $(TEST_CC_FLAGS)
tests_robust_test_concurrency_LDFLAGS = $(TEST_WRAP_FLAGS) $(ROBUST_LIBC_WRAPS) \
	-Wl,--wrap=sysfs_pci_write_numvfs
tests_robust_test_concurrency_LDADD = $(TEST_LIBS)

# Issue 14's hostile conditions: stuck locks, FIFOs, symlinked folders, unusable records.
tests_robust_test_bounds_SOURCES = tests/robust/test-bounds.c tests/nettest.c tests/nettest.h \
	$(TEST_FAKES)
tests_robust_test_bounds_CPPFLAGS = $(TEST_CPP_FLAGS)
tests_robust_test_bounds_CFLAGS = $(TEST_CC_FLAGS)
tests_robust_test_bounds_LDFLAGS = $(TEST_WRAP_FLAGS)
tests_robust_test_bounds_LDADD = $(TEST_LIBS)

tests_robust_test_faults_SOURCES = tests/robust/test-faults.c $(ROBUST_HELPERS) \
	tests/nettest.c tests/nettest.h $(TEST_FAKES)
tests_robust_test_faults_CPPFLAGS = $(TEST_CPP_FLAGS)
tests_robust_test_faults_CFLAGS = $(TEST_CC_FLAGS)
tests_robust_test_faults_LDFLAGS = $(TEST_WRAP_FLAGS) $(ROBUST_LIBC_WRAPS)
tests_robust_test_faults_LDADD = $(TEST_LIBS)

# fakenl_set_no_answer(): the request is never sent, libnl's real nl_wait_for_ack times out.
tests_robust_test_timeout_SOURCES = tests/robust/test-timeout.c $(TEST_FAKES)
tests_robust_test_timeout_CPPFLAGS = $(TEST_CPP_FLAGS)
tests_robust_test_timeout_CFLAGS = $(TEST_CC_FLAGS)
tests_robust_test_timeout_LDFLAGS = $(TEST_WRAP_FLAGS)
tests_robust_test_timeout_LDADD = $(TEST_LIBS)

endif

clean-local: clean-local-robust
clean-local-robust:
	-rm -rf tests/robust-*
.PHONY: clean-local-robust
