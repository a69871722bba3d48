/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "dddd:bb:ss.f" plus NUL; a domain above 0xffff prints wider. */
#define PCI_ADDR_STRLEN 16
#define UUID_STRLEN 37
/* Documents libvirt writes are a few KiB; a pool listing 65535 VFs stays under 8 MiB. */
#define INPUT_MAX (8u << 20)

struct pci_addr {
	uint32_t domain;
	uint8_t bus;
	uint8_t slot;
	uint8_t function;
};

/* Strict decimal: digits only, no sign, no spaces, no leading zeros but "0". 0 or -EINVAL/-ERANGE. */
int parse_u32(const char *s, uint32_t *ret);
/* Strict "0x"-prefixed hex no larger than max (libvirt prints every PCI field this way). */
int parse_hex(const char *s, uint32_t max, uint32_t *ret);
/* Like parse_u32 but accepts the one trailing newline a sysfs file has. */
int parse_u32_line(const char *s, uint32_t *ret);

/* Fields of an XML <address domain= bus= slot= function=/>; NULL fields are an error. */
int pci_addr_from_fields(const char *domain, const char *bus, const char *slot,
			 const char *function, struct pci_addr *ret);
/* "0000:01:10.2", as sysfs names a device. */
int pci_addr_parse(const char *s, struct pci_addr *ret);
const char *pci_addr_format(const struct pci_addr *a, char buf[static PCI_ADDR_STRLEN]);
bool pci_addr_equal(const struct pci_addr *a, const struct pci_addr *b);

/* A name that may become one path component: a network interface name. */
bool ifname_valid(const char *s);
/* 8-4-4-4-12 hex digits, as libvirt prints UUIDs. */
bool uuid_valid(const char *s);
/* Read fd to its end into a NUL-terminated buffer of at most max bytes: -EFBIG beyond. */
int read_full(int fd, size_t max, char **ret, size_t *ret_len);
/* The same for the file at path below dirfd (an injectable root: /, /sys or a fake tree). */
int read_full_file_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_len);

/* No control characters, so it fits on one line of a state record. */
bool text_is_single_line(const char *s);
