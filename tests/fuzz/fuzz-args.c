/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libvirt's argv for both hooks: the bytes split at NUL into at most 16 arguments. */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "hook.h"

int fuzz_args(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[17];
	enum net_op nop = _NET_OP_INVALID;
	enum qemu_op qop = _QEMU_OP_INVALID;
	int argc = 0, r;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t i = 0; i <= size && argc < 16;) {
		argv[argc++] = copy + i;
		i += strlen(copy + i) + 1;
	}
	argv[argc] = NULL;

	r = hook_parse_network_args(argc, argv, &nop);
	if (r == 0)
		FUZZ_CHECK(nop >= 0 && nop < _NET_OP_MAX);
	else
		FUZZ_CHECK(r == -EINVAL && nop == _NET_OP_INVALID); /* ret untouched on failure */
	r = hook_parse_qemu_args(argc, argv, &qop);
	if (r == 0)
		FUZZ_CHECK(qop >= 0 && qop < _QEMU_OP_MAX);
	else
		FUZZ_CHECK(r == -EINVAL && qop == _QEMU_OP_INVALID);
	/* argc 0 (argv[0] == NULL) is what execve with an empty argv gives */
	(void)hook_parse_network_args(0, argv + argc, &nop);
	free(copy);
	return 0;
}
FUZZ_ENTRY(args)
