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

/* Shared between the processes of a test (MAP_SHARED | MAP_ANONYMOUS, mapped before any fork);
 * every field is read and written under `lock`, the fake's RTNL lock. */
static struct kernel {
	pthread_mutex_t lock;
	struct fake_pf pf[FAKENL_MAX_PFS];
	size_t n_pf;
	int getlink_error;
	unsigned getlink_calls;
	int attr_error[_VF_ATTR_MAX];
	int attr_error_count[_VF_ATTR_MAX];
	int fail_all;
	bool jitter;
	bool no_answer;
	struct fakenl_request req[FAKENL_MAX_REQUESTS];
	size_t n_req;
} *k;

/* Per process: a request this process sent awaits its ack, and the answer it gets. */
static bool pending;
static int last_answer;

static struct kernel *kernel(void)
{
	if (!k) {
		void *m = mmap(NULL, sizeof(*k), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			       -1, 0);

		if (m == MAP_FAILED)
			abort();
		k = m;
		fakenl_reset();
	}
	return k;
}

static void lock(void)
{
	if (pthread_mutex_lock(&kernel()->lock) != 0)
		abort();
}

static void unlock(void)
{
	pthread_mutex_unlock(&k->lock);
}

void fakenl_reset(void)
{
	pthread_mutexattr_t a;

	if (!k) {
		kernel(); /* maps, then comes back here */
		return;
	}
	memset(k, 0, sizeof(*k));
	if (pthread_mutexattr_init(&a) != 0 ||
	    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) != 0 ||
	    pthread_mutex_init(&k->lock, &a) != 0)
		abort();
	pthread_mutexattr_destroy(&a);
	pending = false;
	last_answer = 0;
}

/* Under the lock. */
static struct fake_pf *find_pf(const char *name, int ifindex)
{
	for (size_t i = 0; i < k->n_pf; i++)
		if ((name && strcmp(k->pf[i].name, name) == 0) ||
		    (!name && k->pf[i].ifindex == ifindex))
			return &k->pf[i];
	return NULL;
}

void fakenl_add_pf(const char *name, int ifindex, unsigned n_vfs)
{
	struct fake_pf *p;

	assert_true(n_vfs <= FAKENL_MAX_VFS);
	lock();
	if (k->n_pf >= FAKENL_MAX_PFS) {
		unlock();
		fail_msg("more than %d fake PFs", FAKENL_MAX_PFS);
	}
	p = &k->pf[k->n_pf++];
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
	unlock();
}

/* Locked, with the VF checked; the caller unlocks. */
static int64_t *lock_vf(const char *pf, unsigned vf)
{
	struct fake_pf *p;

	lock();
	p = find_pf(pf, 0);
	if (!p || vf >= p->n_vfs) {
		unlock();
		fail_msg("no VF %u on fake PF %s", vf, pf);
	}
	return p->v[vf];
}

void fakenl_set_attr(const char *pf, unsigned vf, enum vf_attr a, int64_t value)
{
	int64_t *v = lock_vf(pf, vf);

	v[a] = value;
	unlock();
}

void fakenl_set_vf(const char *pf, unsigned vf, int64_t spoofchk, int64_t trust)
{
	int64_t *v = lock_vf(pf, vf);

	v[VF_ATTR_SPOOFCHK] = spoofchk;
	v[VF_ATTR_TRUST] = trust;
	unlock();
}

void fakenl_get_vf(const char *pf, unsigned vf, struct vf_settings *ret)
{
	int64_t *v = lock_vf(pf, vf);

	for (int a = 0; a < _VF_ATTR_MAX; a++)
		ret->v[a] = v[a] < 0 ? VF_UNSUPPORTED : v[a];
	unlock();
}

void fakenl_fail_getlink(int nle)
{
	lock();
	k->getlink_error = nle;
	unlock();
}

void fakenl_fail_attr(enum vf_attr a, int nle, int count)
{
	lock();
	k->attr_error[a] = nle;
	k->attr_error_count[a] = count;
	unlock();
}

void fakenl_fail_all(int nle)
{
	lock();
	k->fail_all = nle;
	unlock();
}

void fakenl_set_jitter(bool on)
{
	lock();
	k->jitter = on;
	unlock();
}

void fakenl_set_no_answer(bool on)
{
	lock();
	k->no_answer = on;
	unlock();
}

unsigned fakenl_getlink_calls(void)
{
	unsigned n;

	lock();
	n = k->getlink_calls;
	unlock();
	return n;
}

size_t fakenl_n_requests(void)
{
	size_t n;

	lock();
	n = k->n_req;
	unlock();
	return n;
}

const struct fakenl_request *fakenl_request(size_t i)
{
	assert_true(i < fakenl_n_requests());
	assert_true(i < FAKENL_MAX_REQUESTS);
	return &k->req[i];
}

