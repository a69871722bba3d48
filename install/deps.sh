# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by setup.sh and tests/run.sh: install what the build (and the tests) need, with apt.

DEPS_BUILD="build-essential autoconf automake pkg-config libxml2-dev libnl-3-dev libnl-route-3-dev libvirt-dev"
DEPS_TEST="libcmocka-dev valgrind clang xz-utils dpkg-dev debhelper lintian rpm cpio"
# tests/selinux/check-policy.sh: build the RHEL policies and our module, query them (setools).
DEPS_TEST="$DEPS_TEST make m4 gawk python3 checkpolicy semodule-utils setools"
# The Ansible collection (install/ansible): ansible-lint, the check role's test, and the VM
# scenario n-fleet's controller (ansible: community.libvirt; ssh to the guests).
DEPS_TEST="$DEPS_TEST ansible-core ansible ansible-lint openssh-client"

install_deps() { # build|test
	pkgs=$DEPS_BUILD
	[ "$1" = test ] && pkgs="$pkgs $DEPS_TEST"
	missing=''
	for p in $pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
	done
	# libFuzzer's runtime: versioned with clang, so take the one this release has, if any.
	if [ "$1" = test ]; then
		rt=$(apt-cache --names-only search '^libclang-rt-[0-9]+-dev$' 2>/dev/null | sort -V | tail -n 1 | cut -d' ' -f1)
		[ -n "$rt" ] && ! dpkg-query -W -f='${Status}' "$rt" 2>/dev/null | grep -q 'ok installed' &&
			missing="$missing $rt"
	fi
	[ -z "$missing" ] && return 0
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# shellcheck disable=SC2086
	apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends $missing
}
