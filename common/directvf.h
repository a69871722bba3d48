/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "conf.h"
#include "policy.h"

/*
 * Which policy applies to a VF given to a guest directly (<interface type='hostdev'>, <hostdev>)
 * that holds no record of ours: the host file's [pf NAME] section of its PF, else the defaults
 * when the guest's <metadata> has an override for it; the override wins in both. The qemu hook
 * applies it at start and the admin tool's status judges the VF by it, so both agree.
 *
 * conf: the host file, or NULL when there is none. pf_ifname: the PF's netdev, NULL or "" when
 * it has none. o: the guest's override for the device's MAC, or NULL. Returns 1 with *ret set, or
 * 0 (*ret untouched) when neither names the VF: it is not ours (on an OpenStack host the SR-IOV
 * agent owns the rest).
 */
int directvf_policy(const struct host_conf *conf, const char *pf_ifname,
		    const struct vf_override *o, struct pool_policy *ret);
