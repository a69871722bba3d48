/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bad input to the network hook (nethook_run, not a dry run): each is refused with its exact
 * message and exit status, and nothing is written (fake sysfs and state directory unchanged) or
 * sent (no netlink request, not even a read).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fakenl.h"
#include "nettest.h"
#include "testutil.h"

#define E "libvirt-sriov-hooks: error: network 'pool1': "
#define DOC E "cannot use the document libvirt passed on standard input: "
#define POLICY(msg) E "bad policy in <metadata>: " msg "; fix it with 'virsh net-edit pool1'\n"
#define NS "urn:libvirt-sriov-hooks:1"

enum seed {
	SEED_START,   /* tests/data/network/start-begin.xml */
	SEED_CREATED, /* port-created.xml */
	SEED_DELETED, /* port-deleted.xml */
	SEED_NONE,    /* `text` is the whole input */
};

struct bad_case {
	const char *name;
	const char *op, *sub;
	enum seed seed;
	/* seed edits: replace `from` by `text` (from NULL: `text` is the input) */
	const char *from, *text;
	const char *log;
	int status;
};

#define META(attrs)                                                                                \
	"    <uuid>56380527-2c38-4bbe-9d8c-506167e5a692</uuid>\n    <metadata>\n      <sriov:pool "  \
	"xmlns:sriov='" NS "' " attrs "/>\n    </metadata>\n"
#define UUID_LINE "    <uuid>56380527-2c38-4bbe-9d8c-506167e5a692</uuid>\n"
#define PLUG_ADDR "<address domain='0x0000' bus='0x01' slot='0x10' function='0x0'/>"

