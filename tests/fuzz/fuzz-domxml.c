/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The qemu hook's stdin: a domain's XML (guest name and metadata are partly the tenant's). */
#include "config.h"

#include <string.h>

#include "domxml.h"
#include "fuzz.h"

int fuzz_domxml(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct xml_error e = {{0}}, pe = {{0}};
	struct dom_doc *d = calloc(1, sizeof(*d));
	bool bad = false;
	char msg[512];

	if (!d)
		return 0;
	(void)domxml_may_concern_us(buf, size);
	if (domxml_parse(buf, size, d, &e, &pe, &bad) == 0) {
		char line[sizeof(d->name)];

		/* Any name libvirt allows, bounded, escaped to one line where written. */
		FUZZ_CHECK(d->name[0] && strlen(d->name) < sizeof(d->name));
		FUZZ_CHECK(text_is_single_line(text_one_line(d->name, line, sizeof(line))));
		FUZZ_CHECK(uuid_valid(d->uuid));
		FUZZ_CHECK(d->n_devs == 0 || d->devs);
		FUZZ_CHECK(d->n_overrides <= GUEST_OVERRIDES_MAX);
		for (size_t i = 0; i < d->n_devs; i++)
			FUZZ_CHECK(!d->devs[i].mac[0] || mac_valid(d->devs[i].mac));
		for (size_t i = 0; i < d->n_overrides; i++) {
			FUZZ_CHECK(mac_valid(d->overrides[i].mac));
			FUZZ_CHECK(vf_settings_check(&d->overrides[i].v, msg, sizeof(msg)) == 0);
			FUZZ_CHECK(domxml_override(d, d->overrides[i].mac) != NULL);
		}
		if (bad) {
			FUZZ_CHECK(d->n_overrides == 0);
			FUZZ_CHECK_MSG(pe.msg);
		}
		domxml_free(d);
	} else {
		FUZZ_CHECK(e.msg[0]);
		FUZZ_CHECK_MSG(e.msg);
	}
	free(d);
	return 0;
}
FUZZ_ENTRY(domxml)
