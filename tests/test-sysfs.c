/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysfs.c against a fake tree, and apply_numvfs() (start begin) making real writes into it:
 * 0 -> N writes N, N -> N writes nothing, M != N is left alone with a warning, and a PF that is
 * missing, not PCI, not SR-IOV capable or too small fails with its message.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "apply.h"
#include "fakenl.h"
#include "fakesys.h"
#include "nettest.h"
#include "policy.h"
#include "sysfs.h"
#include "testutil.h"

#define NUMVFS_REL "bus/pci/devices/" FAKE_PF_BDF "/sriov_numvfs"
#define SCOPE "network 'pool1'"

static struct pci_addr addr(const char *s)
{
	struct pci_addr a;

	assert_int_equal(pci_addr_parse(s, &a), 0);
	return a;
}

static int setup(void **state)
{
	struct nettest *t = calloc(1, sizeof(*t));

	nettest_setup(t, 0, false);
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

/* --- sysfs.c --- */

static void test_netdev_pci(void **state)
{
	struct nettest *t = *state;
	struct pci_addr a, keep = {.domain = 9};
	char buf[PCI_ADDR_STRLEN];

	assert_int_equal(sysfs_netdev_pci(t->fs.fd, FAKE_PF, &a), 0);
	assert_string_equal(pci_addr_format(&a, buf), FAKE_PF_BDF);
	assert_int_equal(sysfs_netdev_pci(t->fs.fd, FAKE_VF_NETDEV, &a), 0);
	assert_string_equal(pci_addr_format(&a, buf), "0000:01:10.2");

	a = keep;
	assert_int_equal(sysfs_netdev_pci(t->fs.fd, "enp9s0", &a), -ENODEV);
	assert_int_equal(sysfs_netdev_pci(t->fs.fd, FAKE_BRIDGE, &a), -ENXIO);
	assert_true(pci_addr_equal(&a, &keep));
}

static void test_pci_sriov(void **state)
{
	struct nettest *t = *state;
	struct pci_addr pf = addr(FAKE_PF_BDF), other = addr(FAKE_NOSRIOV_BDF);
	uint32_t num = 99, total = 99;

	assert_int_equal(sysfs_pci_sriov(t->fs.fd, &pf, &num, &total), 0);
	assert_int_equal(num, 0);
	assert_int_equal(total, FAKE_PF_TOTALVFS);

	num = total = 99;
	assert_int_equal(sysfs_pci_sriov(t->fs.fd, &other, &num, &total), -ENOTSUP);
	assert_int_equal(num, 99);
	assert_int_equal(total, 99);
	/* a garbled file */
	fakesys_write(&t->fs, NUMVFS_REL, "seven\n");
	assert_int_equal(sysfs_pci_sriov(t->fs.fd, &pf, &num, &total), -EINVAL);
	assert_int_equal(num, 99);
}

static void test_read_write_u32(void **state)
{
	struct nettest *t = *state;
	uint32_t v = 99;
	char *s;

	assert_int_equal(sysfs_write_u32(t->fs.fd, NUMVFS_REL, 5), 0);
	s = fakesys_read(&t->fs, NUMVFS_REL);
	assert_string_equal(s, "5");
	free(s);
	assert_int_equal(sysfs_read_u32(t->fs.fd, NUMVFS_REL, &v), 0);
	assert_int_equal(v, 5);
	v = 99;
	assert_int_equal(sysfs_read_u32(t->fs.fd, "no/such/file", &v), -ENOENT);
	assert_int_equal(sysfs_write_u32(t->fs.fd, "no/such/file", 1), -ENOENT);
	fakesys_write(&t->fs, NUMVFS_REL, "");
	assert_int_equal(sysfs_read_u32(t->fs.fd, NUMVFS_REL, &v), -EINVAL);
	fakesys_write(&t->fs, NUMVFS_REL, "-1\n");
	assert_int_equal(sysfs_read_u32(t->fs.fd, NUMVFS_REL, &v), -EINVAL);
	fakesys_write(&t->fs, NUMVFS_REL, "99999999999\n");
	assert_int_equal(sysfs_read_u32(t->fs.fd, NUMVFS_REL, &v), -ERANGE);
	assert_int_equal(v, 99);
}

static void test_virtfn(void **state)
{
	struct nettest *t = *state;
	struct pci_addr pf = addr(FAKE_PF_BDF), pf2 = addr(FAKE_PF2_BDF);
	struct pci_addr vf4 = addr("0000:01:10.4"), vf6 = addr("0000:01:11.4");
	struct pci_addr other = addr("0000:02:10.0"), nosriov = addr(FAKE_NOSRIOV_BDF);
	struct pci_addr missing = addr("0000:05:00.0"), got;
	uint32_t n = 99, idx = 99;
	char buf[PCI_ADDR_STRLEN];

	assert_int_equal(sysfs_pci_count_virtfn(t->fs.fd, &pf, 3, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(sysfs_pci_count_virtfn(t->fs.fd, &pf, 10, &n), 0);
	assert_int_equal(n, FAKE_PF_TOTALVFS);
	assert_int_equal(sysfs_pci_count_virtfn(t->fs.fd, &nosriov, 4, &n), 0);
	assert_int_equal(n, 0);

	assert_int_equal(sysfs_pci_vf_index(t->fs.fd, &pf, &vf4, &idx), 0);
	assert_int_equal(idx, 2);
	assert_int_equal(sysfs_pci_vf_index(t->fs.fd, &pf, &vf6, &idx), 0);
	assert_int_equal(idx, 6);
	idx = 99;
	/* a VF of another PF */
	assert_int_equal(sysfs_pci_vf_index(t->fs.fd, &pf, &other, &idx), -ENOENT);
	assert_int_equal(sysfs_pci_vf_index(t->fs.fd, &pf2, &vf4, &idx), -ENOENT);
	assert_int_equal(idx, 99);

	assert_int_equal(sysfs_pci_physfn(t->fs.fd, &vf4, &got), 0);
	assert_string_equal(pci_addr_format(&got, buf), FAKE_PF_BDF);
	assert_int_equal(sysfs_pci_physfn(t->fs.fd, &other, &got), 0);
	assert_string_equal(pci_addr_format(&got, buf), FAKE_PF2_BDF);
	got = missing;
	assert_int_equal(sysfs_pci_physfn(t->fs.fd, &nosriov, &got), -ENOENT); /* not a VF */
	assert_int_equal(sysfs_pci_physfn(t->fs.fd, &missing, &got), -ENODEV);
	assert_true(pci_addr_equal(&got, &missing));
}

static void test_netdev_driver(void **state)
{
	struct nettest *t = *state;
	struct pci_addr pf = addr(FAKE_PF_BDF), vf1 = addr("0000:01:10.2");
	struct pci_addr vf0 = addr("0000:01:10.0"), other = addr("0000:02:10.0");
	char name[IFNAMSIZ] = "untouched", drv[32] = "untouched";

	assert_int_equal(sysfs_pci_netdev(t->fs.fd, &pf, name), 0);
	assert_string_equal(name, FAKE_PF);
	assert_int_equal(sysfs_pci_netdev(t->fs.fd, &vf1, name), 0);
	assert_string_equal(name, FAKE_VF_NETDEV);
	strcpy(name, "untouched");
	assert_int_equal(sysfs_pci_netdev(t->fs.fd, &vf0, name), -ENODEV); /* on vfio-pci */
	assert_string_equal(name, "untouched");

	assert_int_equal(sysfs_pci_driver(t->fs.fd, &pf, drv, sizeof(drv)), 0);
	assert_string_equal(drv, "igb");
	assert_int_equal(sysfs_pci_driver(t->fs.fd, &vf0, drv, sizeof(drv)), 0);
	assert_string_equal(drv, "vfio-pci");
	strcpy(drv, "untouched");
	assert_int_equal(sysfs_pci_driver(t->fs.fd, &other, drv, sizeof(drv)), -ENOENT);
	assert_int_equal(sysfs_pci_driver(t->fs.fd, &pf, drv, 3), -ENAMETOOLONG);
	assert_string_equal(drv, "untouched");
}

/* --- apply_numvfs: start begin's effect --- */

static char *numvfs_path(const struct nettest *t)
{
	return fakesys_path(&t->fs, NUMVFS_REL);
}

static void test_numvfs_0_to_n(void **state)
{
	struct nettest *t = *state;
	char *s;

	capture_start();
	assert_int_equal(apply_numvfs(&t->ctx, SCOPE, FAKE_PF, POLICY_VFS_DEFAULT), 0);
	capture_expect(""); /* success goes to syslog only */
	s = fakesys_read(&t->fs, NUMVFS_REL);
	assert_string_equal(s, "7");
	free(s);
}

static void test_numvfs_0_to_policy(void **state)
{
	struct nettest *t = *state;
	char *s;

	capture_start();
	assert_int_equal(apply_numvfs(&t->ctx, SCOPE, FAKE_PF, 4), 0);
	capture_expect("");
	s = fakesys_read(&t->fs, NUMVFS_REL);
	assert_string_equal(s, "4");
	free(s);
	/* decided under the PF's lock */
	s = test_strdup_printf("%s/lock/" FAKE_PF_BDF, t->state_dir);
	assert_true(test_exists(s));
	free(s);
}

/* Through the whole pipeline: start begin with vfs='4'. */
static void test_numvfs_start_begin(void **state)
{
	struct nettest *t = *state;
	char *doc = nettest_load("start-begin-policy"), *s;

	assert_int_equal(nettest_run_expect(t, "start", "begin", doc, ""), 0);
	s = fakesys_read(&t->fs, NUMVFS_REL);
	assert_string_equal(s, "4");
	free(s);
	/* and again: already 4, nothing written */
	s = numvfs_path(t);
	test_age(s);
	free(s);
	{
		char *before = test_snapshot(t->fs.root);
		char *after;

		assert_int_equal(nettest_run_expect(t, "start", "begin", doc, ""), 0);
		after = test_snapshot(t->fs.root);
		assert_string_equal(after, before);
		free(before);
		free(after);
	}
	free(doc);
	assert_int_equal(fakenl_n_requests(), 0);
}

static void check_untouched(struct nettest *t, const char *content, int64_t policy_vfs, int ret,
			    const char *log)
{
	char *path = numvfs_path(t), *before, *after, *s;

	fakesys_write(&t->fs, NUMVFS_REL, content);
	test_age(path);
	before = test_snapshot(t->fs.root);
	capture_start();
	assert_int_equal(apply_numvfs(&t->ctx, SCOPE, FAKE_PF, policy_vfs), ret);
	capture_expect(log);
	after = test_snapshot(t->fs.root);
	/* content and mtime as they were: nothing was written */
	assert_string_equal(after, before);
	s = fakesys_read(&t->fs, NUMVFS_REL);
	assert_string_equal(s, content);
	free(s);
	/* nothing decided, so no lock taken, no state directory made */
	assert_false(test_exists(t->state_dir));
	free(before);
	free(after);
	free(path);
}

static void test_numvfs_same(void **state)
{
	check_untouched(*state, "4\n", 4, 0, "");
	check_untouched(*state, "7\n", POLICY_VFS_DEFAULT, 0, "");
	check_untouched(*state, "7\n", POLICY_VFS_MAX, 0, "");
}

static void test_numvfs_nonzero_default(void **state)
{
	/* default policy: a PF that already has VFs is the admin's business, silently */
	check_untouched(*state, "2\n", POLICY_VFS_DEFAULT, 0, "");
}

static void test_numvfs_mismatch(void **state)
{
	check_untouched(*state, "2\n", 4, 0,
			"libvirt-sriov-hooks: warning: network 'pool1': PF 'enp1s0' has 2 VFs, the "
			"policy asks for 4; left as it is, since changing it destroys every VF, in "
			"use or not. To change it, stop the guests using them, then: echo 0 > "
			"/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs; echo 4 > "
			"/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs\n");
}

static void test_numvfs_above_total(void **state)
{
	check_untouched(*state, "0\n", 8, -ERANGE,
			"libvirt-sriov-hooks: error: network 'pool1': PF 'enp1s0' (0000:01:00.0) "
			"supports at most 7 VFs, the policy asks for 8; lower vfs= in the network's "
			"<metadata>\n");
}

static void test_numvfs_garbled(void **state)
{
	check_untouched(*state, "x\n", 4, -EINVAL,
			"libvirt-sriov-hooks: error: network 'pool1': cannot read sriov_numvfs of PF "
			"'enp1s0' (0000:01:00.0): Invalid argument\n");
}

static void check_fails(struct nettest *t, const char *pf, int ret, const char *log)
{
	char *before = test_snapshot(t->fs.root), *after;

	capture_start();
	assert_int_equal(apply_numvfs(&t->ctx, SCOPE, pf, 4), ret);
	capture_expect(log);
	after = test_snapshot(t->fs.root);
	assert_string_equal(after, before);
	assert_false(test_exists(t->state_dir));
	free(before);
	free(after);
}

static void test_numvfs_missing_pf(void **state)
{
	check_fails(*state, "enp9s0", -ENODEV,
		    "libvirt-sriov-hooks: error: network 'pool1': PF 'enp9s0' does not exist (no "
		    "/sys/class/net/enp9s0); check <pf dev='enp9s0'/> in the network definition\n");
}

static void test_numvfs_not_sriov(void **state)
{
	check_fails(*state, FAKE_NOSRIOV, -ENOTSUP,
		    "libvirt-sriov-hooks: error: network 'pool1': PF 'enp3s0' (0000:03:00.0) is not "
		    "SR-IOV capable (no sriov_totalvfs); enable SR-IOV in the firmware or driver, or "
		    "use another NIC\n");
}

static void test_numvfs_not_pci(void **state)
{
	check_fails(*state, FAKE_BRIDGE, -ENOTSUP,
		    "libvirt-sriov-hooks: error: network 'pool1': 'br0' is not a PCI device, so it "
		    "has no VFs; <pf dev> must name an SR-IOV capable NIC\n");
}

static void test_numvfs_vf_netdev(void **state)
{
	/* <pf dev> naming a VF's netdev: a PCI function without sriov_totalvfs */
	check_fails(*state, FAKE_VF_NETDEV, -ENOTSUP,
		    "libvirt-sriov-hooks: error: network 'pool1': PF 'enp1s0v1' (0000:01:10.2) is "
		    "not SR-IOV capable (no sriov_totalvfs); enable SR-IOV in the firmware or "
		    "driver, or use another NIC\n");
}

static void test_numvfs_dry_run(void **state)
{
	struct nettest *t = *state;
	char *before = test_snapshot(t->fs.root), *after;

	t->ctx.dry_run = true;
	capture_start();
	assert_int_equal(apply_numvfs(&t->ctx, SCOPE, FAKE_PF, 3), 0);
	capture_expect("numvfs enp1s0 0 -> 3\n");
	after = test_snapshot(t->fs.root);
	assert_string_equal(after, before);
	assert_false(test_exists(t->state_dir));
	free(before);
	free(after);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_netdev_pci),
		T(test_pci_sriov),
		T(test_read_write_u32),
		T(test_virtfn),
		T(test_netdev_driver),
		T(test_numvfs_0_to_n),
		T(test_numvfs_0_to_policy),
		T(test_numvfs_start_begin),
		T(test_numvfs_same),
		T(test_numvfs_nonzero_default),
		T(test_numvfs_mismatch),
		T(test_numvfs_above_total),
		T(test_numvfs_garbled),
		T(test_numvfs_missing_pf),
		T(test_numvfs_not_sriov),
		T(test_numvfs_not_pci),
		T(test_numvfs_vf_netdev),
		T(test_numvfs_dry_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
