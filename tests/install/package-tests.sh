#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The packages, as CI checks them (tests/run.sh calls this as root):
#   1. the installer in a temporary root (tests/install/test-install.sh);
#   2. the .deb: built from the make dist tarball, lintian clean, dpkg -i on this machine, hooks in
#      /etc/libvirt/hooks as real executables, dpkg -r, only ours gone, also beside an admin's
#      own hooks (tests/install/test-deb.sh; the machine is left as it was found);
#   3. the RPM: rpmbuild -bb --nodeps from the same kind of tarball (install/build-rpm.sh), and
#      its file list and scriptlets checked.
# As root, installs the packaging tools it lacks with apt-get. Packages are left in OUTDIR
# (default build-test/packages in the source tree). make check has run the unit tests already,
# so the package builds skip them (--nocheck).
#
#   sudo tests/install/package-tests.sh [OUTDIR]
# Exit 77 (SKIP) when not root.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build-test/packages}
TOOLS="dpkg-dev debhelper lintian rpm"

[ "$(id -u)" = 0 ] || { echo "SKIP: package-tests.sh: needs root (dpkg -i)"; exit 77; }

missing=''
for p in $TOOLS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "package-tests.sh: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# shellcheck disable=SC2086
	apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends $missing
fi

step() { printf '\n== %s\n' "$*"; }
rm -rf "$out/deb" "$out/rpm"
mkdir -p "$out/deb" "$out/rpm"

step "installer in a temporary root"
sh "$top/tests/install/test-install.sh" >"$out/test-install.log" 2>&1 || {
	cat "$out/test-install.log"
	exit 1
}
grep '^# all\|^not ok' "$out/test-install.log"

step ".deb: build, lintian, dpkg -i, dpkg -r"
rc=0
sh "$top/tests/install/test-deb.sh" --keep "$out/deb" || rc=$?
[ "$rc" = 0 ] || { echo "package-tests.sh: test-deb.sh failed (exit $rc)"; exit 1; }

step "RPM: rpmbuild -bb --nodeps"
sh "$top/install/build-rpm.sh" --nocheck "$out/rpm"
rpm=$(ls "$out"/rpm/libvirt-sriov-hooks-[0-9]*.rpm | head -n 1)
files=$(rpm -qlp "$rpm")
for f in /usr/libexec/libvirt-sriov-hooks/network /usr/libexec/libvirt-sriov-hooks/qemu \
	/usr/libexec/libvirt-sriov-hooks/install-hooks; do
	echo "$files" | grep -qx "$f" || { echo "package-tests.sh: $f is not in $rpm"; exit 1; }
done
if echo "$files" | grep -q '^/etc/libvirt/hooks'; then
	echo "package-tests.sh: $rpm owns files in /etc/libvirt/hooks"; exit 1
fi
rpm -qp --scripts "$rpm" | grep -q 'install-hooks --uninstall' ||
	{ echo "package-tests.sh: $rpm has no uninstall scriptlet"; exit 1; }
echo "ok: $(basename "$rpm")"
echo
echo "package-tests.sh: all package tests passed; packages in $out"
