/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hook.h"
#include "macro.h"
#include "sysfs.h"
#include "util.h"

/* libvirt's (OPERATION, SUB-OPERATION) pairs the hooks act on: one table per driver, used to parse
 * argv and by the admin tool's plan to name them. */
struct op_name {
	const char *op, *sub;
};

static const struct op_name net_ops[_NET_OP_MAX] = {
	[NET_OP_START_BEGIN] = {"start", "begin"},
	[NET_OP_PORT_CREATED] = {"port-created", "begin"},
	[NET_OP_PORT_DELETED] = {"port-deleted", "begin"},
	[NET_OP_STOPPED_END] = {"stopped", "end"},
};

static const struct op_name qemu_ops[_QEMU_OP_MAX] = {
	[QEMU_OP_PREPARE_BEGIN] = {"prepare", "begin"},
	[QEMU_OP_START_BEGIN] = {"start", "begin"},
	[QEMU_OP_RECONNECT_BEGIN] = {"reconnect", "begin"},
	[QEMU_OP_RELEASE_END] = {"release", "end"},
};

/* libvirt's argv: OBJECT OPERATION SUB-OPERATION EXTRA. The index of a known (op, sub) pair, or
 * `ignored`; -EINVAL when argv is too short to be libvirt's. */
static int parse_args(int argc, char *const *argv, const struct op_name *table, size_t n,
		      int ignored)
{
	if (argc < 4 || !*argv[1] || !*argv[2] || !*argv[3])
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (table[i].op && strcmp(argv[2], table[i].op) == 0 &&
		    strcmp(argv[3], table[i].sub) == 0)
			return (int)i;
	return ignored;
}

/* The index of an operation by its name alone, or -EINVAL. */
static int op_from_string(const struct op_name *table, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (table[i].op && strcmp(s, table[i].op) == 0)
			return (int)i;
	return -EINVAL;
}

int hook_parse_network_args(int argc, char *const *argv, enum net_op *ret)
{
	int r = parse_args(argc, argv, net_ops, ARRAY_SIZE(net_ops), NET_OP_IGNORED);

	if (r < 0)
		return r;
	*ret = (enum net_op)r;
	return 0;
}

int hook_parse_qemu_args(int argc, char *const *argv, enum qemu_op *ret)
{
	int r = parse_args(argc, argv, qemu_ops, ARRAY_SIZE(qemu_ops), QEMU_OP_IGNORED);

	if (r < 0)
		return r;
	*ret = (enum qemu_op)r;
	return 0;
}

const char *net_op_to_string(enum net_op op)
{
	return op >= 0 && op < _NET_OP_MAX ? net_ops[op].op : NULL;
}

const char *net_op_sub_to_string(enum net_op op)
{
	return op >= 0 && op < _NET_OP_MAX ? net_ops[op].sub : NULL;
}

enum net_op net_op_from_string(const char *s)
{
	return (enum net_op)op_from_string(net_ops, ARRAY_SIZE(net_ops), s);
}

const char *qemu_op_to_string(enum qemu_op op)
{
	return op >= 0 && op < _QEMU_OP_MAX ? qemu_ops[op].op : NULL;
}

const char *qemu_op_sub_to_string(enum qemu_op op)
{
	return op >= 0 && op < _QEMU_OP_MAX ? qemu_ops[op].sub : NULL;
}

enum qemu_op qemu_op_from_string(const char *s)
{
	return (enum qemu_op)op_from_string(qemu_ops, ARRAY_SIZE(qemu_ops), s);
}

int hook_read_input(int fd, char **ret, size_t *ret_len)
{
	return read_full(fd, INPUT_MAX, ret, ret_len);
}

uint64_t hook_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int hook_time_left_ms(const struct hook_ctx *ctx, int limit)
{
	uint64_t now;

	if (!ctx->deadline_ms)
		return limit;
	now = hook_now_ms();
	if (now >= ctx->deadline_ms)
		return 0;
	return ctx->deadline_ms - now < (uint64_t)limit ? (int)(ctx->deadline_ms - now) : limit;
}

int hook_ctx_from_env(struct hook_ctx *ctx)
{
	/* secure_getenv: under an SELinux domain transition (AT_SECURE) the test-only overrides
	 * are never honoured, whatever the daemon's environment holds. */
	const char *sysfs = secure_getenv("SRIOV_HOOKS_SYSFS");
	const char *state = secure_getenv("SRIOV_HOOKS_STATE_DIR");
	const char *dry = secure_getenv("SRIOV_HOOKS_DRY_RUN");
	const char *conf = secure_getenv("SRIOV_HOOKS_CONFIG");
	int fd;

	fd = sysfs_open_root(sysfs && *sysfs ? sysfs : "/sys");
	if (fd < 0)
		return fd;
	*ctx = (struct hook_ctx){
		.sysfs = fd,
		.state_dir = state && *state ? state : STATE_DIR,
		.dry_run = dry && strcmp(dry, "1") == 0,
		.conf_path = conf && *conf ? conf : CONF_PATH,
		.deadline_ms = hook_now_ms() + HOOK_RUN_BUDGET_MS,
	};
	return 0;
}

void hook_ctx_done(struct hook_ctx *ctx)
{
	if (ctx->sysfs >= 0)
		close(ctx->sysfs);
	ctx->sysfs = -EBADF;
}

/* install/install.sh recognises our files by this string, so it never replaces an admin's hook. */
__attribute__((used)) const char hook_marker[] = HOOK_MARKER;
