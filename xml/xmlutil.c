/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "util.h"
#include "xmlutil.h"

void xml_error_set(struct xml_error *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	/* Messages quote values from the document (a guest's metadata is partly the tenant's):
	 * a "&#10;" in one must not forge a second line in libvirt's error or in syslog, nor an
	 * escape sequence drive the admin's terminal. */
	for (unsigned char *p = (unsigned char *)e->msg; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static void xml_silence(void *ctx, const char *msg, ...)
{
}

int xml_parse(const char *buf, size_t len, xmlDoc **ret, struct xml_error *e)
{
	_cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
	const xmlError *err;

	if (len > XML_INPUT_MAX) {
		xml_error_set(e, "input is larger than %u MiB", XML_INPUT_MAX >> 20);
		return -EFBIG;
	}
	if (len == 0) {
		xml_error_set(e, "no XML on standard input");
		return -EINVAL;
	}
	if (memchr(buf, '\0', len)) {
		xml_error_set(e, "input contains a NUL byte");
		return -EINVAL;
	}
	/* Entities can only be declared in a DTD, and libvirt never writes one: refuse it before
	 * the parser sees it, so no expansion (billion laughs) and no external entity can happen. */
	if (memmem(buf, len, "<!DOCTYPE", 9) || memmem(buf, len, "<!ENTITY", 8)) {
		xml_error_set(e, "a document type declaration (DTD) is not accepted");
		return -EINVAL;
	}
	/* libxml2 would print its own messages on stderr; we report the last one ourselves. */
	xmlSetGenericErrorFunc(NULL, xml_silence);
	xmlResetLastError();
	/* UTF-8, whatever the document declares: libvirt writes nothing else, and a declared
	 * encoding="UTF-7" would hide "<!DOCTYPE" from the byte check above (the parser would
	 * then process the DTD before the intSubset check below could refuse it). */
	doc = xmlReadMemory(buf, (int)len, "stdin", "UTF-8",
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		err = xmlGetLastError();
		xml_error_set(e, "malformed XML: line %d: %.*s", err ? err->line : 0,
			      err && err->message ? (int)strcspn(err->message, "\n") : 0,
			      err && err->message ? err->message : "");
		return -EINVAL;
	}
	if (doc->intSubset || doc->extSubset) {
		xml_error_set(e, "a document type declaration (DTD) is not accepted");
		return -EINVAL;
	}
	if (!xmlDocGetRootElement(doc)) {
		xml_error_set(e, "no root element");
		return -EINVAL;
	}
	*ret = TAKE_PTR(doc);
	return 0;
}

bool xml_is(const xmlNode *node, const char *name)
{
	return node && node->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)node->name, name) == 0;
}

xmlNode *xml_next(const xmlNode *node, const char *name)
{
	for (xmlNode *n = node ? node->next : NULL; n; n = n->next)
		if (xml_is(n, name))
			return n;
	return NULL;
}

xmlNode *xml_child(const xmlNode *parent, const char *name)
{
	for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
		if (xml_is(n, name))
			return n;
	return NULL;
}

char *xml_attr(const xmlNode *node, const char *name)
{
	return (char *)xmlGetNoNsProp((xmlNode *)node, (const xmlChar *)name);
}

xmlNode *xml_metadata_element(const xmlNode *parent, const char *name)
{
	xmlNode *md = xml_child(parent, "metadata");

	for (xmlNode *n = md ? md->children : NULL; n; n = n->next)
		if (xml_is(n, name) && n->ns && n->ns->href &&
		    strcmp((const char *)n->ns->href, POLICY_NS) == 0)
			return n;
	return NULL;
}

/* Levenshtein distance of two short strings, stopping early past `max`. */
static size_t edit_distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b), row[130];

	if (la > 128 || lb > 128 || (la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best;

		row[0] = i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], v = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return row[lb];
}

bool xml_metadata_near_miss(const xmlNode *parent, const char *name, char *ret, size_t n)
{
	xmlNode *md = xml_child(parent, "metadata");

	for (xmlNode *e = md ? md->children : NULL; e; e = e->next) {
		const char *href = e->type == XML_ELEMENT_NODE && e->ns && e->ns->href
					   ? (const char *)e->ns->href
					   : NULL;

		if (!href || strcmp(href, POLICY_NS) == 0)
			continue;
		/* A typo of ours (one to three letters off, or another case), or our element's
		 * name under another namespace: someone meant us. */
		if (edit_distance(href, POLICY_NS, 3) <= 3 || strcasecmp(href, POLICY_NS) == 0 ||
		    (xml_is(e, name) && strstr(href, "sriov"))) {
			snprintf(ret, n, "%s", href);
			return true;
		}
	}
	return false;
}

int xml_parse_policy(const xmlNode *pool, struct pool_policy *p, struct xml_error *e)
{
	for (xmlAttr *a = pool->properties; a; a = a->next) {
		_cleanup_free_ char *value = (char *)xmlNodeGetContent((xmlNode *)a);
		const char *name = (const char *)a->name;
		int r;

		if (a->ns && a->ns->href && strcmp((const char *)a->ns->href, POLICY_NS) != 0)
			continue; /* someone else's attribute */
		r = pool_policy_set(p, name, value ?: "");
		if (r == -ENOKEY) {
			xml_error_set(e, "unknown attribute '%s' in <%s xmlns='%s'>", name,
				      (const char *)pool->name, POLICY_NS);
			return -EINVAL;
		}
		if (r < 0) {
			xml_error_set(e, "invalid value '%s' for attribute '%s' of <%s>: expected %s",
				      value ?: "", name, (const char *)pool->name,
				      pool_policy_expected(name));
			return -EINVAL;
		}
	}
	if (vf_settings_check(&p->want, e->msg, sizeof(e->msg)) < 0)
		return -EINVAL;
	return 0;
}

int xml_parse_pci_address(const xmlNode *addr, struct pci_addr *ret, struct xml_error *e)
{
	_cleanup_free_ char *type = xml_attr(addr, "type");
	_cleanup_free_ char *d = xml_attr(addr, "domain");
	_cleanup_free_ char *b = xml_attr(addr, "bus");
	_cleanup_free_ char *s = xml_attr(addr, "slot");
	_cleanup_free_ char *f = xml_attr(addr, "function");

	if (type && strcmp(type, "pci") != 0) {
		xml_error_set(e, "address of type '%s' where a PCI address was expected", type);
		return -EINVAL;
	}
	if (pci_addr_from_fields(d, b, s, f, ret) < 0) {
		xml_error_set(e,
			      "invalid PCI address domain='%.16s' bus='%.16s' slot='%.16s' "
			      "function='%.16s'",
			      d ?: "", b ?: "", s ?: "", f ?: "");
		return -EINVAL;
	}
	return 0;
}