static const struct bad_case cases[] = {
	/* not XML, or not what libvirt writes */
	{"empty", "start", "begin", SEED_NONE, NULL, "", DOC "no XML on standard input\n", 1},
	{"truncated", "port-created", "begin", SEED_CREATED, "  </networkport>\n</hookData>\n",
	 "  </networkport>\n",
	 DOC "malformed XML: line 24: Premature end of data in tag hookData line 1\n", 1},
	{"truncated-mid-tag", "start", "begin", SEED_START,
	 "    </forward>\n  </network>\n</hookData>\n", "    </forw",
	 DOC "malformed XML: line 7: Premature end of data in tag network line 2\n", 1},
	{"doctype-entity", "start", "begin", SEED_NONE, NULL,
	 "<?xml version='1.0'?>\n<!DOCTYPE hookData [\n  <!ENTITY a 'aaaaaaaaaa'>\n"
	 "  <!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n]>\n"
	 "<hookData><network><name>&b;</name></network></hookData>\n",
	 DOC "a document type declaration (DTD) is not accepted\n", 1},
	{"external-entity", "start", "begin", SEED_NONE, NULL,
	 "<!DOCTYPE hookData SYSTEM 'file:///etc/passwd'>\n<hookData/>\n",
	 DOC "a document type declaration (DTD) is not accepted\n", 1},
	{"undefined-entity", "start", "begin", SEED_START, "<name>pool1</name>",
	 "<name>&pool;</name>", DOC "malformed XML: line 3: Entity 'pool' not defined\n", 1},
	{"nul-byte", "start", "begin", SEED_NONE, NULL, NULL /* built below */,
	 DOC "input contains a NUL byte\n", 1},
	{"huge", "start", "begin", SEED_NONE, NULL, NULL /* 64 MiB, built below */,
	 DOC "input is larger than 8 MiB\n", 1},
	{"not-hookdata", "start", "begin", SEED_NONE, NULL, "<network><name>x</name></network>\n",
	 DOC "expected <hookData>, found <network>\n", 1},
	{"no-network", "start", "begin", SEED_NONE, NULL, "<hookData/>\n",
	 DOC "<hookData> without <network>\n", 1},
	{"no-uuid", "start", "begin", SEED_START, UUID_LINE, "", DOC "missing network <uuid>\n", 1},
	{"bad-uuid", "start", "begin", SEED_START, "506167e5a692", "506167e5a69z",
	 DOC "invalid network <uuid>\n", 1},
	/* names that would reach a path */
	{"pf-dotdot", "start", "begin", SEED_START, "<pf dev='enp1s0'/>", "<pf dev='../../etc'/>",
	 DOC "invalid interface name '../../etc' in <pf dev>\n", 1},
	{"pf-empty", "start", "begin", SEED_START, "<pf dev='enp1s0'/>", "<pf dev=''/>",
	 DOC "invalid interface name '' in <pf dev>\n", 1},
	{"pf-long", "start", "begin", SEED_START, "<pf dev='enp1s0'/>",
	 "<pf dev='enp1s0abcdefghijk'/>",
	 DOC "invalid interface name 'enp1s0abcdefghijk' in <pf dev>\n", 1},
	{"two-pfs", "start", "begin", SEED_START, "<pf dev='enp1s0'/>",
	 "<pf dev='enp1s0'/><pf dev='enp2s0'/>", DOC "more than one <pf> in <forward>\n", 1},
	{"direct-slash", "port-created", "begin", SEED_CREATED,
	 "<plug type='hostdev-pci' managed='yes'>\n      " PLUG_ADDR "\n    </plug>",
	 "<plug type='direct' dev='a/b'/>",
	 DOC "invalid interface name 'a/b' in <plug type='direct' dev>\n", 1},
	/* PCI addresses */
	{"function-8", "port-created", "begin", SEED_CREATED, PLUG_ADDR,
	 "<address domain='0x0000' bus='0x01' slot='0x10' function='0x8'/>",
	 DOC "invalid PCI address domain='0x0000' bus='0x01' slot='0x10' function='0x8'\n", 1},
	{"bus-no-0x", "port-created", "begin", SEED_CREATED, PLUG_ADDR,
	 "<address domain='0x0000' bus='1' slot='0x10' function='0x0'/>",
	 DOC "invalid PCI address domain='0x0000' bus='1' slot='0x10' function='0x0'\n", 1},
	{"no-slot", "port-created", "begin", SEED_CREATED, PLUG_ADDR,
	 "<address domain='0x0000' bus='0x01' function='0x0'/>",
	 DOC "invalid PCI address domain='0x0000' bus='0x01' slot='' function='0x0'\n", 1},
	{"usb-address", "port-created", "begin", SEED_CREATED, PLUG_ADDR,
	 "<address type='usb' bus='0' port='1'/>",
	 DOC "address of type 'usb' where a PCI address was expected\n", 1},
	{"pool-bad-address", "start", "begin", SEED_START, "<pf dev='enp1s0'/>",
	 "<address type='pci' domain='0x0000' bus='0x01' slot='0x20' function='0x0'/>",
	 DOC "invalid PCI address domain='0x0000' bus='0x01' slot='0x20' function='0x0'\n", 1},
	{"plug-no-address", "port-created", "begin", SEED_CREATED, PLUG_ADDR, "",
	 DOC "<plug type='hostdev-pci'> without <address>\n", 1},
	{"port-bad-uuid", "port-created", "begin", SEED_CREATED,
	 "62f3066b-c2ed-43b0-9cd3-faa5228560b6", "62f3066b",
	 DOC "invalid <networkport><uuid>\n", 1},
	/* policy values: the message names the attribute */
	{"trust-maybe", "start", "begin", SEED_START, UUID_LINE, META("trust='maybe'"),
	 POLICY("invalid value 'maybe' for attribute 'trust' of <pool>: expected 'on', 'off' or "
		"'keep'"),
	 1},
	{"vfs-0", "start", "begin", SEED_START, UUID_LINE, META("vfs='0'"),
	 POLICY("invalid value '0' for attribute 'vfs' of <pool>: expected a count from 1 to "
		"65535, or 'max'"),
	 1},
	{"vfs-hex", "start", "begin", SEED_START, UUID_LINE, META("vfs='0x7'"),
	 POLICY("invalid value '0x7' for attribute 'vfs' of <pool>: expected a count from 1 to "
		"65535, or 'max'"),
	 1},
	{"spoofchk-empty", "start", "begin", SEED_START, UUID_LINE, META("spoofchk=''"),
	 POLICY("invalid value '' for attribute 'spoofchk' of <pool>: expected 'on', 'off' or "
		"'keep'"),
	 1},
	{"on-error-ignore", "start", "begin", SEED_START, UUID_LINE, META("on-error='ignore'"),
	 POLICY("invalid value 'ignore' for attribute 'on-error' of <pool>: expected 'warn' or "
		"'fail'"),
	 1},
	{"manage-true", "start", "begin", SEED_START, UUID_LINE, META("manage='true'"),
	 POLICY("invalid value 'true' for attribute 'manage' of <pool>: expected 'yes' or 'no'"),
	 1},
	{"unknown-attr", "start", "begin", SEED_START, UUID_LINE, META("vfs='4' color='red'"),
	 POLICY("unknown attribute 'color' in <pool xmlns='" NS "'>"), 1},
	{"rates-crossed", "start", "begin", SEED_START, UUID_LINE,
	 META("max-tx-rate='100' min-tx-rate='1000'"),
	 POLICY("min-tx-rate 1000 exceeds max-tx-rate 100"), 1},
	{"policy-at-port-created", "port-created", "begin", SEED_CREATED, UUID_LINE,
	 META("trust='maybe'"),
	 POLICY("invalid value 'maybe' for attribute 'trust' of <pool>: expected 'on', 'off' or "
		"'keep'"),
	 1},
	/* restoring needs no policy: a bad one does not stop port-deleted (nothing recorded) */
	{"policy-at-port-deleted", "port-deleted", "begin", SEED_DELETED, UUID_LINE,
	 META("trust='maybe'"), "", 0},
};

