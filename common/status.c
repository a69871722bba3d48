/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "status.h"
#include "sysfs.h"

DEFINE_CLEANUP_FUNC(struct vf_link *, vf_link_free)

static int read_link_up(int sysfs, const char *ifname)
{
	_cleanup_free_ char *text = NULL;
	char path[64 + IFNAMSIZ], *end;
	unsigned long flags;

	if (!ifname[0])
		return -1;
	snprintf(path, sizeof(path), "class/net/%s/flags", ifname);
	if (read_full_file_at(sysfs, path, 64, 0, &text, NULL) < 0)
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
	int r = read_full_file_at(root, "proc/stat", 1u << 20, 0, &text, NULL);

	if (r < 0)
		return r;
	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (sscanf(p, "btime %lld", &t) == 1) {
			*ret = (time_t)t;
			return 0;
		}
	return -ENOENT;
}

/* Field 22 of proc/PID/stat, clock ticks after boot; the name (field 2) may hold spaces. A zombie
 * (state Z or X: exited, not yet reaped, e.g. a daemon orphaned under an init that never reaps)
 * runs nothing: -ESRCH. */
static int read_starttime(int root, int pid, unsigned long long *ret)
{
	_cleanup_free_ char *text = NULL;
	char path[64];
	const char *p;
	int r;

	snprintf(path, sizeof(path), "proc/%d/stat", pid);
	r = read_full_file_at(root, path, 4096, 0, &text, NULL);
	if (r < 0)
		return r;
	p = strrchr(text, ')');
	if (!p)
		return -EBADMSG;
	if (p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
		return -ESRCH;
	/* p is at ')'; each step moves it to the space before the next field: after the step for
	 * field k it is before field k, so the last step is field 22's (field 21, itrealvalue, is
	 * always 0 and would put every start at boot). */
	for (int field = 3; field <= 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -EBADMSG;
	}
	if (sscanf(p + 1, "%llu", ret) != 1)
		return -EBADMSG;
	return 0;
}

/* The installer's record of the daemons it reloaded: sets .reloaded where name and PID match. A
 * missing or unreadable record is no reload. */
static void read_reloads(int root, struct status_daemon *d, size_t n)
{
	_cleanup_free_ char *text = NULL;
	const char *p;

	if (read_full_file_at(root, &STATUS_RELOAD_RECORD[1], 1u << 16, 0, &text, NULL) < 0)
		return;
	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char name[16];
		long long t;
		int pid;

		if (sscanf(p, "%15s %d %lld", name, &pid, &t) != 3 || t <= 0)
			continue;
		for (size_t i = 0; i < n; i++)
			if (d[i].pid == pid && strcmp(d[i].name, name) == 0 &&
			    (time_t)t > d[i].reloaded)
				d[i].reloaded = (time_t)t;
	}
}

int status_daemons(int root, struct status_daemon *ret, size_t n)
{
	static const char *const names[] = {"libvirtd", "virtqemud", "virtnetworkd"};
	_cleanup_(closedirp) DIR *d = NULL;
	struct dirent *de;
	time_t btime;
	long tck = sysconf(_SC_CLK_TCK);
	size_t found = 0;
	int r;

	r = opendir_at(root, "proc", 0, &d);
	if (r < 0)
		return r;
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
		if (read_full_file_at(root, path, 64, 0, &comm, NULL) < 0)
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
	read_reloads(root, ret, found);
	return (int)found;
}

/* ---- doctor's readers: LSMs, packages, other owners of a PF ---- */

/* One "key = value" line of a keyfile/INI or "KEY=value" shell assignment, trimmed; quotes around
 * the value are dropped. Returns false for blanks, comments and [sections] (*ret_section set). */
static bool ini_line(char *line, char **ret_section, char **ret_key, char **ret_value)
{
	char *s = line, *e, *eq;

	*ret_section = NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	if (*s == '\0' || *s == '#' || *s == ';')
		return false;
	if (*s == '[') {
		if (e[-1] == ']') {
			e[-1] = '\0';
			*ret_section = s + 1;
		}
		return false;
	}
	eq = strchr(s, '=');
	if (!eq)
		return false;
	for (e = eq; e > s && (e[-1] == ' ' || e[-1] == '\t');)
		*--e = '\0';
	*eq = '\0';
	*ret_key = s;
	eq++;
	while (*eq == ' ' || *eq == '\t')
		eq++;
	e = eq + strlen(eq);
	if (e - eq >= 2 && (*eq == '"' || *eq == '\'') && e[-1] == *eq) {
		e[-1] = '\0';
		eq++;
	}
	*ret_value = eq;
	return true;
}

/* The value of key in section ("" before any section, as in ifcfg files), and whether the section
 * is there at all. Returns 0 or -ENOENT (no such key). */
