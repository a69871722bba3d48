/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A driver that never answers. The fake kernel (fakenl.c, fakenl_set_no_answer) applies each
 * request at once, as a driver may, but the answer never comes: nl_send_auto is wrapped and sends
 * nothing, and libnl's real nl_wait_for_ack() waits on the real NETLINK_ROUTE socket, which vf.c
 * gave a receive timeout (VF_SOCKET_TIMEOUT_MS). The hook must give up after that timeout with a clear error and exit
 * per on-error. With on-error='fail' the port is refused and rolled back: the change timed out,
 * so it may have landed; the rollback sends the original back, times out in turn, and the record
 * of the originals stays for a later port-deleted/stop. Takes about 20 s (four timeouts).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "fakenl.h"
#include "fakesys.h"
#include "hook.h"
#include "nethook.h"
#include "testutil.h"
#include "vf.h"

#define E "libvirt-sriov-hooks: error: network 'pool1': "

static long elapsed_ms(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

static char *port_doc(const char *policy)
{
	char *path = test_strdup_printf("%s/network/port-created.xml", TEST_DATA_DIR);
	char *doc = test_read_file(path, NULL), *p, *out;

	assert_non_null(doc);
	p = strstr(doc, "    <forward");
	assert_non_null(p);
	out = test_strdup_printf("%.*s    <metadata>\n      <sriov:pool "
				 "xmlns:sriov='urn:libvirt-sriov-hooks:1' %s/>\n    </metadata>\n%s",
				 (int)(p - doc), doc, policy, p);
	free(doc);
	free(path);
	return out;
}

static void run(const char *policy, int want_status, const char *want_log, long min_ms,
		long max_ms, bool want_record)
{
	struct fakesys fs;
	char *tmp = test_mkdtemp("robust-timeout"), *state = test_strdup_printf("%s/state", tmp);
	struct hook_ctx ctx;
	char *doc = port_doc(policy), *log, *rec_path, *rec;
	struct timespec a;
	enum on_error on_error;
	long ms;
	int status;

	fakesys_standard(&fs, 7);
	fakenl_reset();
	fakenl_add_pf(FAKE_PF, 3, FAKE_PF_TOTALVFS);
	fakenl_set_no_answer(true);
	ctx = (struct hook_ctx){.sysfs = fs.fd, .state_dir = state};
	clock_gettime(CLOCK_MONOTONIC, &a);
	capture_start();
	status = nethook_run(&ctx, NET_OP_PORT_CREATED, "pool1", doc, strlen(doc), &on_error);
	status = nethook_exit_status(status, on_error);
	log = capture_end();
	ms = elapsed_ms(&a);
	print_message("# %s: gave up after %ld ms\n", policy, ms);
	assert_string_equal(log, want_log);
	assert_int_equal(status, want_status);
	/* bounded by the socket timeout: a timeout is not retried as an EAGAIN would be */
	assert_true(ms >= min_ms);
	assert_true(ms < max_ms);
	rec_path = test_strdup_printf("%s/vf/0000:01:10.0", state);
	rec = test_read_file(rec_path, NULL);
	if (want_record) {
		assert_non_null(rec);
		assert_non_null(strstr(rec, "orig.spoofchk=1\n"));
	} else {
		assert_null(rec);
	}
	free(rec);
	free(rec_path);
	free(log);
	free(doc);
	fakesys_free(&fs);
	test_rm_rf(tmp);
	free(tmp);
	free(state);
}

/* on-error='warn': one request, one timeout, the guest starts; the record keeps the originals */
static void test_no_answer_warn(void **state)
{
	run("trust='keep'", 0,
	    E "failed to set spoofchk off on VF 0 (0000:01:10.0) of PF 'enp1s0' (guest 'g1'): "
	      "Connection timed out\n"
	      "libvirt-sriov-hooks: warning: network 'pool1': guest 'g1' starts without the full "
	      "policy (on-error='warn')\n",
	    VF_SOCKET_TIMEOUT_MS - 100, 2 * VF_SOCKET_TIMEOUT_MS, true);
	assert_int_equal(fakenl_n_requests(), 1);
}

/* on-error='fail': refused; the rollback's request times out too, and the record stays */
static void test_no_answer_fail(void **state)
{
	run("trust='keep' on-error='fail'", 1,
	    E "failed to set spoofchk off on VF 0 (0000:01:10.0) of PF 'enp1s0' (guest 'g1'): "
	      "Connection timed out\n"
	    E "failed to set spoofchk on on VF 0 (0000:01:10.0) of PF 'enp1s0' (guest 'g1'): "
	      "Connection timed out\n",
	    2 * VF_SOCKET_TIMEOUT_MS - 200, 3 * VF_SOCKET_TIMEOUT_MS, true);
	assert_int_equal(fakenl_n_requests(), 2);
}

/* Both attributes differ: they go in one request, and after its timeout no request per
 * attribute follows (each would wait as long): both are reported, one timeout in all */
static void test_no_answer_one_request(void **state)
{
	run("on-error='warn'", 0,
	    E "failed to set spoofchk off on VF 0 (0000:01:10.0) of PF 'enp1s0' (guest 'g1'): "
	      "Connection timed out\n"
	    E "failed to set trust on on VF 0 (0000:01:10.0) of PF 'enp1s0' (guest 'g1'): "
	      "Connection timed out\n"
	      "libvirt-sriov-hooks: warning: network 'pool1': guest 'g1' starts without the full "
	      "policy (on-error='warn')\n",
	    VF_SOCKET_TIMEOUT_MS - 100, 2 * VF_SOCKET_TIMEOUT_MS, true);
	assert_int_equal(fakenl_n_requests(), 1);
	assert_int_equal(fakenl_request(0)->n_vf_attrs, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_answer_warn),
		cmocka_unit_test(test_no_answer_one_request),
		cmocka_unit_test(test_no_answer_fail),
	};

	return cmocka_run_group_tests_name("timeout", tests, NULL, NULL);
}
