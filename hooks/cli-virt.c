/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Everything the CLI asks libvirt, and the only file that includes <libvirt/...>: a read-only
 * connection, the networks' and domains' XML. Nothing built into a hook links this file.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "cli-common.h"

struct cli_virt {
	virConnectPtr conn;
	char *uri;
};

DEFINE_CLEANUP_FUNC(virNetworkPtr, virNetworkFree)
DEFINE_CLEANUP_FUNC(virDomainPtr, virDomainFree)

/* libvirt prints every error on stderr by default; we report them ourselves, once. */
static void silent(void *data, virErrorPtr err)
{
}

const char *cli_virt_error(void)
{
	const char *m = virGetLastErrorMessage();

	return m && *m ? m : "unknown libvirt error";
}

int cli_virt_open(const char *uri, struct cli_virt **ret)
{
	struct cli_virt *v;
	virConnectPtr conn;
	char *real;

	virSetErrorFunc(NULL, silent);
	if (virInitialize() < 0)
		return cli_error(-EIO, "cannot initialise libvirt: %s", cli_virt_error());
	conn = virConnectOpenReadOnly(uri);
	if (!conn)
		return cli_error(-ECONNREFUSED,
				 "cannot connect to libvirt%s%s%s: %s; is the daemon running "
				 "(systemctl status libvirtd, or virtqemud and virtnetworkd), and "
				 "is the URI right (--connect)?",
				 uri ? " at '" : "", uri ?: "", uri ? "'" : "", cli_virt_error());
	v = calloc(1, sizeof(*v));
	real = virConnectGetURI(conn);
	if (!v) {
		free(real);
		virConnectClose(conn);
		return cli_error(-ENOMEM, "out of memory");
	}
	v->conn = conn;
	v->uri = real;
	*ret = v;
	return 0;
}

void cli_virt_close(struct cli_virt *v)
{
	if (!v)
		return;
	virConnectClose(v->conn);
	free(v->uri);
	free(v);
}

const char *cli_virt_uri(struct cli_virt *v)
{
	return v->uri ?: "?";
}

void cli_docs_free(struct cli_doc *d, size_t n)
{
	for (size_t i = 0; d && i < n; i++) {
		free(d[i].name);
		free(d[i].xml);
	}
	free(d);
}

static int doc_sort(const void *x, const void *y)
{
	return strcmp(((const struct cli_doc *)x)->name, ((const struct cli_doc *)y)->name);
}

int cli_virt_networks(struct cli_virt *v, struct cli_doc **ret, size_t *ret_n)
{
	virNetworkPtr *nets = NULL;
	struct cli_doc *docs;
	int n = virConnectListAllNetworks(v->conn, &nets, 0);
	int r = 0;

	if (n < 0)
		return cli_error(-EIO, "cannot list libvirt's networks: %s", cli_virt_error());
	docs = calloc((size_t)n + 1, sizeof(*docs));
	for (int i = 0; i < n; i++) {
		const char *name = virNetworkGetName(nets[i]);

		if (docs && r >= 0) {
			docs[i].name = strdup(name ?: "");
			docs[i].xml = virNetworkGetXMLDesc(nets[i], 0);
			docs[i].active = virNetworkIsActive(nets[i]) == 1;
			if (!docs[i].name || !docs[i].xml)
				r = cli_error(-EIO,
					      "cannot read the definition of network '%s': %s",
					      name ?: "?", cli_virt_error());
		}
		virNetworkFree(nets[i]);
	}
	free(nets);
	if (!docs)
		return cli_error(-ENOMEM, "out of memory");
	if (r < 0) {
		cli_docs_free(docs, (size_t)n);
		return r;
	}
	qsort(docs, (size_t)n, sizeof(*docs), doc_sort);
	*ret = docs;
	*ret_n = (size_t)n;
	return 0;
}

int cli_virt_domains(struct cli_virt *v, struct cli_doc **ret, size_t *ret_n)
{
	virDomainPtr *doms = NULL;
	struct cli_doc *docs;
	int n = virConnectListAllDomains(v->conn, &doms, 0);
	int r = 0;

	if (n < 0)
		return cli_error(-EIO, "cannot list libvirt's guests: %s", cli_virt_error());
	docs = calloc((size_t)n + 1, sizeof(*docs));
	for (int i = 0; i < n; i++) {
		const char *name = virDomainGetName(doms[i]);

		if (docs && r >= 0) {
			docs[i].name = strdup(name ?: "");
			/* A running guest's live XML: pool interfaces show their VF there. */
			docs[i].xml = virDomainGetXMLDesc(doms[i], 0);
			docs[i].active = virDomainIsActive(doms[i]) == 1;
			if (!docs[i].name || !docs[i].xml)
				r = cli_error(-EIO, "cannot read the definition of guest '%s': %s",
					      name ?: "?", cli_virt_error());
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	if (!docs)
		return cli_error(-ENOMEM, "out of memory");
	if (r < 0) {
		cli_docs_free(docs, (size_t)n);
		return r;
	}
	qsort(docs, (size_t)n, sizeof(*docs), doc_sort);
	*ret = docs;
	*ret_n = (size_t)n;
	return 0;
}

int cli_virt_network_xml(struct cli_virt *v, const char *name, char **ret)
{
	_cleanup_(virNetworkFreep) virNetworkPtr net = virNetworkLookupByName(v->conn, name);
	char *xml;

	if (!net) {
		virErrorPtr e = virGetLastError();

		if (e && e->code == VIR_ERR_NO_NETWORK)
			return -ENOENT;
		return cli_error(-EIO, "cannot look up network '%s': %s", name, cli_virt_error());
	}
	xml = virNetworkGetXMLDesc(net,
				   virNetworkIsPersistent(net) == 1 ? VIR_NETWORK_XML_INACTIVE : 0);
	if (!xml) /* drivers without the flag (the test driver): the live definition */
		xml = virNetworkGetXMLDesc(net, 0);
	if (!xml)
		return cli_error(-EIO, "cannot read the definition of network '%s': %s", name,
				 cli_virt_error());
	*ret = xml;
	return 0;
}

int cli_virt_domain_xml(struct cli_virt *v, const char *name, char **ret)
{
	_cleanup_(virDomainFreep) virDomainPtr dom = virDomainLookupByName(v->conn, name);
	char *xml;

	if (!dom) {
		virErrorPtr e = virGetLastError();

		if (e && e->code == VIR_ERR_NO_DOMAIN)
			return -ENOENT;
		return cli_error(-EIO, "cannot look up guest '%s': %s", name, cli_virt_error());
	}
	xml = virDomainGetXMLDesc(dom, 0);
	if (!xml)
		return cli_error(-EIO, "cannot read the definition of guest '%s': %s", name,
				 cli_virt_error());
	*ret = xml;
	return 0;
}
