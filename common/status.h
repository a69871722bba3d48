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
	time_t reloaded; /* when the installer last reloaded this very process; 0: no record */
};
#define STATUS_DAEMONS_MAX 16
/* Where the installer records the daemons it reloaded, one "NAME PID EPOCH" line each. A reload
 * (SIGHUP) makes libvirt look for hooks again but leaves no trace in proc; the file lives in
 * /run, so a reboot forgets it with the PIDs. Not in STATE_DIR: the hooks never see it. */
#define STATUS_RELOAD_RECORD STATE_DIR ".reloaded"
/* The running libvirtd, virtqemud and virtnetworkd: their number; .reloaded from root's
 * STATUS_RELOAD_RECORD where its line names the same daemon and PID. */
int status_daemons(int root, struct status_daemon *ret, size_t n);

/* SELinux, from sysfs fs/selinux and root's etc/selinux and module store. */
struct status_selinux {
	int mode;	 /* -1 disabled (no fs/selinux/enforce), 0 permissive, 1 enforcing */
	char policy[64]; /* SELINUXTYPE= of etc/selinux/config, "targeted" when not given */
	int boolean;	 /* virt_hooks_unconfined: -1 not in the loaded policy, 0 off, 1 on */
	int module;	 /* our module in the store: 1 active, 0 absent, -1 there but disabled */
	char module_prio[16]; /* its priority directory ("400"), "" when absent */
};
#define STATUS_SELINUX_MODULE "libvirt_sriov_hooks"
void status_selinux_read(int root, int sysfs, struct status_selinux *ret);

/* The SELinux type of a file below dirfd (the third field of "user:role:type:level" in the
 * extended attribute `xattr`, security.selinux on a host): 0, -ENODATA when it has none. Symbolic
 * links are not followed. */
int status_label_type(int dirfd, const char *path, const char *xattr, char *ret, size_t n);

/* AppArmor's loaded profiles, from sysfs kernel/security/apparmor/profiles ("name (mode)" per
 * line): the mode of the profile called `name` or "/usr/sbin/<name>" ("enforce", "complain"),
 * -ENOENT when none is loaded, -errno when the list cannot be read (it needs root; -ENODEV: no
 * such file, securityfs is not mounted). */
int status_apparmor_mode(int sysfs, const char *name, char *ret, size_t n);

/* The package that owns `path` (absolute, "/etc/libvirt/hooks/qemu") according to dpkg's
 * database under root (var/lib/dpkg/info/PACKAGE.list): 0 with its name, -ENOENT when no
 * package lists it or there is no dpkg database. */
int status_dpkg_owner(int root, const char *path, char *ret, size_t n);

/* A NetworkManager connection under root that configures SR-IOV on interface `ifname`: keyfiles
 * in etc/ and run/NetworkManager/system-connections (interface-name= and an [sriov] section with
 * total-vfs=) or ifcfg files in etc/sysconfig/network-scripts (DEVICE= and SRIOV_TOTAL_VFS=).
 * 0 with the file's path (relative to root) and the VF count it sets, -ENOENT when none. */
int status_nm_sriov(int root, const char *ifname, char *ret_path, size_t n, long *ret_vfs);

/* The interfaces neutron's SR-IOV agent maps (physical_device_mappings in [sriov_nic] of
 * etc/neutron/plugins/ml2/sriov_agent.ini under root, "physnet:ifname,..."): 1 with the physical
 * network when it maps `ifname`, 0 when it does not, -ENOENT without that file. */
int status_neutron_maps(int root, const char *ifname, char *ret_physnet, size_t n);
