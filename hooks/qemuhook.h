/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#include "hook.h"
#include "policy.h"

/*
 * The qemu hook, from libvirt's operation and the domain XML to its effects. Returns 0 or the
 * first -errno, everything logged; *ret_on_error says whether a failure stops libvirt's operation.
 * It never writes to stdout (for migrate and restore libvirt reads it as the guest's new XML).
 */
int qemuhook_run(const struct hook_ctx *ctx, enum qemu_op op, const char *argv_guest,
		 const char *input, size_t len, enum on_error *ret_on_error);

/* The exit status libvirt gets for a run's result: the one place where on-error decides, and
 * where reconnect never fails (non-zero kills the running guest). */
int qemuhook_exit_status(enum qemu_op op, int r, enum on_error on_error);
