/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * 32 network hooks at once on one PF, as forked processes (libvirt runs a hook per event; two
 * daemons may run them in parallel), against one fake sysfs tree, one state directory and one
 * fake kernel shared between the processes (fakenl.c keeps its state in shared memory, and adds a
 * random delay to each answer here): half "start begin", half "port-created" spread over the PF's
 * 7 VFs, all released at the same instant.
 *
 * sriov_numvfs: a regular file cannot count its writers, so this program wraps
 * sysfs_pci_write_numvfs (apply.c's only way to write it) with a counter in shared memory; the
 * wrapper writes the file atomically (temp + rename), since a plain write truncates first and a
 * concurrent reader would see "" (real sysfs cannot show that).
 *
 * Also: a hook killed between writing a record's temporary file and renaming it over the record
 * (robust.c kills it at renameat) leaves the old record intact, and the next run completes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "fakenl.h"
#include "fakesys.h"
#include "hook.h"
#include "macro.h"
#include "nethook.h"
#include "robust.h"
#include "state.h"
#include "sysfs.h"
#include "testutil.h"

#define N_PROCS 32
#define PF_IFINDEX 3
#define NET_UUID "56380527-2c38-4bbe-9d8c-506167e5a692"
#define OWNER_UUID "723da1c4-8803-482b-b241-4bf728c256df"

static struct shared {
	unsigned numvfs_writes;
	int go;
	int done[N_PROCS];
	int status[N_PROCS];
	char log[N_PROCS][512];
} *sh;

int __real_sysfs_pci_write_numvfs(int root, const struct pci_addr *pf, uint32_t n);
int __wrap_sysfs_pci_write_numvfs(int root, const struct pci_addr *pf, uint32_t n);
int __wrap_sysfs_pci_write_numvfs(int root, const struct pci_addr *pf, uint32_t n)
{
	char a[PCI_ADDR_STRLEN], path[96], tmp[128], buf[16];
	int fd, len;

	__atomic_add_fetch(&sh->numvfs_writes, 1, __ATOMIC_SEQ_CST);
	pci_addr_format(pf, a);
	snprintf(path, sizeof(path), "bus/pci/devices/%s/sriov_numvfs", a);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	len = snprintf(buf, sizeof(buf), "%u", n);
	fd = openat(root, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)len) != len) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return renameat(root, tmp, root, path) < 0 ? -errno : 0;
}

/* The PF with its 7 VFs as igb leaves them (spoofchk on, trust off), answering after a jitter. */
static void kernel_init(void)
{
	fakenl_reset();
	fakenl_add_pf(FAKE_PF, PF_IFINDEX, FAKE_PF_TOTALVFS);
	fakenl_set_jitter(true);
}

struct fixture {
	struct fakesys fs;
	char *tmp, *state_dir;
	struct hook_ctx ctx;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!sh) {
		sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
			  0);
		assert_true(sh != MAP_FAILED);
	}
	memset(sh, 0, sizeof(*sh));
	robust_init();
	fakesys_standard(&f->fs, 0);
	kernel_init();
	f->tmp = test_mkdtemp("robust-conc");
	f->state_dir = test_strdup_printf("%s/state", f->tmp);
	f->ctx = (struct hook_ctx){.sysfs = f->fs.fd, .state_dir = f->state_dir};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fakesys_free(&f->fs);
	test_rm_rf(f->tmp);
	free(f->tmp);
	free(f->state_dir);
	free(f);
	return 0;
}

/* The port UUID of VF n's port: one port per VF. */
static void port_uuid(unsigned n, char buf[UUID_STRLEN])
{
	snprintf(buf, UUID_STRLEN, "62f3066b-c2ed-43b0-9cd3-faa5228560%02x", n & 0xffu);
}

static char *load(const char *name)
{
	char *path = test_strdup_printf("%s/network/%s.xml", TEST_DATA_DIR, name);
	char *s = test_read_file(path, NULL);

	assert_non_null(s);
	free(path);
	return s;
}

static char *replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	char *out;

	assert_non_null(p);
	out = test_strdup_printf("%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
	return out;
}

