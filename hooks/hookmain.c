/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <unistd.h>

#include "hookmain.h"
#include "log.h"
#include "util.h"

int hook_setup(const char *object, const char *doc, char *const *argv, struct hook_ctx *ret_ctx,
	       char **ret_input, size_t *ret_len)
{
	int r;

	r = hook_read_input(STDIN_FILENO, ret_input, ret_len);
	if (r == -EFBIG)
		return log_error_errno(r, "%s '%s' %s %s: standard input is larger than %u MiB, "
				       "which no document from libvirt is; refusing it",
				       object, argv[1], argv[2], argv[3], INPUT_MAX >> 20);
	if (r < 0)
		return log_error_errno(r, "%s '%s' %s %s: cannot read %s on standard input: %m",
				       object, argv[1], argv[2], argv[3], doc);
	r = hook_ctx_from_env(ret_ctx);
	if (r < 0)
		return log_error_errno(r, "%s '%s': cannot open sysfs: %m", object, argv[1]);
	return 0;
}
