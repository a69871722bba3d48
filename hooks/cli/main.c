/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sriov-hooks: the admin CLI of libvirt-sriov-hooks.
 *   status   every VF pool and directly assigned VF, and whether each VF matches its policy
 *   doctor   the prerequisites and pitfalls, each with a fix
 *   plan     what the hooks would do for a network or domain document, without doing it
 * Read-only: a read-only libvirt connection, sysfs and netlink reads, the state directory read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "macro.h"
#include "sysfs.h"

/* Where SELinux keeps a file's label. The tests' build of the tool reads a user.* attribute
 * instead, which an unprivileged test can set on its fake tree. */
#ifndef CLI_SELINUX_XATTR
#define CLI_SELINUX_XATTR "security.selinux"
#endif

static void help(void)
{
	printf(
	    "Usage: %s [OPTION...] COMMAND [ARG]\n"
	    "\n"
	    "The admin tool of libvirt-sriov-hooks (read-only).\n"
	    "\n"
	    "Commands:\n"
	    "  status [NETWORK]       VF pools and direct VFs: PF, VF count, and per VF its\n"
	    "                         owner, MAC, VLAN, spoofchk, trust, link state and whether\n"
	    "                         it matches its policy\n"
	    "  doctor                 check the prerequisites; each problem comes with a fix\n"
	    "  plan FILE|-|NAME       what the hooks would do for a <network>, <domain> or\n"
	    "                         <hookData> document, or for a network or guest libvirt\n"
	    "                         knows by NAME, without doing it\n"
	    "\n"
	    "Options:\n"
	    "  -c, --connect URI      libvirt URI (default: libvirt's default, e.g.\n"
	    "                         qemu:///system)\n"
	    "  -t, --timeout SECONDS  how long each libvirt call may take before the tool\n"
	    "                         gives up (default %d; env SRIOV_HOOKS_TIMEOUT)\n"
	    "  -j, --json             machine-readable output\n"
	    "      --op OPERATION     plan: the hook operation (network: start, port-created,\n"
	    "                         port-deleted, stopped; guest: prepare, start, reconnect,\n"
	    "                         release)\n"
	    "      --sysfs DIR        sysfs root (default /sys; env SRIOV_HOOKS_SYSFS)\n"
	    "      --state-dir DIR    the hooks' state directory (default %s;\n"
	    "                         env SRIOV_HOOKS_STATE_DIR)\n"
	    "      --config FILE      the host file (default %s;\n"
	    "                         env SRIOV_HOOKS_CONFIG)\n"
	    "      --root DIR         where doctor finds etc/ and proc/ (default /;\n"
	    "                         env SRIOV_HOOKS_ROOT)\n"
	    "  -h, --help             this help\n"
	    "  -V, --version          the version\n"
	    "\n"
	    "Exit status: 0 ok, 1 problems found (doctor) or an error, 2 usage.\n"
	    "See sriov-hooks(8) and libvirt-sriov-hooks(8).\n",
	    CLI_NAME, CLI_TIMEOUT_MS / 1000, STATE_DIR, CONF_PATH);
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v && *v ? v : fallback;
}

/* Seconds, decimals allowed ("0.5"), above 0 and at most a day: milliseconds in *ret. */
static int parse_timeout(const char *s, int *ret)
{
	char *end = NULL;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(d > 0) || d > 86400)
		return -EINVAL;
	*ret = d * 1000 < 1 ? 1 : (int)(d * 1000);
	return 0;
}

