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

/* One run of the network hook: what every step needs. */
struct net_run {
	const struct hook_ctx *ctx;
	const struct net_doc *d;
	char scope[NET_NAME_MAX + 16]; /* "network 'pool1'", the prefix of every message */
};

/* Find the VF of a port, its PF and its index. Returns 1 when found, 0 when the port's device is
 * not a VF (left alone), -errno (logged) on error. */
static int resolve_port_vf(const struct net_run *run, struct vf_target *t)
{
	const struct hook_ctx *ctx = run->ctx;
	const struct net_doc *d = run->d;
	struct pci_addr vf;
	char p[PCI_ADDR_STRLEN];
	int r;

	if (d->plug == NET_PLUG_HOSTDEV_PCI) {
		vf = d->plug_addr;
	} else if (d->plug == NET_PLUG_DIRECT) {
		r = sysfs_netdev_pci(ctx->sysfs, d->plug_dev, &vf);
		if (r == -ENXIO || r == -ENODEV)
			return 0; /* macvtap on a netdev that is no PCI function */
		if (r < 0)
			return log_error_errno(r, "%s: cannot find the PCI device of '%s': %m",
					       run->scope, d->plug_dev);
	} else {
		return 0;
	}
	vf_target_set_vf(t, &vf);

	if (d->pf[0]) {
		r = sysfs_netdev_pci(ctx->sysfs, d->pf, &t->pf);
		if (r < 0)
			return log_vf_error_errno(t, r, "PF '%s' named by <pf dev> not found: %m",
						  d->pf);
		snprintf(t->pf_ifname, sizeof(t->pf_ifname), "%s", d->pf);
		r = sysfs_pci_vf_index(ctx->sysfs, &t->pf, &t->vf, &t->index);
		if (r == -ENOENT)
			return log_vf_error_errno(t, -EINVAL,
						  "device %s given to guest '%s' is not a VF of PF "
						  "'%s' (%s); check the network's <forward>",
						  t->vf_addr, d->owner_name, d->pf,
						  pci_addr_format(&t->pf, p));
		if (r < 0)
			return log_vf_error_errno(t, r, "cannot find VF %s under PF '%s': %m",
						  t->vf_addr, d->pf);
		return 1;
	}

	/* No <pf>: listed VFs, or the live XML after a daemon restart, which drops <pf>. */
	r = sysfs_pci_physfn(ctx->sysfs, &t->vf, &t->pf);
	if (r == -ENOENT)
		return 0; /* a PCI device that is no VF: not ours to manage */
	if (r == -ENODEV)
		return log_vf_error_errno(t, r, "device %s given to guest '%s' does not exist",
					  t->vf_addr, d->owner_name);
	if (r < 0)
		return log_vf_error_errno(t, r, "cannot read the physfn link of %s: %m", t->vf_addr);
	r = sysfs_pci_netdev(ctx->sysfs, &t->pf, t->pf_ifname);
	if (r < 0)
		return log_vf_error_errno(t, r,
					  "the PF %s of VF %s has no network interface (is its "
					  "driver loaded?): %m",
					  pci_addr_format(&t->pf, p), t->vf_addr);
	r = sysfs_pci_vf_index(ctx->sysfs, &t->pf, &t->vf, &t->index);
	if (r < 0)
		return log_vf_error_errno(t, r, "VF %s is not listed under its PF '%s': %m",
					  t->vf_addr, t->pf_ifname);
	return 1;
}

/* The policy on the port's VF; *ret_on_error: the on-error that governs a failure (the guest's
 * override of it, if any). */
static int port_created(const struct net_run *run, enum on_error *ret_on_error)
{
	const struct net_doc *d = run->d;
	struct vf_target t = {
		.scope = run->scope,
		.network = d->name,
		.network_uuid = d->uuid,
		.port_uuid = d->port_uuid,
		.owner_name = d->owner_name,
		.owner_uuid = d->owner_uuid,
	};
	struct pool_policy policy = d->policy;
	_cleanup_close_ int dirfd = -EBADF;
	struct vf_override o;
	int r, ret = 0;

	/* A per-guest override, recorded by the qemu hook at prepare (it sees the domain XML;
	 * we see only the owner and the MAC). */
	if (d->owner_uuid[0] && d->mac[0] && state_open(run->ctx->state_dir, false, &dirfd) >= 0) {
		r = guest_overrides_find(dirfd, d->owner_uuid, d->mac, &o);
		if (r >= 0)
			pool_policy_apply_override(&policy, &o);
		else if (r != -ENOENT)
			ret = log_error_errno(r, "%s: cannot read the overrides of guest '%s' in "
					      "%s/guest: %m; using the pool's policy",
					      run->scope, d->owner_name, run->ctx->state_dir);
	}
	*ret_on_error = policy.on_error;
	r = resolve_port_vf(run, &t);
	if (r == 0)
		return ret; /* not a VF: not ours */
	if (r < 0)
		return RET_GATHER(ret, r);
	t.on_error = (int)policy.on_error;
	return RET_GATHER(ret, apply_vf_policy(run->ctx, &t, &policy.want));
}

static int port_deleted(const struct net_run *run)
{
	const struct net_doc *d = run->d;
	struct pci_addr vf;

	if (d->plug == NET_PLUG_HOSTDEV_PCI)
		vf = d->plug_addr;
	else if (d->plug != NET_PLUG_DIRECT ||
		 sysfs_netdev_pci(run->ctx->sysfs, d->plug_dev, &vf) < 0)
		return 0;
	return apply_vf_restore(run->ctx, &vf, d->port_uuid, NULL, run->scope);
}

