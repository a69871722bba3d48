/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Golden tests, libvirt style: each tests/data/network/<case>.xml is a <hookData> document as
 * libvirt writes it (seeded from real libvirt 9.0.0 output), run through nethook_run() in dry-run
 * mode against the fake sysfs tree and the fake kernel; what the hook prints must equal
 * tests/data/network/<case>.plan:
 *
 *   # argv: OPERATION SUB-OPERATION
 *   <every line the hook writes on stderr>
 *   # exit: STATUS
 *
 * REGENERATE=1 (or SRIOV_TEST_REGENERATE=1) rewrites the .plan files instead: review the diff.
 * A dry run must write nothing, to sysfs or to the state directory: every case checks that too.
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
#include <cmocka.h>

#include <netlink/errno.h>

#include "fakenl.h"
#include "nettest.h"
#include "testutil.h"

/* What the fake kernel reports for enp1s0's VFs. */
enum link_mode {
	LINK_IGB,        /* spoofchk on, trust off: the driver's defaults */
	LINK_POLICY,     /* spoofchk off, trust on: the default policy already applied */
	LINK_NONE,       /* RTM_GETLINK fails (no such interface) */
	LINK_NOVFS,      /* the PF reports no VFs at all */
	LINK_UNREPORTED, /* VF 0: spoofchk off, trust -1 (the driver does not support it) */
};

/* Records in the state directory before the run. */
#define SEED_VF0_PORT (1u << 0)       /* VF 0, pool1, this port, originals on/off */
#define SEED_VF0_OTHER_PORT (1u << 1) /* VF 0, pool1, another port */
#define SEED_VF2_PORT2 (1u << 2)      /* VF 2, pool1, a second port */
#define SEED_VF1_OTHER_NET (1u << 3)  /* VF 1, another network */
#define SEED_VF3_NO_PORT (1u << 4)    /* VF 3, a guest's direct VF (qemu hook): no port */
#define SEED_GUESTS_GONE (1u << 5)    /* every VF back on its host driver: no guest holds one */

#define OTHER_PORT_UUID "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
#define PORT2_UUID "11111111-2222-4333-8444-555555555555"
#define OTHER_NET_UUID "99999999-8888-4777-8666-555555555555"

struct golden_case {
	const char *name;
	const char *op, *sub;
	uint32_t numvfs; /* enp1s0's sriov_numvfs (sriov_totalvfs is 7) */
	enum link_mode link;
	unsigned seeds;
};

