# SPDX-License-Identifier: LGPL-2.1-or-later
# The admin tool's tests (the tool itself is built in Makefile.am); included from Makefile.am.

CLI_TESTS_SHELL = tests/cli/test-status.sh tests/cli/test-doctor.sh tests/cli/test-plan.sh \
	tests/cli/test-errors.sh tests/cli/test-stuck-libvirt.sh
TESTS += $(CLI_TESTS_SHELL)
dist_check_SCRIPTS += $(CLI_TESTS_SHELL) tests/cli/lib.sh
EXTRA_DIST += tests/cli/data

if HAVE_CMOCKA
# End to end: the CLI against libvirt's test driver (tests/cli/data/node.xml), a fake sysfs tree,
# a fake root (etc/, proc/) and, in this second build of it, a fake kernel at the libnl boundary
# (tests/cli/fakevf.c) that also aborts on any netlink request the CLI would send. It reads SELinux
# labels from user.sriov_test_selinux, which the tests can set without privileges.
check_PROGRAMS += tests/cli/sriov-hooks-fakevf
tests_cli_sriov_hooks_fakevf_SOURCES = hooks/cli/main.c tests/cli/fakevf.c
tests_cli_sriov_hooks_fakevf_CPPFLAGS = $(CLI_CPPFLAGS) \
	-DCLI_SELINUX_XATTR='"user.sriov_test_selinux"'
tests_cli_sriov_hooks_fakevf_CFLAGS = $(CLI_CFLAGS)
tests_cli_sriov_hooks_fakevf_LDFLAGS = $(AM_LDFLAGS) \
	-Wl,--wrap=rtnl_link_get_kernel -Wl,--wrap=nl_send_auto
tests_cli_sriov_hooks_fakevf_LDADD = $(CLI_LIBS)
# (its tests, below, skip without it)

# A libvirt that accepts and never answers, for test-stuck-libvirt.sh (which skips without it;
# it is here only because check_PROGRAMS is defined with cmocka).
check_PROGRAMS += tests/cli/mute-server
tests_cli_mute_server_SOURCES = tests/cli/mute-server.c

# The doctor's rules (hooks/cli/checks.c), each for pass and fail, the direct-VF policy rule, and
# common/status.c's sysfs reads against a fake tree.
check_PROGRAMS += tests/cli/test-status-checks
TESTS += tests/cli/test-status-checks
tests_cli_test_status_checks_SOURCES = tests/cli/test-status-checks.c
tests_cli_test_status_checks_CPPFLAGS = $(CLI_CPPFLAGS) \
	-DTEST_BUILD_DIR='"$(abs_top_builddir)/tests"'
tests_cli_test_status_checks_CFLAGS = $(CLI_CFLAGS) $(CMOCKA_CFLAGS)
tests_cli_test_status_checks_LDADD = $(CLI_LIBS) $(CMOCKA_LIBS)
endif

clean-local: clean-local-cli
clean-local-cli:
	-rm -rf tests/cli-*
.PHONY: clean-local-cli