/* stopped end: this network's records whose VF no guest holds any more. */
static bool stopped_keeps(const struct vf_record *rec, const void *arg,
			  const char **ret_port_uuid, const char **ret_owner_uuid)
{
	const struct net_run *run = arg;
	char a[PCI_ADDR_STRLEN];

	if (!rec->port_uuid[0] || strcmp(rec->network_uuid, run->d->uuid) != 0)
		return false;
	if (sysfs_pci_vf_in_use(run->ctx->sysfs, &rec->vf) > 0) {
		/* net-destroy with the guest still running: putting the VF back now would break
		 * the guest's bond at once. Its qemu release restores it. */
		log_action("%s: VF %s is still in use by guest '%s'; it keeps its settings until "
			   "the guest lets it go", run->scope, pci_addr_format(&rec->vf, a),
			   rec->owner_name);
		return false;
	}
	*ret_port_uuid = rec->port_uuid;
	*ret_owner_uuid = NULL;
	return true;
}

static int network_stopped(const struct net_run *run)
{
	_cleanup_close_ int dirfd = -EBADF;
	_cleanup_free_ struct vf_record *recs = NULL;
	_cleanup_free_ struct pci_addr *bad = NULL;
	size_t n_bad = 0;
	char a[PCI_ADDR_STRLEN];
	int n;

	if (state_open(run->ctx->state_dir, false, &dirfd) < 0)
		return 0; /* no state: we never changed anything */
	n = state_list_full(dirfd, &recs, &bad, &n_bad);
	if (n < 0)
		return log_error_errno(n, "%s: cannot list %s/vf: %m", run->scope,
				       run->ctx->state_dir);
	for (size_t i = 0; i < n_bad; i++)
		log_warning("%s: the record of VF %s in %s/vf cannot be used (torn, or not a "
			    "record); if it is this network's, the VF keeps what the hooks set: check "
			    "it with 'ip link show' and remove the record", run->scope,
			    pci_addr_format(&bad[i], a), run->ctx->state_dir);
	/* net-destroy skips port-deleted: restore every VF still recorded for this network. */
	return apply_restore_records(run->ctx, run->scope, recs, (size_t)n, stopped_keeps, run);
}

int nethook_run(const struct hook_ctx *ctx, enum net_op op, const char *argv_network,
		const char *input, size_t len, enum on_error *ret_on_error)
{
	/* d before dp: cleanups run in reverse order, and dp's must see d still in scope. */
	struct net_doc d;
	_cleanup_(netxml_freep) struct net_doc *dp = NULL;
	struct xml_error e = {{0}}, pe = {{0}};
	struct net_run run = {.ctx = ctx, .d = &d};
	bool policy_bad;
	int r;

	/* A failure stops libvirt's operation unless a policy's on-error says otherwise. */
	*ret_on_error = ON_ERROR_FAIL;
	if (op == NET_OP_IGNORED)
		return 0;

	r = netxml_parse(input, len, &d, &e, &pe, &policy_bad);
	if (r < 0)
		return log_error_errno(r, "network '%s': cannot use the document libvirt passed on "
				       "standard input: %s", argv_network, e.msg);
	dp = &d;
	if (d.forward == NET_FORWARD_OTHER)
		return 0; /* not a VF pool: not ours */
	snprintf(run.scope, sizeof(run.scope), "network '%s'", d.name);

	switch (op) {
	case NET_OP_START_BEGIN:
	case NET_OP_PORT_CREATED:
		if (policy_bad)
			return log_error_errno(-EINVAL, "%s: bad policy in <metadata>: %s; fix it "
					       "with 'virsh net-edit %s'", run.scope, pe.msg, d.name);
		if (d.ns_near_miss[0])
			log_warning("%s: <metadata> has an element in the namespace '%s', which is not "
				    "ours ('%s'): it is ignored and the defaults apply. Correct it with "
				    "'virsh net-edit %s'", run.scope, d.ns_near_miss, POLICY_NS,
				    d.name);
		if (!d.policy.manage)
			return 0;
		if (op == NET_OP_START_BEGIN)
			/* VFs are activated only where a PF is named. */
			return d.pf[0] ? apply_numvfs(ctx, run.scope, d.pf, d.policy.vfs) : 0;
		r = port_created(&run, ret_on_error);
		if (r < 0 && *ret_on_error == ON_ERROR_WARN)
			log_warning("%s: guest '%s' starts without the full policy (on-error='warn')",
				    run.scope, d.owner_name);
		return r;
	case NET_OP_PORT_DELETED:
		/* Restoring needs no policy: the record says what to put back. */
		return port_deleted(&run);
	case NET_OP_STOPPED_END:
		return network_stopped(&run);
	case NET_OP_IGNORED:
	case _NET_OP_MAX:
	case _NET_OP_INVALID:
		break;
	}
	return 0;
}

int nethook_exit_status(int r, enum on_error on_error)
{
	/* on-error='warn': the failure is logged (above) and libvirt's operation goes on. */
	return r < 0 && on_error == ON_ERROR_FAIL ? HOOK_EXIT_FAIL : HOOK_EXIT_OK;
}
