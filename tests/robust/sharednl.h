/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A fake kernel at the libnl boundary whose state is shared between processes (tests/fakenl.c's
 * is per process): one PF, its VFs' settings in shared memory, every RTM_SETLINK applied
 * atomically under a process-shared mutex, as the kernel applies it under the RTNL lock.
 * Link with -Wl,--wrap=rtnl_link_get_kernel,--wrap=nl_send_auto,--wrap=nl_wait_for_ack.
 * Each answer comes after a short random delay, to widen the windows between a hook's steps.
 */

#include <stdint.h>

#include "settings.h"

#define SHAREDNL_MAX_VFS 16

/* Map (once, before any fork) and reset: PF `name` with n VFs at spoofchk on, trust off. */
void sharednl_init(const char *name, int ifindex, unsigned n_vfs);
void sharednl_get_vf(unsigned vf, struct vf_settings *ret);
unsigned sharednl_setlinks(void); /* requests applied so far */
unsigned sharednl_getlinks(void);
/* Answer every request with this -NLE_* code (0: apply normally). */
void sharednl_fail(int nle);

struct nl_sock;
struct nl_msg;
struct rtnl_link;
int __wrap_rtnl_link_get_kernel(struct nl_sock *sk, int ifindex, const char *name,
				struct rtnl_link **result);
int __wrap_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg);
int __wrap_nl_wait_for_ack(struct nl_sock *sk);
