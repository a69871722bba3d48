/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>
#include <time.h>

#include "apply.h"
#include "log.h"
#include "plan.h"
#include "policy.h"
#include "sysfs.h"
#include "vf.h"


/* The kernel creates virtfnN links before the sriov_numvfs write returns; wait a little anyway,
 * bounded, since libvirt enumerates them right after we exit. */
#define VIRTFN_WAIT_MS 5000

static void sleep_ms(long ms)
{
	nanosleep(&(struct timespec){.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L}, NULL);
}

void vf_target_set_vf(struct vf_target *t, const struct pci_addr *vf)
{
	t->vf = *vf;
	pci_addr_format(vf, t->vf_addr);
}

_printf_(4, 0) static int log_vf_va(enum log_level level, const struct vf_target *t, int r,
				    const char *fmt, va_list ap)
{
	return log_prefixed_va(level, r, t->scope, fmt, ap);
}

int log_vf_error_errno(const struct vf_target *t, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	r = log_vf_va(LOG_LEVEL_ERROR, t, r, fmt, ap);
	va_end(ap);
	return r;
}

int log_vf_warning_errno(const struct vf_target *t, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	r = log_vf_va(LOG_LEVEL_WARNING, t, r, fmt, ap);
	va_end(ap);
	return r;
}

void log_vf_action(const struct vf_target *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vf_va(LOG_LEVEL_ACTION, t, 0, fmt, ap);
	va_end(ap);
}

void log_vf_debug(const struct vf_target *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vf_va(LOG_LEVEL_DEBUG, t, 0, fmt, ap);
	va_end(ap);
}

static const char *driver_of(const struct hook_ctx *ctx, const struct pci_addr *pf, char *buf,
			     size_t n)
{
	if (sysfs_pci_driver(ctx->sysfs, pf, buf, n) < 0)
		snprintf(buf, n, "unknown");
	return buf;
}

static int lock_pf(const struct hook_ctx *ctx, const char *scope, const struct pci_addr *pf,
		   const char *pf_ifname, int *ret_dirfd, int *ret_lock)
{
	char a[PCI_ADDR_STRLEN];
	int r;

	pci_addr_format(pf, a);
	r = state_open(ctx->state_dir, true, ret_dirfd);
	if (r < 0)
		return log_error_errno(r, "%s: cannot open the state directory %s: %m", scope,
				       ctx->state_dir);
	/* Every lock of a run draws from its one deadline: a stuck lock costs a run its budget
	 * once, not once per VF or PF. */
	r = state_lock_pf(*ret_dirfd, pf, hook_time_left_ms(ctx, STATE_LOCK_TIMEOUT_MS), ret_lock);
	/* Only a timeout means another hook holds it; EROFS, ENOSPC, EACCES are the directory's. */
	if (r < 0 && r != -ETIMEDOUT)
		return log_error_errno(r, "%s: cannot lock PF '%s' (%s) in %s: %m", scope, pf_ifname,
				       a, ctx->state_dir);
	if (r < 0) {
		char holder[STATE_HOLDER_MAX];

		if (state_lock_holder(*ret_dirfd, pf, holder, sizeof(holder)) < 0)
			snprintf(holder, sizeof(holder), "unknown");
		return log_error_errno(r,
				       "%s: PF '%s' (%s) stayed locked by another hook (%s) for "
				       "the whole time this hook may wait; nothing was changed on "
				       "it. If that hook is stuck, end it (ps, kill); its lock is "
				       "%s/lock/%s",
				       scope, pf_ifname, a, holder, ctx->state_dir, a);
	}
	return 0;
}

/* Send the changes: one RTM_SETLINK carrying them all, or, when it fails, one per attribute that
 * still differs, so the error names the attribute the driver refused. ret_applied (optional) gets
 * what was set. Returns 0 or the first -errno; each failure is logged. */
