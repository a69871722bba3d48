/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sriov-hooks status: the inventory (inventory.c) as a table or as JSON. Only renders.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "inventory.h"
#include "json.h"
#include "log.h"
#include "virt.h"

static const char *policy_vfs(const struct pool_policy *p, char *buf, size_t n)
{
	if (p->vfs == POLICY_VFS_DEFAULT)
		return "default";
	if (p->vfs == POLICY_VFS_MAX)
		return "max";
	snprintf(buf, n, "%lld", (long long)p->vfs);
	return buf;
}

static const char *link_word(int up)
{
	return up > 0 ? "up" : up == 0 ? "down" : "unknown";
}

/* Which attributes the PF's driver reports for its VFs: one it reports as -1 for every VF it
 * cannot do (rates are always reported, so they show as supported). Returns false when unknown. */
static bool driver_support(const struct inv_section *s, bool ret[static _VF_ATTR_MAX])
{
	bool any = false;

	if (s->pf_err < 0 || s->live_err < 0 || !s->live)
		return false;
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		ret[a] = false;
	for (size_t k = 0; k < s->pf.n_vfs; k++) {
		if (!s->live[k].known)
			continue;
		any = true;
		for (int a = 0; a < _VF_ATTR_MAX; a++)
			if (s->live[k].cur.v[a] != VF_UNSUPPORTED)
				ret[a] = true;
	}
	return any;
}

static void print_driver_support(const struct inv_section *s)
{
	bool sup[_VF_ATTR_MAX];
	bool none = true;

	if (!driver_support(s, sup))
		return;
	printf("  driver reports:");
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		if (sup[a])
			printf(" %s", vf_attr_name((enum vf_attr)a));
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		if (!sup[a]) {
			printf("%s %s", none ? "; not supported:" : "",
			       vf_attr_name((enum vf_attr)a));
			none = false;
		}
	printf("\n");
}

static void print_section_head(const struct inv_section *s)
{
	char a[PCI_ADDR_STRLEN], buf[256], n[24];

	if (s->kind == INV_POOL)
		printf("network %s (%s, %s)", s->network, s->active ? "active" : "inactive",
		       s->forward);
	else
		printf("direct VFs");
	if (s->pf_err < 0) {
		if (s->pf_named[0])
			printf(": PF %s: %s\n", s->pf_named,
			       s->pf_err == -ENODEV  ? "no such interface"
			       : s->pf_err == -ENXIO ? "not a PCI device"
						     : strerror(-s->pf_err));
		else if (s->note)
			printf(": %s\n", s->note);
		else
			printf(": PF of %s: not found\n", pci_addr_format(&s->pf.addr, a));
	} else {
		printf(": PF %s (%s), driver %s, link %s", s->pf.ifname[0] ? s->pf.ifname : "-",
		       pci_addr_format(&s->pf.addr, a), s->pf.driver[0] ? s->pf.driver : "none",
		       link_word(s->pf.link_up));
		if (s->pf.totalvfs >= 0)
			printf(", VFs %lld/%lld\n", (long long)s->pf.numvfs,
			       (long long)s->pf.totalvfs);
		else
			printf(", not SR-IOV capable\n");
	}
	if (s->kind == INV_POOL) {
		if (s->policy_bad)
			printf("  policy: INVALID: %s\n", s->policy_error);
		else if (!s->policy.manage)
			printf("  policy: manage=no (the hooks leave this pool alone)\n");
		else
			printf("  policy%s: vfs=%s %s on-error=%s\n",
			       s->has_policy ? "" : " (defaults)",
			       policy_vfs(&s->policy, n, sizeof(n)),
			       vf_settings_format(&s->policy.want, buf, sizeof(buf)),
			       s->policy.on_error == ON_ERROR_FAIL ? "fail" : "warn");
	} else if (s->have_policy_want) {
		printf("  policy (host file): %s on-error=%s\n",
		       vf_settings_format(&s->policy.want, buf, sizeof(buf)),
		       s->policy.on_error == ON_ERROR_FAIL ? "fail" : "warn");
	} else {
		printf("  policy: none (the host file does not name this PF)\n");
	}
	if (s->pf_err >= 0 && s->pf.n_vfs && s->live_err < 0)
		printf("  VF state: unknown (cannot read %s over netlink: %s)\n", s->pf.ifname,
		       strerror(-s->live_err));
	print_driver_support(s);
}

