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

/* Every check of the host (IOMMU, hooks, daemons, LSMs), in the order doctor shows them. */
void checks_host(const struct cli_opts *o, struct check_list *l);
/* The checks of one pool or of a PF's direct VFs. */
void checks_section(const struct inv_section *s, struct check_list *l);
