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

/* One run of the qemu hook: what every step needs. */
struct qemu_run {
	const struct hook_ctx *ctx;
	const struct dom_doc *d;
	char scope[300]; /* "guest 'g1'", the prefix of every message */
};

/* prepare: hand the guest's overrides to the network hook's port-created, which runs next. A
 * failure is governed by the overrides' on-error: with none saying 'fail', port-created applies
 * the pool's policy and the guest starts. */
static int record_overrides(const struct qemu_run *run, enum on_error *ret_on_error)
{
	const struct hook_ctx *ctx = run->ctx;
	const struct dom_doc *d = run->d;
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
	if (r >= 0)
		return 0;
	*ret_on_error = ON_ERROR_WARN;
	for (size_t i = 0; i < d->n_overrides; i++)
		if (d->overrides[i].on_error == ON_ERROR_FAIL)
			*ret_on_error = ON_ERROR_FAIL;
	if (*ret_on_error == ON_ERROR_FAIL)
		return log_error_errno(r, "%s: cannot record its VF overrides in %s/guest: %m",
				       run->scope, ctx->state_dir);
	return log_warning_errno(r, "%s: cannot record its VF overrides in %s/guest: %m; its "
				 "pool VFs get their pools' policy (on-error='warn')",
				 run->scope, ctx->state_dir);
}

/* The VF behind a guest device: 1 if it is a VF (t filled), 0 if not, -errno (logged). */
static int resolve_vf(const struct qemu_run *run, const struct pci_addr *vf, struct vf_target *t)
{
	int r;

	vf_target_set_vf(t, vf);
	r = sysfs_pci_physfn(run->ctx->sysfs, vf, &t->pf);
	if (r == -ENOENT)
		return 0; /* a PCI device that is not a VF: a GPU, an NVMe disk... not ours */
	if (r < 0)
		return log_vf_error_errno(t, r, "cannot inspect its host device %s: %m", t->vf_addr);
	r = sysfs_pci_netdev(run->ctx->sysfs, &t->pf, t->pf_ifname);
	if (r >= 0)
		r = sysfs_pci_vf_index(run->ctx->sysfs, &t->pf, vf, &t->index);
	if (r < 0)
		return log_vf_error_errno(t, r, "cannot find the PF interface and index of VF %s: %m",
					  t->vf_addr);
	return 1;
}

/* The host file, read on first need: NULL when there is none (-ENOENT). */
static int load_conf(const struct qemu_run *run, struct host_conf **ret)
{
	_cleanup_free_ struct host_conf *conf = calloc(1, sizeof(*conf));
	char err[512];
	int r;

	if (!conf)
		return log_error_errno(-ENOMEM, "%s: out of memory", run->scope);
	r = conf_load(run->ctx->conf_path, conf, err, sizeof(err));
	if (r == -ENOENT) {
		*ret = NULL;
		return 0;
	}
	if (r < 0)
		return log_error_errno(r, "%s: %s; fix the host file", run->scope, err);
	*ret = TAKE_PTR(conf);
	return 0;
}

/* What start or reconnect does to one of the guest's VFs. */
struct dev_action {
	struct vf_target t;
	struct vf_settings want;
	struct vf_record rec; /* a VF we manage already: its record, which t's names point into */
};

/* Decide, for one device, whether and with which policy we act on its VF: 1 (a filled), 0 (not
 * ours), -errno (logged; *ret_fatal when the host file is broken: nothing more is done). */
static int plan_device(const struct qemu_run *run, int dirfd, const struct dom_dev *dev,
		       bool reassert_only, struct host_conf **conf, bool *conf_loaded,
		       struct dev_action *a, bool *ret_fatal)
{
	const struct dom_doc *d = run->d;
	const struct vf_override *o = domxml_override(d, dev->mac);
	struct pool_policy policy;
	int r;

	a->t = (struct vf_target){
		.scope = run->scope,
		.network = "",
		.network_uuid = "",
		.port_uuid = "",
		.owner_name = d->name,
		.owner_uuid = d->uuid,
	};
	r = resolve_vf(run, &dev->addr, &a->t);
	if (r <= 0)
		return r;