/* port-created for VF n of enp1s0 (igb: VF n at slot 0x10 + n/4, function 2*(n%4)). */
static char *port_doc(unsigned n, const char *port)
{
	char *doc = load("port-created"), *a, *b, plug[160];
	unsigned devfn = 0x80 + 2 * n;

	snprintf(plug, sizeof(plug),
		 "<address domain='0x0000' bus='0x01' slot='0x%02x' function='0x%x'/>\n    </plug>",
		 devfn >> 3, devfn & 7);
	a = replace(doc, "<address domain='0x0000' bus='0x01' slot='0x10' function='0x0'/>\n"
			 "    </plug>",
		    plug);
	b = replace(a, "62f3066b-c2ed-43b0-9cd3-faa5228560b6", port);
	free(doc);
	free(a);
	return b;
}

/* In a child: run one hook, keep its exit status and log in shared memory. */
static int child_run(struct fixture *f, unsigned slot, enum net_op op, const char *doc)
{
	enum on_error on_error;
	char *log;
	int status;

	capture_start();
	status = nethook_run(&f->ctx, op, "pool1", doc, strlen(doc), &on_error);
	status = nethook_exit_status(status, on_error);
	log = capture_end();
	snprintf(sh->log[slot], sizeof(sh->log[slot]), "%s", log);
	free(log);
	return status;
}

static void test_32_at_once(void **state)
{
	struct fixture *f = *state;
	char *start = load("start-begin"), *docs[FAKE_PF_TOTALVFS], uuid[UUID_STRLEN];
	pid_t pids[N_PROCS];
	_cleanup_free_ struct vf_record *recs = NULL;
	int dirfd = -1, n;

	for (unsigned v = 0; v < FAKE_PF_TOTALVFS; v++) {
		port_uuid(v, uuid);
		docs[v] = port_doc(v, uuid);
	}
	for (unsigned i = 0; i < N_PROCS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			int status;

			while (!__atomic_load_n(&sh->go, __ATOMIC_SEQ_CST))
				usleep(100);
			if (i % 2 == 0)
				status = child_run(f, i, NET_OP_START_BEGIN, start);
			else
				status = child_run(f, i, NET_OP_PORT_CREATED,
						   docs[(i / 2) % FAKE_PF_TOTALVFS]);
			sh->status[i] = status;
			__atomic_store_n(&sh->done[i], 1, __ATOMIC_SEQ_CST);
			/* The hook's status is in shared memory; end without exit handlers: under
			 * valgrind, a forked child's own leak check counts libnl's constructor
			 * allocations as lost and would turn the exit status into 1. A memory error
			 * still shows: ASan aborts the child, which is then not SIGKILLed. */
			raise(SIGKILL);
			_exit(99);
		}
	}
	__atomic_store_n(&sh->go, 1, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < N_PROCS; i++) {
		int ws;

		assert_int_equal(waitpid(pids[i], &ws, 0), pids[i]);
		if (!WIFSIGNALED(ws) || WTERMSIG(ws) != SIGKILL || !sh->done[i] || sh->status[i] ||
		    sh->log[i][0])
			fail_msg("hook %u (%s): wait status 0x%x, done %d, exit status %d, log: %s",
				 i, i % 2 ? "port-created" : "start begin", ws, sh->done[i],
				 sh->status[i], sh->log[i]);
	}

	/* sriov_numvfs written exactly once, and to the PF's total */
	assert_int_equal(sh->numvfs_writes, 1);
	{
		char *v = fakesys_read(&f->fs, "bus/pci/devices/" FAKE_PF_BDF "/sriov_numvfs");

		assert_string_equal(v, "7");
		free(v);
	}
	/* every VF: set once, its record names its port and the true originals (a lost update
	 * would record the hook's own values as originals: spoofchk 0, trust 1) */
	assert_int_equal(state_open(f->state_dir, false, &dirfd), 0);
	n = state_list(dirfd, &recs);
	assert_int_equal(n, FAKE_PF_TOTALVFS);
	for (int i = 0; i < n; i++) {
		struct vf_settings s;
		char vf[16];

		fakesys_igb_vf_bdf(1, (uint32_t)i, vf);
		port_uuid((unsigned)i, uuid);
		{
			char a[PCI_ADDR_STRLEN];

			assert_string_equal(pci_addr_format(&recs[i].vf, a), vf);
		}
		assert_int_equal(recs[i].index, i);
		assert_string_equal(recs[i].port_uuid, uuid);
		assert_string_equal(recs[i].network_uuid, NET_UUID);
		assert_string_equal(recs[i].owner_uuid, OWNER_UUID);
		assert_int_equal(recs[i].orig.v[VF_ATTR_SPOOFCHK], 1);
		assert_int_equal(recs[i].orig.v[VF_ATTR_TRUST], 0);
		assert_int_equal(recs[i].want.v[VF_ATTR_SPOOFCHK], 0);
		assert_int_equal(recs[i].want.v[VF_ATTR_TRUST], 1);
		fakenl_get_vf(FAKE_PF, (unsigned)i, &s);
		assert_int_equal(s.v[VF_ATTR_SPOOFCHK], 0);
		assert_int_equal(s.v[VF_ATTR_TRUST], 1);
	}
	/* one request per VF, carrying both attributes, sent once: the replays sent nothing */
	assert_int_equal(fakenl_n_requests(), FAKE_PF_TOTALVFS);
	close(dirfd);
	/* no temporary file left behind */
	{
		char *vfdir = test_strdup_printf("%s/vf", f->state_dir);
		char *listing = test_snapshot(vfdir);

		assert_null(strstr(listing, ".tmp"));
		free(listing);
		free(vfdir);
	}
	for (unsigned v = 0; v < FAKE_PF_TOTALVFS; v++)
		free(docs[v]);
	free(start);
}

