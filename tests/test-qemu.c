/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The qemu hook: golden plans for domain XML as libvirt hands it to the hook (seeded from real
 * libvirt 9.0.0 documents), then behaviour with the fake kernel: per-guest overrides recorded at
 * prepare and honoured by the network hook's port-created, direct VFs from the host file applied at
 * start and restored at release (owner-guarded), re-assertion, and reconnect never failing.
 *
 * Golden files: tests/data/qemu/<case>.xml and <case>.plan (REGENERATE=1 rewrites the plans).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/rtnetlink.h>
#include <netlink/errno.h>

#include "conf.h"
#include "fakenl.h"
#include "guest.h"
#include "nethook.h"
#include "nettest.h"
#include "qemuhook.h"
#include "testutil.h"

#define G1 "g1"
#define G1_UUID "723da1c4-8803-482b-b241-4bf728c256df"
#define OTHER_UUID "00000000-1111-4222-8333-444444444444"
#define VF0 "0000:01:10.0"
#define VF2 "0000:01:10.4"

/* Records seeded before a run. */
#define SEED_VF0_POOL_G1 (1u << 0)   /* VF 0 from pool1 for g1, wants spoofchk off trust on */
#define SEED_VF2_DIRECT_G1 (1u << 1) /* VF 2 given directly to g1, originals on/off */
#define SEED_VF2_DIRECT_OTHER (1u << 2)
#define STATE_VF2_POLICY (1u << 3) /* fake kernel: VF 2 at spoofchk off trust on */

static void seed_record(const struct nettest *t, uint32_t index, const char *port,
			const char *owner, const char *owner_uuid, int64_t orig_s, int64_t orig_t,
			int64_t want_s, int64_t want_t)
{
	struct vf_record r = {.index = index};
	char vf[16];
	int fd = -1;

	fakesys_igb_vf_bdf(1, index, vf);
	assert_int_equal(pci_addr_parse(vf, &r.vf), 0);
	assert_int_equal(pci_addr_parse(FAKE_PF_BDF, &r.pf), 0);
	strcpy(r.pf_ifname, FAKE_PF);
	if (port[0]) {
		strcpy(r.network, NT_NET);
		strcpy(r.network_uuid, NT_NET_UUID);
	}
	strcpy(r.port_uuid, port);
	strcpy(r.owner_name, owner);
	strcpy(r.owner_uuid, owner_uuid);
	vf_settings_init(&r.orig);
	vf_settings_init(&r.want);
	r.orig.v[VF_ATTR_SPOOFCHK] = orig_s;
	r.orig.v[VF_ATTR_TRUST] = orig_t;
	r.want.v[VF_ATTR_SPOOFCHK] = want_s;
	r.want.v[VF_ATTR_TRUST] = want_t;
	assert_int_equal(state_open(t->state_dir, true, &fd), 0);
	assert_int_equal(state_save(fd, &r), 0);
	close(fd);
}

static void seed(struct nettest *t, unsigned seeds)
{
	if (seeds & SEED_VF0_POOL_G1)
		seed_record(t, 0, NT_PORT_UUID, G1, G1_UUID, 1, 0, 0, 1);
	if (seeds & SEED_VF2_DIRECT_G1)
		seed_record(t, 2, "", G1, G1_UUID, 1, 0, 0, 1);
	if (seeds & SEED_VF2_DIRECT_OTHER)
		seed_record(t, 2, "", "g2", OTHER_UUID, 1, 0, 0, 1);
	if (seeds & STATE_VF2_POLICY)
		fakenl_set_vf(FAKE_PF, 2, 0, 1);
}

/* The host file for a run, in the temp dir (NULL: none). */
static void set_conf(struct nettest *t, const char *conf, char **ret_path)
{
	*ret_path = test_strdup_printf("%s/libvirt-sriov-hooks.conf", t->tmp);
	if (conf)
		assert_int_equal(test_write_file(*ret_path, conf), 0);
	t->ctx.conf_path = *ret_path;
}

static int run_qemu(struct nettest *t, const char *op, const char *sub, const char *doc,
		    size_t len, char **ret_log)
{
	return nettest_run_qemu(t, op, sub, doc, len, ret_log);
}

static char *load(const char *name)
{
	return nettest_load_qemu(name);
}

/* --- golden plans (dry run) --- */

