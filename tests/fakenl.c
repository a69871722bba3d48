/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/object.h>
#include <netlink/route/link.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "fakenl.h"

struct fake_pf {
	char name[16];
	int ifindex;
	unsigned n_vfs;
	int64_t v[FAKENL_MAX_VFS][_VF_ATTR_MAX];
};

static struct {
	struct fake_pf pf[4];
	size_t n_pf;
	int getlink_error;
	unsigned getlink_calls;
	int attr_error[_VF_ATTR_MAX];
	int attr_error_count[_VF_ATTR_MAX];
	struct fakenl_request req[FAKENL_MAX_REQUESTS];
	size_t n_req;
	bool pending; /* a request was sent and awaits its ack */
} fk;

void fakenl_reset(void)
{
	memset(&fk, 0, sizeof(fk));
}

static struct fake_pf *find_pf(const char *name, int ifindex)
{
	for (size_t i = 0; i < fk.n_pf; i++)
		if ((name && strcmp(fk.pf[i].name, name) == 0) ||
		    (!name && fk.pf[i].ifindex == ifindex))
			return &fk.pf[i];
	return NULL;
}

void fakenl_add_pf(const char *name, int ifindex, unsigned n_vfs)
{
	struct fake_pf *p;

	assert_true(fk.n_pf < 4);
	assert_true(n_vfs <= FAKENL_MAX_VFS);
	p = &fk.pf[fk.n_pf++];
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->ifindex = ifindex;
	p->n_vfs = n_vfs;
	for (unsigned i = 0; i < n_vfs; i++) {
		p->v[i][VF_ATTR_SPOOFCHK] = 1;
		p->v[i][VF_ATTR_TRUST] = 0;
		p->v[i][VF_ATTR_LINK_STATE] = 0;
		p->v[i][VF_ATTR_MAX_TX_RATE] = 0;
		p->v[i][VF_ATTR_MIN_TX_RATE] = 0;
		p->v[i][VF_ATTR_QUERY_RSS] = -1;
	}
}

void fakenl_set_attr(const char *pf, unsigned vf, enum vf_attr a, int64_t value)
{
	struct fake_pf *p = find_pf(pf, 0);

	if (!p || vf >= p->n_vfs)
		fail_msg("no VF %u on fake PF %s", vf, pf);
	p->v[vf][a] = value;
}

void fakenl_set_vf(const char *pf, unsigned vf, int64_t spoofchk, int64_t trust)
{
	struct fake_pf *p = find_pf(pf, 0);

	if (!p || vf >= p->n_vfs)
		fail_msg("no VF %u on fake PF %s", vf, pf);
	p->v[vf][VF_ATTR_SPOOFCHK] = spoofchk;
	p->v[vf][VF_ATTR_TRUST] = trust;
}

void fakenl_get_vf(const char *pf, unsigned vf, struct vf_settings *ret)
{
	struct fake_pf *p = find_pf(pf, 0);

	if (!p || vf >= p->n_vfs)
		fail_msg("no VF %u on fake PF %s", vf, pf);
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		ret->v[a] = p->v[vf][a] < 0 ? VF_UNSUPPORTED : p->v[vf][a];
}

void fakenl_fail_getlink(int nle)
{
	fk.getlink_error = nle;
}

void fakenl_fail_attr(enum vf_attr a, int nle, int count)
{
	fk.attr_error[a] = nle;
	fk.attr_error_count[a] = count;
}

unsigned fakenl_getlink_calls(void)
{
	return fk.getlink_calls;
}

size_t fakenl_n_requests(void)
{
	return fk.n_req;
}

const struct fakenl_request *fakenl_request(size_t i)
{
	assert_true(i < fk.n_req);
	return &fk.req[i];
}

static void grab_link(struct nl_object *obj, void *arg)
{
	nl_object_get(obj);
	*(struct rtnl_link **)arg = (struct rtnl_link *)obj;
}

int __wrap_rtnl_link_get_kernel(struct nl_sock *sk, int ifindex, const char *name,
				struct rtnl_link **result)
{
	struct fake_pf *p;
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	struct rtnl_link *link = NULL;
	struct nl_msg *msg;
	int r;

	fk.getlink_calls++;
	/* vf.c asks by name, with a connected socket. */
	assert_non_null(sk);
	if (fk.getlink_error)
		return fk.getlink_error;
	p = find_pf(name, ifindex);
	if (!p)
		return -NLE_NODEV; /* the kernel answers ENODEV (checked against libnl 3.7) */

