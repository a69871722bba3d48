#!/bin/sh
# shellcheck disable=SC2317,SC2016,SC2012 # helpers run through check(); sh -c scripts take "$1"
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The packages, as CI checks them (tests/run.sh calls this). Nothing is installed on, or removed
# from, this machine: the packages are built and their contents read.
#   1. the .deb: built from the make dist tarball (install/build-deb.sh), lintian clean, then
#      unpacked in a temporary directory (dpkg-deb -x, -e): the hooks and install-hooks in
#      /usr/libexec/libvirt-sriov-hooks, nothing under /etc/libvirt/hooks, the maintainer scripts
#      calling install-hooks, and one hook marker in install-hooks, the postrm and both hooks.
#      Installing and removing it is the VM's job (tests/vm scenario p-packages: tests/run.sh
#      passes VM_DEB=OUTDIR/deb/libvirt-sriov-hooks_*.deb to make check-vm);
#   2. the RPM: rpmbuild -bb --nodeps from the same kind of tarball (install/build-rpm.sh), and
#      its file list and scriptlets checked; with its -selinux subpackage where the c10s devel
#      tree of tests/selinux/check-policy.sh is there (build-test/selinux/c10s, or FEDPOL_CACHE):
#      the module built against it, its file list, the scriptlets' macro calls (stand-ins on
#      Debian) and the main package's conditional Requires.
# make check has run the unit tests already, so the package builds skip them (--nocheck).
#
#   tests/install/package-tests.sh [OUTDIR]     (default OUTDIR: build-test/packages)
# Exit 77 (SKIP) when a packaging tool is missing (install/deps.sh installs them for tests/run.sh).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build-test/packages}
PKG=libvirt-sriov-hooks
LIBEXEC=/usr/libexec/$PKG