static void vf_vlan(const struct inv_vf *vf, char *buf, size_t n)
{
	if (!vf->live.known || vf->live.info.vlan == VF_UNSET)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%lld", (long long)vf->live.info.vlan);
}

static const char *vf_mac(const struct inv_vf *vf)
{
	return vf->live.known && vf->live.info.mac[0] ? vf->live.info.mac : "-";
}

static void print_table(const struct inventory *inv)
{
	int ow = 5; /* "OWNER" */

	for (size_t i = 0; i < inv->n; i++)
		for (size_t k = 0; k < inv->s[i].n_vfs; k++) {
			int l = (int)strlen(inv->s[i].vfs[k].owner);

			if (l > ow)
				ow = l > 40 ? 40 : l;
		}
	if (inv->n == 0)
		printf("no VF pool (network with <forward mode='hostdev'> or 'passthrough') and "
		       "no VF given to a running guest\n");
	for (size_t i = 0; i < inv->n; i++) {
		const struct inv_section *s = &inv->s[i];

		if (i)
			printf("\n");
		print_section_head(s);
		if (!s->n_vfs)
			continue;
		printf("  %-4s %-13s %-*s %-17s %-5s %-8s %-7s %-7s %s\n", "VF", "PCI", ow, "OWNER",
		       "MAC", "VLAN", "SPOOFCHK", "TRUST", "LINK", "POLICY");
		for (size_t k = 0; k < s->n_vfs; k++) {
			const struct inv_vf *vf = &s->vfs[k];
			char a[PCI_ADDR_STRLEN], idx[12], vlan[12];

			if (vf->index == UINT32_MAX)
				snprintf(idx, sizeof(idx), "?");
			else
				snprintf(idx, sizeof(idx), "%u", vf->index);
			vf_vlan(vf, vlan, sizeof(vlan));
			printf("  %-4s %-13s %-*.*s %-17s %-5s %-8s %-7s %-7s %s\n", idx,
			       pci_addr_format(&vf->addr, a), ow, ow,
			       vf->owner[0] ? vf->owner : "-", vf_mac(vf), vlan,
			       status_attr_format(&vf->live, VF_ATTR_SPOOFCHK),
			       status_attr_format(&vf->live, VF_ATTR_TRUST),
			       status_attr_format(&vf->live, VF_ATTR_LINK_STATE),
			       vf->match == STATUS_MATCH_NONE ? "-"
							      : status_match_to_string(vf->match));
		}
	}
}

static void json_settings(struct json *j, const char *key, const struct vf_settings *s)
{
	json_key(j, key);
	json_object_open(j);
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		if (s->v[a] != VF_UNSET)
			json_kv_string(j, vf_attr_name((enum vf_attr)a),
				       vf_attr_format((enum vf_attr)a, s->v[a]));
	json_object_close(j);
}

