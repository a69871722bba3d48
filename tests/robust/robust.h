/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Faults at libc's door, for the robustness tests. A test program links with
 *   -Wl,--wrap=write -Wl,--wrap=renameat -Wl,--wrap=openat
 * so that the calls made by common/ (state.c, sysfs.c) land here first; calls from libc itself,
 * libxml2, libnl and cmocka do not (--wrap only redirects references in the objects we link).
 * The fault table lives in shared memory, so it holds in forked children too. This build
 * defines no _FILE_OFFSET_BITS, so openat is not renamed openat64 (style.md §1's caveat).
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum robust_op {
	ROBUST_WRITE,       /* write(2) to a file whose path contains the pattern */
	ROBUST_OPEN_CREAT,  /* openat(2) with O_CREAT of such a path */
	ROBUST_RENAME,      /* renameat(2) onto such a path */
	_ROBUST_OP_MAX,
};
/* As the errno of a fault: the process is killed (SIGKILL) instead of making the call. */
#define ROBUST_KILL (-1)

/* Map the shared table (once, before any fork) and clear it. */
void robust_init(void);
/* Fail `op` on paths containing `pattern` with `err` (an errno, or ROBUST_KILL); NULL clears. */
void robust_fault(enum robust_op op, const char *pattern, int err);
void robust_clear(void);
/* How many calls the fault hit, and how many successful writes went to paths containing
 * robust_count_pattern (set with robust_count). */
unsigned robust_hits(enum robust_op op);
void robust_count(const char *pattern);
unsigned robust_counted(void);

/* Run f(arg) with fd 1 pointing to a temp file; returns f's value and sets *ret_stdout_bytes to
 * what was written there (the hooks must never write to stdout). */
int robust_no_stdout(int (*f)(void *), void *arg, size_t *ret_stdout_bytes);

ssize_t __wrap_write(int fd, const void *buf, size_t n);
int __wrap_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
int __wrap_openat(int dirfd, const char *path, int flags, ...);
ssize_t __real_write(int fd, const void *buf, size_t n);
int __real_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
int __real_openat(int dirfd, const char *path, int flags, ...);
