/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The admin CLI, sriov-hooks: status, doctor, plan. Unlike the hooks it prints to stdout, and it
 * is the only program that links libvirt's client library (in cli-virt.c only, read-only
 * connection). It never writes sysfs, never sends RTM_SETLINK, never writes the state directory.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "macro.h"
#include "policy.h"
#include "state.h"
#include "status.h"

#define CLI_NAME "sriov-hooks"

/* Exit statuses. */
#define CLI_EXIT_OK 0
#define CLI_EXIT_PROBLEMS 1 /* doctor found problems, or an error */
#define CLI_EXIT_USAGE 2

struct cli_opts {
	const char *uri;	/* --connect, else libvirt's default */
	const char *sysfs_path; /* --sysfs, SRIOV_HOOKS_SYSFS, /sys */
	const char *state_dir;	/* --state-dir, SRIOV_HOOKS_STATE_DIR, STATE_DIR */
	const char *conf_path;	/* --config, SRIOV_HOOKS_CONFIG, CONF_PATH */
	const char *root_path;	/* --root, SRIOV_HOOKS_ROOT, / (etc/ and proc/ for doctor) */
	const char *op;		/* plan --op */
	bool json;
	int sysfs; /* fds of the two roots */
	int root;
};

/* Messages on stderr, prefixed with the program name; each returns r. */
int cli_error(int r, const char *fmt, ...) _printf_(2, 3);

/* libvirt, read-only (cli-virt.c). */
struct cli_virt;
struct cli_doc {
	char *name;
	char *xml;
	bool active;
};
/* Prints its own error (no connection). */
int cli_virt_open(const char *uri, struct cli_virt **ret);
void cli_virt_close(struct cli_virt *v);
const char *cli_virt_uri(struct cli_virt *v);
int cli_virt_networks(struct cli_virt *v, struct cli_doc **ret, size_t *ret_n);
int cli_virt_domains(struct cli_virt *v, struct cli_doc **ret, size_t *ret_n);
/* The definition of one network or domain by name: -ENOENT when there is none. For a network,
 * what its next start uses (the persistent definition when there is one). */
int cli_virt_network_xml(struct cli_virt *v, const char *name, char **ret);
int cli_virt_domain_xml(struct cli_virt *v, const char *name, char **ret);
/* libvirt's last error message, for our own messages. */
const char *cli_virt_error(void);
void cli_docs_free(struct cli_doc *d, size_t n);

/* JSON on stdout (cli-json.c): a small writer that handles commas and escaping. */
struct json {
	FILE *f;
	int depth;
	bool first[32];
	bool after_key;
};
void json_begin(struct json *j, FILE *f);
void json_end(struct json *j); /* final newline */
void json_object_open(struct json *j);
void json_object_close(struct json *j);
void json_array_open(struct json *j);
void json_array_close(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s); /* NULL: null */
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, long long v);
void json_kv_bool(struct json *j, const char *key, bool v);

/* What status shows and doctor checks (cli-status.c): every VF pool and every directly
 * assigned VF, grouped by network and PF. */
enum inv_kind {
	INV_POOL,   /* a network with <forward mode='hostdev'|'passthrough'> */
	INV_DIRECT, /* VFs given to guests directly, or recorded by us outside any pool */
};

struct inv_vf {
	uint32_t index;
	struct pci_addr addr;
	char owner[STATE_NAME_MAX]; /* "" when free */
	char mac[18];		    /* the guest's MAC from its XML or our record, "" unknown */
	bool have_rec;
	struct vf_record rec;
	struct status_vf_live live;
	bool have_want;
	struct vf_settings want;
	enum status_match match;
};

struct inv_section {
	enum inv_kind kind;
	char network[STATE_NAME_MAX]; /* "" for INV_DIRECT */
	bool active;
	const char *forward; /* "hostdev", "passthrough", NULL for INV_DIRECT */
	bool has_policy;     /* our <pool> element is there */
	bool policy_bad;
	char policy_error[512];
	struct pool_policy policy; /* the pool's, or for INV_DIRECT the host file's for the PF */
	bool have_policy_want;	   /* INV_DIRECT: the host file names the PF */
	char pf_named[IFNAMSIZ];   /* <pf dev>, "" when the pool lists its VFs */
	int pf_err;		   /* reading the PF failed: -errno */
	struct status_pf pf;
	bool whole_pf;		     /* every VF of the PF belongs to the section (a <pf> pool) */
	int live_err;		     /* netlink read of the PF: 0 or -errno */
	struct status_vf_live *live; /* pf.n_vfs entries */
	const char *note;	     /* something status cannot show */
	size_t n_vfs;
	struct inv_vf *vfs;
};

struct inventory {
	size_t n;
	struct inv_section *s;
};

/* Build it from libvirt (networks and domains), sysfs, netlink and the state directory. only:
 * one network by name (-ENOENT, reported, when libvirt has none). Prints its errors. */
int inventory_build(const struct cli_opts *o, struct cli_virt *v, const char *only,
		    struct inventory *ret);
void inventory_free(struct inventory *inv);
const char *inv_pf_name(const struct inv_section *s);

int cli_status(struct cli_opts *o, int argc, char **argv);
int cli_doctor(struct cli_opts *o, int argc, char **argv);
int cli_plan(struct cli_opts *o, int argc, char **argv);
