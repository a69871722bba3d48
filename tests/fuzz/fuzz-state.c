/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A VF record in the state directory (root-owned, but a torn or hand-edited one must never crash
 * a hook): state_parse, and format(parse(x)) is stable.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "state.h"

int fuzz_state(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char a[4096], b[4096];
	struct vf_record rec, again;
	int la, lb;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (state_parse(text, &rec) == 0) {
		la = state_format(&rec, a, sizeof(a));
		if (la >= 0) {
			FUZZ_CHECK(state_parse(a, &again) == 0);
			lb = state_format(&again, b, sizeof(b));
			FUZZ_CHECK(lb == la && memcmp(a, b, (size_t)la) == 0);
		}
	}
	free(text);
	return 0;
}
FUZZ_ENTRY(state)
