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

#include "hook.h"
#include "log.h"
#include "macro.h"
#include "nethook.h"
#include "util.h"

int main(int argc, char **argv)
{
	_cleanup_free_ char *input = NULL;
	struct hook_ctx ctx;
	enum net_op op;
	size_t len;
	int r, status;

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

	r = hook_read_input(STDIN_FILENO, &input, &len);
	if (r == -EFBIG) {
		log_error_errno(r, "network '%s' %s %s: standard input is larger than %u MiB, which no "
				"document from libvirt is; refusing it", argv[1], argv[2], argv[3],
				INPUT_MAX >> 20);
		return HOOK_EXIT_FAIL;
	}
	if (r < 0) {
		log_error_errno(r, "network '%s' %s %s: cannot read <hookData> on standard input: %m",
				argv[1], argv[2], argv[3]);
		return HOOK_EXIT_FAIL;
	}
	r = hook_ctx_from_env(&ctx);
	if (r < 0) {
		log_error_errno(r, "network '%s': cannot open sysfs: %m", argv[1]);
		return HOOK_EXIT_FAIL;
	}
	status = nethook_run(&ctx, op, argv[1], input, len);
	hook_ctx_done(&ctx);
	return status;
}
