# SPDX-License-Identifier: LGPL-2.1-or-later
# The Ansible collection (install/ansible), included from Makefile.am after tests/Makefile.inc.
#   make check TESTS=tests/ansible/test-lint.sh    ansible-lint passes (SKIP without it)
#   make check TESTS=tests/ansible/test-check.sh   the check role against the tool's documents
#                                                  (SKIP without ansible-playbook)
# The whole collection on two real hosts: tests/vm scenario n-fleet.
TESTS += tests/ansible/test-lint.sh tests/ansible/test-check.sh
dist_check_SCRIPTS += tests/ansible/test-lint.sh tests/ansible/test-check.sh tests/ansible/lib.sh \
	tests/ansible/fake-sriov-hooks.sh
EXTRA_DIST += install/ansible

clean-local: clean-local-ansible
clean-local-ansible:
	-rm -rf tests/ansible-*
.PHONY: clean-local-ansible
