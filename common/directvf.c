/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "directvf.h"

int directvf_policy(const struct host_conf *conf, const char *pf_ifname,
		    const struct vf_override *o, struct pool_policy *ret)
{
	struct pool_policy p;

	if (!conf || !pf_ifname || !*pf_ifname || conf_pf_policy(conf, pf_ifname, &p) < 0) {
		if (!o)
			return 0;
		pool_policy_default(&p);
	}
	if (o)
		pool_policy_apply_override(&p, o);
	*ret = p;
	return 1;
}
