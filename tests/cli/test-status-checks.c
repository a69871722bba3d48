/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The doctor's rules (hooks/cli/checks.c), each once passing and once failing; the direct-VF policy
 * rule (common/directvf.c) the qemu hook and status share; common/status.c's policy match and PF
 * reads against a fake sysfs tree (tests/cli/test-doctor.sh runs them again end to end).
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

/* cmocka.h needs the three above first. */
#include <cmocka.h>

#include "checks.h"
#include "directvf.h"
#include "plan.h"
#include "status.h"

static struct status_pf pf_up(void)
{
	struct status_pf pf = {.numvfs = 4, .totalvfs = 8, .link_up = 1};

	snprintf(pf.ifname, sizeof(pf.ifname), "em1");
	snprintf(pf.driver, sizeof(pf.driver), "igb");
	pci_addr_parse("0000:3b:00.0", &pf.addr);
	return pf;
}

static struct vf_settings want_default(void)
{
	struct pool_policy p;

	pool_policy_default(&p);
	return p.want;
}

static struct status_vf_live live_vf(int64_t spoofchk, int64_t trust)
{
	struct status_vf_live l = {.known = true};

	vf_settings_init(&l.cur);
	l.cur.v[VF_ATTR_SPOOFCHK] = spoofchk;
	l.cur.v[VF_ATTR_TRUST] = trust;
	return l;
}

static void test_match(void **state)
{
	struct vf_settings want = want_default(); /* spoofchk off, trust on */
	struct status_vf_live l = live_vf(0, 1), unknown = {.known = false};

	assert_int_equal(status_vf_match(&l, &want), STATUS_MATCH_YES);
	l = live_vf(1, 1);
	assert_int_equal(status_vf_match(&l, &want), STATUS_MATCH_NO);
	l = live_vf(0, VF_UNSUPPORTED);
	assert_int_equal(status_vf_match(&l, &want), STATUS_MATCH_NO);
	l = live_vf(0, VF_UNSET);
	assert_int_equal(status_vf_match(&l, &want), STATUS_MATCH_UNKNOWN);
	assert_int_equal(status_vf_match(&unknown, &want), STATUS_MATCH_UNKNOWN);
	assert_int_equal(status_vf_match(NULL, &want), STATUS_MATCH_UNKNOWN);
	assert_int_equal(status_vf_match(&l, NULL), STATUS_MATCH_NONE);
	assert_string_equal(status_match_to_string(STATUS_MATCH_NO), "mismatch");
	assert_string_equal(status_attr_format(&unknown, VF_ATTR_TRUST), "unknown");
	l = live_vf(0, VF_UNSUPPORTED);
	assert_string_equal(status_attr_format(&l, VF_ATTR_TRUST), "unsupported");
	assert_string_equal(status_attr_format(&l, VF_ATTR_SPOOFCHK), "off");
}

static void test_pf_link(void **state)
{
	struct status_pf pf = pf_up();
	struct check c;

	check_pf_link("pool1", &pf, &c);
	assert_int_equal(c.result, CHECK_PASS);
	assert_string_equal(c.what, "PF em1 link (network pool1)");
	pf.link_up = 0;
	check_pf_link("pool1", &pf, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.fix, "ip link set em1 up"));
	pf.link_up = -1;
	check_pf_link(NULL, &pf, &c);
	assert_int_equal(c.result, CHECK_WARN);
	assert_string_equal(c.what, "PF em1 link (direct VFs)");
}

static void test_driver_support(void **state)
{
	struct status_pf pf = pf_up();
	struct vf_settings want = want_default();
	struct status_vf_live l[2] = {live_vf(1, 0), live_vf(0, 1)};
	struct check c;

	check_driver_support("pool1", &pf, l, 2, &want, &c);
	assert_int_equal(c.result, CHECK_PASS);
	l[1].cur.v[VF_ATTR_TRUST] = VF_UNSUPPORTED;
	check_driver_support("pool1", &pf, l, 2, &want, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.detail, "reports no trust"));
	assert_non_null(strstr(c.fix, "virsh net-edit pool1"));
	/* trust='keep': nothing asked of the driver. */
	want.v[VF_ATTR_TRUST] = VF_UNSET;
	check_driver_support("pool1", &pf, l, 2, &want, &c);
	assert_int_equal(c.result, CHECK_PASS);
	/* Unreadable: a warning. */
	want = want_default();
	l[0].known = l[1].known = false;
	check_driver_support("pool1", &pf, l, 2, &want, &c);
	assert_int_equal(c.result, CHECK_WARN);
	check_driver_support("pool1", &pf, l, 0, &want, &c);
	assert_int_equal(c.result, CHECK_WARN);
}

