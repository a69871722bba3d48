/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "guest.h"
#include "macro.h"
#include "util.h"

#define GUEST_FILE_MAX 16384

static int guest_path(char *buf, size_t n, const char *uuid)
{
	if (!uuid_valid(uuid))
		return -EINVAL;
	snprintf(buf, n, "guest/%s", uuid);
	return 0;
}

int guest_overrides_format(const char *name, const struct vf_override *o, size_t n, char *buf,
			   size_t len)
{
	char line[256];
	size_t used;
	int k;

	k = snprintf(buf, len, "version=1\nname=%s\n", text_one_line(name, line, sizeof(line)));
	if (k < 0 || (size_t)k >= len)
		return -ENOBUFS;
	used = (size_t)k;
	for (size_t i = 0; i < n; i++) {
		k = snprintf(buf + used, len - used, "interface mac=%s", o[i].mac);
		if (k < 0 || (size_t)k >= len - used)
			return -ENOBUFS;
		used += (size_t)k;
		for (int a = 0; a < _VF_ATTR_MAX; a++) {
			if (!o[i].set[a])
				continue;
			k = snprintf(buf + used, len - used, " %s=%s", vf_attr_name((enum vf_attr)a),
				     vf_attr_format((enum vf_attr)a, o[i].v.v[a]));
			if (k < 0 || (size_t)k >= len - used)
				return -ENOBUFS;
			used += (size_t)k;
		}
		if (o[i].on_error >= 0) {
			k = snprintf(buf + used, len - used, " on-error=%s",
				     on_error_to_string(o[i].on_error));
			if (k < 0 || (size_t)k >= len - used)
				return -ENOBUFS;
			used += (size_t)k;
		}
		if (used + 1 >= len)
			return -ENOBUFS;
		buf[used++] = '\n';
		buf[used] = '\0';
	}
	return (int)used;
}

int guest_overrides_save(int dirfd, const char *uuid, const char *name,
			 const struct vf_override *o, size_t n)
{
	char path[64], buf[GUEST_FILE_MAX];
	int len, r;

	if ((r = guest_path(path, sizeof(path), uuid)) < 0)
		return r;
	len = guest_overrides_format(name, o, n, buf, sizeof(buf));
	if (len < 0)
		return len;
	if (mkdirat(dirfd, "guest", 0700) < 0 && errno != EEXIST)
		return -errno;
	return write_file_atomic_at(dirfd, path, buf, (size_t)len);
}

int guest_overrides_find(int dirfd, const char *uuid, const char *mac, struct vf_override *ret)
{
	_cleanup_free_ char *buf = NULL;
	char path[64], *save = NULL, *line;
	size_t n;
	int r;

	if ((r = guest_path(path, sizeof(path), uuid)) < 0)
		return r;
	r = read_full_file_at(dirfd, path, GUEST_FILE_MAX, O_NOFOLLOW, &buf, &n);
	if (r == -EFBIG)
		return -EBADMSG;
	if (r < 0)
		return r;

	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct vf_override o;
		char *tsave = NULL, *tok;
		bool match = false;

		if (strncmp(line, "interface ", 10) != 0)
			continue;
		vf_override_init(&o);
		for (tok = strtok_r(line + 10, " ", &tsave); tok; tok = strtok_r(NULL, " ", &tsave)) {
			char *eq = strchr(tok, '=');

			if (!eq)
				return -EBADMSG;
			*eq = '\0';
			if (strcmp(tok, "mac") == 0) {
				if (!mac_valid(eq + 1))
					return -EBADMSG;
				snprintf(o.mac, sizeof(o.mac), "%s", eq + 1);
				match = strcasecmp(eq + 1, mac) == 0;
			} else if (vf_override_set(&o, tok, eq + 1) < 0) {
				return -EBADMSG;
			}
		}
		if (match) {
			*ret = o;
			return 0;
		}
	}
	return -ENOENT;
}

int guest_overrides_remove(int dirfd, const char *uuid)
{
	char path[64];
	int r;

	if ((r = guest_path(path, sizeof(path), uuid)) < 0)
		return r;
	if (unlinkat(dirfd, path, 0) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}
