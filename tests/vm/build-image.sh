#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The guest image recipe. run.sh caches its output keyed by a hash of this file's content and the
# flavour, so any change here rebuilds the image; what changes often (scenarios, hooks) reaches
# the guest through the shares instead.
#
# usage: build-image.sh FLAVOUR OUTDIR MIRROR
#   FLAVOUR  bookworm (libvirt 9.0, Linux 6.1), bookworm-backports (libvirt 11.3, Linux 6.12),
#            bookworm-selinux (bookworm + SELinux enforcing: image-bookworm-selinux.sh) or
#            trixie (Debian 13: libvirt 11.3, Linux 6.12) or modular (Debian 13 without Debian's
#            libvirt daemons, libvirt 11.3 built from source with the modular daemons:
#            image-modular.sh)
#   OUTDIR   receives image.raw, vmlinuz, initrd.img, info
#   MIRROR   Debian archive URI (run.sh reads it from the host's apt sources)
set -euo pipefail

flavour=$1 out=$2 mirror=$3
# Debian's libvirt (a flavour whose image-FLAVOUR.sh brings its own libvirt empties it).
libvirt_debs="libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients"
# What an Ansible managed node needs (scenario n-fleet: sshd, Python, virt_net's bindings); not in
# the flavours without that scenario (Debian's python3-libvirt would bring Debian's libvirt0 into
# modular's from-source libvirt).
fleet_debs="openssh-server python3 python3-apt python3-libvirt python3-lxml"
case "$flavour" in
bookworm) suite=bookworm target=() ;;
bookworm-selinux) suite=bookworm target=() fleet_debs="" ;;
bookworm-backports) suite=bookworm target=(-t bookworm-backports) ;;
trixie) suite=trixie target=() ;;
modular) suite=trixie target=() libvirt_debs="" fleet_debs="" ;;
*) echo "build-image: unknown flavour '$flavour'" >&2; exit 2 ;;
esac

root=$out/root
mkdir -p "$out"
rm -rf "$root"

cleanup()
{
	local m
	for m in dev/pts dev sys proc; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m" || true
	done
}
trap cleanup EXIT

t0=$SECONDS
debootstrap --variant=minbase \
	--include=initramfs-tools,iproute2,pciutils,kmod,procps,util-linux,busybox,libxml2-utils \
	"$suite" "$root" "$mirror" >"$out/debootstrap.log" 2>&1 ||
	{ tail -n 30 "$out/debootstrap.log" >&2; exit 1; }
echo "build-image: debootstrap $((SECONDS - t0)) s" >&2

{
	echo "deb $mirror $suite main"
	echo "deb $mirror $suite-updates main"
	[ "$flavour" = bookworm-backports ] && echo "deb $mirror bookworm-backports main"
} >"$root/etc/apt/sources.list"
# The mirror may be a dated snapshot.
echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99vm"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
echo sriov-vm >"$root/etc/hostname"

mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"

t1=$SECONDS
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
	/bin/sh -ec "
	apt-get -q update
	apt-get -q install -y --no-install-recommends ${target[*]} \
		linux-image-amd64 $libvirt_debs qemu-system-x86 $fleet_debs
	# 10.6.0-2 and later split the network driver into its own package.
	if [ -n '$libvirt_debs' ] && apt-cache show libvirt-daemon-driver-network >/dev/null 2>&1; then
		apt-get -q install -y --no-install-recommends ${target[*]} libvirt-daemon-driver-network
	fi
	apt-get clean
	rm -rf /var/lib/apt/lists/*
" >"$out/apt.log" 2>&1 || { tail -n 40 "$out/apt.log" >&2; exit 1; }
echo "build-image: packages $((SECONDS - t1)) s" >&2

# PID 1 of the test guest: mount what libvirt needs, mount the shares, run the harness's guest
# script from the source share, power off. Everything else lives in tests/vm/guest/.
cat >"$root/sbin/test-init" <<'INIT'
#!/bin/sh
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /run /tmp /sys/fs/cgroup
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
hostname sriov-vm
ip link set lo up
modprobe 9pnet_virtio
modprobe 9p
mkdir -p /mnt/src /mnt/out
o=trans=virtio,version=9p2000.L,msize=262144
# (a flavour's PID 1 may have mounted them already: bookworm-selinux, with a label)
mountpoint -q /mnt/src || mount -t 9p -o $o,ro src /mnt/src
mountpoint -q /mnt/out || mount -t 9p -o $o out /mnt/out
echo "test-init: booted $(uname -r) in $(cut -d' ' -f1 /proc/uptime) s"
if [ -r /mnt/src/tests/vm/guest/main.sh ]; then
	/bin/bash /mnt/src/tests/vm/guest/main.sh /mnt/out
else
	echo "test-init: /mnt/src/tests/vm/guest/main.sh not found"
fi
sync
echo "test-init: power off"
echo o >/proc/sysrq-trigger
sleep 30
INIT
chmod 755 "$root/sbin/test-init"

# What the host needs to know without booting: versions and the daemon modes.
{
	echo "flavour=$flavour"
	echo "libvirt=$(chroot "$root" dpkg-query -W -f='${Version}' libvirt-daemon)"
	echo "qemu=$(chroot "$root" dpkg-query -W -f='${Version}' qemu-system-x86)"
	echo "kernel=$(ls "$root/lib/modules" | sort -V | tail -n1)"
	modes=""
	[ -x "$root/usr/sbin/libvirtd" ] && modes="libvirtd"
	[ -x "$root/usr/sbin/virtnetworkd" ] && [ -x "$root/usr/sbin/virtqemud" ] && modes="$modes modular"
	echo "modes=\"${modes# }\""
	[ -n "$fleet_debs" ] || echo "fleet=no"
} >"$out/info"
# A flavour's own steps (tests/vm/image-FLAVOUR.sh), with the chroot's mounts still up.
extra=$(dirname "$0")/image-$flavour.sh
if [ -f "$extra" ]; then
	bash "$extra" "$root" "$out" >>"$out/apt.log" || { tail -n 40 "$out/apt.log" >&2; exit 1; }
fi
cat "$out/info" >&2

cleanup
cp -L "$root/vmlinuz" "$out/vmlinuz"
cp -L "$root/initrd.img" "$out/initrd.img"
t2=$SECONDS
rm -f "$out/image.raw"
mkfs.ext4 -q -L root -d "$root" "$out/image.raw" 3G
rm -rf "$root"
echo "build-image: mkfs $((SECONDS - t2)) s, total $((SECONDS - t0)) s" >&2
