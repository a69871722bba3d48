/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "policy.h"
#include "util.h"
#include "xmlerror.h"

/* What the network hook needs from libvirt's <hookData> (hook-contract.md §5). */

enum net_forward {
	NET_FORWARD_OTHER,       /* not a VF pool: the hook has no business with it */
	NET_FORWARD_HOSTDEV,     /* <forward mode='hostdev'> */
	NET_FORWARD_PASSTHROUGH, /* <forward mode='passthrough'>: macvtap on VFs */
};

enum net_plug {
	NET_PLUG_NONE,        /* no port, or a plug of no interest (bridge, network) */
	NET_PLUG_HOSTDEV_PCI, /* <plug type='hostdev-pci'><address .../></plug> */
	NET_PLUG_DIRECT,      /* <plug type='direct' dev='...'/>: macvtap on a netdev */
};

/* "hostdev", "passthrough"; NULL for NET_FORWARD_OTHER. */
const char *net_forward_to_string(enum net_forward f);

#define NET_NAME_MAX 256

struct net_doc {
	char name[NET_NAME_MAX];
	char uuid[UUID_STRLEN];
	enum net_forward forward;
	char pf[IFNAMSIZ]; /* "" when <pf> is absent (after a daemon restart, see §5.2) */
	size_t n_vfs;      /* the pool's <address> entries */
	struct pci_addr *vfs;
	struct pool_policy policy;
	bool has_policy;
	char ns_near_miss[128]; /* a <metadata> element meant for us, in a mistyped namespace */

	bool has_port;
	char port_uuid[UUID_STRLEN];
	char owner_name[NET_NAME_MAX];
	char owner_uuid[UUID_STRLEN];
	char mac[18];
	enum net_plug plug;
	struct pci_addr plug_addr;
	char plug_dev[IFNAMSIZ];
};

/*
 * Parse a <hookData> document. Everything that later reaches a path is validated here. A bad
 * policy is reported separately (ret_policy_error) so that operations which only restore can go on.
 * Returns 0 or -EINVAL/-EFBIG with e set.
 */
int netxml_parse(const char *buf, size_t len, struct net_doc *ret, struct xml_error *e,
		 struct xml_error *ret_policy_error, bool *ret_policy_bad);
void netxml_free(struct net_doc *doc);

/* A plain <network> document, as 'virsh net-dumpxml' prints it (no port). Same rules. */
int netxml_parse_network(const char *buf, size_t len, struct net_doc *ret, struct xml_error *e,
			 struct xml_error *ret_policy_error, bool *ret_policy_bad);
/* The root element's name of a document ("network", "domain", "hookData"). */
int netxml_root_name(const char *buf, size_t len, char *ret, size_t n, struct xml_error *e);
/* <hookData><network>...</network></hookData>, as libvirt passes a network to its hook at
 * "start begin" (a placeholder <uuid> is added where the document has none). *ret: free(). */
int netxml_network_to_hookdata(const char *buf, size_t len, char **ret, size_t *ret_len,
			       struct xml_error *e);
