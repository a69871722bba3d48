/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "fakenl.h"
#include "nethook.h"
#include "nettest.h"
#include "qemuhook.h"
#include "testutil.h"

void nettest_setup(struct nettest *t, uint32_t numvfs, bool dry_run)
{
	fakesys_standard(&t->fs, numvfs);
	fakenl_reset();
	fakenl_add_pf(FAKE_PF, NT_PF_IFINDEX, FAKE_PF_TOTALVFS);
	fakenl_add_pf(FAKE_PF2, NT_PF2_IFINDEX, 1);
	t->tmp = test_mkdtemp("state");
	t->state_dir = test_strdup_printf("%s/state", t->tmp);
	t->ctx = (struct hook_ctx){
		.sysfs = t->fs.fd,
		.state_dir = t->state_dir,
		.dry_run = dry_run,
	};
}

void nettest_teardown(struct nettest *t)
{
	fakesys_free(&t->fs);
	test_rm_rf(t->tmp);
	free(t->tmp);
	free(t->state_dir);
	t->tmp = t->state_dir = NULL;
}

int nettest_run(struct nettest *t, const char *op, const char *sub, const char *doc, size_t len,
		char **ret_log)
{
	char a0[] = "network", a1[] = NT_NET, a4[] = "-";
	char *argv[] = {a0, a1, (char *)op, (char *)sub, a4, NULL};
	enum on_error on_error;
	enum net_op nop;
	int r;

	assert_int_equal(hook_parse_network_args(5, argv, &nop), 0);
	capture_start();
	r = nethook_run(&t->ctx, nop, NT_NET, doc, len, &on_error);
	*ret_log = capture_end();
	return nethook_exit_status(r, on_error);
}

int nettest_run_expect(struct nettest *t, const char *op, const char *sub, const char *doc,
		       const char *expected_log)
{
	char *log = NULL;
	int status = nettest_run(t, op, sub, doc, strlen(doc), &log);

	assert_string_equal(log, expected_log);
	free(log);
	return status;
}

int nettest_run_qemu(struct nettest *t, const char *op, const char *sub, const char *doc,
		     size_t len, char **ret_log)
{
	char a0[] = "qemu", a1[] = NT_OWNER, a4[] = "-";
	char *argv[] = {a0, a1, (char *)op, (char *)sub, a4, NULL};
	enum on_error on_error;
	enum qemu_op qop;
	int r;

	assert_int_equal(hook_parse_qemu_args(5, argv, &qop), 0);
	capture_start();
	r = qemuhook_run(&t->ctx, qop, NT_OWNER, doc, len, &on_error);
	*ret_log = capture_end();
	return qemuhook_exit_status(qop, r, on_error);
}

static char *load(const char *kind, const char *name)
{
	char *path = test_strdup_printf("%s/%s/%s.xml", TEST_DATA_DIR, kind, name);
	char *s = test_read_file(path, NULL);

	if (!s)
		fail_msg("cannot read %s", path);
	free(path);
	return s;
}

char *nettest_load(const char *name)
{
	return load("network", name);
}

char *nettest_load_qemu(const char *name)
{
	return load("qemu", name);
}

char *nettest_replace(const char *s, const char *from, const char *to)
{
	size_t lf = strlen(from), lt = strlen(to), n = 0;
	char *out, *o;

	for (const char *p = strstr(s, from); p; p = strstr(p + lf, from))
		n++;
	out = malloc(strlen(s) + n * lt + 1);
	assert_non_null(out);
	o = out;
	for (const char *p = s, *q;; p = q + lf) {
		q = strstr(p, from);
		if (!q) {
			strcpy(o, p);
			return out;
		}
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, lt);
		o += lt;
	}
}

char *nettest_record_path(const struct nettest *t, const char *vf_bdf)
{
	return test_strdup_printf("%s/vf/%s", t->state_dir, vf_bdf);
}

char *nettest_read_record(const struct nettest *t, const char *vf_bdf)
{
	char *path = nettest_record_path(t, vf_bdf);
	char *s = test_read_file(path, NULL);

	free(path);
	return s;
}

void nettest_seed_record(const struct nettest *t, uint32_t index, const char *network,
			 const char *network_uuid, const char *port_uuid, int64_t orig_spoofchk,
			 int64_t orig_trust)
{
	struct vf_record r = {.index = index};
	char vf[16];
	int fd = -1;

	fakesys_igb_vf_bdf(1, index, vf);
	assert_int_equal(pci_addr_parse(vf, &r.vf), 0);
	assert_int_equal(pci_addr_parse(FAKE_PF_BDF, &r.pf), 0);
	strcpy(r.pf_ifname, FAKE_PF);
	snprintf(r.network, sizeof(r.network), "%s", network);
	snprintf(r.network_uuid, sizeof(r.network_uuid), "%s", network_uuid);
	snprintf(r.port_uuid, sizeof(r.port_uuid), "%s", port_uuid);
	strcpy(r.owner_name, NT_OWNER);
	strcpy(r.owner_uuid, NT_OWNER_UUID);
	vf_settings_init(&r.orig);
	r.orig.v[VF_ATTR_SPOOFCHK] = orig_spoofchk;
	r.orig.v[VF_ATTR_TRUST] = orig_trust;
	assert_int_equal(state_open(t->state_dir, true, &fd), 0);
	assert_int_equal(state_save(fd, &r), 0);
	close(fd);
}

char *nettest_expected_record(uint32_t index, const char *network, const char *network_uuid,
			      const char *port_uuid, const char *owner, const char *owner_uuid,
			      const char *origs)
{
	char vf[16];

	fakesys_igb_vf_bdf(1, index, vf);
	return test_strdup_printf("version=1\n"
				  "vf=%s\n"
				  "pf=" FAKE_PF_BDF "\n"
				  "pf-ifname=" FAKE_PF "\n"
				  "index=%u\n"
				  "network=%s\n"
				  "network-uuid=%s\n"
				  "port=%s\n"
				  "owner-name=%s\n"
				  "owner-uuid=%s\n"
				  "%s",
				  vf, index, network, network_uuid, port_uuid, owner, owner_uuid,
				  origs);
}

void nettest_assert_spoofchk_trust(size_t i, int ifindex, uint32_t vf, int64_t spoofchk,
				   int64_t trust)
{
	const struct fakenl_request *q = fakenl_request(i);

	print_message("# request %zu: VF %u spoofchk %lld trust %lld\n", i, vf, (long long)spoofchk,
		      (long long)trust);
	assert_int_equal(q->type, RTM_SETLINK);
	assert_int_equal(q->ifindex, ifindex);
	assert_int_equal(q->n_top, 1);
	assert_int_equal(q->n_vfinfo, 1);
	assert_int_equal(q->n_vf_attrs, 2);
	assert_int_equal(q->vf_attr_type[0], IFLA_VF_SPOOFCHK);
	assert_int_equal(q->vf_attr_type[1], IFLA_VF_TRUST);
	assert_int_equal(q->vf[VF_ATTR_SPOOFCHK], vf);
	assert_int_equal(q->v[VF_ATTR_SPOOFCHK], spoofchk);
	assert_int_equal(q->vf[VF_ATTR_TRUST], vf);
	assert_int_equal(q->v[VF_ATTR_TRUST], trust);
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		if (a != VF_ATTR_SPOOFCHK && a != VF_ATTR_TRUST)
			assert_int_equal(q->v[a], -1);
}
