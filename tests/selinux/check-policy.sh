#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Our SELinux module (install/selinux/libvirt_sriov_hooks.{te,fc,if}) against the real policies of
# the Red Hat-family hosts it targets, with Debian's tools and no network:
#
#   c10s (RHEL 10, CentOS Stream 10; Fedora >= 40 alike): the targeted policy built as Fedora's
#        spec builds it (../shared/data/selinux/build-c10s-policy.sh); our module built with its
#        devel Makefile; base + every module + ours linked and expanded into a kernel policy, and
#        queried (tests/selinux/query-policy.py, setools: what sesearch/seinfo run on):
#          - each libvirt daemon domain there (virtd_t, virtnetworkd_t, virtqemud_t) has a
#            type_transition to sriov_hooks_t on sriov_hooks_exec_t, with execute, transition and
#            entrypoint granted, and our domain may use its descriptors and pipes;
#          - sriov_hooks_t holds each permission of the table below (what the hooks do), one by
#            one, unconditionally (a rule that hangs on a boolean does not count);
#          - sriov_hooks_t has no unconfined attribute, is not permissive, and lacks each
#            permission of the "deny" rows;
#          - libvirt's side: virtnetworkd_t and virtqemud_t may search and list /etc/libvirt/hooks
#            (virt_hook_t) to find the network.d/ and qemu.d/ entries.
#   c9s (RHEL 9): Fedora's dist files of that era are not in ../shared, so the module list is the
#        tree's own: `make conf` writes policy/modules.conf from each module's metadata (13 base,
#        488 module, 6 off at c9s 73a2d29), with the tree's default booleans and users; built the
#        same modular way by tests/selinux/build-c9s-policy.sh, and the same checks (virtd_t is the
#        only libvirt domain there).
#
# Usage: tests/selinux/check-policy.sh [CACHE_DIR]   (default build-test/selinux in the source tree)
# Both policies are built once into CACHE_DIR; later runs only rebuild our module and relink.
# FEDPOL_CACHE names a c10s build to share (build-c10s-policy.sh reads it too); SKIP_C9S=1 skips
# c9s. Exit 0: every check passed; 1: one failed; 77: SKIP (no ../shared/data/selinux beside the
# clone, or a tool missing).
set -euo pipefail
# Debian's own tools first (a pyenv or similar python3 shim in PATH makes the policy build slow).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data=${SELINUX_DATA_DIR:-$top/../shared/data/selinux}
cache=${1:-$top/build-test/selinux}
mod=libvirt_sriov_hooks
src=$top/install/selinux

skip() { echo "SKIP: check-policy.sh: $*"; exit 77; }
die() { echo "check-policy.sh: error: $*" >&2; exit 1; }

[ -f "$data/build-c10s-policy.sh" ] && [ -f "$data/selinux-policy-c10s.tar.xz" ] ||
	skip "no SELinux policy sources at $data (the RHEL policies live in ../shared/data/selinux beside the clone; CI has them)"
for t in make m4 gawk python3 checkpolicy checkmodule semodule_package semodule_link semodule_expand xz flock; do
	command -v "$t" >/dev/null ||
		skip "missing tool $t (apt-get install make m4 gawk python3 checkpolicy semodule-utils python3-setools xz-utils)"
done
python3 -c 'import setools' 2>/dev/null || skip "no python3 setools (apt-get install setools)"

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
start=$(date +%s)
fails=0

