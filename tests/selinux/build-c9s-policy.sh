#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build the RHEL 9 (CentOS Stream 9, fedora-selinux/selinux-policy branch c9s) targeted policy as
# package files (base.pp + one .pp per module) plus the devel headers, on Debian, with Debian's
# tools, for tests/selinux/check-policy.sh. The same modular route as
# ../shared/data/selinux/build-c10s-policy.sh takes for c10s, with one difference:
#
#   The module list. Fedora's build of c9s installs dist/targeted/modules.conf (and booleans.conf,
#   users) of that era over the tree; those files are neither in the c9s tree nor in ../shared,
#   which has rawhide's of the same day (2024-10-24, for c10s). The tree's own `make conf` list
#   (every module its metadata enables: 13 base, 488 module, 6 off) does not build: it turns on
#   modules Fedora leaves off, and some of those are broken (djbdns.te: unknown type
#   djbdns_domain). So the list is rawhide's, applied to the c9s tree: each module of the tree
#   is base/module/off as that list says, a module of the tree the list does not name is off (as
#   Fedora's build does), a name of the list absent from c9s is dropped. Booleans and users are
#   the tree's defaults (`make conf`). What this test checks (the virt module, and the kernel and
#   system modules our rules use) is `module`/`base` in both lists.
#   container.if comes from ../shared/data/selinux/vendor as for c10s (Fedora's spec untars
#   container-selinux into contrib; virt.te and others call its interfaces), but the container
#   module itself is off: that container-selinux (2024-10) needs a class c9s does not have.
#
# Usage: build-c9s-policy.sh CACHE_DIR     (C9S_TARBALL, MAKEFILE_DEVEL, CONTAINER_DIR and
#                                           MODULES_CONF name the inputs; check-policy.sh sets
#                                           them from ../shared/data/selinux)
# Builds once; later calls print the cache path only. The cache holds, like c10s's:
#   KEY  pp/base.pp  pp/modules/*.pp  share/devel/{Makefile,include/}  build.log  src/
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${1:?usage: build-c9s-policy.sh CACHE_DIR}
tarball=${C9S_TARBALL:?C9S_TARBALL: the c9s policy source tarball}
devel=${MAKEFILE_DEVEL:?MAKEFILE_DEVEL: the devel Makefile of selinux-policy-devel}
container=${CONTAINER_DIR:-$(dirname "$devel")/container-selinux}
modlist=${MODULES_CONF:-$(dirname "$devel")/fedora-dist-targeted/modules.conf}
jobs=${FEDPOL_JOBS:-2}

key=$( { sha256sum "$tarball" "$devel" "$container"/container.te "$container"/container.if \
	"$container"/container.fc "$modlist" "${BASH_SOURCE[0]}" | awk '{print $1}'; } | sha256sum | awk '{print $1}')
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
# The module list: rawhide's, on the c9s tree (see the header).
declare -A want=()
while IFS= read -r line; do
	if [[ $line =~ ^([A-Za-z0-9_-]+)\ =\ (base|module|off)$ ]]; then
		want[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
	fi
done <"$modlist"
# container.if only: the container module of container-selinux 74ab259 uses a class c9s lacks
# (user_namespace), and RHEL 9 ships a container-selinux of its own era; no check here needs it.
want[container]=off
counts=''
while IFS= read -r line; do
	if [[ $line =~ ^([A-Za-z0-9_-]+)\ =\ (base|module|off)$ ]]; then
		m=${BASH_REMATCH[1]}
		line="$m = ${want[$m]:-off}"
		counts+="${want[$m]:-off} "
	fi
	printf '%s\n' "$line"
done <policy/modules.conf >policy/modules.conf.new
mv policy/modules.conf.new policy/modules.conf
echo "modules.conf (rawhide's list on the c9s tree): $(tr ' ' '\n' <<<"$counts" | grep . | sort | uniq -c | tr -s ' \n' ' ')" >>"$log"
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