	ifi.ifi_index = p->ifindex;
	msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	assert_non_null(msg);
	nlmsg_set_proto(msg, NETLINK_ROUTE);
	assert_int_equal(nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO), 0);
	assert_int_equal(nla_put_string(msg, IFLA_IFNAME, p->name), 0);
	/* rtnl_fill_ifinfo: IFLA_NUM_VF and the list only when the device has VFs. */
	if (p->n_vfs) {
		struct nlattr *list;

		assert_int_equal(nla_put_u32(msg, IFLA_NUM_VF, p->n_vfs), 0);
		list = nla_nest_start(msg, IFLA_VFINFO_LIST);
		for (unsigned i = 0; i < p->n_vfs; i++) {
			const int64_t *v = p->v[i];
			struct nlattr *info = nla_nest_start(msg, IFLA_VF_INFO);
			/* rtnl_fill_vfinfo: every attribute, -1 where the driver has no value */
			struct ifla_vf_mac mac = {.vf = i};
			struct ifla_vf_rate rate = {.vf = i,
						    .min_tx_rate = (__u32)v[VF_ATTR_MIN_TX_RATE],
						    .max_tx_rate = (__u32)v[VF_ATTR_MAX_TX_RATE]};
			struct ifla_vf_spoofchk sc = {.vf = i, .setting = (__u32)v[VF_ATTR_SPOOFCHK]};
			struct ifla_vf_link_state ls = {.vf = i,
							.link_state = (__u32)v[VF_ATTR_LINK_STATE]};
			struct ifla_vf_rss_query_en rss = {.vf = i,
							   .setting = (__u32)v[VF_ATTR_QUERY_RSS]};
			struct ifla_vf_trust tr = {.vf = i, .setting = (__u32)v[VF_ATTR_TRUST]};

			nla_put(msg, IFLA_VF_MAC, sizeof(mac), &mac);
			nla_put(msg, IFLA_VF_RATE, sizeof(rate), &rate);
			nla_put(msg, IFLA_VF_SPOOFCHK, sizeof(sc), &sc);
			nla_put(msg, IFLA_VF_LINK_STATE, sizeof(ls), &ls);
			nla_put(msg, IFLA_VF_RSS_QUERY_EN, sizeof(rss), &rss);
			nla_put(msg, IFLA_VF_TRUST, sizeof(tr), &tr);
			nla_nest_end(msg, info);
		}
		nla_nest_end(msg, list);
	}
	r = nl_msg_parse(msg, grab_link, &link);
	nlmsg_free(msg);
	if (r < 0)
		return r;
	assert_non_null(link);
	*result = link;
	return 0;
}

static unsigned count_attrs(const struct nlattr *head, int len)
{
	const struct nlattr *a;
	unsigned n = 0;
	int rem;

	nla_for_each_attr(a, head, len, rem)
		n++;
	return n;
}

int __wrap_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1];
	struct fakenl_request *q;
	struct ifinfomsg *ifi;

	assert_non_null(sk);
	assert_false(fk.pending); /* every request is acked before the next */
	assert_true(fk.n_req < FAKENL_MAX_REQUESTS);
	q = &fk.req[fk.n_req++];
	*q = (struct fakenl_request){0};
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		q->v[a] = -1;
	q->type = h->nlmsg_type;
	assert_true(nlmsg_valid_hdr(h, sizeof(*ifi)));
	ifi = nlmsg_data(h);
	q->ifindex = ifi->ifi_index;
	q->n_top = count_attrs(nlmsg_attrdata(h, sizeof(*ifi)), nlmsg_attrlen(h, sizeof(*ifi)));
	assert_int_equal(nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL), 0);
	if (tb[IFLA_VFINFO_LIST]) {
		struct nlattr *info;
		int rem;

		nla_for_each_nested(info, tb[IFLA_VFINFO_LIST], rem) {
			struct nlattr *vt[IFLA_VF_MAX + 1];

			assert_int_equal(nla_type(info), IFLA_VF_INFO);
			q->n_vfinfo++;
			q->n_vf_attrs += count_attrs(nla_data(info), nla_len(info));
			assert_int_equal(nla_parse_nested(vt, IFLA_VF_MAX, info, NULL), 0);
#define TAKE(ifla, type, attr, field)                                                              \
	if (vt[ifla]) {                                                                            \
		type *x = nla_data(vt[ifla]);                                                      \
                                                                                                   \
		assert_int_equal(nla_len(vt[ifla]), sizeof(*x));                                   \
		q->vf[attr] = x->vf;                                                               \
		q->v[attr] = x->field;                                                             \
	}
			TAKE(IFLA_VF_SPOOFCHK, struct ifla_vf_spoofchk, VF_ATTR_SPOOFCHK, setting)
			TAKE(IFLA_VF_TRUST, struct ifla_vf_trust, VF_ATTR_TRUST, setting)
			TAKE(IFLA_VF_LINK_STATE, struct ifla_vf_link_state, VF_ATTR_LINK_STATE,
			     link_state)
			TAKE(IFLA_VF_RSS_QUERY_EN, struct ifla_vf_rss_query_en, VF_ATTR_QUERY_RSS,
			     setting)
			TAKE(IFLA_VF_RATE, struct ifla_vf_rate, VF_ATTR_MAX_TX_RATE, max_tx_rate)
			TAKE(IFLA_VF_RATE, struct ifla_vf_rate, VF_ATTR_MIN_TX_RATE, min_tx_rate)
#undef TAKE
		}
	}
	fk.pending = true;
	return (int)h->nlmsg_len;
}

static bool take_error(enum vf_attr a, int *ret)
{
	if (!fk.attr_error[a] || fk.attr_error_count[a] == 0)
		return false;
	if (fk.attr_error_count[a] > 0)
		fk.attr_error_count[a]--;
	*ret = fk.attr_error[a];
	return true;
}

int __wrap_nl_wait_for_ack(struct nl_sock *sk)
{
	struct fakenl_request *q;
	struct fake_pf *p;
	int r = 0;

	assert_true(fk.pending);
	fk.pending = false;
	q = &fk.req[fk.n_req - 1];
	p = find_pf(NULL, q->ifindex);
	/* The kernel applies a request's VF attributes in order and stops at the first error. */
	for (int a = 0; a < _VF_ATTR_MAX; a++) {
		if (q->v[a] < 0)
			continue;
		if (take_error((enum vf_attr)a, &r))
			goto done;
		if (!p || q->vf[a] >= p->n_vfs) {
			r = p ? -NLE_INVAL : -NLE_NODEV;
			goto done;
		}
		p->v[q->vf[a]][a] = q->v[a];
	}
done:
	q->answer = r;
	return r;
}