static int ini_get(const char *text, const char *section, const char *key, char *ret, size_t n,
		   bool *ret_has_section)
{
	_cleanup_free_ char *copy = strdup(text);
	char *line, *save = NULL, *sec, *k, *v;
	const char *cur = "";
	int r = -ENOENT;

	if (ret_has_section)
		*ret_has_section = false;
	if (!copy)
		return -ENOMEM;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!ini_line(line, &sec, &k, &v)) {
			if (sec) {
				cur = sec;
				if (ret_has_section && strcmp(cur, section) == 0)
					*ret_has_section = true;
			}
			continue;
		}
		if (strcmp(cur, section) == 0 && strcmp(k, key) == 0 && r < 0) {
			snprintf(ret, n, "%s", v);
			r = 0;
		}
	}
	return r;
}

void status_selinux_read(int root, int sysfs, struct status_selinux *ret)
{
	_cleanup_free_ char *enforce = NULL, *config = NULL, *boolean = NULL;
	struct status_selinux s = {.mode = -1, .boolean = -1};
	_cleanup_(closedirp) DIR *d = NULL;
	char path[256];
	struct dirent *de;

	snprintf(s.policy, sizeof(s.policy), "targeted");
	if (read_full_file_at(sysfs, "fs/selinux/enforce", 16, 0, &enforce, NULL) >= 0)
		s.mode = enforce[0] == '1' ? 1 : 0;
	if (read_full_file_at(root, "etc/selinux/config", 65536, 0, &config, NULL) >= 0) {
		char type[64];

		if (ini_get(config, "", "SELINUXTYPE", type, sizeof(type), NULL) >= 0 && type[0] &&
		    !strchr(type, '/') && strcmp(type, "..") != 0)
			snprintf(s.policy, sizeof(s.policy), "%s", type);
	}
	/* "1 1": the current value, then the pending one. */
	if (read_full_file_at(sysfs, "fs/selinux/booleans/virt_hooks_unconfined", 16, 0, &boolean,
			      NULL) >= 0)
		s.boolean = boolean[0] == '1' ? 1 : 0;

	/* The module store: active/modules/<priority>/<name>/, and active/modules/disabled/<name>
	 * when semodule -d turned it off. */
	snprintf(path, sizeof(path), "var/lib/selinux/%s/active/modules", s.policy);
	if (opendir_at(root, path, 0, &d) < 0)
		d = NULL;
	while (d && (de = readdir(d))) {
		char mod[sizeof(path) + 300];
		uint32_t prio;

		if (parse_u32(de->d_name, &prio) < 0)
			continue;
		snprintf(mod, sizeof(mod), "%s/%s/" STATUS_SELINUX_MODULE, path, de->d_name);
		if (faccessat(root, mod, F_OK, AT_SYMLINK_NOFOLLOW) == 0 &&
		    strlen(de->d_name) < sizeof(s.module_prio)) {
			s.module = 1;
			snprintf(s.module_prio, sizeof(s.module_prio), "%s", de->d_name);
		}
	}
	snprintf(path, sizeof(path),
		 "var/lib/selinux/%s/active/modules/disabled/" STATUS_SELINUX_MODULE, s.policy);
	if (s.module == 1 && faccessat(root, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		s.module = -1;
	*ret = s;
}

int status_label_type(int dirfd, const char *path, const char *xattr, char *ret, size_t n)
{
	/* O_NONBLOCK: a FIFO planted there must not block us. */
	_cleanup_close_ int fd =
	    openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	char label[256], *type, *end;
	ssize_t len;

	if (fd < 0)
		return -errno;
	len = fgetxattr(fd, xattr, label, sizeof(label) - 1);
	if (len < 0)
		return errno == ENOTSUP ? -ENODATA : -errno;
	label[len] = '\0';
	/* user:role:type:level (the level may hold colons itself). */
	type = strchr(label, ':');
	type = type ? strchr(type + 1, ':') : NULL;
	if (!type)
		return -EBADMSG;
	type++;
	end = strchr(type, ':');
	if (end)
		*end = '\0';
	snprintf(ret, n, "%s", type);
	return 0;
}

int status_apparmor_mode(int sysfs, const char *name, char *ret, size_t n)
{
	_cleanup_free_ char *text = NULL;
	char full[128];
	int r =
	    read_full_file_at(sysfs, "kernel/security/apparmor/profiles", 4u << 20, 0, &text, NULL);

	if (r < 0)
		return r == -ENOENT ? -ENODEV : r; /* -ENOENT means "no such profile" here */
	snprintf(full, sizeof(full), "/usr/sbin/%s", name);
	for (char *line = text, *next; line && *line; line = next) {
		char *open;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* "virtqemud (enforce)"; a profile's children are "libvirtd//qemu_bridge_helper".
		 */
		open = strstr(line, " (");
		if (!open || open[strlen(open) - 1] != ')')
			continue;
		*open = '\0';
		if (strcmp(line, name) != 0 && strcmp(line, full) != 0)
			continue;
		open += 2;
		open[strlen(open) - 1] = '\0';
		snprintf(ret, n, "%s", open);
		return 0;
	}
	return -ENOENT;
}

int status_dpkg_owner(int root, const char *path, char *ret, size_t n)
{
	_cleanup_(closedirp) DIR *d = NULL;

	if (opendir_at(root, "var/lib/dpkg/info", 0, &d) < 0)
		d = NULL;
	struct dirent *de;
	size_t plen = strlen(path);

	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		_cleanup_free_ char *text = NULL;
		size_t l = strlen(de->d_name);
		const char *p;

		if (l <= 5 || strcmp(de->d_name + l - 5, ".list") != 0)
			continue;
		if (read_full_file_at(dirfd(d), de->d_name, 64u << 20, 0, &text, NULL) < 0)
			continue;
		for (p = text; (p = strstr(p, path)); p += plen)
			if ((p == text || p[-1] == '\n') && (p[plen] == '\n' || p[plen] == '\0')) {
				/* "vdsm.list", or "vdsm:amd64.list" for multi-arch packages */
				size_t name_len = strcspn(de->d_name, ":");

				if (name_len > l - 5)
					name_len = l - 5;
				snprintf(ret, n, "%.*s", (int)name_len, de->d_name);
				return 0;
			}
	}
	return -ENOENT;
}

/* A keyfile (NetworkManager) or ifcfg file that configures SR-IOV on ifname: 1 with the VF count,
 * 0 when it does not. */
static int nm_file_sriov(const char *text, bool keyfile, const char *ifname, long *ret_vfs)
{
	char name[IFNAMSIZ + 8], vfs[32];
	bool has_sriov = false;

	if (keyfile) {
		if (ini_get(text, "connection", "interface-name", name, sizeof(name), NULL) < 0 ||
		    strcmp(name, ifname) != 0)
			return 0;
		if (ini_get(text, "sriov", "total-vfs", vfs, sizeof(vfs), &has_sriov) < 0)
			snprintf(vfs, sizeof(vfs), "0");
		if (!has_sriov)
			return 0;
	} else {
		if ((ini_get(text, "", "DEVICE", name, sizeof(name), NULL) < 0 &&
		     ini_get(text, "", "NAME", name, sizeof(name), NULL) < 0) ||
		    strcmp(name, ifname) != 0)
			return 0;
		if (ini_get(text, "", "SRIOV_TOTAL_VFS", vfs, sizeof(vfs), NULL) < 0)
			return 0;
	}
	*ret_vfs = strtol(vfs, NULL, 10);
	return 1;
}

int status_nm_sriov(int root, const char *ifname, char *ret_path, size_t n, long *ret_vfs)
{
	static const struct {
		const char *dir;
		bool keyfile;
	} dirs[] = {
	    {"etc/NetworkManager/system-connections", true},
	    {"run/NetworkManager/system-connections", true},
	    {"etc/sysconfig/network-scripts", false},
	};

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		_cleanup_(closedirp) DIR *d = NULL;

		if (opendir_at(root, dirs[i].dir, 0, &d) < 0)
			d = NULL;
		struct dirent *de;

		while (d && (de = readdir(d))) {
			_cleanup_free_ char *text = NULL;
			size_t l = strlen(de->d_name);
			long vfs = 0;

			if (dirs[i].keyfile
				? l <= 13 || strcmp(de->d_name + l - 13, ".nmconnection")
				: strncmp(de->d_name, "ifcfg-", 6) != 0)
				continue;
			if (read_full_file_at(dirfd(d), de->d_name, 1u << 20, 0, &text, NULL) < 0)
				continue;
			if (nm_file_sriov(text, dirs[i].keyfile, ifname, &vfs) <= 0)
				continue;
			snprintf(ret_path, n, "%s/%s", dirs[i].dir, de->d_name);
			*ret_vfs = vfs;
			return 0;
		}
	}
	return -ENOENT;
}

int status_neutron_maps(int root, const char *ifname, char *ret_physnet, size_t n)
{
	_cleanup_free_ char *text = NULL;
	char maps[4096], *item, *save = NULL;
	int r = read_full_file_at(root, "etc/neutron/plugins/ml2/sriov_agent.ini", 1u << 20, 0, &text,
				  NULL);

	if (r < 0)
		return -ENOENT;
	if (ini_get(text, "sriov_nic", "physical_device_mappings", maps, sizeof(maps), NULL) < 0)
		return 0;
	/* "physnet1:ens1f0,physnet2:ens1f1"; one physical network may list several PFs. */
	for (item = strtok_r(maps, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *colon = strrchr(item, ':'), *dev;

		if (!colon)
			continue;
		*colon = '\0';
		dev = colon + 1;
		while (*dev == ' ')
			dev++;
		dev[strcspn(dev, " \t")] = '\0';
		while (*item == ' ')
			item++;
		if (strcmp(dev, ifname) == 0) {
			snprintf(ret_physnet, n, "%s", item);
			return 1;
		}
	}
	return 0;
}
