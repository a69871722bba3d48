/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
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
	_cleanup_(rtnl_link_vf_putp) struct rtnl_link_vf *v = rtnl_link_vf_get(l->link, vf);
	struct vf_settings s;
	uint32_t u;

	if (!v)
		return -ENOENT;
	vf_settings_init(&s);
	for (int a = 0; a < _VF_ATTR_MAX; a++) {
		int r = -NLE_NOATTR;

		switch ((enum vf_attr)a) {
		case VF_ATTR_SPOOFCHK:
			r = rtnl_link_vf_get_spoofchk(v, &u);
			break;
		case VF_ATTR_TRUST:
			r = rtnl_link_vf_get_trust(v, &u);
			break;
		case _VF_ATTR_MAX:
		case _VF_ATTR_INVALID:
			break;
		}
		/* -NLE_NOATTR: the driver reported -1, it does not support the attribute. */
		if (r == 0)
			s.v[a] = u;
	}
	*ret = s;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int send_once(struct vf_link *l, struct nl_msg *msg)
{
	int64_t start = now_ms();
	int r;

	nlmsg_hdr(msg)->nlmsg_seq = NL_AUTO_SEQ;
	r = nl_send_auto(l->sock, msg);
	if (r < 0)
		return nle_to_errno(r);
	r = nle_to_errno(nl_wait_for_ack(l->sock));
	/* A receive timeout also reads as EAGAIN; a driver's EAGAIN comes back at once. */
	if (r == -EAGAIN && now_ms() - start >= VF_SOCKET_TIMEOUT_MS / 2)
		return -ETIMEDOUT;
	return r;
}

int vf_link_set(struct vf_link *l, uint32_t vf, enum vf_attr a, int64_t value)
{
	_cleanup_(rtnl_link_putp) struct rtnl_link *change = rtnl_link_alloc();
	_cleanup_(rtnl_link_vf_putp) struct rtnl_link_vf *v = rtnl_link_vf_alloc();
	_cleanup_(nlmsg_freep) struct nl_msg *msg = NULL;
	int r;

	if (!change || !v)
		return -ENOMEM;
	rtnl_link_vf_set_index(v, vf);
	switch (a) {
	case VF_ATTR_SPOOFCHK:
		rtnl_link_vf_set_spoofchk(v, (uint32_t)value);
		break;
	case VF_ATTR_TRUST:
		rtnl_link_vf_set_trust(v, (uint32_t)value);
		break;
	case _VF_ATTR_MAX:
	case _VF_ATTR_INVALID:
		return -EINVAL;
	}
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
			return r;
		nanosleep(&(struct timespec){.tv_nsec = VF_EAGAIN_DELAY_MS * 1000000L}, NULL);
	}
}