/* Killed after the temporary record is written, before the rename that commits it. */
static void test_killed_before_rename(void **state)
{
	struct fixture *f = *state;
	char old_port[UUID_STRLEN], new_port[UUID_STRLEN], *doc, *path, *before, *after;
	pid_t pid;
	int ws, dirfd = -1;
	_cleanup_free_ struct vf_record *recs = NULL;
	struct vf_settings s;

	/* VF 0 belongs to port A (originals spoofchk 1, trust 0); port B now gets it */
	port_uuid(0, old_port);
	port_uuid(0x42, new_port);
	doc = port_doc(0, old_port);
	assert_int_equal(child_run(f, 0, NET_OP_PORT_CREATED, doc), 0);
	free(doc);
	path = test_strdup_printf("%s/vf/" "0000:01:10.0", f->state_dir);
	before = test_read_file(path, NULL);
	assert_non_null(before);
	/* the driver reset the VF since, so port B's hook has something to send */
	kernel_init();

	doc = port_doc(0, new_port);
	robust_fault(ROBUST_RENAME, "/vf/0000:01:10.0", ROBUST_KILL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_run(f, 0, NET_OP_PORT_CREATED, doc));
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
	assert_int_equal(robust_hits(ROBUST_RENAME), 1);
	robust_clear();

	/* the old record, byte for byte; the torn temporary file is never read as a record */
	after = test_read_file(path, NULL);
	assert_string_equal(after, before);
	free(after);
	assert_int_equal(state_open(f->state_dir, false, &dirfd), 0);
	assert_int_equal(state_list(dirfd, &recs), 1);
	assert_string_equal(recs[0].port_uuid, old_port);
	close(dirfd);
	/* and nothing was sent: the record is committed before any change */
	assert_int_equal(fakenl_n_requests(), 0);
	fakenl_get_vf(FAKE_PF, 0, &s);
	assert_int_equal(s.v[VF_ATTR_SPOOFCHK], 1);
	assert_int_equal(s.v[VF_ATTR_TRUST], 0);

	/* the next run (libvirt retries the start) completes and leaves no temporary file */
	assert_int_equal(child_run(f, 0, NET_OP_PORT_CREATED, doc), 0);
	assert_string_equal(sh->log[0], "");
	after = test_read_file(path, NULL);
	assert_non_null(strstr(after, new_port));
	assert_non_null(strstr(after, "orig.spoofchk=1\norig.trust=0\n"));
	free(after);
	{
		char *tmp = test_strdup_printf("%s.tmp", path);

		assert_false(test_exists(tmp));
		free(tmp);
	}
	free(doc);
	free(path);
	free(before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_32_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_before_rename, setup, teardown),
	};

	return cmocka_run_group_tests_name("concurrency", tests, NULL, NULL);
}
