/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "settings.h"
#include "util.h"

enum value_kind {
	VALUE_BOOL,
	VALUE_LINK_STATE,
	VALUE_RATE,
};

static const struct {
	const char *name;
	enum value_kind kind;
} attr_table[_VF_ATTR_MAX] = {
	[VF_ATTR_SPOOFCHK] = {"spoofchk", VALUE_BOOL},
	[VF_ATTR_TRUST] = {"trust", VALUE_BOOL},
	[VF_ATTR_LINK_STATE] = {"link-state", VALUE_LINK_STATE},
	[VF_ATTR_MAX_TX_RATE] = {"max-tx-rate", VALUE_RATE},
	[VF_ATTR_MIN_TX_RATE] = {"min-tx-rate", VALUE_RATE},
	[VF_ATTR_QUERY_RSS] = {"query-rss", VALUE_BOOL},
};

static const char *const link_states[] = {"auto", "enable", "disable"};

void vf_settings_init(struct vf_settings *s)
{
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		s->v[a] = VF_UNSET;
}

unsigned vf_settings_count(const struct vf_settings *s)
{
	unsigned n = 0;

	for (int a = 0; a < _VF_ATTR_MAX; a++)
		n += s->v[a] != VF_UNSET;
	return n;
}

const char *vf_attr_name(enum vf_attr a)
{
	return a >= 0 && a < _VF_ATTR_MAX ? attr_table[a].name : NULL;
}

enum vf_attr vf_attr_from_name(const char *name)
{
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		if (strcmp(attr_table[a].name, name) == 0)
			return (enum vf_attr)a;
	return _VF_ATTR_INVALID;
}

int vf_attr_parse(enum vf_attr a, const char *value, int64_t *ret)
{
	uint32_t u;

	if (strcmp(value, "keep") == 0) {
		*ret = VF_UNSET;
		return 0;
	}
	switch (attr_table[a].kind) {
	case VALUE_BOOL:
		if (strcmp(value, "on") == 0)
			*ret = 1;
		else if (strcmp(value, "off") == 0)
			*ret = 0;
		else
			return -EINVAL;
		return 0;
	case VALUE_LINK_STATE:
		for (size_t i = 0; i < sizeof(link_states) / sizeof(link_states[0]); i++)
			if (strcmp(value, link_states[i]) == 0) {
				*ret = (int64_t)i;
				return 0;
			}
		return -EINVAL;
	case VALUE_RATE:
		/* The kernel takes a u32 of Mbit/s; 1 Tbit/s is beyond every NIC. */
		if (parse_u32(value, &u) < 0 || u > 1000000)
			return -EINVAL;
		*ret = u;
		return 0;
	}
	return -EINVAL;
}

const char *vf_attr_expected(enum vf_attr a)
{
	switch (attr_table[a].kind) {
	case VALUE_BOOL:
		return "'on', 'off' or 'keep'";
	case VALUE_LINK_STATE:
		return "'auto', 'enable', 'disable' or 'keep'";
	case VALUE_RATE:
		return "a rate in Mbit/s from 0 (no limit) to 1000000, or 'keep'";
	}
	return "?";
}

int vf_settings_check(const struct vf_settings *s, char *msg, size_t n)
{
	int64_t min = s->v[VF_ATTR_MIN_TX_RATE], max = s->v[VF_ATTR_MAX_TX_RATE];

	if (min > 0 && max > 0 && min > max) {
		snprintf(msg, n, "min-tx-rate %lld exceeds max-tx-rate %lld", (long long)min,
			 (long long)max);
		return -EINVAL;
	}
	return 0;
}

int vf_attr_parse_raw(enum vf_attr a, const char *value, int64_t *ret)
{
	uint32_t v;
	int r = parse_u32(value, &v);

	if (r < 0)
		return r;
	if ((attr_table[a].kind == VALUE_BOOL && v > 1) ||
	    (attr_table[a].kind == VALUE_LINK_STATE && v > 2))
		return -ERANGE;
	*ret = v;
	return 0;
}

const char *vf_attr_format(enum vf_attr a, int64_t v)
{
	/* Hooks are single-threaded; a few rotating buffers let one printf show several rates. */
	static char bufs[8][24];
	static unsigned next;
	char *b;

	if (v == VF_UNSET)
		return "keep";
	if (v == VF_UNSUPPORTED)
		return "unsupported";
	switch (attr_table[a].kind) {
	case VALUE_BOOL:
		return v ? "on" : "off";
	case VALUE_LINK_STATE:
		return v >= 0 && v <= 2 ? link_states[v] : "?";
	case VALUE_RATE:
		b = bufs[next++ % 8];
		snprintf(b, sizeof(bufs[0]), "%lld", (long long)v);
		return b;
	}
	return "?";
}

const char *vf_settings_format(const struct vf_settings *s, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int a = 0; a < _VF_ATTR_MAX; a++) {
		int k;

		if (s->v[a] == VF_UNSET)
			continue;
		k = snprintf(buf + used, n - used, "%s%s %s", used ? " " : "", attr_table[a].name,
			     vf_attr_format((enum vf_attr)a, s->v[a]));
		if (k < 0 || (size_t)k >= n - used) {
			buf[used] = '\0'; /* no half item */
			break;
		}
		used += (size_t)k;
	}
	return buf;
}
