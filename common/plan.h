/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "settings.h"

/* Pure decisions: no I/O, no logging. Everything the hooks change is decided here. */

enum numvfs_action {
	NUMVFS_KEEP,     /* the PF already has what the policy wants, or the policy does not care */
	NUMVFS_WRITE,    /* the PF has no VFs: write the wanted count */
	NUMVFS_MISMATCH, /* a non-zero count that differs: never rewrite it, warn */
};

/*
 * What to do with a PF's sriov_numvfs. policy_vfs is a count or POLICY_VFS_DEFAULT/_MAX.
 * Returns the action, with the wanted count in *ret_want, or -ERANGE when the policy asks for
 * more than sriov_totalvfs (*ret_want then holds the count asked for).
 */
int plan_numvfs(uint32_t current, uint32_t total, int64_t policy_vfs, uint32_t *ret_want);

/*
 * The attributes to send so that a VF in state `cur` matches `want`: each attribute `want` sets
 * whose current value differs or is unknown (VF_UNSET), but not one the driver does not support
 * (VF_UNSUPPORTED). Returns the number of changes.
 */
unsigned plan_vf_changes(const struct vf_settings *cur, const struct vf_settings *want,
			 struct vf_settings *ret_changes);

/* The attributes `want` sets that the driver reports it does not support. Returns their number. */
unsigned plan_vf_unsupported(const struct vf_settings *cur, const struct vf_settings *want,
			     struct vf_settings *ret);

/*
 * Originals to keep for a later restore: for each attribute about to change that has no saved
 * original yet, the current value. Only the first touch of a VF records anything.
 */
void plan_record_originals(struct vf_settings *orig, const struct vf_settings *cur,
			   const struct vf_settings *changes);
