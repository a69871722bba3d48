/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "util.h"

int openat_beneath(int dirfd, const char *path, int flags, mode_t mode)
{
	_cleanup_close_ int cur = -EBADF;
	const char *p = path;
	int fd;

	/* An absolute path (the host file) is the system's up to its last component. */
	if (path[0] == '/') {
		fd = openat(dirfd, path, flags | O_NOFOLLOW | O_CLOEXEC, mode);
		return fd < 0 ? -errno : fd;
	}
	for (const char *slash; (slash = strchr(p, '/')); p = slash + 1) {
		char comp[NAME_MAX + 1];
		size_t n = (size_t)(slash - p);

		if (n == 0 || n > NAME_MAX)
			return -EINVAL;
		memcpy(comp, p, n);
		comp[n] = '\0';
		fd = openat(cur >= 0 ? cur : dirfd, comp,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		closep(&cur);
		cur = fd;
	}
	fd = openat(cur >= 0 ? cur : dirfd, p, flags | O_NOFOLLOW | O_CLOEXEC, mode);
	return fd < 0 ? -errno : fd;
}

int read_full_file_at(int dirfd, const char *path, size_t max, int open_flags, char **ret,
		      size_t *ret_len)
{
	_cleanup_close_ int fd = -EBADF;
	struct stat st;

	if (!(open_flags & O_NOFOLLOW)) {
		fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return -errno;
		return read_full(fd, max, ret, ret_len);
	}
	/* O_NONBLOCK: a FIFO put in our place must not hold libvirt (and its locks) forever. */
	fd = openat_beneath(dirfd, path, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EBADFD;
	return read_full(fd, max, ret, ret_len);
}

/* Temporary files of earlier writers of `path` that were killed before their rename
 * ("PATH.tmp.PID", PID not ours): nobody else removes them. Writers of one path are serialised
 * (a PF's lock, libvirt's one-guest-at-a-time), so none of them is in use. */
static void remove_stale_tmp(int dirfd, const char *path)
{
	_cleanup_(closedirp) DIR *d = NULL;
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], prefix[NAME_MAX + 8], mine[NAME_MAX + 32];
	struct dirent *de;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	snprintf(prefix, sizeof(prefix), "%s.tmp.", slash ? slash + 1 : path);
	snprintf(mine, sizeof(mine), "%s%d", prefix, (int)getpid());
	if (opendir_at(dirfd, dir, O_NOFOLLOW, &d) < 0)
		return;
	while ((de = readdir(d))) {
		char victim[PATH_MAX];

		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0 ||
		    strspn(de->d_name + strlen(prefix), "0123456789") !=
			    strlen(de->d_name + strlen(prefix)) ||
		    strcmp(de->d_name, mine) == 0)
			continue;
		if ((size_t)snprintf(victim, sizeof(victim), "%s/%s", dir, de->d_name) <
		    sizeof(victim))
			unlinkat(dirfd, victim, 0);
	}
}

int write_file_atomic_at(int dirfd, const char *path, const char *buf, size_t len)
{
	_cleanup_close_ int fd = -EBADF;
	char tmp[PATH_MAX];
	ssize_t n;
	int r;

	remove_stale_tmp(dirfd, path);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = openat_beneath(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return fd;
	n = write(fd, buf, len);
	if (n < 0 || (size_t)n != len)
		r = n < 0 ? -errno : -ENOSPC;
	/* The rename is the commit: a crash before it leaves the old file as it was. */
	else if (fsync(fd) < 0 || renameat(dirfd, tmp, dirfd, path) < 0)
		r = -errno;
	else
		return 0;
	unlinkat(dirfd, tmp, 0);
	return r;
}

int opendir_at(int dirfd, const char *path, int open_flags, DIR **ret)
{
	_cleanup_close_ int fd = -EBADF;
	DIR *d;

	fd = open_flags & O_NOFOLLOW ? openat_beneath(dirfd, path, O_RDONLY | O_DIRECTORY, 0)
				     : openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return open_flags & O_NOFOLLOW ? fd : -errno;
	d = fdopendir(fd);
	if (!d)
		return -errno;
	fd = -EBADF; /* owned by d now */
	*ret = d;
	return 0;
}
