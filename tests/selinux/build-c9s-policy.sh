#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build the RHEL 9 (CentOS Stream 9, fedora-selinux/selinux-policy branch c9s) targeted policy as
# package files (base.pp + one .pp per module) plus the devel headers, on Debian, with Debian's
# tools, for tests/selinux/check-policy.sh. The same modular route as
# ../shared/data/selinux/build-c10s-policy.sh takes for c10s, with one difference:
#
#   The module list. Fedora's build of c9s installs dist/targeted/modules.conf, booleans.conf and
#   users of that era over the tree; those files are not in ../shared (only rawhide's, for c10s).
#   So the list is the tree's own: `make conf` writes policy/modules.conf from each module's
#   metadata (policy/modules/*/*.te and the <module> XML of the .if files: layer "kernel" ones
#   `base`, the rest `module`, a few `off`): at c9s 73a2d29 that is 13 base, 488 module, 6 off
#   (ddcprobe distcc i18n_input openct slrnpull timidity), and the tree's default booleans and
#   users. Fedora's targeted list differs (it leaves out some modules of the tree); what this
#   test checks (libvirt's virt module, the kernel/system modules our rules use) is in both.
#   container.{te,if,fc} comes from ../shared/data/selinux/vendor as for c10s (Fedora's spec
#   untars container-selinux into contrib; virt.te and others call its interfaces).
#
# Usage: build-c9s-policy.sh CACHE_DIR     (C9S_TARBALL, MAKEFILE_DEVEL and CONTAINER_DIR name the
#                                           inputs; check-policy.sh sets them from ../shared)
# Builds once; later calls print the cache path only. The cache holds, like c10s's:
#   KEY  pp/base.pp  pp/modules/*.pp  share/devel/{Makefile,include/}  build.log  src/
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${1:?usage: build-c9s-policy.sh CACHE_DIR}
tarball=${C9S_TARBALL:?C9S_TARBALL: the c9s policy source tarball}
devel=${MAKEFILE_DEVEL:?MAKEFILE_DEVEL: the devel Makefile of selinux-policy-devel}
container=${CONTAINER_DIR:-$(dirname "$devel")/container-selinux}
jobs=${FEDPOL_JOBS:-2}

key=$( { sha256sum "$tarball" "$devel" "$container"/container.te "$container"/container.if \
	"$container"/container.fc "${BASH_SOURCE[0]}" | awk '{print $1}'; } | sha256sum | awk '{print $1}')
fresh() { [ -f "$cache/KEY" ] && [ "$(cat "$cache/KEY")" = "$key" ] && [ -s "$cache/pp/base.pp" ] &&
	[ -f "$cache/share/devel/Makefile" ]; }
if fresh; then echo "$cache"; exit 0; fi
mkdir -p "$(dirname "$cache")"
exec 9>"$cache.lock"
flock 9
if fresh; then echo "$cache"; exit 0; fi

echo "build-c9s-policy: cold build into $cache (log in $cache/build.log)" >&2
start=$(date +%s)
rm -rf "$cache"
mkdir -p "$cache"
log=$cache/build.log
tar -C "$cache" -xJf "$tarball"
mv "$cache/selinux-policy-c9s" "$cache/src"
cd "$cache/src"

P=(NAME=targeted TYPE=mcs DISTRO=redhat UBAC=n DIRECT_INITRC=n MONOLITHIC=n MLS_CATS=1024 MCS_CATS=1024
	UNK_PERMS=allow AWK=gawk)
run() { echo "+ $*" >>"$log"; nice -n 10 "$@" >>"$log" 2>&1 || {
	echo "build-c9s-policy: FAILED: $* (see $log)" >&2; tail -n 20 "$log" >&2; exit 1; }; }

cp "$container"/container.te "$container"/container.if "$container"/container.fc policy/modules/contrib/
run make "${P[@]}" bare
run make "${P[@]}" conf
grep -q '^container = ' policy/modules.conf || printf '\ncontainer = module\n' >>policy/modules.conf
echo "modules.conf: $(grep -c ' = base$' policy/modules.conf) base, $(grep -c ' = module$' policy/modules.conf) module, $(grep -c ' = off$' policy/modules.conf) off" >>"$log"
run make -j"$jobs" "${P[@]}" base.pp
run make -j"$jobs" "${P[@]}" modules

mkdir -p "$cache/pp/modules"
cp base.pp "$cache/pp/base.pp"
for f in *.pp; do [ "$f" = base.pp ] || cp "$f" "$cache/pp/modules/"; done

run make "${P[@]}" DESTDIR="$cache/root" install-headers
mkdir -p "$cache/share/devel"
mv "$cache/root/usr/share/selinux/targeted/include" "$cache/share/devel/include"
install -m 0644 "$devel" "$cache/share/devel/Makefile"
rm -rf "$cache/root"

echo "$key" >"$cache/KEY"
echo "build-c9s-policy: built in $(( $(date +%s) - start ))s: $(ls "$cache"/pp/modules | wc -l) modules + base" >&2
echo "$cache"