static int set_attrs(const struct hook_ctx *ctx, struct vf_link *link, const struct vf_target *t,
		     const struct vf_settings *cur, const struct vf_settings *changes,
		     const char *verb, struct vf_settings *ret_applied)
{
	struct vf_settings now;
	char drv[64];
	int ret = 0, all = 1 /* no request for all of them */, order[_VF_ATTR_MAX];
	bool reread = false;

	/* One request per attribute (and the log lines): table order, except that the two rates go
	 * in the order that keeps min <= max at every step (IFLA_VF_RATE sends both, the other one
	 * as it is now). */
	vf_settings_init(&now);
	for (int i = 0; i < _VF_ATTR_MAX; i++)
		order[i] = i;
	if (changes->v[VF_ATTR_MAX_TX_RATE] > 0 &&
	    changes->v[VF_ATTR_MAX_TX_RATE] < cur->v[VF_ATTR_MIN_TX_RATE]) {
		order[VF_ATTR_MAX_TX_RATE] = VF_ATTR_MIN_TX_RATE;
		order[VF_ATTR_MIN_TX_RATE] = VF_ATTR_MAX_TX_RATE;
	}

	/* Every attribute in one request: the driver does its work (igb: a mailbox exchange with
	 * the VF) once per VF, not once per attribute. Both rates travel in its IFLA_VF_RATE with
	 * their final values, so min <= max holds before and after. */
	if (vf_settings_count(changes) > 1) {
		all = vf_link_set_many(link, t->index, changes);
		/* The kernel applies a request's attributes in turn and stops at the first the
		 * driver refuses, keeping what it applied before (hook-contract.md §9): read the VF
		 * again, and send what still differs one attribute at a time. Not after a timeout:
		 * each request would wait as long again while libvirt holds its locks. */
		if (all < 0 && all != -ETIMEDOUT)
			reread = vf_link_reload(link) >= 0 && vf_link_get(link, t->index, &now) >= 0;
		if (all < 0)
			log_vf_debug(t, "one request for VF %u (%s) of PF '%s' failed: %s", t->index,
				     t->vf_addr, t->pf_ifname, strerror(-all));
	}

	for (int k = 0; k < _VF_ATTR_MAX; k++) {
		int i = order[k];
		enum vf_attr attr = (enum vf_attr)i;
		int r;

		if (changes->v[i] == VF_UNSET)
			continue;
		if (all == 0 || (reread && now.v[i] == changes->v[i]))
			r = 0; /* the one request set it */
		else if (all == -ETIMEDOUT)
			r = all; /* it was in the one request, which got no answer */
		else
			r = vf_link_set(link, t->index, attr, changes->v[i]);
		if (r == -EOPNOTSUPP) {
			RET_GATHER(ret, log_vf_error_errno(t, r,
							   "the %s driver of PF '%s' does not support "
							   "%s on VF %u (%s, guest '%s'): %m",
							   driver_of(ctx, &t->pf, drv, sizeof(drv)),
							   t->pf_ifname, vf_attr_name(attr), t->index,
							   t->vf_addr, t->owner_name));
		} else if (r < 0) {
			RET_GATHER(ret, log_vf_error_errno(t, r,
							   "failed to set %s %s on VF %u (%s) of PF "
							   "'%s' (guest '%s'): %m",
							   vf_attr_name(attr),
							   vf_attr_format(attr, changes->v[i]),
							   t->index, t->vf_addr, t->pf_ifname,
							   t->owner_name));
			/* No answer within the socket timeout: the driver may still apply it. Count
			 * it as set, so a rollback sends the original back (or, failing that, keeps
			 * the record) rather than forget the original of a change that may land. */
			if (r == -ETIMEDOUT && ret_applied)
				ret_applied->v[i] = changes->v[i];
		} else {
			if (ret_applied)
				ret_applied->v[i] = changes->v[i];
			log_vf_action(t, "%s VF %u (%s) of PF '%s' for guest '%s': %s %s -> %s", verb,
				      t->index, t->vf_addr, t->pf_ifname, t->owner_name,
				      vf_attr_name(attr), vf_attr_format(attr, cur->v[i]),
				      vf_attr_format(attr, changes->v[i]));
		}
	}
	return ret;
}

