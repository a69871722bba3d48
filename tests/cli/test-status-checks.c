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
#include <sys/xattr.h>
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

	/* A reload recorded by the installer after the install counts as a start; one before it
	 * (an earlier install's) does not. */
	d[1].reloaded = 1000;
	check_daemons(d, 2, "network", 1000, &c);
	assert_int_equal(c.result, CHECK_PASS);
	assert_non_null(strstr(c.detail, "virtnetworkd (pid 11) reloaded by the installer at "));
	assert_non_null(strstr(c.detail, " after the hook was installed"));
	d[1].reloaded = 999;
	check_daemons(d, 2, "network", 1000, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.detail, "no reload since is on record"));
	assert_non_null(strstr(c.fix, "run the hooks' installer again"));
	check_daemons(d, 2, "qemu", 1000, &c);
	assert_string_equal(c.detail, "virtqemud (pid 10) started after the hook was installed");
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

static void unlink_at(const char *path)
{
	char full[512];

	snprintf(full, sizeof(full), "%s/%s", tree, path);
	assert_int_equal(unlink(full), 0);
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
	put("etc/libvirt/hooks/qemu", "ELF..." HOOK_MARKER "...");
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

static void test_selinux(void **state)
{
	struct status_selinux se;
	struct check c;

	status_selinux_read(root_fd, root_fd, &se);
	assert_int_equal(se.mode, -1);
	check_selinux_mode(&se, &c);
	assert_int_equal(c.result, CHECK_PASS);
	assert_string_equal(c.detail, "disabled (no /sys/fs/selinux/enforce)");

	/* Fedora >= 40: enforcing, the boolean off, no module of ours: networks cannot start. */
	put("fs/selinux/enforce", "1");
	put("fs/selinux/booleans/virt_hooks_unconfined", "0 0");
	put("etc/selinux/config", "SELINUX=enforcing\nSELINUXTYPE=targeted\n");
	put("var/lib/selinux/targeted/active/modules/100/virt/cil", "");
	status_selinux_read(root_fd, root_fd, &se);
	assert_int_equal(se.mode, 1);
	assert_int_equal(se.boolean, 0);
	assert_int_equal(se.module, 0);
	assert_string_equal(se.policy, "targeted");
	check_selinux_mode(&se, &c);
	assert_string_equal(c.detail, "enforcing (policy targeted)");
	check_selinux_module(&se, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.detail, "every net-start fails"));
	assert_non_null(strstr(c.fix, "semodule -i /usr/share/selinux/packages/targeted/"
				      "libvirt_sriov_hooks.pp.bz2"));
	check_selinux_boolean(&se, &c);
	assert_int_equal(c.result, CHECK_WARN);
	assert_non_null(strstr(c.fix, "setsebool -P virt_hooks_unconfined on"));

	/* The boolean on: the hooks run unconfined, the module is advised. */
	put("fs/selinux/booleans/virt_hooks_unconfined", "1 1");
	status_selinux_read(root_fd, root_fd, &se);
	check_selinux_module(&se, &c);
	assert_int_equal(c.result, CHECK_WARN);
	check_selinux_boolean(&se, &c);
	assert_int_equal(c.result, CHECK_PASS);

	/* Our module, at priority 400. */
	put("fs/selinux/booleans/virt_hooks_unconfined", "0 0");
	put("var/lib/selinux/targeted/active/modules/400/libvirt_sriov_hooks/cil", "");
	status_selinux_read(root_fd, root_fd, &se);
	assert_int_equal(se.module, 1);
	check_selinux_module(&se, &c);
	assert_int_equal(c.result, CHECK_PASS);
	assert_string_equal(c.detail, "loaded (priority 400, policy targeted)");
	check_selinux_boolean(&se, &c);
	assert_int_equal(c.result, CHECK_PASS);

	/* semodule -d: disabled. */
	put("var/lib/selinux/targeted/active/modules/disabled/libvirt_sriov_hooks", "");
	status_selinux_read(root_fd, root_fd, &se);
	assert_int_equal(se.module, -1);
	check_selinux_module(&se, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_string_equal(c.fix, "semodule -e libvirt_sriov_hooks");

	/* EL9: no such boolean (the daemons are unconfined), permissive: warnings only. */
	put("etc/selinux/config", "SELINUXTYPE=mls\n");
	put("fs/selinux/enforce", "0");
	unlink_at("fs/selinux/booleans/virt_hooks_unconfined");
	status_selinux_read(root_fd, root_fd, &se);
	assert_int_equal(se.mode, 0);
	assert_int_equal(se.boolean, -1);
	assert_int_equal(se.module, 0); /* the mls store has none */
	check_selinux_module(&se, &c);
	assert_int_equal(c.result, CHECK_WARN);
	assert_non_null(strstr(c.fix, "/usr/share/selinux/packages/mls/"));
	check_selinux_boolean(&se, &c);
	assert_int_equal(c.result, CHECK_PASS);
	assert_non_null(strstr(c.detail, "not in this policy"));
}

#define TEST_XATTR "user.sriov_test_selinux"

static int label(const char *path, const char *context)
{
	char full[512];

	snprintf(full, sizeof(full), "%s/%s", tree, path);
	return setxattr(full, TEST_XATTR, context, strlen(context), 0);
}

static void test_selinux_labels(void **state)
{
	struct status_selinux se = {.mode = 1, .boolean = 0, .module = 1};
	const char *hooks[] = {"etc/libvirt/hooks/network.d/libvirt-sriov-hooks",
			       "etc/libvirt/hooks/qemu"};
	char state_dir[300], type[64], want[400];
	struct check c;

	snprintf(state_dir, sizeof(state_dir), "%s/run/libvirt-sriov-hooks", tree);
	put(hooks[0], "x");
	put(hooks[1], "x");
	if (label(hooks[0], "system_u:object_r:sriov_hooks_exec_t:s0") < 0) {
		print_message("SKIP: no user.* extended attributes on this file system\n");
		skip();
	}
	assert_int_equal(label(hooks[1], "system_u:object_r:sriov_hooks_exec_t:s0"), 0);
	assert_int_equal(status_label_type(root_fd, hooks[0], TEST_XATTR, type, sizeof(type)), 0);
	assert_string_equal(type, "sriov_hooks_exec_t");

	/* The state directory is not there before boot: not judged. */
	check_selinux_labels(&se, root_fd, hooks, 2, state_dir, TEST_XATTR, &c);
	assert_int_equal(c.result, CHECK_PASS);
	assert_string_equal(c.detail, "/etc/libvirt/hooks/network.d/libvirt-sriov-hooks, "
				      "/etc/libvirt/hooks/qemu: as our module labels them");

	put("run/libvirt-sriov-hooks/vf/x", "");
	assert_int_equal(label("run/libvirt-sriov-hooks", "system_u:object_r:var_run_t:s0"), 0);
	assert_int_equal(label(hooks[1], "system_u:object_r:virt_hook_t:s0"), 0);
	check_selinux_labels(&se, root_fd, hooks, 2, state_dir, TEST_XATTR, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.detail, "/etc/libvirt/hooks/qemu is virt_hook_t, not "
					 "sriov_hooks_exec_t"));
	assert_non_null(strstr(c.detail, "run/libvirt-sriov-hooks is var_run_t, not "
					 "sriov_hooks_var_run_t"));
	assert_null(strstr(c.detail, "network.d"));
	snprintf(want, sizeof(want), "restorecon -RFv /etc/libvirt/hooks/qemu %s", state_dir);
	assert_string_equal(c.fix, want);
	/* Without our module these types cannot exist yet: a warning. */
	se.module = 0;
	check_selinux_labels(&se, root_fd, hooks, 2, state_dir, TEST_XATTR, &c);
	assert_int_equal(c.result, CHECK_WARN);
	/* No label at all. */
	put("etc/libvirt/hooks/network", "x");
	hooks[1] = "etc/libvirt/hooks/network";
	se.module = 1;
	assert_int_equal(
	    label("run/libvirt-sriov-hooks", "system_u:object_r:sriov_hooks_var_run_t:s0"), 0);
	check_selinux_labels(&se, root_fd, hooks, 2, state_dir, TEST_XATTR, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_string_equal(c.detail, "/etc/libvirt/hooks/network is unlabeled, not "
				      "sriov_hooks_exec_t");
}

static void test_apparmor_modes(void **state)
{
	struct check c;

	assert_int_equal(check_apparmor_modes(root_fd, &c), 0); /* not enabled: not shown */
	put("module/apparmor/parameters/enabled", "Y\n");
	assert_int_equal(check_apparmor_modes(root_fd, &c), 1);
	assert_int_equal(c.result, CHECK_WARN);
	assert_non_null(strstr(c.fix, "mount -t securityfs"));
	put("kernel/security/apparmor/profiles",
	    "libvirtd//qemu_bridge_helper (enforce)\n/usr/sbin/libvirtd (enforce)\n"
	    "virtqemud (complain)\nlsb_release (enforce)\n");
	assert_int_equal(check_apparmor_modes(root_fd, &c), 1);
	assert_int_equal(c.result, CHECK_PASS);
	assert_string_equal(c.detail, "libvirtd (enforce), virtqemud (complain: denials are only "
				      "logged), virtnetworkd unconfined (no profile loaded)");
}

static void test_hook_owner(void **state)
{
	char owner[64], bin[600];
	struct check c;

	check_hook_owner("qemu", false, false, NULL, &c);
	assert_int_equal(c.result, CHECK_PASS);
	check_hook_owner("qemu", true, false, NULL, &c);
	assert_int_equal(c.result, CHECK_PASS);
	assert_non_null(strstr(c.detail, "an admin's own hook"));
	check_hook_owner("qemu", true, true, NULL, &c);
	assert_int_equal(c.result, CHECK_WARN);
	assert_non_null(strstr(c.fix, "/etc/libvirt/hooks/qemu.d/libvirt-sriov-hooks"));
	check_hook_owner("qemu", true, false, "vdsm", &c);
	assert_int_equal(c.result, CHECK_PASS);
	assert_non_null(strstr(c.detail, "belongs to package vdsm"));
	check_hook_owner("qemu", true, true, "vdsm", &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.fix, "reinstall vdsm"));

	/* dpkg's database; then rpm's, asked through the rpm command (a fake first in PATH). */
	assert_int_equal(
	    check_package_owner(root_fd, tree, "/etc/libvirt/hooks/qemu", owner, sizeof(owner)),
	    -ENOENT);
	put("var/lib/dpkg/info/libvirt-daemon.list", "/etc/libvirt\n/etc/libvirt/hooks\n");
	put("var/lib/dpkg/info/vdsm:amd64.list", "/etc/libvirt/hooks/qemu.old\n"
						 "/etc/libvirt/hooks/qemu\n");
	assert_int_equal(
	    status_dpkg_owner(root_fd, "/etc/libvirt/hooks/qemu", owner, sizeof(owner)), 0);
	assert_string_equal(owner, "vdsm");
	assert_int_equal(
	    status_dpkg_owner(root_fd, "/etc/libvirt/hooks/network", owner, sizeof(owner)),
	    -ENOENT);
	put("usr/lib/sysimage/rpm/rpmdb.sqlite", "");
	put("bin/rpm",
	    "#!/bin/sh\n"
	    "[ \"$1 $3 $4\" = \"--root -qf --queryformat\" ] || exit 9\n"
	    "case \"$6\" in /etc/libvirt/hooks/network) echo vdsm-hook-x; exit 0;; esac\n"
	    "echo \"file $6 is not owned by any package\"; exit 1\n");
	snprintf(bin, sizeof(bin), "%s/bin/rpm", tree);
	assert_int_equal(chmod(bin, 0755), 0);
	snprintf(bin, sizeof(bin), "%s/bin:%s", tree, getenv("PATH") ?: "/usr/bin:/bin");
	assert_int_equal(setenv("PATH", bin, 1), 0);
	assert_int_equal(
	    check_package_owner(root_fd, tree, "/etc/libvirt/hooks/network", owner, sizeof(owner)),
	    0);
	assert_string_equal(owner, "vdsm-hook-x");
	assert_int_equal(
	    check_package_owner(root_fd, tree, "/etc/libvirt/hooks/lxc", owner, sizeof(owner)),
	    -ENOENT);
}

