/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* Minimal JSON writer: enough for NDJSON events and one-object reports. */
#ifndef __KHOTRACE_JSON_H
#define __KHOTRACE_JSON_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
/* has any JSON writer been set on stdout (for p_err_json()) */
bool json_stdout_used(void);
/* JSON written on f without struct json (live's NDJSON lines) */
void json_mark_used(FILE *f);
void json_key(struct json *j, const char *key);
void json_obj_open(struct json *j);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *s);
void json_u64(struct json *j, __u64 v);
void json_s64(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
void json_float(struct json *j, double v);
/* key + value shorthands */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, __u64 v);
void json_kv_s64(struct json *j, const char *key, long long v);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_hex(struct json *j, const char *key, __u64 v);
void json_kv_float(struct json *j, const char *key, double v);
/* key and '{' when have (returned), else key and null */
bool json_kv_obj_open(struct json *j, const char *key, bool have);
/* the same, null where the value is absent: a NULL s, !have, a tri-state v < 0 */
void json_kv_str_or_null(struct json *j, const char *key, const char *s);
void json_kv_u64_if(struct json *j, const char *key, bool have, __u64 v);
void json_kv_tribool(struct json *j, const char *key, int v);

#endif /* __KHOTRACE_JSON_H */
