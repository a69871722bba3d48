/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The metadata policy: the fuzzer's bytes are the attributes of our element, inside a fixed
 * wrapper document. First byte even: a network's <sriov:pool .../> (xml_parse_policy); odd: the
 * content of a domain's <sriov:guest> (its <sriov:interface> overrides, through domxml_parse).
 */
#include "config.h"

#include <string.h>

#include "domxml.h"
#include "fuzz.h"
#include "xmlutil.h"

#define NS_ATTR "xmlns:sriov='" POLICY_NS "'"

static char *wrap(const char *head, const uint8_t *data, size_t size, const char *tail,
		  size_t *ret_len)
{
	size_t lh = strlen(head), lt = strlen(tail);
	char *s = malloc(lh + size + lt + 1);

	if (!s)
		return NULL;
	memcpy(s, head, lh);
	memcpy(s + lh, data, size);
	memcpy(s + lh + size, tail, lt + 1);
	*ret_len = lh + size + lt;
	return s;
}

static void pool(const uint8_t *data, size_t size)
{
	_cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
	struct xml_error e = {{0}};
	struct pool_policy p;
	xmlNode *el;
	size_t len;
	char *s = wrap("<network><metadata><sriov:pool " NS_ATTR " ", data, size,
		       "/></metadata></network>", &len);
	char msg[512];

	if (!s)
		return;
	if (xml_parse(s, len, &doc, &e) == 0 &&
	    (el = xml_metadata_element(xmlDocGetRootElement(doc), "pool"))) {
		pool_policy_default(&p);
		if (xml_parse_policy(el, &p, &e) == 0) {
			FUZZ_CHECK(vf_settings_check(&p.want, msg, sizeof(msg)) == 0);
			FUZZ_CHECK(p.on_error == ON_ERROR_WARN || p.on_error == ON_ERROR_FAIL);
			FUZZ_CHECK(p.vfs == POLICY_VFS_DEFAULT || p.vfs == POLICY_VFS_MAX ||
				   (p.vfs >= 1 && p.vfs <= POLICY_VFS_LIMIT));
		} else {
			FUZZ_CHECK(e.msg[0]);
			FUZZ_CHECK_MSG(e.msg);
		}
	}
	free(s);
}

static void guest(const uint8_t *data, size_t size)
{
	struct xml_error e = {{0}}, pe = {{0}};
	struct dom_doc *d = calloc(1, sizeof(*d));
	bool bad = false;
	size_t len;
	char *s = wrap("<domain><name>g1</name><uuid>723da1c4-8803-482b-b241-4bf728c256df</uuid>"
		       "<metadata><sriov:guest " NS_ATTR ">",
		       data, size, "</sriov:guest></metadata></domain>", &len);

	if (s && d && domxml_parse(s, len, d, &e, &pe, &bad) == 0) {
		if (bad)
			FUZZ_CHECK_MSG(pe.msg);
		for (size_t i = 0; i < d->n_overrides; i++)
			FUZZ_CHECK(mac_valid(d->overrides[i].mac));
		domxml_free(d);
	}
	free(d);
	free(s);
}

int fuzz_policy(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		guest(data + 1, size - 1);
	else
		pool(data + 1, size - 1);
	return 0;
}
FUZZ_ENTRY(policy)
