/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hook.h"
#include "macro.h"
#include "plan.h"
#include "status.h"
#include "sysfs.h"

DEFINE_CLEANUP_FUNC(DIR *, closedir)
DEFINE_CLEANUP_FUNC(struct vf_link *, vf_link_free)

/* Our hook binaries are well under this; an admin's script is smaller still. */
#define HOOK_READ_MAX (64u << 20)

/* Read a whole file below dirfd, NUL-terminated, at most max bytes (-EFBIG beyond). */
static int read_file_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	return read_full(fd, max, ret, ret_len);
}


static int read_link_up(int sysfs, const char *ifname)
{
	_cleanup_free_ char *text = NULL;
	char path[64 + IFNAMSIZ], *end;
	unsigned long flags;

	if (!ifname[0])
		return -1;
	snprintf(path, sizeof(path), "class/net/%s/flags", ifname);
	if (read_file_at(sysfs, path, 64, &text, NULL) < 0)
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

const char *check_result_to_string(enum check_result r)
{
	static const char *const names[_CHECK_RESULT_MAX] = {
	    [CHECK_PASS] = "ok",
	    [CHECK_WARN] = "warning",
	    [CHECK_FAIL] = "FAIL",
	};

	return r >= 0 && r < _CHECK_RESULT_MAX ? names[r] : "?";
}

_printf_(4, 5) static void check_set(struct check *c, enum check_result r, const char *fix,
				     const char *fmt, ...)
{
	va_list ap;

	c->result = r;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	snprintf(c->fix, sizeof(c->fix), "%s", fix ?: "");
}

/* A word of the kernel command line, whole: "intel_iommu=on" in "ro intel_iommu=on quiet". */
static bool cmdline_has(const char *cmdline, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = cmdline; (p = strstr(p, word)); p += n)
		if ((p == cmdline || isspace((unsigned char)p[-1])) &&
		    (p[n] == '\0' || isspace((unsigned char)p[n])))
			return true;
	return false;
}

static int count_entries(int dirfd, const char *path)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	_cleanup_(closedirp) DIR *d = NULL;
	struct dirent *de;
	int n = 0;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d)
		return -errno;
	fd = -EBADF; /* owned by d */
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	return n;
}

#define IOMMU_FIX                                                                                  \
	"enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup; on Intel also add "      \
	"'intel_iommu=on iommu=pt' to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub "   \
	"and reboot"

void status_check_iommu(int root, int sysfs, struct check *ret)
{
	_cleanup_free_ char *cmdline = NULL;
	int groups;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "IOMMU");
	if (read_file_at(root, "proc/cmdline", 65536, &cmdline, NULL) < 0)
		cmdline = NULL;
	groups = count_entries(sysfs, "kernel/iommu_groups");

	if (cmdline &&
	    (cmdline_has(cmdline, "intel_iommu=off") || cmdline_has(cmdline, "amd_iommu=off") ||
	     cmdline_has(cmdline, "iommu=off"))) {
		check_set(
		    ret, CHECK_FAIL,
		    "remove the '...iommu=off' option from GRUB_CMDLINE_LINUX "
		    "in /etc/default/grub, add 'intel_iommu=on iommu=pt' on Intel, run "
		    "update-grub and reboot",
		    "the kernel command line turns the IOMMU off; VFs cannot be given to guests");
		return;
	}
	if (groups > 0) {
		check_set(ret, CHECK_PASS, NULL, "%d IOMMU groups in /sys/kernel/iommu_groups",
			  groups);
		return;
	}
	if (cmdline &&
	    (cmdline_has(cmdline, "intel_iommu=on") || cmdline_has(cmdline, "amd_iommu=on")))
		check_set(ret, CHECK_FAIL, IOMMU_FIX,
			  "no IOMMU groups in /sys/kernel/iommu_groups although the kernel command "
			  "line enables the IOMMU: it is off in the firmware");
	else
		check_set(ret, CHECK_FAIL, IOMMU_FIX,
			  "no IOMMU groups in /sys/kernel/iommu_groups%s; libvirt cannot give VFs "
			  "to guests (vfio needs the IOMMU)",
			  cmdline ? " and no intel_iommu=on on the kernel command line" : "");
}

/* 1 when the file at path is one of our hook binaries (following symlinks), 0 if not. */
static int is_ours(int root, const char *path)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r = read_file_at(root, path, HOOK_READ_MAX, &buf, &len);

	if (r < 0)
		return r;
	return memmem(buf, len, HOOK_MARKER, strlen(HOOK_MARKER)) != NULL;
}