	/* A VF we already manage for this guest: bring it back to what its owner wants (a PF
	 * reset, or libvirt's own VF reset, may have cleared it). */
	if (dirfd >= 0 && state_load(dirfd, &a->t.vf, &a->rec) >= 0 &&
	    strcmp(a->rec.owner_uuid, d->uuid) == 0) {
		a->t.network = a->rec.network;
		a->t.network_uuid = a->rec.network_uuid;
		a->t.port_uuid = a->rec.port_uuid;
		a->t.on_error = a->rec.on_error;
		a->want = a->rec.want;
		return 1;
	}
	if (reassert_only)
		return 0;

	/* A direct VF (a pool port shows as <interface type='hostdev'> too, but has a record
	 * from port-created): ours only where the host file names its PF, or the guest has an
	 * override for it. On an OpenStack host the SR-IOV agent owns the rest. */
	if (!*conf_loaded) {
		*conf_loaded = true;
		r = load_conf(run, conf);
		if (r < 0) {
			*ret_fatal = true;
			return r;
		}
	}
	if (directvf_policy(*conf, a->t.pf_ifname, o, &policy) == 0)
		return 0;
	a->want = policy.want;
	a->t.on_error = (int)policy.on_error;
	return 1;
}

/*
 * start: policy on direct VFs, re-assertion on pool VFs. reconnect: re-assertion only. One lock
 * and one read per PF, however many of its VFs the guest has. Returns 0 or the first -errno;
 * *ret_on_error is 'fail' when any failure is under a policy that says so.
 */
static int apply_devices(const struct qemu_run *run, bool reassert_only,
			 enum on_error *ret_on_error)
{
	const struct dom_doc *d = run->d;
	_cleanup_close_ int dirfd = -EBADF;
	_cleanup_free_ struct host_conf *conf = NULL;
	_cleanup_free_ struct dev_action *acts = calloc(d->n_devs ?: 1, sizeof(*acts));
	_cleanup_free_ bool *done = calloc(d->n_devs ?: 1, sizeof(bool));
	size_t n = 0;
	bool conf_loaded = false, fatal = false;
	int r, ret = 0;

	*ret_on_error = ON_ERROR_WARN;
	if (!acts || !done)
		return log_error_errno(-ENOMEM, "%s: out of memory", run->scope);
	if (state_open(run->ctx->state_dir, false, &dirfd) < 0)
		dirfd = -EBADF;

	for (size_t i = 0; i < d->n_devs && !fatal; i++) {
		r = plan_device(run, dirfd, &d->devs[i], reassert_only, &conf, &conf_loaded,
				&acts[n], &fatal);
		if (r < 0) {
			*ret_on_error = ON_ERROR_FAIL;
			RET_GATHER(ret, r);
		} else if (r > 0) {
			n++;
		}
	}
	if (fatal)
		return ret;

	/* One PF at a time: its lock and its VF table once for all of the guest's VFs on it. */
	for (size_t i = 0; i < n; i++) {
		struct pf_session s;

		if (done[i])
			continue;
		r = apply_pf_open(run->ctx, run->scope, &acts[i].t.pf, acts[i].t.pf_ifname, &s);
		for (size_t j = i; j < n; j++) {
			int q;

			if (done[j] || !pci_addr_equal(&acts[j].t.pf, &acts[i].t.pf))
				continue;
			done[j] = true;
			q = r < 0 ? r : apply_vf_policy_in(&s, &acts[j].t, &acts[j].want);
			if (q < 0 && acts[j].t.on_error == ON_ERROR_FAIL)
				*ret_on_error = ON_ERROR_FAIL;
			RET_GATHER(ret, q);
		}
		if (r >= 0)
			apply_pf_close(&s);
	}
	return ret;
}

/* release: this guest's records, direct VFs and pool VFs a net-destroy left with it. */
static bool release_keeps(const struct vf_record *rec, const void *arg,
			  const char **ret_port_uuid, const char **ret_owner_uuid)
{
	const struct dom_doc *d = arg;

	if (strcmp(rec->owner_uuid, d->uuid) != 0)
		return false;
	*ret_port_uuid = rec->port_uuid;
	*ret_owner_uuid = d->uuid;
	return true;
}

