# SPDX-License-Identifier: LGPL-2.1-or-later
# The admin CLI, sriov-hooks, its man pages and its tests; included from Makefile.am.
# The CLI is the only program that links libvirt's client library (hooks/cli-virt.c only).

# automake refuses '+=' on a variable no one set before: bin_PROGRAMS and dist_man_MANS start
# here. A fragment included earlier that sets them makes these two lines '+='.
bin_PROGRAMS = hooks/sriov-hooks
CLI_SOURCES = \
	hooks/sriov-hooks.c hooks/cli-common.h hooks/cli-virt.c hooks/cli-json.c \
	hooks/cli-status.c hooks/cli-doctor.c hooks/cli-plan.c \
	common/status.c common/status.h
CLI_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/hooks -DPKGDATADIR='"$(pkgdatadir)"'
CLI_CFLAGS = $(AM_CFLAGS) $(LIBXML_CFLAGS) $(LIBNL_CFLAGS) $(LIBVIRT_CFLAGS)
CLI_LIBS = $(CORE_LIBS) $(LIBVIRT_LIBS)
hooks_sriov_hooks_SOURCES = $(CLI_SOURCES)
hooks_sriov_hooks_CPPFLAGS = $(CLI_CPPFLAGS)
hooks_sriov_hooks_CFLAGS = $(CLI_CFLAGS)
hooks_sriov_hooks_LDADD = $(CLI_LIBS)

dist_man_MANS = install/man/libvirt-sriov-hooks.8 install/man/sriov-hooks.8

CLI_TESTS_SHELL = tests/cli/test-status.sh tests/cli/test-doctor.sh tests/cli/test-plan.sh \
	tests/cli/test-errors.sh
TESTS += $(CLI_TESTS_SHELL)
dist_check_SCRIPTS += $(CLI_TESTS_SHELL) tests/cli/lib.sh
EXTRA_DIST += tests/cli/data

if HAVE_CMOCKA
# End to end: the CLI against libvirt's test driver (tests/cli/data/node.xml), a fake sysfs tree,
# a fake root (etc/, proc/) and, in this second build of it, a fake kernel at the libnl boundary
# (tests/cli/fakevf.c) that also aborts on any netlink request the CLI would send.
check_PROGRAMS += tests/cli/sriov-hooks-fakevf
tests_cli_sriov_hooks_fakevf_SOURCES = $(CLI_SOURCES) tests/cli/fakevf.c
tests_cli_sriov_hooks_fakevf_CPPFLAGS = $(CLI_CPPFLAGS)
tests_cli_sriov_hooks_fakevf_CFLAGS = $(CLI_CFLAGS)
tests_cli_sriov_hooks_fakevf_LDFLAGS = $(AM_LDFLAGS) \
	-Wl,--wrap=rtnl_link_get_kernel -Wl,--wrap=nl_send_auto
tests_cli_sriov_hooks_fakevf_LDADD = $(CLI_LIBS)
# (its tests, below, skip without it)

# common/status.c's checks, each for pass and fail, and its sysfs reads against a fake tree.
check_PROGRAMS += tests/cli/test-status-checks
TESTS += tests/cli/test-status-checks
tests_cli_test_status_checks_SOURCES = tests/cli/test-status-checks.c common/status.c \
	common/status.h
tests_cli_test_status_checks_CPPFLAGS = $(AM_CPPFLAGS) \
	-DTEST_BUILD_DIR='"$(abs_top_builddir)/tests"'
tests_cli_test_status_checks_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS) $(CMOCKA_CFLAGS)
tests_cli_test_status_checks_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
endif

clean-local: clean-local-cli
clean-local-cli:
	-rm -rf tests/cli-*
.PHONY: clean-local-cli