/* Attributes the policy wants but the driver reports it cannot do (-1 in the VF dump): one
 * message each, and nothing sent for them. Returns 0 or -EOPNOTSUPP. */
static int report_unsupported(const struct hook_ctx *ctx, const struct vf_target *t,
			      const struct vf_settings *cur, const struct vf_settings *want)
{
	struct vf_settings bad;
	char drv[64];
	int ret = 0;

	if (plan_vf_unsupported(cur, want, &bad) == 0)
		return 0;
	for (int i = 0; i < _VF_ATTR_MAX; i++) {
		if (bad.v[i] == VF_UNSET)
			continue;
		ret = log_vf_error_errno(t, -EOPNOTSUPP,
					 "the %s driver of PF '%s' does not support %s on VF %u "
					 "(%s, guest '%s'): it reports no value for it; nothing sent",
					 driver_of(ctx, &t->pf, drv, sizeof(drv)), t->pf_ifname,
					 vf_attr_name((enum vf_attr)i), t->index, t->vf_addr,
					 t->owner_name);
	}
	return ret;
}

int apply_pf_open(const struct hook_ctx *ctx, const char *scope, const struct pci_addr *pf,
		  const char *pf_ifname, struct pf_session *ret)
{
	struct pf_session s = {
		.ctx = ctx,
		.scope = scope,
		.pf = *pf,
		.dirfd = -EBADF,
		.lock = -EBADF,
	};
	int r;

	snprintf(s.pf_ifname, sizeof(s.pf_ifname), "%s", pf_ifname);
	if (ctx->dry_run) {
		if (state_open(ctx->state_dir, false, &s.dirfd) < 0)
			s.dirfd = -EBADF;
	} else {
		r = lock_pf(ctx, scope, pf, pf_ifname, &s.dirfd, &s.lock);
		if (r < 0) {
			apply_pf_close(&s);
			return r;
		}
	}
	/* Read under the lock: nobody else changes this PF's VFs while we decide. */
	s.link_error = vf_link_open(s.pf_ifname, &s.link);
	*ret = s;
	return 0;
}

void apply_pf_close(struct pf_session *s)
{
	vf_link_free(s->link);
	s->link = NULL;
	closep(&s->lock);
	closep(&s->dirfd);
	s->lock = s->dirfd = -EBADF;
}

/* Current state of one VF, from the PF's table read at open. */
static int read_vf(const struct pf_session *s, const struct vf_target *t, struct vf_settings *ret)
{
	if (!s->link)
		return s->link_error;
	return vf_link_get(s->link, t->index, ret);
}

/* Nothing more is sent once the run's deadline has passed: libvirt is waiting. */
static int check_deadline(const struct pf_session *s, const struct vf_target *t)
{
	if (hook_time_left_ms(s->ctx, 1) > 0)
		return 0;
	return log_vf_error_errno(t, -ETIME,
				  "the hook has used its %d s; VF %u (%s) of PF '%s' is left as it "
				  "is and its record kept, for the next run",
				  HOOK_RUN_BUDGET_MS / 1000, t->index, t->vf_addr, t->pf_ifname);
}

/*
 * on-error='fail' refuses the port, and libvirt then runs no port-deleted for it: put back what
 * this run set, and the record as it was, so a refused port leaves the VF untouched.
 */
static void rollback(const struct hook_ctx *ctx, int dirfd, struct vf_link *link,
		     const struct vf_target *t, const struct vf_settings *cur,
		     const struct vf_settings *applied, const struct vf_record *before)
{
	struct vf_settings back;
	int r;

	vf_settings_init(&back);
	for (int i = 0; i < _VF_ATTR_MAX; i++)
		if (applied->v[i] != VF_UNSET && cur->v[i] >= 0)
			back.v[i] = cur->v[i];
	if (set_attrs(ctx, link, t, applied, &back, "rolled back", NULL) < 0)
		return; /* the record stays: a later stop or release puts the originals back */
	r = before ? state_save(dirfd, before) : state_remove(dirfd, &t->vf);
	if (r < 0)
		log_vf_warning_errno(t, r, "cannot put back the record of VF %s: %m", t->vf_addr);
}

