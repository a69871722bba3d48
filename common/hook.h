/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What every hook run shares: where sysfs and the state are, and whether to change anything. */
struct hook_ctx {
	int sysfs;             /* root fd of sysfs: /sys, or SRIOV_HOOKS_SYSFS in tests */
	const char *state_dir; /* STATE_DIR, or SRIOV_HOOKS_STATE_DIR in tests */
	bool dry_run;          /* SRIOV_HOOKS_DRY_RUN=1: change nothing, print the plan on stderr */
	const char *conf_path; /* CONF_PATH, or SRIOV_HOOKS_CONFIG in tests */
	/* libvirt waits for a hook without a timeout, holding its locks: the whole run is bounded
	 * by this deadline (CLOCK_MONOTONIC ms), which every lock and wait draws from. 0: none
	 * (unit tests that do not test it). */
	uint64_t deadline_ms;
};

/* What a run may take at most. A lock may wait for all of it; a netlink request already sent
 * may add its socket timeout (VF_SOCKET_TIMEOUT_MS) past it. */
#define HOOK_RUN_BUDGET_MS 30000

uint64_t hook_now_ms(void);
/* Milliseconds left before the run's deadline (0 once it passed); `limit` caps it, and is what
 * a run without a deadline gets. */
int hook_time_left_ms(const struct hook_ctx *ctx, int limit);

/* HOOK_MARKER (config.h, from configure.ac): install/install.sh and the admin tool recognise our
 * hook binaries by this string. */

/* Exit statuses. libvirt treats any non-zero status as failure and shows our stderr. */
#define HOOK_EXIT_OK 0
#define HOOK_EXIT_FAIL 1
#define HOOK_EXIT_USAGE 2

/* libvirt's argv for the network hook: NETWORK OPERATION SUB-OPERATION - (hook-contract.md §2). */
enum net_op {
	NET_OP_START_BEGIN,
	NET_OP_PORT_CREATED,
	NET_OP_PORT_DELETED,
	NET_OP_STOPPED_END,
	NET_OP_IGNORED, /* started, updated, and anything newer libvirt may add */
	_NET_OP_MAX,
	_NET_OP_INVALID = -EINVAL,
};

/* libvirt's argv for the qemu hook: GUEST OPERATION SUB-OPERATION EXTRA (§3). */
enum qemu_op {
	QEMU_OP_PREPARE_BEGIN,
	QEMU_OP_START_BEGIN,
	QEMU_OP_RECONNECT_BEGIN,
	QEMU_OP_RELEASE_END,
	QEMU_OP_IGNORED, /* started, stopped, migrate, restore (stdout is read!), attach, newer ones */
	_QEMU_OP_MAX,
	_QEMU_OP_INVALID = -EINVAL,
};

/* -EINVAL when argv is not what libvirt passes (too few arguments). */
int hook_parse_network_args(int argc, char *const *argv, enum net_op *ret);
int hook_parse_qemu_args(int argc, char *const *argv, enum qemu_op *ret);
/* The names libvirt passes: "port-created" and "begin" for NET_OP_PORT_CREATED; NULL for
 * *_OP_IGNORED. from_string takes the OPERATION alone: -EINVAL (_*_OP_INVALID) for one we ignore. */
const char *net_op_to_string(enum net_op op);
const char *net_op_sub_to_string(enum net_op op);
enum net_op net_op_from_string(const char *s);
const char *qemu_op_to_string(enum qemu_op op);
const char *qemu_op_sub_to_string(enum qemu_op op);
enum qemu_op qemu_op_from_string(const char *s);

/* Read all of fd into a NUL-terminated buffer, at most INPUT_MAX bytes: -EFBIG beyond. */
int hook_read_input(int fd, char **ret, size_t *ret_len);

/* Fill a context from the test-only environment (libvirt clears the environment, so in a real
 * hook run these are never set). Opens the sysfs root. */
int hook_ctx_from_env(struct hook_ctx *ctx);
void hook_ctx_done(struct hook_ctx *ctx);
