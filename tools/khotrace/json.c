// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <string.h>

#include "json.h"

static bool stdout_used;

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

bool json_stdout_used(void)
{
	return stdout_used;
}

void json_mark_used(FILE *f)
{
	if (f == stdout)
		stdout_used = true;
}

/* comma before a value unless it follows a key */
static void sep(struct json *j)
{
	if (j->f == stdout)
		stdout_used = true;
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
}

static void put_str(struct json *j, const char *s);

void json_key(struct json *j, const char *key)
{
	sep(j);
	put_str(j, key);
	fputc(':', j->f);
	j->need_comma[j->depth] = false;
}

static void open(struct json *j, char c)
{
	sep(j);
	fputc(c, j->f);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
	/* a top-level value ends its line: the next one is a line of its own (NDJSON) */
	j->need_comma[j->depth] = j->depth > 0;
	if (!j->depth)
		fputc('\n', j->f);
}

void json_obj_open(struct json *j) { open(j, '{'); }
void json_obj_close(struct json *j) { close_(j, '}'); }
void json_arr_open(struct json *j) { open(j, '['); }
void json_arr_close(struct json *j) { close_(j, ']'); }

static void put_str(struct json *j, const char *s)
{
	const unsigned char *p;

	fputc('"', j->f);
	for (p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", j->f); break;
		case '\\': fputs("\\\\", j->f); break;
		case '\n': fputs("\\n", j->f); break;
		case '\t': fputs("\\t", j->f); break;
		default:
			if (*p < 0x20)
				fprintf(j->f, "\\u%04x", *p);
			else
				fputc(*p, j->f);
		}
	}
	fputc('"', j->f);
}

void json_str(struct json *j, const char *s)
{
	sep(j);
	put_str(j, s);
}

void json_u64(struct json *j, __u64 v) { sep(j); fprintf(j->f, "%llu", (unsigned long long)v); }
void json_s64(struct json *j, long long v) { sep(j); fprintf(j->f, "%lld", v); }
void json_bool(struct json *j, bool v) { sep(j); fputs(v ? "true" : "false", j->f); }
void json_null(struct json *j) { sep(j); fputs("null", j->f); }
void json_float(struct json *j, double v) { sep(j); fprintf(j->f, "%.6f", v); }

void json_kv_str(struct json *j, const char *k, const char *s) { json_key(j, k); json_str(j, s); }
void json_kv_u64(struct json *j, const char *k, __u64 v) { json_key(j, k); json_u64(j, v); }
void json_kv_s64(struct json *j, const char *k, long long v) { json_key(j, k); json_s64(j, v); }
void json_kv_bool(struct json *j, const char *k, bool v) { json_key(j, k); json_bool(j, v); }
void json_kv_float(struct json *j, const char *k, double v) { json_key(j, k); json_float(j, v); }

bool json_kv_obj_open(struct json *j, const char *k, bool have)
{
	json_key(j, k);
	have ? json_obj_open(j) : json_null(j);
	return have;
}

void json_kv_str_or_null(struct json *j, const char *k, const char *s)
{
	json_key(j, k);
	s ? json_str(j, s) : json_null(j);
}

void json_kv_u64_if(struct json *j, const char *k, bool have, __u64 v)
{
	json_key(j, k);
	have ? json_u64(j, v) : json_null(j);
}

void json_kv_tribool(struct json *j, const char *k, int v)
{
	json_key(j, k);
	v >= 0 ? json_bool(j, v) : json_null(j);
}

void json_kv_hex(struct json *j, const char *k, __u64 v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	json_kv_str(j, k, buf);
}