static bool record_is_owners(const struct vf_record *rec, const struct vf_target *t)
{
	return strcmp(rec->port_uuid, t->port_uuid ?: "") == 0 &&
	       strcmp(rec->owner_uuid, t->owner_uuid ?: "") == 0;
}

int apply_vf_policy_in(struct pf_session *s, const struct vf_target *t,
		       const struct vf_settings *want)
{
	const struct hook_ctx *ctx = s->ctx;
	struct vf_settings cur, changes;
	struct vf_settings applied;
	struct vf_record rec, before;
	char buf[256];
	bool have_rec = false;
	int r, ret;

	if (vf_settings_check(want, buf, sizeof(buf)) < 0)
		return log_vf_error_errno(t, -EINVAL, "policy for VF %s of guest '%s': %s",
					  t->vf_addr, t->owner_name, buf);
	if (ctx->dry_run) {
		if (read_vf(s, t, &cur) < 0)
			vf_settings_init(&cur); /* unknown: plan every setting */
		ret = report_unsupported(ctx, t, &cur, want);
		if (plan_vf_changes(&cur, want, &changes) > 0)
			log_plan("vf %s %u (%s) %s", t->pf_ifname, t->index, t->vf_addr,
				 vf_settings_format(&changes, buf, sizeof(buf)));
		return ret;
	}

	r = read_vf(s, t, &cur);
	if (r == -ENOENT)
		return log_vf_error_errno(t, r,
					  "PF '%s' lists no VF %u (%s) in its netlink VF table; is "
					  "sriov_numvfs being changed?",
					  t->pf_ifname, t->index, t->vf_addr);
	if (r < 0)
		return log_vf_error_errno(t, r, "cannot read the state of VF %u (%s) from PF '%s': %m",
					  t->index, t->vf_addr, t->pf_ifname);

	r = state_load(s->dirfd, &t->vf, &rec);
	if (r >= 0)
		have_rec = true;
	else if (r != -ENOENT)
		log_vf_warning_errno(t, r, "ignoring the unreadable record of VF %s in %s/vf: %m",
				     t->vf_addr, ctx->state_dir);

	if (!have_rec) {
		rec = (struct vf_record){.vf = t->vf};
		vf_settings_init(&rec.orig);
	} else if (!record_is_owners(&rec, t)) {
		/* A new owner whose predecessor was never released (net-destroy skips
		 * port-deleted): the VF still carries our settings, so the saved originals stay. */
		log_vf_debug(t, "VF %s passes from '%s' to '%s'", t->vf_addr, rec.owner_name,
			     t->owner_name);
	}

	/* A record even when nothing differs: it names the owner (so a restore is owner-guarded)
	 * and what its policy wants (so the qemu hook can re-assert it). */
	plan_vf_changes(&cur, want, &changes);
	ret = report_unsupported(ctx, t, &cur, want);
	if (ret < 0 && t->on_error == ON_ERROR_FAIL)
		return ret; /* the port is refused: leave the VF exactly as it is */
	if (have_rec && vf_settings_count(&changes) == 0 && record_is_owners(&rec, t) &&
	    memcmp(&rec.want, want, sizeof(*want)) == 0 && rec.on_error == t->on_error)
		return ret; /* a replay: nothing to send, nothing to save */
	r = check_deadline(s, t);
	if (r < 0)
		return r;

	before = rec;
	rec.pf = t->pf;
	snprintf(rec.pf_ifname, sizeof(rec.pf_ifname), "%s", t->pf_ifname);
	rec.index = t->index;
	snprintf(rec.network, sizeof(rec.network), "%s", t->network ?: "");
	snprintf(rec.network_uuid, sizeof(rec.network_uuid), "%s", t->network_uuid ?: "");
	snprintf(rec.port_uuid, sizeof(rec.port_uuid), "%s", t->port_uuid ?: "");
	snprintf(rec.owner_name, sizeof(rec.owner_name), "%s", t->owner_name ?: "");
	snprintf(rec.owner_uuid, sizeof(rec.owner_uuid), "%s", t->owner_uuid ?: "");
	plan_record_originals(&rec.orig, &cur, &changes);
	rec.want = *want;
	rec.on_error = t->on_error;

	/* Saved before anything changes: a crash after this still leaves the originals. */
	r = state_save(s->dirfd, &rec);
	if (r < 0)
		return log_vf_error_errno(t, r,
					  "cannot save the original state of VF %u (%s) in %s: %m; "
					  "nothing changed",
					  t->index, t->vf_addr, ctx->state_dir);
	vf_settings_init(&applied);
	RET_GATHER(ret, set_attrs(ctx, s->link, t, &cur, &changes, "set", &applied));
	if (ret < 0 && t->on_error == ON_ERROR_FAIL)
		rollback(ctx, s->dirfd, s->link, t, &cur, &applied, have_rec ? &before : NULL);
	return ret;
}

