/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "fakesys.h"
#include "sysfs.h"
#include "testutil.h"

static void mkdir_p(const char *root, const char *rel)
{
	char *path = test_strdup_printf("%s/%s", root, rel);

	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", path, strerror(errno));
	free(path);
}

static void symlink_rel(const struct fakesys *fs, const char *target, const char *rel)
{
	char *path = fakesys_path(fs, rel);

	if (symlink(target, path) < 0)
		fail_msg("symlink %s -> %s: %s", path, target, strerror(errno));
	free(path);
}

char *fakesys_path(const struct fakesys *fs, const char *rel)
{
	return test_strdup_printf("%s/%s", fs->root, rel);
}

char *fakesys_read(const struct fakesys *fs, const char *rel)
{
	char *path = fakesys_path(fs, rel);
	char *s = test_read_file(path, NULL);

	free(path);
	return s;
}

void fakesys_write(const struct fakesys *fs, const char *rel, const char *content)
{
	char *path = fakesys_path(fs, rel);

	assert_int_equal(test_write_file(path, content), 0);
	free(path);
}

void fakesys_new(struct fakesys *fs)
{
	fs->root = test_mkdtemp("fakesys");
	mkdir_p(fs->root, "bus/pci/devices");
	mkdir_p(fs->root, "bus/pci/drivers");
	mkdir_p(fs->root, "class/net");
	mkdir_p(fs->root, "devices/virtual/net");
	fs->fd = sysfs_open_root(fs->root);
	assert_true(fs->fd >= 0);
}

void fakesys_free(struct fakesys *fs)
{
	if (fs->fd >= 0)
		close(fs->fd);
	fs->fd = -1;
	test_rm_rf(fs->root);
	free(fs->root);
	fs->root = NULL;
}

static void add_netdev(struct fakesys *fs, const char *bdf, const char *ifname)
{
	char *rel = test_strdup_printf("bus/pci/devices/%s/net/%s", bdf, ifname);
	char *target;

	mkdir_p(fs->root, rel);
	free(rel);
	/* net/<ifname>/device -> ../../../<BDF>, as the kernel links a netdev to its device. */
	rel = test_strdup_printf("bus/pci/devices/%s/net/%s/device", bdf, ifname);
	target = test_strdup_printf("../../../%s", bdf);
	symlink_rel(fs, target, rel);
	free(rel);
	free(target);
	rel = test_strdup_printf("class/net/%s", ifname);
	target = test_strdup_printf("../../bus/pci/devices/%s/net/%s", bdf, ifname);
	symlink_rel(fs, target, rel);
	free(rel);
	free(target);
}

static void add_driver(struct fakesys *fs, const char *bdf, const char *driver)
{
	char *rel = test_strdup_printf("bus/pci/drivers/%s", driver);
	char *target;

	mkdir_p(fs->root, rel);
	free(rel);
	rel = test_strdup_printf("bus/pci/devices/%s/driver", bdf);
	target = test_strdup_printf("../../../../bus/pci/drivers/%s", driver);
	symlink_rel(fs, target, rel);
	free(rel);
	free(target);
}

void fakesys_bind(struct fakesys *fs, const char *bdf, const char *driver)
{
	char *path = test_strdup_printf("%s/bus/pci/devices/%s/driver", fs->root, bdf);

	unlink(path);
	free(path);
	add_driver(fs, bdf, driver);
}

void fakesys_add_pci(struct fakesys *fs, const char *bdf, const char *ifname, const char *driver)
{
	char *rel = test_strdup_printf("bus/pci/devices/%s", bdf);

	mkdir_p(fs->root, rel);
	free(rel);
	if (driver)
		add_driver(fs, bdf, driver);
	if (ifname)
		add_netdev(fs, bdf, ifname);
}

void fakesys_set_sriov(struct fakesys *fs, const char *bdf, uint32_t numvfs, uint32_t totalvfs)
{
	char *rel, *val;

	rel = test_strdup_printf("bus/pci/devices/%s/sriov_totalvfs", bdf);
	val = test_strdup_printf("%u\n", totalvfs);
	fakesys_write(fs, rel, val);
	free(rel);
	free(val);
	rel = test_strdup_printf("bus/pci/devices/%s/sriov_numvfs", bdf);
	val = test_strdup_printf("%u\n", numvfs);
	fakesys_write(fs, rel, val);
	free(rel);
	free(val);
}

void fakesys_add_vf(struct fakesys *fs, const char *pf_bdf, uint32_t index, const char *vf_bdf,
		    const char *ifname, const char *driver)
{
	char *rel, *target;

	fakesys_add_pci(fs, vf_bdf, ifname, driver);
	rel = test_strdup_printf("bus/pci/devices/%s/physfn", vf_bdf);
	target = test_strdup_printf("../%s", pf_bdf);
	symlink_rel(fs, target, rel);
	free(rel);
	free(target);
	rel = test_strdup_printf("bus/pci/devices/%s/virtfn%u", pf_bdf, index);
	target = test_strdup_printf("../%s", vf_bdf);
	symlink_rel(fs, target, rel);
	free(rel);
	free(target);
}

void fakesys_add_virtual_netdev(struct fakesys *fs, const char *ifname)
{
	char *rel = test_strdup_printf("devices/virtual/net/%s", ifname);
	char *target;

	mkdir_p(fs->root, rel);
	free(rel);
	rel = test_strdup_printf("class/net/%s", ifname);
	target = test_strdup_printf("../../devices/virtual/net/%s", ifname);
	symlink_rel(fs, target, rel);
	free(rel);
	free(target);
}

void fakesys_igb_vf_bdf(unsigned bus, uint32_t n, char buf[16])
{
	unsigned devfn = 0x80 + 2 * n;

	snprintf(buf, 16, "0000:%02x:%02x.%x", bus & 0xffu, (devfn >> 3) & 0x1fu, devfn & 7u);
}

void fakesys_standard(struct fakesys *fs, uint32_t numvfs)
{
	char vf[16];

	fakesys_new(fs);
	fakesys_add_pci(fs, FAKE_PF_BDF, FAKE_PF, "igb");
	fakesys_set_sriov(fs, FAKE_PF_BDF, numvfs, FAKE_PF_TOTALVFS);
	for (uint32_t i = 0; i < FAKE_PF_TOTALVFS; i++) {
		fakesys_igb_vf_bdf(1, i, vf);
		fakesys_add_vf(fs, FAKE_PF_BDF, i, vf, i == 1 ? FAKE_VF_NETDEV : NULL,
			       i == 1 ? "igbvf" : "vfio-pci");
	}
	fakesys_add_pci(fs, FAKE_PF2_BDF, FAKE_PF2, "igb");
	fakesys_set_sriov(fs, FAKE_PF2_BDF, 1, 7);
	fakesys_igb_vf_bdf(2, 0, vf);
	fakesys_add_vf(fs, FAKE_PF2_BDF, 0, vf, NULL, NULL);
	fakesys_add_pci(fs, FAKE_NOSRIOV_BDF, FAKE_NOSRIOV, "e1000e");
	fakesys_add_virtual_netdev(fs, FAKE_BRIDGE);
}
