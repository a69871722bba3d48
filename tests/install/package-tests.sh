#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The packages, as CI checks them (tests/run.sh calls this as root):
#   1. the installer in a temporary root (tests/install/test-install.sh);
#   2. the .deb: built from the make dist tarball, lintian clean, dpkg -i on this machine, hooks in
#      /etc/libvirt/hooks as real executables, dpkg -r, only ours gone, also beside an admin's
#      own hooks (tests/install/test-deb.sh; the machine is left as it was found);
#   3. the RPM: rpmbuild -bb --nodeps from the same kind of tarball (install/build-rpm.sh), and
#      its file list and scriptlets checked; with its -selinux subpackage where the c10s devel
#      tree of tests/selinux/check-policy.sh is there (build-test/selinux/c10s, or FEDPOL_CACHE):
#      the module built against it, its file list, the scriptlets' macro calls (stand-ins on
#      Debian) and the main package's conditional Requires.
# As root, installs the packaging tools it lacks with apt-get. Packages are left in OUTDIR
# (default build-test/packages in the source tree). make check has run the unit tests already,
# so the package builds skip them (--nocheck).
#
#   sudo tests/install/package-tests.sh [OUTDIR]
# Exit 77 (SKIP) when not root.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build-test/packages}
TOOLS="dpkg-dev debhelper lintian rpm rpm2cpio cpio bzip2"

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

deb=$(ls "$out"/deb/libvirt-sriov-hooks_*.deb | head -n 1)
tmpfiles_line='d /run/libvirt-sriov-hooks 0700 root root -'
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/tmpfiles.d/libvirt-sriov-hooks.conf 2>/dev/null |
	grep -qx "$tmpfiles_line" ||
	{ echo "package-tests.sh: $deb has no /usr/lib/tmpfiles.d/libvirt-sriov-hooks.conf saying '$tmpfiles_line'"; exit 1; }
echo "ok: $(basename "$deb") has the tmpfiles.d entry"

step "RPM: rpmbuild -bb --nodeps"
sedevel=${FEDPOL_CACHE:-$top/build-test/selinux/c10s}/share
if [ -f "$sedevel/devel/Makefile" ]; then
	sh "$top/install/build-rpm.sh" --nocheck --selinux-devel "$sedevel" "$out/rpm"
else
	echo "package-tests.sh: no c10s devel tree at $sedevel (tests/selinux/check-policy.sh makes it): the -selinux subpackage is not built or checked"
	sh "$top/install/build-rpm.sh" --nocheck --without-selinux "$out/rpm"
fi
rpm=$(ls "$out"/rpm/libvirt-sriov-hooks-[0-9]*.rpm | head -n 1)
files=$(rpm -qlp "$rpm")
for f in /usr/libexec/libvirt-sriov-hooks/network /usr/libexec/libvirt-sriov-hooks/qemu \
	/usr/libexec/libvirt-sriov-hooks/install-hooks /usr/lib/tmpfiles.d/libvirt-sriov-hooks.conf; do
	echo "$files" | grep -qx "$f" || { echo "package-tests.sh: $f is not in $rpm"; exit 1; }
done
if echo "$files" | grep -q '^/etc/libvirt/hooks'; then
	echo "package-tests.sh: $rpm owns files in /etc/libvirt/hooks"; exit 1
fi
rpm -qp --scripts "$rpm" | grep -q 'install-hooks --uninstall' ||
	{ echo "package-tests.sh: $rpm has no uninstall scriptlet"; exit 1; }
echo "ok: $(basename "$rpm")"

if [ -f "$sedevel/devel/Makefile" ]; then
	serpm=$(ls "$out"/rpm/libvirt-sriov-hooks-selinux-[0-9]*.noarch.rpm 2>/dev/null | head -n 1)
	[ -n "$serpm" ] || { echo "package-tests.sh: no libvirt-sriov-hooks-selinux noarch RPM in $out/rpm"; exit 1; }
	pp=/usr/share/selinux/packages/targeted/libvirt_sriov_hooks.pp.bz2
	sefiles=$(rpm -qlp "$serpm")
	for f in "$pp" /usr/share/selinux/devel/include/distributed/libvirt_sriov_hooks.if; do
		echo "$sefiles" | grep -qx "$f" || { echo "package-tests.sh: $f is not in $serpm"; exit 1; }
	done
	# The module itself: a bzip2'd SELinux policy package (magic f97cff8f) naming our types.
	x=$(mktemp -d)
	(cd "$x" && rpm2cpio "$serpm" | cpio -id --quiet ".$pp")
	magic=$(bzcat "$x$pp" | head -c 4 | od -An -tx1 | tr -d ' \n')
	bzcat "$x$pp" | grep -aq sriov_hooks_exec_t || magic="$magic (no sriov_hooks_exec_t)"
	rm -rf "$x"
	[ "$magic" = 8fff7cf9 ] || { echo "package-tests.sh: $pp in $serpm is not a policy package ($magic)"; exit 1; }
	# Each scriptlet calls its macro with our module (on Debian the stand-ins name the macro).
	scripts=$(rpm -qp --scripts "$serpm")
	for want in "selinux_relabel_pre -s targeted" "selinux_modules_install -s targeted $pp" \
		"selinux_modules_uninstall -s targeted libvirt_sriov_hooks" "selinux_relabel_post -s targeted"; do
		echo "$scripts" | grep -q -- "$want" || {
			echo "package-tests.sh: $serpm has no scriptlet calling '$want':"; echo "$scripts"; exit 1; }
	done
	rpm -qp --requires "$rpm" | grep -qx '(libvirt-sriov-hooks-selinux if selinux-policy-targeted)' ||
		{ echo "package-tests.sh: $rpm does not require the -selinux subpackage where selinux-policy-targeted is"; exit 1; }
	echo "ok: $(basename "$serpm")"
fi
echo
echo "package-tests.sh: all package tests passed; packages in $out"
