/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#include "hook.h"

/*
 * The qemu hook, from libvirt's operation and the domain XML to its effects. Returns the exit
 * status: for reconnect always 0 (non-zero kills the running guest), for migrate and restore 0
 * with nothing on stdout (libvirt reads it as the guest's new XML).
 */
int qemuhook_run(const struct hook_ctx *ctx, enum qemu_op op, const char *argv_guest,
		 const char *input, size_t len);