for t in dpkg-buildpackage dh lintian rpmbuild rpm2cpio cpio bzcat; do
	command -v "$t" >/dev/null 2>&1 ||
		{ echo "SKIP: package-tests.sh: $t not found (apt-get install dpkg-dev debhelper lintian rpm cpio)"; exit 77; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/package-tests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# shellcheck source=../lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"
step() { printf '\n== %s\n' "$*"; }
script_marker() { sed -n "s/^MARKER='\(.*\)'\$/\1/p" "$1" 2>/dev/null; }
real_exe() { [ -f "$1" ] && [ ! -L "$1" ] && [ -x "$1" ]; }
carries() { [ -f "$2" ] && grep -qaF -- "$1" "$2"; }

rm -rf "$out/deb" "$out/rpm"
mkdir -p "$out/deb" "$out/rpm"

step ".deb: build, lintian"
rc=0
sh "$top/install/build-deb.sh" --nocheck "$out/deb" >"$tmp/build-deb.out" 2>&1 || rc=$?
grep -v '^N:' "$tmp/build-deb.out"
check "install/build-deb.sh succeeds (lintian clean)" [ "$rc" = 0 ]
deb=$(ls "$out"/deb/${PKG}_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "Bail out! no .deb in $out/deb"; exit 1; }
check "lintian.txt has no error or warning" sh -c '! grep -q "^E: \|^W: " "$1"' sh "$out/deb/lintian.txt"

step ".deb: contents (unpacked, not installed)"
x=$tmp/deb
mkdir -p "$x"
dpkg-deb -x "$deb" "$x/root" && dpkg-deb -e "$deb" "$x/control" || { echo "Bail out! cannot unpack $deb"; exit 1; }
for h in network qemu; do
	check "$LIBEXEC/$h is a real executable" real_exe "$x/root$LIBEXEC/$h"
done
check "$LIBEXEC/install-hooks is a real executable" real_exe "$x/root$LIBEXEC/install-hooks"
check "/usr/bin/sriov-hooks is in the package" real_exe "$x/root/usr/bin/sriov-hooks"
check "no file under /etc/libvirt/hooks (nothing there belongs to the package)" \
	[ -z "$(find "$x/root/etc/libvirt/hooks" ! -type d 2>/dev/null)" ]
check "postinst runs install-hooks" grep -q "install-hooks\" --hooks-dir" "$x/control/postinst"
check "prerm runs install-hooks --uninstall" grep -q "install-hooks\" --uninstall" "$x/control/prerm"
m=$(script_marker "$x/root$LIBEXEC/install-hooks")
echo "# marker: '$m'"
check "install-hooks has a substituted marker" sh -c '[ -n "$1" ] && ! printf %s "$1" | grep -q @' sh "$m"
check "the postrm has the same marker" [ "$(script_marker "$x/control/postrm")" = "$m" ]
for h in network qemu; do
	check "$h carries the same marker" carries "$m" "$x/root$LIBEXEC/$h"
done
tmpfiles_line='d /run/libvirt-sriov-hooks 0700 root root -'
check "the tmpfiles.d entry creates the state directory" \
	grep -qx "$tmpfiles_line" "$x/root/usr/lib/tmpfiles.d/libvirt-sriov-hooks.conf"

step "RPM: rpmbuild -bb --nodeps"
rc=0
sedevel=${FEDPOL_CACHE:-$top/build-test/selinux/c10s}/share
if [ -f "$sedevel/devel/Makefile" ]; then
	sh "$top/install/build-rpm.sh" --nocheck --selinux-devel "$sedevel" "$out/rpm" || rc=$?
else
	echo "# no c10s devel tree at $sedevel (tests/selinux/check-policy.sh makes it): the -selinux subpackage is not built or checked"
	sh "$top/install/build-rpm.sh" --nocheck --without-selinux "$out/rpm" || rc=$?
fi
check "install/build-rpm.sh succeeds" [ "$rc" = 0 ]
rpm=$(ls "$out"/rpm/$PKG-[0-9]*.rpm 2>/dev/null | head -n 1)
[ -n "$rpm" ] || { echo "Bail out! no RPM in $out/rpm"; exit 1; }
files=$(rpm -qlp "$rpm")
for f in $LIBEXEC/network $LIBEXEC/qemu $LIBEXEC/install-hooks /usr/lib/tmpfiles.d/$PKG.conf; do
	check "$f is in the RPM" sh -c 'printf "%s\n" "$1" | grep -qx "$2"' sh "$files" "$f"
done
check "the RPM owns nothing in /etc/libvirt/hooks" sh -c '! printf "%s\n" "$1" | grep -q "^/etc/libvirt/hooks"' sh "$files"
check "the RPM has an uninstall scriptlet" sh -c 'rpm -qp --scripts "$1" | grep -q "install-hooks --uninstall"' sh "$rpm"
mkdir -p "$tmp/rpm"
(cd "$tmp/rpm" && rpm2cpio "$rpm" | cpio -idm --quiet)
check "the RPM's install-hooks has the same marker" [ "$(script_marker "$tmp/rpm$LIBEXEC/install-hooks")" = "$m" ]
for h in network qemu; do
	check "the RPM's $h carries it" carries "$m" "$tmp/rpm$LIBEXEC/$h"
done

if [ -f "$sedevel/devel/Makefile" ]; then
	step "RPM: the -selinux subpackage"
	serpm=$(ls "$out"/rpm/$PKG-selinux-[0-9]*.noarch.rpm 2>/dev/null | head -n 1)
	[ -n "$serpm" ] || { echo "Bail out! no $PKG-selinux noarch RPM in $out/rpm"; exit 1; }
	pp=/usr/share/selinux/packages/targeted/libvirt_sriov_hooks.pp.bz2
	sefiles=$(rpm -qlp "$serpm")
	for f in "$pp" /usr/share/selinux/devel/include/distributed/libvirt_sriov_hooks.if; do
		check "$f is in the -selinux RPM" sh -c 'printf "%s\n" "$1" | grep -qx "$2"' sh "$sefiles" "$f"
	done
	# The module itself: a bzip2'd SELinux policy package (magic f97cff8f) naming our types.
	mkdir -p "$tmp/serpm"
	(cd "$tmp/serpm" && rpm2cpio "$serpm" | cpio -id --quiet ".$pp")
	check "the module is a policy package" \
		[ "$(bzcat "$tmp/serpm$pp" | head -c 4 | od -An -tx1 | tr -d ' \n')" = 8fff7cf9 ]
	check "the module names sriov_hooks_exec_t" sh -c 'bzcat "$1" | grep -aq sriov_hooks_exec_t' sh "$tmp/serpm$pp"
	# Each scriptlet calls its macro with our module (on Debian the stand-ins name the macro).
	scripts=$(rpm -qp --scripts "$serpm")
	for want in "selinux_relabel_pre -s targeted" "selinux_modules_install -s targeted $pp" \
		"selinux_modules_uninstall -s targeted libvirt_sriov_hooks" "selinux_relabel_post -s targeted"; do
		check "a scriptlet calls '$want'" sh -c 'printf "%s\n" "$1" | grep -q -- "$2"' sh "$scripts" "$want"
	done
	check "the main RPM requires the -selinux one where selinux-policy-targeted is" \
		sh -c 'rpm -qp --requires "$1" | grep -qx "(libvirt-sriov-hooks-selinux if selinux-policy-targeted)"' sh "$rpm"
fi

echo
echo "1..$n"
if [ "$fails" -gt 0 ]; then
	echo "# package-tests.sh: $fails of $n checks failed; packages in $out"
	exit 1
fi
echo "# package-tests.sh: all $n checks passed; packages in $out (install: tests/vm, VM_DEB=$deb)"
exit 0
