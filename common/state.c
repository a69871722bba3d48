/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "policy.h"
#include "state.h"

#define RECORD_MAX 4096

static int mkdirat_p(int dirfd, const char *name)
{
	if (mkdirat(dirfd, name, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int state_open(const char *dir, bool create, int *ret_fd)
{
	_cleanup_close_ int fd = -EBADF;
	int r;

	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (create) {
		if ((r = mkdirat_p(fd, "vf")) < 0 || (r = mkdirat_p(fd, "lock")) < 0)
			return r;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int state_lock_pf(int dirfd, const struct pci_addr *pf, int timeout_ms, int *ret_lock_fd)
{
	char path[32], a[PCI_ADDR_STRLEN];
	_cleanup_close_ int fd = -EBADF;
	struct timespec now, end;

	snprintf(path, sizeof(path), "lock/%s", pci_addr_format(pf, a));
	fd = openat_beneath(dirfd, path, O_RDWR | O_CREAT, 0600);
	if (fd < 0)
		return fd;
	/* libvirt waits for us without a timeout, holding its own locks: never wait unbounded. By
	 * the clock, not by counting sleeps, which a loaded machine stretches. */
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec || (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
			return -ETIMEDOUT;
		nanosleep(&(struct timespec){.tv_nsec = 5 * 1000000L}, NULL);
	}
	*ret_lock_fd = TAKE_FD(fd);
	return 0;
}

int state_lock_holder(int dirfd, const struct pci_addr *pf, char *ret, size_t n)
{
	_cleanup_free_ char *locks = NULL, *cmd = NULL;
	_cleanup_close_ int fd = -EBADF;
	char path[64], a[PCI_ADDR_STRLEN];
	struct stat st;
	size_t len;
	int r;

	/* The kernel's table of locks names the holder's PID (nothing is written to take the
	 * lock, so a replay leaves the state directory as it was). */
	snprintf(path, sizeof(path), "lock/%s", pci_addr_format(pf, a));
	fd = openat_beneath(dirfd, path, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		return -errno;
	r = read_full_file_at(AT_FDCWD, "/proc/locks", 1u << 20, 0, &locks, NULL);
	if (r < 0)
		return r;
	for (char *line = locks, *next; line && *line; line = next) {
		unsigned maj, min;
		unsigned long long ino;
		int pid;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* "1: FLOCK  ADVISORY  WRITE 4242 fd:01:1234567 0 EOF" */
		if (!strstr(line, "FLOCK") || strstr(line, "->") ||
		    sscanf(strstr(line, "WRITE") ?: "", "WRITE %d %x:%x:%llu", &pid, &maj, &min,
			   &ino) != 4 ||
		    ino != (unsigned long long)st.st_ino || maj != major(st.st_dev) ||
		    min != minor(st.st_dev))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
		if (read_full_file_at(AT_FDCWD, path, 4096, 0, &cmd, &len) < 0 || len == 0) {
			snprintf(ret, n, "pid %d", pid);
			return 0;
		}
		for (size_t i = 0; i + 1 < len; i++)
			if (!cmd[i])
				cmd[i] = ' ';
		snprintf(ret, n, "pid %d: %s", pid, cmd);
		text_one_line(ret, ret, n);
		return 0;
	}
	return -ENODATA;
}

static void record_path(char *buf, size_t n, const struct pci_addr *vf)
{
	char a[PCI_ADDR_STRLEN];

	snprintf(buf, n, "vf/%s", pci_addr_format(vf, a));
}

int state_format(const struct vf_record *rec, char *buf, size_t n)
{
	char vf[PCI_ADDR_STRLEN], pf[PCI_ADDR_STRLEN], net[STATE_NAME_MAX], owner[STATE_NAME_MAX];
	size_t used;
	int k;

	/* Names are for people (the UUIDs are the keys): one line each, whatever libvirt allowed. */
	k = snprintf(buf, n,
		     "version=1\nvf=%s\npf=%s\npf-ifname=%s\nindex=%u\nnetwork=%s\nnetwork-uuid=%s\n"
		     "port=%s\nowner-name=%s\nowner-uuid=%s\n",
		     pci_addr_format(&rec->vf, vf), pci_addr_format(&rec->pf, pf), rec->pf_ifname,
		     rec->index, text_one_line(rec->network, net, sizeof(net)), rec->network_uuid,
		     rec->port_uuid, text_one_line(rec->owner_name, owner, sizeof(owner)),
		     rec->owner_uuid);
	if (k < 0 || (size_t)k >= n)
		return -ENOBUFS;
	used = (size_t)k;
	for (int a = 0; a < _VF_ATTR_MAX; a++) {
		if (rec->orig.v[a] == VF_UNSET)
			continue;
		k = snprintf(buf + used, n - used, "orig.%s=%lld\n", vf_attr_name((enum vf_attr)a),
			     (long long)rec->orig.v[a]);
		if (k < 0 || (size_t)k >= n - used)
			return -ENOBUFS;
		used += (size_t)k;
	}
	for (int a = 0; a < _VF_ATTR_MAX; a++) {
		if (rec->want.v[a] == VF_UNSET)
			continue;
		k = snprintf(buf + used, n - used, "want.%s=%lld\n", vf_attr_name((enum vf_attr)a),
			     (long long)rec->want.v[a]);
		if (k < 0 || (size_t)k >= n - used)
			return -ENOBUFS;
		used += (size_t)k;
	}
	k = snprintf(buf + used, n - used, "on-error=%s\n",
		     on_error_to_string(rec->on_error) ?: "warn");
	if (k < 0 || (size_t)k >= n - used)
		return -ENOBUFS;
	used += (size_t)k;
	return (int)used;
}

static int copy_field(char *dst, size_t n, const char *value)
{
	if (strlen(value) >= n)
		return -EBADMSG;
	strcpy(dst, value);
	return 0;
}

int state_parse(const char *text, struct vf_record *ret)
{
	struct vf_record rec = {0};
	bool have_version = false, have_vf = false, have_pf = false;
	const char *line = text;
	uint32_t u;

	vf_settings_init(&rec.orig);
	vf_settings_init(&rec.want);
	while (*line) {
		const char *end = strchr(line, '\n');
		char buf[512], *eq, *key, *value;
		size_t len;
		int r = 0;

		if (!end)
			return -EBADMSG; /* a record always ends with a newline: this one is torn */
		len = (size_t)(end - line);
		if (len >= sizeof(buf))
			return -EBADMSG;
		memcpy(buf, line, len);
		buf[len] = '\0';
		line = end + 1;
		eq = strchr(buf, '=');
		if (!eq)
			return -EBADMSG;
		*eq = '\0';
		key = buf;
		value = eq + 1;

		if (strcmp(key, "version") == 0) {
			if (strcmp(value, "1") != 0)
				return -EPROTONOSUPPORT;
			have_version = true;
		} else if (strcmp(key, "vf") == 0) {
			r = pci_addr_parse(value, &rec.vf);
			have_vf = true;
		} else if (strcmp(key, "pf") == 0) {
			r = pci_addr_parse(value, &rec.pf);
			have_pf = true;
		} else if (strcmp(key, "pf-ifname") == 0) {
			r = copy_field(rec.pf_ifname, sizeof(rec.pf_ifname), value);
		} else if (strcmp(key, "index") == 0) {
			r = parse_u32(value, &u);
			rec.index = u;
		} else if (strcmp(key, "network") == 0) {
			r = copy_field(rec.network, sizeof(rec.network), value);
		} else if (strcmp(key, "network-uuid") == 0) {
			r = copy_field(rec.network_uuid, sizeof(rec.network_uuid), value);
		} else if (strcmp(key, "port") == 0) {
			r = copy_field(rec.port_uuid, sizeof(rec.port_uuid), value);
		} else if (strcmp(key, "owner-name") == 0) {
			r = copy_field(rec.owner_name, sizeof(rec.owner_name), value);
		} else if (strcmp(key, "owner-uuid") == 0) {
			r = copy_field(rec.owner_uuid, sizeof(rec.owner_uuid), value);
		} else if (strncmp(key, "orig.", 5) == 0) {
			enum vf_attr a = vf_attr_from_name(key + 5);

			if (a < 0)
				return -EBADMSG;
			r = vf_attr_parse_raw(a, value, &rec.orig.v[a]);
		} else if (strncmp(key, "want.", 5) == 0) {
			enum vf_attr a = vf_attr_from_name(key + 5);

			if (a < 0)
				return -EBADMSG;
			r = vf_attr_parse_raw(a, value, &rec.want.v[a]);
		} else if (strcmp(key, "on-error") == 0) {
			rec.on_error = on_error_from_string(value);
			r = rec.on_error < 0 ? -EINVAL : 0;
		} else {
			return -EBADMSG;
		}
		if (r < 0)
			return -EBADMSG;
	}
	if (!have_version || !have_vf || !have_pf)
		return -EBADMSG;
	*ret = rec;
	return 0;
}

static int read_record(int dirfd, const char *path, struct vf_record *ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t n;
	int r;

	r = read_full_file_at(dirfd, path, RECORD_MAX, O_NOFOLLOW, &buf, &n);
	if (r == -EFBIG)
		return -EBADMSG;
	if (r < 0)
		return r;
	if (strlen(buf) != n)
		return -EBADMSG;
	return state_parse(buf, ret);
}

int state_load(int dirfd, const struct pci_addr *vf, struct vf_record *ret)
{
	char path[32];
	struct vf_record rec;
	int r;

	record_path(path, sizeof(path), vf);
	r = read_record(dirfd, path, &rec);
	if (r < 0)
		return r;
	if (!pci_addr_equal(&rec.vf, vf))
		return -EBADMSG;
	*ret = rec;
	return 0;
}

int state_save(int dirfd, const struct vf_record *rec)
{
	char path[32], buf[RECORD_MAX];
	int len;

	len = state_format(rec, buf, sizeof(buf));
	if (len < 0)
		return len;
	record_path(path, sizeof(path), &rec->vf);
	return write_file_atomic_at(dirfd, path, buf, (size_t)len);
}

int state_remove(int dirfd, const struct pci_addr *vf)
{
	char path[32];

	record_path(path, sizeof(path), vf);
	if (unlinkat(dirfd, path, 0) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

static int record_cmp(const void *x, const void *y)
{
	const struct pci_addr *a = &((const struct vf_record *)x)->vf;
	const struct pci_addr *b = &((const struct vf_record *)y)->vf;

	if (a->domain != b->domain)
		return a->domain < b->domain ? -1 : 1;
	if (a->bus != b->bus)
		return a->bus - b->bus;
	if (a->slot != b->slot)
		return a->slot - b->slot;
	return a->function - b->function;
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *grown;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 8;
	grown = realloc(*p, *cap * size);
	if (!grown)
		return -ENOMEM;
	*p = grown;
	return 0;
}

int state_list_full(int dirfd, struct vf_record **ret, struct pci_addr **ret_bad,
		    size_t *ret_n_bad)
{
	_cleanup_(closedirp) DIR *d = NULL;
	_cleanup_free_ struct vf_record *list = NULL;
	_cleanup_free_ struct pci_addr *bad = NULL;
	size_t n = 0, cap = 0, n_bad = 0, cap_bad = 0;
	struct dirent *de;
	int r;

	r = opendir_at(dirfd, "vf", O_NOFOLLOW, &d);
	if (r < 0 && r != -ENOENT)
		return r;
	while (d && (de = readdir(d))) {
		struct pci_addr a;
		char path[300];

		/* Only finished records: names that are exactly a PCI address. */
		if (pci_addr_parse(de->d_name, &a) < 0)
			continue;
		if (grow((void **)&list, &cap, n, sizeof(*list)) < 0)
			return -ENOMEM;
		snprintf(path, sizeof(path), "vf/%s", de->d_name);
		if (read_record(dirfd, path, &list[n]) >= 0 && pci_addr_equal(&list[n].vf, &a)) {
			n++;
			continue;
		}
		/* unusable: never acted upon, but named to the caller */
		if (grow((void **)&bad, &cap_bad, n_bad, sizeof(*bad)) < 0)
			return -ENOMEM;
		bad[n_bad++] = a;
	}
	/* readdir order depends on the filesystem: restore (and log) in VF address order. */
	if (n > 1)
		qsort(list, n, sizeof(*list), record_cmp);
	*ret = TAKE_PTR(list);
	if (ret_bad) {
		*ret_bad = TAKE_PTR(bad);
		*ret_n_bad = n_bad;
	}
	return (int)n;
}

int state_list(int dirfd, struct vf_record **ret)
{
	return state_list_full(dirfd, ret, NULL, NULL);
}
