#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build the binary RPM from the `make dist` tarball with install/libvirt-sriov-hooks.spec.
#
#   install/build-rpm.sh [--tarball FILE] [--nocheck] [--selinux-devel DIR | --without-selinux] OUTDIR
#
# The tarball is made in a temporary out-of-tree build directory unless --tarball names one.
# rpmbuild runs in a temporary _topdir with --nodeps: on Debian (apt-get install rpm) the
# BuildRequires are Debian packages, which rpmbuild cannot see in its own (empty) database; the
# build itself uses them all the same. --nocheck skips make check (rpmbuild --without check).
# The -selinux subpackage needs Fedora's selinux-policy-devel: where rpm has its macros (Fedora,
# EL) it is built as usual. Elsewhere, --selinux-devel DIR names a tree laid out as
# /usr/share/selinux (DIR/devel/Makefile, DIR/devel/include), e.g. the c10s policy that
# tests/selinux/check-policy.sh builds (build-test/selinux/c10s/share), and the scriptlet macros
# are stand-ins that only name themselves (tests/install/rpm-selinux-standins.macros), so the
# package tests can check the scriptlets; without it the subpackage is left out (and said so).
# --without-selinux always leaves it out.
# The .rpm files and build.log are left in OUTDIR.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
spec=$top/install/libvirt-sriov-hooks.spec
tarball=''
check=''
out=''
sedevel=''
selinux=auto

die() { echo "build-rpm.sh: error: $*" >&2; exit 1; }
say() { echo "build-rpm.sh: $*"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--tarball) [ $# -ge 2 ] || die "--tarball needs a file"; tarball=$2; shift ;;
	--nocheck) check='--without=check' ;;
	--selinux-devel) [ $# -ge 2 ] || die "--selinux-devel needs a directory"; sedevel=$2; selinux=yes; shift ;;
	--without-selinux) selinux=no ;;
	-h|--help) sed -n '3,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) [ -z "$out" ] || die "one output directory only"; out=$1 ;;
	esac
	shift
done
[ -n "$out" ] || die "no output directory (see --help)"
command -v rpmbuild >/dev/null 2>&1 || die "rpmbuild not found (apt-get install rpm)"
mkdir -p "$out"
out=$(cd "$out" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/build-rpm.XXXXXX")
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

# The spec's Version must be the tarball's.
base=$(basename "$tarball")
upstream=${base#libvirt-sriov-hooks-}
upstream=${upstream%.tar.*}
specversion=$(sed -n 's/^Version:[[:space:]]*//p' "$spec")
[ "$specversion" = "$upstream" ] || die "the spec is at $specversion but the tarball is $upstream: update Version (and %changelog)"

# The SELinux subpackage: rpm's own macros and devel tree, another devel tree with stand-in
# macros, or none.
set -- --define "_topdir $work/rpm"
has_macros=$(rpm --eval '%{?selinux_modules_install:yes}' 2>/dev/null || :)
if [ "$selinux" = yes ]; then
	[ -f "$sedevel/devel/Makefile" ] || die "--selinux-devel $sedevel: no devel/Makefile there"
	sedevel=$(cd "$sedevel" && pwd)
	set -- "$@" --define "selinux_devel_dir $sedevel/devel" \
		--define "selinux_devel_args SHAREDIR=$sedevel NAME=targeted TYPE=mcs"
	if [ "$has_macros" != yes ]; then
		set -- "$@" --load "$top/tests/install/rpm-selinux-standins.macros"
		say "-selinux subpackage: module built against $sedevel; scriptlet macros are stand-ins (this rpm has none)"
	fi
elif [ "$selinux" = auto ] && [ "$has_macros" = yes ]; then
	:
else
	set -- "$@" --without=selinux
	[ "$selinux" = no ] || say "no -selinux subpackage: this rpm has no selinux-policy-devel macros (give --selinux-devel DIR)"
fi

mkdir -p "$work/rpm/SOURCES"
cp "$tarball" "$work/rpm/SOURCES/"
say "rpmbuild -bb --nodeps $check (log: $out/build.log)"
# shellcheck disable=SC2086 # $check is empty or one word
if ! rpmbuild -bb --nodeps $check "$@" "$spec" >"$work/build.log" 2>&1; then
	cp "$work/build.log" "$out/build.log"
	tail -n 60 "$work/build.log" >&2
	die "rpmbuild failed (whole log: $out/build.log)"
fi
cp "$work/build.log" "$out/build.log"
find "$work/rpm/RPMS" -name '*.rpm' -exec cp {} "$out/" \;
say "in $out:"
(cd "$out" && ls -1 -- *.rpm)
