/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cli.h"
#include "inventory.h"
#include "macro.h"
#include "settings.h"
#include "status.h"

/*
 * The doctor's rules: each one judges one thing and says how to fix it. A rule reads only below
 * the root fds it is given (sysfs: /sys or a fake tree; root: / or a fake tree holding etc/ and
 * proc/) or is pure, so tests run each against fake trees; none prints.
 */
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

/* "ok", "warning", "fail" (as --json prints them). */
const char *check_result_to_string(enum check_result r);

/* IOMMU: groups under sysfs kernel/iommu_groups, with the kernel command line (root proc/cmdline)
 * to say what to change. */
void check_iommu(int root, int sysfs, struct check *ret);

/* Where our hook for a driver ("network", "qemu") sits under root/etc/libvirt/hooks: the main
 * file, or network.d/libvirt-sriov-hooks. Fills *ret_installed with the time it was installed (the
 * later of mtime and ctime) when found as a real executable of ours. */
#define CHECK_HOOKS_DIR "etc/libvirt/hooks"
void check_hook(int root, const char *driver, struct check *ret, time_t *ret_installed);

/* Is the hook for `driver` (installed at `installed`) seen by the daemon that runs it? */
void check_daemons(const struct status_daemon *d, size_t n, const char *driver, time_t installed,
		   struct check *ret);

/* AppArmor: enabled (sysfs module/apparmor/parameters/enabled), and the libvirtd / virtqemud
 * profiles under root/etc/apparmor.d let hooks run from /etc/libvirt/hooks. */
void check_apparmor(int root, int sysfs, struct check *ret);

/* AppArmor's loaded profiles of the daemons that run hooks (libvirtd, virtqemud,
 * virtnetworkd): their modes, from sysfs kernel/security/apparmor/profiles. 0 (a passed check)
 * when AppArmor is not enabled: check_apparmor() says so already. */
int check_apparmor_modes(int sysfs, struct check *ret);

/* SELinux (status_selinux_read()): the mode; then, when enabled, our policy module, the boolean
 * virt_hooks_unconfined, and the labels of our hooks (paths below root) and of the state
 * directory, read from the extended attribute `xattr` (security.selinux). */
#define CHECK_SELINUX_EXEC_TYPE "sriov_hooks_exec_t"
#define CHECK_SELINUX_STATE_TYPE "sriov_hooks_var_run_t"
void check_selinux_mode(const struct status_selinux *s, struct check *ret);
void check_selinux_module(const struct status_selinux *s, struct check *ret);
void check_selinux_boolean(const struct status_selinux *s, struct check *ret);
void check_selinux_labels(const struct status_selinux *s, int root, const char *const *hooks,
			  size_t n_hooks, const char *state_dir, const char *xattr,
			  struct check *ret);

/* Who else owns libvirt's main hook path for `driver` (root/etc/libvirt/hooks/DRIVER): the
 * package (`owner`, NULL when none) that ships the file there; `ours` when our hook is that file.
 * A package's upgrade overwrites that path (vdsm ships /etc/libvirt/hooks/qemu). Pure. */
void check_hook_owner(const char *driver, bool exists, bool ours, const char *owner,
		      struct check *ret);
/* The package that owns an absolute path under root: dpkg's database, else `rpm --root ROOT -qf`
 * when root has an rpm database. 0, -ENOENT when none. */
int check_package_owner(int root, const char *root_path, const char *path, char *ret, size_t n);

/* Other owners of a PF that the hooks manage. A PF: of a pool (network), or named by the host file
 * (network NULL); numvfs: the network hook sets its sriov_numvfs (a <pf dev> pool).
 * NetworkManager: a connection with SR-IOV settings on one of them (it rewrites sriov_numvfs at
 * every (de)activation, removing the VFs guests hold). neutron: its SR-IOV agent maps a PF the
 * host file names (both would set the VFs' spoofchk and trust). */
struct check_pf {
	const char *ifname;
	const char *network;
	bool numvfs;
};
void check_networkmanager(int root, const struct check_pf *pfs, size_t n, struct check *ret);
void check_neutron(int root, const char *const *conf_pfs, size_t n_conf, struct check *ret);

/* The pool checks name their scope: "network NAME", or "direct VFs" when network is NULL. */

/* The PF of a pool is up (libvirt refuses to hand out VFs of a PF that is down). Pure. */
void check_pf_link(const char *network, const struct status_pf *pf, struct check *ret);

/* The driver reports the attributes the policy sets (the kernel's -1 means it cannot). Pure. */
void check_driver_support(const char *network, const struct status_pf *pf,
			  const struct status_vf_live *live, size_t n,
			  const struct vf_settings *want, struct check *ret);

/* A pool's VF count against its policy (and whether an active pool has VFs at all). Pure. */
void check_numvfs(const char *network, bool active, const struct status_pf *pf, int64_t policy_vfs,
		  struct check *ret);

/* The results of a doctor run, in order. */
struct check_list {
	size_t n;
	struct check *c;
	bool oom; /* a result was lost */
};

void check_list_add(struct check_list *l, const struct check *c);
void check_list_addf(struct check_list *l, enum check_result r, const char *what, const char *fix,
		     const char *fmt, ...) _printf_(5, 6);
void check_list_done(struct check_list *l);

/* Every check of the host (IOMMU, hooks, daemons, LSMs, hook owners), in the order doctor shows
 * them. */
void checks_host(const struct cli_opts *o, struct check_list *l);
/* The other owners of the PFs of the pools in inv (NULL when libvirt could not be read) and of
 * the PFs the host file names. */
void checks_pf_owners(const struct cli_opts *o, const struct inventory *inv, struct check_list *l);
/* The checks of one pool or of a PF's direct VFs. */
void checks_section(const struct inv_section *s, struct check_list *l);
