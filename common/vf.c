/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>

#include "macro.h"
#include "vf.h"

DEFINE_CLEANUP_FUNC(struct nl_sock *, nl_socket_free)
DEFINE_CLEANUP_FUNC(struct rtnl_link *, rtnl_link_put)
DEFINE_CLEANUP_FUNC(struct rtnl_link_vf *, rtnl_link_vf_put)
DEFINE_CLEANUP_FUNC(struct nl_msg *, nlmsg_free)

struct vf_link {
	struct nl_sock *sock;
	struct rtnl_link *link;
	char ifname[16]; /* IFNAMSIZ; names are checked before they get here */
};

/* libnl folds the kernel's errno into its own codes; map them back, once, here. */
static int nle_to_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case 0:
		return 0;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_INVAL:
	case NLE_RANGE:
		return -EINVAL;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INTR:
		return -EINTR;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	default:
		return -EIO;
	}
}

static int set_timeouts(struct nl_sock *sock)
{
	struct timeval tv = {
		.tv_sec = VF_SOCKET_TIMEOUT_MS / 1000,
		.tv_usec = (VF_SOCKET_TIMEOUT_MS % 1000) * 1000,
	};
	int fd = nl_socket_get_fd(sock);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	return 0;
}

int vf_link_open(const char *pf_ifname, struct vf_link **ret)
{
	_cleanup_(nl_socket_freep) struct nl_sock *sock = NULL;
	_cleanup_(rtnl_link_putp) struct rtnl_link *link = NULL;
	struct vf_link *l;
	int r;

	sock = nl_socket_alloc();
	if (!sock)
		return -ENOMEM;
	r = nl_connect(sock, NETLINK_ROUTE);
	if (r < 0)
		return nle_to_errno(r);
	r = set_timeouts(sock);
	if (r < 0)
		return r;
	/* One RTM_GETLINK of this PF only, with RTEXT_FILTER_VF (libnl adds the mask). */
	r = rtnl_link_get_kernel(sock, 0, pf_ifname, &link);
	if (r < 0)
		return nle_to_errno(r);

	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->sock = TAKE_PTR(sock);
	l->link = TAKE_PTR(link);
	snprintf(l->ifname, sizeof(l->ifname), "%s", pf_ifname);
	*ret = l;
	return 0;
}

void vf_link_free(struct vf_link *l)
{
	if (!l)
		return;
	rtnl_link_put(l->link);
	nl_socket_free(l->sock);
	free(l);
}

int vf_link_get(struct vf_link *l, uint32_t vf, struct vf_settings *ret)
{
	_cleanup_(rtnl_link_vf_putp) struct rtnl_link_vf *v = NULL;
	struct vf_settings s;
	uint32_t u = 0;

	/* rtnl_link_vf_get() dereferences the VF list unchecked: a PF reporting no VFs has none. */
	if (rtnl_link_get_num_vf(l->link, &u) < 0 || u == 0)
		return -ENOENT;
	v = rtnl_link_vf_get(l->link, vf);
	if (!v)
		return -ENOENT;
	vf_settings_init(&s);
	for (int a = 0; a < _VF_ATTR_MAX; a++) {
		struct nl_vf_rate rate = {.api = RTNL_LINK_VF_RATE_API_NEW};
		int r = -NLE_NOATTR;

		switch ((enum vf_attr)a) {
		case VF_ATTR_SPOOFCHK:
			r = rtnl_link_vf_get_spoofchk(v, &u);
			break;
		case VF_ATTR_TRUST:
			r = rtnl_link_vf_get_trust(v, &u);
			break;
		case VF_ATTR_LINK_STATE:
			r = rtnl_link_vf_get_linkstate(v, &u);
			break;
		case VF_ATTR_QUERY_RSS:
			r = rtnl_link_vf_get_rss_query_en(v, &u);
			break;
		case VF_ATTR_MAX_TX_RATE:
		case VF_ATTR_MIN_TX_RATE:
			/* The kernel always reports IFLA_VF_RATE; libnl drops zeros. */
			if (rtnl_link_vf_get_rate(v, &rate) < 0)
				rate.min_tx_rate = rate.max_tx_rate = 0;
			u = a == VF_ATTR_MAX_TX_RATE ? rate.max_tx_rate : rate.min_tx_rate;
			r = 0;
			break;
		case _VF_ATTR_MAX:
		case _VF_ATTR_INVALID:
			break;
		}
		/* -NLE_NOATTR: the driver reported -1, it does not support the attribute. */
		s.v[a] = r == 0 ? (int64_t)u : VF_UNSUPPORTED;
	}
	*ret = s;
	return 0;
}