static void test_networkmanager(void **state)
{
	const struct check_pf pfs[] = {
	    {.ifname = "ens1", .network = "pool1", .numvfs = true},
	    {.ifname = "ens2"},
	};
	struct check c;

	check_networkmanager(root_fd, pfs, 2, &c);
	assert_int_equal(c.result, CHECK_PASS);
	/* A connection for the PF without SR-IOV settings leaves sriov_numvfs alone. */
	put("etc/NetworkManager/system-connections/ens1.nmconnection",
	    "[connection]\nid=ens1\ninterface-name=ens1\n\n[ipv4]\nmethod=disabled\n");
	check_networkmanager(root_fd, pfs, 2, &c);
	assert_int_equal(c.result, CHECK_PASS);
	put("etc/sysconfig/network-scripts/ifcfg-ens2",
	    "DEVICE=ens2\nONBOOT=yes\nSRIOV_TOTAL_VFS=4\n");
	check_networkmanager(root_fd, pfs, 2, &c);
	assert_int_equal(c.result, CHECK_WARN);
	assert_string_equal(c.detail,
			    "/etc/sysconfig/network-scripts/ifcfg-ens2 creates the VFs of "
			    "ens2 (4), which the host file names: NetworkManager rewrites "
			    "sriov_numvfs whenever it activates or deactivates that "
			    "connection, removing the VFs guests hold");
	put("etc/NetworkManager/system-connections/ens1.nmconnection",
	    "[connection]\nid=ens1\ninterface-name = ens1\n\n[sriov]\ntotal-vfs=8\n");
	check_networkmanager(root_fd, pfs, 2, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.detail, "/etc/NetworkManager/system-connections/ens1.nmconnection "
					 "sets SR-IOV on ens1 (8 VFs), the PF of network pool1"));
	assert_non_null(strstr(c.fix, "delete the [sriov] section"));
}

