#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The AppArmor part of the image recipe, shared by the flavours that run libvirtd confined as a
# Debian host does (bookworm, bookworm-backports, trixie: their image-FLAVOUR.sh runs this file).
# Run by build-image.sh after the common part (packages, /sbin/test-init), with proc, sys and dev
# still mounted in ROOT. run.sh hashes it into those flavours' cache keys.
#
# usage: image-apparmor.sh ROOT OUTDIR
#
# What it adds: the apparmor package (apparmor_parser, aa-status) and auditd, so that no
# apparmor="DENIED" line is lost to printk's rate limit. libvirt's own profiles
# (/etc/apparmor.d/usr.sbin.libvirtd, usr.lib.libvirt.virt-aa-helper, the svirt template) come
# with libvirt-daemon-system already, in enforce mode as shipped; nothing here changes them.
# The guest has no systemd (PID 1 is /sbin/test-init): guest/apparmor.sh loads the profiles
# with apparmor_parser before libvirtd starts and asserts them with aa-status.
set -euo pipefail

root=$1 out=$2

# The chroot must not see the building machine's LSM: with /sys unmounted, the postinsts
# (apparmor's reload, auditd's start: both also stopped by policy-rc.d) find no AppArmor.
umount "$root/sys"
t0=$SECONDS
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
	/bin/sh -ec "
	apt-get -q update
	apt-get -q install -y --no-install-recommends apparmor auditd
	apt-get clean
	rm -rf /var/lib/apt/lists/*
	test -f /etc/apparmor.d/usr.sbin.libvirtd
	command -v apparmor_parser
	command -v aa-status
" 2>&1
mount -t sysfs sys "$root/sys"
echo "build-image: apparmor packages $((SECONDS - t0)) s" >&2

# Read by run.sh: the LSM the guest is expected to run (the report prints what the guest found).
aa_version=$(chroot "$root" dpkg-query -W -f='${Version}' apparmor)
{
	echo "apparmor=\"$aa_version\""
	echo "lsm_expected=\"apparmor\""
} >>"$out/info"
