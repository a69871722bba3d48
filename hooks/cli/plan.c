/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sriov-hooks plan: what the hooks would do for a document, without doing it. It runs the hooks'
 * own pipeline (nethook_run, qemuhook_run) in dry run and shows the lines it logs: one per change
 * it would make ("numvfs em1 0 -> 7", "vf em1 3 (0000:3b:02.6) spoofchk off trust on"), and the
 * errors the hook would report.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "domxml.h"
#include "hook.h"
#include "json.h"
#include "log.h"
#include "nethook.h"
#include "netxml.h"
#include "qemuhook.h"
#include "virt.h"

enum doc_kind {
	DOC_NETWORK,
	DOC_HOOKDATA,
	DOC_DOMAIN,
};

/* One hook operation: enum net_op for a network document, enum qemu_op for a domain. */
struct op {
	enum doc_kind kind;
	int op;
};

static const char *op_name(const struct op *op)
{
	return op->kind == DOC_DOMAIN ? qemu_op_to_string((enum qemu_op)op->op)
				      : net_op_to_string((enum net_op)op->op);
}

static const char *op_sub(const struct op *op)
{
	return op->kind == DOC_DOMAIN ? qemu_op_sub_to_string((enum qemu_op)op->op)
				      : net_op_sub_to_string((enum net_op)op->op);
}

/* By name: false when the hook does not act on it. */
static bool op_find(enum doc_kind kind, const char *name, struct op *ret)
{
	int op =
	    kind == DOC_DOMAIN ? (int)qemu_op_from_string(name) : (int)net_op_from_string(name);

	if (op < 0)
		return false;
	*ret = (struct op){.kind = kind, .op = op};
	return true;
}

struct run {
	const char *hook; /* "network", "qemu" */
	struct op op;
	int status;
	char *out; /* what the hook logged */
};

static void runs_free(struct run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(runs[i].out);
}

/* One hook run, dry, with its log captured. */
static int run_hook(const struct cli_opts *o, const char *name, const char *input, size_t len,
		    struct run *r)
{
	struct hook_ctx ctx = {
	    .sysfs = o->sysfs,
	    .state_dir = o->state_dir,
	    .dry_run = true,
	    .conf_path = o->conf_path,
	};
	enum on_error on_error;
	size_t out_len = 0;
	FILE *f;
	int q;

	r->out = NULL;
	f = open_memstream(&r->out, &out_len);
	if (!f)
		return log_error_errno(-errno, "cannot capture the hook's output: %m");
	/* The hook's lines as the hook itself writes them. */
	log_set_stream(f);
	log_set_program_name(NULL);
	if (r->op.kind == DOC_DOMAIN) {
		q = qemuhook_run(&ctx, (enum qemu_op)r->op.op, name, input, len, &on_error);
		r->status = qemuhook_exit_status((enum qemu_op)r->op.op, q, on_error);
	} else {
		q = nethook_run(&ctx, (enum net_op)r->op.op, name, input, len, &on_error);
		r->status = nethook_exit_status(q, on_error);
	}
	log_set_program_name(CLI_NAME);
	log_set_stream(NULL);
	if (fclose(f) != 0 || !r->out)
		return log_error_errno(-ENOMEM, "cannot capture the hook's output");
	return 0;
}

static bool looks_like_path(const char *arg)
{
	size_t len = strlen(arg);

	return strchr(arg, '/') || (len >= 4 && strcasecmp(arg + len - 4, ".xml") == 0);
}

