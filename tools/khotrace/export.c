// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* export: the last cycle as Prometheus text exposition and as JSON */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>
/* json-c's json_bool type would clash with json.h's json_bool() writer */
#define json_bool jsonc_bool
#include <json-c/json.h>
#undef json_bool

#include "events.h"
#include "export.h"
#include "fdt.h"
#include "hist.h"
#include "json.h"
#include "kho_state.h"
#include "util.h"

static const char *const outcome_names[] = {
	[CO_ABSENT]		= "absent",
	[CO_OK]			= "ok",
	[CO_MISMATCH]		= "mismatch",
	[CO_ERROR]		= "error",
	[CO_NOT_APPLICABLE]	= "not_applicable",
};

const char *cycle_outcome_name(enum cycle_outcome o)
{
	return o < CO_MAX ? outcome_names[o] : "?";
}

static int outcome_parse(const char *s)
{
	for (int i = 0; i < CO_MAX; i++)
		if (!strcmp(s, outcome_names[i]))
			return i;
	return -1;
}

void cycle__init(struct cycle *c)
{
	memset(c, 0, sizeof(*c));
	c->bo_state = BO_NO_KEXEC;
}

void cycle__free(struct cycle *c)
{
	free(c->producers);
	c->producers = NULL;
	c->nr_producers = 0;
}

/* json-c helpers: a member of a type, or NULL */
static json_object *member(json_object *o, const char *key, json_type type)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

static __u64 member_u64(json_object *o, const char *key)
{
	json_object *v = member(o, key, json_type_int);

	return v ? (__u64)json_object_get_uint64(v) : 0;
}

static bool member_bool(json_object *o, const char *key)
{
	json_object *v = member(o, key, json_type_boolean);

	return v && json_object_get_boolean(v);
}

static void member_str(json_object *o, const char *key, char *buf, size_t size)
{
	json_object *v = member(o, key, json_type_string);

	snprintf(buf, size, "%s", v ? json_object_get_string(v) : "");
}

/*
 * The cycle's scalar members: one row both writes a member and reads it
 * back (perf's feat_ops), so that the JSON and its parser cannot drift.
 */
enum member_type { M_U64, M_U32, M_BOOL, M_STR, M_STR_OPT /* left out when "" */ };

struct member_row {
	const char *key;
	enum member_type type;
	size_t off, size;
};

#define MEMBER(key, type, st, field) \
	{ key, type, offsetof(st, field), sizeof(((st *)0)->field) }

static const struct member_row cycle_head[] = {
	MEMBER("time", M_U64, struct cycle, time),
	MEMBER("release", M_STR, struct cycle, release),
	MEMBER("previous_release", M_STR, struct cycle, previous_release),
	MEMBER("kexec_count", M_U32, struct cycle, kexec_count),
	MEMBER("kho", M_BOOL, struct cycle, kho),
	MEMBER("kho_boot", M_BOOL, struct cycle, kho_boot),
	MEMBER("kho_crc", M_BOOL, struct cycle, kho_crc),
	MEMBER("series", M_BOOL, struct cycle, series),
	{ 0 }
};

/* verify's counts, then (after mismatches_by_kind) what it compared */
static const struct member_row verify_counts[] = {
	MEMBER("verify_time", M_U64, struct cycle_verify, time),
	MEMBER("items", M_U64, struct cycle_verify, items),
	MEMBER("ok", M_U64, struct cycle_verify, ok),
	MEMBER("mismatches", M_U64, struct cycle_verify, mismatches),
	{ 0 }
};

static const struct member_row verify_compared[] = {
	MEMBER("ranges_compared", M_BOOL, struct cycle_verify, ranges_compared),
	MEMBER("bytes_compared", M_BOOL, struct cycle_verify, bytes_compared),
	MEMBER("handover_compared", M_BOOL, struct cycle_verify, handover_compared),
	MEMBER("error", M_STR_OPT, struct cycle_verify, error),
	{ 0 }
};

static void members_read(json_object *o, const struct member_row *rows, void *base)
{
	for (const struct member_row *r = rows; r->key; r++) {
		void *p = (char *)base + r->off;

		switch (r->type) {
		case M_U64:
			*(__u64 *)p = member_u64(o, r->key);
			break;
		case M_U32:
			*(__u32 *)p = member_u64(o, r->key);
			break;
		case M_BOOL:
			*(bool *)p = member_bool(o, r->key);
			break;
		case M_STR:
		case M_STR_OPT:
			member_str(o, r->key, p, r->size);
			break;
		}
	}
}

