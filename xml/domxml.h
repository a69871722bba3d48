/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "guest.h"
#include "policy.h"
#include "util.h"
#include "xmlerror.h"

/* What the qemu hook needs from a domain's XML (hook-contract.md §5.3). */

enum dom_dev_kind {
	DOM_DEV_INTERFACE_HOSTDEV, /* <interface type='hostdev'>: a pool port, or a direct VF */
	DOM_DEV_HOSTDEV,           /* <hostdev mode='subsystem' type='pci'> */
};

struct dom_dev {
	enum dom_dev_kind kind;
	char mac[18]; /* "" for <hostdev> */
	struct pci_addr addr;
};

struct dom_doc {
	char name[256];
	char uuid[UUID_STRLEN];
	size_t n_devs;
	struct dom_dev *devs;
	char ns_near_miss[128]; /* a <metadata> element meant for us, in a mistyped namespace */
	size_t n_overrides;
	struct vf_override overrides[GUEST_OVERRIDES_MAX];
};

/*
 * Cheap test on the raw text, before any parsing: a guest whose XML mentions neither "hostdev"
 * nor our namespace has no VF and no override, and the hook can exit at once.
 */
bool domxml_may_concern_us(const char *buf, size_t len);

/* Parse a domain. A bad <guest> override sets *ret_policy_bad and ret_policy_error. */
int domxml_parse(const char *buf, size_t len, struct dom_doc *ret, struct xml_error *e,
		 struct xml_error *ret_policy_error, bool *ret_policy_bad);
void domxml_free(struct dom_doc *doc);
/* The override for a MAC, or NULL. */
const struct vf_override *domxml_override(const struct dom_doc *doc, const char *mac);
