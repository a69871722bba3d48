#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The `modular` flavour's part of the image recipe (run by build-image.sh, hashed into the
# flavour's cache key): Debian 13 without Debian's libvirt daemon packages (Debian builds the
# modular daemons but installs none), plus libvirt built from Debian 13's own source package,
# with only what the scenarios need: the qemu and network drivers, the modular daemons
# (virtqemud, virtnetworkd, virtlogd, virtproxyd for the two-host scenarios' TCP listener), the
# client. It is started the way Fedora starts it (tests/vm/guest/lib.sh): one daemon per driver,
# the client connecting to each directly (remote_default_mode = "direct" in libvirt.conf).
#
# The build runs in the image's chroot on the host, at native speed, and its install tree is
# cached as a tarball beside the images ($VM_CACHE/libvirt-build/), keyed by the source version,
# the meson options and the build packages: a change elsewhere in the recipe only unpacks it.
#
# usage: image-modular.sh ROOT OUT   (ROOT: the image's root, with proc, sys, dev mounted)
set -euo pipefail

root=$1 out=$2
# Debian 13's libvirt (the whole source package is on the mirror the image already uses).
src_version=11.3.0-3+deb13u3
cache=${LIBVIRT_BUILD_CACHE:-$(dirname "$(realpath "$out")")/libvirt-build}
jobs=${LIBVIRT_BUILD_JOBS:-2}

meson_opts="--prefix=/usr --sysconfdir=/etc --localstatedir=/var -Drunstatedir=/run
 --libdir=lib/x86_64-linux-gnu --buildtype=plain -Dc_args=-O2
 -Ddocs=disabled -Dtests=disabled -Dexpensive_tests=disabled -Dnls=disabled
 -Ddriver_qemu=enabled -Ddriver_network=enabled -Ddriver_libvirtd=enabled -Ddriver_remote=enabled
 -Ddriver_bhyve=disabled -Ddriver_ch=disabled -Ddriver_esx=disabled -Ddriver_hyperv=disabled
 -Ddriver_interface=disabled -Ddriver_libxl=disabled -Ddriver_lxc=disabled
 -Ddriver_openvz=disabled -Ddriver_vbox=disabled -Ddriver_vmware=disabled -Ddriver_vz=disabled
 -Ddriver_test=disabled
 -Dstorage_dir=disabled -Dstorage_disk=disabled -Dstorage_fs=disabled -Dstorage_gluster=disabled
 -Dstorage_iscsi=disabled -Dstorage_iscsi_direct=disabled -Dstorage_lvm=disabled
 -Dstorage_mpath=disabled -Dstorage_rbd=disabled -Dstorage_scsi=disabled -Dstorage_vstorage=disabled
 -Dstorage_zfs=disabled
 -Dapparmor=disabled -Dselinux=disabled -Daudit=disabled -Dpolkit=disabled -Dsasl=disabled
 -Dlibssh=disabled -Dlibssh2=disabled -Dfirewalld=disabled -Dfirewalld_zone=disabled
 -Dnss=disabled -Dwireshark_dissector=disabled -Dsanlock=disabled -Dnumactl=disabled
 -Dfuse=disabled -Dglusterfs=disabled -Dudev=disabled -Dpciaccess=disabled -Dnetcf=disabled
 -Dlibiscsi=disabled -Dcurl=disabled -Dopenwsman=disabled -Dreadline=enabled
 -Dbash_completion=disabled -Dlogin_shell=disabled -Dsysctl_config=disabled
 -Dinit_script=none -Dlibnl=enabled -Djson_c=enabled -Dcapng=enabled"
build_debs="patch xz-utils gcc meson ninja-build pkgconf python3 xsltproc libxml2-dev libglib2.0-dev
 libgnutls28-dev libnl-3-dev libnl-route-3-dev libtirpc-dev libjson-c-dev libcap-ng-dev
 libreadline-dev"
key=$(printf '%s\n' "$src_version" "$meson_opts" "$build_debs" | sha256sum | cut -c1-16)
tarball=$cache/libvirt-$src_version-$key.tar.gz
deps=$cache/libvirt-$src_version-$key.deps

in_root()
{
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
		"$@"
}

in_root apt-get -q update

mkdir -p "$cache"
exec 8>"$cache/.lock"
flock -w 3600 8
if [ -s "$tarball" ] && [ -s "$deps" ]; then
	echo "image-modular: libvirt $src_version from the cache ($tarball)" >&2
