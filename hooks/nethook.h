/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#include "hook.h"
#include "policy.h"

/*
 * The network hook, from libvirt's operation and <hookData> to its effects. Returns 0 or the first
 * -errno; everything it reports is logged here or in apply.c. *ret_on_error says what a failure
 * does: ON_ERROR_FAIL stops libvirt's operation, ON_ERROR_WARN lets it go on.
 */
int nethook_run(const struct hook_ctx *ctx, enum net_op op, const char *argv_network,
		const char *input, size_t len, enum on_error *ret_on_error);

/* The exit status libvirt gets for a run's result: the one place where on-error decides. */
int nethook_exit_status(int r, enum on_error on_error);
