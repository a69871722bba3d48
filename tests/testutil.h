/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Shared by the unit tests: capturing what the hooks log, reading and writing small files, temp
 * directories, and a listing of a directory tree to prove that nothing was written.
 *
 * Include <stdarg.h>, <stddef.h>, <setjmp.h> and <cmocka.h> before this header (cmocka's rule).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Where tests create their trees: the build directory (never srcdir: distcheck makes it
 * read-only). */
#ifndef TEST_BUILD_DIR
#define TEST_BUILD_DIR "."
#endif
#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

/* Start capturing everything log.c would write to stderr (syslog off). */
void capture_start(void);
/* Stop and return what was captured (malloc'd, never NULL). */
char *capture_end(void);
/* Stop capturing and assert the text equals `expected` exactly. */
void capture_expect(const char *expected);

/* A fresh directory TEST_BUILD_DIR/<prefix>-XXXXXX (malloc'd path). */
char *test_mkdtemp(const char *prefix);
/* Remove a tree, unless SRIOV_TEST_KEEP=1 (then print where it is). */
void test_rm_rf(const char *path);

/* Whole file (malloc'd, NUL-terminated) or NULL with errno set. */
char *test_read_file(const char *path, size_t *ret_len);
int test_write_file(const char *path, const char *content);
bool test_exists(const char *path);

/*
 * One line per entry below `dir`, sorted: relative path, type, mode, mtime (ns), and the content of
 * regular files or the target of links. Two equal snapshots mean nothing was created, removed,
 * written or touched. malloc'd; "" for a missing directory.
 */
char *test_snapshot(const char *dir);

/* Set the mtime of a file (not following links) to a fixed past time, so any write shows. */
void test_age(const char *path);

/* sprintf into a malloc'd string; aborts on failure. */
/* Compare `actual` with the golden file at `path`; with REGENERATE=1 (or SRIOV_TEST_REGENERATE=1)
 * in the environment, write it there instead (then review the diff). */
void test_golden(const char *path, const char *actual);

char *test_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
