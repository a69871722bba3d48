/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* state.c: the restore records, their exact format, and how they are stored. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "policy.h"
#include "state.h"
#include "testutil.h"

#define NET_UUID "56380527-2c38-4bbe-9d8c-506167e5a692"
#define PORT_UUID "62f3066b-c2ed-43b0-9cd3-faa5228560b6"
#define OWNER_UUID "723da1c4-8803-482b-b241-4bf728c256df"

static const char record_text[] = "version=1\n"
				  "vf=0000:01:10.4\n"
				  "pf=0000:01:00.0\n"
				  "pf-ifname=enp1s0\n"
				  "index=2\n"
				  "network=pool1\n"
				  "network-uuid=" NET_UUID "\n"
				  "port=" PORT_UUID "\n"
				  "owner-name=g1\n"
				  "owner-uuid=" OWNER_UUID "\n"
				  "orig.spoofchk=1\n"
				  "orig.trust=0\n"
				  "want.spoofchk=0\n"
				  "want.trust=1\n"
				  "want.max-tx-rate=1000\n"
				  "on-error=fail\n";

static struct vf_record sample(void)
{
	struct vf_record r = {.index = 2};

	pci_addr_parse("0000:01:10.4", &r.vf);
	pci_addr_parse("0000:01:00.0", &r.pf);
	strcpy(r.pf_ifname, "enp1s0");
	strcpy(r.network, "pool1");
	strcpy(r.network_uuid, NET_UUID);
	strcpy(r.port_uuid, PORT_UUID);
	strcpy(r.owner_name, "g1");
	strcpy(r.owner_uuid, OWNER_UUID);
	vf_settings_init(&r.orig);
	r.orig.v[VF_ATTR_SPOOFCHK] = 1;
	r.orig.v[VF_ATTR_TRUST] = 0;
	vf_settings_init(&r.want);
	r.want.v[VF_ATTR_SPOOFCHK] = 0;
	r.want.v[VF_ATTR_TRUST] = 1;
	r.want.v[VF_ATTR_MAX_TX_RATE] = 1000;
	r.on_error = ON_ERROR_FAIL;
	return r;
}

static void assert_record_equal(const struct vf_record *a, const struct vf_record *b)
{
	assert_true(pci_addr_equal(&a->vf, &b->vf));
	assert_true(pci_addr_equal(&a->pf, &b->pf));
	assert_string_equal(a->pf_ifname, b->pf_ifname);
	assert_int_equal(a->index, b->index);
	assert_string_equal(a->network, b->network);
	assert_string_equal(a->network_uuid, b->network_uuid);
	assert_string_equal(a->port_uuid, b->port_uuid);
	assert_string_equal(a->owner_name, b->owner_name);
	assert_string_equal(a->owner_uuid, b->owner_uuid);
	for (int i = 0; i < _VF_ATTR_MAX; i++) {
		assert_int_equal(a->orig.v[i], b->orig.v[i]);
		assert_int_equal(a->want.v[i], b->want.v[i]);
	}
	assert_int_equal(a->on_error, b->on_error);
}

