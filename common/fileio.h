/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <dirent.h>
#include <stddef.h>
#include <sys/types.h>

#include "macro.h"

DEFINE_CLEANUP_FUNC(DIR *, closedir)

/*
 * Files the hooks own (the state directory, the host file): opened relative to a directory fd,
 * never through a symbolic link in any component, never blocking on a FIFO, and read only when
 * they are regular files. Never logs; returns 0 (or an fd) or -errno.
 */

/* openat(), but every component of a relative `path` ("lock/0000:01:00.0") is opened without
 * following a symbolic link (-ELOOP, or -ENOTDIR for a directory component that is a link); of an
 * absolute path (the host file), the last component. */
int openat_beneath(int dirfd, const char *path, int flags, mode_t mode);

/* The whole of a file, NUL-terminated, at most `max` bytes (-EFBIG beyond). open_flags
 * O_NOFOLLOW, for files we own: opened as openat_beneath() does, and only a regular file is read
 * (-ELOOP for a symbolic link, -EISDIR for a directory, -EBADFD for a FIFO or a device). 0, for
 * sysfs and /proc: links followed, any file read. */
int read_full_file_at(int dirfd, const char *path, size_t max, int open_flags, char **ret,
		      size_t *ret_len);

/* Write `path` atomically: a temporary file beside it ("PATH.tmp.PID"), fsync, rename. A crash
 * leaves the old file or the new one, never a mix; the temporary file is removed on failure, and
 * those of earlier writers of `path` that were killed are removed first. Writers of one path
 * must be serialised by the caller. */
int write_file_atomic_at(int dirfd, const char *path, const char *buf, size_t len);

/* A directory stream of dirfd/path; open_flags adds O_NOFOLLOW for directories we own (sysfs
 * paths, full of links, pass 0). */
int opendir_at(int dirfd, const char *path, int open_flags, DIR **ret);
