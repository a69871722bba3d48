/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A fake sysfs tree in a temp directory, shaped like the real one where the hooks look:
 *
 *   bus/pci/devices/<BDF>/{sriov_numvfs,sriov_totalvfs,virtfnN -> ../<VF BDF>,
 *                          physfn -> ../<PF BDF>, driver -> ../../../../bus/pci/drivers/<drv>,
 *                          net/<ifname>/device -> ../../../<BDF>}
 *   class/net/<ifname> -> ../../bus/pci/devices/<BDF>/net/<ifname>
 *   class/net/<virtual> -> ../../devices/virtual/net/<virtual>   (no device link: not PCI)
 *
 * Every link is relative and named by the device's address, as the kernel makes them. A write to
 * sriov_numvfs is an ordinary file write here: it creates no virtfn links, so fixtures create them
 * up front (apply_numvfs would otherwise wait for them).
 */

#include <stdbool.h>
#include <stdint.h>

struct fakesys {
	char *root; /* malloc'd absolute-or-relative path of the tree */
	int fd;     /* the tree opened like sysfs_open_root() does */
};

/* An empty tree: bus/pci/devices, bus/pci/drivers, class/net, devices/virtual/net. */
void fakesys_new(struct fakesys *fs);
/* Close and remove (kept with SRIOV_TEST_KEEP=1). */
void fakesys_free(struct fakesys *fs);

/* A PCI function; `ifname` (netdev) and `driver` may be NULL. */
void fakesys_add_pci(struct fakesys *fs, const char *bdf, const char *ifname, const char *driver);
/* Make a PCI function an SR-IOV PF with these sriov_numvfs / sriov_totalvfs contents. */
void fakesys_set_sriov(struct fakesys *fs, const char *bdf, uint32_t numvfs, uint32_t totalvfs);
/* VF number `index` of a PF: its own device directory (physfn) and the PF's virtfnN link. */
/* Bind a device to another driver: "igbvf" when its guest has let it go, "vfio-pci" in use. */
void fakesys_bind(struct fakesys *fs, const char *bdf, const char *driver);
void fakesys_add_vf(struct fakesys *fs, const char *pf_bdf, uint32_t index, const char *vf_bdf,
		    const char *ifname, const char *driver);
/* A netdev that is no PCI device (a bridge, a bond). */
void fakesys_add_virtual_netdev(struct fakesys *fs, const char *ifname);

/* Path of a file in the tree (malloc'd). */
char *fakesys_path(const struct fakesys *fs, const char *rel);
/* Contents of a file in the tree (malloc'd, NULL if absent). */
char *fakesys_read(const struct fakesys *fs, const char *rel);
void fakesys_write(const struct fakesys *fs, const char *rel, const char *content);

/* The address igb gives VF n of the PF 0000:<bus>:00.0 (offset 0x80, stride 2). */
void fakesys_igb_vf_bdf(unsigned bus, uint32_t n, char buf[16]);

/*
 * The tree most tests use, modelled on the VM the seed documents come from:
 *   enp1s0  0000:01:00.0  igb, sriov_totalvfs 7, sriov_numvfs `numvfs`, virtfn0..6 present
 *           (VF n at 0000:01:1x.y; VF 1, 0000:01:10.2, has netdev enp1s0v1 on igbvf)
 *   enp2s0  0000:02:00.0  igb, 7 / 1, virtfn0 = 0000:02:10.0
 *   enp3s0  0000:03:00.0  e1000e, a PCI NIC without SR-IOV
 *   br0     a bridge (no PCI device)
 */
void fakesys_standard(struct fakesys *fs, uint32_t numvfs);
#define FAKE_PF "enp1s0"
#define FAKE_PF_BDF "0000:01:00.0"
#define FAKE_PF_TOTALVFS 7
#define FAKE_PF2 "enp2s0"
#define FAKE_PF2_BDF "0000:02:00.0"
#define FAKE_NOSRIOV "enp3s0"
#define FAKE_NOSRIOV_BDF "0000:03:00.0"
#define FAKE_BRIDGE "br0"
#define FAKE_VF_NETDEV "enp1s0v1"