#define CONF_PF1 "[pf enp1s0]\n"
#define CONF_PF2 "[defaults]\ntrust = on\n[pf enp2s0]\n"

struct golden_case {
	const char *name; /* the plan is <name>.plan; the document <doc or name>.xml */
	const char *doc;
	const char *op, *sub;
	const char *conf;
	unsigned seeds;
};

static const struct golden_case cases[] = {
	{"start-no-vf", NULL, "start", "begin", CONF_PF1, 0},
	{"start-pool-vf", NULL, "start", "begin", NULL, 0},
	{"start-pool-vf-reassert", "start-pool-vf", "start", "begin", NULL, SEED_VF0_POOL_G1},
	{"start-direct-hostdev", NULL, "start", "begin", CONF_PF1, 0},
	{"start-direct-hostdev-other-pf", "start-direct-hostdev", "start", "begin", CONF_PF2, 0},
	{"start-direct-hostdev-no-conf", "start-direct-hostdev", "start", "begin", NULL, 0},
	{"start-direct-hostdev-applied", "start-direct-hostdev", "start", "begin", CONF_PF1,
	 SEED_VF0_POOL_G1 | STATE_VF2_POLICY},
	{"start-override", NULL, "start", "begin", NULL, 0},
	{"start-not-vf", NULL, "start", "begin", CONF_PF1, 0},
	{"start-bad-override", NULL, "start", "begin", NULL, 0},
	{"start-bad-conf", "start-direct-hostdev", "start", "begin", "[pf enp1s0]\ntrust = yes\n", 0},
	{"reconnect-bad-override", "start-bad-override", "reconnect", "begin", NULL, 0},
	{"reconnect-reassert", "start-pool-vf", "reconnect", "begin", CONF_PF1, SEED_VF0_POOL_G1},
	{"prepare-pool", NULL, "prepare", "begin", NULL, 0},
	{"prepare-override", NULL, "prepare", "begin", NULL, 0},
	{"prepare-bad-override", NULL, "prepare", "begin", NULL, 0},
	{"prepare-override-no-mac", NULL, "prepare", "begin", NULL, 0},
	{"prepare-override-dup", NULL, "prepare", "begin", NULL, 0},
	{"prepare-override-minmax", NULL, "prepare", "begin", NULL, 0},
	{"release", NULL, "release", "end", NULL, SEED_VF2_DIRECT_G1 | STATE_VF2_POLICY},
	{"release-other-owner", "release", "release", "end", NULL,
	 SEED_VF2_DIRECT_OTHER | STATE_VF2_POLICY},
	{"release-pool-vf", "release", "release", "end", NULL, SEED_VF0_POOL_G1},
	{"migrate", "start-override", "migrate", "begin", NULL, 0},
	{"restore", "start-override", "restore", "begin", NULL, 0},
};

static void golden(void **state)
{
	const struct golden_case *c = *state;
	struct nettest t;
	char *doc, *log = NULL, *out, *plan_path, *conf, *sys_before, *st_before, *after;
	int status;

	nettest_setup(&t, 4, true);
	set_conf(&t, c->conf, &conf);
	seed(&t, c->seeds);
	doc = load(c->doc ?: c->name);
	sys_before = test_snapshot(t.fs.root);
	st_before = test_snapshot(t.tmp);

	status = run_qemu(&t, c->op, c->sub, doc, strlen(doc), &log);
	/* the temp directory's name changes every run */
	after = nettest_replace(log, t.tmp, "TMP");
	out = test_strdup_printf("# argv: %s %s\n%s# exit: %d\n", c->op, c->sub, after, status);
	free(after);

	/* a dry run changes nothing and sends nothing */
	after = test_snapshot(t.fs.root);
	assert_string_equal(after, sys_before);
	free(after);
	after = test_snapshot(t.tmp);
	assert_string_equal(after, st_before);
	free(after);
	assert_int_equal(fakenl_n_requests(), 0);

	plan_path = test_strdup_printf("%s/qemu/%s.plan", TEST_DATA_DIR, c->name);
	test_golden(plan_path, out);
	free(plan_path);
	free(sys_before);
	free(st_before);
	free(out);
	free(log);
	free(doc);
	free(conf);
	nettest_teardown(&t);
}

/* --- behaviour with the fake kernel --- */