int apply_vf_policy(const struct hook_ctx *ctx, const struct vf_target *t,
		    const struct vf_settings *want)
{
	struct pf_session s;
	int r;

	r = apply_pf_open(ctx, t->scope, &t->pf, t->pf_ifname, &s);
	if (r < 0)
		return r;
	r = apply_vf_policy_in(&s, t, want);
	apply_pf_close(&s);
	return r;
}

int apply_vf_restore_in(struct pf_session *s, const struct pci_addr *vf, const char *port_uuid,
			const char *owner_uuid)
{
	const struct hook_ctx *ctx = s->ctx;
	struct vf_settings cur, changes;
	struct vf_record rec;
	struct vf_target t = {.scope = s->scope};
	char buf[256];
	int r;

	vf_target_set_vf(&t, vf);
	if (s->dirfd < 0)
		return 0; /* a dry run on a host with no state */
	r = state_load(s->dirfd, vf, &rec);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return log_vf_error_errno(&t, r,
					  "cannot use the record of VF %s in %s/vf: %m; the VF keeps "
					  "what the hooks set. Check it with 'ip link show %s' and "
					  "remove the record",
					  t.vf_addr, ctx->state_dir, s->pf_ifname);
	if ((port_uuid && strcmp(rec.port_uuid, port_uuid) != 0) ||
	    (owner_uuid && strcmp(rec.owner_uuid, owner_uuid) != 0)) {
		/* sriov-cni#219: never reset a VF that already belongs to someone else. */
		log_vf_debug(&t, "VF %s now belongs to port %s of guest '%s'; left alone", t.vf_addr,
			     rec.port_uuid, rec.owner_name);
		return 0;
	}

	t.pf = rec.pf;
	t.index = rec.index;
	t.owner_name = rec.owner_name;
	snprintf(t.pf_ifname, sizeof(t.pf_ifname), "%s", s->pf_ifname);

	r = read_vf(s, &t, &cur);
	if (ctx->dry_run) {
		if (r < 0)
			vf_settings_init(&cur);
		if (plan_vf_changes(&cur, &rec.orig, &changes) > 0)
			log_plan("restore %s %u (%s) %s", t.pf_ifname, t.index, t.vf_addr,
				 vf_settings_format(&changes, buf, sizeof(buf)));
		return 0;
	}
	if (r == -ENODEV || r == -ENOENT) {
		/* The PF or the VF is gone (driver unloaded, sriov_numvfs rewritten): there is
		 * nothing left to restore. */
		log_vf_warning_errno(&t, r, "VF %u (%s) of PF '%s' no longer exists; dropping its "
				     "record", t.index, t.vf_addr, t.pf_ifname);
		state_remove(s->dirfd, vf);
		return 0;
	}
	if (r < 0)
		return log_vf_error_errno(&t, r,
					  "cannot read the state of VF %u (%s) from PF '%s': %m; its "
					  "record stays in %s/vf",
					  t.index, t.vf_addr, t.pf_ifname, ctx->state_dir);
	plan_vf_changes(&cur, &rec.orig, &changes);
	if (vf_settings_count(&changes) > 0) {
		r = check_deadline(s, &t);
		if (r < 0)
			return r;
	}
	r = set_attrs(ctx, s->link, &t, &cur, &changes, "restored", NULL);
	if (r < 0)
		return r; /* the record stays, so a later stop can try again */
	r = state_remove(s->dirfd, vf);
	if (r < 0)
		log_vf_warning_errno(&t, r, "cannot remove the record of VF %s: %m", t.vf_addr);
	return 0;
}

