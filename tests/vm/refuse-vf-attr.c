// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Test-only LD_PRELOAD shim for the VM harness (scenario g3). igb implements both
 * ndo_set_vf_spoofchk and ndo_set_vf_trust, so no real request can make it refuse one; this
 * shim refuses, with EOPNOTSUPP as the kernel answers for a driver without the attribute, any
 * RTM_SETLINK (or RTM_NEWLINK, libnl's first try) that carries IFLA_VFINFO_LIST > IFLA_VF_INFO >
 * the attribute named in /run/vm-refuse-vf-attr ("trust" or "spoofchk"). Without that file it
 * does nothing.
 * It answers as the kernel does: the request is swallowed (sendmsg() reports it sent) and the
 * next recvmsg() on that socket returns an NLMSG_ERROR with -EOPNOTSUPP for its sequence number.
 * (Failing sendmsg() itself would leave libnl waiting for an acknowledgement of the refused
 * request that never comes: its next request would then read as a sequence mismatch, EIO.)
 * libvirt itself never sends these attributes, so preloading it into the daemon only affects
 * the hooks it runs (libvirt passes LD_PRELOAD through to them).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* The refusal owed to one socket (the hooks use one netlink socket at a time). */
static int pending_fd = -1;
static struct nlmsghdr pending_hdr;

static int refused_attr(void)
{
	char buf[32] = "";
	FILE *f = fopen("/run/vm-refuse-vf-attr", "re");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	if (strncmp(buf, "trust", 5) == 0)
		return IFLA_VF_TRUST;
	if (strncmp(buf, "spoofchk", 8) == 0)
		return IFLA_VF_SPOOFCHK;
	return -1;
}

/* Does the nested attribute stream [p, p + len) hold type `want` under the given path? */
static int has_attr(const unsigned char *p, size_t len, const int *path, int depth, int want)
{
	while (len >= sizeof(struct nlattr)) {
		const struct nlattr *a = (const void *)p;
		size_t alen = a->nla_len, step = NLA_ALIGN(alen);
		int type = a->nla_type & NLA_TYPE_MASK;

		if (alen < sizeof(*a) || alen > len)
			return 0;
		if (depth == 0 ? type == want : type == path[0]) {
			if (depth == 0)
				return 1;
			if (has_attr(p + NLA_HDRLEN, alen - NLA_HDRLEN, path + 1, depth - 1, want))
				return 1;
		}
		if (step > len)
			return 0;
		p += step;
		len -= step;
	}
	return 0;
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);
	static const int path[] = { IFLA_VFINFO_LIST, IFLA_VF_INFO };
	int want;

	if (!real)
		real = (ssize_t(*)(int, const struct msghdr *, int))dlsym(RTLD_NEXT, "sendmsg");
	if (msg && msg->msg_iovlen >= 1 && msg->msg_iov[0].iov_len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *h = msg->msg_iov[0].iov_base;
		size_t len = msg->msg_iov[0].iov_len;
		size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg));

		if ((h->nlmsg_type == RTM_SETLINK || h->nlmsg_type == RTM_NEWLINK) &&
		    h->nlmsg_len <= len && h->nlmsg_len > off &&
		    (want = refused_attr()) >= 0 &&
		    has_attr((const unsigned char *)h + off, h->nlmsg_len - off, path, 2, want)) {
			pending_fd = fd;
			pending_hdr = *h;
			return (ssize_t)len;
		}
	}
	return real(fd, msg, flags);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} ack;
	size_t n;

	if (!real)
		real = (ssize_t(*)(int, struct msghdr *, int))dlsym(RTLD_NEXT, "recvmsg");
	if (fd != pending_fd || !msg || msg->msg_iovlen < 1)
		return real(fd, msg, flags);
	memset(&ack, 0, sizeof(ack));
	ack.h.nlmsg_len = sizeof(ack);
	ack.h.nlmsg_type = NLMSG_ERROR;
	ack.h.nlmsg_flags = NLM_F_CAPPED;
	ack.h.nlmsg_seq = pending_hdr.nlmsg_seq;
	ack.h.nlmsg_pid = pending_hdr.nlmsg_pid;
	ack.e.error = -EOPNOTSUPP;
	ack.e.msg = pending_hdr;
	ack.e.msg.nlmsg_len = sizeof(pending_hdr);
	n = msg->msg_iov[0].iov_len < sizeof(ack) ? msg->msg_iov[0].iov_len : sizeof(ack);
	memcpy(msg->msg_iov[0].iov_base, &ack, n);
	if (msg->msg_name && msg->msg_namelen >= sizeof(struct sockaddr_nl)) {
		struct sockaddr_nl *sa = msg->msg_name;

		memset(sa, 0, sizeof(*sa));
		sa->nl_family = AF_NETLINK;
		msg->msg_namelen = sizeof(*sa);
	}
	msg->msg_controllen = 0;
	msg->msg_flags = n < sizeof(ack) ? MSG_TRUNC : 0;
	if (!(flags & MSG_PEEK))
		pending_fd = -1;
	/* MSG_TRUNC asks for the real length (libnl peeks with it to size its buffer). */
	return (flags & MSG_TRUNC) ? (ssize_t)sizeof(ack) : (ssize_t)n;
}
