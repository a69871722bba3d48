/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hook.h"
#include "settings.h"
#include "state.h"
#include "util.h"

/*
 * Effects: the only code that changes a VF or a record. Every failure is logged here, once, with
 * the network (or guest), PF, VF and what to do; callers only count failures.
 */

/* A VF as the hooks see it: its PF, its index under the PF, and who it is for. */
struct vf_target {
	struct pci_addr pf;
	char pf_ifname[IFNAMSIZ];
	struct pci_addr vf;
	uint32_t index;
	/* For messages and the record: "network 'pool1'" or "guest 'g1'". */
	const char *scope;
	const char *network;
	const char *network_uuid;
	const char *port_uuid;
	const char *owner_name;
	const char *owner_uuid;
	int on_error; /* enum on_error: what a failure does to the exit status */
};

/*
 * Bring the VF to `want`: read its state (one RTM_GETLINK of the PF), save the originals of what
 * will change on first touch, send one RTM_SETLINK per differing attribute. Takes the PF lock.
 * Returns the number of failures (0 = all applied), logged already.
 */
int apply_vf_policy(const struct hook_ctx *ctx, const struct vf_target *t,
		    const struct vf_settings *want);

/* Put back the originals of a record, if the record's owner is still port `port_uuid` and guest
 * `owner_uuid` (NULL: not checked), and drop the record. Takes the PF lock. Returns the number of
 * failures. */
int apply_vf_restore(const struct hook_ctx *ctx, const struct pci_addr *vf, const char *port_uuid,
		     const char *owner_uuid, const char *scope);

/* Activate VFs on a PF per the policy's vfs=. Returns 0 or -errno (logged). */
int apply_numvfs(const struct hook_ctx *ctx, const char *scope, const char *pf_ifname,
		 int64_t policy_vfs);