static char *build_input(const struct bad_case *c, size_t *ret_len)
{
	static const char *const seeds[] = {"start-begin", "port-created", "port-deleted"};
	char *doc, *out;

	if (strcmp(c->name, "nul-byte") == 0) {
		doc = nettest_load("start-begin");
		*ret_len = strlen(doc);
		doc[20] = '\0';
		return doc;
	}
	if (strcmp(c->name, "huge") == 0) {
		/* 64 MiB of a plausible document: refused before the parser sees it */
		size_t n = (size_t)64 << 20;

		out = malloc(n + 1);
		assert_non_null(out);
		memset(out, ' ', n);
		memcpy(out, "<hookData>", 10);
		out[n] = '\0';
		*ret_len = n;
		return out;
	}
	if (c->seed == SEED_NONE) {
		out = strdup(c->text);
		assert_non_null(out);
		*ret_len = strlen(out);
		return out;
	}
	doc = nettest_load(seeds[c->seed]);
	if (!strstr(doc, c->from))
		fail_msg("%s: '%s' not in the seed", c->name, c->from);
	out = nettest_replace(doc, c->from, c->text);
	free(doc);
	*ret_len = strlen(out);
	return out;
}

static void bad_input(void **state)
{
	const struct bad_case *c = *state;
	struct nettest t;
	char *input, *log = NULL, *sys_before, *sys_after, *st_before, *st_after;
	size_t len;
	int status;

	nettest_setup(&t, 0, false);
	/* a record the hook could (wrongly) act on */
	nettest_seed_record(&t, 0, NT_NET, NT_NET_UUID, NT_PORT_UUID, 1, 0);
	fakenl_set_vf(FAKE_PF, 0, 0, 1);
	input = build_input(c, &len);
	sys_before = test_snapshot(t.fs.root);
	st_before = test_snapshot(t.tmp);

	status = nettest_run(&t, c->op, c->sub, input, len, &log);
	assert_string_equal(log, c->log);
	assert_int_equal(status, c->status);

	/* nothing written, nothing sent, nothing even read from the kernel */
	sys_after = test_snapshot(t.fs.root);
	st_after = test_snapshot(t.tmp);
	assert_string_equal(sys_after, sys_before);
	if (strcmp(c->name, "policy-at-port-deleted") != 0) {
		assert_string_equal(st_after, st_before);
		assert_int_equal(fakenl_getlink_calls(), 0);
		assert_int_equal(fakenl_n_requests(), 0);
	}

	free(sys_before);
	free(sys_after);
	free(st_before);
	free(st_after);
	free(log);
	free(input);
	nettest_teardown(&t);
}

/* The argv libvirt passes, and what is not. */
static void test_args(void **state)
{
	char a0[] = "network", a1[] = "pool1", a2[] = "start", a3[] = "begin", a4[] = "-";
	char empty[] = "", other[] = "updated";
	char *argv[] = {a0, a1, a2, a3, a4, NULL};
	enum net_op op = _NET_OP_INVALID;

	assert_int_equal(hook_parse_network_args(5, argv, &op), 0);
	assert_int_equal(op, NET_OP_START_BEGIN);
	op = _NET_OP_INVALID;
	assert_int_equal(hook_parse_network_args(3, argv, &op), -EINVAL);
	assert_int_equal(hook_parse_network_args(1, argv, &op), -EINVAL);
	assert_int_equal(op, _NET_OP_INVALID);
	argv[1] = empty;
	assert_int_equal(hook_parse_network_args(5, argv, &op), -EINVAL);
	argv[1] = a1;
	argv[2] = other;
	assert_int_equal(hook_parse_network_args(5, argv, &op), 0);
	assert_int_equal(op, NET_OP_IGNORED);
	/* "start end" is not "start begin" */
	argv[2] = a2;
	argv[3] = other;
	assert_int_equal(hook_parse_network_args(4, argv, &op), 0);
	assert_int_equal(op, NET_OP_IGNORED);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 1];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tests[i] = (struct CMUnitTest){
			.name = cases[i].name,
			.test_func = bad_input,
			.initial_state = (void *)&cases[i],
		};
	tests[i] = (struct CMUnitTest){.name = "args", .test_func = test_args};
	return cmocka_run_group_tests_name("badinput", tests, NULL, NULL);
}
