/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pure decisions: plan.c, policy.c and settings.c. No I/O. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "plan.h"
#include "policy.h"
#include "settings.h"

#define SENTINEL UINT32_C(0xdeadbeef)
#define ON 1
#define OFF 0
#define UNSET VF_UNSET

static struct vf_settings vs(int64_t spoofchk, int64_t trust)
{
	struct vf_settings s;

	vf_settings_init(&s);
	s.v[VF_ATTR_SPOOFCHK] = spoofchk;
	s.v[VF_ATTR_TRUST] = trust;
	return s;
}

/* --- plan_numvfs: every branch --- */

static void test_plan_numvfs(void **state)
{
	static const struct {
		uint32_t cur, total;
		int64_t policy;
		int action;
		uint32_t want;
	} t[] = {
		/* default: activate all, only when there are none; never complain otherwise */
		{0, 7, POLICY_VFS_DEFAULT, NUMVFS_WRITE, 7},
		{7, 7, POLICY_VFS_DEFAULT, NUMVFS_KEEP, 7},
		{2, 7, POLICY_VFS_DEFAULT, NUMVFS_KEEP, 7},
		{0, 0, POLICY_VFS_DEFAULT, NUMVFS_KEEP, 0}, /* SR-IOV capable with 0 VFs allowed */
		/* vfs='max': like the default, but a different non-zero count is a mismatch */
		{0, 7, POLICY_VFS_MAX, NUMVFS_WRITE, 7},
		{7, 7, POLICY_VFS_MAX, NUMVFS_KEEP, 7},
		{2, 7, POLICY_VFS_MAX, NUMVFS_MISMATCH, 7},
		/* an explicit count */
		{0, 7, 4, NUMVFS_WRITE, 4},
		{4, 7, 4, NUMVFS_KEEP, 4},
		{2, 7, 4, NUMVFS_MISMATCH, 4},
		{7, 7, 4, NUMVFS_MISMATCH, 4},
		{0, 7, 7, NUMVFS_WRITE, 7},
		{0, 7, 8, -ERANGE, 8},
		{3, 7, 8, -ERANGE, 8},
		{0, 0, 1, -ERANGE, 1},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t want = SENTINEL;

		print_message("# plan_numvfs(%u, %u, %lld)\n", t[i].cur, t[i].total,
			      (long long)t[i].policy);
		assert_int_equal(plan_numvfs(t[i].cur, t[i].total, t[i].policy, &want),
				 t[i].action);
		assert_int_equal(want, t[i].want);
	}
}

/* --- plan_vf_changes: match is no change, unknown (-1) is a change, keep is never one --- */

static void test_plan_vf_changes(void **state)
{
	static const struct {
		int64_t cur_s, cur_t, want_s, want_t;
		unsigned n;
		int64_t ch_s, ch_t;
	} t[] = {
		{ON, OFF, OFF, ON, 2, OFF, ON},		 /* igb defaults -> design defaults */
		{OFF, ON, OFF, ON, 0, UNSET, UNSET},	 /* already there */
		{OFF, OFF, OFF, ON, 1, UNSET, ON},	 /* only what differs */
		{ON, ON, OFF, ON, 1, OFF, UNSET},
		{UNSET, OFF, OFF, ON, 2, OFF, ON},	 /* not reported: differs */
		{UNSET, UNSET, OFF, ON, 2, OFF, ON},	 /* nothing known: everything */
		{ON, OFF, UNSET, UNSET, 0, UNSET, UNSET}, /* keep, keep */
		{ON, OFF, ON, UNSET, 0, UNSET, UNSET},
		{ON, UNSET, UNSET, UNSET, 0, UNSET, UNSET},
		{UNSET, UNSET, UNSET, ON, 1, UNSET, ON},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct vf_settings cur = vs(t[i].cur_s, t[i].cur_t);
		struct vf_settings want = vs(t[i].want_s, t[i].want_t);
		struct vf_settings ch;

		print_message("# row %zu\n", i);
		assert_int_equal(plan_vf_changes(&cur, &want, &ch), t[i].n);
		assert_int_equal(ch.v[VF_ATTR_SPOOFCHK], t[i].ch_s);
		assert_int_equal(ch.v[VF_ATTR_TRUST], t[i].ch_t);
		assert_int_equal(vf_settings_count(&ch), t[i].n);
	}
}

