/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* summary: the perf-style report of a recording (tables, histograms) */
#ifndef __KHOTRACE_SUMMARY_H
#define __KHOTRACE_SUMMARY_H

#include <stdio.h>

#include "recfile.h"

enum summary_sort {
	SORT_BYTES,
	SORT_CALLS,
	SORT_RANGES,
	SORT_NAME,
};

struct producer_row {
	char name[KT_PRODUCER_LEN];
	__u64 bytes;
	__u64 calls;
	__u64 ranges;
};

/* -1 if unknown */
int summary__parse_sort(const char *key);
/*
 * Preserved bytes by producer from the recorded events (folio/pages
 * only; wrappers are counted through the calls they make). Returns the
 * number of rows in *rows (malloc'ed), sorted by key, or -errno.
 */
int summary__producers(const struct recording *rec, int key, struct producer_row **rows);
struct scratch_use {
	__u64 segments;		/* kexec segments placed in the area */
	__u64 used;		/* their bytes */
};

/* the scratch area of a SCRATCH_PLACE event: its area field, else by address; -1 if none */
int summary__scratch_area(const struct recording *rec, const struct kt_event *e);
/* rec->nr_scratch + 1 entries (malloc'ed), the last for segments outside any area; NULL on ENOMEM */
struct scratch_use *summary__scratch_usage(const struct recording *rec);
void summary__print(FILE *f, const struct recording *rec, int key);
void summary__json(FILE *f, const struct recording *rec, int key);

#endif /* __KHOTRACE_SUMMARY_H */
