/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "settings.h"

/* The namespace of our elements in a network's or domain's <metadata>. */
#define POLICY_NS "urn:libvirt-sriov-hooks:1"

enum on_error {
	ON_ERROR_WARN,
	ON_ERROR_FAIL,
	_ON_ERROR_MAX,
	_ON_ERROR_INVALID = -EINVAL,
};

const char *on_error_to_string(enum on_error e);
enum on_error on_error_from_string(const char *s);

/* vfs= not given: activate sriov_totalvfs VFs, only when the PF has none, and never warn. */
#define POLICY_VFS_DEFAULT INT64_C(-1)
/* vfs='max': sriov_totalvfs, and warn when a non-zero count differs. */
#define POLICY_VFS_MAX INT64_C(-2)
#define POLICY_VFS_LIMIT 65535

/* A pool's policy: the <pool> element in the network's <metadata>. */
struct pool_policy {
	bool manage;
	int64_t vfs;
	struct vf_settings want;
	enum on_error on_error;
};

/* The design card's defaults: spoofchk off, trust on, on-error warn, VFs activated when none. */
void pool_policy_default(struct pool_policy *p);

/*
 * Set one attribute of the <pool> element. Returns 0, -ENOKEY for an unknown attribute or
 * -EINVAL for a bad value; the caller names both in its message.
 */
int pool_policy_set(struct pool_policy *p, const char *name, const char *value);

/* The values an attribute accepts, for error messages. */
const char *pool_policy_expected(const char *name);

/*
 * A per-guest override of one interface, keyed by its MAC: the <interface> entries of the
 * <guest> element in a domain's <metadata>, or a [pf NAME] section of the host file. Only the
 * attributes it names are overridden ("keep" included: it then leaves that attribute alone).
 */
struct vf_override {
	char mac[18];
	bool set[_VF_ATTR_MAX];
	struct vf_settings v;
	int on_error; /* enum on_error, or -1 when not given */
};

void vf_override_init(struct vf_override *o);
/* -ENOKEY for an unknown attribute, -EINVAL for a bad value ("vfs" and "manage" are pool-only). */
int vf_override_set(struct vf_override *o, const char *name, const char *value);
/* The override wins over the pool's policy for each attribute it names. */
void pool_policy_apply_override(struct pool_policy *p, const struct vf_override *o);

/* A MAC address as libvirt prints it: six lower- or upper-case hex pairs with colons. */
bool mac_valid(const char *s);
