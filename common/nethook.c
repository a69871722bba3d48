/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "apply.h"
#include "guest.h"
#include "log.h"
#include "macro.h"
#include "netxml.h"
#include "nethook.h"
#include "sysfs.h"

DEFINE_CLEANUP_FUNC(struct net_doc *, netxml_free)

/* Find the VF of a port, its PF and its index. Returns 1 when found, 0 when the port's device is
 * not a VF (left alone), -errno (logged) on error. */
static int resolve_port_vf(const struct hook_ctx *ctx, const struct net_doc *d, const char *scope,
			   struct vf_target *t)
{
	char a[PCI_ADDR_STRLEN], p[PCI_ADDR_STRLEN];
	int r;

	if (d->plug == NET_PLUG_HOSTDEV_PCI) {
		t->vf = d->plug_addr;
	} else if (d->plug == NET_PLUG_DIRECT) {
		r = sysfs_netdev_pci(ctx->sysfs, d->plug_dev, &t->vf);
		if (r == -ENXIO || r == -ENODEV)
			return 0; /* macvtap on a netdev that is no PCI function */
		if (r < 0)
			return log_error_errno(r, "%s: cannot find the PCI device of '%s': %m",
					       scope, d->plug_dev);
	} else {
		return 0;
	}

	if (d->pf[0]) {
		r = sysfs_netdev_pci(ctx->sysfs, d->pf, &t->pf);
		if (r < 0)
			return log_error_errno(r, "%s: PF '%s' named by <pf dev> not found: %m",
					       scope, d->pf);
		snprintf(t->pf_ifname, sizeof(t->pf_ifname), "%s", d->pf);
		r = sysfs_pci_vf_index(ctx->sysfs, &t->pf, &t->vf, &t->index);
		if (r == -ENOENT)
			return log_error_errno(-EINVAL, "%s: device %s given to guest '%s' is not a "
					       "VF of PF '%s' (%s); check the network's <forward>",
					       scope, pci_addr_format(&t->vf, a), d->owner_name,
					       d->pf, pci_addr_format(&t->pf, p));
		if (r < 0)
			return log_error_errno(r, "%s: cannot find VF %s under PF '%s': %m", scope,
					       pci_addr_format(&t->vf, a), d->pf);
		return 1;
	}

	/* No <pf>: listed VFs, or the live XML after a daemon restart, which drops <pf>. */
	r = sysfs_pci_physfn(ctx->sysfs, &t->vf, &t->pf);
	if (r == -ENOENT)
		return 0; /* a PCI device that is no VF: not ours to manage */
	if (r == -ENODEV)
		return log_error_errno(r, "%s: device %s given to guest '%s' does not exist", scope,
				       pci_addr_format(&t->vf, a), d->owner_name);
	if (r < 0)
		return log_error_errno(r, "%s: cannot read the physfn link of %s: %m", scope,
				       pci_addr_format(&t->vf, a));
	r = sysfs_pci_netdev(ctx->sysfs, &t->pf, t->pf_ifname);
	if (r < 0)
		return log_error_errno(r, "%s: the PF %s of VF %s has no network interface (is its "
				       "driver loaded?): %m", scope, pci_addr_format(&t->pf, p),
				       pci_addr_format(&t->vf, a));
	r = sysfs_pci_vf_index(ctx->sysfs, &t->pf, &t->vf, &t->index);
	if (r < 0)
		return log_error_errno(r, "%s: VF %s is not listed under its PF '%s': %m", scope,
				       pci_addr_format(&t->vf, a), t->pf_ifname);
	return 1;
}

static int port_created(const struct hook_ctx *ctx, const struct net_doc *d, const char *scope)
{
	struct vf_target t = {
		.scope = scope,
		.network = d->name,
		.network_uuid = d->uuid,
		.port_uuid = d->port_uuid,
		.owner_name = d->owner_name,
		.owner_uuid = d->owner_uuid,
	};
	struct pool_policy policy = d->policy;
	_cleanup_close_ int dirfd = -EBADF;
	struct vf_override o;
	int r, failures = 0;

	/* A per-guest override, recorded by the qemu hook at prepare (it sees the domain XML;
	 * we see only the owner and the MAC). */
	if (d->owner_uuid[0] && d->mac[0] && state_open(ctx->state_dir, false, &dirfd) >= 0) {
		r = guest_overrides_find(dirfd, d->owner_uuid, d->mac, &o);
		if (r >= 0) {
			pool_policy_apply_override(&policy, &o);
		} else if (r != -ENOENT) {
			log_error_errno(r, "%s: cannot read the overrides of guest '%s' in %s/guest: "
					"%m; using the pool's policy", scope, d->owner_name,
					ctx->state_dir);
			failures++;
		}
	}
	r = resolve_port_vf(ctx, d, scope, &t);
	if (r == 0 && !failures)
		return 0; /* not a VF: not ours */
	if (r < 0)
		failures++;
	if (r > 0) {
		t.on_error = (int)policy.on_error;
		failures += apply_vf_policy(ctx, &t, &policy.want);
	}
	return failures && policy.on_error == ON_ERROR_FAIL ? HOOK_EXIT_FAIL : failures ? -1 : 0;
}