/* The PF a record is under, and its interface name now (the PF may have been renamed since: its
 * PCI address is what the record keys on). */
static void record_pf_ifname(const struct hook_ctx *ctx, const struct vf_record *rec,
			     char ret[static IFNAMSIZ])
{
	if (sysfs_pci_netdev(ctx->sysfs, &rec->pf, ret) < 0)
		snprintf(ret, IFNAMSIZ, "%s", rec->pf_ifname);
}

int apply_vf_restore(const struct hook_ctx *ctx, const struct pci_addr *vf, const char *port_uuid,
		     const char *owner_uuid, const char *scope)
{
	_cleanup_close_ int dirfd = -EBADF;
	struct vf_record rec;
	struct pf_session s;
	char ifname[IFNAMSIZ];
	int r;

	/* Peek, to learn which PF to open; the record is read again under its lock. */
	r = state_open(ctx->state_dir, false, &dirfd);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return log_error_errno(r, "%s: cannot open the state directory %s: %m", scope,
				       ctx->state_dir);
	r = state_load(dirfd, vf, &rec);
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		char a[PCI_ADDR_STRLEN];

		return log_error_errno(r, "%s: cannot use the record of VF %s in %s/vf: %m; the VF "
				       "keeps what the hooks set. Check it with 'ip link' and "
				       "remove the record", scope, pci_addr_format(vf, a),
				       ctx->state_dir);
	}
	record_pf_ifname(ctx, &rec, ifname);
	r = apply_pf_open(ctx, scope, &rec.pf, ifname, &s);
	if (r < 0)
		return r;
	r = apply_vf_restore_in(&s, vf, port_uuid, owner_uuid);
	apply_pf_close(&s);
	return r;
}

int apply_restore_records(const struct hook_ctx *ctx, const char *scope,
			  const struct vf_record *recs, size_t n,
			  bool (*keep)(const struct vf_record *rec, const void *arg,
				       const char **ret_port_uuid, const char **ret_owner_uuid),
			  const void *arg)
{
	_cleanup_free_ bool *done = calloc(n ?: 1, sizeof(bool));
	int ret = 0;

	if (!done)
		return log_error_errno(-ENOMEM, "%s: out of memory", scope);
	/* One PF at a time: its lock and its VF table once for all of its records. */
	for (size_t i = 0; i < n; i++) {
		const char *port, *owner;
		struct pf_session s;
		char ifname[IFNAMSIZ];
		int r;

		if (done[i] || !keep(&recs[i], arg, &port, &owner))
			continue;
		record_pf_ifname(ctx, &recs[i], ifname);
		r = apply_pf_open(ctx, scope, &recs[i].pf, ifname, &s);
		for (size_t j = i; j < n; j++) {
			if (done[j] || !pci_addr_equal(&recs[j].pf, &recs[i].pf) ||
			    !keep(&recs[j], arg, &port, &owner))
				continue;
			done[j] = true;
			if (r >= 0)
				RET_GATHER(ret, apply_vf_restore_in(&s, &recs[j].vf, port, owner));
		}
		if (r >= 0)
			apply_pf_close(&s);
		RET_GATHER(ret, r);
	}
	return ret;
}

