/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "policy.h"

/*
 * The host file (/etc/libvirt-sriov-hooks.conf): the policy for VFs given to guests directly
 * (<interface type='hostdev'>, <hostdev>). Direct VFs are left alone unless their PF is named:
 *
 *   # comment
 *   [defaults]          optional: applies to every [pf] section
 *   on-error = warn
 *   [pf em1]
 *   spoofchk = off
 *   trust = on
 */

#define CONF_PF_MAX 64

struct host_conf {
	struct vf_override defaults;
	size_t n_pfs;
	struct {
		char name[IFNAMSIZ];
		struct vf_override o;
	} pfs[CONF_PF_MAX];
};

/* Parse the file's text. -EINVAL with err = "PATH:LINE: problem". */
int conf_parse(const char *text, const char *path, struct host_conf *ret, char *err, size_t n);
/* Read and parse: -ENOENT (err empty) when there is no file. */
int conf_load(const char *path, struct host_conf *ret, char *err, size_t n);
/* The policy for a PF's direct VFs: -ENOENT when the file does not name the PF. */
int conf_pf_policy(const struct host_conf *c, const char *pf, struct pool_policy *ret);
