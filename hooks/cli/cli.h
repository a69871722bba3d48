/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The admin tool, sriov-hooks: status, doctor, plan. Unlike the hooks it prints to stdout, and it
 * is the only program that links libvirt's client library (in virt.c only, read-only connection).
 * It never writes sysfs, never sends RTM_SETLINK, never writes the state directory.
 *
 * Its files, each one concern, calling downwards only:
 *   main.c                           options, then one verb
 *   status.c, doctor.c, plan.c       the verbs: gather, then render (text or --json)
 *   checks.c                         the doctor's rules, each with its fix
 *   command.c                        another program's answer (rpm -qf), with a deadline
 *   inventory.c                      what status shows: pools and direct VFs, resolved
 *   virt.c                           libvirt's client calls, in a child process, each with a deadline
 *   json.c                           the JSON writer
 * Messages go to stderr through common/log.c, under the tool's name (main.c sets it).
 */

#include <stdbool.h>

#define CLI_NAME "sriov-hooks"

/* Exit statuses. */
#define CLI_EXIT_OK 0
#define CLI_EXIT_PROBLEMS 1 /* doctor found problems, or an error */
#define CLI_EXIT_USAGE 2

/* The --json documents' schemas, one version each (sriov-hooks(8), JSON OUTPUT). A field that
 * goes, is renamed, or changes type or meaning bumps its document's version; a new key does not. */
#define CLI_JSON_STATUS "sriov-hooks-status"
#define CLI_JSON_STATUS_VERSION 1
#define CLI_JSON_DOCTOR "sriov-hooks-doctor"
#define CLI_JSON_DOCTOR_VERSION 1
#define CLI_JSON_PLAN "sriov-hooks-plan"
#define CLI_JSON_PLAN_VERSION 1

/* How long each libvirt call may take, by default (--timeout). */
#define CLI_TIMEOUT_MS 10000

/* The options every verb sees. */
struct cli_opts {
	const char *uri;	   /* --connect, else libvirt's default */
	const char *sysfs_path;	   /* --sysfs, SRIOV_HOOKS_SYSFS, /sys */
	const char *state_dir;	   /* --state-dir, SRIOV_HOOKS_STATE_DIR, STATE_DIR */
	const char *conf_path;	   /* --config, SRIOV_HOOKS_CONFIG, CONF_PATH */
	const char *root_path;	   /* --root, SRIOV_HOOKS_ROOT, / (etc/ and proc/ for doctor) */
	const char *op;		   /* plan --op */
	const char *selinux_xattr; /* where labels are: security.selinux (tests: a user.* one) */
	int timeout_ms;		   /* --timeout, SRIOV_HOOKS_TIMEOUT: for each libvirt call */
	bool json;
	int sysfs; /* fds of the two roots */
	int root;
};

/* The verbs (status.c, doctor.c, plan.c): argv after the verb; each returns an exit status. */
int cmd_status(const struct cli_opts *o, int argc, char **argv);
int cmd_doctor(const struct cli_opts *o, int argc, char **argv);
int cmd_plan(const struct cli_opts *o, int argc, char **argv);
