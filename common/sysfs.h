/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * sysfs, relative to a root directory fd (normally /sys; tests use a fake tree). Every function
 * returns 0 or -errno, never logs, and leaves its ret_* outputs untouched on failure. Names that
 * reach a path are checked by the caller (ifname_valid) or formatted from parsed numbers.
 */

int sysfs_open_root(const char *path);

int sysfs_read_u32(int root, const char *path, uint32_t *ret);
int sysfs_write_u32(int root, const char *path, uint32_t value);

/* The PCI address a link names by its last component (virtfnN, physfn, device). */
int sysfs_readlink_pci(int root, const char *path, struct pci_addr *ret);

/* The PCI address of a netdev's device: -ENODEV if there is no such netdev, -ENXIO if it is not
 * a PCI device (a bridge, a bond). */
int sysfs_netdev_pci(int root, const char *ifname, struct pci_addr *ret);
/* One of a PCI device's SR-IOV files ("sriov_numvfs", "sriov_totalvfs"): -ENOTSUP if absent. */
int sysfs_pci_sriov_file(int root, const struct pci_addr *pf, const char *file, uint32_t *ret);
/* sriov_numvfs and sriov_totalvfs of a PCI device: -ENOTSUP if it is not SR-IOV capable. */
int sysfs_pci_sriov(int root, const struct pci_addr *pf, uint32_t *ret_numvfs,
		    uint32_t *ret_totalvfs);
int sysfs_pci_write_numvfs(int root, const struct pci_addr *pf, uint32_t n);
/* How many of virtfn0..n-1 exist, stopping at the first missing one. */
int sysfs_pci_count_virtfn(int root, const struct pci_addr *pf, uint32_t n, uint32_t *ret);
/* The PF of a VF (its physfn link): -ENOENT if the device is not a VF, -ENODEV if absent. */
int sysfs_pci_physfn(int root, const struct pci_addr *vf, struct pci_addr *ret);
/* The index N of the PF's virtfnN that is this VF: -ENOENT if the VF is not one of the PF's. */
int sysfs_pci_vf_index(int root, const struct pci_addr *pf, const struct pci_addr *vf,
		       uint32_t *ret);
/* The netdev name of a PCI device (its first net/ entry): -ENODEV if it has none. */
int sysfs_pci_netdev(int root, const struct pci_addr *dev, char ret[static IFNAMSIZ]);
/* 1 when a VF is in use by a guest (bound to vfio-pci) or carries a macvtap (its netdev has an
 * upper device), else 0. */
int sysfs_pci_vf_in_use(int root, const struct pci_addr *vf);
/* The driver bound to a PCI device ("igb"), or -ENOENT when none. */
int sysfs_pci_driver(int root, const struct pci_addr *dev, char *ret, size_t n);
