/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#include <libxml/tree.h>

#include "macro.h"
#include "policy.h"
#include "util.h"
#include "xmlerror.h"

/* Private to the .c files of xml/: the only header that includes libxml2. */

DEFINE_CLEANUP_FUNC(xmlDoc *, xmlFreeDoc)

#define XML_INPUT_MAX INPUT_MAX

void xml_error_set(struct xml_error *e, const char *fmt, ...) _printf_(2, 3);

/*
 * Parse a document from memory safely: no network, no DTD loading or validation, no entity
 * substitution, and any DTD in the document (the only place entities can be declared) is refused.
 * -EINVAL with e set on any problem, -EFBIG above XML_INPUT_MAX.
 */
int xml_parse(const char *buf, size_t len, xmlDoc **ret, struct xml_error *e);

/* Element children of `parent` named `name` (any namespace NULL-matched only when ns is NULL). */
xmlNode *xml_child(const xmlNode *parent, const char *name);
xmlNode *xml_next(const xmlNode *node, const char *name);
bool xml_is(const xmlNode *node, const char *name);
/* An attribute without namespace; the string is owned by the caller (xmlFree via free). */
char *xml_attr(const xmlNode *node, const char *name);
/* The <pool>/<guest> element of our namespace in <metadata>, matched by URI, never by prefix. */
xmlNode *xml_metadata_element(const xmlNode *parent, const char *name);

/* An element in <metadata> that was surely meant for us but has another namespace (a typo of
 * ours, or a <name> element in a namespace mentioning "sriov"): its namespace into ret. */
bool xml_metadata_near_miss(const xmlNode *parent, const char *name, char *ret, size_t n);

/* Fill a policy from our <pool> element: -EINVAL with e naming attribute and value. */
int xml_parse_policy(const xmlNode *pool, struct pool_policy *p, struct xml_error *e);

/* A PCI <address domain= bus= slot= function=/>, with or without type='pci'. */
int xml_parse_pci_address(const xmlNode *addr, struct pci_addr *ret, struct xml_error *e);