static void test_neutron(void **state)
{
	const char *confs[] = {"ens1", "ens3"};
	char physnet[64];
	struct check c;

	check_neutron(root_fd, confs, 2, &c);
	assert_int_equal(c.result, CHECK_PASS);
	assert_non_null(strstr(c.detail, "not configured"));
	put("etc/neutron/plugins/ml2/sriov_agent.ini",
	    "[DEFAULT]\n[sriov_nic]\n# physical_device_mappings = x:ens1\n"
	    "physical_device_mappings = physnet1:ens2, physnet2:ens3\nexclude_devices =\n");
	assert_int_equal(status_neutron_maps(root_fd, "ens1", physnet, sizeof(physnet)), 0);
	assert_int_equal(status_neutron_maps(root_fd, "ens3", physnet, sizeof(physnet)), 1);
	assert_string_equal(physnet, "physnet2");
	check_neutron(root_fd, confs, 1, &c);
	assert_int_equal(c.result, CHECK_PASS);
	assert_string_equal(c.detail, "maps none of the PFs the host file names");
	check_neutron(root_fd, confs, 2, &c);
	assert_int_equal(c.result, CHECK_FAIL);
	assert_non_null(strstr(c.detail, "maps ens3 (physical network physnet2)"));
	assert_non_null(strstr(c.fix, "remove the [pf ens3] section from the host file"));
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
	    cmocka_unit_test_setup_teardown(test_selinux, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_selinux_labels, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_apparmor_modes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hook_owner, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_networkmanager, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_neutron, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