static void test_format(void **state)
{
	struct vf_record r = sample();
	char buf[4096];

	assert_int_equal(state_format(&r, buf, sizeof(buf)), (int)strlen(record_text));
	assert_string_equal(buf, record_text);

	/* attributes never changed are not recorded */
	r.orig.v[VF_ATTR_SPOOFCHK] = VF_UNSET;
	assert_true(state_format(&r, buf, sizeof(buf)) > 0);
	assert_null(strstr(buf, "orig.spoofchk"));
	assert_non_null(strstr(buf, "\norig.trust=0\n"));

	/* too small */
	r = sample();
	assert_int_equal(state_format(&r, buf, 20), -ENOBUFS);
	assert_int_equal(state_format(&r, buf, strlen(record_text)), -ENOBUFS);
	assert_int_equal(state_format(&r, buf, strlen(record_text) - 5), -ENOBUFS);

	/* a name that would forge a line (libvirt allows one in a network's name): written on one
	 * line, its control characters as '?'; the keys are the UUIDs */
	r = sample();
	strcpy(r.owner_name, "g1\norig.trust=1");
	assert_true(state_format(&r, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\nowner-name=g1?orig.trust=1\n"));
	assert_null(strstr(buf, "\norig.trust=1\n"));
	r = sample();
	strcpy(r.network, "pool\r\t1");
	assert_true(state_format(&r, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\nnetwork=pool??1\n"));
}

static void test_parse_roundtrip(void **state)
{
	struct vf_record want = sample(), got;
	char buf[4096];

	assert_int_equal(state_parse(record_text, &got), 0);
	assert_record_equal(&got, &want);

	/* keys in any order; unknown originals stay unset */
	assert_int_equal(state_parse("pf=0000:01:00.0\nvf=0000:01:10.4\nversion=1\n", &got), 0);
	for (int a = 0; a < _VF_ATTR_MAX; a++) {
		assert_int_equal(got.orig.v[a], VF_UNSET);
		assert_int_equal(got.want.v[a], VF_UNSET);
	}
	assert_int_equal(got.on_error, ON_ERROR_WARN);
	assert_string_equal(got.port_uuid, "");

	want.orig.v[VF_ATTR_TRUST] = VF_UNSET;
	assert_true(state_format(&want, buf, sizeof(buf)) > 0);
	assert_int_equal(state_parse(buf, &got), 0);
	assert_record_equal(&got, &want);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"",					    /* empty: no version, vf, pf */
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0", /* torn: no final newline */
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\norig.trust=",
		"version=1\nvf=0000:01:10.4\n",		    /* torn: pf missing */
		"vf=0000:01:10.4\npf=0000:01:00.0\n",	    /* no version */
		"version=2\nvf=0000:01:10.4\npf=0000:01:00.0\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\ncolor=blue\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\ngarbage\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\norig.mtu=1500\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\norig.trust=2\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\norig.trust=on\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\norig.trust=-1\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\norig.link-state=3\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\nwant.trust=2\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\nwant.color=1\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\non-error=ignore\n",
		"version=1\nvf=../../etc\npf=0000:01:00.0\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\nindex=x\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\npf-ifname=0123456789abcdefg\n",
		"version=1\nvf=0000:01:10.4\npf=0000:01:00.0\nport=" PORT_UUID "0\n",
		"\n",
		"\x01\x02\x03\n",
	};
	struct vf_record keep = sample(), got;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r;

		got = keep;
		print_message("# bad[%zu]\n", i);
		r = state_parse(bad[i], &got);
		assert_true(r == -EBADMSG || r == -EPROTONOSUPPORT);
		/* ret_* untouched on failure */
		assert_record_equal(&got, &keep);
	}
	assert_int_equal(state_parse("version=2\nvf=0000:01:10.4\npf=0000:01:00.0\n", &got),
			 -EPROTONOSUPPORT);
	/* a line longer than any field */
	{
		char *s = test_strdup_printf("version=1\nvf=0000:01:10.4\npf=0000:01:00.0\n"
					     "network=%0600d\n", 1);

		assert_int_equal(state_parse(s, &got), -EBADMSG);
		free(s);
	}
}

struct dirs {
	char *tmp, *dir;
	int fd;
};

static int setup_dir(void **state)
{
	struct dirs *d = calloc(1, sizeof(*d));

	d->tmp = test_mkdtemp("state");
	d->dir = test_strdup_printf("%s/state", d->tmp);
	d->fd = -1;
	*state = d;
	return 0;
}

static int teardown_dir(void **state)
{
	struct dirs *d = *state;

	if (d->fd >= 0)
		close(d->fd);
	test_rm_rf(d->tmp);
	free(d->tmp);
	free(d->dir);
	free(d);
	return 0;
}

static void test_open(void **state)
{
	struct dirs *d = *state;
	int fd = -77;
	char *p;
	struct stat st;

	assert_int_equal(state_open(d->dir, false, &fd), -ENOENT);
	assert_int_equal(fd, -77);
	assert_false(test_exists(d->dir));
	assert_int_equal(state_open(d->dir, true, &d->fd), 0);
	assert_true(d->fd >= 0);
	assert_int_equal(stat(d->dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	p = test_strdup_printf("%s/vf", d->dir);
	assert_true(test_exists(p));
	free(p);
	p = test_strdup_printf("%s/lock", d->dir);
	assert_true(test_exists(p));
	free(p);
	/* again: fine */
	assert_int_equal(state_open(d->dir, true, &fd), 0);
	close(fd);
}

static void test_save_load_remove(void **state)
{
	struct dirs *d = *state;
	struct vf_record r = sample(), got, keep = sample();
	struct pci_addr other;
	char *path, *text;
	struct stat st;

	assert_int_equal(state_open(d->dir, true, &d->fd), 0);
	got = keep;
	assert_int_equal(state_load(d->fd, &r.vf, &got), -ENOENT);
	assert_record_equal(&got, &keep);

	assert_int_equal(state_save(d->fd, &r), 0);
	path = test_strdup_printf("%s/vf/0000:01:10.4", d->dir);
	text = test_read_file(path, NULL);
	assert_non_null(text);
	assert_string_equal(text, record_text);
	free(text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	free(path);
	path = test_strdup_printf("%s/vf", d->dir);
	text = test_snapshot(path);
	assert_null(strstr(text, ".tmp")); /* renamed into place, no temporary file left */
	assert_non_null(strstr(text, "0000:01:10.4"));
	free(text);
	free(path);

	assert_int_equal(state_load(d->fd, &r.vf, &got), 0);
	assert_record_equal(&got, &r);

	/* a record stored under another VF's name is refused */
	path = test_strdup_printf("%s/vf/0000:01:10.6", d->dir);
	assert_int_equal(test_write_file(path, record_text), 0);
	free(path);
	pci_addr_parse("0000:01:10.6", &other);
	got = keep;
	assert_int_equal(state_load(d->fd, &other, &got), -EBADMSG);
	assert_record_equal(&got, &keep);

	assert_int_equal(state_remove(d->fd, &r.vf), 0);
	assert_int_equal(state_load(d->fd, &r.vf, &got), -ENOENT);
	assert_int_equal(state_remove(d->fd, &r.vf), 0); /* already gone: fine */
}

static void test_load_torn(void **state)
{
	struct dirs *d = *state;
	struct vf_record r = sample(), got, keep = sample();
	char *path, *big;

	assert_int_equal(state_open(d->dir, true, &d->fd), 0);
	path = test_strdup_printf("%s/vf/0000:01:10.4", d->dir);

	/* a crash in the middle of a write (which the rename prevents, but a disk may not) */
	assert_int_equal(test_write_file(path, "version=1\nvf=0000:01:10.4\npf=0000:0"), 0);
	got = keep;
	assert_int_equal(state_load(d->fd, &r.vf, &got), -EBADMSG);
	assert_record_equal(&got, &keep);

	/* garbage, NUL bytes, oversize */
	assert_int_equal(test_write_file(path, "\x7f" "ELF\x02\x01\x01"), 0);
	assert_int_equal(state_load(d->fd, &r.vf, &got), -EBADMSG);
	{
		int fd = open(path, O_WRONLY | O_TRUNC);

		assert_true(fd >= 0);
		assert_int_equal(write(fd, "version=1\n\0vf=0000:01:10.4\npf=0000:01:00.0\n", 43),
				 43);
		close(fd);
	}
	assert_int_equal(state_load(d->fd, &r.vf, &got), -EBADMSG);
	big = calloc(1, 8192);
	memset(big, 'x', 8191);
	assert_int_equal(test_write_file(path, big), 0);
	free(big);
	assert_int_equal(state_load(d->fd, &r.vf, &got), -EBADMSG);
	assert_record_equal(&got, &keep);

	/* a symlink planted in the state directory is not followed */
	unlink(path);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(state_load(d->fd, &r.vf, &got), -ELOOP);
	free(path);
}

static void test_list(void **state)
{
	struct dirs *d = *state;
	const char *const vfs[] = {"0000:01:11.0", "0000:01:10.2", "0000:01:10.6", "0000:01:10.0"};
	struct vf_record *list = (void *)0x1;
	char *path;
	int n;

	/* an empty state directory */
	assert_int_equal(state_open(d->dir, true, &d->fd), 0);
	n = state_list(d->fd, &list);
	assert_int_equal(n, 0);
	free(list);

	for (size_t i = 0; i < 4; i++) {
		struct vf_record r = sample();

		pci_addr_parse(vfs[i], &r.vf);
		r.index = (uint32_t)i;
		assert_int_equal(state_save(d->fd, &r), 0);
	}
	/* a temporary file of an interrupted save, a torn record, a stranger: all skipped */
	path = test_strdup_printf("%s/vf/0000:01:10.4.tmp", d->dir);
	assert_int_equal(test_write_file(path, record_text), 0);
	free(path);
	path = test_strdup_printf("%s/vf/0000:01:10.4", d->dir);
	assert_int_equal(test_write_file(path, "version=1\nvf=0000:01"), 0);
	free(path);
	path = test_strdup_printf("%s/vf/README", d->dir);
	assert_int_equal(test_write_file(path, "hello\n"), 0);
	free(path);

	n = state_list(d->fd, &list);
	assert_int_equal(n, 4);
	/* in VF address order, whatever order the directory returns */
	{
		char a[PCI_ADDR_STRLEN];

		assert_string_equal(pci_addr_format(&list[0].vf, a), "0000:01:10.0");
		assert_string_equal(pci_addr_format(&list[1].vf, a), "0000:01:10.2");
		assert_string_equal(pci_addr_format(&list[2].vf, a), "0000:01:10.6");
		assert_string_equal(pci_addr_format(&list[3].vf, a), "0000:01:11.0");
	}
	free(list);
}

static void test_list_no_vf_dir(void **state)
{
	struct dirs *d = *state;
	struct vf_record *list = (void *)0x1;

	assert_int_equal(mkdir(d->dir, 0700), 0);
	d->fd = open(d->dir, O_RDONLY | O_DIRECTORY);
	assert_true(d->fd >= 0);
	assert_int_equal(state_list(d->fd, &list), 0);
	assert_null(list);
}

static void test_lock(void **state)
{
	struct dirs *d = *state;
	struct pci_addr pf;
	int l1 = -1, l2 = -77;
	char *path;

	pci_addr_parse("0000:01:00.0", &pf);
	assert_int_equal(state_open(d->dir, true, &d->fd), 0);
	assert_int_equal(state_lock_pf(d->fd, &pf, 0, &l1), 0);
	path = test_strdup_printf("%s/lock/0000:01:00.0", d->dir);
	assert_true(test_exists(path));
	free(path);
	/* held (flock is per open file, so this process conflicts with itself): bounded wait */
	assert_int_equal(state_lock_pf(d->fd, &pf, 0, &l2), -ETIMEDOUT);
	assert_int_equal(l2, -77);
	assert_int_equal(state_lock_pf(d->fd, &pf, 20, &l2), -ETIMEDOUT);
	/* the holder is named, for the message of the one that timed out */
	{
		char holder[STATE_HOLDER_MAX], *want = test_strdup_printf("pid %d: ", (int)getpid());

		assert_int_equal(state_lock_holder(d->fd, &pf, holder, sizeof(holder)), 0);
		assert_memory_equal(holder, want, strlen(want));
		assert_non_null(strstr(holder, "test-state"));
		free(want);
	}
	close(l1);
	{
		char holder[STATE_HOLDER_MAX];

		assert_int_equal(state_lock_holder(d->fd, &pf, holder, sizeof(holder)), -ENODATA);
	}
	assert_int_equal(state_lock_pf(d->fd, &pf, 0, &l2), 0);
	close(l2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_parse_roundtrip),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test_setup_teardown(test_open, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_save_load_remove, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_load_torn, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_list, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_list_no_vf_dir, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_lock, setup_dir, teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