static int port_deleted(const struct hook_ctx *ctx, const struct net_doc *d, const char *scope)
{
	struct pci_addr vf;

	if (d->plug == NET_PLUG_HOSTDEV_PCI)
		vf = d->plug_addr;
	else if (d->plug != NET_PLUG_DIRECT || sysfs_netdev_pci(ctx->sysfs, d->plug_dev, &vf) < 0)
		return 0;
	return apply_vf_restore(ctx, &vf, d->port_uuid, NULL, scope);
}

static int network_stopped(const struct hook_ctx *ctx, const struct net_doc *d, const char *scope)
{
	_cleanup_close_ int dirfd = -EBADF;
	_cleanup_free_ struct vf_record *recs = NULL;
	int n, failures = 0;

	if (state_open(ctx->state_dir, false, &dirfd) < 0)
		return 0; /* no state: we never changed anything */
	n = state_list(dirfd, &recs);
	if (n < 0)
		return log_error_errno(n, "%s: cannot list %s/vf: %m", scope, ctx->state_dir), 1;
	/* net-destroy skips port-deleted: restore every VF still recorded for this network. */
	for (int i = 0; i < n; i++)
		if (recs[i].port_uuid[0] && strcmp(recs[i].network_uuid, d->uuid) == 0)
			failures += apply_vf_restore(ctx, &recs[i].vf, recs[i].port_uuid, NULL, scope);
	return failures;
}

int nethook_run(const struct hook_ctx *ctx, enum net_op op, const char *argv_network,
		const char *input, size_t len)
{
	/* d before dp: cleanups run in reverse order, and dp's must see d still in scope. */
	struct net_doc d;
	_cleanup_(netxml_freep) struct net_doc *dp = NULL;
	struct xml_error e = {{0}}, pe = {{0}};
	bool policy_bad;
	char scope[NET_NAME_MAX + 16];
	int r;

	if (op == NET_OP_IGNORED)
		return HOOK_EXIT_OK;

	r = netxml_parse(input, len, &d, &e, &pe, &policy_bad);
	if (r < 0) {
		log_error_errno(r, "network '%s': cannot use the document libvirt passed on standard "
				"input: %s", argv_network, e.msg);
		return HOOK_EXIT_FAIL;
	}
	dp = &d;
	if (d.forward == NET_FORWARD_OTHER)
		return HOOK_EXIT_OK; /* not a VF pool: not ours */
	snprintf(scope, sizeof(scope), "network '%s'", d.name);

	switch (op) {
	case NET_OP_START_BEGIN:
	case NET_OP_PORT_CREATED:
		if (policy_bad) {
			log_error_errno(-EINVAL, "%s: bad policy in <metadata>: %s; fix it with "
					"'virsh net-edit %s'", scope, pe.msg, d.name);
			return HOOK_EXIT_FAIL;
		}
		if (!d.policy.manage)
			return HOOK_EXIT_OK;
		if (op == NET_OP_START_BEGIN) {
			/* VFs are activated only where a PF is named. */
			if (!d.pf[0])
				return HOOK_EXIT_OK;
			r = apply_numvfs(ctx, scope, d.pf, d.policy.vfs);
			return r < 0 ? HOOK_EXIT_FAIL : HOOK_EXIT_OK;
		}
		/* port_created() decides with the guest's override of on-error, if any. */
		r = port_created(ctx, &d, scope);
		if (r < 0) {
			log_warning("%s: guest '%s' starts without the full policy (on-error='warn')",
				    scope, d.owner_name);
			return HOOK_EXIT_OK;
		}
		return r;
	case NET_OP_PORT_DELETED:
		/* Restoring needs no policy: the record says what to put back. */
		return port_deleted(ctx, &d, scope) ? HOOK_EXIT_FAIL : HOOK_EXIT_OK;
	case NET_OP_STOPPED_END:
		return network_stopped(ctx, &d, scope) ? HOOK_EXIT_FAIL : HOOK_EXIT_OK;
	case NET_OP_IGNORED:
	case _NET_OP_MAX:
	case _NET_OP_INVALID:
		break;
	}
	return HOOK_EXIT_OK;
}
