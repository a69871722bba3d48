#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Host side of the VM harness: find the Debian mirror in apt's sources and install what the
# harness needs (QEMU >= 8.0 for -device igb, from bookworm-backports on Debian 12).
# Sourced by run.sh; every function is safe to call again.

# Print the first Debian archive URI in apt's sources (deb822 *.sources, then classic lists).
# VM_MIRROR overrides it.
vm_mirror()
{
	if [ -n "${VM_MIRROR:-}" ]; then
		echo "$VM_MIRROR"
		return 0
	fi
	local f uri
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		# deb822: stanzas separated by blank lines; take URIs of a stanza whose Suites
		# has a plain release (not -security) and whose Types include deb.
		uri=$(awk '
			function flush() {
				if (types ~ /(^|[ \t])deb([ \t]|$)/ && suites ~ /(^|[ \t])[a-z]+([ \t]|$)/ && uris != "" && found == "") {
					split(uris, u, /[ \t]+/); found = u[1]
				}
				types = ""; suites = ""; uris = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^[ \t]*#/ { next }
			tolower($1) == "types:" { sub(/^[^:]*:[ \t]*/, ""); types = $0 }
			tolower($1) == "suites:" { sub(/^[^:]*:[ \t]*/, ""); suites = $0 }
			tolower($1) == "uris:" { sub(/^[^:]*:[ \t]*/, ""); uris = $0 }
			END { flush(); if (found != "") print found }
		' "$f")
		if [ -n "$uri" ]; then
			echo "$uri"
			return 0
		fi
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		uri=$(awk '
			$1 == "deb" {
				i = 2
				if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
				if ($(i + 1) ~ /^[a-z]+$/) { print $i; exit }
			}' "$f")
		if [ -n "$uri" ]; then
			echo "$uri"
			return 0
		fi
	done
	echo "error: no Debian mirror found in /etc/apt/sources.list*; set VM_MIRROR" >&2
	return 1
}

vm_apt_install()
{
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y \
		--no-install-recommends "$@"
}

# True when the installed QEMU can emulate igb (QEMU >= 8.0).
vm_qemu_has_igb()
{
	command -v qemu-system-x86_64 >/dev/null 2>&1 &&
		qemu-system-x86_64 -device help 2>/dev/null | grep -q '"igb"'
}

vm_host_deps()
{
	local missing=() updated=0 mirror codename list
	command -v debootstrap >/dev/null || missing+=(debootstrap)
	command -v mkfs.ext4 >/dev/null || missing+=(e2fsprogs)
	command -v qemu-img >/dev/null || missing+=(qemu-utils)
	command -v autoreconf >/dev/null || missing+=(autoconf automake libtool)
	command -v pkg-config >/dev/null || missing+=(pkg-config)
	command -v cc >/dev/null || missing+=(gcc)
	command -v make >/dev/null || missing+=(make)
	command -v flock >/dev/null || missing+=(util-linux)
	pkg-config --exists libxml-2.0 2>/dev/null || missing+=(libxml2-dev)
	pkg-config --exists libnl-route-3.0 2>/dev/null || missing+=(libnl-3-dev libnl-route-3-dev)
	if [ ${#missing[@]} -gt 0 ]; then
		apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null && updated=1
		vm_apt_install "${missing[@]}" || return 1
	fi
	vm_qemu_has_igb && return 0

	. /etc/os-release
	codename=${VERSION_CODENAME:?}
	if ! apt-cache policy 2>/dev/null | grep -q "$codename-backports"; then
		mirror=$(vm_mirror) || return 1
		list=/etc/apt/sources.list.d/libvirt-sriov-hooks-backports.sources
		echo "vm: adding $codename-backports from $mirror to $list" >&2
		cat >"$list" <<-SRC
		Types: deb
		URIs: $mirror
		Suites: $codename-backports
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		SRC
		updated=0
	fi
	[ $updated = 1 ] || apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null || return 1
	vm_apt_install -t "$codename-backports" qemu-system-x86 || return 1
	if ! vm_qemu_has_igb; then
		echo "error: qemu-system-x86_64 $(qemu-system-x86_64 --version | head -n1) has no igb device" >&2
		return 1
	fi
}
