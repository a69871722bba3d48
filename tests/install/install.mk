# SPDX-License-Identifier: LGPL-2.1-or-later
# The installer's tests and the packaging files; included from Makefile.am after
# tests/Makefile.inc (which sets TESTS, dist_check_SCRIPTS and EXTRA_DIST first).
#
#   make check TESTS=tests/install/test-install.sh   install.sh in a temporary root, no root needed
#   tests/install/package-tests.sh                   the .deb and the RPM built and their contents
#                                                    checked, nothing installed (not part of make
#                                                    check); the .deb is installed and removed in
#                                                    the VM: tests/vm scenario p-packages

#   make check TESTS=tests/install/test-marker.sh    one hook marker in config.h, the scripts, the
#                                                    hooks and a make install DESTDIR=... tree

TESTS += tests/install/test-install.sh tests/install/test-marker.sh
dist_check_SCRIPTS += tests/install/test-install.sh tests/install/test-marker.sh
AM_TESTS_ENVIRONMENT += \
	INSTALL_SH='$(abs_top_builddir)/install/install.sh'; export INSTALL_SH; \
	TOP_BUILDDIR='$(abs_top_builddir)'; export TOP_BUILDDIR;
EXTRA_DIST += \
	tests/install/package-tests.sh \
	install/build-deb.sh \
	install/build-rpm.sh \
	install/libvirt-sriov-hooks.spec \
	install/debian
