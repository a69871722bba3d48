/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#include "hook.h"

/*
 * The network hook, from libvirt's operation and <hookData> to its effects. Returns the exit
 * status. Everything it reports is logged here or in apply.c.
 */
int nethook_run(const struct hook_ctx *ctx, enum net_op op, const char *argv_network,
		const char *input, size_t len);
