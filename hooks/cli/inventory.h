/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "policy.h"
#include "state.h"
#include "status.h"

struct virt;

/* What status shows and doctor checks: every VF pool and every directly assigned VF, grouped by
 * network and PF. */
enum inv_kind {
	INV_POOL,   /* a network with <forward mode='hostdev'|'passthrough'> */
	INV_DIRECT, /* VFs given to guests directly, or recorded by us outside any pool */
};

struct inv_vf {
	uint32_t index;
	struct pci_addr addr;
	char owner[STATE_NAME_MAX]; /* "" when free */
	char mac[18];		    /* the guest's MAC from its XML or our record, "" unknown */
	bool have_rec;
	struct vf_record rec;
	struct status_vf_live live;
	bool have_want;
	struct vf_settings want;
	enum status_match match;
};

struct inv_section {
	enum inv_kind kind;
	char network[STATE_NAME_MAX]; /* "" for INV_DIRECT */
	bool active;
	const char *forward; /* "hostdev", "passthrough", NULL for INV_DIRECT */
	bool has_policy;     /* our <pool> element is there */
	bool policy_bad;
	char policy_error[512];
	struct pool_policy policy; /* the pool's, or for INV_DIRECT the host file's for the PF */
	bool have_policy_want;	   /* INV_DIRECT: the host file names the PF */
	char pf_named[IFNAMSIZ];   /* <pf dev>, "" when the pool lists its VFs */
	int pf_err;		   /* reading the PF failed: -errno */
	struct status_pf pf;
	bool whole_pf;		     /* every VF of the PF belongs to the section (a <pf> pool) */
	int live_err;		     /* netlink read of the PF: 0 or -errno */
	struct status_vf_live *live; /* pf.n_vfs entries */
	const char *note;	     /* something status cannot show */
	size_t n_vfs;
	struct inv_vf *vfs;
};

struct inventory {
	size_t n;
	struct inv_section *s;
};

/* Build it from libvirt (networks and domains), sysfs, netlink and the state directory. only:
 * one network by name (-ENOENT, reported, when libvirt has none). Logs its errors. */
int inventory_build(const struct cli_opts *o, struct virt *v, const char *only,
		    struct inventory *ret);
void inventory_free(struct inventory *inv);
