#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Set up a Debian/Ubuntu host for real, in one command: build dependencies, build, install, hooks in
# place in /etc/libvirt/hooks, libvirt daemons reloaded. Run as root from a clone.
#   install/setup.sh [install.sh options, e.g. --replay]
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "setup.sh: run as root (sudo $0)" >&2; exit 1; }

. "$top/install/deps.sh"
install_deps build

cd "$top"
[ -x configure ] || autoreconf -fi
mkdir -p build
cd build
[ -f Makefile ] || ../configure --prefix=/usr --sysconfdir=/etc --localstatedir=/var --libexecdir=/usr/libexec
make -j"$(nproc)"
make install
# The installer as configure made it (it carries the hooks' marker), from the build tree.
"$top/build/install/install.sh" --hooks-dir /usr/libexec/libvirt-sriov-hooks "$@"
