// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hist.h"
#include "json.h"
#include "summary.h"

static const char *const sort_names[] = {
	[SORT_BYTES] = "bytes", [SORT_CALLS] = "calls",
	[SORT_RANGES] = "ranges", [SORT_NAME] = "name",
};

int summary__parse_sort(const char *key)
{
	for (int i = 0; i < (int)(sizeof(sort_names) / sizeof(sort_names[0])); i++)
		if (!strcmp(key, sort_names[i]))
			return i;
	return -1;
}

static int sort_key;

static int row_cmp(const void *a, const void *b)
{
	const struct producer_row *x = a, *y = b;
	__u64 vx, vy;

	switch (sort_key) {
	case SORT_NAME:
		return strcmp(x->name, y->name);
	case SORT_CALLS:
		vx = x->calls, vy = y->calls;
		break;
	case SORT_RANGES:
		vx = x->ranges, vy = y->ranges;
		break;
	default:
		vx = x->bytes, vy = y->bytes;
	}
	if (vx != vy)
		return vx < vy ? 1 : -1;
	return strcmp(x->name, y->name);
}

int summary__producers(const struct recording *rec, int key, struct producer_row **rowsp)
{
	struct producer_row *rows = NULL, *r;
	int nr = 0;

	for (size_t i = 0; i < rec->nr_records; i++) {
		const struct kt_record *kr = &rec->records[i];
		const struct kt_event *e = &kr->ev;
		int j;

		if (e->type != KT_EV_PRESERVE || e->err ||
		    (e->kind != KT_KIND_FOLIO && e->kind != KT_KIND_PAGES))
			continue;
		for (j = 0; j < nr; j++)
			if (!strcmp(rows[j].name, kr->producer))
				break;
		if (j == nr) {
			r = realloc(rows, (nr + 1) * sizeof(*rows));
			if (!r) {
				free(rows);
				return -ENOMEM;
			}
			rows = r;
			memset(&rows[nr], 0, sizeof(rows[nr]));
			snprintf(rows[nr].name, sizeof(rows[nr].name), "%s", kr->producer);
			nr++;
		}
		rows[j].bytes += e->size;
		rows[j].calls += e->nr_calls;
		rows[j].ranges++;
	}
	sort_key = key;
	if (nr)
		qsort(rows, nr, sizeof(*rows), row_cmp);
	*rowsp = rows;
	return nr;
}

static double pct(__u64 v, __u64 total)
{
	return total ? 100.0 * v / total : 0.0;
}

int summary__scratch_area(const struct recording *rec, const struct kt_event *e)
{
	if (e->aux32[KT_AUX_AREA] != KT_NO_AREA)
		return e->aux32[KT_AUX_AREA];
	for (int i = 0; i < rec->nr_scratch; i++)
		if (e->phys >= rec->scratch[i].addr &&
		    e->phys < rec->scratch[i].addr + rec->scratch[i].size)
			return i;
	return -1;
}

struct scratch_use *summary__scratch_usage(const struct recording *rec)
{
	struct scratch_use *u = calloc(rec->nr_scratch + 1, sizeof(*u));

	if (!u)
		return NULL;
	for (size_t i = 0; i < rec->nr_records; i++) {
		const struct kt_event *e = &rec->records[i].ev;
		int a;

		if (e->type != KT_EV_SCRATCH_PLACE || e->err)
			continue;
		a = summary__scratch_area(rec, e);
		if (a < 0 || a >= rec->nr_scratch)
			a = rec->nr_scratch;	/* outside any known area */
		u[a].segments++;
		u[a].used += e->size;
	}
	return u;
}

static __u64 nr_events(const struct recording *rec)
{
	return rec->nr_records;
}

