/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/object.h>
#include <netlink/route/link.h>

#include "sharednl.h"

static struct kernel {
	pthread_mutex_t lock;
	char name[16];
	int ifindex;
	unsigned n_vfs;
	int64_t v[SHAREDNL_MAX_VFS][_VF_ATTR_MAX];
	unsigned setlinks, getlinks;
	int fail;
} *k;

static int last_answer; /* per process: what the pending request got */

void sharednl_init(const char *name, int ifindex, unsigned n_vfs)
{
	pthread_mutexattr_t a;

	if (!k) {
		k = mmap(NULL, sizeof(*k), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (k == MAP_FAILED)
			abort();
	}
	memset(k, 0, sizeof(*k));
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&k->lock, &a);
	pthread_mutexattr_destroy(&a);
	snprintf(k->name, sizeof(k->name), "%s", name);
	k->ifindex = ifindex;
	k->n_vfs = n_vfs < SHAREDNL_MAX_VFS ? n_vfs : SHAREDNL_MAX_VFS;
	for (unsigned i = 0; i < k->n_vfs; i++) {
		k->v[i][VF_ATTR_SPOOFCHK] = 1;
		k->v[i][VF_ATTR_TRUST] = 0;
		k->v[i][VF_ATTR_LINK_STATE] = 0;
		k->v[i][VF_ATTR_MAX_TX_RATE] = 0;
		k->v[i][VF_ATTR_MIN_TX_RATE] = 0;
		k->v[i][VF_ATTR_QUERY_RSS] = -1;
	}
}

void sharednl_get_vf(unsigned vf, struct vf_settings *ret)
{
	pthread_mutex_lock(&k->lock);
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		ret->v[a] = k->v[vf][a] < 0 ? VF_UNSUPPORTED : k->v[vf][a];
	pthread_mutex_unlock(&k->lock);
}

unsigned sharednl_setlinks(void)
{
	return __atomic_load_n(&k->setlinks, __ATOMIC_SEQ_CST);
}

unsigned sharednl_getlinks(void)
{
	return __atomic_load_n(&k->getlinks, __ATOMIC_SEQ_CST);
}

void sharednl_fail(int nle)
{
	k->fail = nle;
}

static void jitter(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	usleep((useconds_t)((ts.tv_nsec ^ getpid()) % 3000));
}

static void grab_link(struct nl_object *obj, void *arg)
{
	nl_object_get(obj);
	*(struct rtnl_link **)arg = (struct rtnl_link *)obj;
}

int __wrap_rtnl_link_get_kernel(struct nl_sock *sk, int ifindex, const char *name,
				struct rtnl_link **result)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	struct rtnl_link *link = NULL;
	struct nlattr *list;
	struct nl_msg *msg;
	int r;

	jitter();
	if (!name || strcmp(name, k->name) != 0)
		return -NLE_NODEV;
	msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	if (!msg)
		return -NLE_NOMEM;
	nlmsg_set_proto(msg, NETLINK_ROUTE);
	ifi.ifi_index = k->ifindex;
	nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO);
	nla_put_string(msg, IFLA_IFNAME, k->name);
	/* a snapshot, taken atomically as the kernel's RTM_GETLINK is */
	pthread_mutex_lock(&k->lock);
	k->getlinks++;
	nla_put_u32(msg, IFLA_NUM_VF, k->n_vfs);
	list = nla_nest_start(msg, IFLA_VFINFO_LIST);
	for (unsigned i = 0; i < k->n_vfs; i++) {
		const int64_t *v = k->v[i];
		struct nlattr *info = nla_nest_start(msg, IFLA_VF_INFO);
		struct ifla_vf_mac mac = {.vf = i};
		struct ifla_vf_rate rate = {.vf = i,
					    .min_tx_rate = (__u32)v[VF_ATTR_MIN_TX_RATE],
					    .max_tx_rate = (__u32)v[VF_ATTR_MAX_TX_RATE]};
		struct ifla_vf_spoofchk sc = {.vf = i, .setting = (__u32)v[VF_ATTR_SPOOFCHK]};
		struct ifla_vf_link_state ls = {.vf = i, .link_state = (__u32)v[VF_ATTR_LINK_STATE]};
		struct ifla_vf_rss_query_en rss = {.vf = i, .setting = (__u32)v[VF_ATTR_QUERY_RSS]};
		struct ifla_vf_trust tr = {.vf = i, .setting = (__u32)v[VF_ATTR_TRUST]};

		nla_put(msg, IFLA_VF_MAC, sizeof(mac), &mac);
		nla_put(msg, IFLA_VF_RATE, sizeof(rate), &rate);
		nla_put(msg, IFLA_VF_SPOOFCHK, sizeof(sc), &sc);
		nla_put(msg, IFLA_VF_LINK_STATE, sizeof(ls), &ls);
		nla_put(msg, IFLA_VF_RSS_QUERY_EN, sizeof(rss), &rss);
		nla_put(msg, IFLA_VF_TRUST, sizeof(tr), &tr);
		nla_nest_end(msg, info);
	}
	pthread_mutex_unlock(&k->lock);
	nla_nest_end(msg, list);
	r = nl_msg_parse(msg, grab_link, &link);
	nlmsg_free(msg);
	if (r < 0)
		return r;
	if (!link)
		return -NLE_OBJ_NOTFOUND;
	*result = link;
	return 0;
}

/* Apply the request at once, under the lock (the RTNL lock), and keep its answer for the ack. */
int __wrap_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1], *info;
	int rem, r = 0;

	jitter();
	if (nlmsg_parse(h, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0 ||
	    h->nlmsg_type != RTM_SETLINK) {
		last_answer = -NLE_INVAL;
		return (int)h->nlmsg_len;
	}
	pthread_mutex_lock(&k->lock);
	if (k->fail) {
		r = k->fail;
	} else if (tb[IFLA_VFINFO_LIST]) {
		nla_for_each_nested(info, tb[IFLA_VFINFO_LIST], rem) {
			struct nlattr *vt[IFLA_VF_MAX + 1];

			if (nla_parse_nested(vt, IFLA_VF_MAX, info, NULL) < 0) {
				r = -NLE_INVAL;
				break;
			}
#define TAKE(ifla, type, attr, field)                                                              \
	if (vt[ifla]) {                                                                            \
		type *x = nla_data(vt[ifla]);                                                      \
                                                                                                   \
		if (x->vf >= k->n_vfs) {                                                           \
			r = -NLE_INVAL;                                                            \
			break;                                                                     \
		}                                                                                  \
		k->v[x->vf][attr] = x->field;                                                      \
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
		k->setlinks++;
	}
	pthread_mutex_unlock(&k->lock);
	last_answer = r;
	return (int)h->nlmsg_len;
}

int __wrap_nl_wait_for_ack(struct nl_sock *sk)
{
	return last_answer;
}
