/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "fileio.h"
#include "macro.h"
#include "util.h"

#define CONF_MAX (1u << 20)

_printf_(4, 5) static int fail(char *err, size_t n, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
	return r;
}

static char *strip(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

int conf_parse(const char *text, const char *path, struct host_conf *ret, char *err, size_t n)
{
	_cleanup_free_ struct host_conf *c = calloc(1, sizeof(*c));
	struct vf_override *section;
	const char *p = text;
	unsigned line = 0;

	if (!c)
		return -ENOMEM;
	vf_override_init(&c->defaults);
	section = &c->defaults;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char buf[512], *s, *eq, *key, *value;
		int r;

		line++;
		if (len >= sizeof(buf))
			return fail(err, n, -EINVAL, "%s:%u: line too long", path, line);
		memcpy(buf, p, len);
		buf[len] = '\0';
		p += len + (eol ? 1 : 0);
		s = strip(buf);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			char *name;

			if (!close || *strip(close + 1) != '\0')
				return fail(err, n, -EINVAL, "%s:%u: malformed section header '%s'",
					    path, line, s);
			*close = '\0';
			name = strip(s + 1);
			if (strcmp(name, "defaults") == 0) {
				section = &c->defaults;
				continue;
			}
			if (strncmp(name, "pf", 2) != 0 || (name[2] != ' ' && name[2] != '\t'))
				return fail(err, n, -EINVAL,
					    "%s:%u: unknown section '[%s]': expected [defaults] or "
					    "[pf NAME]", path, line, name);
			name = strip(name + 2);
			if (!ifname_valid(name))
				return fail(err, n, -EINVAL, "%s:%u: invalid interface name '%s'",
					    path, line, name);
			for (size_t i = 0; i < c->n_pfs; i++)
				if (strcmp(c->pfs[i].name, name) == 0)
					return fail(err, n, -EINVAL,
						    "%s:%u: section [pf %s] appears twice", path, line,
						    name);
			if (c->n_pfs == CONF_PF_MAX)
				return fail(err, n, -E2BIG, "%s:%u: more than %d [pf] sections", path,
					    line, CONF_PF_MAX);
			strcpy(c->pfs[c->n_pfs].name, name);
			section = &c->pfs[c->n_pfs].o;
			vf_override_init(section);
			c->n_pfs++;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq)
			return fail(err, n, -EINVAL, "%s:%u: expected 'key = value', found '%s'", path,
				    line, s);
		*eq = '\0';
		key = strip(s);
		value = strip(eq + 1);
		r = vf_override_set(section, key, value);
		if (r == -ENOKEY)
			return fail(err, n, -EINVAL, "%s:%u: unknown key '%s'", path, line, key);
		if (r < 0)
			return fail(err, n, -EINVAL, "%s:%u: invalid value '%s' for '%s': expected %s",
				    path, line, value, key, pool_policy_expected(key));
	}
	*ret = *c;
	return 0;
}

int conf_load(const char *path, struct host_conf *ret, char *err, size_t n)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	err[0] = '\0';
	r = read_full_file_at(AT_FDCWD, path, CONF_MAX, O_NOFOLLOW, &buf, &len);
	if (r == -ENOENT)
		return r;
	if (r == -EFBIG)
		return fail(err, n, r, "%s: larger than 1 MiB", path);
	if (r < 0)
		return fail(err, n, r, "%s: cannot read: %s", path, strerror(-r));
	if (strlen(buf) != len)
		return fail(err, n, -EINVAL, "%s: contains a NUL byte", path);
	return conf_parse(buf, path, ret, err, n);
}

int conf_pf_policy(const struct host_conf *c, const char *pf, struct pool_policy *ret)
{
	for (size_t i = 0; i < c->n_pfs; i++) {
		if (strcmp(c->pfs[i].name, pf) != 0)
			continue;
		pool_policy_default(ret);
		pool_policy_apply_override(ret, &c->defaults);
		pool_policy_apply_override(ret, &c->pfs[i].o);
		return 0;
	}
	return -ENOENT;
}