static int setup(void **state)
{
	struct nettest *t = calloc(1, sizeof(*t));
	char *conf;

	nettest_setup(t, 4, false);
	set_conf(t, NULL, &conf);
	free(conf); /* ctx.conf_path now dangles: every test sets its own */
	t->ctx.conf_path = "/nonexistent/libvirt-sriov-hooks.conf";
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct nettest *t = *state;

	nettest_teardown(t);
	free(t);
	return 0;
}

static void assert_request(size_t i, enum vf_attr a, uint32_t vf, int64_t value)
{
	const struct fakenl_request *q = fakenl_request(i);

	assert_int_equal(q->type, RTM_SETLINK);
	assert_int_equal(q->ifindex, NT_PF_IFINDEX);
	assert_int_equal(q->n_vfinfo, 1);
	assert_int_equal(q->n_vf_attrs, 1);
	assert_int_equal(q->vf[a], vf);
	assert_int_equal(q->v[a], value);
}

static int run_file(struct nettest *t, const char *op, const char *sub, const char *name,
		    const char *expected_log)
{
	char *doc = load(name), *log = NULL;
	int status = run_qemu(t, op, sub, doc, strlen(doc), &log);

	assert_string_equal(log, expected_log);
	free(log);
	free(doc);
	return status;
}

static void test_override_flow(void **state)
{
	struct nettest *t = *state;
	char *path = test_strdup_printf("%s/guest/%s", t->state_dir, G1_UUID), *got, *doc;

	/* prepare records the override where port-created finds it */
	assert_int_equal(run_file(t, "prepare", "begin", "prepare-override", ""), 0);
	got = test_read_file(path, NULL);
	assert_non_null(got);
	assert_string_equal(got, "version=1\nname=g1\n"
				 "interface mac=52:54:00:aa:bb:01 trust=off on-error=fail\n");
	free(got);

	/* port-created for g1's MAC: the pool wants trust on, the override says off; igb's VF 0
	 * is at spoofchk on, trust off: only spoofchk is sent */
	doc = nettest_load("port-created");
	assert_int_equal(nettest_run_expect(t, "port-created", "begin", doc, ""), 0);
	free(doc);
	assert_int_equal(fakenl_n_requests(), 1);
	assert_request(0, VF_ATTR_SPOOFCHK, 0, 0);
	got = nettest_read_record(t, VF0);
	assert_non_null(strstr(got, "want.spoofchk=0\nwant.trust=0\non-error=fail\n"));
	free(got);

	/* release drops it */
	assert_int_equal(run_file(t, "release", "end", "release", ""), 0);
	assert_false(test_exists(path));
	free(path);
}

static void test_override_fail_exit(void **state)
{
	struct nettest *t = *state;
	char *doc, *log = NULL;

	/* the override's on-error='fail' decides port-created's exit status */
	assert_int_equal(run_file(t, "prepare", "begin", "prepare-override", ""), 0);
	fakenl_fail_attr(VF_ATTR_SPOOFCHK, -NLE_OPNOTSUPP, -1);
	doc = nettest_load("port-created");
	assert_int_equal(nettest_run(t, "port-created", "begin", doc, strlen(doc), &log), 1);
	assert_string_equal(log, "libvirt-sriov-hooks: error: network 'pool1': the igb driver of "
				 "PF 'enp1s0' does not support spoofchk on VF 0 (0000:01:10.0, "
				 "guest 'g1'): Operation not supported\n");
	free(log);
	free(doc);
}

