/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Everything the admin tool asks libvirt, over a read-only connection: the networks' and guests'
 * XML. Each function logs its own failure (common/log.c), once, naming what failed.
 */

struct virt;

/* A network's or guest's definition. */
struct virt_doc {
	char *name;
	char *xml;
	bool active;
};

/* Every call below waits at most timeout_ms for libvirt's answer; past it, it logs that libvirt did
 * not answer (naming the URI), and the connection is dropped: later calls fail at once. */
int virt_open(const char *uri, int timeout_ms, struct virt **ret);
void virt_close(struct virt *v);
/* The URI libvirt connected to. */
const char *virt_uri(struct virt *v);
/* Every network / guest with its definition (a running guest's live XML), sorted by name. */
int virt_networks(struct virt *v, struct virt_doc **ret, size_t *ret_n);
int virt_domains(struct virt *v, struct virt_doc **ret, size_t *ret_n);
void virt_docs_free(struct virt_doc *d, size_t n);
/* The definition of one network or guest by name: -ENOENT, not logged, when there is none. For a
 * network, what its next start uses (the persistent definition when there is one). */
int virt_network_xml(struct virt *v, const char *name, char **ret);
int virt_domain_xml(struct virt *v, const char *name, char **ret);