static void print_header(FILE *f, const struct recording *rec)
{
	const struct kt_totals *t = &rec->totals.totals;
	char when[64] = "?";
	time_t sec = rec->hdr.start_realtime_ns / 1000000000ULL;
	struct tm tm;

	if (localtime_r(&sec, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "# khotrace report\n");
	fprintf(f, "# kernel: %s, mode: %s, recorded: %s\n", rec->hdr.release,
		kt_mode_name(rec->hdr.mode), when);
	fprintf(f, "# events: %llu, lost: %llu, duration: %.3f s\n",
		(unsigned long long)nr_events(rec), (unsigned long long)t->lost,
		rec->totals.duration_ns / 1e9);
	fprintf(f, "# preserved: %llu bytes in %llu calls, unpreserved: %llu bytes, restored: %llu bytes\n",
		(unsigned long long)kt_op_bytes(t, KT_EV_PRESERVE),
		(unsigned long long)(t->by_kind[KT_EV_PRESERVE][KT_KIND_FOLIO].calls +
				     t->by_kind[KT_EV_PRESERVE][KT_KIND_PAGES].calls),
		(unsigned long long)kt_op_bytes(t, KT_EV_UNPRESERVE),
		(unsigned long long)kt_op_bytes(t, KT_EV_RESTORE));
	fprintf(f, "#\n");
}

void summary__print(FILE *f, const struct recording *rec, int key)
{
	const struct kt_totals *t = &rec->totals.totals;
	__u64 total = kt_op_bytes(t, KT_EV_PRESERVE), sum;
	struct producer_row *rows = NULL;
	struct scratch_use *use;
	int nr;

	print_header(f, rec);

	nr = summary__producers(rec, key, &rows);
	fprintf(f, "# Preserved by producer (sorted by %s)\n", sort_names[key]);
	fprintf(f, "%14s %7s %10s %8s  %s\n", "BYTES", "%", "CALLS", "RANGES", "PRODUCER");
	for (sum = 0; nr > 0 && sum < (__u64)nr; sum++) {
		struct producer_row *r = &rows[sum];

		fprintf(f, "%14llu %6.2f%% %10llu %8llu  %s\n", (unsigned long long)r->bytes,
			pct(r->bytes, total), (unsigned long long)r->calls,
			(unsigned long long)r->ranges, r->name);
	}
	free(rows);
	if (t->lost)
		fprintf(f, "# note: %llu events lost, producer rows are short of the totals\n",
			(unsigned long long)t->lost);

	fprintf(f, "\n# Preserved by kind\n");
	fprintf(f, "%14s %7s %10s %8s  %s\n", "BYTES", "%", "CALLS", "ERRORS", "KIND");
	for (int k = 0; k < KT_KIND_NONE; k++) {
		const struct kt_count *c = &t->by_kind[KT_EV_PRESERVE][k];
		bool wrapper = k == KT_KIND_VMALLOC || k == KT_KIND_ALLOC;

		if (!c->calls)
			continue;
		if (wrapper)
			fprintf(f, "%14llu %7s %10llu %8llu  %s (counted in folio/pages)\n",
				(unsigned long long)c->bytes, "-", (unsigned long long)c->calls,
				(unsigned long long)c->errors, kt_kind_name(k));
		else
			fprintf(f, "%14llu %6.2f%% %10llu %8llu  %s\n", (unsigned long long)c->bytes,
				pct(c->bytes, total), (unsigned long long)c->calls,
				(unsigned long long)c->errors, kt_kind_name(k));
	}

	fprintf(f, "\n# Preserved by order\n");
	fprintf(f, "%14s %7s %10s  %s\n", "BYTES", "%", "RANGES", "ORDER");
	for (int o = 0; o < KT_MAX_ORDER; o++) {
		const struct kt_count *c = &t->by_order[KT_EV_PRESERVE][o];

		if (c->calls)
			fprintf(f, "%14llu %6.2f%% %10llu  %d\n", (unsigned long long)c->bytes,
				pct(c->bytes, total), (unsigned long long)c->calls, o);
	}

	fprintf(f, "\n# Preserved by node\n");
	fprintf(f, "%14s %7s %10s  %s\n", "BYTES", "%", "CALLS", "NODE");
	for (int n = 0; n < KT_MAX_NODES; n++) {
		const struct kt_count *c = &t->by_node[KT_EV_PRESERVE][n];

		if (c->calls)
			fprintf(f, "%14llu %6.2f%% %10llu  %d\n", (unsigned long long)c->bytes,
				pct(c->bytes, total), (unsigned long long)c->calls, n);
	}

	for (int op = 0; op < KT_NR_RANGE_OPS; op++) {
		if (!hist_total(t->size_hist[op].slots, KT_MAX_SLOTS))
			continue;
		fprintf(f, "\n# %s sizes\n", kt_event_name(op));
		print_log2_hist(f, t->size_hist[op].slots, KT_MAX_SLOTS, "bytes");
	}
	for (int ty = 0; ty < KT_EV_MAX; ty++) {
		if (!hist_total(t->lat_hist[ty].slots, KT_MAX_SLOTS))
			continue;
		fprintf(f, "\n# %s latency\n", kt_event_name(ty));
		print_log2_hist(f, t->lat_hist[ty].slots, KT_MAX_SLOTS, "nsecs");
	}

	fprintf(f, "\n# Scratch usage (kexec segments placed by KHO)\n");
	use = summary__scratch_usage(rec);
	fprintf(f, "%4s %18s %14s %8s %14s %14s\n", "AREA", "ADDR", "SIZE", "SEGMENTS",
		"USED", "LEFT");
	for (int a = 0; use && a < rec->nr_scratch; a++) {
		__u64 size = rec->scratch[a].size;

		fprintf(f, "%4d 0x%016llx %14llu %8llu %14llu %14llu\n", a,
			(unsigned long long)rec->scratch[a].addr, (unsigned long long)size,
			(unsigned long long)use[a].segments, (unsigned long long)use[a].used,
			(unsigned long long)(size > use[a].used ? size - use[a].used : 0));
	}
	if (use && use[rec->nr_scratch].segments)
		fprintf(f, "%4s %18s %14s %8llu %14llu %14s\n", "?", "-", "-",
			(unsigned long long)use[rec->nr_scratch].segments,
			(unsigned long long)use[rec->nr_scratch].used, "-");
	free(use);

	fprintf(f, "\n# Errors\n");
	sum = 0;
	for (int ty = 0; ty < KT_EV_MAX; ty++)
		for (int k = 0; k < KT_KIND_MAX; k++)
			sum += t->by_kind[ty][k].errors;
	fprintf(f, "# %llu failed calls\n", (unsigned long long)sum);
	for (size_t i = 0; i < rec->nr_records; i++) {
		const struct kt_record *r = &rec->records[i];

		if (r->ev.err)
			fprintf(f, "%-14s %-8s %-16s %s\n", kt_event_name(r->ev.type),
				kt_kind_name(r->ev.kind), r->producer,
				strerrorname_np(r->ev.err) ?: "?");
	}
}

static void json_count(struct json *j, const char *key, const struct kt_count *c)
{
	json_key(j, key);
	json_obj_open(j);
	json_kv_u64(j, "bytes", c->bytes);
	json_kv_u64(j, "calls", c->calls);
	json_kv_u64(j, "errors", c->errors);
	json_kv_u64(j, "ranges", c->ranges);
	json_obj_close(j);
}

void summary__json(FILE *f, const struct recording *rec, int key)
{
	const struct kt_totals *t = &rec->totals.totals;
	struct producer_row *rows = NULL;
	struct scratch_use *use;
	struct json j;
	char name[16];
	int nr;

	json_init(&j, f);
	json_obj_open(&j);
	json_kv_str(&j, "kernel", rec->hdr.release);
	json_kv_str(&j, "mode", kt_mode_name(rec->hdr.mode));
	json_kv_u64(&j, "events", nr_events(rec));
	json_kv_u64(&j, "lost", t->lost);
	json_kv_u64(&j, "duration_ns", rec->totals.duration_ns);
	json_kv_u64(&j, "preserved_bytes", kt_op_bytes(t, KT_EV_PRESERVE));
	json_kv_u64(&j, "unpreserved_bytes", kt_op_bytes(t, KT_EV_UNPRESERVE));
	json_kv_u64(&j, "restored_bytes", kt_op_bytes(t, KT_EV_RESTORE));

	nr = summary__producers(rec, key, &rows);
	json_key(&j, "producers");
	json_arr_open(&j);
	for (int i = 0; i < nr; i++) {
		json_obj_open(&j);
		json_kv_str(&j, "producer", rows[i].name);
		json_kv_u64(&j, "bytes", rows[i].bytes);
		json_kv_u64(&j, "calls", rows[i].calls);
		json_kv_u64(&j, "ranges", rows[i].ranges);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	free(rows);

	json_key(&j, "by_kind");
	json_obj_open(&j);
	for (int ty = 0; ty < KT_EV_MAX; ty++) {
		json_key(&j, kt_event_name(ty));
		json_obj_open(&j);
		for (int k = 0; k < KT_KIND_MAX; k++)
			if (t->by_kind[ty][k].calls)
				json_count(&j, kt_kind_name(k), &t->by_kind[ty][k]);
		json_obj_close(&j);
	}
	json_obj_close(&j);

	json_key(&j, "by_order");
	json_obj_open(&j);
	for (int o = 0; o < KT_MAX_ORDER; o++) {
		if (!t->by_order[KT_EV_PRESERVE][o].calls)
			continue;
		snprintf(name, sizeof(name), "%d", o);
		json_count(&j, name, &t->by_order[KT_EV_PRESERVE][o]);
	}
	json_obj_close(&j);

	json_key(&j, "by_node");
	json_obj_open(&j);
	for (int n = 0; n < KT_MAX_NODES; n++) {
		if (!t->by_node[KT_EV_PRESERVE][n].calls)
			continue;
		snprintf(name, sizeof(name), "%d", n);
		json_count(&j, name, &t->by_node[KT_EV_PRESERVE][n]);
	}
	json_obj_close(&j);

	json_key(&j, "size_hist");
	json_obj_open(&j);
	for (int op = 0; op < KT_NR_RANGE_OPS; op++) {
		json_key(&j, kt_event_name(op));
		json_log2_hist(&j, t->size_hist[op].slots, KT_MAX_SLOTS);
	}
	json_obj_close(&j);
	json_key(&j, "latency_hist_ns");
	json_obj_open(&j);
	for (int ty = 0; ty < KT_EV_MAX; ty++) {
		if (!hist_total(t->lat_hist[ty].slots, KT_MAX_SLOTS))
			continue;
		json_key(&j, kt_event_name(ty));
		json_log2_hist(&j, t->lat_hist[ty].slots, KT_MAX_SLOTS);
	}
	json_obj_close(&j);

	use = summary__scratch_usage(rec);
	json_key(&j, "scratch");
	json_arr_open(&j);
	for (int a = 0; use && a < rec->nr_scratch; a++) {
		json_obj_open(&j);
		json_kv_hex(&j, "addr", rec->scratch[a].addr);
		json_kv_u64(&j, "size", rec->scratch[a].size);
		json_kv_u64(&j, "segments", use[a].segments);
		json_kv_u64(&j, "used", use[a].used);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	free(use);

	json_key(&j, "errors");
	json_arr_open(&j);
	for (size_t i = 0; i < rec->nr_records; i++) {
		const struct kt_record *r = &rec->records[i];

		if (!r->ev.err)
			continue;
		json_obj_open(&j);
		json_kv_str(&j, "event", kt_event_name(r->ev.type));
		json_kv_str(&j, "kind", kt_kind_name(r->ev.kind));
		json_kv_str(&j, "producer", r->producer);
		json_kv_str(&j, "err", strerrorname_np(r->ev.err) ?: "?");
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);
}