/* release: put back every VF recorded for this guest, and forget its overrides. */
static int release(const struct qemu_run *run)
{
	_cleanup_close_ int dirfd = -EBADF;
	_cleanup_free_ struct vf_record *recs = NULL;
	int n, r;

	if (state_open(run->ctx->state_dir, false, &dirfd) < 0)
		return 0;
	n = state_list(dirfd, &recs);
	if (n < 0)
		return log_error_errno(n, "%s: cannot list %s/vf: %m", run->scope,
				       run->ctx->state_dir);
	r = apply_restore_records(run->ctx, run->scope, recs, (size_t)n, release_keeps, run->d);
	if (!run->ctx->dry_run)
		guest_overrides_remove(dirfd, run->d->uuid);
	return r;
}

int qemuhook_run(const struct hook_ctx *ctx, enum qemu_op op, const char *argv_guest,
		 const char *input, size_t len, enum on_error *ret_on_error)
{
	_cleanup_(dom_doc_freep) struct dom_doc *d = NULL;
	struct xml_error e = {{0}}, pe = {{0}};
	struct qemu_run run = {.ctx = ctx};
	bool policy_bad;
	int r;

	/* A failure stops libvirt's operation unless a policy's on-error says otherwise. */
	*ret_on_error = ON_ERROR_FAIL;
	if (op == QEMU_OP_IGNORED)
		return 0;
	/* Most guests have no VF: decide that from the raw text, without parsing. */
	if (op != QEMU_OP_RELEASE_END && !domxml_may_concern_us(input, len))
		return 0;

	d = calloc(1, sizeof(*d));
	if (!d)
		return log_error_errno(-ENOMEM, "guest '%s': out of memory", argv_guest);
	r = domxml_parse(input, len, d, &e, &pe, &policy_bad);
	if (r < 0)
		return log_error_errno(r, "guest '%s': cannot use the domain XML libvirt passed on "
				       "standard input: %s", argv_guest, e.msg);
	run.d = d;
	snprintf(run.scope, sizeof(run.scope), "guest '%s'", d->name);

	if (policy_bad && op != QEMU_OP_RELEASE_END) {
		r = log_error_errno(-EINVAL, "%s: bad VF override in <metadata>: %s; fix it with "
				    "'virsh edit %s'", run.scope, pe.msg, d->name);
		if (op == QEMU_OP_PREPARE_BEGIN || op == QEMU_OP_START_BEGIN)
			return r;
	}

	if (d->ns_near_miss[0] && op == QEMU_OP_PREPARE_BEGIN)
		log_warning("%s: <metadata> has an element in the namespace '%s', which is not ours "
			    "('%s'): it is ignored. Correct it with 'virsh edit %s'", run.scope,
			    d->ns_near_miss, POLICY_NS, d->name);

	switch (op) {
	case QEMU_OP_PREPARE_BEGIN:
		return record_overrides(&run, ret_on_error);
	case QEMU_OP_START_BEGIN:
		return apply_devices(&run, false, ret_on_error);
	case QEMU_OP_RECONNECT_BEGIN:
		r = apply_devices(&run, true, ret_on_error);
		if (r < 0)
			log_warning("%s: left running although its VF policy could not be "
				    "re-asserted (see the errors above)", run.scope);
		return r;
	case QEMU_OP_RELEASE_END:
		return release(&run);
	case QEMU_OP_IGNORED:
	case _QEMU_OP_MAX:
	case _QEMU_OP_INVALID:
		break;
	}
	return 0;
}

int qemuhook_exit_status(enum qemu_op op, int r, enum on_error on_error)
{
	/* Never fail reconnect: a non-zero exit there makes libvirt kill the running guest. */
	if (op == QEMU_OP_RECONNECT_BEGIN)
		return HOOK_EXIT_OK;
	return r < 0 && on_error == ON_ERROR_FAIL ? HOOK_EXIT_FAIL : HOOK_EXIT_OK;
}