static void test_numvfs(void **state)
{
	struct status_pf pf = pf_up();
	struct check c;

	check_numvfs("pool1", true, &pf, 4, &c);
	assert_int_equal(c.result, CHECK_PASS);
	check_numvfs("pool1", true, &pf, POLICY_VFS_DEFAULT, &c);
	assert_int_equal(c.result, CHECK_PASS);
	check_numvfs("pool1", true, &pf, POLICY_VFS_MAX, &c); /* 4 of 8, max wanted */
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.fix, "echo 0 > /sys/bus/pci/devices/0000:3b:00.0/sriov_numvfs"));
	check_numvfs("pool1", true, &pf, 9, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.detail, "supports at most 8"));
	pf.numvfs = 0;
	check_numvfs("pool1", false, &pf, 4, &c);
	assert_int_equal(c.result, CHECK_PASS);
	check_numvfs("pool1", true, &pf, 4, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.fix, "virsh net-destroy pool1 && virsh net-start pool1"));
	pf.numvfs = pf.totalvfs = -1;
	check_numvfs("pool1", true, &pf, 4, &c);
	assert_int_equal(c.result, CHECK_FAIL);
}

static void test_daemons(void **state)
{
	struct status_daemon d[] = {
	    {.name = "virtqemud", .pid = 10, .started = 2000},
	    {.name = "virtnetworkd", .pid = 11, .started = 500},
	};
	struct check c;

	check_daemons(d, 2, "qemu", 1000, &c);
	assert_int_equal(c.result, CHECK_PASS);
	check_daemons(d, 2, "network", 1000, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.fix, "systemctl reload virtnetworkd"));
	check_daemons(d, 1, "network", 1000, &c);
	assert_int_equal(c.result, CHECK_WARN);
	check_daemons(d, 2, "qemu", 0, &c);
	assert_int_equal(c.result, CHECK_WARN);
}

/* Which policy a direct VF gets: the host file's [pf] section, else the defaults only when the
 * guest has an override; the override wins. Not named anywhere: not ours, *ret untouched. */
static void test_directvf(void **state)
{
	struct host_conf conf;
	struct vf_override o;
	struct pool_policy p, untouched;
	char err[256];

	assert_int_equal(conf_parse("[pf em1]\nspoofchk = on\ntrust = keep\n", "host.conf", &conf,
				    err, sizeof(err)),
			 0);
	memset(&untouched, 0x5a, sizeof(untouched));
	p = untouched;
	assert_int_equal(directvf_policy(NULL, "em1", NULL, &p), 0);
	assert_int_equal(directvf_policy(&conf, "em2", NULL, &p), 0);
	assert_int_equal(directvf_policy(&conf, "", NULL, &p), 0);
	assert_int_equal(directvf_policy(&conf, NULL, NULL, &p), 0);
	assert_memory_equal(&p, &untouched, sizeof(p));

	assert_int_equal(directvf_policy(&conf, "em1", NULL, &p), 1);
	assert_int_equal(p.want.v[VF_ATTR_SPOOFCHK], 1);
	assert_int_equal(p.want.v[VF_ATTR_TRUST], VF_UNSET);

	vf_override_init(&o);
	assert_int_equal(vf_override_set(&o, "trust", "on"), 0);
	assert_int_equal(directvf_policy(&conf, "em1", &o, &p), 1);
	assert_int_equal(p.want.v[VF_ATTR_SPOOFCHK], 1);
	assert_int_equal(p.want.v[VF_ATTR_TRUST], 1);
	/* Not in the host file, but the guest asks: the defaults (spoofchk off) under its override.
	 */
	assert_int_equal(directvf_policy(&conf, "em2", &o, &p), 1);
	assert_int_equal(p.want.v[VF_ATTR_SPOOFCHK], 0);
	assert_int_equal(p.want.v[VF_ATTR_TRUST], 1);
	assert_int_equal(directvf_policy(NULL, NULL, &o, &p), 1);
}

/* ---- against a temp tree ---- */

static char tree[256];
static int root_fd = -1;

