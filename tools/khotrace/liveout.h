/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * liveout: live's per-record path — the --subtree filter, one text line
 * or NDJSON object per event, the count — and its output buffering. live
 * and bench/live_bench run exactly this.
 *
 * Lines collect in a buffer of LIVE_OUT_BUF bytes, written out when it
 * fills, on live_out__drained() (the ring buffer is empty: at most every
 * LIVE_OUT_FLUSH_MS while events keep coming, at once when idle) and on
 * live_out__flush(). On a terminal every line is written at once.
 */
#ifndef __KHOTRACE_LIVEOUT_H
#define __KHOTRACE_LIVEOUT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "events.h"

#define LIVE_OUT_BUF		(256U << 10)
#define LIVE_OUT_FLUSH_MS	100

struct live_out {
	FILE *f;
	bool json;
	bool line_buffered;	/* f is a terminal */
	const char *subtree;	/* only subtree_add/remove of this name; NULL: every event */
	__u64 t0_ns;		/* times are seconds since this (bpf_ktime_get_ns() base) */
	__u64 nr_events;	/* events printed */
	__u64 last_flush_ns;
	int err;		/* the first failed write, -errno */
	size_t len;
	char *buf;
};

/* 0 or -ENOMEM; json: NDJSON; subtree may be NULL */
int live_out__init(struct live_out *o, FILE *f, bool json, const char *subtree, __u64 t0_ns);
/* the text column header (nothing under json) */
void live_out__header(struct live_out *o);
/* a tracer_record_fn with ctx = struct live_out: 0, or -errno of a failed write */
int live_out__record(void *ctx, const struct kt_record *r);
/*
 * A tracer_drain_fn with ctx = struct live_out: the ring buffer is
 * drained after nr_events; flush if due (see above). 0 or -errno.
 */
int live_out__drained(void *ctx, int nr_events);
/* write out everything buffered and fflush(f); 0 or the first -errno */
int live_out__flush(struct live_out *o);
/* flush and free the buffer (not f); the flush's result */
int live_out__free(struct live_out *o);

#endif /* __KHOTRACE_LIVEOUT_H */
