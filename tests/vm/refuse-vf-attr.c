// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Test-only LD_PRELOAD shim for the VM harness (scenario g3). igb implements both
 * ndo_set_vf_spoofchk and ndo_set_vf_trust, so no real request can make it refuse one; this
 * shim makes sendmsg() fail with EOPNOTSUPP, as the kernel answers for a driver without the
 * attribute, for any RTM_SETLINK (or RTM_NEWLINK, libnl's first try) that carries
 * IFLA_VFINFO_LIST > IFLA_VF_INFO > the attribute named in /run/vm-refuse-vf-attr ("trust" or
 * "spoofchk"). Without that file it does nothing.
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
			errno = EOPNOTSUPP;
			return -1;
		}
	}
	return real(fd, msg, flags);
}