/* --- plan_record_originals: first touch only, per attribute --- */

static void test_plan_record_originals(void **state)
{
	struct vf_settings orig = vs(UNSET, UNSET);
	struct vf_settings cur = vs(ON, OFF);
	struct vf_settings ch = vs(OFF, ON);

	/* first touch: the current values of what changes */
	plan_record_originals(&orig, &cur, &ch);
	assert_int_equal(orig.v[VF_ATTR_SPOOFCHK], ON);
	assert_int_equal(orig.v[VF_ATTR_TRUST], OFF);

	/* a later change (after someone else set the VF) never overwrites the original */
	cur = vs(ON, ON);
	ch = vs(OFF, UNSET);
	plan_record_originals(&orig, &cur, &ch);
	assert_int_equal(orig.v[VF_ATTR_SPOOFCHK], ON);
	assert_int_equal(orig.v[VF_ATTR_TRUST], OFF);

	/* only attributes about to change are recorded */
	orig = vs(UNSET, UNSET);
	cur = vs(ON, OFF);
	ch = vs(UNSET, ON);
	plan_record_originals(&orig, &cur, &ch);
	assert_int_equal(orig.v[VF_ATTR_SPOOFCHK], UNSET);
	assert_int_equal(orig.v[VF_ATTR_TRUST], OFF);
	/* ... and a second change adds the other one */
	cur = vs(OFF, ON);
	ch = vs(ON, UNSET);
	plan_record_originals(&orig, &cur, &ch);
	assert_int_equal(orig.v[VF_ATTR_SPOOFCHK], OFF);
	assert_int_equal(orig.v[VF_ATTR_TRUST], OFF);

	/* an original the driver did not report stays unknown */
	orig = vs(UNSET, UNSET);
	cur = vs(OFF, UNSET);
	ch = vs(UNSET, ON);
	plan_record_originals(&orig, &cur, &ch);
	assert_int_equal(orig.v[VF_ATTR_TRUST], UNSET);
	assert_int_equal(vf_settings_count(&orig), 0);
}

/* --- settings.c --- */

static void test_settings_names(void **state)
{
	assert_string_equal(vf_attr_name(VF_ATTR_SPOOFCHK), "spoofchk");
	assert_string_equal(vf_attr_name(VF_ATTR_TRUST), "trust");
	assert_null(vf_attr_name(_VF_ATTR_MAX));
	assert_null(vf_attr_name(_VF_ATTR_INVALID));
	assert_int_equal(vf_attr_from_name("spoofchk"), VF_ATTR_SPOOFCHK);
	assert_int_equal(vf_attr_from_name("trust"), VF_ATTR_TRUST);
	assert_int_equal(vf_attr_from_name("Trust"), _VF_ATTR_INVALID);
	assert_int_equal(vf_attr_from_name(""), _VF_ATTR_INVALID);
	assert_int_equal(vf_attr_from_name("vfs"), _VF_ATTR_INVALID);
}

