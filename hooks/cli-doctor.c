/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sriov-hooks doctor: the prerequisites and the known pitfalls, each with a fix. The checks
 * themselves are in common/status.c (pure or reading below a root), so tests run each one
 * against fake trees; this file runs them and prints the results.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-common.h"

struct results {
	size_t n;
	struct check *c;
	bool oom;
};

static void add(struct results *res, const struct check *c)
{
	struct check *grown = realloc(res->c, (res->n + 1) * sizeof(*res->c));

	if (!grown) {
		res->oom = true;
		return;
	}
	res->c = grown;
	res->c[res->n++] = *c;
}

_printf_(5, 6) static void add_custom(struct results *res, enum check_result r, const char *what,
				      const char *fix, const char *fmt, ...)
{
	struct check c = {.result = r};
	va_list ap;

	snprintf(c.what, sizeof(c.what), "%s", what);
	snprintf(c.fix, sizeof(c.fix), "%s", fix ?: "");
	va_start(ap, fmt);
	vsnprintf(c.detail, sizeof(c.detail), fmt, ap);
	va_end(ap);
	add(res, &c);
}

static void host_checks(const struct cli_opts *o, struct results *res)
{
	struct status_daemon daemons[STATUS_DAEMONS_MAX];
	time_t installed[2] = {0, 0};
	static const char *const drivers[] = {"network", "qemu"};
	struct check c;
	int n;

	status_check_iommu(o->root, o->sysfs, &c);
	add(res, &c);
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		status_check_hook(o->root, drivers[i], &c, &installed[i]);
		add(res, &c);
	}
	n = status_daemons(o->root, daemons, ARRAY_SIZE(daemons));
	if (n < 0) {
		add_custom(res, CHECK_WARN, "libvirt daemons", "run doctor on the libvirt host",
			   "cannot read %s/proc: %s", o->root_path, strerror(-n));
		n = 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		status_check_daemons(daemons, (size_t)n, drivers[i], installed[i], &c);
		add(res, &c);
	}
	status_check_apparmor(o->root, o->sysfs, &c);
	add(res, &c);
}

static void pool_checks(const struct inv_section *s, struct results *res)
{
	char what[128];
	struct check c;

	if (s->kind == INV_POOL) {
		snprintf(what, sizeof(what), "network %.100s", s->network);
		if (s->policy_bad) {
			char fix[400];

			snprintf(fix, sizeof(fix), "virsh net-edit %s (or virsh net-metadata)",
				 s->network);
			add_custom(
			    res, CHECK_FAIL, what, fix,
			    "invalid policy in <metadata>: %s; net-start and new guests fail",
			    s->policy_error);
			return;
		}
		if (!s->policy.manage) {
			add_custom(res, CHECK_PASS, what, NULL,
				   "manage='no': the hooks leave this pool alone");
			return;
		}
	} else {
		snprintf(what, sizeof(what), "direct VFs");
	}
	if (s->pf_err < 0) {
		if (s->pf_named[0]) {
			char fix[400];

			snprintf(fix, sizeof(fix),
				 "name an existing SR-IOV NIC in <pf dev> (virsh "
				 "net-edit %s)",
				 s->network);
			add_custom(res, CHECK_FAIL, what, fix, "PF '%s': %s", s->pf_named,
				   s->pf_err == -ENODEV	 ? "no such network interface"
				   : s->pf_err == -ENXIO ? "not a PCI device"
							 : strerror(-s->pf_err));
		} else {
			add_custom(res, CHECK_WARN, what, NULL, "%s",
				   s->note ?: "the PF of its VFs was not found");
		}
		return;
	}
	if (s->pf.ifname[0]) {
		status_check_pf_link(s->kind == INV_POOL ? s->network : NULL, &s->pf, &c);
		add(res, &c);
	}
	if (s->kind == INV_POOL && s->whole_pf) {
		status_check_numvfs(s->network, s->active, &s->pf, s->policy.vfs, &c);
		add(res, &c);
	}
	if (s->kind == INV_POOL || s->have_policy_want) {
		status_check_driver_support(s->kind == INV_POOL ? s->network : NULL, &s->pf,
					    s->live, s->live ? s->pf.n_vfs : 0, &s->policy.want,
					    &c);
		add(res, &c);
	}
}

