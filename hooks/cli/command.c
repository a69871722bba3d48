/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "macro.h"

extern char **environ;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int command_output(char *const argv[], int timeout_ms, size_t max, char **ret_out, int *ret_status)
{
	_cleanup_close_ int rd = -EBADF, wr = -EBADF;
	_cleanup_free_ char *buf = NULL;
	posix_spawn_file_actions_t fa;
	long long deadline = now_ms() + timeout_ms;
	size_t len = 0;
	bool killed = false;
	int fds[2], r, status;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	rd = fds[0];
	wr = fds[1];
	buf = malloc(max + 1);
	if (!buf)
		return -ENOMEM;
	r = posix_spawn_file_actions_init(&fa);
	if (r != 0)
		return -r;
	if ((r = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) != 0 ||
	    (r = posix_spawn_file_actions_adddup2(&fa, wr, 1)) != 0 ||
	    (r = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0)) != 0 ||
	    (r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -r;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(TAKE_FD(wr));

	for (;;) {
		struct pollfd p = {.fd = rd, .events = POLLIN};
		long long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = true;
			break;
		}
		r = poll(&p, 1, (int)left);
		if (r < 0 && errno != EINTR) {
			kill(pid, SIGKILL);
			killed = true;
			break;
		}
		if (r <= 0)
			continue;
		n = read(rd, buf + len, len < max ? max - len : 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < max)
			len += (size_t)n; /* beyond max: drained and dropped */
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	buf[len] = '\0';
	*ret_out = TAKE_PTR(buf);
	*ret_status = !killed && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return 0;
}