/* The document: a file, "-" for stdin, else a network or guest libvirt knows by that name. */
static int read_doc(const struct cli_opts *o, const char *arg, char **ret, size_t *ret_len,
		    char *what, size_t n)
{
	_cleanup_close_ int fd = -EBADF;
	struct virt *v = NULL;
	char *xml = NULL;
	int r;

	if (strcmp(arg, "-") == 0) {
		snprintf(what, n, "standard input");
		r = hook_read_input(STDIN_FILENO, ret, ret_len);
		return r < 0 ? log_error_errno(r, "cannot read standard input: %m") : 0;
	}
	/* A file when it looks like a path (a '/', or the .xml libvirt's tools write) or when there
	 * is anything of that name: say why it cannot be read, rather than blame libvirt (perhaps
	 * down) for not knowing a network of that name. */
	fd = open(arg, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && (errno != ENOENT || looks_like_path(arg)))
		return log_error_errno(-errno, "cannot read %s: %m", arg);
	if (fd >= 0) {
		snprintf(what, n, "%s", arg);
		r = hook_read_input(fd, ret, ret_len);
		return r < 0 ? log_error_errno(r, "cannot read %s: %m", arg) : 0;
	}

	/* Not a file: a name, as 'virsh net-dumpxml NAME' or 'virsh dumpxml NAME' would give. */
	r = virt_open(o->uri, o->timeout_ms, &v);
	if (r < 0)
		return r;
	r = virt_network_xml(v, arg, &xml);
	if (r == -ENOENT)
		r = virt_domain_xml(v, arg, &xml);
	virt_close(v);
	if (r == -ENOENT)
		return log_error_errno(r, "unknown network or guest '%s', and no file of that name",
				       arg);
	if (r < 0)
		return r;
	snprintf(what, n, "libvirt's definition of '%s'", arg);
	*ret = xml;
	*ret_len = strlen(xml);
	return 0;
}

/* What the document is, in one line, and for a pool what each new port would get. */
static int describe(enum doc_kind kind, const char *input, size_t len, char *name, size_t nlen,
		    char *summary, size_t slen, char *port_policy, size_t plen, bool *ret_has_port)
{
	struct xml_error e = {{0}}, pe = {{0}};
	char buf[256], vfs[24];
	bool bad;
	int r;

	port_policy[0] = '\0';
	*ret_has_port = false;
	if (kind == DOC_DOMAIN) {
		_cleanup_free_ struct dom_doc *d = calloc(1, sizeof(*d));

		if (!d)
			return -ENOMEM;
		r = domxml_parse(input, len, d, &e, &pe, &bad);
		if (r < 0)
			return log_error_errno(r, "not a domain libvirt would pass: %s", e.msg);
		snprintf(name, nlen, "%s", d->name);
		snprintf(summary, slen,
			 "guest '%s': %zu PCI device%s given directly (VFs among "
			 "them are looked up in sysfs), %zu per-guest override%s%s%s",
			 d->name, d->n_devs, d->n_devs == 1 ? "" : "s", d->n_overrides,
			 d->n_overrides == 1 ? "" : "s", bad ? "; INVALID overrides: " : "",
			 bad ? pe.msg : "");
		domxml_free(d);
		return 0;
	}

	struct net_doc d;

	r = netxml_parse(input, len, &d, &e, &pe, &bad);
	if (r < 0)
		return log_error_errno(r, "not a network document libvirt would pass: %s", e.msg);
	snprintf(name, nlen, "%s", d.name);
	if (d.policy.vfs == POLICY_VFS_DEFAULT)
		snprintf(vfs, sizeof(vfs), "default");
	else if (d.policy.vfs == POLICY_VFS_MAX)
		snprintf(vfs, sizeof(vfs), "max");
	else
		snprintf(vfs, sizeof(vfs), "%lld", (long long)d.policy.vfs);
	if (d.forward == NET_FORWARD_OTHER)
		snprintf(summary, slen,
			 "network '%s' is not a VF pool (no <forward mode='hostdev'> "
			 "or 'passthrough'): the hooks leave it alone",
			 d.name);
	else if (bad)
		snprintf(summary, slen, "network '%s': VF pool with an INVALID policy: %s", d.name,
			 pe.msg);
	else if (!d.policy.manage)
		snprintf(summary, slen,
			 "network '%s': VF pool with manage='no': the hooks leave "
			 "it alone",
			 d.name);
	else
		snprintf(summary, slen,
			 "network '%s': VF pool (%s) %s%s%s, policy%s: vfs=%s %s on-error=%s",
			 d.name, d.forward == NET_FORWARD_HOSTDEV ? "hostdev" : "passthrough",
			 d.pf[0] ? "on PF " : "listing its VFs", d.pf[0] ? d.pf : "",
			 d.has_port
			     ? (d.plug == NET_PLUG_NONE ? ", port without a VF" : ", one port")
			     : "",
			 d.has_policy ? "" : " (defaults)", vfs,
			 vf_settings_format(&d.policy.want, buf, sizeof(buf)),
			 d.policy.on_error == ON_ERROR_FAIL ? "fail" : "warn");
	if (d.forward != NET_FORWARD_OTHER && !bad && d.policy.manage)
		snprintf(port_policy, plen, "%s",
			 vf_settings_format(&d.policy.want, buf, sizeof(buf)));
	*ret_has_port = d.has_port;
	netxml_free(&d);
	return 0;
}