# Build our module against a devel tree, link it with base + all modules, expand. Cached by the
# hash of the policy build and of our sources. Prints the kernel policy's path.
link_ours() { # NAME POLCACHE
	local name=$1 pc=$2 w=$cache/$1-ours key
	key=$({ cat "$pc/KEY"; cat "$src/$mod".te "$src/$mod".if "$src/$mod".fc; } | sha256sum | cut -d' ' -f1)
	if [ -f "$w/KEY" ] && [ "$(cat "$w/KEY")" = "$key" ] && [ -s "$w/policy.33" ]; then
		echo "$w/policy.33"
		return
	fi
	rm -rf "$w"
	mkdir -p "$w/mod"
	cp "$src/$mod".te "$src/$mod".if "$src/$mod".fc "$w/mod/"
	make -s -C "$w/mod" -f "$pc/share/devel/Makefile" SHAREDIR="$pc/share" NAME=targeted TYPE=mcs \
		"$mod.pp" >"$w/build.log" 2>&1 || { cat "$w/build.log" >&2; die "$name: our module does not build"; }
	# A warning from the module build (an unknown or deprecated interface) is an error here.
	if grep -qi 'warning\|error' "$w/build.log"; then
		cat "$w/build.log" >&2
		die "$name: the module build warns"
	fi
	semodule_link -o "$w/all.lnk" "$pc/pp/base.pp" "$pc"/pp/modules/*.pp "$w/mod/$mod.pp" \
		>"$w/link.log" 2>&1 || { tail -n 20 "$w/link.log" >&2; die "$name: semodule_link failed"; }
	semodule_expand -a "$w/all.lnk" "$w/policy.33" >"$w/expand.log" 2>&1 ||
		{ cat "$w/expand.log" >&2; die "$name: semodule_expand failed"; }
	rm -f "$w/all.lnk"
	echo "$key" >"$w/KEY"
	echo "$w/policy.33"
}

# The table: what the hooks do, as SELinux permissions of sriov_hooks_t (query-policy.py says the
# row format; "self" is sriov_hooks_t). A type absent from a policy skips its row, and the output
# says so. Each reason names where the access comes from: a line of `strace -f` of the built
# hooks against a fake sysfs (tests/selinux/strace-hooks.sh), or the code.
needs() {
	sed -e 's/^\(allow\|deny\|trans\) self /\1 sriov_hooks_t /' \
		-e 's/^\(allow\|deny\|trans\) \([a-z_]*\) self /\1 \2 sriov_hooks_t /' <<'ROWS'
type sriov_hooks_t - - - the hooks' domain
type sriov_hooks_exec_t - - - the hooks' executables
type sriov_hooks_var_run_t - - - the state directory
confined sriov_hooks_t - - - no unconfined attribute, not permissive
allow self self capability net_admin RTM_SETLINK of VF attributes: rtnl_setlink checks CAP_NET_ADMIN (vf.c vf_link_set)
allow self self netlink_route_socket create,bind,getattr,setopt,read,write strace: socket(AF_NETLINK, NETLINK_ROUTE), setsockopt x4, bind, getsockname, sendmsg, recvmsg (libnl nl_connect; vf.c)
allow self self netlink_route_socket nlmsg_read strace: RTM_GETLINK of the PF with RTEXT_FILTER_VF (vf.c vf_link_open)
allow self self netlink_route_socket nlmsg_write RTM_SETLINK with IFLA_VFINFO_LIST (vf.c vf_link_set; code: the fake PF has no VF to set)
allow self root_t dir search every absolute path starts at /
allow self sysfs_t dir search,read,open,getattr strace: openat(/sys, O_PATH), faccessat class/net/PF, getdents .../net (sysfs.c)
allow self sysfs_t lnk_file read,getattr strace: readlinkat class/net/PF/device, physfn, virtfnN, driver (sysfs.c)
allow self sysfs_t file open,read,getattr strace: read sriov_totalvfs, sriov_numvfs (sysfs.c sysfs_pci_sriov)
allow self sysfs_t file write strace: openat(sriov_numvfs, O_WRONLY|O_TRUNC), write "7" (sysfs.c sysfs_write_u32, start begin)
allow self var_run_t dir search the state directory's parent /run (state.c state_open)
allow self var_run_t dir write,add_name strace: mkdir /run/libvirt-sriov-hooks when tmpfiles has not made it (state.c state_open)
trans self var_run_t dir sriov_hooks_var_run_t "libvirt-sriov-hooks" that mkdir gets our type
allow self sriov_hooks_var_run_t dir create,search,getattr,open,read,write,add_name,remove_name strace: mkdir, mkdirat vf lock guest, getdents vf/, renameat, unlinkat (state.c, guest.c)
allow self sriov_hooks_var_run_t file create,open,read,write,getattr,rename,unlink,lock strace: openat O_CREAT *.tmp, write, fsync, renameat over the record, unlinkat, flock(lock/PF, LOCK_EX) (state.c, guest.c)
allow self etc_t dir search /etc, for the host file
allow self etc_t file open,read,getattr strace: open+read /etc/libvirt-sriov-hooks.conf (conf.c; etc_t, no type of its own); libnl-route reads /etc/libnl/classid
allow self self unix_dgram_socket create,connect,write strace: socket(AF_UNIX, SOCK_DGRAM), connect /dev/log (syslog(3), log.c)
allow self devlog_t sock_file write strace: connect+send to /dev/log (log.c)
allow self syslogd_t unix_dgram_socket sendto the journal (syslogd_t) receives it
allow self locale_t file open,read,getattr,map strace: /usr/lib/locale/C.utf8/*, /etc/localtime (syslog timestamps), locale.alias
allow self ld_so_cache_t file open,read,getattr,map strace: /etc/ld.so.cache
allow self ld_so_t file open,read,execute,map the dynamic loader
allow self lib_t dir search,getattr /usr/lib64
allow self lib_t file open,read,getattr,map,execute strace: libxml2, libnl-3, libnl-route-3, libz, liblzma, libicu*, libstdc++, gconv-modules.cache
allow self sriov_hooks_exec_t file entrypoint,read,map,execute the hook binary is the domain's entry point
allow systemd_tmpfiles_t var_run_t dir search,write,add_name tmpfiles.d makes /run/libvirt-sriov-hooks at boot
allow systemd_tmpfiles_t sriov_hooks_var_run_t dir create,getattr,setattr,relabelfrom,relabelto with our type (systemd-tmpfiles labels what it makes)
deny self self capability sys_admin,dac_override,dac_read_search,sys_module,sys_rawio,setuid,setgid,chown,fowner nothing the hooks do needs them: every file they touch is root's
deny self self process execmem,setcurrent,ptrace plain C, no dynamic transitions, no debugging
deny self etc_t file write,create,unlink the host file is read-only to the hooks
deny self shadow_t file read no business there
deny self shell_exec_t file execute the hooks run no shell
deny self bin_t file execute,execute_no_trans the hooks run no other program
deny self virt_etc_t file read libvirt's configuration is not theirs to read
deny self virt_var_run_t file write,create libvirt's run files are not theirs
deny self virtnetworkd_var_run_t file write,create nor virtnetworkd's
deny self user_home_t file read no business there
deny self self netlink_route_socket nlmsg_readpriv only RTM_GETLINK and RTM_SETLINK
deny self self tcp_socket create no network sockets
deny self self udp_socket create no network sockets
deny self self netlink_kobject_uevent_socket create no uevent listening
deny self var_run_t file write,create nothing written in /run outside our directory
deny self proc_t file write no /proc writes
deny self sysctl_net_t file write no sysctl writes
ROWS
}

# The daemons' side: each one there execs our entries and lands in sriov_hooks_t; our domain uses
# its descriptors (stdin carries the XML; stdout and stderr are pipes libvirt reads) and sends it
# SIGCHLD when it exits. virtnetworkd and virtqemud list /etc/libvirt/hooks/*.d (virt_hook_t).
parent_rows() { # DOMAIN...
	local p
	for p in "$@"; do
		echo "has $p - - - a libvirt daemon domain"
		echo "trans $p sriov_hooks_exec_t process sriov_hooks_t exec of our entries from $p lands in our domain"
		echo "allow $p sriov_hooks_exec_t file getattr,open,read,execute,map $p executes our entries"
		echo "allow $p sriov_hooks_t process transition $p may transition"
		echo "allow sriov_hooks_t $p fd use the inherited stdin/stdout/stderr of $p"
		echo "allow sriov_hooks_t $p fifo_file read,write,getattr the pipes of $p (XML in, stderr out)"
		echo "allow sriov_hooks_t $p process sigchld exit status back to $p"
		case $p in
		virtnetworkd_t | virtqemud_t)
			echo "allow $p virt_etc_t dir search,getattr /etc/libvirt, on the way to hooks/"
			echo "allow $p virt_hook_t dir search,getattr,open,read libvirt lists the *.d/ directories (virHookInitialize, virHookCall)"
			;;
		esac
	done
}

check() { # NAME POLICY REQUIRED-TYPE... (the daemon domains this policy must have)
	local name=$1 policy=$2 t
	shift 2
	echo "# == $name: $policy"
	{
		for t in "$@"; do echo "type $t - - - $name must have it"; done
		needs
		parent_rows virtd_t virtnetworkd_t virtqemud_t
	} | python3 "$top/tests/selinux/query-policy.py" "$policy" || fails=$((fails + 1))
}

# ---- c10s
c10s_cache=${FEDPOL_CACHE:-$cache/c10s}
bash "$data/build-c10s-policy.sh" "$c10s_cache" >/dev/null
pol=$(link_ours c10s "$c10s_cache")
check c10s "$pol" virtd_t virtnetworkd_t virtqemud_t virt_hook_t

# ---- c9s
if [ "${SKIP_C9S:-}" = 1 ]; then
	echo "# c9s: skipped (SKIP_C9S=1)"
elif [ -f "$data/selinux-policy-c9s.tar.xz" ]; then
	C9S_TARBALL=$data/selinux-policy-c9s.tar.xz MAKEFILE_DEVEL=$data/vendor/Makefile.devel \
		bash "$top/tests/selinux/build-c9s-policy.sh" "$cache/c9s" >/dev/null
	pol=$(link_ours c9s "$cache/c9s")
	check c9s "$pol" virtd_t
else
	echo "not ok - no selinux-policy-c9s.tar.xz in $data"
	fails=$((fails + 1))
fi

# ---- Debian's reference policy: the module must also build there (the Debian VM flavour loads
# it under refpolicy); a compile against selinux-policy-dev's headers where they are installed.
if [ -f /usr/share/selinux/devel/Makefile ]; then
	w=$cache/refpolicy
	rm -rf "$w"
	mkdir -p "$w"
	cp "$src/$mod".te "$src/$mod".if "$src/$mod".fc "$w/"
	if make -s -C "$w" -f /usr/share/selinux/devel/Makefile NAME=default "$mod.pp" >"$w/build.log" 2>&1 &&
		! grep -qi 'warning\|error' "$w/build.log"; then
		echo "ok - refpolicy (Debian's selinux-policy-dev): the module builds without a warning"
	else
		cat "$w/build.log"
		echo "not ok - refpolicy (Debian's selinux-policy-dev): the module does not build cleanly"
		fails=$((fails + 1))
	fi
else
	echo "# refpolicy: not compiled here (no /usr/share/selinux/devel/Makefile; apt-get install selinux-policy-dev)"
fi

echo "# check-policy.sh: $([ "$fails" = 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - start ))s"
[ "$fails" = 0 ]