static void members_write(struct json *j, const struct member_row *rows, const void *base)
{
	for (const struct member_row *r = rows; r->key; r++) {
		const void *p = (const char *)base + r->off;

		switch (r->type) {
		case M_U64:
			json_kv_u64(j, r->key, *(const __u64 *)p);
			break;
		case M_U32:
			json_kv_u64(j, r->key, *(const __u32 *)p);
			break;
		case M_BOOL:
			json_kv_bool(j, r->key, *(const bool *)p);
			break;
		case M_STR_OPT:
			if (!*(const char *)p)
				break;
			/* fall through */
		case M_STR:
			json_kv_str(j, r->key, p);
			break;
		}
	}
}

static json_object *parse_object(const char *text, const char *what, char *err, size_t err_size)
{
	enum json_tokener_error jerr;
	json_object *o;

	o = json_tokener_parse_verbose(text, &jerr);
	if (!o) {
		err_set(err, err_size, -EINVAL, "%s: not JSON: %s", what,
			json_tokener_error_desc(jerr));
		return NULL;
	}
	if (!json_object_is_type(o, json_type_object)) {
		err_set(err, err_size, -EINVAL, "%s: not a JSON object", what);
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* the verify part from an object of verify's or of the cycle's own form */
static int verify_from(json_object *o, struct cycle_verify *v, char *err, size_t err_size)
{
	json_object *arr, *kinds;
	char name[32];
	int out;

	memset(v, 0, sizeof(*v));
	member_str(o, "outcome", name, sizeof(name));
	out = outcome_parse(name);
	if (out < 0)
		return err_set(err, err_size, -EINVAL, "verify result: outcome '%s' is none of "
			       "ok, mismatch, error, not_applicable, absent", name);
	v->outcome = out;
	members_read(o, verify_counts, v);
	members_read(o, verify_compared, v);
	/* verify's own output lists every item: count the mismatches by kind */
	arr = member(o, "results", json_type_array);
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *it = json_object_array_get_idx(arr, i);

		member_str(it, "kind", name, sizeof(name));
		for (int k = VF_OK + 1; k < VF_NR_KINDS; k++)
			if (!strcmp(name, vf_kind_name(k)))
				v->by_kind[k]++;
	}
	/* the cycle's form has the counts */
	kinds = member(o, "mismatches_by_kind", json_type_object);
	for (int k = VF_OK + 1; kinds && k < VF_NR_KINDS; k++)
		v->by_kind[k] = member_u64(kinds, vf_kind_name(k));
	return 0;
}

int cycle__set_verify(struct cycle *c, const char *text, char *err, size_t err_size)
{
	json_object *o = parse_object(text, "verify result", err, err_size);
	int ret;

	if (!o)
		return -EINVAL;
	ret = verify_from(o, &c->verify, err, err_size);
	json_object_put(o);
	return ret;
}

void cycle__set_blackout(struct cycle *c, const struct blackout *bo)
{
	c->have_blackout = true;
	c->bo_state = bo->state;
	c->total_ns = bo->total_ns;
	c->out_ns = bo->out_ns;
	c->in_ns = bo->in_ns;
	c->nr_phases = 0;
	/* the last stamp ends the blackout: it has no duration */
	for (int i = 0; i + 1 < bo->nr; i++) {
		struct cycle_phase *p = &c->phases[c->nr_phases++];

		snprintf(p->name, sizeof(p->name), "%s", bo->phases[i].name);
		p->out = bo->phases[i].out;
		p->dur_ns = bo->phases[i].dur_ns;
	}
	for (int i = 0; i < bo->nr; i++) {
		if (bo->phases[i].has_mem) {
			c->have_received = true;
			c->received_bytes = bo->phases[i].bytes;
			c->received_ranges = bo->phases[i].ranges;
		}
	}
}

int cycle__set_record(struct cycle *c, const struct recording *rec)
{
	int nr;

	free(c->producers);
	c->producers = NULL;
	nr = summary__producers(rec, SORT_BYTES, &c->producers);
	if (nr < 0)
		return nr;
	c->nr_producers = nr;
	c->have_record = true;
	snprintf(c->record_release, sizeof(c->record_release), "%s", rec->hdr.release);
	for (int t = 0; t < KT_EV_MAX; t++) {
		c->lat[t] = rec->totals.totals.lat_hist[t];
		c->have_lat[t] = rec->has_totals && hist_total(c->lat[t].slots, KT_MAX_SLOTS);
	}
	return 0;
}

int cycle__collect(struct cycle *c, const struct cycle_src *src, char *err, size_t err_size)
{
	struct recording rec;
	struct kho_state st;
	struct blackout bo;
	struct utsname u;
	char berr[256];
	size_t len;
	char *text;
	int ret;

	cycle__init(c);
	c->time = time(NULL);
	if (!uname(&u))
		snprintf(c->release, sizeof(c->release), "%s", u.release);
	ret = kho_state__read(&st, src->root, err, err_size);
	if (!ret && st.format_err)
		ret = err_set(err, err_size, st.format_err, "%s", st.format_msg);
	if (ret) {
		kho_state__free(&st);
		return ret;
	}
	c->kho = st.enabled;
	c->kho_boot = st.kho_boot;
	c->kho_crc = st.crc_out || st.crc_received;
	/* the series' ABI: /sys/kernel/kho/active, the boot log */
	c->series = st.active >= 0 || st.bootlog;
	if (st.have_metadata) {
		c->kexec_count = st.kexec_count;
		snprintf(c->previous_release, sizeof(c->previous_release), "%s",
			 st.previous_release);
	}
	kho_state__free(&st);

	/* no timeline (KHO off, a kernel without the series): no blackout families */
	ret = blackout__read(src->root, &bo, berr, sizeof(berr));
	if (!ret)
		cycle__set_blackout(c, &bo);
	else if (ret == -EPROTO)	/* a timeline we cannot read is not an absent one */
		return err_set(err, err_size, ret, "%s", berr);

	if (src->verify_file) {
		ret = read_file(src->verify_file, (void **)&text, &len);
		if (ret == -ENOENT) {
			c->verify.outcome = CO_ABSENT;
		} else if (ret) {
			return err_set(err, err_size, ret, "%s: %s",
				       src->verify_file, strerror(-ret));
		} else {
			ret = cycle__set_verify(c, text, err, err_size);
			free(text);
			if (ret)
				return ret;
		}
	}
	if (src->record_file) {
		ret = recfile__load(src->record_file, &rec, err, err_size);
		if (ret)
			return ret;
		ret = cycle__set_record(c, &rec);
		recording__free(&rec);
		if (ret)
			return err_set(err, err_size, ret, "out of memory");
	}
	return 0;
}

/* Prometheus text exposition */

/* a label value: backslash, double quote and line feed escaped */
static void prom_label(FILE *f, const char *name, const char *v, bool more)
{
	fprintf(f, "%s=\"", name);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(f, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
	fprintf(f, "\"%s", more ? "," : "");
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static double secs(__u64 ns)
{
	return ns / 1e9;
}

/* a family of one unlabelled sample: a count, or nanoseconds as seconds */
static void family_u64(FILE *f, const char *name, const char *type, const char *help, __u64 v)
{
	family(f, name, type, help);
	fprintf(f, "%s %llu\n", name, (unsigned long long)v);
}

static void family_secs(FILE *f, const char *name, const char *help, __u64 ns)
{
	family(f, name, "gauge", help);
	fprintf(f, "%s %.9f\n", name, secs(ns));
}

static void prom_kho(FILE *f, const struct cycle *c)
{
	family_u64(f, "khotrace_kho_enabled", "gauge",
		   "KHO is enabled in the running kernel (kho=on).", c->kho);
	family_u64(f, "khotrace_kho_crc_enabled", "gauge",
		   "Handed-over memory is checksummed (kho_crc=on) on the way out or in.",
		   c->kho_crc);
	family_u64(f, "khotrace_kho_series_present", "gauge",
		   "The running kernel has the khotrace series (KHO active phase, boot log).",
		   c->series);
	family_u64(f, "khotrace_kho_boot", "gauge",
		   "The running kernel was started by a KHO kexec (1) or cold booted (0).",
		   c->kho_boot);
	family_u64(f, "khotrace_kexecs_total", "counter",
		   "KHO kexecs since the last cold boot (the kernel's kexec metadata).",
		   c->kexec_count);
	family(f, "khotrace_kernel_info", "gauge",
	       "The running kernel's release and the release that handed over to it.");
	fprintf(f, "khotrace_kernel_info{");
	prom_label(f, "release", c->release, true);
	prom_label(f, "previous_release", c->previous_release, false);
	fprintf(f, "} 1\n");
}

static void prom_verify(FILE *f, const struct cycle *c)
{
	const struct cycle_verify *v = &c->verify;

	family(f, "khotrace_verify_outcome", "gauge",
	       "Outcome of the last khotrace verify: 1 for the outcome it had.");
	for (int o = 0; o < CO_MAX; o++)
		fprintf(f, "khotrace_verify_outcome{outcome=\"%s\"} %d\n", outcome_names[o],
			v->outcome == (enum cycle_outcome)o);
	if (v->outcome != CO_OK && v->outcome != CO_MISMATCH)
		return;
	family(f, "khotrace_verify_mismatches", "gauge",
	       "Items the last verify found not as handed over, by kind.");
	for (int k = VF_OK + 1; k < VF_NR_KINDS; k++)
		fprintf(f, "khotrace_verify_mismatches{kind=\"%s\"} %llu\n", vf_kind_name(k),
			(unsigned long long)v->by_kind[k]);
	family(f, "khotrace_verify_items", "gauge",
	       "Items the last verify compared (kexec count, release, scratch, subtrees, ranges).");
	fprintf(f, "khotrace_verify_items{result=\"ok\"} %llu\n", (unsigned long long)v->ok);
	fprintf(f, "khotrace_verify_items{result=\"mismatch\"} %llu\n",
		(unsigned long long)v->mismatches);
	family(f, "khotrace_verify_skipped", "gauge",
	       "What the last verify could not compare (1: skipped, see verify's JSON for why).");
	fprintf(f, "khotrace_verify_skipped{what=\"ranges\"} %d\n", !v->ranges_compared);
	fprintf(f, "khotrace_verify_skipped{what=\"range_bytes\"} %d\n", !v->bytes_compared);
	fprintf(f, "khotrace_verify_skipped{what=\"handover_checksums\"} %d\n",
		!v->handover_compared);
	family_u64(f, "khotrace_verify_timestamp_seconds", "gauge",
		   "When the last khotrace verify ran, seconds since the epoch.", v->time);
}

static void prom_blackout(FILE *f, const struct cycle *c)
{
	if (!c->have_blackout || (c->bo_state != BO_OK && c->bo_state != BO_NO_STAMPS))
		return;
	family_secs(f, "khotrace_blackout_seconds",
		    "The last kexec's blackout, first stamp to first userspace.", c->total_ns);
	family(f, "khotrace_blackout_side_seconds", "gauge",
	       "The last kexec's blackout on the way out (old kernel) and in (new kernel).");
	fprintf(f, "khotrace_blackout_side_seconds{side=\"out\"} %.9f\n", secs(c->out_ns));
	fprintf(f, "khotrace_blackout_side_seconds{side=\"in\"} %.9f\n", secs(c->in_ns));
	family(f, "khotrace_blackout_phase_seconds", "gauge",
	       "The last kexec's blackout phases, each from its stamp to the next.");
	for (int i = 0; i < c->nr_phases; i++) {
		fprintf(f, "khotrace_blackout_phase_seconds{");
		prom_label(f, "phase", c->phases[i].name, true);
		prom_label(f, "side", c->phases[i].out ? "out" : "in", false);
		fprintf(f, "} %.9f\n", secs(c->phases[i].dur_ns));
	}
	if (!c->have_received)
		return;
	family_u64(f, "khotrace_received_bytes", "gauge",
		   "Preserved memory the new kernel received (walked by the retrieve phase).",
		   c->received_bytes);
	family_u64(f, "khotrace_received_ranges", "gauge",
		   "Preserved ranges the new kernel received (walked by the retrieve phase).",
		   c->received_ranges);
}

static void prom_producers(FILE *f, const struct cycle *c)
{
	static const struct {
		const char *name, *help;
	} fams[] = {
		{ "khotrace_preserved_bytes",
		  "Bytes preserved for the handover, by producer (recorded in the old kernel)." },
		{ "khotrace_preserved_calls",
		  "Preservation calls, by producer (recorded in the old kernel)." },
		{ "khotrace_preserved_ranges",
		  "Preserved ranges after coalescing, by producer (recorded in the old kernel)." },
	};

	if (!c->have_record)
		return;
	for (size_t k = 0; k < sizeof(fams) / sizeof(fams[0]); k++) {
		family(f, fams[k].name, "gauge", fams[k].help);
		for (int i = 0; i < c->nr_producers; i++) {
			const struct producer_row *r = &c->producers[i];
			__u64 v = k == 0 ? r->bytes : k == 1 ? r->calls : r->ranges;

			fprintf(f, "%s{", fams[k].name);
			prom_label(f, "producer", r->name, false);
			fprintf(f, "} %llu\n", (unsigned long long)v);
		}
	}
}

void cycle__write_prom(FILE *f, const struct cycle *c)
{
	prom_kho(f, c);
	prom_verify(f, c);
	prom_blackout(f, c);
	prom_producers(f, c);
	family_u64(f, "khotrace_export_timestamp_seconds", "gauge",
		   "When khotrace export gathered this cycle, seconds since the epoch.", c->time);
}

/* JSON: the same, and what diff and preflight read back */

static void json_verify(struct json *j, const struct cycle_verify *v)
{
	json_key(j, "verify");
	json_obj_open(j);
	json_kv_str(j, "outcome", cycle_outcome_name(v->outcome));
	members_write(j, verify_counts, v);
	json_key(j, "mismatches_by_kind");
	json_obj_open(j);
	for (int k = VF_OK + 1; k < VF_NR_KINDS; k++)
		json_kv_u64(j, vf_kind_name(k), v->by_kind[k]);
	json_obj_close(j);
	members_write(j, verify_compared, v);
	json_obj_close(j);
}

static void json_blackout(struct json *j, const struct cycle *c)
{
	if (!json_kv_obj_open(j, "blackout", c->have_blackout))
		return;
	json_kv_str(j, "state", blackout__state_str(c->bo_state));
	json_kv_u64(j, "total_ns", c->total_ns);
	json_kv_u64(j, "out_ns", c->out_ns);
	json_kv_u64(j, "in_ns", c->in_ns);
	json_key(j, "phases");
	json_arr_open(j);
	for (int i = 0; i < c->nr_phases; i++) {
		json_obj_open(j);
		json_kv_str(j, "phase", c->phases[i].name);
		json_kv_str(j, "side", c->phases[i].out ? "out" : "in");
		json_kv_u64(j, "duration_ns", c->phases[i].dur_ns);
		json_obj_close(j);
	}
	json_arr_close(j);
	if (c->have_received) {
		json_kv_u64(j, "received_bytes", c->received_bytes);
		json_kv_u64(j, "received_ranges", c->received_ranges);
	}
	json_obj_close(j);
}

static void json_record(struct json *j, const struct cycle *c)
{
	if (!json_kv_obj_open(j, "record", c->have_record))
		return;
	json_kv_str(j, "kernel", c->record_release);
	json_key(j, "producers");
	json_arr_open(j);
	for (int i = 0; i < c->nr_producers; i++) {
		json_obj_open(j);
		json_kv_str(j, "producer", c->producers[i].name);
		json_kv_u64(j, "bytes", c->producers[i].bytes);
		json_kv_u64(j, "calls", c->producers[i].calls);
		json_kv_u64(j, "ranges", c->producers[i].ranges);
		json_obj_close(j);
	}
	json_arr_close(j);
	/* every slot, so that the histogram reads back as it was */
	json_key(j, "latency_hist_ns");
	json_obj_open(j);
	for (int t = 0; t < KT_EV_MAX; t++) {
		if (!c->have_lat[t])
			continue;
		json_key(j, kt_event_name(t));
		json_arr_open(j);
		for (int s = 0; s < KT_MAX_SLOTS; s++)
			json_u64(j, c->lat[t].slots[s]);
		json_arr_close(j);
	}
	json_obj_close(j);
	json_obj_close(j);
}

void cycle__write_json(FILE *f, const struct cycle *c)
{
	struct json j;

	json_init(&j, f);
	json_obj_open(&j);
	json_kv_u64(&j, "khotrace_cycle", CYCLE_FORMAT);
	members_write(&j, cycle_head, c);
	json_verify(&j, &c->verify);
	json_blackout(&j, c);
	json_record(&j, c);
	json_obj_close(&j);
}

static int bo_state_parse(const char *s)
{
	for (int i = BO_OK; i <= BO_NO_CLOCK; i++)
		if (!strcmp(s, blackout__state_str(i)))
			return i;
	return -1;
}

static int blackout_from(json_object *b, struct cycle *c, char *err, size_t err_size)
{
	json_object *arr;
	char state[32];
	int s;

	if (!b)
		return 0;
	member_str(b, "state", state, sizeof(state));
	s = bo_state_parse(state);
	arr = member(b, "phases", json_type_array);
	if (s < 0 || !arr)
		return err_set(err, err_size, -EINVAL, "blackout: bad state '%s' or no phases",
			       state);
	c->have_blackout = true;
	c->bo_state = s;
	c->total_ns = member_u64(b, "total_ns");
	c->out_ns = member_u64(b, "out_ns");
	c->in_ns = member_u64(b, "in_ns");
	if (json_object_array_length(arr) > BLACKOUT_MAX_PHASES)
		return err_set(err, err_size, -EINVAL, "blackout: more than %d phases",
			       BLACKOUT_MAX_PHASES);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *p = json_object_array_get_idx(arr, i);
		struct cycle_phase *ph = &c->phases[c->nr_phases];
		char side[8];

		member_str(p, "phase", ph->name, sizeof(ph->name));
		member_str(p, "side", side, sizeof(side));
		if (!ph->name[0])
			return err_set(err, err_size, -EINVAL, "blackout: phase %zu has no name", i);
		ph->out = !strcmp(side, "out");
		ph->dur_ns = member_u64(p, "duration_ns");
		c->nr_phases++;
	}
	c->have_received = member(b, "received_bytes", json_type_int) != NULL;
	c->received_bytes = member_u64(b, "received_bytes");
	c->received_ranges = member_u64(b, "received_ranges");
	return 0;
}

static int record_from(json_object *r, struct cycle *c, char *err, size_t err_size)
{
	json_object *arr, *lat;
	size_t n;

	if (!r)
		return 0;
	c->have_record = true;
	member_str(r, "kernel", c->record_release, sizeof(c->record_release));
	arr = member(r, "producers", json_type_array);
	n = arr ? json_object_array_length(arr) : 0;
	c->producers = calloc(n ?: 1, sizeof(*c->producers));
	if (!c->producers)
		return err_set(err, err_size, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(arr, i);
		struct producer_row *row = &c->producers[c->nr_producers++];

		member_str(p, "producer", row->name, sizeof(row->name));
		row->bytes = member_u64(p, "bytes");
		row->calls = member_u64(p, "calls");
		row->ranges = member_u64(p, "ranges");
	}
	lat = member(r, "latency_hist_ns", json_type_object);
	for (int t = 0; lat && t < KT_EV_MAX; t++) {
		json_object *h = member(lat, kt_event_name(t), json_type_array);

		if (!h)
			continue;
		if (json_object_array_length(h) != KT_MAX_SLOTS)
			return err_set(err, err_size, -EINVAL, "latency histogram %s: %zu slots, not %d",
				       kt_event_name(t), json_object_array_length(h), KT_MAX_SLOTS);
		c->have_lat[t] = true;
		for (int s = 0; s < KT_MAX_SLOTS; s++) {
			json_object *v = json_object_array_get_idx(h, s);

			c->lat[t].slots[s] = json_object_get_uint64(v);
		}
	}
	return 0;
}

int cycle__parse_json(const char *text, struct cycle *c, char *err, size_t err_size)
{
	json_object *o, *v;
	int ret = -EINVAL;

	cycle__init(c);
	o = parse_object(text, "cycle", err, err_size);
	if (!o)
		return -EINVAL;
	if (member_u64(o, "khotrace_cycle") != CYCLE_FORMAT) {
		ret = err_set(err, err_size, -EINVAL, "not a khotrace cycle (no \"khotrace_cycle\": "
			      "%d)", CYCLE_FORMAT);
		goto out;
	}
	members_read(o, cycle_head, c);
	v = member(o, "verify", json_type_object);
	if (v && verify_from(v, &c->verify, err, err_size))
		goto out;
	if (blackout_from(member(o, "blackout", json_type_object), c, err, err_size) ||
	    record_from(member(o, "record", json_type_object), c, err, err_size))
		goto out;
	ret = 0;
out:
	json_object_put(o);
	if (ret)
		cycle__free(c);
	return ret;
}

int cycle__load_json(const char *path, struct cycle *c, char *err, size_t err_size)
{
	char perr[200];
	size_t len;
	char *text;
	int ret;

	cycle__init(c);
	ret = read_file(path, (void **)&text, &len);
	if (ret)
		return err_set(err, err_size, ret, "cannot read %s: %s", path, strerror(-ret));
	if (strlen(text) != len) {
		ret = err_set(err, err_size, -EINVAL, "%s: not a text file", path);
	} else {
		ret = cycle__parse_json(text, c, perr, sizeof(perr));
		if (ret)
			err_set(err, err_size, ret, "%s: %s", path, perr);
	}
	free(text);
	return ret;
}