static void jitter(void)
{
	struct timespec ts;
	bool on;

	lock();
	on = k->jitter;
	unlock();
	if (!on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	usleep((useconds_t)(((unsigned long)ts.tv_nsec ^ (unsigned long)getpid()) % 3000));
}

static void grab_link(struct nl_object *obj, void *arg)
{
	nl_object_get(obj);
	*(struct rtnl_link **)arg = (struct rtnl_link *)obj;
}

int __wrap_rtnl_link_get_kernel(struct nl_sock *sk, int ifindex, const char *name,
				struct rtnl_link **result)
{
	struct fake_pf pf, *p;
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	struct rtnl_link *link = NULL;
	struct nl_msg *msg;
	int r;

	jitter();
	/* A snapshot, taken atomically as the kernel's RTM_GETLINK is. */
	lock();
	k->getlink_calls++;
	r = k->getlink_error;
	p = find_pf(name, ifindex);
	if (p)
		pf = *p;
	unlock();
	/* vf.c asks by name, with a connected socket. */
	assert_non_null(sk);
	if (r)
		return r;
	if (!p)
		return -NLE_NODEV; /* the kernel answers ENODEV (checked against libnl 3.7) */

	ifi.ifi_index = pf.ifindex;
	msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	assert_non_null(msg);
	nlmsg_set_proto(msg, NETLINK_ROUTE);
	assert_int_equal(nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO), 0);
	assert_int_equal(nla_put_string(msg, IFLA_IFNAME, pf.name), 0);
	/* rtnl_fill_ifinfo: IFLA_NUM_VF and the list only when the device has VFs. */
	if (pf.n_vfs) {
		struct nlattr *list;

		assert_int_equal(nla_put_u32(msg, IFLA_NUM_VF, pf.n_vfs), 0);
		list = nla_nest_start(msg, IFLA_VFINFO_LIST);
		for (unsigned i = 0; i < pf.n_vfs; i++) {
			const int64_t *v = pf.v[i];
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

			assert_non_null(info);
			assert_int_equal(nla_put(msg, IFLA_VF_MAC, sizeof(mac), &mac), 0);
			assert_int_equal(nla_put(msg, IFLA_VF_RATE, sizeof(rate), &rate), 0);
			assert_int_equal(nla_put(msg, IFLA_VF_SPOOFCHK, sizeof(sc), &sc), 0);
			assert_int_equal(nla_put(msg, IFLA_VF_LINK_STATE, sizeof(ls), &ls), 0);
			assert_int_equal(nla_put(msg, IFLA_VF_RSS_QUERY_EN, sizeof(rss), &rss), 0);
			assert_int_equal(nla_put(msg, IFLA_VF_TRUST, sizeof(tr), &tr), 0);
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

/* Decode a request into q (no lock needed: the message is this process's). */
static void decode(struct nlmsghdr *h, struct fakenl_request *q)
{
	struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;

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

			struct nlattr *a;
			int arem;

			assert_int_equal(nla_type(info), IFLA_VF_INFO);
			q->n_vfinfo++;
			nla_for_each_nested(a, info, arem) {
				if (q->n_vf_attrs < sizeof(q->vf_attr_type) / sizeof(q->vf_attr_type[0]))
					q->vf_attr_type[q->n_vf_attrs] = (uint16_t)nla_type(a);
				q->n_vf_attrs++;
			}
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
}

/* Under the lock. */
static bool take_error(enum vf_attr a, int *ret)
{
	if (!k->attr_error[a] || k->attr_error_count[a] == 0)
		return false;
	if (k->attr_error_count[a] > 0)
		k->attr_error_count[a]--;
	*ret = k->attr_error[a];
	return true;
}

/* Under the lock: one attribute of a request (the two rates are one, IFLA_VF_RATE). */
static int apply_one(struct fake_pf *p, const struct fakenl_request *q, enum vf_attr a)
{
	enum vf_attr b = a == VF_ATTR_MAX_TX_RATE ? VF_ATTR_MIN_TX_RATE : a;
	int r = 0;

	if (q->v[a] < 0)
		return 0;
	if (take_error(a, &r) || (b != a && take_error(b, &r)))
		return r;
	if (!p)
		return -NLE_NODEV;
	if (q->vf[a] >= p->n_vfs)
		return -NLE_INVAL;
	p->v[q->vf[a]][a] = q->v[a];
	p->v[q->vf[a]][b] = q->v[b];
	return 0;
}

/* Under the lock: the kernel (do_setvfinfo) applies a request's VF attributes in its own order
 * and stops at the first error, keeping what it applied before. */
static int apply(const struct fakenl_request *q)
{
	static const enum vf_attr kernel_order[] = {
		VF_ATTR_MAX_TX_RATE, /* IFLA_VF_RATE, with VF_ATTR_MIN_TX_RATE */
		VF_ATTR_SPOOFCHK,
		VF_ATTR_LINK_STATE,
		VF_ATTR_QUERY_RSS,
		VF_ATTR_TRUST,
	};
	struct fake_pf *p = find_pf(NULL, q->ifindex);

	if (k->fail_all)
		return k->fail_all;
	for (size_t i = 0; i < sizeof(kernel_order) / sizeof(kernel_order[0]); i++) {
		int r = apply_one(p, q, kernel_order[i]);

		if (r < 0)
			return r;
	}
	return 0;
}

/* Applied at once, under the lock (the RTNL lock); the answer waits for nl_wait_for_ack. */
int __wrap_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct fakenl_request q;

	jitter();
	assert_non_null(sk);
	assert_false(pending); /* every request is acked before the next */
	decode(h, &q);
	lock();
	q.answer = apply(&q);
	if (k->n_req < FAKENL_MAX_REQUESTS)
		k->req[k->n_req] = q;
	k->n_req++;
	unlock();
	last_answer = q.answer;
	pending = true;
	return (int)h->nlmsg_len;
}

int __wrap_nl_wait_for_ack(struct nl_sock *sk)
{
	bool no_answer;

	assert_true(pending);
	pending = false;
	lock();
	no_answer = k->no_answer;
	unlock();
	/* Nothing was written to the real socket: libnl waits on it until its receive timeout. */
	if (no_answer)
		return __real_nl_wait_for_ack(sk);
	return last_answer;
}