static void print_text(const char *summary, const struct run *runs, size_t n, const char *name,
		       enum doc_kind kind, bool has_port, const char *port_policy)
{
	printf("%s\n", summary);
	for (size_t i = 0; i < n; i++) {
		const char *p = runs[i].out;

		printf("%s %s %s %s (dry run, exit status %d):\n", runs[i].hook, name,
		       op_name(&runs[i].op), op_sub(&runs[i].op), runs[i].status);
		if (!*p)
			printf("  nothing to change\n");
		while (*p) {
			size_t l = strcspn(p, "\n");

			printf("  %.*s\n", (int)l, p);
			p += l + (p[l] == '\n');
		}
	}
	if (kind != DOC_DOMAIN && !has_port && port_policy[0])
		printf("then, for each guest's VF (port-created): %s (a guest's override in its "
		       "<metadata> wins)\n",
		       port_policy);
}

static void print_json(const char *what, const char *summary, const struct run *runs, size_t n,
		       const char *name, enum doc_kind kind, const char *port_policy)
{
	struct json j;

	json_begin(&j, stdout);
	json_object_open(&j);
	json_schema(&j, CLI_JSON_PLAN, CLI_JSON_PLAN_VERSION);
	json_kv_string(&j, "source", what);
	json_kv_string(&j, "document",
		       kind == DOC_DOMAIN    ? "domain"
		       : kind == DOC_NETWORK ? "network"
					     : "hookData");
	json_kv_string(&j, "name", name);
	json_kv_string(&j, "summary", summary);
	json_key(&j, "runs");
	json_array_open(&j);
	for (size_t i = 0; i < n; i++) {
		const char *p = runs[i].out;

		json_object_open(&j);
		json_kv_string(&j, "hook", runs[i].hook);
		json_kv_string(&j, "operation", op_name(&runs[i].op));
		json_kv_string(&j, "sub-operation", op_sub(&runs[i].op));
		json_kv_int(&j, "exit", runs[i].status);
		json_key(&j, "lines");
		json_array_open(&j);
		while (*p) {
			size_t l = strcspn(p, "\n");
			char *line = strndup(p, l);

			json_string(&j, line ?: "");
			free(line);
			p += l + (p[l] == '\n');
		}
		json_array_close(&j);
		json_object_close(&j);
	}
	json_array_close(&j);
	json_kv_string(&j, "port_policy", port_policy[0] ? port_policy : NULL);
	json_object_close(&j);
	json_end(&j);
}