int apply_numvfs(const struct hook_ctx *ctx, const char *scope, const char *pf_ifname,
		 int64_t policy_vfs)
{
	_cleanup_close_ int dirfd = -EBADF, lock = -EBADF;
	struct pci_addr pf;
	uint32_t cur, total, want, now, links = 0;
	char a[PCI_ADDR_STRLEN];
	int r, action;

	r = sysfs_netdev_pci(ctx->sysfs, pf_ifname, &pf);
	if (r == -ENODEV)
		return log_error_errno(r, "%s: PF '%s' does not exist (no /sys/class/net/%s); "
				       "check <pf dev='%s'/> in the network definition",
				       scope, pf_ifname, pf_ifname, pf_ifname);
	if (r == -ENXIO)
		return log_error_errno(-ENOTSUP, "%s: '%s' is not a PCI device, so it has no VFs; "
				       "<pf dev> must name an SR-IOV capable NIC", scope,
				       pf_ifname);
	if (r < 0)
		return log_error_errno(r, "%s: cannot find the PCI device of PF '%s': %m", scope,
				       pf_ifname);

	for (int pass = 0; pass < 2; pass++) {
		r = sysfs_pci_sriov_file(ctx->sysfs, &pf, "sriov_totalvfs", &total);
		if (r == -ENOTSUP)
			return log_error_errno(r, "%s: PF '%s' (%s) is not SR-IOV capable (no "
					       "sriov_totalvfs); enable SR-IOV in the firmware or "
					       "driver, or use another NIC", scope, pf_ifname,
					       pci_addr_format(&pf, a));
		if (r < 0)
			return log_error_errno(r, "%s: cannot read sriov_totalvfs of PF '%s' (%s): %m",
					       scope, pf_ifname, pci_addr_format(&pf, a));
		r = sysfs_pci_sriov_file(ctx->sysfs, &pf, "sriov_numvfs", &cur);
		if (r < 0)
			return log_error_errno(r, "%s: cannot read sriov_numvfs of PF '%s' (%s): %m",
					       scope, pf_ifname, pci_addr_format(&pf, a));
		action = plan_numvfs(cur, total, policy_vfs, &want);
		if (action == -ERANGE)
			return log_error_errno(action, "%s: PF '%s' (%s) supports at most %u VFs, "
					       "the policy asks for %u; lower vfs= in the network's "
					       "<metadata>", scope, pf_ifname,
					       pci_addr_format(&pf, a), total, want);
		if (action == NUMVFS_KEEP)
			return 0;
		if (action == NUMVFS_MISMATCH) {
			log_warning("%s: PF '%s' has %u VFs, the policy asks for %u; left as it is, "
				    "since changing it destroys every VF, in use or not. To change "
				    "it, stop the guests using them, then: echo 0 > "
				    "/sys/bus/pci/devices/%s/sriov_numvfs; echo %u > "
				    "/sys/bus/pci/devices/%s/sriov_numvfs",
				    scope, pf_ifname, cur, want, pci_addr_format(&pf, a), want, a);
			return 0;
		}
		if (ctx->dry_run) {
			log_plan("numvfs %s %u -> %u", pf_ifname, cur, want);
			return 0;
		}
		if (pass == 0) {
			/* Another network on this PF may be starting too: decide again under
			 * the lock, so sriov_numvfs is written once. */
			r = lock_pf(ctx, scope, &pf, pf_ifname, &dirfd, &lock);
			if (r < 0)
				return r;
		}
	}

	r = sysfs_pci_write_numvfs(ctx->sysfs, &pf, want);
	if (r < 0)
		return log_error_errno(r, "%s: writing %u to sriov_numvfs of PF '%s' (%s) failed: "
				       "%m; see the kernel log (dmesg) for the driver's reason",
				       scope, want, pf_ifname, pci_addr_format(&pf, a));
	for (int waited = 0;; waited += 10) {
		r = sysfs_pci_count_virtfn(ctx->sysfs, &pf, want, &links);
		if (r < 0 || links >= want || waited >= VIRTFN_WAIT_MS)
			break;
		sleep_ms(10);
	}
	if (sysfs_pci_sriov(ctx->sysfs, &pf, &now, &total) < 0)
		now = want;
	log_action("%s: PF '%s' (%s): sriov_numvfs %u -> %u", scope, pf_ifname,
		   pci_addr_format(&pf, a), cur, now);
	if (now < want || links < now)
		log_warning("%s: PF '%s' (%s): asked for %u VFs, the driver enabled %u and %u "
			    "appeared in sysfs", scope, pf_ifname, a, want, now, links);
	return 0;
}
