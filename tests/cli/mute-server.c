/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A libvirt daemon that is stuck: it listens on a unix socket, accepts every connection and never
 * answers (nor reads). For tests/cli/test-stuck-libvirt.sh.
 *
 *   mute-server SOCKET [SECONDS]   exits after SECONDS (default 60), or on SIGTERM
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, seconds = argc > 2 ? atoi(argv[2]) : 60;
	time_t end = time(NULL) + seconds;
	int held[64];
	size_t n = 0;

	if (argc < 2 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: %s SOCKET [SECONDS] (a path shorter than %zu)\n", argv[0],
			sizeof(sa.sun_path));
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		fprintf(stderr, "%s: cannot listen on %s: %s\n", argv[0], argv[1], strerror(errno));
		return 1;
	}
	while (time(NULL) < end) {
		struct pollfd p = {.fd = fd, .events = POLLIN};

		if (poll(&p, 1, 200) > 0) {
			int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

			/* held open, never read, never answered */
			if (c >= 0 && n < sizeof(held) / sizeof(held[0]))
				held[n++] = c;
			else if (c >= 0)
				close(c);
		}
	}
	while (n > 0)
		close(held[--n]);
	unlink(argv[1]);
	return 0;
}