static void test_direct_vf_apply_and_release(void **state)
{
	struct nettest *t = *state;
	char *conf = test_strdup_printf("%s/hooks.conf", t->tmp), *got;

	assert_int_equal(test_write_file(conf, "# ours\n[pf enp1s0]\nspoofchk = off\ntrust = on\n"),
			 0);
	t->ctx.conf_path = conf;
	/* VF 0 (a pool port without record here) and VF 2 (<hostdev>): both under enp1s0 */
	assert_int_equal(run_file(t, "start", "begin", "start-direct-hostdev", ""), 0);
	/* one request per VF, carrying both attributes */
	assert_int_equal(fakenl_n_requests(), 2);
	nettest_assert_spoofchk_trust(0, NT_PF_IFINDEX, 0, 0, 1);
	nettest_assert_spoofchk_trust(1, NT_PF_IFINDEX, 2, 0, 1);
	got = nettest_read_record(t, VF2);
	assert_string_equal(got, "version=1\nvf=0000:01:10.4\npf=0000:01:00.0\npf-ifname=enp1s0\n"
				 "index=2\nnetwork=\nnetwork-uuid=\nport=\nowner-name=g1\n"
				 "owner-uuid=" G1_UUID "\norig.spoofchk=1\norig.trust=0\n"
				 "want.spoofchk=0\nwant.trust=1\non-error=warn\n");
	free(got);

	/* start again (a re-run): nothing differs, nothing sent */
	assert_int_equal(run_file(t, "start", "begin", "start-direct-hostdev", ""), 0);
	assert_int_equal(fakenl_n_requests(), 2);

	/* release: exactly the originals go back, the records go */
	assert_int_equal(run_file(t, "release", "end", "start-direct-hostdev", ""), 0);
	assert_int_equal(fakenl_n_requests(), 4);
	nettest_assert_spoofchk_trust(3, NT_PF_IFINDEX, 2, 1, 0);
	assert_null(nettest_read_record(t, VF2));
	assert_null(nettest_read_record(t, VF0));
	free(conf);
}

static void test_release_owner_guard(void **state)
{
	struct nettest *t = *state;
	char *got;

	/* VF 2 was freed and taken by g2 before g1's release ran: never reset it */
	seed_record(t, 2, "", "g2", OTHER_UUID, 1, 0, 0, 1);
	fakenl_set_vf(FAKE_PF, 2, 0, 1);
	assert_int_equal(run_file(t, "release", "end", "release", ""), 0);
	assert_int_equal(fakenl_n_requests(), 0);
	got = nettest_read_record(t, VF2);
	assert_non_null(strstr(got, "owner-name=g2\n"));
	free(got);
}

static void test_reassert(void **state)
{
	struct nettest *t = *state;

	/* port-created set VF 0 for g1; then a PF reset cleared it (igb defaults again) */
	seed_record(t, 0, NT_PORT_UUID, G1, G1_UUID, 1, 0, 0, 1);
	assert_int_equal(run_file(t, "start", "begin", "start-pool-vf", ""), 0);
	assert_int_equal(fakenl_n_requests(), 1);
	nettest_assert_spoofchk_trust(0, NT_PF_IFINDEX, 0, 0, 1);
	/* nothing drifted: read only */
	assert_int_equal(run_file(t, "reconnect", "begin", "start-pool-vf", ""), 0);
	assert_int_equal(fakenl_n_requests(), 1);
}

static void test_reconnect_never_fails(void **state)
{
	struct nettest *t = *state;
	char *doc = load("start-pool-vf"), *log = NULL;

	seed_record(t, 0, NT_PORT_UUID, G1, G1_UUID, 1, 0, 0, 1);
	fakenl_fail_getlink(-NLE_NODEV);
	/* even with on-error='fail' recorded, a non-zero exit would kill the running guest */
	{
		int fd = -1;
		struct vf_record r;
		struct pci_addr a;

		assert_int_equal(state_open(t->state_dir, false, &fd), 0);
		assert_int_equal(pci_addr_parse(VF0, &a), 0);
		assert_int_equal(state_load(fd, &a, &r), 0);
		r.on_error = ON_ERROR_FAIL;
		assert_int_equal(state_save(fd, &r), 0);
		close(fd);
	}
	assert_int_equal(run_qemu(t, "reconnect", "begin", doc, strlen(doc), &log), 0);
	assert_string_equal(log, "libvirt-sriov-hooks: error: guest 'g1': cannot read the state of "
				 "VF 0 (0000:01:10.0) from PF 'enp1s0': No such device\n"
				 "libvirt-sriov-hooks: warning: guest 'g1': left running although its "
				 "VF policy could not be re-asserted (see the errors above)\n");
	free(log);
	/* the same at start fails the start */
	assert_int_equal(run_qemu(t, "start", "begin", doc, strlen(doc), &log), 1);
	free(log);
	free(doc);
}

/* --- the host file --- */

struct conf_case {
	const char *text;
	const char *error; /* NULL: parses */
};

