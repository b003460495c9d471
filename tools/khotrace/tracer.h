/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * tracer: owns the BPF skeleton, chooses tracepoints or fentry, polls the
 * ring buffer and resolves each event's producer from its kernel stack.
 */
#ifndef __KHOTRACE_TRACER_H
#define __KHOTRACE_TRACER_H

#include <stdbool.h>
#include <stddef.h>

#include "events.h"

#define TRACER_DEFAULT_RINGBUF	(4U << 20)

typedef int (*tracer_record_fn)(void *ctx, const struct kt_record *r);
/* after each poll: the ring buffer is empty, nr_events were delivered */
typedef int (*tracer_drain_fn)(void *ctx, int nr_events);

struct tracer_opts {
	size_t ringbuf_size;		/* bytes, rounded up to a power of two */
	bool raw;			/* one event per call */
	bool errors_only;
	__u32 event_mask;		/* 1 << enum kt_event_type, 0: all */
	bool no_events;			/* -e none: only the exact totals */
	int mode;			/* enum kt_mode to force, KT_MODE_NONE: auto */
	tracer_record_fn on_record;
	tracer_drain_fn on_drain;	/* optional */
	void *ctx;
};

struct tracer;

/*
 * Which program set this kernel supports, without loading anything.
 * Returns enum kt_mode and explains it in why.
 */
int tracer__probe_mode(char *why, size_t size);
/* start the kernel's own BTF parse on another CPU (first load of a boot) */
void tracer__warm_up(void);

struct bpf_object;
struct btf;
/*
 * Keep the programs of one set (enum kt_mode) whose target is in btf,
 * autoload off for the rest; how many are kept, or -ENOMEM. tracer__new()
 * uses it.
 */
int tracer__select_programs(struct bpf_object *obj, const struct btf *btf, int mode);

/* open, load and attach into *tp; 0, or -errno and a message in err */
int tracer__new(struct tracer **tp, const struct tracer_opts *opts, char *err,
		size_t err_size);
/*
 * deliver events, then call on_drain; 0 or the number of events, -EINTR
 * is not an error; a callback's error stops it and is returned
 */
int tracer__poll(struct tracer *t, int timeout_ms);
/* detach, drain the ring buffer and flush the per-CPU coalescing slots */
int tracer__stop(struct tracer *t);
/* exact totals from BPF (plus the slots flushed by tracer__stop) */
int tracer__totals(struct tracer *t, struct kt_totals *totals);
int tracer__mode(const struct tracer *t);
/* set the ctx passed to on_record (e.g. once the output exists) */
void tracer__set_ctx(struct tracer *t, void *ctx);
int tracer__nr_attached(const struct tracer *t);
void tracer__free(struct tracer *t);

#endif /* __KHOTRACE_TRACER_H */
