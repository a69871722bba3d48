/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /etc/libvirt/hooks/qemu: libvirt runs it as
 *   qemu GUEST OPERATION SUB-OPERATION EXTRA
 * with the domain XML on stdin. It records per-guest overrides at "prepare", sets the policy on VFs
 * given to the guest directly and re-asserts it on pool VFs at "start" and "reconnect", and puts
 * direct VFs back at "release". It never writes to stdout: for "migrate" and "restore" libvirt
 * takes stdout as the guest's new XML.
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "hookmain.h"
#include "log.h"
#include "macro.h"
#include "qemuhook.h"
#include "util.h"

int main(int argc, char **argv)
{
	_cleanup_free_ char *input = NULL;
	struct hook_ctx ctx = {.sysfs = -EBADF};
	enum on_error on_error = ON_ERROR_FAIL;
	size_t len;
	enum qemu_op op;
	int r;

	log_open();
	if (hook_parse_qemu_args(argc, argv, &op) < 0) {
		log_error_errno(-EINVAL, "usage: %s GUEST OPERATION SUB-OPERATION EXTRA (libvirt runs "
				"this as /etc/libvirt/hooks/qemu, with the domain XML on stdin)",
				argv[0] ?: "qemu");
		return HOOK_EXIT_USAGE;
	}
	/* Operations we have no business with, migrate and restore included: exit at once. */
	if (op == QEMU_OP_IGNORED)
		return HOOK_EXIT_OK;
	r = hook_setup("guest", "the domain XML", argv, &ctx, &input, &len);
	if (r >= 0)
		r = qemuhook_run(&ctx, op, argv[1], input, len, &on_error);
	hook_ctx_done(&ctx);
	return qemuhook_exit_status(op, r, on_error);
}
