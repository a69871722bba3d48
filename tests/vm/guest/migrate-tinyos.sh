# SPDX-License-Identifier: LGPL-2.1-or-later
# Scenario m4 of the two-host migration (run.sh --migrate-os): the migrated guest runs a tiny OS,
# so QEMU's failover really unplugs the VF on the source and plugs the destination's VF back.
# The OS is the image's own kernel and an initramfs built here from busybox and four modules
# (failover, net_failover, virtio_net, igbvf, with what they need): its /init loads them and prints
# "tinyos: links: NAME:DRIVER:IFINDEX ..." on the serial console each time its interfaces change
# (a VF plugged back is a new interface: a new ifindex). Once up, it sends every kernel message to
# the console, so net_failover's "failover primary slave:ethN registered/unregistered" are there.
# Sourced by migrate-scenarios.sh; built on a into /mnt/mig/tinyos, copied to both hosts.

TINYOS=/var/lib/tinyos

# mod_closure NAME...: module files (relative to /lib/modules/KVER), dependencies first.
mod_closure()
{
	local kver m dep
	kver=$(uname -r)
	for m in "$@"; do
		dep=$(grep -E "(^|/)$m\.ko(\.[a-z]+)?:" "/lib/modules/$kver/modules.dep" | head -n1)
		[ -n "$dep" ] || continue
		# "a.ko: b.ko c.ko": c and b before a (modules.dep lists the deepest last).
		echo "${dep#*:}" | tr ' ' '\n' | grep . | tac
		echo "${dep%%:*}"
	done | awk '!seen[$0]++'
}

build_tinyos()
{
	local root=/tmp/tinyos-root kver f lib name
	kver=$(uname -r)
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,proc,sys,dev,lib/modules,usr/bin,usr/sbin} || return 1
	cp /bin/busybox "$root/bin/busybox" || return 1
	# Debian's busybox is dynamically linked: its libraries along.
	for lib in $(ldd /bin/busybox | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	for f in $(mod_closure virtio virtio_ring virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net igbvf); do
		name=$(basename "$f")
		case "$name" in
		*.ko.xz) busybox xzcat "/lib/modules/$kver/$f" >"$root/lib/modules/${name%.xz}" ;;
		*.ko.zst) zstd -dcq "/lib/modules/$kver/$f" >"$root/lib/modules/${name%.zst}" ;;
		*.ko) cp "/lib/modules/$kver/$f" "$root/lib/modules/" ;;
		esac || return 1
		echo "${name%.ko*}" >>"$root/lib/modules/order"
	done
	cat >"$root/init" <<-'EOF'
	#!/bin/busybox sh
	/bin/busybox --install -s /bin
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	for m in $(cat /lib/modules/order); do insmod /lib/modules/$m.ko 2>/dev/null; done
	# A quiet boot (faster under nested TCG), then every kernel message on the console: the
	# unplug and replug print their lines there synchronously (net_failover, igbvf, hotplug).
	echo 8 >/proc/sys/kernel/printk
	echo "tinyos: up, modules: $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"
	last=""
	while :; do
		s=""
		for n in /sys/class/net/*; do
			b=${n##*/}
			[ "$b" = lo ] && continue
			d=$(readlink "$n/device/driver" 2>/dev/null)
			s="$s $b:${d##*/}:$(cat "$n/ifindex")"
			ip link set "$b" up 2>/dev/null
		done
		[ "$s" != "$last" ] && echo "tinyos: links:$s" && last=$s
		sleep 1
	done
	EOF
	chmod 755 "$root/init"
	mkdir -p "$MIG/tinyos"
	(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$MIG/tinyos/initrd.img" || return 1
	cp -L "/boot/vmlinuz-$kver" "$MIG/tinyos/vmlinuz" || return 1
	echo "tinyos: $(du -h "$MIG/tinyos/initrd.img" | cut -f1) initramfs, modules: $(tr '\n' ' ' <"$root/lib/modules/order")"
}

# console_links FILE: the "tinyos: links:" lines of a guest console.
console_links() { grep -a '^tinyos: links:' "$1" 2>/dev/null; }

M4_CONSOLE=/var/log/libvirt/qemu/mig4-console.log