static const struct conf_case conf_cases[] = {
	{"", NULL},
	{"# comment\n; another\n\n[defaults]\non-error = fail\n[pf em1]\ntrust = on\n", NULL},
	{"[pf em1]\r\nspoofchk=off\r\n", NULL},
	{"[pf em1]\nlink-state = disable\nmax-tx-rate = 100\n", NULL},
	{"trust = on\n[pf em1]\n", NULL},
	{"[pf em1\n", "f.conf:1: malformed section header '[pf em1'"},
	{"[pf em1] x\n", "f.conf:1: malformed section header '[pf em1] x'"},
	{"\n[pfem1]\n", "f.conf:2: unknown section '[pfem1]': expected [defaults] or [pf NAME]"},
	{"[vf 1]\n", "f.conf:1: unknown section '[vf 1]': expected [defaults] or [pf NAME]"},
	{"[pf ../etc]\n", "f.conf:1: invalid interface name '../etc'"},
	{"[pf ]\n", "f.conf:1: unknown section '[pf]': expected [defaults] or [pf NAME]"},
	{"[pf a/b]\n", "f.conf:1: invalid interface name 'a/b'"},
	{"[pf em1]\n[pf em1]\n", "f.conf:2: section [pf em1] appears twice"},
	{"[pf em1]\ntrust on\n", "f.conf:2: expected 'key = value', found 'trust on'"},
	{"[pf em1]\ntrust = yes\n",
	 "f.conf:2: invalid value 'yes' for 'trust': expected 'on', 'off' or 'keep'"},
	{"[pf em1]\nvfs = 4\n", "f.conf:2: unknown key 'vfs'"},
	{"[pf em1]\ncolour = blue\n", "f.conf:2: unknown key 'colour'"},
	{"[pf em1]\non-error = maybe\n",
	 "f.conf:2: invalid value 'maybe' for 'on-error': expected 'warn' or 'fail'"},
	{"[pf em1]\nmax-tx-rate = fast\n",
	 "f.conf:2: invalid value 'fast' for 'max-tx-rate': expected a rate in Mbit/s from 0 (no "
	 "limit) to 1000000, or 'keep'"},
};

static void test_conf_table(void **state)
{
	for (size_t i = 0; i < sizeof(conf_cases) / sizeof(conf_cases[0]); i++) {
		struct host_conf *c = calloc(1, sizeof(*c));
		char err[512] = "";
		int r = conf_parse(conf_cases[i].text, "f.conf", c, err, sizeof(err));

		print_message("# %s\n", conf_cases[i].text);
		if (conf_cases[i].error) {
			assert_int_equal(r, -EINVAL);
			assert_string_equal(err, conf_cases[i].error);
		} else {
			assert_int_equal(r, 0);
		}
		free(c);
	}
}

static void test_conf_policy(void **state)
{
	struct host_conf *c = calloc(1, sizeof(*c));
	struct pool_policy p;
	char err[256];

	assert_int_equal(conf_parse("[defaults]\non-error = fail\nspoofchk = keep\n[pf em1]\n"
				    "trust = off\n[pf em2]\nspoofchk = on\n",
				    "f", c, err, sizeof(err)),
			 0);
	assert_int_equal(conf_pf_policy(c, "em1", &p), 0);
	assert_int_equal(p.want.v[VF_ATTR_SPOOFCHK], VF_UNSET); /* defaults: keep */
	assert_int_equal(p.want.v[VF_ATTR_TRUST], 0);           /* section */
	assert_int_equal(p.on_error, ON_ERROR_FAIL);
	assert_int_equal(conf_pf_policy(c, "em2", &p), 0);
	assert_int_equal(p.want.v[VF_ATTR_SPOOFCHK], 1); /* section beats defaults */
	assert_int_equal(p.want.v[VF_ATTR_TRUST], 1);    /* built-in default */
	p.on_error = ON_ERROR_WARN;
	assert_int_equal(conf_pf_policy(c, "em3", &p), -ENOENT);
	assert_int_equal(p.on_error, ON_ERROR_WARN); /* untouched on failure */
	free(c);
}

