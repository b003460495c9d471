/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * export: the last KHO cycle of this host as one record, for the fleet.
 *
 * A cycle gathers what the running kernel says about the kexec that
 * started it (kho_state: KHO, kho_crc, the series, kexec count, previous
 * release; blackout: total and phases, the preserved memory the retrieve
 * phase walked), the result 'khotrace verify --json' left in a file, and,
 * when given, a recording of the old kernel's preservations (bytes, calls
 * and ranges by producer, latency histograms).
 *
 * Written as Prometheus text exposition (node_exporter's textfile
 * collector: base units, one # HELP and # TYPE per family) or as JSON;
 * the JSON reads back (cycle__load_json) for 'khotrace diff' and for
 * preflight's blackout slopes.
 */
#ifndef __KHOTRACE_EXPORT_H
#define __KHOTRACE_EXPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "blackout.h"
#include "khotrace.h"
#include "recfile.h"
#include "summary.h"
#include "verify.h"

#define CYCLE_FORMAT		1	/* "khotrace_cycle" of the JSON */
#define CYCLE_RELEASE_LEN	65
#define VERIFY_RESULT_FILE	"/var/lib/khotrace/verify.json"
#define CYCLE_HISTORY_DIR	"/var/lib/khotrace/cycles"
#define EXPORT_PROM_NAME	"khotrace.prom"

/* what 'khotrace verify --json' said; "absent" when it left nothing */
enum cycle_outcome {
	CO_ABSENT,
	CO_OK,
	CO_MISMATCH,
	CO_ERROR,
	CO_NOT_APPLICABLE,
	CO_MAX,
};

#define VF_NR_KINDS	(VF_VALUE + 1)

struct cycle_verify {
	enum cycle_outcome outcome;
	__u64 time;			/* when verify ran, seconds since the epoch */
	__u64 items, ok, mismatches;
	__u64 by_kind[VF_NR_KINDS];	/* mismatches by kind; [VF_OK] unused */
	bool ranges_compared, bytes_compared, handover_compared;
	char error[256];		/* outcome error / not applicable: why */
};

struct cycle_phase {
	char name[32];
	bool out;
	__u64 dur_ns;
};

struct cycle {
	__u64 time;			/* when the cycle was gathered */
	char release[CYCLE_RELEASE_LEN];
	char previous_release[CYCLE_RELEASE_LEN];	/* "" unless a KHO boot */
	__u32 kexec_count;
	bool kho, kho_boot, kho_crc, series;
	struct cycle_verify verify;
	/* blackout (kernel timeline) */
	enum bo_state bo_state;
	bool have_blackout;		/* the timeline was readable */
	__u64 total_ns, out_ns, in_ns;
	int nr_phases;
	struct cycle_phase phases[BLACKOUT_MAX_PHASES];
	bool have_received;		/* the retrieve phase's memory */
	__u64 received_bytes, received_ranges;
	/* a recording of the old kernel (--record) */
	bool have_record;
	char record_release[CYCLE_RELEASE_LEN];
	int nr_producers;
	struct producer_row *producers;	/* malloc'ed, by bytes */
	bool have_lat[KT_EV_MAX];
	struct kt_hist lat[KT_EV_MAX];	/* latency, log2(ns) slots */
};

struct cycle_src {
	const char *root;		/* debugfs KHO directory, NULL: KHO_DEBUGFS */
	const char *verify_file;	/* verify --json output, NULL: none */
	const char *record_file;	/* record file, NULL: none */
};

const char *cycle_outcome_name(enum cycle_outcome o);
void cycle__init(struct cycle *c);
void cycle__free(struct cycle *c);
/* gather the running kernel's cycle; 0 or -errno with a reason in err */
int cycle__collect(struct cycle *c, const struct cycle_src *src, char *err, size_t err_size);
/* the parts from a verify --json text, a blackout, a recording */
int cycle__set_verify(struct cycle *c, const char *json, char *err, size_t err_size);
void cycle__set_blackout(struct cycle *c, const struct blackout *bo);
int cycle__set_record(struct cycle *c, const struct recording *rec);

void cycle__write_prom(FILE *f, const struct cycle *c);
void cycle__write_json(FILE *f, const struct cycle *c);
/* a cycle__write_json text back; 0 or -EINVAL with the reason in err */
int cycle__parse_json(const char *text, struct cycle *c, char *err, size_t err_size);
int cycle__load_json(const char *path, struct cycle *c, char *err, size_t err_size);
#endif /* __KHOTRACE_EXPORT_H */
