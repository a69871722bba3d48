/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <net/if.h>
#include <stdbool.h>

#include "settings.h"
#include "util.h"

/*
 * What the hooks changed, so they can put it back: one record per VF, in STATE_DIR/vf/<BDF>,
 * written atomically (temporary file, fsync, rename). Locks are per PF: STATE_DIR/lock/<PF BDF>.
 * Never logs; returns -errno.
 */

#define STATE_NAME_MAX 256

struct vf_record {
	struct pci_addr vf;
	struct pci_addr pf;
	char pf_ifname[IFNAMSIZ];
	uint32_t index;
	/* The owner: a network port (network hook), or a guest's direct VF (qemu hook). */
	char network[STATE_NAME_MAX];
	char network_uuid[UUID_STRLEN];
	char port_uuid[UUID_STRLEN];
	char owner_name[STATE_NAME_MAX];
	char owner_uuid[UUID_STRLEN];
	/* The values before we first touched the VF; VF_UNSET = never changed by us. */
	struct vf_settings orig;
	/* What the owner's policy wants, so the qemu hook can re-assert it after a driver reset. */
	struct vf_settings want;
	int on_error; /* enum on_error of that policy */
};

/* Open (creating if needed) the state directory with its vf/ and lock/ folders. */
int state_open(const char *dir, bool create, int *ret_fd);

/* Take the PF's lock, waiting at most timeout_ms. -ETIMEDOUT when another hook holds it longer. */
int state_lock_pf(int dirfd, const struct pci_addr *pf, int timeout_ms, int *ret_lock_fd);
/* Who holds a PF's lock, from the kernel's /proc/locks: "pid 1234: /etc/libvirt/hooks/network
 * pool1 port-created begin -". -ENODATA when nobody does. */
int state_lock_holder(int dirfd, const struct pci_addr *pf, char *ret, size_t n);
#define STATE_HOLDER_MAX 320
#define STATE_LOCK_TIMEOUT_MS 20000

int state_load(int dirfd, const struct pci_addr *vf, struct vf_record *ret);
int state_save(int dirfd, const struct vf_record *rec);
int state_remove(int dirfd, const struct pci_addr *vf);

/* Every record, for a network stop or a status. *ret is malloc'd; the count is returned. */
int state_list(int dirfd, struct vf_record **ret);
/* The same, and the VFs whose record exists but cannot be used (torn, naming another VF, not a
 * regular file): *ret_bad, malloc'd, *ret_n_bad of them. */
int state_list_full(int dirfd, struct vf_record **ret, struct pci_addr **ret_bad,
		    size_t *ret_n_bad);

/* Serialise / parse a record; exported for tests. */
int state_format(const struct vf_record *rec, char *buf, size_t n);
int state_parse(const char *text, struct vf_record *ret);
