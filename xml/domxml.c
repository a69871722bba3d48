/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "domxml.h"
#include "xmlutil.h"

bool domxml_may_concern_us(const char *buf, size_t len)
{
	return memmem(buf, len, "hostdev", 7) || memmem(buf, len, POLICY_NS, strlen(POLICY_NS));
}

static int parse_overrides(const xmlNode *guest, struct dom_doc *d, struct xml_error *e)
{
	for (xmlNode *n = guest->children; n; n = n->next) {
		struct vf_override *o;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xml_is(n, "interface") || !n->ns ||
		    strcmp((const char *)n->ns->href, POLICY_NS) != 0) {
			xml_error_set(e, "unexpected element <%.64s> in <guest xmlns='%s'>: only "
				      "<interface mac=...> entries belong there",
				      (const char *)n->name, POLICY_NS);
			return -EINVAL;
		}
		if (d->n_overrides == GUEST_OVERRIDES_MAX) {
			xml_error_set(e, "more than %d <interface> overrides", GUEST_OVERRIDES_MAX);
			return -EINVAL;
		}
		o = &d->overrides[d->n_overrides];
		vf_override_init(o);
		for (xmlAttr *a = n->properties; a; a = a->next) {
			_cleanup_free_ char *value = (char *)xmlNodeGetContent((xmlNode *)a);
			const char *name = (const char *)a->name;
			int r;

			if (strcmp(name, "mac") == 0) {
				if (!mac_valid(value)) {
					xml_error_set(e, "invalid MAC address '%.32s' in an "
						      "<interface> override", value ?: "");
					return -EINVAL;
				}
				strcpy(o->mac, value);
				continue;
			}
			r = vf_override_set(o, name, value ?: "");
			if (r == -ENOKEY) {
				xml_error_set(e, "unknown attribute '%s' in an <interface> override",
					      name);
				return -EINVAL;
			}
			if (r < 0) {
				xml_error_set(e, "invalid value '%s' for attribute '%s' of an "
					      "<interface> override: expected %s", value ?: "", name,
					      pool_policy_expected(name));
				return -EINVAL;
			}
		}
		if (vf_settings_check(&o->v, e->msg, sizeof(e->msg)) < 0)
			return -EINVAL;
		if (!o->mac[0]) {
			xml_error_set(e, "an <interface> override without mac=");
			return -EINVAL;
		}
		for (size_t i = 0; i < d->n_overrides; i++)
			if (strcasecmp(d->overrides[i].mac, o->mac) == 0) {
				xml_error_set(e, "two <interface> overrides for MAC %s", o->mac);
				return -EINVAL;
			}
		d->n_overrides++;
	}
	return 0;
}

static int add_dev(struct dom_doc *d, const struct dom_dev *dev)
{
	struct dom_dev *grown = realloc(d->devs, (d->n_devs + 1) * sizeof(*d->devs));

	if (!grown)
		return -ENOMEM;
	d->devs = grown;
	d->devs[d->n_devs++] = *dev;
	return 0;
}

static int parse_devices(const xmlNode *devices, struct dom_doc *d, struct xml_error *e)
{
	for (xmlNode *n = devices ? devices->children : NULL; n; n = n->next) {
		_cleanup_free_ char *type = NULL, *mode = NULL;
		struct dom_dev dev = {0};
		xmlNode *source, *addr;
		int r;

		if (xml_is(n, "interface")) {
			xmlNode *mac = xml_child(n, "mac");
			_cleanup_free_ char *m = mac ? xml_attr(mac, "address") : NULL;

			type = xml_attr(n, "type");
			if (!type || strcmp(type, "hostdev") != 0)
				continue;
			dev.kind = DOM_DEV_INTERFACE_HOSTDEV;
			if (m && mac_valid(m))
				strcpy(dev.mac, m);
		} else if (xml_is(n, "hostdev")) {
			type = xml_attr(n, "type");
			mode = xml_attr(n, "mode");
			if (!type || strcmp(type, "pci") != 0 || (mode && strcmp(mode, "subsystem") != 0))
				continue;
			dev.kind = DOM_DEV_HOSTDEV;
		} else {
			continue;
		}
		source = xml_child(n, "source");
		addr = xml_child(source, "address");
		if (!addr)
			continue; /* no host address (yet): nothing to act on */
		r = xml_parse_pci_address(addr, &dev.addr, e);
		if (r < 0)
			return r;
		r = add_dev(d, &dev);
		if (r < 0)
			return r;
	}
	return 0;
}

int domxml_parse(const char *buf, size_t len, struct dom_doc *ret, struct xml_error *e,
		 struct xml_error *ret_policy_error, bool *ret_policy_bad)
{
	_cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
	_cleanup_free_ struct dom_doc *d = calloc(1, sizeof(*d));
	xmlNode *root, *guest;
	_cleanup_free_ char *name = NULL, *uuid = NULL;
	int r;

	if (!d)
		return -ENOMEM;
	r = xml_parse(buf, len, &doc, e);
	if (r < 0)
		return r;
	root = xmlDocGetRootElement(doc);
	if (!xml_is(root, "domain")) {
		xml_error_set(e, "expected <domain>, found <%.64s>", (const char *)root->name);
		return -EINVAL;
	}
	name = xml_child(root, "name") ? (char *)xmlNodeGetContent(xml_child(root, "name")) : NULL;
	uuid = xml_child(root, "uuid") ? (char *)xmlNodeGetContent(xml_child(root, "uuid")) : NULL;
	/* Any name libvirt accepts is shown as it is (escaped for output), never refused. */
	if (!name || !*name) {
		xml_error_set(e, "missing or invalid domain <name>");
		return -EINVAL;
	}
	if (!uuid_valid(uuid)) {
		xml_error_set(e, "missing or invalid domain <uuid>");
		return -EINVAL;
	}
	snprintf(d->name, sizeof(d->name), "%s", name);
	strcpy(d->uuid, uuid);

	r = parse_devices(xml_child(root, "devices"), d, e);
	if (r < 0) {
		domxml_free(d);
		return r;
	}
	*ret_policy_bad = false;
	guest = xml_metadata_element(root, "guest");
	if (!guest)
		xml_metadata_near_miss(root, "guest", d->ns_near_miss, sizeof(d->ns_near_miss));
	if (guest && parse_overrides(guest, d, ret_policy_error) < 0) {
		*ret_policy_bad = true;
		d->n_overrides = 0;
	}
	*ret = *d;
	return 0;
}

void domxml_free(struct dom_doc *doc)
{
	free(doc->devs);
	doc->devs = NULL;
	doc->n_devs = 0;
}

const struct vf_override *domxml_override(const struct dom_doc *doc, const char *mac)
{
	if (!mac || !*mac)
		return NULL;
	for (size_t i = 0; i < doc->n_overrides; i++)
		if (strcasecmp(doc->overrides[i].mac, mac) == 0)
			return &doc->overrides[i];
	return NULL;
}
