/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The netlink boundary and the saved state, through the real pipeline (nethook_run, not a dry run):
 * the exact RTM_SETLINK requests (decoded with nlmsg_parse / nla_parse_nested in tests/fakenl.c):
 * one per VF carrying every attribute that differs, one per attribute after that one fails,
 * nothing sent when nothing differs; driver errors and their messages, EAGAIN retries, and the
 * restore records: saved on first touch, owner-guarded, restored at port-deleted and stopped.
 */
#include "config.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <netlink/errno.h>

#include "fakenl.h"
#include "nettest.h"
#include "policy.h"
#include "testutil.h"
#include "vf.h"

#define PORT2_UUID "11111111-2222-4333-8444-555555555555"
#define DIRECT_NET_UUID "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
#define DIRECT_PORT_UUID "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
#define DIRECT_OWNER_UUID "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"

/* What port-created records for the default policy on a VF igb left at spoofchk on, trust off. */
#define DEFAULT_TAIL                                                                               \
	"orig.spoofchk=1\norig.trust=0\nwant.spoofchk=0\nwant.trust=1\non-error=warn\n"

static int setup(void **state)
{
	struct nettest *t = calloc(1, sizeof(*t));

	nettest_setup(t, 4, false);
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

/* Request i: one RTM_SETLINK to the PF, IFLA_VFINFO_LIST > one IFLA_VF_INFO > one attribute. */
static void assert_request(size_t i, int ifindex, enum vf_attr a, uint32_t vf, int64_t value)
{
	const struct fakenl_request *q = fakenl_request(i);

	print_message("# request %zu: %s %u = %lld\n", i, vf_attr_name(a), vf, (long long)value);
	assert_int_equal(q->type, RTM_SETLINK);
	assert_int_equal(q->ifindex, ifindex);
	assert_int_equal(q->n_top, 1);
	assert_int_equal(q->n_vfinfo, 1);
	assert_int_equal(q->n_vf_attrs, 1);
	assert_int_equal(q->vf[a], vf);
	assert_int_equal(q->v[a], value);
	for (int b = 0; b < _VF_ATTR_MAX; b++) {
		bool rate_pair = (a == VF_ATTR_MAX_TX_RATE || a == VF_ATTR_MIN_TX_RATE) &&
				 (b == VF_ATTR_MAX_TX_RATE || b == VF_ATTR_MIN_TX_RATE);

		if (b != a && !rate_pair)
			assert_int_equal(q->v[b], -1);
	}
}

/* Request i: the one request for VF vf that sets spoofchk and trust together. */
static void assert_request_st(size_t i, int ifindex, uint32_t vf, int64_t spoofchk, int64_t trust)
{
	nettest_assert_spoofchk_trust(i, ifindex, vf, spoofchk, trust);
}

/* Request i: one RTM_SETLINK to the PF with one IFLA_VF_INFO for VF vf carrying the IFLA_VF_*
 * attributes `types`, in that order, and the values v (-1: not in the request). */
static void assert_request_attrs(size_t i, uint32_t vf, const int64_t v[_VF_ATTR_MAX],
				 const uint16_t *types, unsigned n_types)
{
	const struct fakenl_request *q = fakenl_request(i);

	assert_int_equal(q->type, RTM_SETLINK);
	assert_int_equal(q->ifindex, NT_PF_IFINDEX);
	assert_int_equal(q->n_top, 1);
	assert_int_equal(q->n_vfinfo, 1);
	assert_int_equal(q->n_vf_attrs, n_types);
	for (unsigned j = 0; j < n_types; j++)
		assert_int_equal(q->vf_attr_type[j], types[j]);
	print_message("# request %zu: VF %u, %u attributes\n", i, vf, n_types);
	for (int a = 0; a < _VF_ATTR_MAX; a++) {
		assert_int_equal(q->v[a], v[a]);
		if (v[a] >= 0)
			assert_int_equal(q->vf[a], vf);
	}
}

static void assert_vf_state(const char *pf, unsigned vf, int64_t spoofchk, int64_t trust)
{
	struct vf_settings s;

	fakenl_get_vf(pf, vf, &s);
	assert_int_equal(s.v[VF_ATTR_SPOOFCHK], spoofchk);
	assert_int_equal(s.v[VF_ATTR_TRUST], trust);
}

static void assert_record(const struct nettest *t, const char *vf, const char *expected)
{
	char *got = nettest_read_record(t, vf);

	if (!expected) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, expected);
	free(got);
}

static int run_doc(struct nettest *t, const char *op, const char *sub, const char *name,
		   const char *expected_log)
{
	char *doc = nettest_load(name);
	int r = nettest_run_expect(t, op, sub, doc, expected_log);

	free(doc);
	return r;
}

/* --- port-created: first touch --- */

static void test_first_touch(void **state)
{
	struct nettest *t = *state;
	char *rec;

	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", ""), 0);
	assert_int_equal(fakenl_getlink_calls(), 1); /* one RTM_GETLINK of the PF */
	/* one RTM_SETLINK carrying both attributes in one IFLA_VF_INFO */
	assert_int_equal(fakenl_n_requests(), 1);
	assert_request_st(0, NT_PF_IFINDEX, 0, 0, 1);
	assert_int_equal(fakenl_request(0)->answer, 0);
	assert_vf_state(FAKE_PF, 0, 0, 1);
	/* the others untouched */
	assert_vf_state(FAKE_PF, 1, 1, 0);

	rec = nettest_expected_record(0, NT_NET, NT_NET_UUID, NT_PORT_UUID, NT_OWNER,
				      NT_OWNER_UUID, DEFAULT_TAIL);
	assert_record(t, NT_VF0, rec);
	free(rec);
}

