/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hook.h"
#include "log.h"
#include "settings.h"
#include "state.h"
#include "util.h"

/*
 * Effects: the only code that changes a VF or a record. Every failure is logged here, once, with
 * the network (or guest), PF, VF and what to do. Each function returns 0 or the first -errno and
 * keeps going where that is safe; the hook's main() alone turns that into an exit status.
 */

/* A VF as the hooks see it: its PF, its index under the PF, and who it is for. */
struct vf_target {
	struct pci_addr pf;
	char pf_ifname[IFNAMSIZ];
	struct pci_addr vf;
	char vf_addr[PCI_ADDR_STRLEN]; /* vf, formatted once for every message about it */
	uint32_t index;
	/* Who the messages speak for: "network 'pool1'" or "guest 'g1'". */
	const char *scope;
	const char *network;
	const char *network_uuid;
	const char *port_uuid;
	const char *owner_name;
	const char *owner_uuid;
	int on_error; /* enum on_error of the policy being applied */
};

/* Set the target's VF (and its formatted address). */
void vf_target_set_vf(struct vf_target *t, const struct pci_addr *vf);

/* Log about a VF: the target's scope is the prefix ("network 'pool1': ..."). Each returns r. */
int log_vf_error_errno(const struct vf_target *t, int r, const char *fmt, ...) _printf_(3, 4);
int log_vf_warning_errno(const struct vf_target *t, int r, const char *fmt, ...) _printf_(3, 4);
void log_vf_action(const struct vf_target *t, const char *fmt, ...) _printf_(2, 3);
void log_vf_debug(const struct vf_target *t, const char *fmt, ...) _printf_(2, 3);

/*
 * Work on one PF: its lock taken once, its VF table read once (one RTM_GETLINK), however many of
 * its VFs a run touches. Opening it logs its own failure; a session whose PF cannot be read
 * still opens (each VF then reports that), so records are restored wherever they can be.
 */
struct pf_session {
	const struct hook_ctx *ctx;
	const char *scope;
	struct pci_addr pf;
	char pf_ifname[IFNAMSIZ];
	int dirfd; /* the state directory; -EBADF in a dry run without one */
	int lock;
	struct vf_link *link; /* NULL when the PF's VF table could not be read: link_error */
	int link_error;
};
int apply_pf_open(const struct hook_ctx *ctx, const char *scope, const struct pci_addr *pf,
		  const char *pf_ifname, struct pf_session *ret);
void apply_pf_close(struct pf_session *s);

/*
 * Bring the VF to `want`: save the originals of what will change on first touch, send one
 * RTM_SETLINK carrying every differing attribute (one per attribute if that fails, so the error
 * names it). Under on-error='fail' a failure rolls back what this run set. Returns 0 or the first
 * -errno. apply_vf_policy() opens the VF's PF for this one VF.
 */
int apply_vf_policy_in(struct pf_session *s, const struct vf_target *t,
		       const struct vf_settings *want);
int apply_vf_policy(const struct hook_ctx *ctx, const struct vf_target *t,
		    const struct vf_settings *want);

/* Put back the originals of a record, if the record's owner is still port `port_uuid` and guest
 * `owner_uuid` (NULL: not checked), and drop the record. Returns 0 or the first -errno.
 * apply_vf_restore() opens the record's PF for this one VF. */
int apply_vf_restore_in(struct pf_session *s, const struct pci_addr *vf, const char *port_uuid,
			const char *owner_uuid);
int apply_vf_restore(const struct hook_ctx *ctx, const struct pci_addr *vf, const char *port_uuid,
		     const char *owner_uuid, const char *scope);

/* Restore every record for which keep() says true (port_uuid/owner_uuid as above: keep() fills
 * them for the guard), grouped by PF: one lock and one read per PF. Returns 0 or the first
 * -errno. */
struct vf_record;
int apply_restore_records(const struct hook_ctx *ctx, const char *scope,
			  const struct vf_record *recs, size_t n,
			  bool (*keep)(const struct vf_record *rec, const void *arg,
				       const char **ret_port_uuid, const char **ret_owner_uuid),
			  const void *arg);

/* Activate VFs on a PF per the policy's vfs=. Returns 0 or -errno. */
int apply_numvfs(const struct hook_ctx *ctx, const char *scope, const char *pf_ifname,
		 int64_t policy_vfs);
