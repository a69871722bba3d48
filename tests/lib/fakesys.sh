# SPDX-License-Identifier: LGPL-2.1-or-later
# A fake sysfs tree for shell tests, shaped as the kernel's (relative links, as in /sys): PCI
# devices under bus/pci/devices, their drivers, SR-IOV PFs with their netdev under class/net, and
# VFs linked both ways (PF virtfnN -> VF, VF physfn -> PF), which is all the hooks and the admin
# tool read. Sourced; every function takes the tree's root first. POSIX sh.

# fakesys_pci SYS BDF [DRIVER]: a PCI device, bound to DRIVER when given.
fakesys_pci() {
	mkdir -p "$1/bus/pci/devices/$2"
	if [ -n "${3:-}" ]; then
		mkdir -p "$1/bus/pci/drivers/$3"
		ln -sfn "../../../../bus/pci/drivers/$3" "$1/bus/pci/devices/$2/driver"
	fi
}

# fakesys_pf SYS IFNAME PF-BDF DRIVER TOTALVFS NUMVFS [VF-BDF...]: an SR-IOV PF with netdev
# IFNAME, sriov_totalvfs and sriov_numvfs as given, and a virtfnN link for each VF listed (a
# write to sriov_numvfs creates none here, so tests may list VFs that "exist" while it says 0).
fakesys_pf() {
	_fs_sys=$1 _fs_if=$2 _fs_pf=$3
	fakesys_pci "$_fs_sys" "$_fs_pf" "$4"
	_fs_d=$_fs_sys/bus/pci/devices/$_fs_pf
	printf '%s\n' "$5" >"$_fs_d/sriov_totalvfs"
	printf '%s\n' "$6" >"$_fs_d/sriov_numvfs"
	mkdir -p "$_fs_d/net/$_fs_if" "$_fs_sys/class/net"
	ln -sfn "../../../$_fs_pf" "$_fs_d/net/$_fs_if/device"
	ln -sfn "../../bus/pci/devices/$_fs_pf/net/$_fs_if" "$_fs_sys/class/net/$_fs_if"
	shift 6
	_fs_i=0
	for _fs_vf in "$@"; do
		fakesys_pci "$_fs_sys" "$_fs_vf"
		ln -sfn "../$_fs_vf" "$_fs_d/virtfn$_fs_i"
		ln -sfn "../$_fs_pf" "$_fs_sys/bus/pci/devices/$_fs_vf/physfn"
		_fs_i=$((_fs_i + 1))
	done
}

# fakesys_flags SYS IFNAME FLAGS: the netdev's flags (0x1003: up, 0x1002: down).
fakesys_flags() {
	printf '%s\n' "$3" >"$1/class/net/$2/flags"
}