# Before the migration: the guest has booted and sees the VF (igbvf) beside virtio.
m4_before()
{
	local end=$((SECONDS + 480))
	while [ $SECONDS -lt $end ]; do
		console_links "$M4_CONSOLE" | tail -n1 | grep -q ':igbvf' && break
		sleep 2
	done
	echo "a: console of $1:"
	tail -n 20 "$M4_CONSOLE"
	if ! console_links "$M4_CONSOLE" | tail -n1 | grep -q ':igbvf'; then
		fail "the guest never saw its VF (igbvf) on a within 480 s"
		return 1
	fi
	note "a: guest sees: $(console_links "$M4_CONSOLE" | tail -n1)"
	return 0
}

# After the resume on b: the guest let its VF go on a and sees b's VF plugged back in. Evidence:
# b's console lists an igbvf interface that is a new one (another ifindex than on a), or shows
# the guest kernel probing a VF (igbvf) after the resume, or a's console has net_failover's
# "failover ... slave:ethN unregistered".
m4_after()
{
	local end=$((SECONDS + 300)) last_a unreg got probe if_a if_b
	echo "a: console of $1 at the end:"
	tail -n 12 "$M4_CONSOLE"
	last_a=$(console_links "$M4_CONSOLE" | grep ':igbvf' | tail -n1)
	unreg=$(grep -a -o 'failover [a-z ]*slave:[^ ]* unregistered' "$M4_CONSOLE" | tail -n1)
	# b's console holds only what the guest printed after its resume there: a list with igbvf,
	# or the guest kernel's igbvf probe of the VF QEMU plugged in (the list's loop has been seen
	# to die in a guest kernel oops while reading sysfs during the unplug/replug).
	while [ $SECONDS -lt $end ]; do
		got=$(on_b "console_links $M4_CONSOLE | grep ':igbvf' | tail -n1")
		probe=$(on_b "grep -a -o 'igbvf [0-9a-f:.]*: Intel(R) 82576 Virtual Function' $M4_CONSOLE | tail -n1")
		case "$got$probe" in *igbvf*) break ;; esac
		sleep 3
	done
	echo "b: console of $1:"
	on_b "tail -n 20 $M4_CONSOLE"
	note "a: the guest's last list with its VF: $last_a; kernel: ${unreg:-(no line)}"
	note "b: the guest's list with a VF: ${got:-none}; kernel: ${probe:-(no igbvf probe)}"
	case "$got$probe" in
	*igbvf*) echo "ok: the guest sees a VF again on b" ;;
	*)
		fail "b: the guest did not see a VF again within 300 s of its resume"
		echo "b: QEMU log of $1:"
		on_b "tail -n 15 /var/log/libvirt/qemu/$1.log"
		return
		;;
	esac
	if_a=$(echo "$last_a" | grep -o '[^ ]*:igbvf:[0-9]*' | sed 's/.*://')
	if_b=$(echo "$got" | grep -o '[^ ]*:igbvf:[0-9]*' | sed 's/.*://')
	if [ -n "$unreg" ] || [ -n "$probe" ] || { [ -n "$if_a" ] && [ -n "$if_b" ] && [ "$if_a" != "$if_b" ]; }; then
		echo "ok: the VF was unplugged on a (ifindex ${if_a:-?}) and a VF plugged in on b (ifindex ${if_b:-?}${probe:+, probed})"
	else
		fail "no sign the guest let its VF go: ifindex $if_a on a, $if_b on b, no unregistered primary"
	fi
}

scen_m4()
{
	local os
	build_tinyos || { fail "cannot build the tiny OS"; return; }
	mkdir -p "$TINYOS" && cp "$MIG/tinyos/"* "$TINYOS/"
	on_b "mkdir -p $TINYOS && cp $MIG/tinyos/* $TINYOS/" || { fail "b: cannot copy the tiny OS"; return; }
	rm -f "$M4_CONSOLE"
	on_b "rm -f $M4_CONSOLE"
	os="<kernel>$TINYOS/vmlinuz</kernel><initrd>$TINYOS/initrd.img</initrd><cmdline>console=ttyS0 quiet panic=-1 mitigations=off</cmdline>"
	MIG_GUEST_MIB=256 \
	MIG_GUEST_DEVICES="<serial type='file'><source path='$M4_CONSOLE'/><target port='0'/></serial>" \
	MIG_BEFORE_MIGRATE=m4_before MIG_AFTER_RESUME=m4_after \
		migrate_and_check mig4 6d1f4e3a-0000-4000-8000-000000000004 52:54:00:99:04:01 \
		pool1 PF1 "spoofchk=off trust=on" "" "$os"
}
