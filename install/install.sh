#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Put the hooks where libvirt runs them, without ever clobbering an admin's own hook, and make the
# running libvirt daemons see them. Idempotent; --uninstall removes only what is ours.
#
#   install.sh [--hooks-dir DIR] [--root DIR] [--selinux-module FILE] [--no-reload] [--replay]
#              [--uninstall]
#
# --hooks-dir DIR        where the built hooks are (default: the installed ones, @pkglibexecdir@,
#                        else ../hooks next to this script)
# --root DIR             install below DIR instead of / (packaging, tests); implies --no-reload;
#                        SELinux is then judged from DIR/sys/fs/selinux only
# --selinux-module FILE  the policy module to load where SELinux confines libvirt's hooks (default:
#                        /usr/share/selinux/packages/targeted/libvirt_sriov_hooks.pp.bz2)
# --no-reload            do not reload libvirt daemons
# --replay               restart the network driver, so libvirt replays port-created for every port
#                        and running guests' VFs come under policy now (running guests keep running)
# --uninstall            remove our hooks (and the policy module if this script loaded it); the
#                        admin's hooks and our state are left as they are
#
# Where: libvirt >= 6.6 runs network.d/ and qemu.d/ entries, so ours are always
# network.d/libvirt-sriov-hooks and qemu.d/libvirt-sriov-hooks, never the main paths network and
# qemu (vdsm and others overwrite those); an earlier install of ours at a main path moves there.
# libvirt 6.5 finds a .d/ entry only while a main hook exists (6.6.0 fixed that check), and older
# ones have no .d/: there ours takes a free main path, and an admin's hook at one is refused.
# SELinux: the created paths are relabelled (restorecon); where the policy confines libvirt's hooks
# (the boolean virt_hooks_unconfined exists) and neither our module nor that boolean is on, our
# module is loaded, or the install refuses before changing anything.
set -eu

MARKER='libvirt-sriov-hooks:hook-binary:v1'
DNAME='libvirt-sriov-hooks'
SE_MODULE='libvirt_sriov_hooks'
SE_PRIORITY=400
here=$(cd "$(dirname "$0")" && pwd)
hooks_dir=''
root=''
se_module_file=''
reload=1
replay=0
uninstall=0

die() { echo "install.sh: error: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }
warn() { echo "install.sh: warning: $*" >&2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--hooks-dir) [ $# -ge 2 ] || die "--hooks-dir needs a directory"; hooks_dir=$2; shift ;;
	--root) [ $# -ge 2 ] || die "--root needs a directory"; root=$2; reload=0; shift ;;
	--selinux-module) [ $# -ge 2 ] || die "--selinux-module needs a file"; se_module_file=$2; shift ;;
	--no-reload) reload=0 ;;
	--replay) replay=1 ;;
	--uninstall) uninstall=1 ;;
	-h|--help) sed -n '3,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
	shift
done
[ -z "$se_module_file" ] || [ -f "$se_module_file" ] || die "--selinux-module $se_module_file: no such file"

if [ -z "$hooks_dir" ]; then
	for d in /usr/libexec/libvirt-sriov-hooks /usr/local/libexec/libvirt-sriov-hooks "$here/../hooks"; do
		if [ -x "$d/network" ]; then hooks_dir=$d; break; fi
	done
fi
hookroot="$root/etc/libvirt/hooks"
statedir="$root/run/libvirt-sriov-hooks"
selinuxfs="$root/sys/fs/selinux"
# What this script loaded, so that --uninstall removes that and nothing a package installed.
se_record="$root/var/lib/libvirt-sriov-hooks/selinux-module-loaded-by-installer"

# A symlink is never ours (we install real files), even one that points at our binary.
is_ours() { [ -f "$1" ] && [ ! -L "$1" ] && grep -qa "$MARKER" "$1"; }
# Anything at a path that is not ours: an admin's file, a symlink, a directory.
not_ours() { { [ -e "$1" ] || [ -L "$1" ]; } && ! is_ours "$1"; }

# The libvirt version, MAJOR.MINOR, or nothing when no daemon is installed.
libvirt_version() {
	for p in libvirtd virtqemud virtnetworkd; do
		if command -v "$p" >/dev/null 2>&1; then
			"$p" --version 2>/dev/null | sed -n 's/.* \([0-9][0-9]*\.[0-9][0-9]*\)\.[0-9]*.*/\1/p' | head -n 1
			return
		fi
	done
}
version_ge() { # $1 >= $2, both MAJOR.MINOR
	[ "$(printf '%s\n%s\n' "$2" "$1" | sort -t. -k1,1n -k2,2n | head -n 1)" = "$2" ]
}

