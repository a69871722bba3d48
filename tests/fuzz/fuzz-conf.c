/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host file, /etc/libvirt-sriov-hooks.conf (conf_load refuses NUL bytes before this). */
#include "config.h"

#include <string.h>

#include "conf.h"
#include "fuzz.h"
#include "util.h"

int fuzz_conf(const uint8_t *data, size_t size)
{
	struct host_conf *c = calloc(1, sizeof(*c));
	char *text = malloc(size + 1), err[512] = "";
	struct pool_policy p;
	int r;

	if (!c || !text)
		goto out;
	memcpy(text, data, size);
	text[size] = '\0';
	r = conf_parse(text, "fuzz.conf", c, err, sizeof(err));
	FUZZ_CHECK(memchr(err, '\0', sizeof(err)));
	if (r == 0) {
		FUZZ_CHECK(c->n_pfs <= CONF_PF_MAX);
		for (size_t i = 0; i < c->n_pfs; i++) {
			FUZZ_CHECK(ifname_valid(c->pfs[i].name)); /* becomes a sysfs path */
			FUZZ_CHECK(conf_pf_policy(c, c->pfs[i].name, &p) == 0);
		}
	} else {
		FUZZ_CHECK(strncmp(err, "fuzz.conf:", 10) == 0);
	}
out:
	free(text);
	free(c);
	return 0;
}
FUZZ_ENTRY(conf)
