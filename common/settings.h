/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The per-VF attributes the hooks manage. Adding one is a row in settings.c's table and a case in
 * vf.c's getter/setter switch; policy parsing, planning, saving and restoring follow from the table.
 */
enum vf_attr {
	VF_ATTR_SPOOFCHK,
	VF_ATTR_TRUST,
	_VF_ATTR_MAX,
	_VF_ATTR_INVALID = -EINVAL,
};

/* A value that is not set: "keep" in a policy, "not reported" in a driver's answer. */
#define VF_UNSET INT64_C(-1)

struct vf_settings {
	int64_t v[_VF_ATTR_MAX];
};

void vf_settings_init(struct vf_settings *s);
unsigned vf_settings_count(const struct vf_settings *s);

const char *vf_attr_name(enum vf_attr a);
enum vf_attr vf_attr_from_name(const char *name);
/* A policy value: "on"/"off"/"keep" for booleans. keep gives VF_UNSET. 0 or -EINVAL. */
int vf_attr_parse(enum vf_attr a, const char *value, int64_t *ret);
/* A state-record value (decimal), as written by vf_attr_format_raw(). */
int vf_attr_parse_raw(enum vf_attr a, const char *value, int64_t *ret);
const char *vf_attr_format(enum vf_attr a, int64_t v);

/* "spoofchk off trust on": every set attribute, in table order. Returns buf. */
const char *vf_settings_format(const struct vf_settings *s, char *buf, size_t n);
