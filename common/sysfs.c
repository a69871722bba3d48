/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "sysfs.h"


int sysfs_open_root(const char *path)
{
	int fd = open(path, O_DIRECTORY | O_PATH | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int sysfs_read_u32(int root, const char *path, uint32_t *ret)
{
	_cleanup_close_ int fd = openat(root, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	char buf[16]; /* "4294967295\n" fits */
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return parse_u32_line(buf, ret);
}

int sysfs_write_u32(int root, const char *path, uint32_t value)
{
	/* O_TRUNC as `echo N >` does: sysfs ignores it, a regular file (a fake tree) needs it. */
	_cleanup_close_ int fd = openat(root, path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", value);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, (size_t)len);
	if (n < 0)
		return -errno;
	return n == len ? 0 : -EIO;
}

/* The last component of a symlink's target: sysfs links name devices by their address. */
static int readlink_base(int root, const char *path, char *ret, size_t n)
{
	char target[PATH_MAX];
	ssize_t len = readlinkat(root, path, target, sizeof(target) - 1);
	const char *base;

	if (len < 0)
		return -errno;
	target[len] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= n)
		return -ENAMETOOLONG;
	strcpy(ret, base);
	return 0;
}

int sysfs_readlink_pci(int root, const char *path, struct pci_addr *ret)
{
	char base[NAME_MAX + 1];
	int r = readlink_base(root, path, base, sizeof(base));

	if (r < 0)
		return r;
	return pci_addr_parse(base, ret);
}

static void pci_path(char *buf, size_t n, const struct pci_addr *dev, const char *rest)
{
	char a[PCI_ADDR_STRLEN];

	snprintf(buf, n, "bus/pci/devices/%s/%s", pci_addr_format(dev, a), rest);
}

int sysfs_netdev_pci(int root, const char *ifname, struct pci_addr *ret)
{
	char path[64 + IFNAMSIZ];
	struct pci_addr a;
	int r;

	snprintf(path, sizeof(path), "class/net/%s", ifname);
	if (faccessat(root, path, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	snprintf(path, sizeof(path), "class/net/%s/device", ifname);
	r = sysfs_readlink_pci(root, path, &a);
	if (r == -ENOENT || r == -EINVAL)
		return -ENXIO;
	if (r < 0)
		return r;
	*ret = a;
	return 0;
}

int sysfs_pci_sriov_file(int root, const struct pci_addr *pf, const char *file, uint32_t *ret)
{
	char path[96];
	int r;

	pci_path(path, sizeof(path), pf, file);
	r = sysfs_read_u32(root, path, ret);
	return r == -ENOENT ? -ENOTSUP : r;
}

int sysfs_pci_sriov(int root, const struct pci_addr *pf, uint32_t *ret_numvfs,
		    uint32_t *ret_totalvfs)
{
	uint32_t num, total;
	int r;

	r = sysfs_pci_sriov_file(root, pf, "sriov_totalvfs", &total);
	if (r < 0)
		return r;
	r = sysfs_pci_sriov_file(root, pf, "sriov_numvfs", &num);
	if (r < 0)
		return r;
	*ret_numvfs = num;
	*ret_totalvfs = total;
	return 0;
}

int sysfs_pci_vf_in_use(int root, const struct pci_addr *vf)
{
	_cleanup_(closedirp) DIR *d = NULL;
	char path[96], drv[64], ifname[IFNAMSIZ];
	struct dirent *de;

	/* Given to a guest: bound to vfio-pci (libvirt's managed hostdev binds it at start and
	 * gives it back to its host driver at release). */
	pci_path(path, sizeof(path), vf, "driver");
	if (readlink_base(root, path, drv, sizeof(drv)) >= 0 &&
	    (strcmp(drv, "vfio-pci") == 0 || strcmp(drv, "pci-stub") == 0))
		return 1;
	/* Carrying a macvtap (a passthrough pool's port): its netdev has an upper device. */
	if (sysfs_pci_netdev(root, vf, ifname) < 0)
		return 0;
	snprintf(path, sizeof(path), "class/net/%s", ifname);
	if (opendir_at(root, path, 0, &d) < 0)
		return 0;
	while ((de = readdir(d)))
		if (strncmp(de->d_name, "upper_", 6) == 0)
			return 1;
	return 0;
}

int sysfs_pci_write_numvfs(int root, const struct pci_addr *pf, uint32_t n)
{
	char path[96];

	pci_path(path, sizeof(path), pf, "sriov_numvfs");
	return sysfs_write_u32(root, path, n);
}

int sysfs_pci_count_virtfn(int root, const struct pci_addr *pf, uint32_t n, uint32_t *ret)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		char path[96], name[24];

		snprintf(name, sizeof(name), "virtfn%u", i);
		pci_path(path, sizeof(path), pf, name);
		if (faccessat(root, path, F_OK, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				return -errno;
			break;
		}
	}
	*ret = i;
	return 0;
}

int sysfs_pci_physfn(int root, const struct pci_addr *vf, struct pci_addr *ret)
{
	char path[96], dev[96];
	int r;

	pci_path(dev, sizeof(dev), vf, "");
	if (faccessat(root, dev, F_OK, 0) < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	pci_path(path, sizeof(path), vf, "physfn");
	r = sysfs_readlink_pci(root, path, ret);
	return r == -EINVAL ? -ENOENT : r;
}

int sysfs_pci_vf_index(int root, const struct pci_addr *pf, const struct pci_addr *vf,
		       uint32_t *ret)
{
	/* libvirt walks virtfn0, virtfn1, ... until one is missing; so do we. The bound is the
	 * kernel's own (a PF has at most 65535 VFs). */
	for (uint32_t i = 0; i <= 65535; i++) {
		char path[96], name[24];
		struct pci_addr a;
		int r;

		snprintf(name, sizeof(name), "virtfn%u", i);
		pci_path(path, sizeof(path), pf, name);
		r = sysfs_readlink_pci(root, path, &a);
		if (r == -ENOENT)
			return -ENOENT;
		if (r < 0)
			return r;
		if (pci_addr_equal(&a, vf)) {
			*ret = i;
			return 0;
		}
	}
	return -ENOENT;
}

int sysfs_pci_netdev(int root, const struct pci_addr *dev, char ret[static IFNAMSIZ])
{
	char path[96];
	_cleanup_(closedirp) DIR *d = NULL;
	struct dirent *de;
	int r;

	pci_path(path, sizeof(path), dev, "net");
	r = opendir_at(root, path, 0, &d);
	if (r < 0)
		return r == -ENOENT ? -ENODEV : r;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (!ifname_valid(de->d_name))
			continue;
		strcpy(ret, de->d_name);
		return 0;
	}
	return -ENODEV;
}

int sysfs_pci_driver(int root, const struct pci_addr *dev, char *ret, size_t n)
{
	char path[96];

	pci_path(path, sizeof(path), dev, "driver");
	return readlink_base(root, path, ret, n);
}
