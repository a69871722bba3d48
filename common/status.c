/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"
#include "status.h"
#include "sysfs.h"

DEFINE_CLEANUP_FUNC(DIR *, closedir)
DEFINE_CLEANUP_FUNC(struct vf_link *, vf_link_free)

static int read_link_up(int sysfs, const char *ifname)
{
	_cleanup_free_ char *text = NULL;
	char path[64 + IFNAMSIZ], *end;
	unsigned long flags;

	if (!ifname[0])
		return -1;
	snprintf(path, sizeof(path), "class/net/%s/flags", ifname);
	if (read_full_file_at(sysfs, path, 64, &text, NULL) < 0)
		return -1;
	errno = 0;
	flags = strtoul(text, &end, 16);
	if (errno || end == text)
		return -1;
	return (flags & IFF_UP) ? 1 : 0;
}

int status_pf_read_pci(int sysfs, const struct pci_addr *pf, struct status_pf *ret)
{
	struct status_pf p = {.addr = *pf, .numvfs = -1, .totalvfs = -1, .link_up = -1};
	char a[PCI_ADDR_STRLEN], dev[64];
	uint32_t num, total;
	int r;

	snprintf(dev, sizeof(dev), "bus/pci/devices/%s", pci_addr_format(pf, a));
	if (faccessat(sysfs, dev, F_OK, 0) < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	if (sysfs_pci_driver(sysfs, pf, p.driver, sizeof(p.driver)) < 0)
		p.driver[0] = '\0';
	r = sysfs_pci_sriov(sysfs, pf, &num, &total);
	if (r >= 0) {
		p.numvfs = num;
		p.totalvfs = total;
	}
	if (sysfs_pci_netdev(sysfs, pf, p.ifname) < 0)
		p.ifname[0] = '\0';
	p.link_up = read_link_up(sysfs, p.ifname);

	/* libvirt walks virtfn0, virtfn1, ... until one is missing; so do we. */
	for (uint32_t i = 0; i <= 65535; i++) {
		char path[96];
		struct pci_addr vf;
		struct pci_addr *grown;

		snprintf(path, sizeof(path), "%s/virtfn%u", dev, i);
		if (sysfs_readlink_pci(sysfs, path, &vf) < 0)
			break;
		if (p.n_vfs % 64 == 0) {
			grown = realloc(p.vfs, (p.n_vfs + 64) * sizeof(*p.vfs));
			if (!grown) {
				free(p.vfs);
				return -ENOMEM;
			}
			p.vfs = grown;
		}
		p.vfs[p.n_vfs++] = vf;
	}
	*ret = p;
	return 0;
}

int status_pf_read(int sysfs, const char *ifname, struct status_pf *ret)
{
	struct pci_addr addr;
	struct status_pf p;
	int r;

	if (!ifname_valid(ifname))
		return -EINVAL;
	r = sysfs_netdev_pci(sysfs, ifname, &addr);
	if (r < 0)
		return r;
	r = status_pf_read_pci(sysfs, &addr, &p);
	if (r < 0)
		return r;
	/* The name asked for, even if the device has several netdevs. */
	snprintf(p.ifname, sizeof(p.ifname), "%s", ifname);
	p.link_up = read_link_up(sysfs, p.ifname);
	*ret = p;
	return 0;
}

void status_pf_done(struct status_pf *pf)
{
	free(pf->vfs);
	pf->vfs = NULL;
	pf->n_vfs = 0;
}

int status_pf_vf_index(const struct status_pf *pf, const struct pci_addr *vf, uint32_t *ret)
{
	for (uint32_t i = 0; i < pf->n_vfs; i++)
		if (pci_addr_equal(&pf->vfs[i], vf)) {
			*ret = i;
			return 0;
		}
	return -ENOENT;
}

int status_vfs_read(const char *pf_ifname, uint32_t n, struct status_vf_live *ret)
{
	_cleanup_(vf_link_freep) struct vf_link *link = NULL;
	int r;

	for (uint32_t i = 0; i < n; i++) {
		ret[i] = (struct status_vf_live){.known = false};
		vf_settings_init(&ret[i].cur);
		ret[i].info = (struct vf_info){.vlan = VF_UNSET, .link_state = VF_UNSET};
	}
	if (!pf_ifname || !ifname_valid(pf_ifname))
		return -ENODEV;
	r = vf_link_open(pf_ifname, &link);
	if (r < 0)
		return r;
	for (uint32_t i = 0; i < n; i++) {
		struct vf_settings cur;
		struct vf_info info;

		if (vf_link_get(link, i, &cur) < 0 || vf_link_get_info(link, i, &info) < 0)
			continue;
		ret[i].known = true;
		ret[i].cur = cur;
		ret[i].info = info;
	}
	return 0;
}

enum status_match status_vf_match(const struct status_vf_live *live, const struct vf_settings *want)
{
	bool unknown = false;

	if (!want || vf_settings_count(want) == 0)
		return STATUS_MATCH_NONE;
	if (!live || !live->known)
		return STATUS_MATCH_UNKNOWN;
	for (int a = 0; a < _VF_ATTR_MAX; a++) {
		if (want->v[a] == VF_UNSET)
			continue;
		if (live->cur.v[a] == VF_UNSUPPORTED)
			return STATUS_MATCH_NO;
		if (live->cur.v[a] == VF_UNSET)
			unknown = true;
		else if (live->cur.v[a] != want->v[a])
			return STATUS_MATCH_NO;
	}
	return unknown ? STATUS_MATCH_UNKNOWN : STATUS_MATCH_YES;
}

const char *status_match_to_string(enum status_match m)
{
	static const char *const names[_STATUS_MATCH_MAX] = {
	    [STATUS_MATCH_NONE] = "none",
	    [STATUS_MATCH_YES] = "match",
	    [STATUS_MATCH_NO] = "mismatch",
	    [STATUS_MATCH_UNKNOWN] = "unknown",
	};

	return m >= 0 && m < _STATUS_MATCH_MAX ? names[m] : "?";
}

const char *status_attr_format(const struct status_vf_live *live, enum vf_attr a)
{
	if (!live || !live->known || live->cur.v[a] == VF_UNSET)
		return "unknown";
	return vf_attr_format(a, live->cur.v[a]); /* "unsupported" for the kernel's -1 */
}

static int read_btime(int root, time_t *ret)
{
	_cleanup_free_ char *text = NULL;
	const char *p;
	long long t;
	int r = read_full_file_at(root, "proc/stat", 1u << 20, &text, NULL);

	if (r < 0)
		return r;
	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (sscanf(p, "btime %lld", &t) == 1) {
			*ret = (time_t)t;
			return 0;
		}
	return -ENOENT;
}

/* Field 22 of proc/PID/stat, clock ticks after boot; the name (field 2) may hold spaces. */
static int read_starttime(int root, int pid, unsigned long long *ret)
{
	_cleanup_free_ char *text = NULL;
	char path[64];
	const char *p;
	int r;

	snprintf(path, sizeof(path), "proc/%d/stat", pid);
	r = read_full_file_at(root, path, 4096, &text, NULL);
	if (r < 0)
		return r;
	p = strrchr(text, ')');
	if (!p)
		return -EBADMSG;
	/* After ')': field 3 (state) ... field 22. */
	for (int field = 3; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -EBADMSG;
	}
	if (sscanf(p + 1, "%llu", ret) != 1)
		return -EBADMSG;
	return 0;
}

int status_daemons(int root, struct status_daemon *ret, size_t n)
{
	static const char *const names[] = {"libvirtd", "virtqemud", "virtnetworkd"};
	_cleanup_close_ int fd = openat(root, "proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	_cleanup_(closedirp) DIR *d = NULL;
	struct dirent *de;
	time_t btime;
	long tck = sysconf(_SC_CLK_TCK);
	size_t found = 0;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d)
		return -errno;
	fd = -EBADF; /* owned by d */
	if (read_btime(root, &btime) < 0)
		btime = 0;
	if (tck <= 0)
		tck = 100;
	while ((de = readdir(d)) && found < n) {
		_cleanup_free_ char *comm = NULL;
		unsigned long long start;
		char path[64];
		uint32_t pid;

		if (parse_u32(de->d_name, &pid) < 0 || pid == 0 || pid > INT32_MAX)
			continue;
		snprintf(path, sizeof(path), "proc/%u/comm", pid);
		if (read_full_file_at(root, path, 64, &comm, NULL) < 0)
			continue;
		comm[strcspn(comm, "\n")] = '\0';
		for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
			if (strcmp(comm, names[i]) != 0)
				continue;
			if (read_starttime(root, (int)pid, &start) < 0)
				break;
			ret[found] = (struct status_daemon){
			    .pid = (int)pid,
			    .started = btime + (time_t)(start / (unsigned long long)tck),
			};
			snprintf(ret[found].name, sizeof(ret[found].name), "%s", names[i]);
			found++;
			break;
		}
	}
	return (int)found;
}
