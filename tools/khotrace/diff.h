/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * diff: two cycles side by side, perf-diff style. A recording becomes a
 * cycle without a blackout (cycle__set_record); rows pair what both have
 * by name: the blackout total, its sides and phases, each producer's
 * bytes, calls and ranges, and each latency histogram's count, median and
 * 99th percentile (the upper bound of their log2 slot).
 */
#ifndef __KHOTRACE_DIFF_H
#define __KHOTRACE_DIFF_H

#include <stdbool.h>
#include <linux/types.h>

#include "export.h"

enum diff_section {
	DIFF_BLACKOUT,		/* ns */
	DIFF_PRODUCER,		/* bytes, calls, ranges */
	DIFF_LATENCY,		/* count, p50_ns, p99_ns */
	DIFF_NR_SECTIONS,
};

struct diff_row {
	enum diff_section section;
	char name[48];		/* phase, producer, event */
	char metric[16];	/* "ns", "bytes", "calls", "ranges", "count", "p50_ns", "p99_ns" */
	bool in_base, in_new;	/* present on each side */
	__u64 base, new;
	bool gated;		/* a blackout row --threshold applies to */
};

struct diff {
	int nr, cap;
	struct diff_row *rows;
};

/* 0 or -ENOMEM */
int diff__compare(const struct cycle *a, const struct cycle *b, struct diff *d);
void diff__free(struct diff *d);
/* delta in percent of base; false when base is 0 or a side is absent */
bool diff__pct(const struct diff_row *r, double *pct);
/* load a record file or a cycle JSON into c; 0 or -errno with err */
int diff__load(const char *path, struct cycle *c, char *err, size_t err_size);
/* the upper bound of the slot holding the q-th quantile (0 < q <= 1); 0 if empty */
__u64 diff__quantile(const __u64 *slots, int nr, double q);

#endif /* __KHOTRACE_DIFF_H */
