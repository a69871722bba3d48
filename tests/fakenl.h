/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The fake kernel at the libnl boundary, the one every test program uses. Test programs link with
 *   -Wl,--wrap=rtnl_link_get_kernel,--wrap=nl_send_auto,--wrap=nl_wait_for_ack
 * so that vf.c's calls land here, while nl_connect and libnl's own message building and parsing
 * stay real (a NETLINK_ROUTE socket needs no privilege).
 *
 * rtnl_link_get_kernel() answers with the RTM_NEWLINK message the kernel would send for a fake PF
 * (IFLA_NUM_VF + IFLA_VFINFO_LIST > IFLA_VF_INFO > MAC/RATE/SPOOFCHK/LINK_STATE/RSS/TRUST), parsed
 * by libnl itself. nl_send_auto() records each request, decoded with nlmsg_parse /
 * nla_parse_nested, and applies it to the fake PF at once, atomically, as the kernel does under
 * the RTNL lock (so a second run sees what the first one set); nl_wait_for_ack() gives its answer
 * (0 unless an error was scripted).
 *
 * Its state lives in anonymous shared memory behind a process-shared mutex, so forked hooks (the
 * concurrency test) see one kernel, and the PFs, counters and request log are the parent's to
 * check after they exit. Single-process tests see no difference.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "settings.h"

#define FAKENL_MAX_PFS 4
#define FAKENL_MAX_VFS 64
/* Requests beyond this are counted and applied, but not logged. */
#define FAKENL_MAX_REQUESTS 256

struct fakenl_request {
	uint16_t type;       /* RTM_SETLINK expected */
	int ifindex;         /* ifinfomsg index */
	unsigned n_top;      /* top-level attributes */
	unsigned n_vfinfo;   /* IFLA_VF_INFO entries in IFLA_VFINFO_LIST */
	unsigned n_vf_attrs; /* attributes in all IFLA_VF_INFO entries */
	/* Their IFLA_VF_* types, in the order they were sent (the first 8). */
	uint16_t vf_attr_type[8];
	/* Per attribute (IFLA_VF_SPOOFCHK, _TRUST, _LINK_STATE, _RSS_QUERY_EN, and IFLA_VF_RATE
	 * for both rates): the vf field of its struct and its value; -1 = not in the request. */
	uint32_t vf[_VF_ATTR_MAX];
	int64_t v[_VF_ATTR_MAX];
	int answer; /* what nl_wait_for_ack returned for it */
};

/* Map the shared state on first use (before any fork) and forget every PF, request, scripted
 * error and mode; rtnl_link_get_kernel fails with -NLE_NODEV (the kernel's ENODEV) for names it
 * does not know. */
void fakenl_reset(void);
/* A PF with n VFs as igb reports them after sriov_numvfs: spoofchk on, trust off, link-state
 * auto, no rates, query-rss -1 (not supported). */
void fakenl_add_pf(const char *name, int ifindex, unsigned n_vfs);
/* A VF's spoofchk and trust; -1 makes the fake kernel report -1 (the driver does not support it). */
void fakenl_set_vf(const char *pf, unsigned vf, int64_t spoofchk, int64_t trust);
/* Any one attribute (rates: Mbit/s; query-rss/spoofchk/trust -1 = not supported). */
void fakenl_set_attr(const char *pf, unsigned vf, enum vf_attr a, int64_t value);
/* What the fake kernel holds now (VF_UNSUPPORTED where it reports -1). */
void fakenl_get_vf(const char *pf, unsigned vf, struct vf_settings *ret);
/* Make rtnl_link_get_kernel fail with this -NLE_* code (0: answer normally). */
void fakenl_fail_getlink(int nle);
/* The next `count` requests carrying attribute `a` are answered with -NLE_* `nle`; count < 0:
 * every one. Like the kernel (do_setvfinfo), the fake applies a request's attributes in a fixed
 * order, IFLA_VF_RATE (both rates: an error on either fails it), SPOOFCHK, LINK_STATE,
 * RSS_QUERY_EN, TRUST, and stops at the first error, keeping what it applied before. */
void fakenl_fail_attr(enum vf_attr a, int nle, int count);
/* Answer every request with this -NLE_* code and apply nothing (0: back to normal). */
void fakenl_fail_all(int nle);
/* A short random delay (< 3 ms) before each answer, to widen the windows between a hook's steps
 * when several run at once. */
void fakenl_set_jitter(bool on);
/* A driver that never answers: each request is still applied (a driver may act and then hang),
 * but nl_wait_for_ack is libnl's real one, on the real socket, which nothing ever writes to: it
 * returns when vf.c's socket receive timeout expires. */
void fakenl_set_no_answer(bool on);

/* Counters, across every process since the last reset. */
unsigned fakenl_getlink_calls(void);
size_t fakenl_n_requests(void);
const struct fakenl_request *fakenl_request(size_t i);

/* The wrapped symbols (prototypes for -Wmissing-prototypes). */
struct nl_sock;
struct nl_msg;
struct rtnl_link;
int __wrap_rtnl_link_get_kernel(struct nl_sock *sk, int ifindex, const char *name,
				struct rtnl_link **result);
int __wrap_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg);
int __wrap_nl_wait_for_ack(struct nl_sock *sk);
int __real_nl_wait_for_ack(struct nl_sock *sk);
