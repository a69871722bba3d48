/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "policy.h"
#include "util.h"

static const char *const on_error_table[_ON_ERROR_MAX] = {
	[ON_ERROR_WARN] = "warn",
	[ON_ERROR_FAIL] = "fail",
};

const char *on_error_to_string(enum on_error e)
{
	return e >= 0 && e < _ON_ERROR_MAX ? on_error_table[e] : NULL;
}

enum on_error on_error_from_string(const char *s)
{
	for (int i = 0; i < _ON_ERROR_MAX; i++)
		if (strcmp(s, on_error_table[i]) == 0)
			return (enum on_error)i;
	return _ON_ERROR_INVALID;
}

void pool_policy_default(struct pool_policy *p)
{
	*p = (struct pool_policy){
		.manage = true,
		.vfs = POLICY_VFS_DEFAULT,
		.on_error = ON_ERROR_WARN,
	};
	vf_settings_init(&p->want);
	p->want.v[VF_ATTR_SPOOFCHK] = 0;
	p->want.v[VF_ATTR_TRUST] = 1;
}

static int parse_yes_no(const char *value, bool *ret)
{
	if (strcmp(value, "yes") == 0)
		*ret = true;
	else if (strcmp(value, "no") == 0)
		*ret = false;
	else
		return -EINVAL;
	return 0;
}

int pool_policy_set(struct pool_policy *p, const char *name, const char *value)
{
	enum vf_attr a;

	if (strcmp(name, "vfs") == 0) {
		uint32_t n;

		if (strcmp(value, "max") == 0) {
			p->vfs = POLICY_VFS_MAX;
			return 0;
		}
		if (parse_u32(value, &n) < 0 || n == 0 || n > POLICY_VFS_LIMIT)
			return -EINVAL;
		p->vfs = n;
		return 0;
	}
	if (strcmp(name, "on-error") == 0) {
		enum on_error e = on_error_from_string(value);

		if (e < 0)
			return e;
		p->on_error = e;
		return 0;
	}
	if (strcmp(name, "manage") == 0)
		return parse_yes_no(value, &p->manage);

	a = vf_attr_from_name(name);
	if (a < 0)
		return -ENOKEY;
	return vf_attr_parse(a, value, &p->want.v[a]);
}

const char *pool_policy_expected(const char *name)
{
	enum vf_attr a;

	if (strcmp(name, "vfs") == 0)
		return "a count from 1 to 65535, or 'max'";
	if (strcmp(name, "on-error") == 0)
		return "'warn' or 'fail'";
	if (strcmp(name, "manage") == 0)
		return "'yes' or 'no'";
	a = vf_attr_from_name(name);
	return a >= 0 ? vf_attr_expected(a) : "?";
}

void vf_override_init(struct vf_override *o)
{
	*o = (struct vf_override){.on_error = -1};
	vf_settings_init(&o->v);
}

int vf_override_set(struct vf_override *o, const char *name, const char *value)
{
	enum vf_attr a;
	int r;

	if (strcmp(name, "on-error") == 0) {
		enum on_error e = on_error_from_string(value);

		if (e < 0)
			return e;
		o->on_error = (int)e;
		return 0;
	}
	a = vf_attr_from_name(name);
	if (a < 0)
		return -ENOKEY;
	r = vf_attr_parse(a, value, &o->v.v[a]);
	if (r < 0)
		return r;
	o->set[a] = true;
	return 0;
}

void pool_policy_apply_override(struct pool_policy *p, const struct vf_override *o)
{
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		if (o->set[a])
			p->want.v[a] = o->v.v[a];
	if (o->on_error >= 0)
		p->on_error = (enum on_error)o->on_error;
}

bool mac_valid(const char *s)
{
	if (!s || strlen(s) != 17)
		return false;
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2) {
			if (s[i] != ':')
				return false;
		} else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
			     (s[i] >= 'A' && s[i] <= 'F'))) {
			return false;
		}
	}
	return true;
}
