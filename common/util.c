/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"

#include "util.h"

int parse_u32(const char *s, uint32_t *ret)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && s[1] != '\0')
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return -ERANGE;
	}
	*ret = (uint32_t)v;
	return 0;
}

int parse_u32_line(const char *s, uint32_t *ret)
{
	char buf[16];
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '\n')
		n--;
	if (n == 0 || n >= sizeof(buf))
		return n == 0 ? -EINVAL : -ERANGE;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return parse_u32(buf, ret);
}

int parse_hex(const char *s, uint32_t max, uint32_t *ret)
{
	uint64_t v = 0;
	const char *p;

	if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || s[2] == '\0')
		return -EINVAL;
	for (p = s + 2; *p; p++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return -EINVAL;
		v = v * 16 + (uint64_t)d;
		if (v > max || p - s > 10)
			return -ERANGE;
	}
	*ret = (uint32_t)v;
	return 0;
}

int pci_addr_from_fields(const char *domain, const char *bus, const char *slot,
			 const char *function, struct pci_addr *ret)
{
	uint32_t d, b, s, f;
	int r;

	if ((r = parse_hex(domain, 0xffff, &d)) < 0 || (r = parse_hex(bus, 0xff, &b)) < 0 ||
	    (r = parse_hex(slot, 0x1f, &s)) < 0 || (r = parse_hex(function, 0x7, &f)) < 0)
		return r;
	*ret = (struct pci_addr){.domain = d, .bus = (uint8_t)b, .slot = (uint8_t)s,
				 .function = (uint8_t)f};
	return 0;
}

static int hexdigits(const char *s, size_t n, uint32_t *ret)
{
	uint32_t v = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!isxdigit((unsigned char)c) || isupper((unsigned char)c))
			return -EINVAL;
		v = v * 16 + (uint32_t)(c <= '9' ? c - '0' : c - 'a' + 10);
	}
	*ret = v;
	return 0;
}

int pci_addr_parse(const char *s, struct pci_addr *ret)
{
	uint32_t d, b, sl, f;

	/* Exactly dddd:bb:ss.f, lower-case hex, as the kernel names PCI devices. */
	if (!s || strlen(s) != 12 || s[4] != ':' || s[7] != ':' || s[10] != '.')
		return -EINVAL;
	if (hexdigits(s, 4, &d) < 0 || hexdigits(s + 5, 2, &b) < 0 || hexdigits(s + 8, 2, &sl) < 0 ||
	    hexdigits(s + 11, 1, &f) < 0)
		return -EINVAL;
	if (sl > 0x1f || f > 7)
		return -EINVAL;
	*ret = (struct pci_addr){.domain = d, .bus = (uint8_t)b, .slot = (uint8_t)sl,
				 .function = (uint8_t)f};
	return 0;
}

const char *pci_addr_format(const struct pci_addr *a, char buf[static PCI_ADDR_STRLEN])
{
	snprintf(buf, PCI_ADDR_STRLEN, "%04x:%02x:%02x.%x", a->domain, a->bus, a->slot, a->function);
	return buf;
}

bool pci_addr_equal(const struct pci_addr *a, const struct pci_addr *b)
{
	return a->domain == b->domain && a->bus == b->bus && a->slot == b->slot &&
	       a->function == b->function;
}

bool ifname_valid(const char *s)
{
	size_t n;

	if (!s)
		return false;
	n = strlen(s);
	if (n == 0 || n >= IFNAMSIZ)
		return false;
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (const char *p = s; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p) || !isprint((unsigned char)*p))
			return false;
	return true;
}

bool uuid_valid(const char *s)
{
	if (!s || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

bool text_is_single_line(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

const char *text_one_line(const char *s, char *buf, size_t n)
{
	if (s != buf) /* in place is allowed */
		snprintf(buf, n, "%s", s);
	for (unsigned char *p = (unsigned char *)buf; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
	return buf;
}

int read_full(int fd, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *grown;

			/* One byte past max tells a file of exactly max bytes from a larger one. */
			if (cap > max)
				return -EFBIG;
			cap = cap ? cap * 2 : 16384;
			if (cap > max + 1)
				cap = max + 1;
			grown = realloc(buf, cap + 1);
			if (!grown)
				return -ENOMEM;
			buf = grown;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max)
			return -EFBIG;
	}
	if (!buf && !(buf = malloc(1)))
		return -ENOMEM;
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	if (ret_len)
		*ret_len = len;
	return 0;
}
