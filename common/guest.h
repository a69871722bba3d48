/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#include "policy.h"

/*
 * Per-guest overrides, handed from the qemu hook (which sees the domain XML) to the network
 * hook's port-created (which sees only the owner's UUID and the port's MAC): STATE_DIR/guest/<uuid>,
 * written atomically at prepare/start, dropped at release.
 */

#define GUEST_OVERRIDES_MAX 64

int guest_overrides_save(int dirfd, const char *uuid, const char *name,
			 const struct vf_override *o, size_t n);
/* The override for one MAC: -ENOENT when the guest has none for it (or none at all). */
int guest_overrides_find(int dirfd, const char *uuid, const char *mac, struct vf_override *ret);
int guest_overrides_remove(int dirfd, const char *uuid);

/* Exported for tests. */
int guest_overrides_format(const char *name, const struct vf_override *o, size_t n, char *buf,
			   size_t len);
