/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "apply.h"
#include "conf.h"
#include "directvf.h"
#include "domxml.h"
#include "guest.h"
#include "log.h"
#include "qemuhook.h"
#include "sysfs.h"

static void dom_doc_free(struct dom_doc *d)
{
	domxml_free(d);
	free(d);
}
DEFINE_CLEANUP_FUNC(struct dom_doc *, dom_doc_free)

/* prepare: hand the guest's overrides to the network hook's port-created, which runs next. */
static int record_overrides(const struct hook_ctx *ctx, const struct dom_doc *d, const char *scope)
{
	_cleanup_close_ int dirfd = -EBADF;
	int r;

	if (ctx->dry_run) {
		for (size_t i = 0; i < d->n_overrides; i++)
			log_plan("override %s %s", d->name, d->overrides[i].mac);
		return 0;
	}
	if (d->n_overrides == 0) {
		/* Drop what an earlier run may have left, e.g. metadata removed since. */
		if (state_open(ctx->state_dir, false, &dirfd) >= 0)
			guest_overrides_remove(dirfd, d->uuid);
		return 0;
	}
	r = state_open(ctx->state_dir, true, &dirfd);
	if (r >= 0)
		r = guest_overrides_save(dirfd, d->uuid, d->name, d->overrides, d->n_overrides);
	if (r < 0)
		return log_error_errno(r, "%s: cannot record its VF overrides in %s/guest: %m",
				       scope, ctx->state_dir);
	return 0;
}

/* The VF behind a guest device: 1 if it is a VF (t filled), 0 if not, -errno (logged). */
static int resolve_vf(const struct hook_ctx *ctx, const struct pci_addr *vf, const char *scope,
		      struct vf_target *t)
{
	char a[PCI_ADDR_STRLEN];
	int r;

	t->vf = *vf;
	r = sysfs_pci_physfn(ctx->sysfs, vf, &t->pf);
	if (r == -ENOENT)
		return 0; /* a PCI device that is not a VF: a GPU, an NVMe disk... not ours */
	if (r < 0)
		return log_error_errno(r, "%s: cannot inspect its host device %s: %m", scope,
				       pci_addr_format(vf, a));
	r = sysfs_pci_netdev(ctx->sysfs, &t->pf, t->pf_ifname);
	if (r >= 0)
		r = sysfs_pci_vf_index(ctx->sysfs, &t->pf, vf, &t->index);
	if (r < 0)
		return log_error_errno(r, "%s: cannot find the PF interface and index of VF %s: %m",
				       scope, pci_addr_format(vf, a));
	return 1;
}

/*
 * start: policy on direct VFs, re-assertion on pool VFs. reconnect: re-assertion only. Returns the
 * exit status.
 */
static int apply_devices(const struct hook_ctx *ctx, const struct dom_doc *d, const char *scope,
			 bool reassert_only)
{
	_cleanup_close_ int dirfd = -EBADF;
	struct host_conf *conf = NULL;
	bool conf_loaded = false, fail = false;
	char err[512];
	int r;

	if (state_open(ctx->state_dir, false, &dirfd) < 0)
		dirfd = -EBADF;

	for (size_t i = 0; i < d->n_devs; i++) {
		const struct dom_dev *dev = &d->devs[i];
		const struct vf_override *o = domxml_override(d, dev->mac);
		struct vf_target t = {
			.scope = scope,
			.network = "",
			.network_uuid = "",
			.port_uuid = "",
			.owner_name = d->name,
			.owner_uuid = d->uuid,
		};
		struct vf_record rec;
		struct pool_policy policy;

		r = resolve_vf(ctx, &dev->addr, scope, &t);
		if (r == 0)
			continue;
		if (r < 0) {
			fail = true;
			continue;
		}

		/* A VF we already manage for this guest: bring it back to what its owner wants
		 * (a PF reset, or libvirt's own VF reset, may have cleared it). */
		if (dirfd >= 0 && state_load(dirfd, &t.vf, &rec) >= 0 &&
		    strcmp(rec.owner_uuid, d->uuid) == 0) {
			t.network = rec.network;
			t.network_uuid = rec.network_uuid;
			t.port_uuid = rec.port_uuid;
			t.on_error = rec.on_error;
			if (apply_vf_policy(ctx, &t, &rec.want) && rec.on_error == ON_ERROR_FAIL)
				fail = true;
			continue;
		}
		if (reassert_only)
			continue;

		/* A direct VF (a pool port shows as <interface type='hostdev'> too, but has a
		 * record from port-created): ours only where the host file names its PF, or the
		 * guest has an override for it. On an OpenStack host the SR-IOV agent owns the
		 * rest. */
		if (!conf_loaded) {
			conf_loaded = true;
			conf = calloc(1, sizeof(*conf));
			if (!conf)
				return log_error_errno(-ENOMEM, "%s: out of memory", scope), 1;
			r = conf_load(ctx->conf_path, conf, err, sizeof(err));
			if (r == -ENOENT) {
				free(conf);
				conf = NULL;
			} else if (r < 0) {
				free(conf);
				log_error_errno(r, "%s: %s; fix the host file", scope, err);
				return HOOK_EXIT_FAIL;
			}
		}
		if (directvf_policy(conf, t.pf_ifname, o, &policy) == 0)
			continue;
		t.on_error = (int)policy.on_error;
		if (apply_vf_policy(ctx, &t, &policy.want) && policy.on_error == ON_ERROR_FAIL)
			fail = true;
	}
	free(conf);
	return fail ? HOOK_EXIT_FAIL : HOOK_EXIT_OK;
}