static void put(const char *path, const char *text)
{
	char full[512], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", tree, path);
	for (slash = strchr(full + strlen(tree) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(full, 0755);
		*slash = '/';
	}
	f = fopen(full, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *target, const char *path)
{
	char full[512];

	snprintf(full, sizeof(full), "%s/%s", tree, path);
	assert_int_equal(symlink(target, full), 0);
}

static int setup(void **state)
{
	snprintf(tree, sizeof(tree), "%s/cli-status-XXXXXX", TEST_BUILD_DIR);
	if (!mkdtemp(tree))
		return -1;
	root_fd = open(tree, O_DIRECTORY | O_PATH | O_CLOEXEC);
	return root_fd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[600];

	close(root_fd);
	if (!getenv("SRIOV_TEST_KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

static void test_iommu(void **state)
{
	struct check c;

	put("proc/cmdline", "ro quiet\n");
	check_iommu(root_fd, root_fd, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.detail, "no intel_iommu=on"));
	put("proc/cmdline", "ro intel_iommu=on iommu=pt\n");
	check_iommu(root_fd, root_fd, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.detail, "off in the firmware"));
	put("kernel/iommu_groups/7/type", "identity\n");
	check_iommu(root_fd, root_fd, &c);
	assert_int_equal(c.result, CHECK_PASS);
	put("proc/cmdline", "ro iommu=off\n");
	check_iommu(root_fd, root_fd, &c);
	assert_int_equal(c.result, CHECK_FAIL);
}

static void test_hook(void **state)
{
	char path[512];
	struct check c;
	time_t installed = 0;

	check_hook(root_fd, "qemu", &c, &installed);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_int_equal(installed, 0);
	put("etc/libvirt/hooks/qemu", "ELF...libvirt-sriov-hooks:hook-binary:v1...");
	check_hook(root_fd, "qemu", &c, &installed);
	assert_int_equal(c.result, CHECK_FAIL); /* not executable */
	snprintf(path, sizeof(path), "%s/etc/libvirt/hooks/qemu", tree);
	assert_int_equal(chmod(path, 0755), 0);
	check_hook(root_fd, "qemu", &c, &installed);
	assert_int_equal(c.result, CHECK_PASS);
	assert_true(installed > 0);
	/* An admin's script is not ours. */
	put("etc/libvirt/hooks/network", "#!/bin/sh\nexit 0\n");
	check_hook(root_fd, "network", &c, NULL);
	assert_int_equal(c.result, CHECK_FAIL);
}

static void test_apparmor(void **state)
{
	struct check c;

	check_apparmor(root_fd, root_fd, &c);
	assert_int_equal(c.result, CHECK_PASS); /* not enabled */
	put("module/apparmor/parameters/enabled", "Y\n");
	put("etc/apparmor.d/usr.sbin.libvirtd", "profile libvirtd {\n}\n");
	check_apparmor(root_fd, root_fd, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	put("etc/apparmor.d/local/usr.sbin.libvirtd", "/etc/libvirt/hooks/** rmix,\n");
	check_apparmor(root_fd, root_fd, &c);
	assert_int_equal(c.result, CHECK_PASS);
}

static void test_pf_read(void **state)
{
	struct status_pf pf;
	struct pci_addr vf;
	uint32_t index;

	put("bus/pci/devices/0000:5e:00.0/sriov_totalvfs", "8\n");
	put("bus/pci/devices/0000:5e:00.0/sriov_numvfs", "2\n");
	put("bus/pci/devices/0000:5e:00.0/net/ens1/flags", "0x1002\n");
	put("bus/pci/devices/0000:5e:10.0/x", "");
	put("bus/pci/devices/0000:5e:10.2/x", "");
	put("bus/pci/drivers/ixgbe/x", "");
	link_to("../../../../bus/pci/drivers/ixgbe", "bus/pci/devices/0000:5e:00.0/driver");
	link_to("../../../0000:5e:00.0", "bus/pci/devices/0000:5e:00.0/net/ens1/device");
	link_to("../0000:5e:10.0", "bus/pci/devices/0000:5e:00.0/virtfn0");
	link_to("../0000:5e:10.2", "bus/pci/devices/0000:5e:00.0/virtfn1");
	put("class/net/.keep", "");
	link_to("../../bus/pci/devices/0000:5e:00.0/net/ens1", "class/net/ens1");

	assert_int_equal(status_pf_read(root_fd, "nosuch0", &pf), -ENODEV);
	assert_int_equal(status_pf_read(root_fd, "ens1", &pf), 0);
	assert_string_equal(pf.ifname, "ens1");
	assert_string_equal(pf.driver, "ixgbe");
	assert_int_equal(pf.numvfs, 2);
	assert_int_equal(pf.totalvfs, 8);
	assert_int_equal(pf.link_up, 0);
	assert_int_equal(pf.n_vfs, 2);
	pci_addr_parse("0000:5e:10.2", &vf);
	assert_int_equal(status_pf_vf_index(&pf, &vf, &index), 0);
	assert_int_equal(index, 1);
	pci_addr_parse("0000:5e:10.4", &vf);
	assert_int_equal(status_pf_vf_index(&pf, &vf, &index), -ENOENT);
	status_pf_done(&pf);

	/* No such interface in this kernel: every VF unknown, nothing else. */
	struct status_vf_live live[2];

	assert_true(status_vfs_read("sriovnone9", 2, live) < 0);
	assert_false(live[0].known);
	assert_false(live[1].known);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match),
	    cmocka_unit_test(test_pf_link),
	    cmocka_unit_test(test_driver_support),
	    cmocka_unit_test(test_numvfs),
	    cmocka_unit_test(test_daemons),
	    cmocka_unit_test(test_directvf),
	    cmocka_unit_test_setup_teardown(test_iommu, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hook, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_apparmor, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pf_read, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