static void print_json(const struct inventory *inv)
{
	struct json j;
	char a[PCI_ADDR_STRLEN], n[24];

	json_begin(&j, stdout);
	json_object_open(&j);
	json_schema(&j, CLI_JSON_STATUS, CLI_JSON_STATUS_VERSION);
	json_key(&j, "pools");
	json_array_open(&j);
	for (size_t i = 0; i < inv->n; i++) {
		const struct inv_section *s = &inv->s[i];

		json_object_open(&j);
		json_kv_string(&j, "kind", s->kind == INV_POOL ? "pool" : "direct");
		json_kv_string(&j, "network", s->kind == INV_POOL ? s->network : NULL);
		json_kv_bool(&j, "active", s->active);
		json_kv_string(&j, "forward", s->forward);
		json_key(&j, "pf");
		json_object_open(&j);
		json_kv_string(&j, "name",
			       s->pf_err >= 0 ? (s->pf.ifname[0] ? s->pf.ifname : NULL)
					      : (s->pf_named[0] ? s->pf_named : NULL));
		json_kv_string(&j, "pci",
			       s->pf_err >= 0 || s->kind == INV_DIRECT
				   ? pci_addr_format(&s->pf.addr, a)
				   : NULL);
		json_kv_string(&j, "error",
			       s->pf_err < 0 ? (s->note ?: strerror(-s->pf_err)) : NULL);
		json_kv_string(&j, "driver",
			       s->pf_err >= 0 && s->pf.driver[0] ? s->pf.driver : NULL);
		json_key(&j, "link");
		json_string(&j, s->pf_err >= 0 ? link_word(s->pf.link_up) : NULL);
		json_key(&j, "numvfs");
		if (s->pf_err >= 0 && s->pf.numvfs >= 0)
			json_int(&j, s->pf.numvfs);
		else
			json_null(&j);
		json_key(&j, "totalvfs");
		if (s->pf_err >= 0 && s->pf.totalvfs >= 0)
			json_int(&j, s->pf.totalvfs);
		else
			json_null(&j);
		json_kv_string(&j, "netlink_error",
			       s->pf_err >= 0 && s->pf.n_vfs && s->live_err < 0
				   ? strerror(-s->live_err)
				   : NULL);
		json_key(&j, "driver_supports");
		{
			bool sup[_VF_ATTR_MAX];

			if (driver_support(s, sup)) {
				json_array_open(&j);
				for (int k = 0; k < _VF_ATTR_MAX; k++)
					if (sup[k])
						json_string(&j, vf_attr_name((enum vf_attr)k));
				json_array_close(&j);
			} else {
				json_null(&j);
			}
		}
		json_object_close(&j);

		json_key(&j, "policy");
		if (s->kind == INV_DIRECT && !s->have_policy_want) {
			json_null(&j);
		} else {
			json_object_open(&j);
			json_kv_string(&j, "source",
				       s->kind == INV_DIRECT ? "host-file"
				       : s->has_policy	     ? "metadata"
							     : "defaults");
			json_kv_string(&j, "error", s->policy_bad ? s->policy_error : NULL);
			if (s->kind == INV_POOL) {
				json_kv_bool(&j, "manage", s->policy.manage);
				json_kv_string(&j, "vfs", policy_vfs(&s->policy, n, sizeof(n)));
			}
			json_settings(&j, "want", &s->policy.want);
			json_kv_string(&j, "on-error",
				       s->policy.on_error == ON_ERROR_FAIL ? "fail" : "warn");
			json_object_close(&j);
		}

		json_key(&j, "vfs");
		json_array_open(&j);
		for (size_t k = 0; k < s->n_vfs; k++) {
			const struct inv_vf *vf = &s->vfs[k];

			json_object_open(&j);
			json_key(&j, "index");
			if (vf->index == UINT32_MAX)
				json_null(&j);
			else
				json_int(&j, vf->index);
			json_kv_string(&j, "pci", pci_addr_format(&vf->addr, a));
			json_kv_string(&j, "owner", vf->owner[0] ? vf->owner : NULL);
			json_kv_string(&j, "network",
				       vf->have_rec && vf->rec.network[0] ? vf->rec.network : NULL);
			json_kv_bool(&j, "recorded", vf->have_rec);
			json_kv_string(&j, "mac",
				       vf->live.known && vf->live.info.mac[0] ? vf->live.info.mac
									      : NULL);
			json_key(&j, "vlan");
			if (vf->live.known && vf->live.info.vlan != VF_UNSET)
				json_int(&j, vf->live.info.vlan);
			else
				json_null(&j);
			for (int at = 0; at < _VF_ATTR_MAX; at++)
				json_kv_string(&j, vf_attr_name((enum vf_attr)at),
					       status_attr_format(&vf->live, (enum vf_attr)at));
			if (vf->have_want)
				json_settings(&j, "want", &vf->want);
			else
				json_kv_string(&j, "want", NULL);
			json_kv_string(&j, "policy", status_match_to_string(vf->match));
			json_object_close(&j);
		}
		json_array_close(&j);
		json_object_close(&j);
	}
	json_array_close(&j);
	json_object_close(&j);
	json_end(&j);
}

int cmd_status(const struct cli_opts *o, int argc, char **argv)
{
	struct virt *v = NULL;
	struct inventory inv = {0};
	int r;

	if (argc > 1)
		return log_error_errno(-EINVAL, "usage: %s status [NETWORK]", CLI_NAME),
		       CLI_EXIT_USAGE;
	r = virt_open(o->uri, o->timeout_ms, &v);
	if (r < 0)
		return CLI_EXIT_PROBLEMS;
	r = inventory_build(o, v, argc == 1 ? argv[0] : NULL, &inv);
	virt_close(v);
	if (r < 0)
		return CLI_EXIT_PROBLEMS;
	if (o->json)
		print_json(&inv);
	else
		print_table(&inv);
	inventory_free(&inv);
	return CLI_EXIT_OK;
}
