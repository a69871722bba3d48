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
 * What the admin CLI (hooks/sriov-hooks) reads from the host: PFs and their VFs in sysfs, the
 * VFs' live settings over netlink (read-only: RTM_GETLINK only), and the doctor's checks. Nothing
 * here writes, prints or talks to libvirt; every path is relative to a root fd (sysfs: /sys or a
 * fake tree; root: / or a fake tree holding etc/ and proc/), so tests run without a host.
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

/* The doctor's checks. Each fills one result; the CLI prints it. */
enum check_result {
	CHECK_PASS,
	CHECK_WARN,
	CHECK_FAIL,
	_CHECK_RESULT_MAX,
	_CHECK_RESULT_INVALID = -EINVAL,
};

struct check {
	enum check_result result;
	char what[256];	  /* "IOMMU", "network hook", "PF em1 link (network pool1)" */
	char detail[512]; /* what was found */
	char fix[512];	  /* what to do; "" when passed */
};

const char *check_result_to_string(enum check_result r);

/* IOMMU: groups under sysfs kernel/iommu_groups, with the kernel command line (root proc/cmdline)
 * to say what to change. */
void status_check_iommu(int root, int sysfs, struct check *ret);

/* Where our hook for a driver ("network", "qemu") sits under root/etc/libvirt/hooks: the main
 * file, or network.d/libvirt-sriov-hooks. Fills *ret_installed with the time it was installed (the
 * later of mtime and ctime) when found as a real executable of ours. */
#define STATUS_HOOKS_DIR "etc/libvirt/hooks"
void status_check_hook(int root, const char *driver, struct check *ret, time_t *ret_installed);

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
/* Is the hook for `driver` (installed at `installed`) seen by the daemon that runs it? */
void status_check_daemons(const struct status_daemon *d, size_t n, const char *driver,
			  time_t installed, struct check *ret);

/* AppArmor: enabled (sysfs module/apparmor/parameters/enabled), and the libvirtd / virtqemud
 * profiles under root/etc/apparmor.d let hooks run from /etc/libvirt/hooks. */
void status_check_apparmor(int root, int sysfs, struct check *ret);

/* The pool checks name their scope: "network NAME", or "direct VFs" when network is NULL. */

/* The PF of a pool is up (libvirt refuses to hand out VFs of a PF that is down). Pure. */
void status_check_pf_link(const char *network, const struct status_pf *pf, struct check *ret);

/* The driver reports the attributes the policy sets (the kernel's -1 means it cannot). Pure. */
void status_check_driver_support(const char *network, const struct status_pf *pf,
				 const struct status_vf_live *live, size_t n,
				 const struct vf_settings *want, struct check *ret);

/* A pool's VF count against its policy (and whether an active pool has VFs at all). Pure. */
void status_check_numvfs(const char *network, bool active, const struct status_pf *pf,
			 int64_t policy_vfs, struct check *ret);