void status_check_hook(int root, const char *driver, struct check *ret, time_t *ret_installed)
{
	char main_path[128], d_path[160], fix[256];
	const char *path = NULL;
	struct stat st;
	bool main_link = false;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "%s hook", driver);
	snprintf(main_path, sizeof(main_path), STATUS_HOOKS_DIR "/%s", driver);
	snprintf(d_path, sizeof(d_path), STATUS_HOOKS_DIR "/%s.d/libvirt-sriov-hooks", driver);
	snprintf(fix, sizeof(fix),
		 "install the hooks: sudo ./install/setup.sh, or "
		 "install/install.sh after a build");

	if (fstatat(root, main_path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			main_link = is_ours(root, main_path) > 0;
		else if (S_ISREG(st.st_mode) && is_ours(root, main_path) > 0)
			path = main_path;
	}
	if (!path && fstatat(root, d_path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			check_set(ret, CHECK_FAIL, fix,
				  "/%s is a symbolic link: AppArmor checks the resolved path, so "
				  "libvirt may not run it; install a real file",
				  d_path);
			return;
		}
		if (S_ISREG(st.st_mode) && is_ours(root, d_path) > 0)
			path = d_path;
	}
	if (!path && main_link) {
		check_set(
		    ret, CHECK_FAIL, fix,
		    "/%s is a symbolic link to our hook: AppArmor checks the resolved path, so "
		    "libvirt may not run it; install a real file",
		    main_path);
		return;
	}
	if (!path) {
		check_set(ret, CHECK_FAIL, fix, "no hook of ours at /%s or /%s", main_path, d_path);
		return;
	}
	if ((st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != (S_IXUSR | S_IXGRP | S_IXOTH)) {
		snprintf(fix, sizeof(fix), "chmod 0755 /%s", path);
		check_set(ret, CHECK_FAIL, fix,
			  "/%s is not executable: libvirt skips hooks without the execute bit",
			  path);
		return;
	}
	check_set(ret, CHECK_PASS, NULL, "/%s, an executable file", path);
	if (ret_installed)
		*ret_installed = st.st_mtime > st.st_ctime ? st.st_mtime : st.st_ctime;
}

static int read_btime(int root, time_t *ret)
{
	_cleanup_free_ char *text = NULL;
	const char *p;
	long long t;
	int r = read_file_at(root, "proc/stat", 1u << 20, &text, NULL);

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
	r = read_file_at(root, path, 4096, &text, NULL);
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
		if (read_file_at(root, path, 64, &comm, NULL) < 0)
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

static void format_time(time_t t, char *buf, size_t n)
{
	struct tm tm;

	if (!localtime_r(&t, &tm) || strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, n, "@%lld", (long long)t);
}

void status_check_daemons(const struct status_daemon *d, size_t n, const char *driver,
			  time_t installed, struct check *ret)
{
	/* The daemon that runs a driver's hooks: libvirtd (monolithic) or the driver's own. */
	const char *own = strcmp(driver, "network") == 0 ? "virtnetworkd" : "virtqemud";
	char seen[256] = "", t1[32], t2[32], fix[256];
	size_t used = 0;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "%s hook active", driver);
	if (installed == 0) {
		check_set(ret, CHECK_WARN, "install the hooks first (see the check above)",
			  "no %s hook of ours installed, so no daemon can run it", driver);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(d[i].name, "libvirtd") != 0 && strcmp(d[i].name, own) != 0)
			continue;
		if (d[i].started < installed) {
			format_time(d[i].started, t1, sizeof(t1));
			format_time(installed, t2, sizeof(t2));
			snprintf(fix, sizeof(fix),
				 "systemctl reload %s (guests and networks keep "
				 "running); install/install.sh --replay also re-applies the policy "
				 "to running guests",
				 d[i].name);
			check_set(
			    ret, CHECK_FAIL, fix,
			    "%s (pid %d) started at %s, before the hook was installed at %s: "
			    "libvirt notices a driver's first hook only when the daemon starts "
			    "or reloads",
			    d[i].name, d[i].pid, t1, t2);
			return;
		}
		used += (size_t)snprintf(seen + used, sizeof(seen) - used, "%s%s (pid %d)",
					 used ? ", " : "", d[i].name, d[i].pid);
		if (used >= sizeof(seen))
			used = sizeof(seen) - 1;
	}
	if (!used) {
		check_set(
		    ret, CHECK_WARN,
		    "start libvirt (systemctl start libvirtd, or the virtqemud and virtnetworkd "
		    "sockets); it reads the hooks when it starts",
		    "neither libvirtd nor %s is running", own);
		return;
	}
	check_set(ret, CHECK_PASS, NULL, "%s started after the hook was installed", seen);
}

