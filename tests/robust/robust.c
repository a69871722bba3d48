/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "robust.h"

static struct shared {
	struct {
		char pattern[PATH_MAX];
		int err;
		unsigned hits;
	} f[_ROBUST_OP_MAX];
	char count_pattern[PATH_MAX];
	unsigned counted;
} *sh;

void robust_init(void)
{
	if (!sh) {
		sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
			  0);
		if (sh == MAP_FAILED)
			abort();
	}
	memset(sh, 0, sizeof(*sh));
}

void robust_fault(enum robust_op op, const char *pattern, int err)
{
	snprintf(sh->f[op].pattern, sizeof(sh->f[op].pattern), "%s", pattern ?: "");
	sh->f[op].err = err;
	sh->f[op].hits = 0;
}

void robust_clear(void)
{
	for (int i = 0; i < _ROBUST_OP_MAX; i++)
		robust_fault((enum robust_op)i, NULL, 0);
}

unsigned robust_hits(enum robust_op op)
{
	return __atomic_load_n(&sh->f[op].hits, __ATOMIC_SEQ_CST);
}

void robust_count(const char *pattern)
{
	snprintf(sh->count_pattern, sizeof(sh->count_pattern), "%s", pattern ?: "");
	sh->counted = 0;
}

unsigned robust_counted(void)
{
	return __atomic_load_n(&sh->counted, __ATOMIC_SEQ_CST);
}

static void fd_path(int fd, char *buf, size_t n)
{
	char link[64];
	ssize_t l;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	l = readlink(link, buf, n - 1);
	buf[l < 0 ? 0 : l] = '\0';
}

static void at_path(int dirfd, const char *path, char *buf, size_t n)
{
	char dir[PATH_MAX];
	size_t l;

	if (path[0] == '/' || dirfd == AT_FDCWD) {
		snprintf(buf, n, "%s", path);
		return;
	}
	fd_path(dirfd, dir, sizeof(dir));
	l = strlen(dir);
	snprintf(buf, n, "%.*s/", (int)(l < n - 1 ? l : n - 1), dir);
	l = strlen(buf);
	snprintf(buf + l, n - l, "%s", path);
}

/* Whether the fault for op applies to path; it then fails the call (or kills). */
static bool hit(enum robust_op op, const char *path)
{
	if (!sh || !sh->f[op].pattern[0] || !strstr(path, sh->f[op].pattern))
		return false;
	__atomic_add_fetch(&sh->f[op].hits, 1, __ATOMIC_SEQ_CST);
	if (sh->f[op].err == ROBUST_KILL)
		raise(SIGKILL);
	errno = sh->f[op].err;
	return true;
}

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	char path[PATH_MAX];
	ssize_t r;

	if (!sh)
		return __real_write(fd, buf, n);
	fd_path(fd, path, sizeof(path));
	if (hit(ROBUST_WRITE, path))
		return -1;
	r = __real_write(fd, buf, n);
	if (r > 0 && sh->count_pattern[0] && strstr(path, sh->count_pattern))
		__atomic_add_fetch(&sh->counted, 1, __ATOMIC_SEQ_CST);
	return r;
}

int __wrap_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	char path[PATH_MAX];

	if (sh) {
		at_path(newdirfd, newpath, path, sizeof(path));
		if (hit(ROBUST_RENAME, path))
			return -1;
	}
	return __real_renameat(olddirfd, oldpath, newdirfd, newpath);
}

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	char full[PATH_MAX];
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (sh && (flags & O_CREAT)) {
		at_path(dirfd, path, full, sizeof(full));
		if (hit(ROBUST_OPEN_CREAT, full))
			return -1;
	}
	return __real_openat(dirfd, path, flags, mode);
}

int robust_no_stdout(int (*f)(void *), void *arg, size_t *ret_stdout_bytes)
{
	char tmpl[] = "/tmp/robust-stdout-XXXXXX";
	int tmp, saved, r;
	struct stat st;

	fflush(stdout);
	tmp = mkstemp(tmpl);
	saved = dup(STDOUT_FILENO);
	if (tmp < 0 || saved < 0 || dup2(tmp, STDOUT_FILENO) < 0)
		abort();
	unlink(tmpl);
	r = f(arg);
	fflush(stdout);
	if (dup2(saved, STDOUT_FILENO) < 0 || fstat(tmp, &st) < 0)
		abort();
	close(saved);
	close(tmp);
	*ret_stdout_bytes = (size_t)st.st_size;
	return r;
}
