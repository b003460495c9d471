// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "liveout.h"
#include "util.h"

int live_out__init(struct live_out *o, FILE *f, bool json, const char *subtree, __u64 t0_ns)
{
	memset(o, 0, sizeof(*o));
	o->buf = malloc(LIVE_OUT_BUF);
	if (!o->buf)
		return -ENOMEM;
	o->f = f;
	o->json = json;
	o->subtree = subtree;
	o->t0_ns = t0_ns;
	o->line_buffered = isatty(fileno(f));
	o->last_flush_ns = clock_ns(CLOCK_MONOTONIC);
	return 0;
}

/* the buffer to f; the first error sticks (later output is dropped) */
static int write_out(struct live_out *o)
{
	if (o->len && !o->err && fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->err = -errno ?: -EIO;
	o->len = 0;
	return o->err;
}

int live_out__flush(struct live_out *o)
{
	write_out(o);
	if (fflush(o->f) && !o->err)
		o->err = -errno ?: -EIO;
	o->last_flush_ns = clock_ns(CLOCK_MONOTONIC);
	return o->err;
}

void live_out__header(struct live_out *o)
{
	if (o->json)
		return;
	write_out(o);
	kt_print_header(o->f);
	live_out__flush(o);
}

int live_out__record(void *ctx, const struct kt_record *r)
{
	struct live_out *o = ctx;
	const struct kt_event *e = &r->ev;

	if (o->subtree && ((e->type != KT_EV_SUBTREE_ADD && e->type != KT_EV_SUBTREE_REMOVE) ||
			   strncmp(e->name, o->subtree, KT_NAME_LEN)))
		return 0;
	o->nr_events++;
	if (LIVE_OUT_BUF - o->len < KT_LINE_MAX && write_out(o))
		return o->err;
	if (o->json) {
		/* an error at exit is not a JSON object after the events */
		json_mark_used(o->f);
		o->len += kt_format_json(o->buf + o->len, r, o->t0_ns);
	} else {
		o->len += kt_format_record(o->buf + o->len, r, o->t0_ns);
	}
	return o->line_buffered ? live_out__flush(o) : 0;
}

int live_out__drained(void *ctx, int nr_events)
{
	struct live_out *o = ctx;

	if (!o->len)
		return o->err;
	/* idle, or events keep coming and the last flush is old enough */
	if (nr_events > 0 &&
	    clock_ns(CLOCK_MONOTONIC) - o->last_flush_ns < LIVE_OUT_FLUSH_MS * 1000000ULL)
		return o->err;
	return live_out__flush(o);
}

int live_out__free(struct live_out *o)
{
	int err = 0;

	if (o->buf)
		err = live_out__flush(o);
	free(o->buf);
	o->buf = NULL;
	return err;
}
