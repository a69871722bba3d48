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

#include "hook.h"
#include "log.h"
#include "macro.h"
#include "qemuhook.h"
#include "util.h"

int main(int argc, char **argv)
{
	_cleanup_free_ char *input = NULL;
	struct hook_ctx ctx;
	enum qemu_op op;
	size_t len;
	int r, status;

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

	r = hook_read_input(STDIN_FILENO, &input, &len);
	if (r == -EFBIG) {
		log_error_errno(r, "guest '%s' %s %s: standard input is larger than %u MiB, which no "
				"document from libvirt is; refusing it", argv[1], argv[2], argv[3],
				INPUT_MAX >> 20);
		return op == QEMU_OP_RECONNECT_BEGIN ? HOOK_EXIT_OK : HOOK_EXIT_FAIL;
	}
	if (r < 0) {
		log_error_errno(r, "guest '%s' %s %s: cannot read the domain XML on standard input: %m",
				argv[1], argv[2], argv[3]);
		return op == QEMU_OP_RECONNECT_BEGIN ? HOOK_EXIT_OK : HOOK_EXIT_FAIL;
	}
	r = hook_ctx_from_env(&ctx);
	if (r < 0) {
		log_error_errno(r, "guest '%s': cannot open sysfs: %m", argv[1]);
		return op == QEMU_OP_RECONNECT_BEGIN ? HOOK_EXIT_OK : HOOK_EXIT_FAIL;
	}
	status = qemuhook_run(&ctx, op, argv[1], input, len);
	hook_ctx_done(&ctx);
	return status;
}
