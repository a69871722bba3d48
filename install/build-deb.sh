#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build the Debian packages from a clean tree and check them with lintian.
#
#   install/build-deb.sh [--tarball FILE] [--binary-only] [--nocheck] [--no-lintian] OUTDIR
#
# The tree is the `make dist` tarball (made in a temporary out-of-tree build directory unless
# --tarball names one), unpacked in a temporary directory, with install/debian copied to debian/.
# The tarball is also the .orig.tar.xz, so the source package (.dsc) comes for free; --binary-only
# builds only the .deb (dpkg-buildpackage -b). --nocheck skips make check during the build.
# lintian must report no error and no warning. Everything (.deb, .dsc, .changes, .buildinfo,
# lintian.txt) is left in OUTDIR.
#
# Needs: dpkg-dev, debhelper, lintian, and the Build-Depends in install/debian/control.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
tarball=''
binary_only=0
nocheck=0
lint=1
out=''

die() { echo "build-deb.sh: error: $*" >&2; exit 1; }
say() { echo "build-deb.sh: $*"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--tarball) [ $# -ge 2 ] || die "--tarball needs a file"; tarball=$2; shift ;;
	--binary-only) binary_only=1 ;;
	--nocheck) nocheck=1 ;;
	--no-lintian) lint=0 ;;
	-h|--help) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) [ -z "$out" ] || die "one output directory only"; out=$1 ;;
	esac
	shift
done
[ -n "$out" ] || die "no output directory (see --help)"
# Rules-Requires-Root: no, so no fakeroot.
for t in dpkg-buildpackage dpkg-parsechangelog dh; do
	command -v "$t" >/dev/null 2>&1 || die "$t not found (apt-get install dpkg-dev debhelper)"
done
[ "$lint" = 0 ] || command -v lintian >/dev/null 2>&1 || die "lintian not found (apt-get install lintian, or --no-lintian)"
mkdir -p "$out"
out=$(cd "$out" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/build-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

if [ -z "$tarball" ]; then
	say "make dist in $work/dist"
	if [ ! -x "$top/configure" ]; then
		(cd "$top" && autoreconf -fi) || die "autoreconf failed"
	fi
	mkdir "$work/dist"
	(cd "$work/dist" && "$top/configure" -q && make -s dist) >"$work/dist.log" 2>&1 || {
		tail -n 30 "$work/dist.log" >&2
		die "make dist failed"
	}
	tarball=$(ls "$work"/dist/libvirt-sriov-hooks-*.tar.xz)
fi
[ -f "$tarball" ] || die "$tarball: no such file"

# The version is the tarball's; debian/changelog must name it.
base=$(basename "$tarball")
upstream=${base#libvirt-sriov-hooks-}
upstream=${upstream%.tar.*}
ext=${base##*.tar.}
debversion=$(dpkg-parsechangelog -l "$top/install/debian/changelog" -S Version)
[ "${debversion%-*}" = "$upstream" ] || die "install/debian/changelog is at $debversion but the tarball is $upstream: add an entry (dch -c install/debian/changelog -v $upstream-1)"

cp "$tarball" "$work/libvirt-sriov-hooks_$upstream.orig.tar.$ext"
tar -xf "$tarball" -C "$work"
src="$work/libvirt-sriov-hooks-$upstream"
[ -d "$src" ] || die "$base does not unpack to libvirt-sriov-hooks-$upstream/"
rm -rf "$src/debian"
cp -R "$top/install/debian" "$src/debian"
chmod 0755 "$src/debian/rules"

if [ "$nocheck" = 1 ]; then
	DEB_BUILD_OPTIONS="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}"
	DEB_BUILD_PROFILES="nocheck${DEB_BUILD_PROFILES:+ $DEB_BUILD_PROFILES}"
	export DEB_BUILD_OPTIONS DEB_BUILD_PROFILES
fi
what='-b'
[ "$binary_only" = 1 ] || what=''
say "dpkg-buildpackage -us -uc $what (log: $out/build.log)"
# shellcheck disable=SC2086
if ! (cd "$src" && dpkg-buildpackage -us -uc $what) >"$work/build.log" 2>&1; then
	cp "$work/build.log" "$out/build.log"
	tail -n 60 "$work/build.log" >&2
	die "dpkg-buildpackage failed (whole log: $out/build.log)"
fi
cp "$work/build.log" "$out/build.log"

for f in "$work"/*.deb "$work"/*.dsc "$work"/*.debian.tar.* "$work"/*.orig.tar.* \
	"$work"/*.changes "$work"/*.buildinfo; do
	[ -e "$f" ] || continue
	case "$f" in *.orig.tar.*) [ "$binary_only" = 0 ] || continue ;; esac
	cp "$f" "$out/"
done
changes=$(ls "$work"/libvirt-sriov-hooks_*.changes)
if [ "$lint" = 1 ]; then
	say "lintian $(basename "$changes")"
	rc=0
	lintian --display-info --fail-on error,warning "$out/$(basename "$changes")" >"$work/lintian.txt" 2>&1 || rc=$?
	cp "$work/lintian.txt" "$out/lintian.txt"
	cat "$work/lintian.txt"
	[ "$rc" = 0 ] || die "lintian is not clean (exit $rc)"
	say "lintian: no errors, no warnings"
fi

say "in $out:"
(cd "$out" && ls -1 -- *.deb)
