// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* diff: pair two cycles' numbers by name */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "events.h"
#include "fdt.h"
#include "hist.h"
#include "util.h"

static struct diff_row *row(struct diff *d, enum diff_section sec, const char *name,
			    const char *metric)
{
	struct diff_row *r;

	for (int i = 0; i < d->nr; i++) {
		r = &d->rows[i];
		if (r->section == sec && !strcmp(r->name, name) && !strcmp(r->metric, metric))
			return r;
	}
	if (d->nr == d->cap) {
		int cap = d->cap ? 2 * d->cap : 32;

		r = realloc(d->rows, cap * sizeof(*r));
		if (!r)
			return NULL;
		d->rows = r;
		d->cap = cap;
	}
	r = &d->rows[d->nr++];
	memset(r, 0, sizeof(*r));
	r->section = sec;
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->metric, sizeof(r->metric), "%s", metric);
	return r;
}

static int put(struct diff *d, enum diff_section sec, const char *name, const char *metric,
	       bool is_new, __u64 v)
{
	struct diff_row *r = row(d, sec, name, metric);

	if (!r)
		return -ENOMEM;
	if (is_new) {
		r->in_new = true;
		r->new = v;
	} else {
		r->in_base = true;
		r->base = v;
	}
	r->gated = sec == DIFF_BLACKOUT;
	return 0;
}

__u64 diff__quantile(const __u64 *slots, int nr, double q)
{
	__u64 total = hist_total(slots, nr), seen = 0;

	if (!total)
		return 0;
	for (int i = 0; i < nr; i++) {
		seen += slots[i];
		/* slot i holds up to 2^(i+1) - 1 (hist.c) */
		if (seen >= q * total)
			return (1ULL << (i + 1)) - 1;
	}
	return (1ULL << nr) - 1;
}

static int add_side(struct diff *d, const struct cycle *c, bool is_new)
{
	char name[48];
	int err = 0;

	if (c->have_blackout && c->nr_phases) {
		err |= put(d, DIFF_BLACKOUT, "total", "ns", is_new, c->total_ns);
		err |= put(d, DIFF_BLACKOUT, "way out", "ns", is_new, c->out_ns);
		err |= put(d, DIFF_BLACKOUT, "way in", "ns", is_new, c->in_ns);
		for (int i = 0; i < c->nr_phases; i++) {
			snprintf(name, sizeof(name), "%s (%s)", c->phases[i].name,
				 c->phases[i].out ? "out" : "in");
			err |= put(d, DIFF_BLACKOUT, name, "ns", is_new, c->phases[i].dur_ns);
		}
	}
	for (int i = 0; c->have_record && i < c->nr_producers; i++) {
		const struct producer_row *p = &c->producers[i];

		err |= put(d, DIFF_PRODUCER, p->name, "bytes", is_new, p->bytes);
		err |= put(d, DIFF_PRODUCER, p->name, "calls", is_new, p->calls);
		err |= put(d, DIFF_PRODUCER, p->name, "ranges", is_new, p->ranges);
	}
	for (int t = 0; c->have_record && t < KT_EV_MAX; t++) {
		const __u64 *s = c->lat[t].slots;

		if (!c->have_lat[t])
			continue;
		err |= put(d, DIFF_LATENCY, kt_event_name(t), "count", is_new,
			   hist_total(s, KT_MAX_SLOTS));
		err |= put(d, DIFF_LATENCY, kt_event_name(t), "p50_ns", is_new,
			   diff__quantile(s, KT_MAX_SLOTS, 0.5));
		err |= put(d, DIFF_LATENCY, kt_event_name(t), "p99_ns", is_new,
			   diff__quantile(s, KT_MAX_SLOTS, 0.99));
	}
	return err ? -ENOMEM : 0;
}

int diff__compare(const struct cycle *a, const struct cycle *b, struct diff *d)
{
	memset(d, 0, sizeof(*d));
	if (add_side(d, a, false) || add_side(d, b, true)) {
		diff__free(d);
		return -ENOMEM;
	}
	return 0;
}

void diff__free(struct diff *d)
{
	free(d->rows);
	memset(d, 0, sizeof(*d));
}

bool diff__pct(const struct diff_row *r, double *pct)
{
	if (!r->in_base || !r->in_new || !r->base)
		return false;
	*pct = 100.0 * ((double)r->new - (double)r->base) / r->base;
	return true;
}

int diff__load(const char *path, struct cycle *c, char *err, size_t err_size)
{
	struct recording rec;
	char magic[sizeof(KT_RECFILE_MAGIC) - 1];
	FILE *f;
	size_t n;
	int ret;

	cycle__init(c);
	f = fopen(path, "re");
	if (!f)
		return err_set(err, err_size, -errno, "cannot open %s: %s", path, strerror(errno));
	n = fread(magic, 1, sizeof(magic), f);
	fclose(f);
	if (n != sizeof(magic) || memcmp(magic, KT_RECFILE_MAGIC, sizeof(magic)))
		return cycle__load_json(path, c, err, err_size);
	ret = recfile__load(path, &rec, err, err_size);
	if (ret)
		return ret;
	ret = cycle__set_record(c, &rec);
	snprintf(c->release, sizeof(c->release), "%s", rec.hdr.release);
	c->time = rec.hdr.start_realtime_ns / 1000000000ULL;
	recording__free(&rec);
	return ret ? err_set(err, err_size, ret, "out of memory") : 0;
}
