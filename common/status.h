/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "policy.h"
#include "settings.h"
#include "util.h"
#include "vf.h"

/*
 * What the admin tool (hooks/cli/) reads from the host: PFs and their VFs in sysfs, the VFs' live
 * settings over netlink (read-only: RTM_GETLINK only), the running libvirt daemons. Nothing here
 * writes, prints, judges or talks to libvirt (the doctor's rules are in hooks/cli/checks.c); every
 * path is relative to a root fd (sysfs: /sys or a fake tree; root: / or a fake tree holding etc/
 * and proc/), so tests run without a host.
 */

/* A PF as status shows it. Unknown numbers are -1. */
struct status_pf {
	char ifname[IFNAMSIZ];
	struct pci_addr addr;
	char driver[64]; /* "" when no driver is bound */
	int64_t numvfs;
	int64_t totalvfs;
	int link_up;	/* IFF_UP from class/net/<pf>/flags: 1, 0, or -1 when unreadable */
	uint32_t n_vfs; /* virtfn0..n-1 */
	struct pci_addr *vfs;
};

/* By interface name: -ENODEV when there is no such netdev, -ENXIO when it is no PCI device. */
int status_pf_read(int sysfs, const char *ifname, struct status_pf *ret);
/* By PCI address (a VF's physfn); the netdev name may stay "" when the PF has none. */
int status_pf_read_pci(int sysfs, const struct pci_addr *pf, struct status_pf *ret);
void status_pf_done(struct status_pf *pf);
/* The index of a VF under its PF, or -ENOENT. */
int status_pf_vf_index(const struct status_pf *pf, const struct pci_addr *vf, uint32_t *ret);

/* A VF's live state, from one RTM_GETLINK of its PF. known = false: unreadable (no such
 * interface in this kernel, as with a fake sysfs, or no permission). */
struct status_vf_live {
	bool known;
	struct vf_settings cur;
	struct vf_info info;
};

/* Read VFs 0..n-1 of a PF: 0, or -errno with every entry unknown (never fails half-way: a VF
 * missing from the dump is unknown alone). */
int status_vfs_read(const char *pf_ifname, uint32_t n, struct status_vf_live *ret);

enum status_match {
	STATUS_MATCH_NONE,    /* no policy applies (a free VF, a direct VF nobody manages) */
	STATUS_MATCH_YES,     /* every attribute the policy sets has its value */
	STATUS_MATCH_NO,      /* one differs, or the driver does not support it */
	STATUS_MATCH_UNKNOWN, /* the VF's state could not be read */
	_STATUS_MATCH_MAX,
	_STATUS_MATCH_INVALID = -EINVAL,
};

/* live NULL or !known: unknown; want NULL: none. Pure. */
enum status_match status_vf_match(const struct status_vf_live *live,
				  const struct vf_settings *want);
const char *status_match_to_string(enum status_match m);

/* "on"/"off"/"auto"/..., "unknown" (not read) or "unsupported" (the driver reports -1). */
const char *status_attr_format(const struct status_vf_live *live, enum vf_attr a);

/* A running libvirt daemon, from root/proc: its name, pid and start time (seconds since the
 * epoch, from proc/stat btime and proc/PID/stat starttime). */
struct status_daemon {
	char name[16];
	int pid;
	time_t started;
};
#define STATUS_DAEMONS_MAX 16
/* The running libvirtd, virtqemud and virtnetworkd: their number. */
int status_daemons(int root, struct status_daemon *ret, size_t n);