static const struct golden_case cases[] = {
	/* start begin: activation of the pool's VFs */
	{"start-begin", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-policy", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-same", "start", "begin", 4, LINK_IGB, 0},
	{"start-begin-mismatch", "start", "begin", 2, LINK_IGB, 0},
	{"start-begin-nonzero-default", "start", "begin", 2, LINK_IGB, 0},
	{"start-begin-max-mismatch", "start", "begin", 2, LINK_IGB, 0},
	{"start-begin-too-many", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-prefix", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-other-ns", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-manage-no", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-missing-pf", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-not-sriov", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-not-pci", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-bad-trust", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-bad-vfs", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-bad-attr", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-nat", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-bridge", "start", "begin", 0, LINK_IGB, 0},
	{"start-begin-vf-list", "start", "begin", 0, LINK_IGB, 0},
	/* operations the hook has no business with */
	{"started-begin", "started", "begin", 4, LINK_IGB, 0},
	/* port-created begin: the policy on the port's VF */
	{"port-created", "port-created", "begin", 4, LINK_IGB, 0},
	{"port-created-policy", "port-created", "begin", 4, LINK_POLICY, 0},
	{"port-created-noop", "port-created", "begin", 4, LINK_POLICY, 0},
	{"port-created-nolink", "port-created", "begin", 4, LINK_NONE, 0},
	{"port-created-novfs", "port-created", "begin", 4, LINK_NOVFS, 0},
	{"port-created-unreported", "port-created", "begin", 4, LINK_UNREPORTED, 0},
	{"port-created-restart", "port-created", "begin", 4, LINK_IGB, 0},
	{"port-created-vf-list", "port-created", "begin", 4, LINK_IGB, 0},
	{"port-created-direct", "port-created", "begin", 4, LINK_IGB, 0},
	{"port-created-wrong-pf", "port-created", "begin", 4, LINK_IGB, 0},
	{"port-created-wrong-pf-fail", "port-created", "begin", 4, LINK_IGB, 0},
	{"port-created-not-vf", "port-created", "begin", 4, LINK_IGB, 0},
	{"port-created-manage-no", "port-created", "begin", 4, LINK_IGB, 0},
	{"port-created-bad-policy", "port-created", "begin", 4, LINK_IGB, 0},
	{"port-created-nat", "port-created", "begin", 4, LINK_IGB, 0},
	/* port-deleted begin: the owner's restore */
	{"port-deleted", "port-deleted", "begin", 4, LINK_POLICY, SEED_VF0_PORT},
	{"port-deleted-nolink", "port-deleted", "begin", 4, LINK_NONE, SEED_VF0_PORT},
	{"port-deleted-other-owner", "port-deleted", "begin", 4, LINK_POLICY, SEED_VF0_OTHER_PORT},
	{"port-deleted-no-record", "port-deleted", "begin", 4, LINK_POLICY, 0},
	{"port-deleted-bad-policy", "port-deleted", "begin", 4, LINK_POLICY, SEED_VF0_PORT},
	/* stopped end: every VF still recorded for this network, and only those */
	{"stopped", "stopped", "end", 4, LINK_POLICY,
	 SEED_VF0_PORT | SEED_VF2_PORT2 | SEED_VF1_OTHER_NET | SEED_VF3_NO_PORT | SEED_GUESTS_GONE},
	/* net-destroy with guests running: their VFs (on vfio-pci) keep their settings */
	{"stopped-guests-running", "stopped", "end", 4, LINK_POLICY,
	 SEED_VF0_PORT | SEED_VF2_PORT2 | SEED_VF1_OTHER_NET | SEED_VF3_NO_PORT},
	{"stopped-no-state", "stopped", "end", 4, LINK_POLICY, 0},
};

static void set_link(enum link_mode m)
{
	switch (m) {
	case LINK_IGB:
		break;
	case LINK_POLICY:
		for (unsigned i = 0; i < FAKE_PF_TOTALVFS; i++)
			fakenl_set_vf(FAKE_PF, i, 0, 1);
		break;
	case LINK_NONE:
		fakenl_fail_getlink(-NLE_NODEV);
		break;
	case LINK_NOVFS:
		fakenl_reset();
		fakenl_add_pf(FAKE_PF, NT_PF_IFINDEX, 0);
		break;
	case LINK_UNREPORTED:
		fakenl_set_vf(FAKE_PF, 0, 0, -1);
		break;
	}
}

static void seed(struct nettest *t, unsigned seeds)
{
	if (seeds & SEED_VF0_PORT)
		nettest_seed_record(t, 0, NT_NET, NT_NET_UUID, NT_PORT_UUID, 1, 0);
	if (seeds & SEED_VF0_OTHER_PORT)
		nettest_seed_record(t, 0, NT_NET, NT_NET_UUID, OTHER_PORT_UUID, 1, 0);
	if (seeds & SEED_VF2_PORT2)
		nettest_seed_record(t, 2, NT_NET, NT_NET_UUID, PORT2_UUID, 1, 0);
	if (seeds & SEED_VF1_OTHER_NET)
		nettest_seed_record(t, 1, "pool2", OTHER_NET_UUID, OTHER_PORT_UUID, 1, 0);
	if (seeds & SEED_GUESTS_GONE)
		for (uint32_t i = 0; i < FAKE_PF_TOTALVFS; i++) {
			char bdf[16];

			fakesys_igb_vf_bdf(1, i, bdf);
			fakesys_bind(&t->fs, bdf, "igbvf");
		}
	if (seeds & SEED_VF3_NO_PORT)
		nettest_seed_record(t, 3, "", "", "", 1, 0);
}

static void golden(void **state)
{
	const struct golden_case *c = *state;
	struct nettest t;
	char *doc, *log = NULL, *out, *plan_path, *sys_before, *sys_after, *st_before,
						       *st_after;
	int status;

	nettest_setup(&t, c->numvfs, true);
	set_link(c->link);
	seed(&t, c->seeds);
	doc = nettest_load(c->name);
	sys_before = test_snapshot(t.fs.root);
	st_before = test_snapshot(t.tmp);

	status = nettest_run(&t, c->op, c->sub, doc, strlen(doc), &log);
	out = test_strdup_printf("# argv: %s %s\n%s# exit: %d\n", c->op, c->sub, log, status);

	/* a dry run changes nothing and sends nothing */
	sys_after = test_snapshot(t.fs.root);
	st_after = test_snapshot(t.tmp);
	assert_string_equal(sys_after, sys_before);
	assert_string_equal(st_after, st_before);
	assert_int_equal(fakenl_n_requests(), 0);
	/* at most one RTM_GETLINK per VF looked at */
	assert_true(fakenl_getlink_calls() <= 2);

	plan_path = test_strdup_printf("%s/network/%s.plan", TEST_DATA_DIR, c->name);
	test_golden(plan_path, out);

	free(plan_path);
	free(sys_before);
	free(sys_after);
	free(st_before);
	free(st_after);
	free(out);
	free(log);
	free(doc);
	nettest_teardown(&t);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0])];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tests[i] = (struct CMUnitTest){
			.name = cases[i].name,
			.test_func = golden,
			.initial_state = (void *)&cases[i],
		};
	return cmocka_run_group_tests_name("golden", tests, NULL, NULL);
}