static int run(int argc, char **argv)
{
	enum { OPT_SYSFS = 256, OPT_STATE_DIR, OPT_CONFIG, OPT_ROOT, OPT_OP };
	static const struct option options[] = {
	    {"connect", required_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},
	    {"timeout", required_argument, NULL, 't'},
	    {"sysfs", required_argument, NULL, OPT_SYSFS},
	    {"state-dir", required_argument, NULL, OPT_STATE_DIR},
	    {"config", required_argument, NULL, OPT_CONFIG},
	    {"root", required_argument, NULL, OPT_ROOT},
	    {"op", required_argument, NULL, OPT_OP},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {},
	};
	struct cli_opts o = {
	    .sysfs_path = env_or("SRIOV_HOOKS_SYSFS", "/sys"),
	    .state_dir = env_or("SRIOV_HOOKS_STATE_DIR", STATE_DIR),
	    .conf_path = env_or("SRIOV_HOOKS_CONFIG", CONF_PATH),
	    .root_path = env_or("SRIOV_HOOKS_ROOT", "/"),
	    .selinux_xattr = CLI_SELINUX_XATTR,
	    .sysfs = -EBADF,
	    .root = -EBADF,
	    .timeout_ms = CLI_TIMEOUT_MS,
	};
	const char *timeout = getenv("SRIOV_HOOKS_TIMEOUT");
	_cleanup_close_ int sysfs = -EBADF, root = -EBADF;
	const char *cmd;
	int c;

	/* Options go anywhere: "sriov-hooks status --json", "sriov-hooks plan --op start x". */
	while ((c = getopt_long(argc, argv, "c:jt:hV", options, NULL)) >= 0) {
		switch (c) {
		case 'c':
			o.uri = optarg;
			break;
		case 'j':
			o.json = true;
			break;
		case 't':
			timeout = optarg;
			break;
		case OPT_SYSFS:
			o.sysfs_path = optarg;
			break;
		case OPT_STATE_DIR:
			o.state_dir = optarg;
			break;
		case OPT_CONFIG:
			o.conf_path = optarg;
			break;
		case OPT_ROOT:
			o.root_path = optarg;
			break;
		case OPT_OP:
			o.op = optarg;
			break;
		case 'h':
			help();
			return CLI_EXIT_OK;
		case 'V':
			printf("%s (%s) %s\n", CLI_NAME, PACKAGE_NAME, PACKAGE_VERSION);
			return CLI_EXIT_OK;
		default:
			fprintf(stderr, "Try '%s --help'.\n", CLI_NAME);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		log_error_errno(-EINVAL, "no command given: status, doctor or plan (see --help)");
		return CLI_EXIT_USAGE;
	}
	cmd = argv[optind];
	if (timeout && *timeout && parse_timeout(timeout, &o.timeout_ms) < 0) {
		log_error_errno(-EINVAL,
				"invalid timeout '%s' (--timeout or SRIOV_HOOKS_TIMEOUT): seconds, "
				"above 0 and at most 86400",
				timeout);
		return CLI_EXIT_USAGE;
	}

	sysfs = sysfs_open_root(o.sysfs_path);
	if (sysfs < 0) {
		log_error_errno(sysfs, "cannot open the sysfs root %s: %m", o.sysfs_path);
		return CLI_EXIT_PROBLEMS;
	}
	root = open(o.root_path, O_DIRECTORY | O_PATH | O_CLOEXEC);
	if (root < 0) {
		log_error_errno(-errno, "cannot open the root %s: %m", o.root_path);
		return CLI_EXIT_PROBLEMS;
	}
	o.sysfs = sysfs;
	o.root = root;

	if (strcmp(cmd, "status") == 0)
		return cmd_status(&o, argc - optind - 1, argv + optind + 1);
	if (strcmp(cmd, "doctor") == 0)
		return cmd_doctor(&o, argc - optind - 1, argv + optind + 1);
	if (strcmp(cmd, "plan") == 0)
		return cmd_plan(&o, argc - optind - 1, argv + optind + 1);
	if (strcmp(cmd, "help") == 0) {
		help();
		return CLI_EXIT_OK;
	}
	log_error_errno(-EINVAL, "unknown command '%s': status, doctor or plan (see --help)", cmd);
	return CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	int status;

	/* Messages on stderr under our name, never to syslog: the admin tool changes nothing (plan
	 * runs the hooks' pipeline in dry run, and its lines are shown, not recorded). */
	log_set_program_name(CLI_NAME);
	log_set_syslog(false);
	status = run(argc, argv);

	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the output\n", CLI_NAME);
		return CLI_EXIT_PROBLEMS;
	}
	return status;
}
