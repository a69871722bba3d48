/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * make check's side of the fuzzing: every fuzz target is run once on each of its seeds (the golden
 * documents included) and on each input under tests/fuzz/regressions/TARGET/, the crashes found so
 * far. Under --enable-sanitizers or valgrind this is the regression test for each of them; the
 * targets' own checks (fuzz.h) abort on a broken promise. With arguments: TARGET FILE... replays
 * those files only (to check a fresh crash file before keeping it).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "fuzz.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif
#define FUZZ_SRC TEST_DATA_DIR "/../fuzz"

static const struct {
	const char *name;
	int (*fn)(const uint8_t *, size_t);
	const char *seeds; /* besides FUZZ_SRC/seeds/NAME */
} targets[] = {
	{"netxml", fuzz_netxml, TEST_DATA_DIR "/network"},
	{"domxml", fuzz_domxml, TEST_DATA_DIR "/qemu"},
	{"policy", fuzz_policy, NULL},
	{"conf", fuzz_conf, NULL},
	{"args", fuzz_args, NULL},
	{"state", fuzz_state, NULL},
};

static int replay_file(int (*fn)(const uint8_t *, size_t), const char *path)
{
	FILE *f = fopen(path, "re");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (cap - len < 65536) {
			uint8_t *grown = realloc(buf, cap + 65536);

			if (!grown)
				abort();
			buf = grown;
			cap += 65536;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	/* an exact-size copy, so ASan sees any read past the input */
	{
		uint8_t *exact = malloc(len ? len : 1);

		if (!exact)
			abort();
		memcpy(exact, buf, len);
		fn(exact, len);
		free(exact);
	}
	free(buf);
	return 0;
}

/* Every regular file of dir (missing dir: 0). Returns the count replayed, -1 on error. */
static int replay_dir(int (*fn)(const uint8_t *, size_t), const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d))) {
		char path[4096];
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		if (suffix && (l < strlen(suffix) || strcmp(de->d_name + l - strlen(suffix), suffix)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (replay_file(fn, path) < 0) {
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	int fails = 0;

	if (argc > 2) {
		for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
			if (strcmp(argv[1], targets[i].name) == 0) {
				for (int k = 2; k < argc; k++)
					fails += replay_file(targets[i].fn, argv[k]) < 0;
				xmlCleanupParser();
				return fails ? 1 : 0;
			}
		fprintf(stderr, "usage: %s [TARGET FILE...]\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char dir[4096];
		int s, r, g = 0;

		snprintf(dir, sizeof(dir), FUZZ_SRC "/seeds/%s", targets[i].name);
		s = replay_dir(targets[i].fn, dir, NULL);
		if (targets[i].seeds)
			g = replay_dir(targets[i].fn, targets[i].seeds, ".xml");
		snprintf(dir, sizeof(dir), FUZZ_SRC "/regressions/%s", targets[i].name);
		r = replay_dir(targets[i].fn, dir, NULL);
		if (s < 0 || g < 0 || r < 0) {
			printf("not ok %zu - %s: cannot read its inputs\n", i + 1, targets[i].name);
			fails++;
			continue;
		}
		if (s + g == 0) {
			printf("not ok %zu - %s: no seeds found under %s\n", i + 1, targets[i].name,
			       FUZZ_SRC);
			fails++;
			continue;
		}
		printf("ok %zu - %s: %d seeds, %d regressions\n", i + 1, targets[i].name, s + g, r);
	}
	printf("1..%zu\n", sizeof(targets) / sizeof(targets[0]));
	xmlCleanupParser();
	return fails ? 1 : 0;
}
