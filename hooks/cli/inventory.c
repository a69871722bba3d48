/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What status shows and doctor checks: every VF pool and every directly assigned VF, from
 * libvirt's networks and guests, sysfs, one RTM_GETLINK per PF and our state records, each VF
 * resolved to its owner and the settings its policy wants. Read-only throughout.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "directvf.h"
#include "domxml.h"
#include "inventory.h"
#include "log.h"
#include "netxml.h"
#include "sysfs.h"
#include "virt.h"

/* The guests' view, for owners and per-guest overrides: running guests only, since only they
 * hold a VF. */
struct guests {
	size_t n;
	struct dom_doc *docs;
};

static void guests_free(struct guests *g)
{
	for (size_t i = 0; i < g->n; i++)
		domxml_free(&g->docs[i]);
	free(g->docs);
	*g = (struct guests){0};
}

static int guests_load(struct virt *v, struct guests *ret)
{
	struct virt_doc *docs = NULL;
	size_t n = 0;
	int r;

	*ret = (struct guests){0};
	r = virt_domains(v, &docs, &n);
	if (r < 0)
		return r;
	ret->docs = calloc(n + 1, sizeof(*ret->docs));
	if (!ret->docs) {
		virt_docs_free(docs, n);
		return log_error_errno(-ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct xml_error e = {{0}}, pe = {{0}};
		bool bad;

		if (!docs[i].active)
			continue;
		if (domxml_parse(docs[i].xml, strlen(docs[i].xml), &ret->docs[ret->n], &e, &pe,
				 &bad) < 0) {
			log_warning_errno(-EINVAL, "ignoring guest '%s': %s", docs[i].name, e.msg);
			continue;
		}
		ret->n++;
	}
	virt_docs_free(docs, n);
	return 0;
}

/* The running guest that holds a VF, and that device's MAC. */
static const struct dom_doc *guest_of(const struct guests *g, const struct pci_addr *vf,
				      const char **ret_mac)
{
	for (size_t i = 0; i < g->n; i++)
		for (size_t k = 0; k < g->docs[i].n_devs; k++)
			if (pci_addr_equal(&g->docs[i].devs[k].addr, vf)) {
				*ret_mac = g->docs[i].devs[k].mac;
				return &g->docs[i];
			}
	return NULL;
}

struct records {
	int n;
	struct vf_record *r;
	bool *used;
};

static const struct vf_record *record_of(const struct records *rs, const struct pci_addr *vf,
					 bool mark)
{
	for (int i = 0; i < rs->n; i++)
		if (pci_addr_equal(&rs->r[i].vf, vf)) {
			if (mark)
				rs->used[i] = true;
			return &rs->r[i];
		}
	return NULL;
}

static struct inv_section *section_add(struct inventory *inv)
{
	struct inv_section *grown = realloc(inv->s, (inv->n + 1) * sizeof(*inv->s));

	if (!grown)
		return NULL;
	inv->s = grown;
	grown[inv->n] = (struct inv_section){0};
	pool_policy_default(&grown[inv->n].policy);
	return &grown[inv->n++];
}

static int section_add_vf(struct inv_section *s, uint32_t index, const struct pci_addr *addr)
{
	struct inv_vf *grown;

	for (size_t i = 0; i < s->n_vfs; i++)
		if (pci_addr_equal(&s->vfs[i].addr, addr))
			return 0;
	grown = realloc(s->vfs, (s->n_vfs + 1) * sizeof(*s->vfs));
	if (!grown)
		return -ENOMEM;
	s->vfs = grown;
	grown[s->n_vfs] = (struct inv_vf){.index = index, .addr = *addr};
	s->n_vfs++;
	return 0;
}

/* A VF listed somewhere already (a pool that names it, or a direct section)? */
static bool inventory_has_vf(const struct inventory *inv, const struct pci_addr *vf)
{
	for (size_t i = 0; i < inv->n; i++)
		for (size_t k = 0; k < inv->s[i].n_vfs; k++)
			if (pci_addr_equal(&inv->s[i].vfs[k].addr, vf))
				return true;
	return false;
}

/* The direct section of a PF (created on first use). */
static struct inv_section *direct_section(const struct cli_opts *o, struct inventory *inv,
					  const struct pci_addr *pf)
{
	struct inv_section *s;

	for (size_t i = 0; i < inv->n; i++)
		if (inv->s[i].kind == INV_DIRECT && inv->s[i].pf_err >= 0 &&
		    pci_addr_equal(&inv->s[i].pf.addr, pf))
			return &inv->s[i];
	s = section_add(inv);
	if (!s)
		return NULL;
	s->kind = INV_DIRECT;
	s->active = true;
	s->pf_err = status_pf_read_pci(o->sysfs, pf, &s->pf);
	if (s->pf_err < 0)
		s->pf.addr = *pf;
	return s;
}

/* A VF that is not listed yet: into the direct section of its PF. */
static int add_direct_vf(const struct cli_opts *o, struct inventory *inv, const struct pci_addr *vf,
			 const struct pci_addr *known_pf)
{
	struct pci_addr pf;
	struct inv_section *s;
	uint32_t index = UINT32_MAX;

	if (inventory_has_vf(inv, vf))
		return 0;
	if (known_pf)
		pf = *known_pf;
	else if (sysfs_pci_physfn(o->sysfs, vf, &pf) < 0)
		return 0; /* not a VF (a GPU, a disk): not ours to show */
	s = direct_section(o, inv, &pf);
	if (!s)
		return -ENOMEM;
	if (s->pf_err >= 0)
		(void)status_pf_vf_index(&s->pf, vf, &index);
	return section_add_vf(s, index, vf);
}

static int add_network(const struct cli_opts *o, struct inventory *inv, const struct virt_doc *doc)
{
	_cleanup_(netxml_free) struct net_doc d = {0};
	struct xml_error e = {{0}}, pe = {{0}};
	struct inv_section *s;
	bool bad;
	int r;

	r = netxml_parse_network(doc->xml, strlen(doc->xml), &d, &e, &pe, &bad);
	if (r < 0) {
		log_warning_errno(r, "ignoring network '%s': %s", doc->name, e.msg);
		return 0;
	}
	if (d.forward == NET_FORWARD_OTHER)
		return 0;
	s = section_add(inv);
	if (!s)
		return -ENOMEM;
	s->kind = INV_POOL;
	snprintf(s->network, sizeof(s->network), "%s", d.name);
	s->active = doc->active;
	s->forward = d.forward == NET_FORWARD_HOSTDEV ? "hostdev" : "passthrough";
	s->has_policy = d.has_policy;
	s->policy = d.policy;
	s->policy_bad = bad;
	if (bad)
		snprintf(s->policy_error, sizeof(s->policy_error), "%s", pe.msg);

	if (d.pf[0]) {
		snprintf(s->pf_named, sizeof(s->pf_named), "%s", d.pf);
		s->pf_err = status_pf_read(o->sysfs, d.pf, &s->pf);
		s->whole_pf = true;
		for (uint32_t i = 0; s->pf_err >= 0 && i < s->pf.n_vfs; i++)
			if ((r = section_add_vf(s, i, &s->pf.vfs[i])) < 0)
				return r;
		return 0;
	}
	if (d.n_vfs == 0) {
		s->pf_err = -ENOENT;
		s->note =
		    "the pool lists its VFs by <interface dev>; status shows them once a guest "
		    "holds one";
		return 0;
	}
	/* A pool that lists its VFs: a section per PF of this network, the first one holding
	 * also the VFs this host does not have. Sections move on realloc: use indices. */
	size_t first = inv->n - 1;
	bool first_has_pf = false;

	for (size_t i = 0; i < d.n_vfs; i++) {
		struct inv_section *t = NULL;
		struct pci_addr pf;
		uint32_t index = UINT32_MAX;
		bool fresh = false;

		if (sysfs_pci_physfn(o->sysfs, &d.vfs[i], &pf) >= 0) {
			for (size_t k = first; k < inv->n && !t; k++)
				if ((k != first || first_has_pf) &&
				    pci_addr_equal(&inv->s[k].pf.addr, &pf))
					t = &inv->s[k];
			if (!t && !first_has_pf) {
				t = &inv->s[first];
				first_has_pf = true;
				fresh = true;
			} else if (!t) {
				struct inv_section copy = inv->s[first];

				t = section_add(inv);
				if (!t)
					return -ENOMEM;
				*t = copy; /* the network's part; nothing it owns on the heap */
				t->n_vfs = 0;
				t->vfs = NULL;
				fresh = true;
			}
			if (fresh) {
				t->pf_err = status_pf_read_pci(o->sysfs, &pf, &t->pf);
				if (t->pf_err < 0)
					t->pf = (struct status_pf){.addr = pf, .link_up = -1};
			}
			if (t->pf_err >= 0)
				(void)status_pf_vf_index(&t->pf, &d.vfs[i], &index);
		} else {
			t = &inv->s[first];
		}
		if ((r = section_add_vf(t, index, &d.vfs[i])) < 0)
			return r;
	}
	if (!first_has_pf) {
		inv->s[first].pf_err = -ENODEV;
		inv->s[first].note = "none of the VFs the pool lists exists on this host";
	}
	return 0;
}

/* Owner, wanted settings and whether the VF has them. */
static void resolve_vf(const struct guests *g, const struct records *rs,
		       const struct host_conf *conf, struct inv_section *s, struct inv_vf *vf)
{
	const struct vf_record *rec = record_of(rs, &vf->addr, true);
	const char *mac = NULL;
	const struct dom_doc *dom = guest_of(g, &vf->addr, &mac);
	const struct vf_override *o = dom ? domxml_override(dom, mac) : NULL;
	struct pool_policy p;

	if (s->live && vf->index < s->pf.n_vfs)
		vf->live = s->live[vf->index];
	else
		vf_settings_init(&vf->live.cur);
	if (rec) {
		vf->have_rec = true;
		vf->rec = *rec;
	}
	if (dom) {
		snprintf(vf->owner, sizeof(vf->owner), "%s", dom->name);
		snprintf(vf->mac, sizeof(vf->mac), "%s", mac ?: "");
	} else if (rec && rec->owner_name[0]) {
		snprintf(vf->owner, sizeof(vf->owner), "%s", rec->owner_name);
	}

	/* What this VF should have: what we recorded for its current owner, else what the
	 * policy gives it; a free VF has no policy (it was put back as it was). */
	if (rec && (!dom || strcmp(rec->owner_uuid, dom->uuid) == 0) &&
	    vf_settings_count(&rec->want) > 0) {
		vf->have_want = true;
		vf->want = rec->want;
	} else if (dom && s->kind == INV_POOL && s->policy.manage && !s->policy_bad) {
		p = s->policy;
		if (o)
			pool_policy_apply_override(&p, o);
		vf->have_want = true;
		vf->want = p.want;
	} else if (dom && s->kind == INV_DIRECT && directvf_policy(conf, s->pf.ifname, o, &p) > 0) {
		vf->have_want = true; /* what the qemu hook applies at start */
		vf->want = p.want;
	}
	vf->match = status_vf_match(&vf->live, vf->have_want ? &vf->want : NULL);
}

void inventory_free(struct inventory *inv)
{
	for (size_t i = 0; i < inv->n; i++) {
		status_pf_done(&inv->s[i].pf);
		free(inv->s[i].live);
		free(inv->s[i].vfs);
	}
	free(inv->s);
	*inv = (struct inventory){0};
}

struct docs {
	struct virt_doc *d;
	size_t n;
};

static void docs_free(struct docs *d)
{
	virt_docs_free(d->d, d->n);
}

static void records_free(struct records *rs)
{
	free(rs->r);
	free(rs->used);
}

/* The host file, or NULL when there is none (a broken one is reported and ignored). */
static int conf_read(const struct cli_opts *o, struct host_conf **ret)
{
	_cleanup_free_ struct host_conf *conf = calloc(1, sizeof(*conf));
	char err[512];
	int r;

	if (!conf)
		return log_error_errno(-ENOMEM, "out of memory");
	r = conf_load(o->conf_path, conf, err, sizeof(err));
	if (r == -ENOENT) {
		*ret = NULL;
		return 0;
	}
	if (r < 0) {
		log_warning_errno(r, "ignoring the host file: %s", err);
		*ret = NULL;
		return 0;
	}
	*ret = TAKE_PTR(conf);
	return 0;
}

/* Our records (read-only: the directory is never created here). */
static int records_read(const struct cli_opts *o, struct records *ret)
{
	_cleanup_close_ int dirfd = -EBADF;
	struct records rs = {0};

	if (state_open(o->state_dir, false, &dirfd) >= 0) {
		rs.n = state_list(dirfd, &rs.r);
		if (rs.n < 0) {
			log_warning_errno(rs.n, "cannot list the records in %s/vf: %m",
					  o->state_dir);
			rs = (struct records){0};
		}
	}
	rs.used = calloc((size_t)rs.n + 1, sizeof(*rs.used));
	if (!rs.used) {
		free(rs.r);
		return log_error_errno(-ENOMEM, "out of memory");
	}
	*ret = rs;
	return 0;
}

int inventory_build(const struct cli_opts *o, struct virt *v, const char *only,
		    struct inventory *ret)
{
	_cleanup_(inventory_free) struct inventory inv = {0};
	_cleanup_(guests_free) struct guests g = {0};
	_cleanup_(records_free) struct records rs = {0};
	_cleanup_(docs_free) struct docs nets = {0};
	_cleanup_free_ struct host_conf *conf = NULL;
	bool found = !only;
	int r;

	if ((r = virt_networks(v, &nets.d, &nets.n)) < 0 || (r = guests_load(v, &g)) < 0 ||
	    (r = records_read(o, &rs)) < 0 || (r = conf_read(o, &conf)) < 0)
		return r;

	for (size_t i = 0; i < nets.n; i++) {
		if (only && strcmp(nets.d[i].name, only) != 0)
			continue;
		found = true;
		if ((r = add_network(o, &inv, &nets.d[i])) < 0)
			return log_error_errno(r, "out of memory");
	}
	if (!found)
		return log_error_errno(-ENOENT, "unknown network '%s' (see virsh net-list --all)",
				       only);
	if (!only) {
		/* VFs given to running guests directly, then what we recorded elsewhere. */
		for (size_t i = 0; i < g.n; i++)
			for (size_t k = 0; k < g.docs[i].n_devs; k++)
				if ((r = add_direct_vf(o, &inv, &g.docs[i].devs[k].addr, NULL)) < 0)
					return log_error_errno(r, "out of memory");
		for (int i = 0; i < rs.n; i++)
			if ((r = add_direct_vf(o, &inv, &rs.r[i].vf, &rs.r[i].pf)) < 0)
				return log_error_errno(r, "out of memory");
	}

	for (size_t i = 0; i < inv.n; i++) {
		struct inv_section *s = &inv.s[i];

		if (s->kind == INV_DIRECT && conf && s->pf.ifname[0] &&
		    conf_pf_policy(conf, s->pf.ifname, &s->policy) >= 0)
			s->have_policy_want = true;
		if (s->pf_err >= 0 && s->pf.n_vfs) {
			s->live = calloc(s->pf.n_vfs, sizeof(*s->live));
			if (!s->live)
				return log_error_errno(-ENOMEM, "out of memory");
			s->live_err = status_vfs_read(s->pf.ifname, s->pf.n_vfs, s->live);
		}
		for (size_t k = 0; k < s->n_vfs; k++)
			resolve_vf(&g, &rs, conf, s, &s->vfs[k]);
	}
	*ret = inv;
	inv = (struct inventory){0};
	return 0;
}