/* release: put back every direct VF recorded for this guest, and forget its overrides. */
static int release(const struct hook_ctx *ctx, const struct dom_doc *d, const char *scope)
{
	_cleanup_close_ int dirfd = -EBADF;
	_cleanup_free_ struct vf_record *recs = NULL;
	int n, failures = 0;

	if (state_open(ctx->state_dir, false, &dirfd) < 0)
		return 0;
	n = state_list(dirfd, &recs);
	if (n < 0)
		return log_error_errno(n, "%s: cannot list %s/vf: %m", scope, ctx->state_dir), 1;
	for (int i = 0; i < n; i++)
		if (!recs[i].port_uuid[0] && strcmp(recs[i].owner_uuid, d->uuid) == 0)
			failures += apply_vf_restore(ctx, &recs[i].vf, "", d->uuid, scope);
	if (!ctx->dry_run)
		guest_overrides_remove(dirfd, d->uuid);
	return failures ? HOOK_EXIT_FAIL : HOOK_EXIT_OK;
}

int qemuhook_run(const struct hook_ctx *ctx, enum qemu_op op, const char *argv_guest,
		 const char *input, size_t len)
{
	_cleanup_(dom_doc_freep) struct dom_doc *dp = NULL;
	struct xml_error e = {{0}}, pe = {{0}};
	struct dom_doc *d;
	bool policy_bad;
	char scope[300];
	int r, status;

	if (op == QEMU_OP_IGNORED)
		return HOOK_EXIT_OK;
	/* Most guests have no VF: decide that from the raw text, without parsing. */
	if (op != QEMU_OP_RELEASE_END && !domxml_may_concern_us(input, len))
		return HOOK_EXIT_OK;

	d = calloc(1, sizeof(*d));
	if (!d)
		return log_error_errno(-ENOMEM, "guest '%s': out of memory", argv_guest),
		       op == QEMU_OP_RECONNECT_BEGIN ? HOOK_EXIT_OK : HOOK_EXIT_FAIL;
	dp = d;
	r = domxml_parse(input, len, d, &e, &pe, &policy_bad);
	if (r < 0) {
		log_error_errno(r, "guest '%s': cannot use the domain XML libvirt passed on standard "
				"input: %s", argv_guest, e.msg);
		return op == QEMU_OP_RECONNECT_BEGIN ? HOOK_EXIT_OK : HOOK_EXIT_FAIL;
	}
	snprintf(scope, sizeof(scope), "guest '%s'", d->name);

	if (policy_bad && op != QEMU_OP_RELEASE_END) {
		log_error_errno(-EINVAL, "%s: bad VF override in <metadata>: %s; fix it with "
				"'virsh edit %s'", scope, pe.msg, d->name);
		if (op == QEMU_OP_PREPARE_BEGIN || op == QEMU_OP_START_BEGIN)
			return HOOK_EXIT_FAIL;
	}

	switch (op) {
	case QEMU_OP_PREPARE_BEGIN:
		return record_overrides(ctx, d, scope) < 0 ? HOOK_EXIT_FAIL : HOOK_EXIT_OK;
	case QEMU_OP_START_BEGIN:
		return apply_devices(ctx, d, scope, false);
	case QEMU_OP_RECONNECT_BEGIN:
		/* Never fail: a non-zero exit here makes libvirt kill the running guest. */
		status = apply_devices(ctx, d, scope, true);
		if (status != HOOK_EXIT_OK)
			log_warning("%s: left running although its VF policy could not be "
				    "re-asserted (see the errors above)", scope);
		return HOOK_EXIT_OK;
	case QEMU_OP_RELEASE_END:
		return release(ctx, d, scope);
	case QEMU_OP_IGNORED:
	case _QEMU_OP_MAX:
	case _QEMU_OP_INVALID:
		break;
	}
	return HOOK_EXIT_OK;
}
