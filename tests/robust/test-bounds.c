/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Hostile conditions, each a reproduction of a way the hooks once broke (issue 14), run through the
 * real pipeline (nethook_run, qemuhook_run) on the standard fake tree and fake kernel:
 *   - one deadline per run: a stuck PF lock costs a run its budget once, not once per VF;
 *   - prepare follows on-error when its overrides cannot be recorded;
 *   - a FIFO in the state directory or as the host file never blocks a hook; symlinked lock/,
 *     vf/ and guest/ folders are never followed;
 *   - a record that cannot be used is named at stopped end;
 *   - a near miss of our namespace is named;
 *   - temporary files of killed writers are removed; a garbled sriov_totalvfs is named as such.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "fakenl.h"
#include "hook.h"
#include "nettest.h"
#include "policy.h"
#include "qemuhook.h"
#include "testutil.h"

/* What a bounded run may take here, above its budget: generous, for a machine loaded by other
 * jobs or valgrind (4.1 s seen under both), and still far below what each bound rules out (a
 * 20 s lock wait per record, a FIFO read that never returns). */
#define SLACK_MS 10000

#define E "libvirt-sriov-hooks: error: "
#define W "libvirt-sriov-hooks: warning: "

static int setup(void **state)
{
	struct nettest *t = calloc(1, sizeof(*t));

	nettest_setup(t, 4, false);
	t->ctx.conf_path = "/nonexistent/libvirt-sriov-hooks.conf";
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	nettest_teardown(*state);
	free(*state);
	return 0;
}

static int run_qemu(struct nettest *t, const char *op, const char *sub, const char *doc,
		    char **ret_log)
{
	return nettest_run_qemu(t, op, sub, doc, strlen(doc), ret_log);
}

#define load_qemu nettest_load_qemu