# Copy to a temporary name in the same directory, then rename: libvirt never sees a half file.
put() { # src dst
	if [ -f "$2" ] && [ ! -L "$2" ] && cmp -s "$1" "$2"; then
		say "$2: unchanged"
		return 1
	fi
	mkdir -p "$(dirname "$2")"
	cp "$1" "$2.tmp.$$"
	chmod 0755 "$2.tmp.$$"
	mv -f "$2.tmp.$$" "$2"
	say "$2: installed"
	return 0
}

# --- SELinux ---------------------------------------------------------------------------------
# Read from selinuxfs, so that the decision needs no tool and tests can fake it under --root.
selinux_enabled() {
	[ -e "$selinuxfs/enforce" ] && return 0
	[ -z "$root" ] && command -v selinuxenabled >/dev/null 2>&1 && selinuxenabled
}
selinux_enforcing() {
	if [ -r "$selinuxfs/enforce" ]; then
		[ "$(cat "$selinuxfs/enforce")" = 1 ]
	else
		[ -z "$root" ] && [ "$(getenforce 2>/dev/null)" = Enforcing ]
	fi
}
# The policy of Fedora >= 40 and EL10 confines the modular daemons and lets a hook run only with
# this boolean on (then unconfined); EL9's policy has no such boolean (virtd_t is unconfined).
hooks_confined() { [ -e "$selinuxfs/booleans/virt_hooks_unconfined" ]; }
boolean_on() {
	cur=0
	read -r cur _ <"$selinuxfs/booleans/virt_hooks_unconfined" || true
	[ "$cur" = 1 ]
}
module_loaded() {
	for m in "$root"/var/lib/selinux/*/active/modules/*/"$SE_MODULE"; do
		[ -e "$m" ] && return 0
	done
	command -v semodule >/dev/null 2>&1 &&
		semodule -l 2>/dev/null | awk '{ print $1 }' | grep -qx "$SE_MODULE"
}
module_file() {
	if [ -n "$se_module_file" ]; then
		echo "$se_module_file"
		return
	fi
	for f in "$root/usr/share/selinux/packages/targeted/$SE_MODULE.pp.bz2" \
		"$root/usr/share/selinux/packages/$SE_MODULE.pp.bz2" \
		"$root/usr/share/selinux/packages/targeted/$SE_MODULE.pp"; do
		if [ -f "$f" ]; then echo "$f"; break; fi
	done
}

# Before anything changes: make sure libvirt will be allowed to run the hooks we are about to put
# in place, or refuse. A hook libvirt may not execute fails every network start (exit status 126).
selinux_gate() {
	selinux_enabled || return 0
	hooks_confined || return 0
	boolean_on && return 0
	module_loaded && return 0
	f=$(module_file)
	if [ -n "$f" ]; then
		command -v semodule >/dev/null 2>&1 || die "semodule not found: cannot load $f (install policycoreutils)"
		semodule -X "$SE_PRIORITY" -i "$f" || die "semodule -i $f failed: nothing else was changed"
		mkdir -p "$(dirname "$se_record")"
		echo "$SE_MODULE priority $SE_PRIORITY from $f" >"$se_record"
		say "SELinux: policy module $SE_MODULE loaded from $f"
		return 0
	fi
	what="SELinux's policy lets libvirt run hooks only with the boolean virt_hooks_unconfined on, which is off, and the policy module $SE_MODULE is not loaded"
	fix="install the libvirt-sriov-hooks-selinux package (or run again with --selinux-module FILE), or run: setsebool -P virt_hooks_unconfined on"
	if selinux_enforcing; then
		die "$what: libvirt could not run the hooks and every network start would fail. Nothing was changed. To fix: $fix"
	fi
	warn "$what: SELinux is permissive, so the hooks run, but in enforcing mode every network start would fail. To fix: $fix"
}

selinux_relabel() {
	selinux_enabled || return 0
	set -- "$hookroot"
	[ -d "$statedir" ] && set -- "$@" "$statedir"
	if ! command -v restorecon >/dev/null 2>&1; then
		warn "SELinux is enabled but restorecon is not found: relabel $* by hand (restorecon -R)"
		return 0
	fi
	restorecon -R "$@" || warn "restorecon -R $* failed: libvirt may not be allowed to run the hooks"
}

selinux_unload() {
	[ -f "$se_record" ] || return 0
	if command -v semodule >/dev/null 2>&1 && semodule -X "$SE_PRIORITY" -r "$SE_MODULE"; then
		say "SELinux: policy module $SE_MODULE removed (this installer had loaded it)"
	else
		warn "could not remove the policy module $SE_MODULE (semodule -X $SE_PRIORITY -r $SE_MODULE)"
	fi
	rm -f "$se_record"
	rmdir "$(dirname "$se_record")" 2>/dev/null || true
}

