#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Put the hooks where libvirt runs them, without ever clobbering an admin's own hook, and make the
# running libvirt daemons see them. Idempotent; --uninstall removes only what is ours.
#
#   install.sh [--hooks-dir DIR] [--root DIR] [--no-reload] [--replay] [--uninstall]
#
# --hooks-dir DIR  where the built hooks are (default: the installed ones, @pkglibexecdir@,
#                  else ../hooks next to this script)
# --root DIR       install below DIR instead of / (packaging, tests); implies --no-reload
# --no-reload      do not reload libvirt daemons
# --replay         restart the network driver, so libvirt replays port-created for every port and
#                  running guests' VFs come under policy now (running guests keep running)
# --uninstall      remove our hooks; the admin's hooks and our state are left as they are
set -eu

MARKER='libvirt-sriov-hooks:hook-binary:v1'
DNAME='libvirt-sriov-hooks'
here=$(cd "$(dirname "$0")" && pwd)
hooks_dir=''
root=''
reload=1
replay=0
uninstall=0

die() { echo "install.sh: error: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--hooks-dir) [ $# -ge 2 ] || die "--hooks-dir needs a directory"; hooks_dir=$2; shift ;;
	--root) [ $# -ge 2 ] || die "--root needs a directory"; root=$2; reload=0; shift ;;
	--no-reload) reload=0 ;;
	--replay) replay=1 ;;
	--uninstall) uninstall=1 ;;
	-h|--help) sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
	shift
done

if [ -z "$hooks_dir" ]; then
	for d in /usr/libexec/libvirt-sriov-hooks /usr/local/libexec/libvirt-sriov-hooks "$here/../hooks"; do
		if [ -x "$d/network" ]; then hooks_dir=$d; break; fi
	done
fi
hookroot="$root/etc/libvirt/hooks"

# A symlink is never ours (we install real files), even one that points at our binary.
is_ours() { [ -f "$1" ] && [ ! -L "$1" ] && grep -qa "$MARKER" "$1"; }

# The libvirt version, for the .d/ directories (6.5.0; the access check was fixed in 6.6.0).
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
	if [ -f "$2" ] && cmp -s "$1" "$2"; then
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

changed=0
for name in network qemu; do
	main="$hookroot/$name"
	dfile="$hookroot/$name.d/$DNAME"
	if [ "$uninstall" = 1 ]; then
		for f in "$main" "$dfile"; do
			if is_ours "$f"; then rm -f "$f"; say "$f: removed"; changed=1; fi
		done
		rmdir "$hookroot/$name.d" 2>/dev/null || true
		continue
	fi
	[ -n "$hooks_dir" ] && [ -x "$hooks_dir/$name" ] || {
		[ "$name" = network ] && die "no built hooks found (looked for network in ${hooks_dir:-the usual places}); build first or pass --hooks-dir"
		continue
	}
	if [ -L "$main" ] || { [ -e "$main" ] && ! is_ours "$main"; }; then
		# An admin's own hook holds the main path: leave it byte-identical, use the .d/ directory.
		if [ -z "$root" ]; then
			v=$(libvirt_version)
			if [ -n "$v" ] && ! version_ge "$v" 6.6; then
				die "$main is an existing hook of yours, and libvirt $v has no $name.d/ directory (6.6.0 or later). Rename your hook, call ours from it (exec $hooks_dir/$name \"\$@\" at its end), or upgrade libvirt"
			fi
		fi
		say "$main belongs to someone else: left as it is, ours goes in $name.d/"
		put "$hooks_dir/$name" "$dfile" && changed=1
	else
		put "$hooks_dir/$name" "$main" && changed=1
		if is_ours "$dfile"; then rm -f "$dfile"; say "$dfile: removed (ours is now $main)"; fi
	fi
done

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