static void test_replay(void **state)
{
	struct nettest *t = *state;
	char *rec, *before, *after, *path;

	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", ""), 0);
	assert_int_equal(fakenl_n_requests(), 1);
	path = nettest_record_path(t, NT_VF0);
	test_age(path);
	before = test_snapshot(t->tmp);

	/* libvirt replays port-created for running guests (5.8.0): nothing sent, nothing written */
	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", ""), 0);
	assert_int_equal(fakenl_getlink_calls(), 2);
	assert_int_equal(fakenl_n_requests(), 1);
	after = test_snapshot(t->tmp);
	assert_string_equal(after, before);
	rec = nettest_expected_record(0, NT_NET, NT_NET_UUID, NT_PORT_UUID, NT_OWNER,
				      NT_OWNER_UUID, DEFAULT_TAIL);
	assert_record(t, NT_VF0, rec);
	free(rec);
	free(before);
	free(after);
	free(path);
}

static void test_already_set(void **state)
{
	struct nettest *t = *state;
	char *rec;

	/* nothing differs: nothing sent, but the owner is recorded (owner-guarded restore) */
	fakenl_set_vf(FAKE_PF, 0, 0, 1);
	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", ""), 0);
	assert_int_equal(fakenl_n_requests(), 0);
	rec = nettest_expected_record(0, NT_NET, NT_NET_UUID, NT_PORT_UUID, NT_OWNER,
				      NT_OWNER_UUID,
				      "want.spoofchk=0\nwant.trust=1\non-error=warn\n");
	assert_record(t, NT_VF0, rec);
	free(rec);
	/* and port-deleted then has nothing to put back */
	assert_int_equal(run_doc(t, "port-deleted", "begin", "port-deleted", ""), 0);
	assert_int_equal(fakenl_n_requests(), 0);
	assert_record(t, NT_VF0, NULL);
}

static void test_vf_index(void **state)
{
	struct nettest *t = *state;

	/* VF 2 (0000:01:10.4), PF from its physfn link: the pool lists VFs, no <pf> */
	assert_int_equal(run_doc(t, "port-created", "begin", "port-created-vf-list", ""), 0);
	assert_int_equal(fakenl_n_requests(), 1);
	assert_request_st(0, NT_PF_IFINDEX, 2, 0, 1);
	assert_vf_state(FAKE_PF, 2, 0, 1);
	assert_vf_state(FAKE_PF, 0, 1, 0);
}

static void test_restart_no_pf(void **state)
{
	struct nettest *t = *state;
	char *rec;

	assert_int_equal(run_doc(t, "port-created", "begin", "port-created-restart", ""), 0);
	assert_int_equal(fakenl_n_requests(), 1);
	assert_request_st(0, NT_PF_IFINDEX, 0, 0, 1);
	rec = nettest_expected_record(0, NT_NET, NT_NET_UUID, NT_PORT_UUID, NT_OWNER,
				      NT_OWNER_UUID, DEFAULT_TAIL);
	assert_record(t, NT_VF0, rec);
	free(rec);
}

static void test_direct(void **state)
{
	struct nettest *t = *state;
	char *rec;

	/* macvtap passthrough: the VF from its netdev (enp1s0v1 = VF 1) */
	assert_int_equal(run_doc(t, "port-created", "begin", "port-created-direct", ""), 0);
	assert_int_equal(fakenl_n_requests(), 1);
	assert_request_st(0, NT_PF_IFINDEX, 1, 0, 1);
	rec = nettest_expected_record(1, "macvtap-pool", DIRECT_NET_UUID, DIRECT_PORT_UUID, "g2",
				      DIRECT_OWNER_UUID, DEFAULT_TAIL);
	assert_record(t, "0000:01:10.2", rec);
	free(rec);
}

