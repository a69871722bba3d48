# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
# Sourced by tests/ansible/test-*.sh (make check, from the top build directory): the collection
# in install/ansible made findable as libvirt_sriov_hooks.fleet, Ansible's own files kept in a
# temporary directory.
set -u
srcdir=${srcdir:-.}
TOP_SRC=$(cd "$srcdir" && pwd)
COLLECTION=$TOP_SRC/install/ansible
FAILED=0
T=$(mktemp -d "$PWD/tests/ansible-XXXXXX") || exit 99
cleanup() { [ "${SRIOV_TEST_KEEP:-}" = 1 ] || rm -rf "$T"; }
trap cleanup EXIT
mkdir -p "$T/collections/ansible_collections/libvirt_sriov_hooks" "$T/home"
ln -s "$COLLECTION" "$T/collections/ansible_collections/libvirt_sriov_hooks/fleet"
export HOME="$T/home" ANSIBLE_COLLECTIONS_PATH="$T/collections" ANSIBLE_LOCAL_TEMP="$T/tmp" \
	ANSIBLE_REMOTE_TEMP="$T/tmp" ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
	ANSIBLE_CONFIG="$T/ansible.cfg"
: >"$T/ansible.cfg"

ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; FAILED=1; }
finish() { [ "$FAILED" = 0 ]; exit $?; }
