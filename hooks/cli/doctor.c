/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sriov-hooks doctor: the prerequisites and the known pitfalls, each with a fix. The rules are in
 * checks.c (pure or reading below a root, so tests run each one against fake trees); this file
 * runs them in order and renders the results.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "checks.h"
#include "cli.h"
#include "inventory.h"
#include "json.h"
#include "log.h"
#include "virt.h"

static void print_text(const struct check_list *res, unsigned problems, unsigned warnings)
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

static void print_json(const struct check_list *res, unsigned problems, unsigned warnings)
{
	struct json j;

	json_begin(&j, stdout);
	json_object_open(&j);
	json_schema(&j, CLI_JSON_DOCTOR, CLI_JSON_DOCTOR_VERSION);
	json_key(&j, "checks");
	json_array_open(&j);
	for (size_t i = 0; i < res->n; i++) {
		const struct check *c = &res->c[i];

		json_object_open(&j);
		json_kv_string(&j, "check", c->what);
		json_kv_string(&j, "result", check_result_to_string(c->result));
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

int cmd_doctor(const struct cli_opts *o, int argc, char **argv)
{
	struct check_list res = {0};
	struct virt *v = NULL;
	struct inventory inv = {0};
	unsigned problems = 0, warnings = 0;
	int r;

	if (argc > 0) {
		log_error_errno(-EINVAL, "usage: %s doctor (no arguments)", CLI_NAME);
		return CLI_EXIT_USAGE;
	}
	checks_host(o, &res);

	r = virt_open(o->uri, o->timeout_ms, &v);
	if (r < 0) {
		check_list_addf(
		    &res, CHECK_FAIL, "libvirt", "start libvirt, or pass the right --connect URI",
		    "cannot connect (see the message above); the pools were not checked");
		checks_pf_owners(o, NULL, &res);
	} else {
		check_list_addf(&res, CHECK_PASS, "libvirt", NULL, "connected to %s", virt_uri(v));
		r = inventory_build(o, v, NULL, &inv);
		if (r < 0)
			check_list_addf(&res, CHECK_FAIL, "libvirt", NULL,
					"cannot read the networks and guests (see the message "
					"above)");
		else if (inv.n == 0)
			check_list_addf(
			    &res, CHECK_WARN, "VF pools",
			    "define one: see " PKGDATADIR "/pool-example.xml or "
			    "libvirt-sriov-hooks(8)",
			    "no network with <forward mode='hostdev'> or 'passthrough'");
		for (size_t i = 0; i < inv.n; i++)
			checks_section(&inv.s[i], &res);
		checks_pf_owners(o, r < 0 ? NULL : &inv, &res);
		inventory_free(&inv);
		virt_close(v);
	}
	if (res.oom) {
		check_list_done(&res);
		return log_error_errno(-ENOMEM, "out of memory"), CLI_EXIT_PROBLEMS;
	}

	for (size_t i = 0; i < res.n; i++) {
		problems += res.c[i].result == CHECK_FAIL;
		warnings += res.c[i].result == CHECK_WARN;
	}
	if (o->json)
		print_json(&res, problems, warnings);
	else
		print_text(&res, problems, warnings);
	check_list_done(&res);
	return problems ? CLI_EXIT_PROBLEMS : CLI_EXIT_OK;
}
