/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netxml.h"
#include "xmlutil.h"

static int copy_text(char *dst, size_t n, const char *src, const char *what, struct xml_error *e)
{
	if (!src || !*src) {
		xml_error_set(e, "missing %s", what);
		return -EINVAL;
	}
	if (strlen(src) >= n || !text_is_single_line(src)) {
		xml_error_set(e, "invalid %s", what);
		return -EINVAL;
	}
	strcpy(dst, src);
	return 0;
}

/* A name (network, guest): libvirt forbids little in them (a network's may not hold '/', a
 * guest's no newline), and we only ever show them, so any text is taken as it is; one too long
 * for us is cut (UUIDs are what we key on). Escaped for output where it is printed. */
static int copy_name(char *dst, size_t n, const char *src, const char *what, struct xml_error *e)
{
	if (!src || !*src) {
		xml_error_set(e, "missing %s", what);
		return -EINVAL;
	}
	snprintf(dst, n, "%s", src);
	return 0;
}

static int element_name(const xmlNode *parent, char *dst, size_t n, const char *what,
			struct xml_error *e)
{
	xmlNode *node = xml_child(parent, "name");
	_cleanup_free_ char *text = node ? (char *)xmlNodeGetContent(node) : NULL;

	return copy_name(dst, n, text, what, e);
}

static int element_text(const xmlNode *parent, const char *name, char *dst, size_t n,
			const char *what, struct xml_error *e)
{
	xmlNode *node = xml_child(parent, name);
	_cleanup_free_ char *text = node ? (char *)xmlNodeGetContent(node) : NULL;

	return copy_text(dst, n, text, what, e);
}

static int parse_uuid(const xmlNode *parent, char dst[static UUID_STRLEN], const char *what,
		      struct xml_error *e)
{
	int r = element_text(parent, "uuid", dst, UUID_STRLEN, what, e);

	if (r < 0)
		return r;
	if (!uuid_valid(dst)) {
		xml_error_set(e, "invalid %s", what);
		return -EINVAL;
	}
	return 0;
}

static int parse_ifname_attr(const xmlNode *node, const char *attr, char dst[static IFNAMSIZ],
			     const char *what, struct xml_error *e)
{
	_cleanup_free_ char *v = xml_attr(node, attr);

	if (!ifname_valid(v)) {
		xml_error_set(e, "invalid interface name '%.64s' in %s", v ?: "", what);
		return -EINVAL;
	}
	strcpy(dst, v);
	return 0;
}

static const char *const net_forward_table[] = {
	[NET_FORWARD_HOSTDEV] = "hostdev",
	[NET_FORWARD_PASSTHROUGH] = "passthrough",
};

const char *net_forward_to_string(enum net_forward f)
{
	return f > NET_FORWARD_OTHER && f <= NET_FORWARD_PASSTHROUGH ? net_forward_table[f] : NULL;
}

