/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#include "hook.h"

/* What every hook's main() does first: read libvirt's document (`doc`, "<hookData>") from stdin
 * and set up the context. -errno, logged naming the object ("network 'pool1' start begin"). */
int hook_setup(const char *object, const char *doc, char *const *argv, struct hook_ctx *ret_ctx,
	       char **ret_input, size_t *ret_len);
