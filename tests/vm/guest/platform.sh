# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# What this guest really runs, read at boot (after setup_base), for run.sh's report table:
# $OUT/platform, KEY=VALUE lines: libvirt, kernel, mode (daemons), lsms (the kernel's list),
# lsm (the major LSM and its mode, as found here).

write_platform()
{
	local lsms lsm v prof
	mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	lsms=$(cat /sys/kernel/security/lsm 2>/dev/null)
	v=$( { libvirtd --version || virtqemud --version; } 2>/dev/null | awk '{ print $NF; exit }')
	if [ -e /sys/fs/selinux/enforce ]; then
		lsm="selinux $(getenforce 2>/dev/null | tr '[:upper:]' '[:lower:]')"
		[ -n "${SE_DOMAIN:-}" ] && lsm="$lsm (hooks in $SE_DOMAIN)"
	elif [ -d /sys/kernel/security/apparmor ]; then
		# The daemon's own profile: libvirtd's (virtqemud's in modular mode; virtnetworkd has none).
		prof=$(grep -E '^(libvirtd|/usr/sbin/libvirtd|virtqemud|/usr/sbin/virtqemud) \(' \
			/sys/kernel/security/apparmor/profiles 2>/dev/null | sort | head -n 1)
		lsm="apparmor ${prof:-(no libvirt profile loaded)}"
	else
		lsm="none (LSMs: ${lsms:-?})"
	fi
	{
		echo "libvirt=$v"
		echo "kernel=$(uname -r)"
		echo "mode=$MODE"
		echo "lsms=$lsms"
		echo "lsm=$lsm"
	} >"$OUT/platform"
	sed 's/^/platform: /' "$OUT/platform"
}