static int parse_forward(const xmlNode *net, struct net_doc *d, struct xml_error *e)
{
	xmlNode *fwd = xml_child(net, "forward");
	_cleanup_free_ char *mode = fwd ? xml_attr(fwd, "mode") : NULL;
	xmlNode *pf;
	size_t n = 0;
	int r;

	d->forward = NET_FORWARD_OTHER;
	for (enum net_forward f = NET_FORWARD_HOSTDEV; mode && f <= NET_FORWARD_PASSTHROUGH; f++)
		if (strcmp(mode, net_forward_to_string(f)) == 0)
			d->forward = f;
	if (d->forward == NET_FORWARD_OTHER)
		return 0;

	pf = xml_child(fwd, "pf");
	if (pf && (r = parse_ifname_attr(pf, "dev", d->pf, "<pf dev>", e)) < 0)
		return r;
	if (pf && xml_next(pf, "pf")) {
		xml_error_set(e, "more than one <pf> in <forward>");
		return -EINVAL;
	}

	for (xmlNode *a = xml_child(fwd, "address"); a; a = xml_next(a, "address"))
		n++;
	if (n) {
		d->vfs = calloc(n, sizeof(*d->vfs));
		if (!d->vfs)
			return -ENOMEM;
	}
	for (xmlNode *a = xml_child(fwd, "address"); a; a = xml_next(a, "address")) {
		r = xml_parse_pci_address(a, &d->vfs[d->n_vfs], e);
		if (r < 0)
			return r;
		d->n_vfs++;
	}
	/* <interface dev='...'/> entries name VF netdevs of a passthrough pool: checked, but the
	 * port's own plug is what the hook acts on. */
	for (xmlNode *i = xml_child(fwd, "interface"); i; i = xml_next(i, "interface")) {
		char dev[IFNAMSIZ];

		r = parse_ifname_attr(i, "dev", dev, "<forward><interface dev>", e);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_port(const xmlNode *port, struct net_doc *d, struct xml_error *e)
{
	xmlNode *owner = xml_child(port, "owner");
	xmlNode *mac = xml_child(port, "mac");
	xmlNode *plug = xml_child(port, "plug");
	_cleanup_free_ char *type = plug ? xml_attr(plug, "type") : NULL;
	int r;

	d->has_port = true;
	if ((r = parse_uuid(port, d->port_uuid, "<networkport><uuid>", e)) < 0)
		return r;
	if (owner) {
		if ((r = element_name(owner, d->owner_name, sizeof(d->owner_name),
				      "<owner><name>", e)) < 0 ||
		    (r = parse_uuid(owner, d->owner_uuid, "<owner><uuid>", e)) < 0)
			return r;
	}
	if (mac) {
		_cleanup_free_ char *m = xml_attr(mac, "address");

		if (m && strlen(m) == 17 && text_is_single_line(m))
			strcpy(d->mac, m);
	}

	d->plug = NET_PLUG_NONE;
	if (!type)
		return 0;
	if (strcmp(type, "hostdev-pci") == 0) {
		xmlNode *addr = xml_child(plug, "address");

		if (!addr) {
			xml_error_set(e, "<plug type='hostdev-pci'> without <address>");
			return -EINVAL;
		}
		if ((r = xml_parse_pci_address(addr, &d->plug_addr, e)) < 0)
			return r;
		d->plug = NET_PLUG_HOSTDEV_PCI;
	} else if (strcmp(type, "direct") == 0) {
		if ((r = parse_ifname_attr(plug, "dev", d->plug_dev, "<plug type='direct' dev>",
					   e)) < 0)
			return r;
		d->plug = NET_PLUG_DIRECT;
	}
	return 0;
}

/* The <network> element, in <hookData> or alone; port: its <networkport>, if any. */
static int parse_network(const xmlNode *net, const xmlNode *port, struct net_doc *ret,
			 struct xml_error *e, struct xml_error *ret_policy_error,
			 bool *ret_policy_bad)
{
	struct net_doc d = {0};
	xmlNode *pool;
	int r;

	pool_policy_default(&d.policy);
	*ret_policy_bad = false;
	r = element_name(net, d.name, sizeof(d.name), "network <name>", e);
	if (r >= 0)
		r = parse_uuid(net, d.uuid, "network <uuid>", e);
	if (r >= 0)
		r = parse_forward(net, &d, e);
	if (r >= 0 && port)
		r = parse_port(port, &d, e);
	if (r < 0) {
		netxml_free(&d);
		return r;
	}
	pool = xml_metadata_element(net, "pool");
	if (!pool)
		xml_metadata_near_miss(net, "pool", d.ns_near_miss, sizeof(d.ns_near_miss));
	if (pool) {
		d.has_policy = true;
		if (xml_parse_policy(pool, &d.policy, ret_policy_error) < 0)
			*ret_policy_bad = true;
	}
	*ret = d;
	return 0;
}

/* Parse a document whose root must be <root_name>. */
static int parse_root(const char *buf, size_t len, const char *root_name, xmlDoc **ret_doc,
		      xmlNode **ret_root, struct xml_error *e)
{
	_cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
	xmlNode *root;
	int r;

	r = xml_parse(buf, len, &doc, e);
	if (r < 0)
		return r;
	root = xmlDocGetRootElement(doc);
	if (!xml_is(root, root_name)) {
		xml_error_set(e, "expected <%s>, found <%.64s>", root_name, (const char *)root->name);
		return -EINVAL;
	}
	*ret_root = root;
	*ret_doc = TAKE_PTR(doc);
	return 0;
}

int netxml_parse(const char *buf, size_t len, struct net_doc *ret, struct xml_error *e,
		 struct xml_error *ret_policy_error, bool *ret_policy_bad)
{
	_cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
	xmlNode *root, *net;
	int r;

	r = parse_root(buf, len, "hookData", &doc, &root, e);
	if (r < 0)
		return r;
	net = xml_child(root, "network");
	if (!net) {
		xml_error_set(e, "<hookData> without <network>");
		return -EINVAL;
	}
	return parse_network(net, xml_child(root, "networkport"), ret, e, ret_policy_error,
			     ret_policy_bad);
}

int netxml_parse_network(const char *buf, size_t len, struct net_doc *ret, struct xml_error *e,
			 struct xml_error *ret_policy_error, bool *ret_policy_bad)
{
	_cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
	xmlNode *root;
	int r;

	r = parse_root(buf, len, "network", &doc, &root, e);
	if (r < 0)
		return r;
	return parse_network(root, NULL, ret, e, ret_policy_error, ret_policy_bad);
}

int netxml_root_name(const char *buf, size_t len, char *ret, size_t n, struct xml_error *e)
{
	_cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
	int r = xml_parse(buf, len, &doc, e);

	if (r < 0)
		return r;
	snprintf(ret, n, "%s", (const char *)xmlDocGetRootElement(doc)->name);
	return 0;
}

int netxml_network_to_hookdata(const char *buf, size_t len, char **ret, size_t *ret_len,
			       struct xml_error *e)
{
	_cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
	_cleanup_(xmlFreeDocp) xmlDoc *out = NULL;
	xmlNode *root, *hook, *net;
	xmlChar *text = NULL;
	char *copy;
	int r, n = 0;

	r = xml_parse(buf, len, &doc, e);
	if (r < 0)
		return r;
	root = xmlDocGetRootElement(doc);
	if (!xml_is(root, "network")) {
		xml_error_set(e, "expected <network>, found <%.64s>", (const char *)root->name);
		return -EINVAL;
	}
	out = xmlNewDoc((const xmlChar *)"1.0");
	hook = out ? xmlNewDocNode(out, NULL, (const xmlChar *)"hookData", NULL) : NULL;
	net = hook ? xmlDocCopyNode(root, out, 1) : NULL;
	if (!net) {
		xmlFreeNode(hook);
		return -ENOMEM;
	}
	xmlDocSetRootElement(out, hook);
	xmlAddChild(hook, net);
	/* libvirt gives every network a UUID at definition; a hand-written file may lack one. */
	if (!xml_child(net, "uuid") &&
	    !xmlNewChild(net, NULL, (const xmlChar *)"uuid",
			 (const xmlChar *)"00000000-0000-0000-0000-000000000000"))
		return -ENOMEM;
	xmlDocDumpMemory(out, &text, &n);
	copy = text && n > 0 ? malloc((size_t)n + 1) : NULL;
	if (copy) {
		memcpy(copy, text, (size_t)n);
		copy[n] = '\0';
	}
	xmlFree(text);
	if (!copy)
		return -ENOMEM;
	*ret = copy;
	*ret_len = (size_t)n;
	return 0;
}

void netxml_free(struct net_doc *doc)
{
	free(doc->vfs);
	doc->vfs = NULL;
	doc->n_vfs = 0;
}
