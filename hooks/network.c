/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /etc/libvirt/hooks/network: libvirt runs it as
 *   network NETWORK OPERATION SUB-OPERATION -
 * with <hookData> on stdin. It activates a pool's VFs at "start begin", sets the policy on the VF
 * of each new port at "port-created", and puts the VF back at "port-deleted" and "stopped end".
 * It never writes to stdout and never calls libvirt (libvirt is waiting for it).
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "hookmain.h"
#include "log.h"
#include "macro.h"
#include "nethook.h"
#include "util.h"

int main(int argc, char **argv)
{
	_cleanup_free_ char *input = NULL;
	struct hook_ctx ctx = {.sysfs = -EBADF};
	enum on_error on_error = ON_ERROR_FAIL;
	size_t len;
	enum net_op op;
	int r;

	log_open();
	if (hook_parse_network_args(argc, argv, &op) < 0) {
		log_error_errno(-EINVAL, "usage: %s NETWORK OPERATION SUB-OPERATION - (libvirt runs "
				"this as /etc/libvirt/hooks/network, with <hookData> on stdin)",
				argv[0] ?: "network");
		return HOOK_EXIT_USAGE;
	}
	/* Operations we have no business with: exit at once, touching nothing, stdin unread. */
	if (op == NET_OP_IGNORED)
		return HOOK_EXIT_OK;
	r = hook_setup("network", "<hookData>", argv, &ctx, &input, &len);
	if (r >= 0)
		r = nethook_run(&ctx, op, argv[1], input, len, &on_error);
	hook_ctx_done(&ctx);
	return nethook_exit_status(r, on_error);
}
