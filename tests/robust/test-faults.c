/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Faults below the network hook (nethook_run in process, the standard fake tree and fake kernel):
 * each gives the exit status its on-error says, one clear message, and never a half-written
 * record. Netlink errors come from tests/fakenl.c (the -NLE_* code libnl would return for the
 * kernel's errno); sysfs and state-directory errors are injected at libc's door by robust.c
 * (write(2) or openat(2) fails with that errno on the real code path). And the invariants: nothing
 * on stdout, a non-zero sriov_numvfs never rewritten, a VF owned by another port never restored,
 * qemu "reconnect" never exits non-zero (the same faults fail an on-error='fail' start).
 *
 * Already asserted exactly elsewhere, so not repeated here: EOPNOTSUPP (warn and fail), EAGAIN
 * retried and bounded, RTM_GETLINK ENODEV, a PF reporting no VFs, a restore after the PF is gone,
 * a restore that fails keeps its record (tests/test-netlink.c); a lock held too long
 * (tests/test-state.c).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include <netlink/errno.h>

#include "fakenl.h"
#include "nettest.h"
#include "policy.h"
#include "qemuhook.h"
#include "robust.h"
#include "testutil.h"

#define E "libvirt-sriov-hooks: error: network 'pool1': "
#define WARN_LINE                                                                                  \
	"libvirt-sriov-hooks: warning: network 'pool1': guest 'g1' starts without the full policy "   \
	"(on-error='warn')\n"
#define META(attrs)                                                                                \
	"    <metadata>\n      <sriov:pool xmlns:sriov='urn:libvirt-sriov-hooks:1' " attrs           \
	"/>\n    </metadata>\n    <forward"
#define NUMVFS_REL "bus/pci/devices/" FAKE_PF_BDF "/sriov_numvfs"
#define DEFAULT_TAIL                                                                               \
	"orig.spoofchk=1\norig.trust=0\nwant.spoofchk=0\nwant.trust=1\non-error=warn\n"

static int setup_n(void **state, uint32_t numvfs)
{
	struct nettest *t = calloc(1, sizeof(*t));

	robust_init();
	nettest_setup(t, numvfs, false);
	*state = t;
	return 0;
}

static int setup(void **state)
{
	return setup_n(state, 7);
}

static int setup0(void **state)
{
	return setup_n(state, 0);
}

static int teardown(void **state)
{
	struct nettest *t = *state;

	robust_clear();
	nettest_teardown(t);
	free(t);
	return 0;
}

struct run {
	struct nettest *t;
	const char *op, *sub, *doc;
	char *log;
};

static int run_cb(void *arg)
{
	struct run *r = arg;

	return nettest_run(r->t, r->op, r->sub, r->doc, strlen(r->doc), &r->log);
}

/* Run the hook; assert its status, its log, and that it wrote nothing to stdout. */
static void run(struct nettest *t, const char *op, const char *sub, const char *doc, int status,
		const char *log)
{
	struct run r = {t, op, sub, doc, NULL};
	size_t out = 1;

	assert_int_equal(robust_no_stdout(run_cb, &r, &out), status);
	assert_string_equal(r.log, log);
	assert_int_equal(out, 0);
	free(r.log);
}

static char *doc_with(const char *seed, const char *attrs)
{
	char *doc = nettest_load(seed), *out;

	if (!attrs)
		return doc;
	out = nettest_replace(doc, "    <forward", attrs);
	free(doc);
	return out;
}

/* No record but complete ones, no temporary file. */
static void assert_records_whole(const struct nettest *t)
{
	char *vf = test_strdup_printf("%s/vf", t->state_dir);
	char *listing = test_snapshot(vf);

	assert_null(strstr(listing, ".tmp"));
	free(listing);
	free(vf);
}

/* --- netlink: the driver refuses --- */

struct nl_case {
	const char *name;
	enum vf_attr attr;
	int nle;
	const char *policy; /* NULL: the default (warn) */
	int status;
	const char *log;
	unsigned requests;
};

static const struct nl_case nl_cases[] = {
	{"EBUSY on trust, warn", VF_ATTR_TRUST, -NLE_BUSY, NULL, 0,
	 E "failed to set trust on on VF 0 (0000:01:10.0) of PF 'enp1s0' (guest 'g1'): Device or "
	   "resource busy\n" WARN_LINE,
	 2},
	{"EBUSY on trust, fail", VF_ATTR_TRUST, -NLE_BUSY, META("on-error='fail'"), 1,
	 E "failed to set trust on on VF 0 (0000:01:10.0) of PF 'enp1s0' (guest 'g1'): Device or "
	   "resource busy\n",
	 3},
	/* spoofchk goes first in the kernel, so the one request sets nothing: spoofchk and trust
	 * are then sent alone */
	{"EPERM on spoofchk, warn", VF_ATTR_SPOOFCHK, -NLE_PERM, NULL, 0,
	 E "failed to set spoofchk off on VF 0 (0000:01:10.0) of PF 'enp1s0' (guest 'g1'): "
	   "Operation not permitted\n" WARN_LINE,
	 3},
	{"EPERM on spoofchk, fail", VF_ATTR_SPOOFCHK, -NLE_PERM, META("on-error='fail'"), 1,
	 E "failed to set spoofchk off on VF 0 (0000:01:10.0) of PF 'enp1s0' (guest 'g1'): "
	   "Operation not permitted\n",
	 4},
	/* the PF vanishes after the kernel applied spoofchk, before trust */
	{"PF gone mid-port, warn", VF_ATTR_TRUST, -NLE_NODEV, NULL, 0,
	 E "failed to set trust on on VF 0 (0000:01:10.0) of PF 'enp1s0' (guest 'g1'): No such "
	   "device\n" WARN_LINE,
	 2},
	{"PF gone mid-port, fail", VF_ATTR_TRUST, -NLE_NODEV, META("on-error='fail'"), 1,
	 E "failed to set trust on on VF 0 (0000:01:10.0) of PF 'enp1s0' (guest 'g1'): No such "
	   "device\n",
	 3},
};

static void test_netlink_faults(void **state)
{
	for (size_t i = 0; i < sizeof(nl_cases) / sizeof(nl_cases[0]); i++) {
		const struct nl_case *c = &nl_cases[i];
		struct nettest *t;
		char *doc = doc_with("port-created", c->policy), *rec, *want;
		char *sys_before, *sys_after;

		print_message("# %s\n", c->name);
		setup(state);
		t = *state;
		fakenl_fail_attr(c->attr, c->nle, -1);
		sys_before = test_snapshot(t->fs.root);
		run(t, "port-created", "begin", doc, c->status, c->log);
		sys_after = test_snapshot(t->fs.root);
		assert_string_equal(sys_after, sys_before);
		assert_int_equal(fakenl_n_requests(), c->requests);
		rec = nettest_read_record(t, NT_VF0);
		if (c->status == 0) {
			/* warn: the record was committed before the first change, whole, with
			 * the originals, so port-deleted can undo what did apply */
			want = nettest_expected_record(0, NT_NET, NT_NET_UUID, NT_PORT_UUID,
						       NT_OWNER, NT_OWNER_UUID, DEFAULT_TAIL);
			assert_non_null(rec);
			assert_string_equal(rec, want);
			free(want);
		} else {
			struct vf_settings s;

			/* fail: the port is refused and libvirt runs no port-deleted for it, so
			 * what did apply was rolled back (one more request) and the record
			 * dropped: the VF is as it was found */
			assert_null(rec);
			fakenl_get_vf(FAKE_PF, 0, &s);
			assert_int_equal(s.v[VF_ATTR_SPOOFCHK], 1);
			assert_int_equal(s.v[VF_ATTR_TRUST], 0);
		}
		assert_records_whole(t);
		free(rec);
		free(sys_before);
		free(sys_after);
		free(doc);
		teardown(state);
	}
}

/* --- sysfs: the write to sriov_numvfs fails --- */

struct numvfs_case {
	const char *name;
	int err;
	const char *strerr;
};

static const struct numvfs_case numvfs_cases[] = {
	{"EBUSY", EBUSY, "Device or resource busy"},
	{"EINVAL", EINVAL, "Invalid argument"},
	{"ENOSPC", ENOSPC, "No space left on device"},
	{"ENOMEM", ENOMEM, "Cannot allocate memory"},
	/* the PF was removed after it was found and read */
	{"ENODEV", ENODEV, "No such device"},
};

static void test_numvfs_write_faults(void **state)
{
	for (size_t i = 0; i < sizeof(numvfs_cases) / sizeof(numvfs_cases[0]); i++) {
		const struct numvfs_case *c = &numvfs_cases[i];
		struct nettest *t;
		char *doc = nettest_load("start-begin"), *log, *st;

		print_message("# %s\n", c->name);
		setup0(state);
		t = *state;
		robust_fault(ROBUST_WRITE, "/" NUMVFS_REL, c->err);
		log = test_strdup_printf(E "writing 7 to sriov_numvfs of PF 'enp1s0' (0000:01:00.0) "
					   "failed: %s; see the kernel log (dmesg) for the driver's "
					   "reason\n",
					 c->strerr);
		run(t, "start", "begin", doc, 1, log);
		assert_int_equal(robust_hits(ROBUST_WRITE), 1);
		/* no record, no override: only the PF's lock file */
		st = test_snapshot(t->state_dir);
		assert_non_null(strstr(st, "/lock/" FAKE_PF_BDF " "));
		assert_null(strstr(st, "/vf/0"));
		assert_int_equal(fakenl_n_requests(), 0);
		free(st);
		free(log);
		free(doc);
		teardown(state);
	}
}

/* --- the state directory: full, read-only --- */

static void test_state_full(void **state)
{
	static const struct {
		const char *policy;
		int status;
		const char *tail;
	} v[] = {{NULL, 0, WARN_LINE}, {META("on-error='fail'"), 1, ""}};

	for (size_t i = 0; i < 2; i++) {
		struct nettest *t;
		char *doc = doc_with("port-created", v[i].policy), *log;

		setup(state);
		t = *state;
		/* the temporary record cannot be written: nothing changes */
		robust_fault(ROBUST_WRITE, "/vf/", ENOSPC);
		log = test_strdup_printf(E "cannot save the original state of VF 0 (0000:01:10.0) in "
					   "%s: No space left on device; nothing changed\n%s",
					 t->state_dir, v[i].tail);
		run(t, "port-created", "begin", doc, v[i].status, log);
		assert_true(robust_hits(ROBUST_WRITE) >= 1);
		assert_null(nettest_read_record(t, NT_VF0));
		assert_records_whole(t);
		assert_int_equal(fakenl_n_requests(), 0);
		free(log);
		free(doc);
		teardown(state);
	}
}

static void test_state_read_only(void **state)
{
	struct nettest *t;
	char *doc = nettest_load("port-created"), *log, *before, *after;

	setup(state);
	t = *state;
	/* a state directory that exists (an earlier run made it), on a file system remounted
	 * read-only: creating the lock file is the first write */
	nettest_seed_record(t, 3, NT_NET, NT_NET_UUID, "11111111-2222-4333-8444-555555555555", 1, 0);
	before = test_snapshot(t->state_dir);
	robust_fault(ROBUST_OPEN_CREAT, t->state_dir, EROFS);
	log = test_strdup_printf(E "cannot lock PF 'enp1s0' (0000:01:00.0) in %s: Read-only file "
				   "system\n" WARN_LINE,
				 t->state_dir);
	run(t, "port-created", "begin", doc, 0, log);
	after = test_snapshot(t->state_dir);
	assert_string_equal(after, before);
	assert_int_equal(fakenl_n_requests(), 0);
	free(log);
	free(before);
	free(after);
	free(doc);
	teardown(state);
}

/* --- invariant: a non-zero sriov_numvfs is never rewritten --- */

static void test_numvfs_never_rewritten(void **state)
{
	static const char *const policies[] = {
		NULL, META("vfs='max'"), META("vfs='1'"), META("vfs='4'"), META("vfs='7'"),
	};
	static const char *const names[] = {"default", "max", "1", "4", "7"};
	static const uint32_t current[] = {0, 1, 4, 7};

	for (size_t c = 0; c < sizeof(current) / sizeof(current[0]); c++)
		for (size_t p = 0; p < sizeof(policies) / sizeof(policies[0]); p++) {
			struct nettest *t;
			char *doc = doc_with("start-begin", policies[p]), *log = NULL;
			struct run r;
			size_t out = 1;
			int status;

			setup_n(state, current[c]);
			t = *state;
			robust_count("/" NUMVFS_REL);
			r = (struct run){t, "start", "begin", doc, NULL};
			status = robust_no_stdout(run_cb, &r, &out);
			log = r.log;
			assert_int_equal(out, 0);
			assert_int_equal(status, 0);
			print_message("# numvfs %u, policy %s: %u write(s)\n", current[c],
				      names[p], robust_counted());
			assert_int_equal(robust_counted(), current[c] == 0 ? 1 : 0);
			free(log);
			free(doc);
			teardown(state);
		}
}

/* --- invariant: a VF owned by another port (or network) is never restored --- */

static void test_other_owner_never_restored(void **state)
{
	struct nettest *t = *state;
	char *deleted = nettest_load("port-deleted"), *stopped = nettest_load("stopped");
	char *other_port = nettest_replace(deleted, NT_PORT_UUID,
					   "11111111-2222-4333-8444-555555555555");
	char *other_net = nettest_replace(stopped, NT_NET_UUID,
					  "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f");
	char *vfdir = test_strdup_printf("%s/vf", t->state_dir), *before, *after;

	/* VF 0 belongs to port NT_PORT_UUID of pool1 and carries our settings */
	nettest_seed_record(t, 0, NT_NET, NT_NET_UUID, NT_PORT_UUID, 1, 0);
	fakenl_set_vf(FAKE_PF, 0, 0, 1);
	/* (the PF's lock file may appear: taking the lock to look is no restore) */
	before = test_snapshot(vfdir);
	/* another port's port-deleted for the same VF (libvirt re-assigned it) */
	run(t, "port-deleted", "begin", other_port, 0, "");
	/* another network's stop */
	run(t, "stopped", "end", other_net, 0, "");
	after = test_snapshot(vfdir);
	assert_string_equal(after, before);
	assert_int_equal(fakenl_n_requests(), 0);
	free(after);
	free(before);
	free(vfdir);
	free(other_port);
	free(other_net);
	free(deleted);
	free(stopped);
}

/* --- invariant: qemu "reconnect" never exits non-zero, whatever fails --- */

struct qrun {
	struct nettest *t;
	enum qemu_op op;
	const char *doc;
	char *log;
};

static int qrun_cb(void *arg)
{
	struct qrun *r = arg;

	capture_start();
	r->log = NULL;
	{
		enum on_error on_error;
		int q = qemuhook_run(&r->t->ctx, r->op, NT_OWNER, r->doc, strlen(r->doc), &on_error);

		r->log = capture_end();
		return qemuhook_exit_status(r->op, q, on_error);
	}
}

/* VF 0 belongs to g1's pool port, its policy on-error='fail' and wanting spoofchk off, trust on;
 * the driver reset it since (spoofchk on, trust off), so a re-assertion has to send. */
static void seed_fail_record(struct nettest *t)
{
	struct vf_record r;
	struct pci_addr a;
	int fd = -1;

	nettest_seed_record(t, 0, NT_NET, NT_NET_UUID, NT_PORT_UUID, 1, 0);
	assert_int_equal(state_open(t->state_dir, false, &fd), 0);
	assert_int_equal(pci_addr_parse(NT_VF0, &a), 0);
	assert_int_equal(state_load(fd, &a, &r), 0);
	vf_settings_init(&r.want);
	r.want.v[VF_ATTR_SPOOFCHK] = 0;
	r.want.v[VF_ATTR_TRUST] = 1;
	r.on_error = ON_ERROR_FAIL;
	assert_int_equal(state_save(fd, &r), 0);
	close(fd);
}

static void test_reconnect_never_fails(void **state)
{
	static const char *const names[] = {
		"EPERM on trust", "EBUSY on RTM_GETLINK", "state directory read-only",
		"state directory full", "PF gone from sysfs",
	};
	char *path = test_strdup_printf("%s/qemu/start-pool-vf.xml", TEST_DATA_DIR);
	char *doc = test_read_file(path, NULL);

	assert_non_null(doc);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		enum qemu_op ops[] = {QEMU_OP_START_BEGIN, QEMU_OP_RECONNECT_BEGIN};

		for (size_t k = 0; k < 2; k++) {
			struct nettest *t;
			struct qrun r;
			size_t out = 1;
			int status;

			setup(state);
			t = *state;
			seed_fail_record(t);
			switch (i) {
			case 0:
				fakenl_fail_attr(VF_ATTR_TRUST, -NLE_PERM, -1);
				break;
			case 1:
				fakenl_fail_getlink(-NLE_BUSY);
				break;
			case 2:
				robust_fault(ROBUST_OPEN_CREAT, t->state_dir, EROFS);
				break;
			case 3:
				robust_fault(ROBUST_WRITE, "/vf/", ENOSPC);
				break;
			case 4: {
				char *pf = fakesys_path(&t->fs, "bus/pci/devices/" FAKE_PF_BDF "/net");
				char *cmd = test_strdup_printf("rm -rf '%s'", pf);

				assert_int_equal(system(cmd), 0);
				free(cmd);
				free(pf);
				break;
			}
			}
			r = (struct qrun){t, ops[k], doc, NULL};
			status = robust_no_stdout(qrun_cb, &r, &out);
			print_message("# %s, %s: exit %d\n", names[i], k ? "reconnect" : "start",
				      status);
			assert_int_equal(out, 0);
			assert_non_null(strstr(r.log, "libvirt-sriov-hooks: error: guest 'g1': "));
			if (ops[k] == QEMU_OP_RECONNECT_BEGIN) {
				assert_int_equal(status, 0);
				assert_non_null(strstr(r.log,
						       "libvirt-sriov-hooks: warning: guest 'g1': left "
						       "running although its VF policy could not be "
						       "re-asserted (see the errors above)\n"));
			} else {
				assert_int_equal(status, 1); /* on-error='fail': the start fails */
			}
			assert_records_whole(t);
			free(r.log);
			teardown(state);
		}
	}
	free(doc);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netlink_faults),
		cmocka_unit_test(test_numvfs_write_faults),
		cmocka_unit_test(test_state_full),
		cmocka_unit_test(test_state_read_only),
		cmocka_unit_test(test_numvfs_never_rewritten),
		cmocka_unit_test_setup_teardown(test_other_owner_never_restored, setup, teardown),
		cmocka_unit_test(test_reconnect_never_fails),
	};

	return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
