/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A fake kernel for the CLI's end-to-end tests, at the libnl boundary: the test binary
 * tests/cli/sriov-hooks-fakevf is the CLI linked with
 *   -Wl,--wrap=rtnl_link_get_kernel -Wl,--wrap=nl_send_auto
 * rtnl_link_get_kernel() answers, for the PFs named in SRIOV_TEST_FAKEVF, the RTM_NEWLINK the
 * kernel would send (parsed by libnl itself); other names get ENODEV, as on a host without them.
 * nl_send_auto() is what any RTM_SETLINK would go through: the CLI is read-only, so it aborts.
 *
 *   SRIOV_TEST_FAKEVF='PF=VF;VF;...|PF2=...'   VF = MAC,VLAN,SPOOFCHK,TRUST,LINK-STATE
 *   e.g. 'sriovtest0=52:54:00:00:00:01,100,0,1,0;02:00:00:00:00:00,0,1,-1,2'
 * (-1: the driver reports -1, it does not support the attribute).
 */
#include "config.h"

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/object.h>
#include <netlink/route/link.h>

int __wrap_rtnl_link_get_kernel(struct nl_sock *sk, int ifindex, const char *name,
				struct rtnl_link **result);
int __wrap_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg);

static void grab_link(struct nl_object *obj, void *arg)
{
	nl_object_get(obj);
	*(struct rtnl_link **)arg = (struct rtnl_link *)obj;
}

/* The VF list of PF `name` in the spec, or NULL. */
static const char *find_pf(const char *spec, const char *name, size_t *ret_len)
{
	size_t n = strlen(name);

	for (const char *p = spec; p && *p;) {
		const char *end = strchr(p, '|');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
			*ret_len = len - n - 1;
			return p + n + 1;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

static int put_vf(struct nl_msg *msg, unsigned i, const char *vf)
{
	unsigned m[6];
	int vlan, spoofchk, trust, link_state;
	struct nlattr *info;

	if (sscanf(vf, "%x:%x:%x:%x:%x:%x,%d,%d,%d,%d", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5],
		   &vlan, &spoofchk, &trust, &link_state) != 10) {
		fprintf(stderr, "fakevf: bad VF '%s' in SRIOV_TEST_FAKEVF\n", vf);
		abort();
	}
	struct ifla_vf_mac mac = {.vf = i};
	struct ifla_vf_vlan vl = {.vf = i, .vlan = (__u32)vlan};
	struct ifla_vf_spoofchk sc = {.vf = i, .setting = (__u32)spoofchk};
	struct ifla_vf_trust tr = {.vf = i, .setting = (__u32)trust};
	struct ifla_vf_link_state ls = {.vf = i, .link_state = (__u32)link_state};
	struct ifla_vf_rate rate = {.vf = i};

	for (int k = 0; k < 6; k++)
		mac.mac[k] = (__u8)m[k];
	info = nla_nest_start(msg, IFLA_VF_INFO);
	if (!info || nla_put(msg, IFLA_VF_MAC, sizeof(mac), &mac) < 0 ||
	    nla_put(msg, IFLA_VF_VLAN, sizeof(vl), &vl) < 0 ||
	    nla_put(msg, IFLA_VF_RATE, sizeof(rate), &rate) < 0 ||
	    nla_put(msg, IFLA_VF_SPOOFCHK, sizeof(sc), &sc) < 0 ||
	    nla_put(msg, IFLA_VF_LINK_STATE, sizeof(ls), &ls) < 0 ||
	    nla_put(msg, IFLA_VF_TRUST, sizeof(tr), &tr) < 0)
		return -NLE_NOMEM;
	nla_nest_end(msg, info);
	return 0;
}

int __wrap_rtnl_link_get_kernel(struct nl_sock *sk, int ifindex, const char *name,
				struct rtnl_link **result)
{
	const char *spec = getenv("SRIOV_TEST_FAKEVF");
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = 42};
	struct rtnl_link *link = NULL;
	struct nlattr *list;
	struct nl_msg *msg;
	const char *vfs;
	char *copy, *save = NULL;
	unsigned n = 0;
	size_t len = 0;
	int r = 0;

	if (!name || !spec || !(vfs = find_pf(spec, name, &len)))
		return -NLE_NODEV;
	copy = strndup(vfs, len);
	msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	if (!copy || !msg) {
		free(copy);
		nlmsg_free(msg);
		return -NLE_NOMEM;
	}
	nlmsg_set_proto(msg, NETLINK_ROUTE);
	nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
	nla_put_string(msg, IFLA_IFNAME, name);
	for (const char *c = copy; *c; c++)
		n += *c == ';';
	nla_put_u32(msg, IFLA_NUM_VF, n + 1);
	list = nla_nest_start(msg, IFLA_VFINFO_LIST);
	n = 0;
	for (char *vf = strtok_r(copy, ";", &save); vf && r >= 0; vf = strtok_r(NULL, ";", &save))
		r = put_vf(msg, n++, vf);
	nla_nest_end(msg, list);
	free(copy);
	if (r >= 0)
		r = nl_msg_parse(msg, grab_link, &link);
	nlmsg_free(msg);
	if (r < 0)
		return r;
	*result = link;
	return 0;
}

int __wrap_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg)
{
	fprintf(stderr, "fakevf: the CLI sent a netlink request; it must be read-only\n");
	abort();
}