void status_check_apparmor(int root, int sysfs, struct check *ret)
{
	static const char *const profiles[] = {"usr.sbin.libvirtd", "usr.sbin.virtqemud"};
	_cleanup_free_ char *enabled = NULL;
	char checked[128] = "";
	size_t used = 0;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "AppArmor");
	if (read_file_at(sysfs, "module/apparmor/parameters/enabled", 16, &enabled, NULL) < 0 ||
	    enabled[0] != 'Y') {
		check_set(ret, CHECK_PASS, NULL, "AppArmor is not enabled");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(profiles); i++) {
		_cleanup_free_ char *main_text = NULL, *local_text = NULL;
		char path[128], fix[512];

		snprintf(path, sizeof(path), "etc/apparmor.d/%s", profiles[i]);
		if (read_file_at(root, path, 1u << 20, &main_text, NULL) < 0)
			continue; /* no profile for this daemon: it runs unconfined */
		snprintf(path, sizeof(path), "etc/apparmor.d/local/%s", profiles[i]);
		if (read_file_at(root, path, 1u << 20, &local_text, NULL) < 0)
			local_text = NULL;
		if (strstr(main_text, "/etc/libvirt/hooks/") ||
		    (local_text && strstr(local_text, "/etc/libvirt/hooks/"))) {
			used += (size_t)snprintf(checked + used, sizeof(checked) - used, "%s%s",
						 used ? ", " : "", profiles[i]);
			if (used >= sizeof(checked))
				used = sizeof(checked) - 1;
			continue;
		}
		snprintf(fix, sizeof(fix),
			 "add the line '/etc/libvirt/hooks/** rmix,' to /etc/apparmor.d/local/%s, "
			 "then apparmor_parser -r /etc/apparmor.d/%s",
			 profiles[i], profiles[i]);
		check_set(ret, CHECK_FAIL, fix,
			  "the AppArmor profile /etc/apparmor.d/%s has no rule for "
			  "/etc/libvirt/hooks/: the daemon cannot run the hooks",
			  profiles[i]);
		return;
	}
	if (used)
		check_set(ret, CHECK_PASS, NULL, "enabled; %s allow /etc/libvirt/hooks/**",
			  checked);
	else
		check_set(ret, CHECK_PASS, NULL, "enabled; no libvirt profile confines the hooks");
}

/* "network pool1", or for VFs given directly (network NULL or ""), "direct VFs". */
static const char *scope(const char *network, char *buf, size_t n)
{
	if (!network || !*network)
		return "direct VFs";
	snprintf(buf, n, "network %.100s", network);
	return buf;
}

void status_check_pf_link(const char *network, const struct status_pf *pf, struct check *ret)
{
	char fix[256], sc[128];

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "PF %s link (%s)", pf->ifname,
		 scope(network, sc, sizeof(sc)));
	snprintf(fix, sizeof(fix),
		 "ip link set %s up, and bring it up at boot (ifupdown, "
		 "systemd-networkd or NetworkManager)",
		 pf->ifname);
	if (pf->link_up > 0)
		check_set(ret, CHECK_PASS, NULL, "%s is up", pf->ifname);
	else if (pf->link_up == 0)
		check_set(ret, CHECK_FAIL, fix,
			  "%s is down: libvirt refuses to give out its VFs (\"the PF is not "
			  "online\")",
			  pf->ifname);
	else
		check_set(ret, CHECK_WARN, fix, "cannot read the state of %s", pf->ifname);
}