static void test_settings_parse(void **state)
{
	int64_t v = 42;

	assert_int_equal(vf_attr_parse(VF_ATTR_TRUST, "on", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(vf_attr_parse(VF_ATTR_SPOOFCHK, "off", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(vf_attr_parse(VF_ATTR_SPOOFCHK, "keep", &v), 0);
	assert_int_equal(v, VF_UNSET);
	v = 42;
	assert_int_equal(vf_attr_parse(VF_ATTR_TRUST, "maybe", &v), -EINVAL);
	assert_int_equal(vf_attr_parse(VF_ATTR_TRUST, "ON", &v), -EINVAL);
	assert_int_equal(vf_attr_parse(VF_ATTR_TRUST, "yes", &v), -EINVAL);
	assert_int_equal(vf_attr_parse(VF_ATTR_TRUST, "1", &v), -EINVAL);
	assert_int_equal(vf_attr_parse(VF_ATTR_TRUST, "", &v), -EINVAL);
	assert_int_equal(v, 42);

	assert_int_equal(vf_attr_parse_raw(VF_ATTR_TRUST, "1", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(vf_attr_parse_raw(VF_ATTR_TRUST, "0", &v), 0);
	assert_int_equal(v, 0);
	v = 42;
	assert_int_equal(vf_attr_parse_raw(VF_ATTR_TRUST, "2", &v), -ERANGE);
	assert_int_equal(vf_attr_parse_raw(VF_ATTR_TRUST, "-1", &v), -EINVAL);
	assert_int_equal(vf_attr_parse_raw(VF_ATTR_TRUST, "on", &v), -EINVAL);
	assert_int_equal(vf_attr_parse_raw(VF_ATTR_TRUST, "", &v), -EINVAL);
	assert_int_equal(v, 42);
}

static void test_settings_format(void **state)
{
	struct vf_settings s;
	char buf[64], small[12];

	assert_string_equal(vf_attr_format(VF_ATTR_TRUST, 1), "on");
	assert_string_equal(vf_attr_format(VF_ATTR_TRUST, 0), "off");
	assert_string_equal(vf_attr_format(VF_ATTR_TRUST, VF_UNSET), "keep");

	vf_settings_init(&s);
	assert_int_equal(vf_settings_count(&s), 0);
	assert_string_equal(vf_settings_format(&s, buf, sizeof(buf)), "");
	s = vs(OFF, ON);
	assert_int_equal(vf_settings_count(&s), 2);
	assert_string_equal(vf_settings_format(&s, buf, sizeof(buf)), "spoofchk off trust on");
	s = vs(UNSET, OFF);
	assert_string_equal(vf_settings_format(&s, buf, sizeof(buf)), "trust off");
	s = vs(ON, UNSET);
	assert_string_equal(vf_settings_format(&s, buf, sizeof(buf)), "spoofchk on");
	/* too small: whole items only, always terminated */
	s = vs(OFF, ON);
	assert_string_equal(vf_settings_format(&s, small, sizeof(small)), "");
	assert_string_equal(vf_settings_format(&s, buf, 22), "spoofchk off trust on");
	assert_string_equal(vf_settings_format(&s, buf, 21), "spoofchk off");
}

static void test_settings_other_attrs(void **state)
{
	struct vf_settings s;
	char msg[128] = "";
	int64_t v = 42;

	assert_int_equal(vf_attr_from_name("link-state"), VF_ATTR_LINK_STATE);
	assert_int_equal(vf_attr_from_name("max-tx-rate"), VF_ATTR_MAX_TX_RATE);
	assert_int_equal(vf_attr_from_name("min-tx-rate"), VF_ATTR_MIN_TX_RATE);
	assert_int_equal(vf_attr_from_name("query-rss"), VF_ATTR_QUERY_RSS);

	assert_int_equal(vf_attr_parse(VF_ATTR_LINK_STATE, "auto", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(vf_attr_parse(VF_ATTR_LINK_STATE, "enable", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(vf_attr_parse(VF_ATTR_LINK_STATE, "disable", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(vf_attr_parse(VF_ATTR_MAX_TX_RATE, "0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(vf_attr_parse(VF_ATTR_MAX_TX_RATE, "1000000", &v), 0);
	assert_int_equal(v, 1000000);
	assert_int_equal(vf_attr_parse(VF_ATTR_QUERY_RSS, "on", &v), 0);
	assert_int_equal(v, 1);
	v = 42;
	assert_int_equal(vf_attr_parse(VF_ATTR_LINK_STATE, "on", &v), -EINVAL);
	assert_int_equal(vf_attr_parse(VF_ATTR_MAX_TX_RATE, "1000001", &v), -EINVAL);
	assert_int_equal(vf_attr_parse(VF_ATTR_MIN_TX_RATE, "-1", &v), -EINVAL);
	assert_int_equal(vf_attr_parse(VF_ATTR_MIN_TX_RATE, "10M", &v), -EINVAL);
	assert_int_equal(v, 42);
	assert_int_equal(vf_attr_parse_raw(VF_ATTR_LINK_STATE, "3", &v), -ERANGE);
	assert_int_equal(vf_attr_parse_raw(VF_ATTR_MAX_TX_RATE, "4000000000", &v), 0);

	assert_string_equal(vf_attr_format(VF_ATTR_LINK_STATE, 2), "disable");
	assert_string_equal(vf_attr_format(VF_ATTR_MAX_TX_RATE, 1000), "1000");
	assert_string_equal(vf_attr_format(VF_ATTR_TRUST, VF_UNSUPPORTED), "unsupported");
	assert_string_equal(vf_attr_expected(VF_ATTR_LINK_STATE),
			    "'auto', 'enable', 'disable' or 'keep'");
	assert_string_equal(pool_policy_expected("min-tx-rate"),
			    "a rate in Mbit/s from 0 (no limit) to 1000000, or 'keep'");

	vf_settings_init(&s);
	s.v[VF_ATTR_MAX_TX_RATE] = 100;
	s.v[VF_ATTR_MIN_TX_RATE] = 100;
	assert_int_equal(vf_settings_check(&s, msg, sizeof(msg)), 0);
	s.v[VF_ATTR_MAX_TX_RATE] = 0; /* no limit */
	s.v[VF_ATTR_MIN_TX_RATE] = 1000;
	assert_int_equal(vf_settings_check(&s, msg, sizeof(msg)), 0);
	s.v[VF_ATTR_MAX_TX_RATE] = 100;
	assert_int_equal(vf_settings_check(&s, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "min-tx-rate 1000 exceeds max-tx-rate 100");
	s.v[VF_ATTR_LINK_STATE] = 1;
	vf_settings_format(&s, msg, sizeof(msg));
	assert_string_equal(msg, "link-state enable max-tx-rate 100 min-tx-rate 1000");
}

static void test_plan_unsupported(void **state)
{
	struct vf_settings cur = vs(VF_UNSUPPORTED, OFF), want = vs(OFF, ON), ch, bad;
	struct vf_settings orig = vs(UNSET, UNSET);

	/* a driver reporting -1: never sent, reported instead */
	assert_int_equal(plan_vf_changes(&cur, &want, &ch), 1);
	assert_int_equal(ch.v[VF_ATTR_SPOOFCHK], UNSET);
	assert_int_equal(ch.v[VF_ATTR_TRUST], ON);
	assert_int_equal(plan_vf_unsupported(&cur, &want, &bad), 1);
	assert_int_equal(bad.v[VF_ATTR_SPOOFCHK], OFF);
	assert_int_equal(bad.v[VF_ATTR_TRUST], UNSET);
	/* keep: not reported */
	want = vs(UNSET, ON);
	assert_int_equal(plan_vf_unsupported(&cur, &want, &bad), 0);
	/* an unsupported value is never recorded as an original */
	ch = vs(OFF, UNSET);
	plan_record_originals(&orig, &cur, &ch);
	assert_int_equal(orig.v[VF_ATTR_SPOOFCHK], UNSET);
}

/* --- policy.c --- */

static void test_policy_defaults(void **state)
{
	struct pool_policy p;

	memset(&p, 0x5a, sizeof(p));
	pool_policy_default(&p);
	assert_true(p.manage);
	assert_int_equal(p.vfs, POLICY_VFS_DEFAULT);
	assert_int_equal(p.want.v[VF_ATTR_SPOOFCHK], 0);
	assert_int_equal(p.want.v[VF_ATTR_TRUST], 1);
	assert_int_equal(p.on_error, ON_ERROR_WARN);
}

static void test_policy_set(void **state)
{
	struct pool_policy p;

	pool_policy_default(&p);
	assert_int_equal(pool_policy_set(&p, "vfs", "7"), 0);
	assert_int_equal(p.vfs, 7);
	assert_int_equal(pool_policy_set(&p, "vfs", "1"), 0);
	assert_int_equal(p.vfs, 1);
	assert_int_equal(pool_policy_set(&p, "vfs", "65535"), 0);
	assert_int_equal(p.vfs, 65535);
	assert_int_equal(pool_policy_set(&p, "vfs", "max"), 0);
	assert_int_equal(p.vfs, POLICY_VFS_MAX);
	assert_int_equal(pool_policy_set(&p, "spoofchk", "on"), 0);
	assert_int_equal(p.want.v[VF_ATTR_SPOOFCHK], 1);
	assert_int_equal(pool_policy_set(&p, "spoofchk", "keep"), 0);
	assert_int_equal(p.want.v[VF_ATTR_SPOOFCHK], VF_UNSET);
	assert_int_equal(pool_policy_set(&p, "trust", "off"), 0);
	assert_int_equal(p.want.v[VF_ATTR_TRUST], 0);
	assert_int_equal(pool_policy_set(&p, "on-error", "fail"), 0);
	assert_int_equal(p.on_error, ON_ERROR_FAIL);
	assert_int_equal(pool_policy_set(&p, "on-error", "warn"), 0);
	assert_int_equal(p.on_error, ON_ERROR_WARN);
	assert_int_equal(pool_policy_set(&p, "manage", "no"), 0);
	assert_false(p.manage);
	assert_int_equal(pool_policy_set(&p, "manage", "yes"), 0);
	assert_true(p.manage);
}

static void test_policy_invalid(void **state)
{
	static const struct {
		const char *name, *value;
		int r;
	} t[] = {
		{"vfs", "0", -EINVAL},	     {"vfs", "65536", -EINVAL}, {"vfs", "-1", -EINVAL},
		{"vfs", "07", -EINVAL},	     {"vfs", "", -EINVAL},	{"vfs", "MAX", -EINVAL},
		{"vfs", "4294967296", -EINVAL}, {"spoofchk", "maybe", -EINVAL},
		{"trust", "maybe", -EINVAL},   {"trust", "true", -EINVAL}, {"on-error", "ignore", -EINVAL},
		{"on-error", "", -EINVAL},     {"manage", "on", -EINVAL},  {"manage", "", -EINVAL},
		{"color", "blue", -ENOKEY},    {"numvfs", "8", -ENOKEY},   {"", "", -ENOKEY},
		{"Trust", "on", -ENOKEY},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct pool_policy p, before;

		pool_policy_default(&p);
		pool_policy_default(&before);
		print_message("# %s='%s'\n", t[i].name, t[i].value);
		assert_int_equal(pool_policy_set(&p, t[i].name, t[i].value), t[i].r);
		/* a rejected value leaves the policy as it was */
		assert_int_equal(p.manage, before.manage);
		assert_int_equal(p.vfs, before.vfs);
		assert_int_equal(p.on_error, before.on_error);
		for (int a = 0; a < _VF_ATTR_MAX; a++)
			assert_int_equal(p.want.v[a], before.want.v[a]);
	}
}

static void test_policy_expected(void **state)
{
	assert_string_equal(pool_policy_expected("vfs"), "a count from 1 to 65535, or 'max'");
	assert_string_equal(pool_policy_expected("on-error"), "'warn' or 'fail'");
	assert_string_equal(pool_policy_expected("manage"), "'yes' or 'no'");
	assert_string_equal(pool_policy_expected("trust"), "'on', 'off' or 'keep'");
	assert_string_equal(pool_policy_expected("spoofchk"), "'on', 'off' or 'keep'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_numvfs),
		cmocka_unit_test(test_plan_vf_changes),
		cmocka_unit_test(test_plan_record_originals),
		cmocka_unit_test(test_settings_names),
		cmocka_unit_test(test_settings_parse),
		cmocka_unit_test(test_settings_format),
		cmocka_unit_test(test_settings_other_attrs),
		cmocka_unit_test(test_plan_unsupported),
		cmocka_unit_test(test_policy_defaults),
		cmocka_unit_test(test_policy_set),
		cmocka_unit_test(test_policy_invalid),
		cmocka_unit_test(test_policy_expected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