static unsigned count_lines(const char *s, const char *prefix)
{
	unsigned n = 0;

	for (const char *p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
	return n;
}

static char *state_path(const struct nettest *t, const char *rel)
{
	return test_strdup_printf("%s/%s", t->state_dir, rel);
}

/* Every VF of enp1s0 back on igbvf: no guest holds one. */
static void guests_gone(struct nettest *t)
{
	for (uint32_t i = 0; i < FAKE_PF_TOTALVFS; i++) {
		char bdf[16];

		fakesys_igb_vf_bdf(1, i, bdf);
		fakesys_bind(&t->fs, bdf, "igbvf");
	}
}

/* Another hook holding enp1s0's lock: an open file of our own with flock on it. */
static int hold_pf_lock(const struct nettest *t)
{
	char *dir = state_path(t, "lock"), *path = state_path(t, "lock/" FAKE_PF_BDF);
	int fd;

	mkdir(t->state_dir, 0700);
	mkdir(dir, 0700);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	free(dir);
	free(path);
	return fd;
}

/* 1. A stuck lock and a network with four records: one wait, bounded by the run's deadline. */
static void test_stuck_lock_costs_one_wait(void **state)
{
	struct nettest *t = *state;
	char *doc = nettest_load("stopped"), *log, *want;
	uint64_t start, ms;
	int lock;

	for (uint32_t i = 0; i < 4; i++)
		nettest_seed_record(t, i, NT_NET, NT_NET_UUID, NT_PORT_UUID, 1, 0);
	guests_gone(t);
	lock = hold_pf_lock(t);

	start = hook_now_ms();
	t->ctx.deadline_ms = start + 400;
	assert_int_equal(nettest_run(t, "stopped", "end", doc, strlen(doc), &log), 1);
	ms = hook_now_ms() - start;
	print_message("# stopped end, 4 records, stuck lock, 400 ms budget: %llu ms\n",
		      (unsigned long long)ms);
	/* before: 20 s per recorded VF (80 s here) */
	assert_true(ms >= 350 && ms < SLACK_MS);
	/* one message, naming the PF and the holder */
	assert_int_equal(count_lines(log, E), 1);
	want = test_strdup_printf(E "network 'pool1': PF 'enp1s0' (0000:01:00.0) stayed locked by "
				    "another hook (pid %d: ",
				  (int)getpid());
	assert_memory_equal(log, want, strlen(want));
	assert_non_null(strstr(log, "test-bounds"));
	assert_non_null(strstr(log, "/lock/0000:01:00.0\n"));
	/* nothing sent, every record kept for a later try */
	assert_int_equal(fakenl_n_requests(), 0);
	for (uint32_t i = 0; i < 4; i++) {
		char bdf[16], *rec;

		fakesys_igb_vf_bdf(1, i, bdf);
		rec = nettest_read_record(t, bdf);
		assert_non_null(rec);
		free(rec);
	}
	close(lock);
	free(want);
	free(log);
	free(doc);
}

/* 1. reconnect of a guest with two VFs on a stuck lock: one wait, and exit 0. */
static void test_stuck_lock_reconnect(void **state)
{
	struct nettest *t = *state;
	char *doc = load_qemu("start-pool-vf"), *log;
	uint64_t start, ms;
	int lock;

	nettest_seed_record(t, 0, NT_NET, NT_NET_UUID, NT_PORT_UUID, 1, 0);
	nettest_seed_record(t, 2, NT_NET, NT_NET_UUID, "7c3b6b52-2f0e-44a4-9d3c-0a4e1b5f2c77", 1, 0);
	lock = hold_pf_lock(t);
	start = hook_now_ms();
	t->ctx.deadline_ms = start + 300;
	assert_int_equal(run_qemu(t, "reconnect", "begin", doc, &log), 0);
	ms = hook_now_ms() - start;
	print_message("# reconnect, stuck lock, 300 ms budget: %llu ms\n", (unsigned long long)ms);
	assert_true(ms < SLACK_MS);
	assert_true(count_lines(log, E) <= 1);
	assert_int_equal(fakenl_n_requests(), 0);
	close(lock);
	free(log);
	free(doc);
}

/* 3. prepare, the state directory unusable: on-error='warn' starts the guest, 'fail' does not. */
static void test_prepare_follows_on_error(void **state)
{
	struct nettest *t = *state;
	char *fail = load_qemu("prepare-override"), *warn, *log, *want;

	/* the state directory's place is taken by a file */
	assert_int_equal(test_write_file(t->state_dir, "not a directory\n"), 0);
	warn = nettest_replace(fail, "on-error=\"fail\"", "on-error=\"warn\"");
	assert_int_equal(run_qemu(t, "prepare", "begin", warn, &log), 0);
	want = test_strdup_printf(W "guest 'g1': cannot record its VF overrides in %s/guest: Not a "
				    "directory; its pool VFs get their pools' policy "
				    "(on-error='warn')\n",
				  t->state_dir);
	assert_string_equal(log, want);
	free(want);
	free(log);
	assert_int_equal(run_qemu(t, "prepare", "begin", fail, &log), 1);
	assert_int_equal(count_lines(log, E "guest 'g1': cannot record its VF overrides in "), 1);
	free(log);
	free(warn);
	free(fail);
}

/* 4. FIFOs where our files are: refused at once, never waited on. */
static void test_fifos_never_block(void **state)
{
	struct nettest *t = *state;
	char *doc, *log, *path, *dir;
	uint64_t start = hook_now_ms();

	/* a record */
	nettest_seed_record(t, 0, NT_NET, NT_NET_UUID, NT_PORT_UUID, 1, 0);
	path = nettest_record_path(t, NT_VF0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	doc = nettest_load("port-deleted");
	assert_int_equal(nettest_run(t, "port-deleted", "begin", doc, strlen(doc), &log), 1);
	assert_non_null(strstr(log, E "network 'pool1': cannot use the record of VF 0000:01:10.0 in "));
	free(log);
	free(doc);
	free(path);

	/* a guest's overrides */
	dir = state_path(t, "guest");
	mkdir(dir, 0700);
	path = state_path(t, "guest/" NT_OWNER_UUID);
	assert_int_equal(mkfifo(path, 0600), 0);
	doc = nettest_load("port-created-vf-list");
	assert_int_equal(nettest_run(t, "port-created", "begin", doc, strlen(doc), &log), 0);
	assert_non_null(strstr(log, E "network 'pool1': cannot read the overrides of guest 'g1' in "));
	free(log);
	free(doc);
	free(path);
	free(dir);

	/* the host file */
	path = test_strdup_printf("%s/host.conf", t->tmp);
	assert_int_equal(mkfifo(path, 0600), 0);
	t->ctx.conf_path = path;
	doc = load_qemu("start-direct-hostdev");
	assert_int_equal(run_qemu(t, "start", "begin", doc, &log), 1);
	assert_non_null(strstr(log, ": cannot read: File descriptor in bad state; fix the host file\n"));
	free(log);
	free(doc);
	t->ctx.conf_path = "/nonexistent/libvirt-sriov-hooks.conf";
	free(path);

	assert_true(hook_now_ms() - start < SLACK_MS);
}

/* 4. lock/, vf/ and guest/ as symbolic links to elsewhere: never followed, nothing written there. */
static void test_symlinked_folders(void **state)
{
	struct nettest *t = *state;
	char *outside = test_strdup_printf("%s/outside", t->tmp), *doc, *log, *link;
	struct dirent *de;
	DIR *d;
	const char *folders[] = {"lock", "vf", "guest"};

	assert_int_equal(mkdir(outside, 0700), 0);
	assert_int_equal(mkdir(t->state_dir, 0700), 0);
	for (size_t i = 0; i < 3; i++) {
		link = state_path(t, folders[i]);
		assert_int_equal(symlink(outside, link), 0);
		free(link);
	}
	doc = load_qemu("prepare-override");
	assert_int_equal(run_qemu(t, "prepare", "begin", doc, &log), 1); /* on-error='fail' */
	free(log);
	free(doc);
	doc = nettest_load("port-created");
	nettest_run(t, "port-created", "begin", doc, strlen(doc), &log);
	assert_non_null(strstr(log, E));
	free(log);
	free(doc);
	/* nothing was written through the links */
	d = opendir(outside);
	assert_non_null(d);
	while ((de = readdir(d)))
		assert_true(strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0);
	closedir(d);
	assert_int_equal(fakenl_n_requests(), 0);
	free(outside);
}

/* 5. A record that cannot be used is named at stopped end, not skipped in silence. */
static void test_unusable_record_named(void **state)
{
	struct nettest *t = *state;
	char *doc = nettest_load("stopped"), *log, *path;

	nettest_seed_record(t, 0, NT_NET, NT_NET_UUID, NT_PORT_UUID, 1, 0);
	path = nettest_record_path(t, "0000:01:10.2");
	assert_int_equal(test_write_file(path, "version=1\nvf=0000:01"), 0); /* torn */
	guests_gone(t);
	assert_int_equal(nettest_run(t, "stopped", "end", doc, strlen(doc), &log), 0);
	assert_non_null(strstr(log, W "network 'pool1': the record of VF 0000:01:10.2 in "));
	assert_int_equal(count_lines(log, W), 1);
	free(path);
	path = nettest_record_path(t, NT_VF0);
	assert_false(test_exists(path)); /* VF 0 restored, its record dropped */
	free(path);
	free(log);
	free(doc);
}

/* 6. net-destroy left a running guest's pool VF as it was; the guest's release puts it back. */
static void test_release_restores_what_net_destroy_left(void **state)
{
	struct nettest *t = *state;
	char *stopped = nettest_load("stopped"), *release = load_qemu("release"), *log, *path;

	nettest_seed_record(t, 0, NT_NET, NT_NET_UUID, NT_PORT_UUID, 1, 0);
	fakenl_set_vf(FAKE_PF, 0, 0, 1); /* the pool's policy, as port-created set it */
	/* net-destroy, the guest running (its VF on vfio-pci): left alone */
	assert_int_equal(nettest_run(t, "stopped", "end", stopped, strlen(stopped), &log), 0);
	free(log);
	assert_int_equal(fakenl_n_requests(), 0);
	path = nettest_record_path(t, NT_VF0);
	assert_true(test_exists(path));
	/* the guest stops: libvirt gives the VF back to igbvf, then runs release */
	guests_gone(t);
	assert_int_equal(run_qemu(t, "release", "end", release, &log), 0);
	assert_string_equal(log, "");
	assert_int_equal(fakenl_n_requests(), 1);
	nettest_assert_spoofchk_trust(0, NT_PF_IFINDEX, 0, 1, 0);
	assert_false(test_exists(path));
	free(path);
	free(log);
	free(release);
	free(stopped);
}

/* 8. One letter off our namespace: named, so manage='no' does not silently become the defaults. */
static void test_namespace_near_miss(void **state)
{
	struct nettest *t = *state;
	char *doc = nettest_load("start-begin-manage-no");
	char *typo = nettest_replace(doc, "urn:libvirt-sriov-hooks:1", "urn:libvirt-sriov-hook:1");
	char *log;

	nettest_run(t, "start", "begin", typo, strlen(typo), &log);
	assert_non_null(strstr(log, W "network 'pool1': <metadata> has an element in the namespace "
				      "'urn:libvirt-sriov-hook:1', which is not ours "
				      "('urn:libvirt-sriov-hooks:1'): it is ignored and the defaults "
				      "apply. Correct it with 'virsh net-edit pool1'\n"));
	free(log);
	/* the right one: no warning */
	assert_int_equal(nettest_run_expect(t, "start", "begin", doc, ""), 0);
	free(typo);
	free(doc);
}

/* 11. Temporary files of killed writers are removed by the next writer of the same file. */
static void test_stale_temporary_files(void **state)
{
	struct nettest *t = *state;
	char *doc = load_qemu("prepare-override"), *log, *dir, *stale, *other, *listing;

	dir = state_path(t, "guest");
	mkdir(t->state_dir, 0700);
	mkdir(dir, 0700);
	stale = state_path(t, "guest/" NT_OWNER_UUID ".tmp.99999999");
	other = state_path(t, "guest/11111111-2222-3333-4444-555555555555.tmp.99999999");
	assert_int_equal(test_write_file(stale, "version=1\n"), 0);
	assert_int_equal(test_write_file(other, "version=1\n"), 0);
	assert_int_equal(run_qemu(t, "prepare", "begin", doc, &log), 0);
	assert_string_equal(log, "");
	assert_false(test_exists(stale));
	assert_true(test_exists(other)); /* another guest's: its own prepare removes it */
	listing = test_snapshot(dir);
	assert_non_null(strstr(listing, NT_OWNER_UUID " "));
	free(listing);
	free(log);
	free(stale);
	free(other);
	free(dir);
	free(doc);
}

/* 11. Garbage in sriov_totalvfs is reported as that file, not as sriov_numvfs. */
static void test_garbled_totalvfs(void **state)
{
	struct nettest *t = *state;
	char *doc = nettest_load("start-begin");

	fakesys_write(&t->fs, "bus/pci/devices/" FAKE_PF_BDF "/sriov_totalvfs", "seven\n");
	assert_int_equal(nettest_run_expect(t, "start", "begin", doc,
					    E "network 'pool1': cannot read sriov_totalvfs of PF "
					      "'enp1s0' (0000:01:00.0): Invalid argument\n"),
			 1);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stuck_lock_costs_one_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stuck_lock_reconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_follows_on_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifos_never_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinked_folders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unusable_record_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_restores_what_net_destroy_left, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_namespace_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_temporary_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbled_totalvfs, setup, teardown),
	};

	return cmocka_run_group_tests_name("bounds", tests, NULL, NULL);
}