static void test_wrong_pf(void **state)
{
	struct nettest *t = *state;
	char *before = test_snapshot(t->tmp), *after;

	assert_int_equal(
		run_doc(t, "port-created", "begin", "port-created-wrong-pf-fail",
			"libvirt-sriov-hooks: error: network 'pool1': device 0000:01:10.0 given to "
			"guest 'g1' is not a VF of PF 'enp2s0' (0000:02:00.0); check the network's "
			"<forward>\n"),
		1);
	assert_int_equal(fakenl_n_requests(), 0);
	after = test_snapshot(t->tmp);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

/* --- driver errors --- */

static const char eopnotsupp_error[] =
	"libvirt-sriov-hooks: error: network 'pool1': the igb driver of PF 'enp1s0' does not "
	"support trust on VF 0 (0000:01:10.0, guest 'g1'): Operation not supported\n";
static const char warn_line[] = "libvirt-sriov-hooks: warning: network 'pool1': guest 'g1' "
				"starts without the full policy (on-error='warn')\n";

static void test_eopnotsupp_warn(void **state)
{
	struct nettest *t = *state;
	char *log = test_strdup_printf("%s%s", eopnotsupp_error, warn_line), *rec;

	fakenl_fail_attr(VF_ATTR_TRUST, -NLE_OPNOTSUPP, -1);
	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", log), 0);
	free(log);
	/* the one request: the kernel applied spoofchk, then the driver refused trust
	 * (EOPNOTSUPP is not retried); the VF read again, trust alone, refused again: the error
	 * names it */
	assert_int_equal(fakenl_n_requests(), 2);
	assert_request_st(0, NT_PF_IFINDEX, 0, 0, 1);
	assert_int_equal(fakenl_request(0)->answer, -NLE_OPNOTSUPP);
	assert_int_equal(fakenl_getlink_calls(), 2);
	assert_request(1, NT_PF_IFINDEX, VF_ATTR_TRUST, 0, 1);
	assert_int_equal(fakenl_request(1)->answer, -NLE_OPNOTSUPP);
	assert_vf_state(FAKE_PF, 0, 0, 0);
	/* the originals are saved, so the spoofchk change can be undone */
	rec = nettest_expected_record(0, NT_NET, NT_NET_UUID, NT_PORT_UUID, NT_OWNER,
				      NT_OWNER_UUID, DEFAULT_TAIL);
	assert_record(t, NT_VF0, rec);
	free(rec);
}

static void test_eopnotsupp_fail(void **state)
{
	struct nettest *t = *state;
	char *doc = nettest_load("port-created");
	char *failing = nettest_replace(doc, "    <forward",
					"    <metadata>\n      <sriov:pool "
					"xmlns:sriov='urn:libvirt-sriov-hooks:1' on-error='fail'/>\n"
					"    </metadata>\n    <forward");

	fakenl_fail_attr(VF_ATTR_TRUST, -NLE_OPNOTSUPP, -1);
	assert_int_equal(nettest_run_expect(t, "port-created", "begin", failing, eopnotsupp_error),
			 1);
	/* libvirt runs no port-deleted for a refused port: what was set is rolled back, and the
	 * new record dropped (seen in the VM: a free VF left at spoofchk off) */
	assert_int_equal(fakenl_n_requests(), 3);
	assert_request_st(0, NT_PF_IFINDEX, 0, 0, 1);
	assert_int_equal(fakenl_request(0)->answer, -NLE_OPNOTSUPP);
	assert_request(1, NT_PF_IFINDEX, VF_ATTR_TRUST, 0, 1);
	assert_int_equal(fakenl_request(1)->answer, -NLE_OPNOTSUPP);
	/* the rollback puts back what the one request did set */
	assert_request(2, NT_PF_IFINDEX, VF_ATTR_SPOOFCHK, 0, 1);
	assert_vf_state(FAKE_PF, 0, 1, 0);
	assert_record(t, NT_VF0, NULL);
	free(doc);
	free(failing);
}

static void test_unsupported_fail(void **state)
{
	struct nettest *t = *state;
	char *doc = nettest_load("port-created");
	char *failing = nettest_replace(doc, "    <forward",
					"    <metadata>\n      <sriov:pool "
					"xmlns:sriov='urn:libvirt-sriov-hooks:1' on-error='fail'/>\n"
					"    </metadata>\n    <forward");

	/* the driver reports trust -1 and the pool says fail: nothing is sent at all */
	fakenl_set_vf(FAKE_PF, 0, 1, -1);
	assert_int_equal(nettest_run_expect(t, "port-created", "begin", failing,
					    "libvirt-sriov-hooks: error: network 'pool1': the igb "
					    "driver of PF 'enp1s0' does not support trust on VF 0 "
					    "(0000:01:10.0, guest 'g1'): it reports no value for it; "
					    "nothing sent\n"),
			 1);
	assert_int_equal(fakenl_n_requests(), 0);
	assert_record(t, NT_VF0, NULL);
	free(doc);
	free(failing);
}

static void test_eagain_retried(void **state)
{
	struct nettest *t = *state;

	/* i40e: "another VF operation is pending" */
	fakenl_fail_attr(VF_ATTR_TRUST, -NLE_AGAIN, 3);
	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", ""), 0);
	/* the one request, sent again as it was */
	assert_int_equal(fakenl_n_requests(), 4);
	for (size_t i = 0; i < 4; i++) {
		assert_request_st(i, NT_PF_IFINDEX, 0, 0, 1);
		assert_int_equal(fakenl_request(i)->answer, i < 3 ? -NLE_AGAIN : 0);
	}
	assert_vf_state(FAKE_PF, 0, 0, 1);
}

static void test_eagain_bounded(void **state)
{
	struct nettest *t = *state;
	char *log = test_strdup_printf(
		"libvirt-sriov-hooks: error: network 'pool1': failed to set trust on on VF 0 "
		"(0000:01:10.0) of PF 'enp1s0' (guest 'g1'): Resource temporarily unavailable\n%s",
		warn_line);

	fakenl_fail_attr(VF_ATTR_TRUST, -NLE_AGAIN, -1);
	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", log), 0);
	free(log);
	/* the one request and its retries; then, spoofchk found set, trust alone and its
	 * retries */
	assert_int_equal(fakenl_n_requests(), 2 * (1 + VF_EAGAIN_RETRIES));
	for (size_t i = 0; i < fakenl_n_requests(); i++) {
		if (i <= VF_EAGAIN_RETRIES)
			assert_request_st(i, NT_PF_IFINDEX, 0, 0, 1);
		else
			assert_request(i, NT_PF_IFINDEX, VF_ATTR_TRUST, 0, 1);
		assert_int_equal(fakenl_request(i)->answer, -NLE_AGAIN);
	}
	assert_vf_state(FAKE_PF, 0, 0, 0);
}

static void test_getlink_fails(void **state)
{
	struct nettest *t = *state;
	char *log = test_strdup_printf(
		"libvirt-sriov-hooks: error: network 'pool1': cannot read the state of VF 0 "
		"(0000:01:10.0) from PF 'enp1s0': No such device\n%s",
		warn_line);

	fakenl_fail_getlink(-NLE_NODEV);
	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", log), 0);
	assert_int_equal(fakenl_n_requests(), 0);
	assert_record(t, NT_VF0, NULL);
	free(log);

	/* a PF that reports no VFs at all (rtnl_link_vf_get would crash on it) */
	log = test_strdup_printf("libvirt-sriov-hooks: error: network 'pool1': PF 'enp1s0' lists "
				 "no VF 0 (0000:01:10.0) in its netlink VF table; is sriov_numvfs "
				 "being changed?\n%s",
				 warn_line);
	fakenl_reset();
	fakenl_add_pf(FAKE_PF, NT_PF_IFINDEX, 0);
	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", log), 0);
	assert_int_equal(fakenl_n_requests(), 0);
	assert_record(t, NT_VF0, NULL);
	free(log);
}

static void test_unsupported_trust(void **state)
{
	struct nettest *t = *state;
	char *log = test_strdup_printf(
		"libvirt-sriov-hooks: error: network 'pool1': the igb driver of PF 'enp1s0' does not "
		"support trust on VF 0 (0000:01:10.0, guest 'g1'): it reports no value for it; "
		"nothing sent\n%s",
		warn_line);
	char *rec;

	/* the driver reports trust -1: nothing sent for it, spoofchk still set */
	fakenl_set_vf(FAKE_PF, 0, 1, -1);
	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", log), 0);
	free(log);
	assert_int_equal(fakenl_n_requests(), 1);
	assert_request(0, NT_PF_IFINDEX, VF_ATTR_SPOOFCHK, 0, 0);
	rec = nettest_expected_record(0, NT_NET, NT_NET_UUID, NT_PORT_UUID, NT_OWNER,
				      NT_OWNER_UUID,
				      "orig.spoofchk=1\nwant.spoofchk=0\nwant.trust=1\non-error=warn\n");
	assert_record(t, NT_VF0, rec);
	free(rec);
}

/* --- restore --- */

static void test_restore_port_deleted(void **state)
{
	struct nettest *t = *state;

	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", ""), 0);
	assert_int_equal(fakenl_n_requests(), 1);
	assert_int_equal(run_doc(t, "port-deleted", "begin", "port-deleted", ""), 0);
	/* exactly the saved originals go back, in one request */
	assert_int_equal(fakenl_n_requests(), 2);
	assert_request_st(1, NT_PF_IFINDEX, 0, 1, 0);
	assert_vf_state(FAKE_PF, 0, 1, 0);
	assert_record(t, NT_VF0, NULL);
	/* a second port-deleted: nothing left to do */
	assert_int_equal(run_doc(t, "port-deleted", "begin", "port-deleted", ""), 0);
	assert_int_equal(fakenl_n_requests(), 2);
}

static void test_restore_other_owner(void **state)
{
	struct nettest *t = *state;
	char *doc = nettest_load("port-deleted");
	char *other = nettest_replace(doc, NT_PORT_UUID, PORT2_UUID);
	char *rec, *before, *after;

	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", ""), 0);
	before = test_snapshot(t->tmp);
	/* port-deleted of another port: the VF now belongs to ours, leave it alone */
	assert_int_equal(nettest_run_expect(t, "port-deleted", "begin", other, ""), 0);
	assert_int_equal(fakenl_n_requests(), 1);
	assert_vf_state(FAKE_PF, 0, 0, 1);
	after = test_snapshot(t->tmp);
	assert_string_equal(after, before);
	rec = nettest_expected_record(0, NT_NET, NT_NET_UUID, NT_PORT_UUID, NT_OWNER,
				      NT_OWNER_UUID, DEFAULT_TAIL);
	assert_record(t, NT_VF0, rec);
	free(rec);
	free(before);
	free(after);
	free(other);
	free(doc);
}

static void test_new_owner_keeps_originals(void **state)
{
	struct nettest *t = *state;
	char *doc = nettest_load("port-created");
	char *other = nettest_replace(doc, NT_PORT_UUID, PORT2_UUID);
	char *rec;

	/* net-destroy skips port-deleted: the VF goes to a new port still carrying our settings */
	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", ""), 0);
	assert_int_equal(nettest_run_expect(t, "port-created", "begin", other, ""), 0);
	assert_int_equal(fakenl_n_requests(), 1);
	rec = nettest_expected_record(0, NT_NET, NT_NET_UUID, PORT2_UUID, NT_OWNER, NT_OWNER_UUID,
				      DEFAULT_TAIL);
	assert_record(t, NT_VF0, rec);
	free(rec);
	free(other);
	free(doc);
}

/* Every VF of the fake PF back on its host driver: no guest holds one. */
static void guests_gone(struct nettest *t)
{
	for (uint32_t i = 0; i < FAKE_PF_TOTALVFS; i++) {
		char bdf[16];

		fakesys_igb_vf_bdf(1, i, bdf);
		fakesys_bind(&t->fs, bdf, "igbvf");
	}
}

static void test_restore_stopped(void **state)
{
	struct nettest *t = *state;
	char *doc = nettest_load("port-created-vf-list");
	char *port2 = nettest_replace(doc, NT_PORT_UUID, PORT2_UUID);
	char *rec;

	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", ""), 0); /* VF 0 */
	assert_int_equal(nettest_run_expect(t, "port-created", "begin", port2, ""), 0); /* VF 2 */
	assert_int_equal(run_doc(t, "port-created", "begin", "port-created-direct", ""),
			 0); /* VF 1, another network */
	assert_int_equal(fakenl_n_requests(), 3);

	/* net-destroy with the guests still running: their VFs (on vfio-pci) are left as they are */
	assert_int_equal(run_doc(t, "stopped", "end", "stopped", ""), 0);
	assert_int_equal(fakenl_n_requests(), 3);
	assert_vf_state(FAKE_PF, 0, 0, 1);
	/* the guests gone (their VFs back on igbvf), a second stopped end puts them back */
	guests_gone(t);
	assert_int_equal(run_doc(t, "stopped", "end", "stopped", ""), 0);
	/* VF 0 and VF 2, in address order, one request each; VF 1 belongs to macvtap-pool */
	assert_int_equal(fakenl_n_requests(), 5);
	assert_request_st(3, NT_PF_IFINDEX, 0, 1, 0);
	assert_request_st(4, NT_PF_IFINDEX, 2, 1, 0);
	assert_vf_state(FAKE_PF, 0, 1, 0);
	assert_vf_state(FAKE_PF, 2, 1, 0);
	assert_vf_state(FAKE_PF, 1, 0, 1);
	assert_record(t, NT_VF0, NULL);
	assert_record(t, "0000:01:10.4", NULL);
	rec = nettest_expected_record(1, "macvtap-pool", DIRECT_NET_UUID, DIRECT_PORT_UUID, "g2",
				      DIRECT_OWNER_UUID, DEFAULT_TAIL);
	assert_record(t, "0000:01:10.2", rec);
	free(rec);
	/* stopped again (11.3 runs it after a failed start too): nothing to do */
	assert_int_equal(run_doc(t, "stopped", "end", "stopped", ""), 0);
	assert_int_equal(fakenl_n_requests(), 5);
	free(port2);
	free(doc);
}

static void test_restore_pf_gone(void **state)
{
	struct nettest *t = *state;

	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", ""), 0);
	fakenl_fail_getlink(-NLE_NODEV);
	assert_int_equal(run_doc(t, "port-deleted", "begin", "port-deleted",
				 "libvirt-sriov-hooks: warning: network 'pool1': VF 0 (0000:01:10.0) "
				 "of PF 'enp1s0' no longer exists; dropping its record\n"),
			 0);
	assert_int_equal(fakenl_n_requests(), 1);
	assert_record(t, NT_VF0, NULL);
}

static void test_restore_fails_keeps_record(void **state)
{
	struct nettest *t = *state;
	char *rec = nettest_expected_record(0, NT_NET, NT_NET_UUID, NT_PORT_UUID, NT_OWNER,
					    NT_OWNER_UUID, DEFAULT_TAIL);

	assert_int_equal(run_doc(t, "port-created", "begin", "port-created", ""), 0);
	/* refused twice: in the one request (the kernel applies spoofchk first, so trust is not
	 * applied either), and alone */
	fakenl_fail_attr(VF_ATTR_SPOOFCHK, -NLE_PERM, 2);
	assert_int_equal(run_doc(t, "port-deleted", "begin", "port-deleted",
				 "libvirt-sriov-hooks: error: network 'pool1': failed to set "
				 "spoofchk on on VF 0 (0000:01:10.0) of PF 'enp1s0' (guest 'g1'): "
				 "Operation not permitted\n"),
			 1);
	/* trust was restored, spoofchk was not: the record stays for a later try */
	assert_int_equal(fakenl_n_requests(), 4);
	assert_request_st(1, NT_PF_IFINDEX, 0, 1, 0);
	assert_int_equal(fakenl_request(1)->answer, -NLE_PERM);
	assert_request(2, NT_PF_IFINDEX, VF_ATTR_SPOOFCHK, 0, 1);
	assert_int_equal(fakenl_request(2)->answer, -NLE_PERM);
	assert_request(3, NT_PF_IFINDEX, VF_ATTR_TRUST, 0, 0);
	assert_int_equal(fakenl_request(3)->answer, 0);
	assert_vf_state(FAKE_PF, 0, 0, 0);
	assert_record(t, NT_VF0, rec);
	/* the later try (stopped end, the guest gone) finishes the job */
	guests_gone(t);
	assert_int_equal(run_doc(t, "stopped", "end", "stopped", ""), 0);
	assert_int_equal(fakenl_n_requests(), 5);
	assert_request(4, NT_PF_IFINDEX, VF_ATTR_SPOOFCHK, 0, 1);
	assert_vf_state(FAKE_PF, 0, 1, 0);
	assert_record(t, NT_VF0, NULL);
	free(rec);
}

/* --- the other attributes: link-state and the two rates, which share IFLA_VF_RATE --- */

static void test_rates(void **state)
{
	struct nettest *t = *state;
	char *doc = nettest_load("port-created");
	char *rates = nettest_replace(doc, "    <forward",
				      "    <metadata>\n      <sriov:pool "
				      "xmlns:sriov='urn:libvirt-sriov-hooks:1' spoofchk='keep' "
				      "trust='keep' link-state='enable' max-tx-rate='1000' "
				      "min-tx-rate='100'/>\n    </metadata>\n    <forward");

	assert_int_equal(nettest_run_expect(t, "port-created", "begin", rates, ""), 0);
	/* one request: IFLA_VF_RATE with both limits, then IFLA_VF_LINK_STATE */
	assert_int_equal(fakenl_n_requests(), 1);
	assert_request_attrs(0, 0, (int64_t[_VF_ATTR_MAX]){-1, -1, 1, 1000, 100, -1},
			     (uint16_t[]){IFLA_VF_RATE, IFLA_VF_LINK_STATE}, 2);

	assert_int_equal(run_doc(t, "port-deleted", "begin", "port-deleted", ""), 0);
	assert_int_equal(fakenl_n_requests(), 2);
	assert_request_attrs(1, 0, (int64_t[_VF_ATTR_MAX]){-1, -1, 0, 0, 0, -1},
			     (uint16_t[]){IFLA_VF_RATE, IFLA_VF_LINK_STATE}, 2);
	{
		struct vf_settings s;

		fakenl_get_vf(FAKE_PF, 0, &s);
		assert_int_equal(s.v[VF_ATTR_MAX_TX_RATE], 0);
		assert_int_equal(s.v[VF_ATTR_MIN_TX_RATE], 0);
		assert_int_equal(s.v[VF_ATTR_LINK_STATE], 0);
	}
	assert_record(t, NT_VF0, NULL);
	free(rates);
	free(doc);
}

/* --- one request per VF, and the fallback when it fails --- */

static char *doc_with_pool(const char *attrs)
{
	char *doc = nettest_load("port-created");
	char *meta = test_strdup_printf("    <metadata>\n      <sriov:pool "
					"xmlns:sriov='urn:libvirt-sriov-hooks:1' %s/>\n"
					"    </metadata>\n    <forward",
					attrs);
	char *out = nettest_replace(doc, "    <forward", meta);

	free(meta);
	free(doc);
	return out;
}

static const char link_state_error[] =
	"libvirt-sriov-hooks: error: network 'pool1': failed to set link-state enable on VF 0 "
	"(0000:01:10.0) of PF 'enp1s0' (guest 'g1'): Operation not permitted\n";

/* The driver refuses link-state, which the kernel applies after spoofchk and before trust. */
static void run_link_state_refused(struct nettest *t, const char *on_error, const char *log,
				   int status)
{
	char *policy = test_strdup_printf("link-state='enable' on-error='%s'", on_error);
	char *doc = doc_with_pool(policy);

	fakenl_fail_attr(VF_ATTR_LINK_STATE, -NLE_PERM, -1);
	assert_int_equal(nettest_run_expect(t, "port-created", "begin", doc, log), status);
	/* 0: all three in one request; the kernel set spoofchk, then stopped at link-state */
	assert_request_attrs(0, 0, (int64_t[_VF_ATTR_MAX]){0, 1, 1, -1, -1, -1},
			     (uint16_t[]){IFLA_VF_SPOOFCHK, IFLA_VF_LINK_STATE, IFLA_VF_TRUST}, 3);
	assert_int_equal(fakenl_request(0)->answer, -NLE_PERM);
	/* the VF read again (one more RTM_GETLINK): spoofchk is set; the rest one by one, in
	 * table order: trust, then link-state, refused again, and named in the error */
	assert_int_equal(fakenl_getlink_calls(), 2);
	assert_request(1, NT_PF_IFINDEX, VF_ATTR_TRUST, 0, 1);
	assert_int_equal(fakenl_request(1)->answer, 0);
	assert_request(2, NT_PF_IFINDEX, VF_ATTR_LINK_STATE, 0, 1);
	assert_int_equal(fakenl_request(2)->answer, -NLE_PERM);
	free(doc);
	free(policy);
}

static void test_fallback_warn(void **state)
{
	struct nettest *t = *state;
	char *log = test_strdup_printf("%s%s", link_state_error, warn_line), *rec;

	run_link_state_refused(t, "warn", log, 0);
	assert_int_equal(fakenl_n_requests(), 3);
	assert_vf_state(FAKE_PF, 0, 0, 1);
	rec = nettest_expected_record(0, NT_NET, NT_NET_UUID, NT_PORT_UUID, NT_OWNER,
				      NT_OWNER_UUID,
				      "orig.spoofchk=1\norig.trust=0\norig.link-state=0\n"
				      "want.spoofchk=0\nwant.trust=1\nwant.link-state=1\n"
				      "on-error=warn\n");
	assert_record(t, NT_VF0, rec);
	free(rec);
	free(log);
}

static void test_fallback_fail(void **state)
{
	struct nettest *t = *state;

	run_link_state_refused(t, "fail", link_state_error, 1);
	/* the rollback puts back exactly what did apply (spoofchk, by the one request; trust,
	 * alone): one request again */
	assert_int_equal(fakenl_n_requests(), 4);
	assert_request_st(3, NT_PF_IFINDEX, 0, 1, 0);
	assert_int_equal(fakenl_request(3)->answer, 0);
	assert_vf_state(FAKE_PF, 0, 1, 0);
	assert_record(t, NT_VF0, NULL);
}

/* Lowering both rates below the current minimum: one IFLA_VF_RATE carries both final values, so
 * min <= max holds before and after; after a failure, the requests one by one go in the order
 * that keeps it at every step (min first, with max as it is; then max). */
static void test_rate_order(void **state)
{
	struct nettest *t = *state;
	char *doc = doc_with_pool("spoofchk='keep' trust='keep' max-tx-rate='50' "
				  "min-tx-rate='10'");
	struct vf_settings s;

	fakenl_set_attr(FAKE_PF, 0, VF_ATTR_MAX_TX_RATE, 1000);
	fakenl_set_attr(FAKE_PF, 0, VF_ATTR_MIN_TX_RATE, 100);
	assert_int_equal(nettest_run_expect(t, "port-created", "begin", doc, ""), 0);
	assert_int_equal(fakenl_n_requests(), 1);
	assert_request_attrs(0, 0, (int64_t[_VF_ATTR_MAX]){-1, -1, -1, 50, 10, -1},
			     (uint16_t[]){IFLA_VF_RATE}, 1);
	fakenl_get_vf(FAKE_PF, 0, &s);
	assert_int_equal(s.v[VF_ATTR_MAX_TX_RATE], 50);
	assert_int_equal(s.v[VF_ATTR_MIN_TX_RATE], 10);

	/* the same, with spoofchk, on a VF whose driver refuses the one request once */
	nettest_teardown(t);
	nettest_setup(t, 4, false);
	free(doc);
	doc = doc_with_pool("trust='keep' max-tx-rate='50' min-tx-rate='10'");
	fakenl_set_attr(FAKE_PF, 0, VF_ATTR_MAX_TX_RATE, 1000);
	fakenl_set_attr(FAKE_PF, 0, VF_ATTR_MIN_TX_RATE, 100);
	fakenl_fail_attr(VF_ATTR_MAX_TX_RATE, -NLE_INVAL, 1);
	assert_int_equal(nettest_run_expect(t, "port-created", "begin", doc, ""), 0);
	assert_int_equal(fakenl_n_requests(), 4);
	assert_request_attrs(0, 0, (int64_t[_VF_ATTR_MAX]){0, -1, -1, 50, 10, -1},
			     (uint16_t[]){IFLA_VF_RATE, IFLA_VF_SPOOFCHK}, 2);
	assert_int_equal(fakenl_request(0)->answer, -NLE_INVAL);
	assert_request(1, NT_PF_IFINDEX, VF_ATTR_SPOOFCHK, 0, 0);
	assert_request_attrs(2, 0, (int64_t[_VF_ATTR_MAX]){-1, -1, -1, 1000, 10, -1},
			     (uint16_t[]){IFLA_VF_RATE}, 1);
	assert_request_attrs(3, 0, (int64_t[_VF_ATTR_MAX]){-1, -1, -1, 50, 10, -1},
			     (uint16_t[]){IFLA_VF_RATE}, 1);
	fakenl_get_vf(FAKE_PF, 0, &s);
	assert_int_equal(s.v[VF_ATTR_SPOOFCHK], 0);
	assert_int_equal(s.v[VF_ATTR_MAX_TX_RATE], 50);
	assert_int_equal(s.v[VF_ATTR_MIN_TX_RATE], 10);
	free(doc);
}

/* One request per VF, whatever the number of VFs a run touches. */
static void test_request_counts(void **state)
{
	struct nettest *t = *state;
	char *doc = nettest_load("port-created-vf-list");
	char *port2 = nettest_replace(doc, NT_PORT_UUID, PORT2_UUID);
	char *all = doc_with_pool("link-state='disable' max-tx-rate='300' min-tx-rate='200'");
	unsigned getlinks;

	/* five attributes on VF 0: one request */
	assert_int_equal(nettest_run_expect(t, "port-created", "begin", all, ""), 0);
	assert_int_equal(fakenl_n_requests(), 1);
	assert_request_attrs(0, 0, (int64_t[_VF_ATTR_MAX]){0, 1, 2, 300, 200, -1},
			     (uint16_t[]){IFLA_VF_RATE, IFLA_VF_SPOOFCHK, IFLA_VF_LINK_STATE,
					  IFLA_VF_TRUST},
			     4);
	/* VF 2: one more */
	assert_int_equal(nettest_run_expect(t, "port-created", "begin", port2, ""), 0);
	assert_int_equal(fakenl_n_requests(), 2);
	/* stopped restores both VFs (their guests gone): one request each, one read of the PF */
	guests_gone(t);
	getlinks = fakenl_getlink_calls();
	assert_int_equal(run_doc(t, "stopped", "end", "stopped", ""), 0);
	assert_int_equal(fakenl_getlink_calls() - getlinks, 1);
	assert_int_equal(fakenl_n_requests(), 4);
	assert_request_attrs(2, 0, (int64_t[_VF_ATTR_MAX]){1, 0, 0, 0, 0, -1},
			     (uint16_t[]){IFLA_VF_RATE, IFLA_VF_SPOOFCHK, IFLA_VF_LINK_STATE,
					  IFLA_VF_TRUST},
			     4);
	assert_request_st(3, NT_PF_IFINDEX, 2, 1, 0);
	free(all);
	free(port2);
	free(doc);
}

/* --- vf.c directly --- */

static void test_vf_link(void **state)
{
	struct vf_link *l = NULL;
	struct vf_settings s, keep;

	assert_int_equal(vf_link_open("sriovtest0", &l), -ENODEV);
	assert_null(l);
	assert_int_equal(vf_link_open(FAKE_PF, &l), 0);
	assert_non_null(l);
	assert_int_equal(vf_link_get(l, 3, &s), 0);
	assert_int_equal(s.v[VF_ATTR_SPOOFCHK], 1);
	assert_int_equal(s.v[VF_ATTR_TRUST], 0);
	assert_int_equal(s.v[VF_ATTR_LINK_STATE], 0);
	assert_int_equal(s.v[VF_ATTR_QUERY_RSS], VF_UNSUPPORTED);
	vf_settings_init(&keep);
	s = keep;
	assert_int_equal(vf_link_get(l, FAKE_PF_TOTALVFS, &s), -ENOENT);
	assert_memory_equal(&s, &keep, sizeof(s));
	assert_int_equal(vf_link_set(l, 0, _VF_ATTR_MAX, 1), -EINVAL);
	assert_int_equal(vf_link_set_many(l, 0, &keep), 0); /* nothing to change: nothing sent */
	assert_int_equal(fakenl_n_requests(), 0);
	/* reload: one more RTM_GETLINK, and the table says what the kernel holds now */
	fakenl_set_vf(FAKE_PF, 3, 0, 1);
	assert_int_equal(fakenl_getlink_calls(), 2); /* sriovtest0, then the PF */
	assert_int_equal(vf_link_reload(l), 0);
	assert_int_equal(fakenl_getlink_calls(), 3);
	assert_int_equal(vf_link_get(l, 3, &s), 0);
	assert_int_equal(s.v[VF_ATTR_SPOOFCHK], 0);
	assert_int_equal(s.v[VF_ATTR_TRUST], 1);
	/* a failed reload keeps the old table */
	fakenl_fail_getlink(-NLE_BUSY);
	assert_int_equal(vf_link_reload(l), -EBUSY);
	fakenl_fail_getlink(0);
	assert_int_equal(vf_link_get(l, 3, &s), 0);
	assert_int_equal(s.v[VF_ATTR_TRUST], 1);
	vf_link_free(l);
	vf_link_free(NULL);
}

static void test_vf_errors(void **state)
{
	static const struct {
		int nle, err;
	} t[] = {
		{-NLE_PERM, -EPERM},	   {-NLE_NOACCESS, -EACCES}, {-NLE_BUSY, -EBUSY},
		{-NLE_RANGE, -EINVAL},	   {-NLE_INVAL, -EINVAL},    {-NLE_NODEV, -ENODEV},
		{-NLE_OPNOTSUPP, -EOPNOTSUPP}, {-NLE_NOMEM, -ENOMEM}, {-NLE_PARSE_ERR, -EIO},
	};
	struct vf_link *l = NULL;

	assert_int_equal(vf_link_open(FAKE_PF, &l), 0);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fakenl_fail_attr(VF_ATTR_TRUST, t[i].nle, 1);
		assert_int_equal(vf_link_set(l, 5, VF_ATTR_TRUST, 1), t[i].err);
	}
	assert_int_equal(vf_link_set(l, 5, VF_ATTR_TRUST, 1), 0);
	assert_request(fakenl_n_requests() - 1, NT_PF_IFINDEX, VF_ATTR_TRUST, 5, 1);
	vf_link_free(l);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_first_touch),
		T(test_replay),
		T(test_already_set),
		T(test_vf_index),
		T(test_restart_no_pf),
		T(test_direct),
		T(test_wrong_pf),
		T(test_eopnotsupp_warn),
		T(test_eopnotsupp_fail),
		T(test_unsupported_fail),
		T(test_eagain_retried),
		T(test_eagain_bounded),
		T(test_getlink_fails),
		T(test_unsupported_trust),
		T(test_restore_port_deleted),
		T(test_restore_other_owner),
		T(test_new_owner_keeps_originals),
		T(test_restore_stopped),
		T(test_restore_pf_gone),
		T(test_restore_fails_keeps_record),
		T(test_rates),
		T(test_fallback_warn),
		T(test_fallback_fail),
		T(test_rate_order),
		T(test_request_counts),
		T(test_vf_link),
		T(test_vf_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