static void print_text(const struct results *res, unsigned problems, unsigned warnings)
{
	for (size_t i = 0; i < res->n; i++) {
		const struct check *c = &res->c[i];

		printf("[%s] %s: %s\n",
		       c->result == CHECK_PASS	 ? " ok "
		       : c->result == CHECK_WARN ? "warn"
						 : "FAIL",
		       c->what, c->detail);
		if (c->result != CHECK_PASS && c->fix[0])
			printf("       fix: %s\n", c->fix);
	}
	if (problems == 0 && warnings == 0)
		printf("no problems found\n");
	else
		printf("%u problem%s, %u warning%s\n", problems, problems == 1 ? "" : "s", warnings,
		       warnings == 1 ? "" : "s");
}

static void print_json(const struct results *res, unsigned problems, unsigned warnings)
{
	struct json j;

	json_begin(&j, stdout);
	json_object_open(&j);
	json_key(&j, "checks");
	json_array_open(&j);
	for (size_t i = 0; i < res->n; i++) {
		const struct check *c = &res->c[i];

		json_object_open(&j);
		json_kv_string(&j, "check", c->what);
		json_kv_string(&j, "result",
			       c->result == CHECK_PASS	 ? "ok"
			       : c->result == CHECK_WARN ? "warning"
							 : "fail");
		json_kv_string(&j, "detail", c->detail);
		json_kv_string(&j, "fix", c->fix[0] && c->result != CHECK_PASS ? c->fix : NULL);
		json_object_close(&j);
	}
	json_array_close(&j);
	json_kv_int(&j, "problems", problems);
	json_kv_int(&j, "warnings", warnings);
	json_object_close(&j);
	json_end(&j);
}

int cli_doctor(struct cli_opts *o, int argc, char **argv)
{
	struct results res = {0};
	struct cli_virt *v = NULL;
	struct inventory inv = {0};
	unsigned problems = 0, warnings = 0;
	int r;

	if (argc > 0) {
		cli_error(-EINVAL, "usage: %s doctor (no arguments)", CLI_NAME);
		return CLI_EXIT_USAGE;
	}
	host_checks(o, &res);

	r = cli_virt_open(o->uri, &v);
	if (r < 0) {
		add_custom(&res, CHECK_FAIL, "libvirt",
			   "start libvirt, or pass the right --connect URI",
			   "cannot connect (see the message above); the pools were not checked");
	} else {
		add_custom(&res, CHECK_PASS, "libvirt", NULL, "connected to %s", cli_virt_uri(v));
		r = inventory_build(o, v, NULL, &inv);
		if (r < 0)
			add_custom(&res, CHECK_FAIL, "libvirt", NULL,
				   "cannot read the networks and guests (see the message above)");
		else if (inv.n == 0)
			add_custom(&res, CHECK_WARN, "VF pools",
				   "define one: see " PKGDATADIR "/pool-example.xml or "
				   "libvirt-sriov-hooks(8)",
				   "no network with <forward mode='hostdev'> or 'passthrough'");
		for (size_t i = 0; i < inv.n; i++)
			pool_checks(&inv.s[i], &res);
		inventory_free(&inv);
		cli_virt_close(v);
	}
	if (res.oom) {
		free(res.c);
		return cli_error(-ENOMEM, "out of memory"), CLI_EXIT_PROBLEMS;
	}

	for (size_t i = 0; i < res.n; i++) {
		problems += res.c[i].result == CHECK_FAIL;
		warnings += res.c[i].result == CHECK_WARN;
	}
	if (o->json)
		print_json(&res, problems, warnings);
	else
		print_text(&res, problems, warnings);
	free(res.c);
	return problems ? CLI_EXIT_PROBLEMS : CLI_EXIT_OK;
}
