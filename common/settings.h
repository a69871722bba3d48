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
	VF_ATTR_LINK_STATE,  /* IFLA_VF_LINK_STATE_AUTO/ENABLE/DISABLE = 0/1/2 */
	VF_ATTR_MAX_TX_RATE, /* Mbit/s, 0 = no limit */
	VF_ATTR_MIN_TX_RATE, /* Mbit/s, 0 = no guarantee */
	VF_ATTR_QUERY_RSS,
	_VF_ATTR_MAX,
	_VF_ATTR_INVALID = -EINVAL,
};

/* A value that is not set: "keep" in a policy, "unknown" when a VF's state cannot be read. */
#define VF_UNSET INT64_C(-1)
/* In a driver's answer: the driver reports -1, it does not support the attribute. */
#define VF_UNSUPPORTED INT64_C(-2)

struct vf_settings {
	int64_t v[_VF_ATTR_MAX];
};

void vf_settings_init(struct vf_settings *s);
unsigned vf_settings_count(const struct vf_settings *s);

const char *vf_attr_name(enum vf_attr a);
enum vf_attr vf_attr_from_name(const char *name);
/* A policy value: "on"/"off" for booleans, "auto"/"enable"/"disable" for link-state, Mbit/s for
 * rates; "keep" gives VF_UNSET. 0 or -EINVAL. */
int vf_attr_parse(enum vf_attr a, const char *value, int64_t *ret);
/* A state-record value (decimal), as written by vf_attr_format_raw(). */
int vf_attr_parse_raw(enum vf_attr a, const char *value, int64_t *ret);
const char *vf_attr_format(enum vf_attr a, int64_t v);

/* The values an attribute accepts, for error messages. */
const char *vf_attr_expected(enum vf_attr a);

/* Checks across attributes (min-tx-rate <= max-tx-rate): -EINVAL with a message. */
int vf_settings_check(const struct vf_settings *s, char *msg, size_t n);

/* "spoofchk off trust on": every set attribute, in table order. Returns buf. */
const char *vf_settings_format(const struct vf_settings *s, char *buf, size_t n);
