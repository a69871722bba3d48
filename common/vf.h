/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "settings.h"

/*
 * The netlink boundary, and the only file that includes libnl. A vf_link is a socket plus one
 * RTM_GETLINK answer (IFLA_EXT_MASK = RTEXT_FILTER_VF) for one PF: every VF of that PF is read
 * from it, so a run costs one dump however many VFs it looks at. Never logs; returns -errno.
 */
struct vf_link;

/* Connect (socket timeouts bounded) and read the PF's VF table. -ENODEV: no such interface. */
int vf_link_open(const char *pf_ifname, struct vf_link **ret);
void vf_link_free(struct vf_link *l);

/* A VF's current values; an attribute the driver does not report is VF_UNSET. -ENOENT: the dump
 * has no such VF. */
int vf_link_get(struct vf_link *l, uint32_t vf, struct vf_settings *ret);

/* What libvirt programs on a VF, for the admin CLI's status (read-only, from the same dump). */
struct vf_info {
	char mac[18];       /* "" when not reported */
	int64_t vlan;       /* 0 = none */
	int64_t link_state; /* IFLA_VF_LINK_STATE_AUTO/ENABLE/DISABLE; VF_UNSET when not reported */
};

/* -ENOENT: the dump has no such VF. */
int vf_link_get_info(struct vf_link *l, uint32_t vf, struct vf_info *ret);

/* One RTM_SETLINK to the PF carrying IFLA_VFINFO_LIST > IFLA_VF_INFO > one attribute for VF vf.
 * EAGAIN (i40e: another VF operation pending) is retried a few times, briefly. */
int vf_link_set(struct vf_link *l, uint32_t vf, enum vf_attr a, int64_t value);

/* One RTM_SETLINK to the PF carrying IFLA_VFINFO_LIST > one IFLA_VF_INFO for VF vf with every
 * attribute set in `changes` (VF_UNSET: not sent). The two rates travel together in IFLA_VF_RATE,
 * with their final values (the one not in `changes` as it is now), so min <= max holds before and
 * after. Same EAGAIN retries as vf_link_set(). On an error the kernel keeps the attributes it
 * applied before the one that failed: vf_link_reload() and vf_link_get() tell which. */
int vf_link_set_many(struct vf_link *l, uint32_t vf, const struct vf_settings *changes);

/* Read the PF's VF table again (one RTM_GETLINK), on the same socket. On failure the old table
 * stays. */
int vf_link_reload(struct vf_link *l);

/* Bounds, exported for the tests. */
#define VF_SOCKET_TIMEOUT_MS 5000
#define VF_EAGAIN_RETRIES 5
#define VF_EAGAIN_DELAY_MS 20