DEFINE_CLEANUP_FUNC(nl_vf_vlans_t *, rtnl_link_vf_vlan_put)

int vf_link_get_info(struct vf_link *l, uint32_t vf, struct vf_info *ret)
{
	_cleanup_(rtnl_link_vf_putp) struct rtnl_link_vf *v = NULL;
	_cleanup_(rtnl_link_vf_vlan_putp) nl_vf_vlans_t *vlans = NULL;
	struct vf_info info = {.vlan = 0, .link_state = VF_UNSET};
	struct nl_addr *addr = NULL; /* borrowed from v */
	uint32_t u = 0;

	if (rtnl_link_get_num_vf(l->link, &u) < 0 || u == 0)
		return -ENOENT;
	v = rtnl_link_vf_get(l->link, vf);
	if (!v)
		return -ENOENT;
	if (rtnl_link_vf_get_addr(v, &addr) == 0 && addr && nl_addr_get_len(addr) == 6) {
		const unsigned char *m = nl_addr_get_binary_addr(addr);

		snprintf(info.mac, sizeof(info.mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
			 m[2], m[3], m[4], m[5]);
	}
	/* The kernel always reports IFLA_VF_VLAN; libnl drops vlan 0 ("no VLAN"). */
	if (rtnl_link_vf_get_vlans(v, &vlans) == 0 && vlans)
		info.vlan = vlans->size > 0 && vlans->vlans ? (int64_t)vlans->vlans[0].vf_vlan : 0;
	if (rtnl_link_vf_get_linkstate(v, &u) == 0)
		info.link_state = u;
	*ret = info;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* After a request whose answer never came (a local send error, a timeout), an answer may still
 * arrive later and be read as the next request's: start again on a fresh socket. */
static void reconnect(struct vf_link *l)
{
	nl_close(l->sock);
	if (nl_connect(l->sock, NETLINK_ROUTE) == 0)
		set_timeouts(l->sock);
}

static int send_once(struct vf_link *l, struct nl_msg *msg)
{
	int64_t start = now_ms();
	int r;

	nlmsg_hdr(msg)->nlmsg_seq = NL_AUTO_SEQ;
	r = nl_send_auto(l->sock, msg);
	if (r < 0) {
		reconnect(l);
		return nle_to_errno(r);
	}
	r = nle_to_errno(nl_wait_for_ack(l->sock));
	/* A receive timeout also reads as EAGAIN; a driver's EAGAIN comes back at once. */
	if (r == -EAGAIN && now_ms() - start >= VF_SOCKET_TIMEOUT_MS / 2) {
		reconnect(l);
		return -ETIMEDOUT;
	}
	return r;
}

/* The VF's entry in the cached table; NULL when the table has no such VF. */
static struct rtnl_link_vf *cached_vf(struct vf_link *l, uint32_t vf)
{
	uint32_t n = 0;

	/* rtnl_link_vf_get() dereferences the VF list unchecked: a PF reporting no VFs has none. */
	if (rtnl_link_get_num_vf(l->link, &n) < 0 || n == 0)
		return NULL;
	return rtnl_link_vf_get(l->link, vf);
}

int vf_link_set_many(struct vf_link *l, uint32_t vf, const struct vf_settings *changes)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *change = rtnl_link_alloc();
	_cleanup_(rtnl_link_vf_putp) struct rtnl_link_vf *v = rtnl_link_vf_alloc();
	_cleanup_(nlmsg_freep) struct nl_msg *msg = NULL;
	_cleanup_(rtnl_link_vf_putp) struct rtnl_link_vf *known = NULL;
	struct nl_vf_rate rate = {.api = RTNL_LINK_VF_RATE_API_NEW};
	bool rates = false;
	unsigned n = 0;
	int r;

	if (!change || !v)
		return -ENOMEM;
	rtnl_link_vf_set_index(v, vf);
	if (changes->v[VF_ATTR_MAX_TX_RATE] != VF_UNSET ||
	    changes->v[VF_ATTR_MIN_TX_RATE] != VF_UNSET) {
		/* IFLA_VF_RATE carries both limits: the one not changed goes as it is now. */
		known = cached_vf(l, vf);
		if (!known || rtnl_link_vf_get_rate(known, &rate) < 0)
			rate.min_tx_rate = rate.max_tx_rate = 0;
		rate.api = RTNL_LINK_VF_RATE_API_NEW;
	}
	for (int i = 0; i < _VF_ATTR_MAX; i++) {
		uint32_t u = (uint32_t)changes->v[i];

		if (changes->v[i] == VF_UNSET)
			continue;
		n++;
		/* libnl emits only what was set, in the kernel's own order (do_setvfinfo: rate,
		 * spoofchk, link-state, query-rss, trust), whatever the order of these calls. */
		switch ((enum vf_attr)i) {
		case VF_ATTR_SPOOFCHK:
			rtnl_link_vf_set_spoofchk(v, u);
			break;
		case VF_ATTR_TRUST:
			rtnl_link_vf_set_trust(v, u);
			break;
		case VF_ATTR_LINK_STATE:
			rtnl_link_vf_set_linkstate(v, u);
			break;
		case VF_ATTR_QUERY_RSS:
			rtnl_link_vf_set_rss_query_en(v, u);
			break;
		case VF_ATTR_MAX_TX_RATE:
			rate.max_tx_rate = u;
			rates = true;
			break;
		case VF_ATTR_MIN_TX_RATE:
			rate.min_tx_rate = u;
			rates = true;
			break;
		case _VF_ATTR_MAX:
		case _VF_ATTR_INVALID:
			return -EINVAL;
		}
	}
	if (n == 0)
		return 0;
	if (rates)
		rtnl_link_vf_set_rate(v, &rate);
	r = rtnl_link_vf_add(change, v);
	if (r < 0)
		return nle_to_errno(r);
	r = rtnl_link_build_change_request(l->link, change, 0, &msg);
	if (r < 0)
		return nle_to_errno(r);
	/* RTM_SETLINK, not libnl's RTM_NEWLINK-then-retry: one request, whose error is the
	 * driver's own. */
	nlmsg_hdr(msg)->nlmsg_type = RTM_SETLINK;

	for (int attempt = 0;; attempt++) {
		r = send_once(l, msg);
		if (r != -EAGAIN || attempt >= VF_EAGAIN_RETRIES)
			break;
		nanosleep(&(struct timespec){.tv_nsec = VF_EAGAIN_DELAY_MS * 1000000L}, NULL);
	}
	/* Keep the cached table current, so a later rate change sends this one's value. */
	if (r == 0 && known && rates) {
		rate.api = RTNL_LINK_VF_RATE_API_NEW;
		rtnl_link_vf_set_rate(known, &rate);
	}
	return r;
}

int vf_link_set(struct vf_link *l, uint32_t vf, enum vf_attr a, int64_t value)
{
	struct vf_settings one;

	if (a < 0 || a >= _VF_ATTR_MAX)
		return -EINVAL;
	vf_settings_init(&one);
	one.v[a] = value;
	return vf_link_set_many(l, vf, &one);
}

int vf_link_reload(struct vf_link *l)
{
	struct rtnl_link *link = NULL;
	int r;

	r = rtnl_link_get_kernel(l->sock, 0, l->ifname, &link);
	if (r < 0)
		return nle_to_errno(r);
	rtnl_link_put(l->link);
	l->link = link;
	return 0;
}
