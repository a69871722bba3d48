/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "settings.h"
#include "util.h"

enum value_kind {
	VALUE_BOOL,
};

static const struct {
	const char *name;
	enum value_kind kind;
} attr_table[_VF_ATTR_MAX] = {
	[VF_ATTR_SPOOFCHK] = {"spoofchk", VALUE_BOOL},
	[VF_ATTR_TRUST] = {"trust", VALUE_BOOL},
};

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
	}
	return -EINVAL;
}

int vf_attr_parse_raw(enum vf_attr a, const char *value, int64_t *ret)
{
	uint32_t v;
	int r = parse_u32(value, &v);

	if (r < 0)
		return r;
	if (attr_table[a].kind == VALUE_BOOL && v > 1)
		return -ERANGE;
	*ret = v;
	return 0;
}

const char *vf_attr_format(enum vf_attr a, int64_t v)
{
	if (v == VF_UNSET)
		return "keep";
	switch (attr_table[a].kind) {
	case VALUE_BOOL:
		return v ? "on" : "off";
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
		if (k < 0 || (size_t)k >= n - used)
			break;
		used += (size_t)k;
	}
	return buf;
}