static void test_conf_load_errors(void **state)
{
	struct nettest *t = *state;
	struct host_conf *c = calloc(1, sizeof(*c));
	char err[512], *path = test_strdup_printf("%s/nul.conf", t->tmp);
	FILE *f;

	assert_int_equal(conf_load("/nonexistent/x.conf", c, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "");
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite("[pf em1]\n\0trust = on\n", 1, 21, f);
	fclose(f);
	assert_int_equal(conf_load(path, c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err + strlen(path), ": contains a NUL byte");
	free(path);
	free(c);
}

/* --- bad domain XML --- */

struct bad_case {
	const char *name;
	const char *doc;
	const char *op;
	int status;
	const char *error;
};

#define DOM_HEAD "<domain type='kvm'><name>g1</name><uuid>" G1_UUID "</uuid>"
#define ERR "libvirt-sriov-hooks: error: guest 'g1': cannot use the domain XML libvirt passed on " \
	    "standard input: "

static const struct bad_case bad_cases[] = {
	{"truncated", DOM_HEAD "<devices><hostdev mode='subsystem' type='pci'>", "start", 1,
	 ERR "malformed XML: line 1: Premature end of data in tag hostdev line 1\n"},
	{"entity", "<!DOCTYPE d [<!ENTITY x 'hostdev'>]>" DOM_HEAD "&x;</domain>", "start", 1,
	 ERR "a document type declaration (DTD) is not accepted\n"},
	{"undefined entity", DOM_HEAD "<devices>&hostdev;</devices></domain>", "start", 1,
	 ERR "malformed XML: line 1: Entity 'hostdev' not defined\n"},
	{"not a domain", "<network><name>hostdev</name></network>", "start", 1,
	 ERR "expected <domain>, found <network>\n"},
	{"no uuid", "<domain><name>g1</name><devices><hostdev/></devices></domain>", "start", 1,
	 ERR "missing or invalid domain <uuid>\n"},
	{"bad address", DOM_HEAD "<devices><hostdev mode='subsystem' type='pci'><source><address "
				 "domain='0x0000' bus='0x01' slot='0x10' function='0x8'/></source>"
				 "</hostdev></devices></domain>",
	 "start", 1,
	 ERR "invalid PCI address domain='0x0000' bus='0x01' slot='0x10' function='0x8'\n"},
	{"bus without 0x", DOM_HEAD "<devices><interface type='hostdev'><source><address "
				    "type='pci' domain='0x0000' bus='1' slot='0x10' function='0x0'/>"
				    "</source></interface></devices></domain>",
	 "start", 1, ERR "invalid PCI address domain='0x0000' bus='1' slot='0x10' function='0x0'\n"},
	{"truncated at reconnect", DOM_HEAD "<devices><hostdev>", "reconnect", 0,
	 ERR "malformed XML: line 1: Premature end of data in tag hostdev line 1\n"},
	{"empty at reconnect", "hostdev", "reconnect", 0,
	 ERR "malformed XML: line 1: Start tag expected, '<' not found\n"},
};

static void test_bad_inputs(void **state)
{
	struct nettest *t = *state;

	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		char *before = test_snapshot(t->tmp), *after, *log = NULL;

		print_message("# %s\n", c->name);
		assert_int_equal(run_qemu(t, c->op, "begin", c->doc, strlen(c->doc), &log),
				 c->status);
		assert_string_equal(log, c->error);
		after = test_snapshot(t->tmp);
		assert_string_equal(after, before);
		assert_int_equal(fakenl_n_requests(), 0);
		free(log);
		free(before);
		free(after);
	}
}

static void test_fast_path(void **state)
{
	struct nettest *t = *state;
	const char *doc = "<domain><name>x</name><devices><interface type='bridge'/></devices>";
	char *log = NULL;

	/* not even parsed (it is malformed): no VF, no override in the text, exit 0 at once */
	assert_int_equal(run_qemu(t, "start", "begin", doc, strlen(doc), &log), 0);
	assert_string_equal(log, "");
	free(log);
}

int main(void)
{
	struct CMUnitTest g[sizeof(cases) / sizeof(cases[0])];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_override_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_override_fail_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_direct_vf_apply_and_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_owner_guard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reassert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconnect_never_fails, setup, teardown),
		cmocka_unit_test(test_conf_table),
		cmocka_unit_test(test_conf_policy),
		cmocka_unit_test_setup_teardown(test_conf_load_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_path, setup, teardown),
	};
	int failed;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		g[i] = (struct CMUnitTest){
			.name = cases[i].name,
			.test_func = golden,
			.initial_state = (void *)&cases[i],
		};
	failed = cmocka_run_group_tests_name("qemu golden", g, NULL, NULL);
	failed += cmocka_run_group_tests_name("qemu hook", tests, NULL, NULL);
	return failed;
}
