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

struct op_name {
	const char *op, *sub;
	int value;
};

/* libvirt's argv: OBJECT OPERATION SUB-OPERATION EXTRA. The value of a known (op, sub) pair, or
 * `ignored`; -EINVAL when argv is too short to be libvirt's. */
static int parse_args(int argc, char *const *argv, const struct op_name *table, size_t n,
		      int ignored)
{
	if (argc < 4 || !*argv[1] || !*argv[2] || !*argv[3])
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(argv[2], table[i].op) == 0 && strcmp(argv[3], table[i].sub) == 0)
			return table[i].value;
	return ignored;
}

int hook_parse_network_args(int argc, char *const *argv, enum net_op *ret)
{
	static const struct op_name table[] = {
		{"start", "begin", NET_OP_START_BEGIN},
		{"port-created", "begin", NET_OP_PORT_CREATED},
		{"port-deleted", "begin", NET_OP_PORT_DELETED},
		{"stopped", "end", NET_OP_STOPPED_END},
	};
	int r = parse_args(argc, argv, table, ARRAY_SIZE(table), NET_OP_IGNORED);

	if (r < 0)
		return r;
	*ret = (enum net_op)r;
	return 0;
}

int hook_parse_qemu_args(int argc, char *const *argv, enum qemu_op *ret)
{
	static const struct op_name table[] = {
		{"prepare", "begin", QEMU_OP_PREPARE_BEGIN},
		{"start", "begin", QEMU_OP_START_BEGIN},
		{"reconnect", "begin", QEMU_OP_RECONNECT_BEGIN},
		{"release", "end", QEMU_OP_RELEASE_END},
	};
	int r = parse_args(argc, argv, table, ARRAY_SIZE(table), QEMU_OP_IGNORED);

	if (r < 0)
		return r;
	*ret = (enum qemu_op)r;
	return 0;
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
	const char *sysfs = getenv("SRIOV_HOOKS_SYSFS");
	const char *state = getenv("SRIOV_HOOKS_STATE_DIR");
	const char *dry = getenv("SRIOV_HOOKS_DRY_RUN");
	const char *conf = getenv("SRIOV_HOOKS_CONFIG");
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
