/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* The output of --json: a small writer that handles commas and escaping. */
struct json {
	FILE *f;
	int depth;
	bool first[32];
	bool after_key;
};

void json_begin(struct json *j, FILE *f);
/* The first two keys of every document: "schema" (its name) and "schema_version" (see
 * sriov-hooks(8), JSON OUTPUT: bumped when a field goes, is renamed, or changes type or meaning). */
void json_schema(struct json *j, const char *name, int version);
void json_end(struct json *j); /* final newline */
void json_object_open(struct json *j);
void json_object_close(struct json *j);
void json_array_open(struct json *j);
void json_array_close(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s); /* NULL: null */
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, long long v);
void json_kv_bool(struct json *j, const char *key, bool v);