# --- uninstall -------------------------------------------------------------------------------
changed=0
if [ "$uninstall" = 1 ]; then
	for name in network qemu; do
		for f in "$hookroot/$name" "$hookroot/$name.d/$DNAME"; do
			if is_ours "$f"; then rm -f "$f"; say "$f: removed"; changed=1; fi
		done
		rmdir "$hookroot/$name.d" 2>/dev/null || true
	done
	selinux_unload
fi

# --- install: decide and check everything first, then change things -------------------------
if [ "$uninstall" = 0 ]; then
	if [ -z "$hooks_dir" ] || [ ! -x "$hooks_dir/network" ]; then
		die "no built hooks found (looked for network in ${hooks_dir:-the usual places}); build first or pass --hooks-dir"
	fi
	v=$(libvirt_version)
	plan=''
	for name in network qemu; do
		[ -x "$hooks_dir/$name" ] || continue
		main="$hookroot/$name"
		dfile="$hookroot/$name.d/$DNAME"
		# Our name in .d/ holding something else is someone's on purpose: never overwrite it.
		if not_ours "$dfile"; then
			die "$dfile exists and is not ours (it does not carry the libvirt-sriov-hooks marker): left as it is, nothing was changed. Move it elsewhere (another name in $name.d/ keeps it running), then run again"
		fi
		if [ -z "$v" ] || version_ge "$v" 6.6; then
			where=d
		elif version_ge "$v" 6.5 && not_ours "$main"; then
			# libvirt 6.5 finds .d/ entries only when a main hook exists, as here.
			where=d
			warn "libvirt $v runs $name.d/ entries only while a main $name hook exists (fixed in 6.6.0): ours runs as long as $main stays"
		elif not_ours "$main"; then
			die "$main is an existing hook of yours, and libvirt $v has no $name.d/ directory (6.5.0 or later). Rename your hook, call ours from it (exec $hooks_dir/$name \"\$@\" at its end), or upgrade libvirt"
		else
			where=main
		fi
		plan="$plan $name:$where"
	done
	[ -n "$v" ] || say "libvirt version unknown (no libvirtd, virtqemud or virtnetworkd here): assuming 6.6 or later"

	selinux_gate

	for p in $plan; do
		name=${p%%:*}
		main="$hookroot/$name"
		dfile="$hookroot/$name.d/$DNAME"
		src="$hooks_dir/$name"
		if [ "${p#*:}" = d ]; then
			put "$src" "$dfile" && changed=1
			if not_ours "$main"; then
				say "$main belongs to someone else: left as it is"
			elif is_ours "$main"; then
				# An earlier install of ours: the .d/ entry takes over, checked byte for byte
				# before the old file goes, so libvirt always finds one whole hook of ours.
				cmp -s "$src" "$dfile" || die "$dfile differs from $src after the copy: $main left in place"
				rm -f "$main"
				say "$main: ours, moved to $dfile"
				changed=1
			fi
		else
			put "$src" "$main" && changed=1
			if is_ours "$dfile"; then rm -f "$dfile"; say "$dfile: removed (ours is now $main)"; fi
			rmdir "$hookroot/$name.d" 2>/dev/null || true
		fi
	done

	selinux_relabel
fi

[ "$reload" = 1 ] || exit 0

# libvirt notes at daemon start (and on reload) whether a driver has hooks at all: reload the
# running daemons so a first hook is seen. A reload keeps guests and networks running.
active() {
	if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
		systemctl is-active --quiet "$1"
	else
		pidof "$1" >/dev/null 2>&1
	fi
}
signal() { # daemon action(reload|restart)
	if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
		systemctl "$2" "$1"
	elif [ "$2" = reload ]; then
		kill -HUP $(pidof "$1")
	else
		say "cannot restart $1 without systemd; restart it by hand"
		return 0
	fi
	say "$1: ${2}ed"
}

any=0
for d in libvirtd virtnetworkd virtqemud; do
	if active "$d"; then
		any=1
		signal "$d" reload
	fi
done
[ "$any" = 1 ] || say "no libvirt daemon is running: the hooks take effect when it starts"

if [ "$replay" = 1 ]; then
	# A network driver restart replays port-created for every existing port (libvirt >= 5.8).
	if active virtnetworkd; then signal virtnetworkd restart
	elif active libvirtd; then signal libvirtd restart
	fi
elif [ "$any" = 1 ] && [ "$uninstall" = 0 ]; then
	say "guests already running keep their VF settings until their next start; run again with --replay to apply the policy to them now (a network driver restart replays port-created; guests keep running)"
fi
exit 0
