/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The in-process network hook, as a fixture: the standard fake sysfs tree (fakesys_standard), the
 * fake kernel's PFs (enp1s0: ifindex 3, 7 VFs; enp2s0: ifindex 4, 1 VF; all spoofchk on, trust
 * off), an empty state directory, and nethook_run() with its log captured.
 */

#include <stdbool.h>
#include <stdint.h>

#include "fakesys.h"
#include "hook.h"
#include "state.h"

#define NT_PF_IFINDEX 3
#define NT_PF2_IFINDEX 4

/* The seed documents' identities (tests/data/network, from libvirt 9.0.0). */
#define NT_NET "pool1"
#define NT_NET_UUID "56380527-2c38-4bbe-9d8c-506167e5a692"
#define NT_PORT_UUID "62f3066b-c2ed-43b0-9cd3-faa5228560b6"
#define NT_OWNER "g1"
#define NT_OWNER_UUID "723da1c4-8803-482b-b241-4bf728c256df"
#define NT_VF0 "0000:01:10.0"

struct nettest {
	struct fakesys fs;
	char *tmp;       /* holds the state directory */
	char *state_dir; /* tmp/state, not created: the hook creates it */
	struct hook_ctx ctx;
};

void nettest_setup(struct nettest *t, uint32_t numvfs, bool dry_run);
void nettest_teardown(struct nettest *t);

/* Run the hook as libvirt would ("network NET OP SUB -"), capturing its log into *ret_log
 * (malloc'd). Returns the exit status. */
int nettest_run(struct nettest *t, const char *op, const char *sub, const char *doc,
		size_t len, char **ret_log);
/* Same, asserting the log is exactly `expected_log`. */
int nettest_run_expect(struct nettest *t, const char *op, const char *sub, const char *doc,
		       const char *expected_log);

/* The qemu hook likewise ("qemu g1 OP SUB -"). */
int nettest_run_qemu(struct nettest *t, const char *op, const char *sub, const char *doc,
		     size_t len, char **ret_log);

/* tests/data/network/<name>.xml, tests/data/qemu/<name>.xml (malloc'd). */
char *nettest_load(const char *name);
char *nettest_load_qemu(const char *name);
/* Replace every `from` by `to` (malloc'd). */
char *nettest_replace(const char *s, const char *from, const char *to);

/* Paths in the state directory (malloc'd). */
char *nettest_record_path(const struct nettest *t, const char *vf_bdf);
char *nettest_read_record(const struct nettest *t, const char *vf_bdf);
/* Save a record for VF index n of enp1s0 with these originals (-1 = none). */
void nettest_seed_record(const struct nettest *t, uint32_t index, const char *network,
			 const char *network_uuid, const char *port_uuid, int64_t orig_spoofchk,
			 int64_t orig_trust);

/* The record port-created writes for VF n of enp1s0 in network pool1 for g1 (malloc'd). */
char *nettest_expected_record(uint32_t index, const char *network, const char *network_uuid,
			      const char *port_uuid, const char *owner, const char *owner_uuid,
			      const char *origs);

/* Request i (tests/fakenl.c's log) is one RTM_SETLINK to PF ifindex whose IFLA_VFINFO_LIST holds
 * one IFLA_VF_INFO for VF vf with exactly IFLA_VF_SPOOFCHK and IFLA_VF_TRUST, in that order (the
 * kernel's), set to these values: the one request per VF that sets both. */
void nettest_assert_spoofchk_trust(size_t i, int ifindex, uint32_t vf, int64_t spoofchk,
				   int64_t trust);
