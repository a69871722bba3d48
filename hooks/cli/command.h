/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/*
 * Another program's answer, for doctor (rpm -qf): argv[0] is looked up in PATH (tests put a fake
 * first), runs with /dev/null as stdin and stderr, and is killed at the deadline: a hung rpm
 * database must not hang doctor. 0 with its stdout (NUL-terminated, at most max bytes) and exit
 * status (-1 when it did not exit by itself), -ENOENT when there is no such program, -errno.
 */
int command_output(char *const argv[], int timeout_ms, size_t max, char **ret_out, int *ret_status);
