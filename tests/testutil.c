/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "log.h"
#include "testutil.h"

static FILE *cap_stream;
static char *cap_buf;
static size_t cap_len;

void capture_start(void)
{
	assert_null(cap_stream);
	cap_stream = open_memstream(&cap_buf, &cap_len);
	assert_non_null(cap_stream);
	log_set_stream(cap_stream);
	log_set_syslog(false);
	log_set_debug(false);
}

char *capture_end(void)
{
	char *s;

	assert_non_null(cap_stream);
	log_set_stream(NULL);
	fclose(cap_stream);
	cap_stream = NULL;
	s = cap_buf ? cap_buf : strdup("");
	cap_buf = NULL;
	cap_len = 0;
	assert_non_null(s);
	return s;
}

void capture_expect(const char *expected)
{
	char *got = capture_end();

	assert_string_equal(got, expected);
	free(got);
}

char *test_strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		abort();
	return s;
}

char *test_mkdtemp(const char *prefix)
{
	char *path = test_strdup_printf("%s/%s-XXXXXX", TEST_BUILD_DIR, prefix);

	if (!mkdtemp(path)) {
		fprintf(stderr, "mkdtemp %s: %s\n", path, strerror(errno));
		abort();
	}
	return path;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type == FTW_DP)
		return rmdir(path) < 0 ? -1 : 0;
	return unlink(path) < 0 ? -1 : 0;
}

void test_rm_rf(const char *path)
{
	const char *keep = getenv("SRIOV_TEST_KEEP");

	if (!path)
		return;
	if (keep && strcmp(keep, "1") == 0) {
		fprintf(stderr, "# kept %s\n", path);
		return;
	}
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *test_read_file(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			char *grown = realloc(buf, cap + 65536);

			if (!grown)
				abort();
			buf = grown;
			cap += 65536;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	if (ret_len)
		*ret_len = len;
	return buf;
}

int test_write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "we");
	int r = 0;

	if (!f)
		return -errno;
	if (fputs(content, f) < 0)
		r = -EIO;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	return r;
}

bool test_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

void test_age(const char *path)
{
	const struct timespec t[2] = {{.tv_sec = 946684800}, {.tv_sec = 946684800}};

	assert_int_equal(utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW), 0);
}

/* nftw has no user pointer: the walk in progress. */
static struct {
	const char *root;
	char **lines;
	size_t n, cap;
} walk;

static int snap_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *rel = path + strlen(walk.root);
	char extra[512] = "";
	char *line;

	if (!*rel)
		return 0; /* the root itself: its mtime changes with any entry, which is covered */
	if (S_ISLNK(st->st_mode)) {
		ssize_t n = readlink(path, extra, sizeof(extra) - 1);

		extra[n < 0 ? 0 : n] = '\0';
	} else if (S_ISREG(st->st_mode)) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, extra, sizeof(extra) - 1);

		extra[n < 0 ? 0 : n] = '\0';
		if (fd >= 0)
			close(fd);
		for (char *p = extra; *p; p++)
			if (*p == '\n')
				*p = '|';
	}
	line = test_strdup_printf("%s %o %lld.%09ld %lld %s", rel, (unsigned)st->st_mode,
				  (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
				  (long long)st->st_size, extra);
	if (walk.n == walk.cap) {
		walk.cap = walk.cap ? walk.cap * 2 : 64;
		walk.lines = realloc(walk.lines, walk.cap * sizeof(*walk.lines));
		if (!walk.lines)
			abort();
	}
	walk.lines[walk.n++] = line;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *test_snapshot(const char *dir)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	walk.root = dir;
	walk.n = 0;
	if (nftw(dir, snap_one, 16, FTW_PHYS) < 0 && errno != ENOENT)
		abort();
	if (walk.n > 1)
		qsort(walk.lines, walk.n, sizeof(*walk.lines), cmp_str);
	f = open_memstream(&out, &len);
	if (!f)
		abort();
	for (size_t i = 0; i < walk.n; i++) {
		fprintf(f, "%s\n", walk.lines[i]);
		free(walk.lines[i]);
	}
	fclose(f);
	free(walk.lines);
	walk.lines = NULL;
	walk.n = walk.cap = 0;
	return out;
}

void test_golden(const char *path, const char *actual)
{
	const char *a = getenv("REGENERATE"), *b = getenv("SRIOV_TEST_REGENERATE");
	char *expected;

	if ((a && strcmp(a, "1") == 0) || (b && strcmp(b, "1") == 0)) {
		assert_int_equal(test_write_file(path, actual), 0);
		print_message("# wrote %s\n", path);
		return;
	}
	expected = test_read_file(path, NULL);
	if (!expected)
		fail_msg("%s: missing (REGENERATE=1 creates it)", path);
	assert_string_equal(actual, expected);
	free(expected);
}