int cmd_plan(const struct cli_opts *o, int argc, char **argv)
{
	_cleanup_free_ char *input = NULL, *wrapped = NULL;
	size_t len = 0, wlen = 0, n_runs = 0;
	struct xml_error e = {{0}};
	char root[32], what[300], name[NET_NAME_MAX], summary[1024], port_policy[256];
	struct run runs[2] = {{0}};
	struct op ops[2];
	size_t n_ops;
	enum doc_kind kind;
	bool failed = false, has_port = false;
	int r;

	if (argc != 1) {
		log_error_errno(-EINVAL, "usage: %s plan [--op OPERATION] FILE|-|NAME", CLI_NAME);
		return CLI_EXIT_USAGE;
	}
	r = read_doc(o, argv[0], &input, &len, what, sizeof(what));
	if (r < 0)
		return CLI_EXIT_PROBLEMS;
	r = netxml_root_name(input, len, root, sizeof(root), &e);
	if (r < 0) {
		log_error_errno(r, "%s: %s", what, e.msg);
		return CLI_EXIT_PROBLEMS;
	}
	if (strcmp(root, "network") == 0) {
		kind = DOC_NETWORK;
	} else if (strcmp(root, "hookData") == 0) {
		kind = DOC_HOOKDATA;
	} else if (strcmp(root, "domain") == 0) {
		kind = DOC_DOMAIN;
	} else {
		log_error_errno(-EINVAL,
				"%s: a <%s> document; plan takes a <network>, a <domain> or a "
				"network hook's <hookData>",
				what, root);
		return CLI_EXIT_PROBLEMS;
	}

	if (kind == DOC_NETWORK) {
		/* libvirt passes a network to its hook inside <hookData>. */
		r = netxml_network_to_hookdata(input, len, &wrapped, &wlen, &e);
		if (r < 0) {
			log_error_errno(r, "%s: %s", what, r == -ENOMEM ? "out of memory" : e.msg);
			return CLI_EXIT_PROBLEMS;
		}
	}
	r = describe(kind, wrapped ?: input, wrapped ? wlen : len, name, sizeof(name), summary,
		     sizeof(summary), port_policy, sizeof(port_policy), &has_port);
	if (r < 0)
		return CLI_EXIT_PROBLEMS;

	/* The operations: --op, else what happens when the document is new to libvirt. A <hookData>
	 * with a <networkport> is what libvirt passes at port-created; one without, what it passes
	 * at start begin (and stopped end), as for a bare <network>. */
	if (kind == DOC_DOMAIN) {
		n_ops = op_find(kind, o->op ?: "prepare", &ops[0]) ? 1 : 0;
		if (n_ops && !o->op && op_find(kind, "start", &ops[1]))
			n_ops = 2;
	} else {
		n_ops = op_find(kind, o->op ?: has_port ? "port-created" : "start", &ops[0]) ? 1 : 0;
		if (!has_port && n_ops &&
		    (ops[0].op == NET_OP_PORT_CREATED || ops[0].op == NET_OP_PORT_DELETED)) {
			log_error_errno(-EINVAL,
					"--op %s needs a port: pass the <hookData> libvirt gives "
					"the hook at port-created (a <network> and a <networkport>)",
					o->op);
			return CLI_EXIT_USAGE;
		}
	}
	if (n_ops == 0) {
		log_error_errno(-EINVAL, "unknown --op '%s' for a <%s>: %s", o->op, root,
				kind == DOC_DOMAIN ? "prepare, start, reconnect or release"
				: kind == DOC_NETWORK
				    ? "start or stopped"
				    : "start, port-created, port-deleted or stopped");
		return CLI_EXIT_USAGE;
	}

	for (size_t i = 0; i < n_ops; i++) {
		runs[i] =
		    (struct run){.hook = kind == DOC_DOMAIN ? "qemu" : "network", .op = ops[i]};
		r = run_hook(o, name, wrapped ?: input, wrapped ? wlen : len, &runs[i]);
		n_runs = i + 1;
		if (r < 0) {
			runs_free(runs, n_runs);
			return CLI_EXIT_PROBLEMS;
		}
		failed |= runs[i].status != HOOK_EXIT_OK;
	}
	if (o->json)
		print_json(what, summary, runs, n_runs, name, kind, port_policy);
	else
		print_text(summary, runs, n_runs, name, kind, has_port, port_policy);
	runs_free(runs, n_runs);
	return failed ? CLI_EXIT_PROBLEMS : CLI_EXIT_OK;
}
