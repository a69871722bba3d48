/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Everything the admin tool asks libvirt, and the only file that includes <libvirt/...>: a
 * read-only connection, the networks' and domains' XML. Nothing built into a hook links this file.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "log.h"
#include "macro.h"
#include "virt.h"

struct virt {
	virConnectPtr conn;
	char *uri;
};

DEFINE_CLEANUP_FUNC(virNetworkPtr, virNetworkFree)
DEFINE_CLEANUP_FUNC(virDomainPtr, virDomainFree)

/* libvirt prints every error on stderr by default; we report them ourselves, once. */
static void silent(void *data, virErrorPtr err)
{
}

/* libvirt's last error message, for our own messages. */
static const char *virt_error(void)
{
	const char *m = virGetLastErrorMessage();

	return m && *m ? m : "unknown libvirt error";
}

int virt_open(const char *uri, struct virt **ret)
{
	struct virt *v;
	virConnectPtr conn;
	char *real;

	virSetErrorFunc(NULL, silent);
	if (virInitialize() < 0)
		return log_error_errno(-EIO, "cannot initialise libvirt: %s", virt_error());
	conn = virConnectOpenReadOnly(uri);
	if (!conn)
		return log_error_errno(
		    -ECONNREFUSED,
		    "cannot connect to libvirt%s%s%s: %s; is the daemon running "
		    "(systemctl status libvirtd, or virtqemud and virtnetworkd), "
		    "and is the URI right (--connect)?",
		    uri ? " at '" : "", uri ?: "", uri ? "'" : "", virt_error());
	v = calloc(1, sizeof(*v));
	real = virConnectGetURI(conn);
	if (!v) {
		free(real);
		virConnectClose(conn);
		return log_error_errno(-ENOMEM, "out of memory");
	}
	v->conn = conn;
	v->uri = real;
	*ret = v;
	return 0;
}

void virt_close(struct virt *v)
{
	if (!v)
		return;
	virConnectClose(v->conn);
	free(v->uri);
	free(v);
}

const char *virt_uri(struct virt *v)
{
	return v->uri ?: "?";
}

void virt_docs_free(struct virt_doc *d, size_t n)
{
	for (size_t i = 0; d && i < n; i++) {
		free(d[i].name);
		free(d[i].xml);
	}
	free(d);
}

static int doc_sort(const void *x, const void *y)
{
	return strcmp(((const struct virt_doc *)x)->name, ((const struct virt_doc *)y)->name);
}

/* One entry of a listing; the XML is libvirt's (malloc'd) and taken over. "network", "guest". */
static int doc_fill(struct virt_doc *d, const char *kind, const char *name, char *xml, int active)
{
	d->name = strdup(name ?: "");
	d->xml = xml;
	d->active = active == 1;
	if (!d->name || !d->xml)
		return log_error_errno(-EIO, "cannot read the definition of %s '%s': %s", kind,
				       name ?: "?", virt_error());
	return 0;
}

/* The end of a listing: on success, sorted into *ret; else freed. */
static int docs_finish(struct virt_doc *docs, size_t n, int r, struct virt_doc **ret, size_t *ret_n)
{
	if (!docs)
		return log_error_errno(-ENOMEM, "out of memory");
	if (r < 0) {
		virt_docs_free(docs, n);
		return r;
	}
	qsort(docs, n, sizeof(*docs), doc_sort);
	*ret = docs;
	*ret_n = n;
	return 0;
}

int virt_networks(struct virt *v, struct virt_doc **ret, size_t *ret_n)
{
	virNetworkPtr *nets = NULL;
	struct virt_doc *docs;
	int n = virConnectListAllNetworks(v->conn, &nets, 0);
	int r = 0;

	if (n < 0)
		return log_error_errno(-EIO, "cannot list libvirt's networks: %s", virt_error());
	docs = calloc((size_t)n + 1, sizeof(*docs));
	for (int i = 0; i < n; i++) {
		if (docs && r >= 0)
			r = doc_fill(&docs[i], "network", virNetworkGetName(nets[i]),
				     virNetworkGetXMLDesc(nets[i], 0), virNetworkIsActive(nets[i]));
		virNetworkFree(nets[i]);
	}
	free(nets);
	return docs_finish(docs, (size_t)n, r, ret, ret_n);
}

int virt_domains(struct virt *v, struct virt_doc **ret, size_t *ret_n)
{
	virDomainPtr *doms = NULL;
	struct virt_doc *docs;
	int n = virConnectListAllDomains(v->conn, &doms, 0);
	int r = 0;

	if (n < 0)
		return log_error_errno(-EIO, "cannot list libvirt's guests: %s", virt_error());
	docs = calloc((size_t)n + 1, sizeof(*docs));
	for (int i = 0; i < n; i++) {
		/* A running guest's live XML: pool interfaces show their VF there. */
		if (docs && r >= 0)
			r = doc_fill(&docs[i], "guest", virDomainGetName(doms[i]),
				     virDomainGetXMLDesc(doms[i], 0), virDomainIsActive(doms[i]));
		virDomainFree(doms[i]);
	}
	free(doms);
	return docs_finish(docs, (size_t)n, r, ret, ret_n);
}

int virt_network_xml(struct virt *v, const char *name, char **ret)
{
	_cleanup_(virNetworkFreep) virNetworkPtr net = virNetworkLookupByName(v->conn, name);
	char *xml;

	if (!net) {
		virErrorPtr e = virGetLastError();

		if (e && e->code == VIR_ERR_NO_NETWORK)
			return -ENOENT;
		return log_error_errno(-EIO, "cannot look up network '%s': %s", name, virt_error());
	}
	xml = virNetworkGetXMLDesc(net,
				   virNetworkIsPersistent(net) == 1 ? VIR_NETWORK_XML_INACTIVE : 0);
	if (!xml) /* drivers without the flag (the test driver): the live definition */
		xml = virNetworkGetXMLDesc(net, 0);
	if (!xml)
		return log_error_errno(-EIO, "cannot read the definition of network '%s': %s", name,
				       virt_error());
	*ret = xml;
	return 0;
}

int virt_domain_xml(struct virt *v, const char *name, char **ret)
{
	_cleanup_(virDomainFreep) virDomainPtr dom = virDomainLookupByName(v->conn, name);
	char *xml;

	if (!dom) {
		virErrorPtr e = virGetLastError();

		if (e && e->code == VIR_ERR_NO_DOMAIN)
			return -ENOENT;
		return log_error_errno(-EIO, "cannot look up guest '%s': %s", name, virt_error());
	}
	xml = virDomainGetXMLDesc(dom, 0);
	if (!xml)
		return log_error_errno(-EIO, "cannot read the definition of guest '%s': %s", name,
				       virt_error());
	*ret = xml;
	return 0;
}
