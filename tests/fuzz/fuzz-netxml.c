/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The network hook's stdin: <hookData> (and the CLI's plain <network>). */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "netxml.h"

static void check_doc(const struct net_doc *d, bool policy_bad, const struct xml_error *pe)
{
	char msg[512], line[NET_NAME_MAX];

	/* Names are taken as libvirt allows them (control characters included), bounded, and
	 * escaped to one line wherever they are written. */
	FUZZ_CHECK(d->name[0] && strlen(d->name) < sizeof(d->name));
	FUZZ_CHECK(text_is_single_line(text_one_line(d->name, line, sizeof(line))));
	FUZZ_CHECK(uuid_valid(d->uuid));
	/* everything below becomes a sysfs path */
	FUZZ_CHECK(!d->pf[0] || ifname_valid(d->pf));
	if (d->plug == NET_PLUG_DIRECT)
		FUZZ_CHECK(ifname_valid(d->plug_dev));
	FUZZ_CHECK(d->n_vfs == 0 || d->vfs);
	if (d->has_port) {
		FUZZ_CHECK(uuid_valid(d->port_uuid));
		FUZZ_CHECK(strlen(d->owner_name) < sizeof(d->owner_name));
		FUZZ_CHECK(text_is_single_line(text_one_line(d->owner_name, line, sizeof(line))));
		FUZZ_CHECK(!d->owner_uuid[0] || uuid_valid(d->owner_uuid));
		FUZZ_CHECK(!d->mac[0] || (strlen(d->mac) == 17 && text_is_single_line(d->mac)));
	}
	if (policy_bad) {
		FUZZ_CHECK_MSG(pe->msg);
	} else {
		FUZZ_CHECK(vf_settings_check(&d->policy.want, msg, sizeof(msg)) == 0);
		FUZZ_CHECK(d->policy.vfs == POLICY_VFS_DEFAULT || d->policy.vfs == POLICY_VFS_MAX ||
			   (d->policy.vfs >= 1 && d->policy.vfs <= POLICY_VFS_LIMIT));
	}
}

int fuzz_netxml(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct xml_error e = {{0}}, pe = {{0}};
	struct net_doc d;
	bool bad = false;
	char root[64];

	if (netxml_parse(buf, size, &d, &e, &pe, &bad) == 0) {
		check_doc(&d, bad, &pe);
		netxml_free(&d);
	} else {
		FUZZ_CHECK(e.msg[0]);
		FUZZ_CHECK_MSG(e.msg);
	}
	memset(&e, 0, sizeof(e));
	memset(&pe, 0, sizeof(pe));
	if (netxml_parse_network(buf, size, &d, &e, &pe, &bad) == 0) {
		check_doc(&d, bad, &pe);
		netxml_free(&d);
	} else {
		FUZZ_CHECK_MSG(e.msg);
	}
	if (netxml_root_name(buf, size, root, sizeof(root), &e) == 0)
		FUZZ_CHECK(memchr(root, '\0', sizeof(root)));
	return 0;
}
FUZZ_ENTRY(netxml)