else
	t0=$SECONDS
	# A temporary deb-src list for the image's own mirror (the one in its sources.list).
	sed -n 's/^deb /deb-src /p' "$root/etc/apt/sources.list" >"$root/etc/apt/sources.list.d/zz-libvirt-src.list"
	in_root dpkg-query -W -f='${Status} ${Package}\n' | awk '$3 == "installed" { print $4 }' | sort >"$root/tmp/debs-before"
	in_root /bin/sh -ec "
		apt-get -q update
		apt-get -q install -y --no-install-recommends $(echo $build_debs)
		rm -rf /tmp/libvirt && mkdir -p /tmp/libvirt && cd /tmp/libvirt
		# The mirror may lack the .dsc (and the .asc): take the two tarballs apt fetched (their
		# hashes checked against the Sources index) and apply the series as dpkg-source would.
		apt-get -q source --download-only libvirt=$src_version || true
		ls libvirt_${src_version%-*}.orig.tar.xz libvirt_$src_version.debian.tar.xz
		mkdir src
		tar -C src --strip-components=1 -xf libvirt_${src_version%-*}.orig.tar.xz
		tar -C src -xf libvirt_$src_version.debian.tar.xz
		cd src
		sed -e 's/#.*//' -e '/^[[:space:]]*\$/d' debian/patches/series | while read -r p opt; do
			patch -s -p1 \$opt <debian/patches/\$p
		done
		cd ..
		meson setup build src $(echo $meson_opts)
		ninja -C build -j$jobs
		DESTDIR=/tmp/libvirt/dest ninja -C build install >/dev/null
	"
	rm -f "$root/etc/apt/sources.list.d/zz-libvirt-src.list"
	echo "image-modular: libvirt $src_version built in $((SECONDS - t0)) s" >&2
	# The Debian packages of the shared libraries the build links: all the image keeps.
	in_root /bin/sh -ec '
		cd /tmp/libvirt/dest
		find . -type f \( -perm -u+x -o -name "*.so*" \) | while read -r f; do
			LD_LIBRARY_PATH=/tmp/libvirt/dest/usr/lib/x86_64-linux-gnu ldd "$f" 2>/dev/null |
				sed -n "s/.*=> \(\/[^ ]*\) .*/\1/p"
		done | grep -v "^/tmp/libvirt/dest" | sort -u | while read -r lib; do
			for c in "$lib" "$(readlink -f "$lib")" "${lib#/usr}" "/usr$lib"; do
				dpkg -S "$c" 2>/dev/null | grep -v "^diversion by" | grep . && break
			done
		done | cut -d: -f1 | sort -u
	' >"$deps.tmp"
	tar -C "$root/tmp/libvirt/dest" -czf "$tarball.tmp" .
	mv "$tarball.tmp" "$tarball"
	mv "$deps.tmp" "$deps"
	rm -rf "$root/tmp/libvirt"
	# Back to the image without the compilers and headers: what the build brought in goes, but
	# the libraries it links (and what they need).
	in_root dpkg-query -W -f='${Status} ${Package}\n' | awk '$3 == "installed" { print $4 }' | sort | comm -13 "$root/tmp/debs-before" - |
		xargs -r chroot "$root" apt-mark auto >/dev/null
	rm -f "$root/tmp/debs-before"
	in_root /bin/sh -ec "
		apt-get -q install -y --no-install-recommends $(tr '\n' ' ' <"$deps")
		apt-get -q autoremove --purge -y
	"
fi
flock -u 8

# nftables: the network driver refuses to start without a firewall backend (nft or iptables),
# even for hostdev pools, which never use it; Fedora's hosts have nftables.
in_root apt-get -q install -y --no-install-recommends nftables $(tr '\n' ' ' <"$deps")
tar -C "$root" -xzf "$tarball"
in_root ldconfig
# Every daemon and the client must find their libraries.
for b in virtqemud virtnetworkd virtlogd virtproxyd virsh; do
	p=$(in_root /bin/sh -c "command -v $b") || { echo "image-modular: no $b installed" >&2; exit 1; }
	if in_root ldd "$p" | grep 'not found'; then
		echo "image-modular: $p misses libraries" >&2
		exit 1
	fi
done
in_root apt-get clean
rm -rf "$root/var/lib/apt/lists/"*

# The qemu driver resolves its build-time default user and group (Debian's: libvirt-qemu) before
# it reads qemu.conf, and fails to start without them; Debian's postinst makes them.
in_root /bin/sh -ec '
	getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
	getent passwd libvirt-qemu >/dev/null ||
		useradd --system -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
'

# Fedora's client configuration: each driver's URI goes straight to its own daemon.
cat >>"$root/etc/libvirt/libvirt.conf" <<-EOF
	remote_default_mode = "direct"
EOF
mkdir -p "$root/var/log/libvirt" "$root/var/lib/libvirt" "$root/var/cache/libvirt"

version=$(in_root virtqemud --version | awk '{ print $NF }')
# (libvirt= is a plain version: run.sh passes it to the guest's config; how it was made is beside it)
sed -i -e "s/^libvirt=.*/libvirt=$version/" -e 's/^modes=.*/modes="modular"/' "$out/info"
grep -q '^libvirt=' "$out/info" || echo "libvirt=$version" >>"$out/info"
echo "libvirt_build=\"from-source $src_version, meson key $key\"" >>"$out/info"
