/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A repeated-run harness: run a command N times (after W warm-up runs) with stdin from a file and
 * stdout/stderr to /dev/null, and print the median and mean wall time and the peak RSS (wait4's
 * ru_maxrss) on one line:  NAME median_us mean_us maxrss_kib failures
 *
 *   runbench NAME RUNS WARMUP STDIN-FILE -- COMMAND [ARGS...]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int run_once(const char *in, char **argv, double *us, long *rss)
{
	struct rusage ru;
	double t0 = now_us();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open(in, O_RDONLY), null = open("/dev/null", O_WRONLY);

		if (fd < 0 || null < 0)
			_exit(126);
		dup2(fd, 0);
		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return -errno;
	*us = now_us() - t0;
	*rss = ru.ru_maxrss;
	return WIFEXITED(status) && WEXITSTATUS(status) < 126 ? 0 : -1;
}

int main(int argc, char **argv)
{
	int runs, warmup, failures = 0;
	double *t, sum = 0;
	long maxrss = 0;

	if (argc < 7 || strcmp(argv[5], "--") != 0) {
		fprintf(stderr, "usage: runbench NAME RUNS WARMUP STDIN-FILE -- COMMAND [ARGS...]\n");
		return 2;
	}
	runs = atoi(argv[2]);
	warmup = atoi(argv[3]);
	if (runs <= 0 || warmup < 0)
		return 2;
	t = calloc((size_t)runs, sizeof(*t));
	if (!t)
		return 1;
	for (int i = 0; i < warmup + runs; i++) {
		double us = 0;
		long rss = 0;

		if (run_once(argv[4], argv + 6, &us, &rss) < 0)
			failures++;
		if (i < warmup)
			continue;
		t[i - warmup] = us;
		sum += us;
		if (rss > maxrss)
			maxrss = rss;
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	printf("%s %.0f %.0f %ld %d\n", argv[1], t[runs / 2], sum / runs, maxrss, failures);
	free(t);
	return failures ? 1 : 0;
}