void status_check_driver_support(const char *network, const struct status_pf *pf,
				 const struct status_vf_live *live, size_t n,
				 const struct vf_settings *want, struct check *ret)
{
	char missing[128] = "", wanted[128] = "", fix[512], sc[128];
	size_t used = 0, wused = 0, known = 0;
	bool bad[_VF_ATTR_MAX] = {false};
	const char *drv = pf->driver[0] ? pf->driver : "unknown";

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "driver support (PF %s, %s)", pf->ifname,
		 scope(network, sc, sizeof(sc)));
	for (size_t i = 0; i < n; i++) {
		if (!live[i].known)
			continue;
		known++;
		for (int a = 0; a < _VF_ATTR_MAX; a++)
			if (want->v[a] != VF_UNSET && live[i].cur.v[a] == VF_UNSUPPORTED)
				bad[a] = true;
	}
	for (int a = 0; a < _VF_ATTR_MAX; a++) {
		if (want->v[a] == VF_UNSET)
			continue;
		wused += (size_t)snprintf(wanted + wused, sizeof(wanted) - wused, "%s%s",
					  wused ? ", " : "", vf_attr_name((enum vf_attr)a));
		if (wused >= sizeof(wanted))
			wused = sizeof(wanted) - 1;
		if (!bad[a])
			continue;
		used += (size_t)snprintf(missing + used, sizeof(missing) - used, "%s%s",
					 used ? ", " : "", vf_attr_name((enum vf_attr)a));
		if (used >= sizeof(missing))
			used = sizeof(missing) - 1;
	}
	if (used) {
		if (network && *network)
			snprintf(fix, sizeof(fix),
				 "set those attributes to 'keep' in the pool's <metadata> (virsh "
				 "net-edit %s), or update the %s driver or the NIC's firmware",
				 network, drv);
		else
			snprintf(
			    fix, sizeof(fix),
			    "set those attributes to 'keep' in the [pf %s] section of the host "
			    "file, or update the %s driver or the NIC's firmware",
			    pf->ifname, drv);
		check_set(ret, CHECK_FAIL, fix,
			  "the %s driver of %s reports no %s (the kernel's -1): the policy cannot "
			  "be applied",
			  drv, pf->ifname, missing);
		return;
	}
	if (!wused) {
		check_set(ret, CHECK_PASS, NULL, "the policy sets no VF attribute");
		return;
	}
	if (n == 0) {
		check_set(ret, CHECK_WARN, "start the network (virsh net-start) so its VFs exist",
			  "%s has no VFs to ask", pf->ifname);
		return;
	}
	if (known == 0) {
		check_set(ret, CHECK_WARN, "run as root, on the host that has the NIC",
			  "cannot read the VFs of %s over netlink", pf->ifname);
		return;
	}
	check_set(ret, CHECK_PASS, NULL, "the %s driver reports %s", drv, wanted);
}

void status_check_numvfs(const char *network, bool active, const struct status_pf *pf,
			 int64_t policy_vfs, struct check *ret)
{
	char a[PCI_ADDR_STRLEN], fix[512], sc[128];
	uint32_t want = 0;
	int action;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "VF count (PF %s, %s)", pf->ifname,
		 scope(network, sc, sizeof(sc)));
	pci_addr_format(&pf->addr, a);
	if (pf->totalvfs < 0 || pf->numvfs < 0) {
		check_set(ret, CHECK_FAIL,
			  "enable SR-IOV in the firmware or the driver, or name "
			  "another NIC in <pf dev>",
			  "%s (%s) is not SR-IOV capable (no sriov_totalvfs)", pf->ifname, a);
		return;
	}
	action = plan_numvfs((uint32_t)pf->numvfs, (uint32_t)pf->totalvfs, policy_vfs, &want);
	if (action == -ERANGE) {
		snprintf(fix, sizeof(fix),
			 "lower vfs= in the pool's <metadata> to at most %lld "
			 "(virsh net-edit %s)",
			 (long long)pf->totalvfs, network);
		check_set(ret, CHECK_FAIL, fix,
			  "the policy asks for %u VFs, %s supports at most %lld", want, pf->ifname,
			  (long long)pf->totalvfs);
		return;
	}
	if (action == NUMVFS_MISMATCH) {
		snprintf(fix, sizeof(fix),
			 "stop the guests using its VFs, then echo 0 > "
			 "/sys/bus/pci/devices/%s/sriov_numvfs; echo %u > "
			 "/sys/bus/pci/devices/%s/sriov_numvfs (or change vfs= in the policy)",
			 a, want, a);
		check_set(ret, CHECK_FAIL, fix,
			  "%s has %lld VFs, the policy asks for %u; the hook never changes a "
			  "non-zero count",
			  pf->ifname, (long long)pf->numvfs, want);
		return;
	}
	if (action == NUMVFS_WRITE && active) {
		snprintf(fix, sizeof(fix),
			 "restart the network once the hooks are active: virsh "
			 "net-destroy %s && virsh net-start %s",
			 network, network);
		check_set(ret, CHECK_FAIL, fix,
			  "the network is active but %s has no VFs: the hook did not run when it "
			  "started",
			  pf->ifname);
		return;
	}
	if (action == NUMVFS_WRITE) {
		check_set(ret, CHECK_PASS, NULL,
			  "%s has no VFs yet; the hook activates %u at "
			  "net-start",
			  pf->ifname, want);
		return;
	}
	check_set(ret, CHECK_PASS, NULL, "%lld of %lld VFs", (long long)pf->numvfs,
		  (long long)pf->totalvfs);
}
