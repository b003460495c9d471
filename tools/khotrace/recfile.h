/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * recfile: the versioned khotrace record file.
 *
 *   header (struct kt_rec_header)
 *   sections, each struct kt_rec_section + len bytes:
 *     KT_SEC_SCRATCH  scratch areas at record start (struct kho_scratch_area[])
 *     KT_SEC_EVENT    one struct kt_record
 *     KT_SEC_TOTALS   struct kt_rec_totals, last
 *
 * Host byte order; a reader rejects another version with a precise error.
 */
#ifndef __KHOTRACE_RECFILE_H
#define __KHOTRACE_RECFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "events.h"
#include "kho_state.h"

#define KT_RECFILE_MAGIC	"KHOTRACE"
#define KT_RECFILE_VERSION	1

struct kt_rec_header {
	char magic[8];
	__u32 version;
	__u32 mode;			/* enum kt_mode */
	__u64 start_realtime_ns;
	__u64 start_mono_ns;		/* bpf_ktime_get_ns() base of the events */
	char release[65];		/* uname -r */
	char pad[7];
	__u32 record_size;		/* sizeof(struct kt_record) */
	__u32 totals_size;		/* sizeof(struct kt_totals) */
};

enum kt_rec_section_type {
	KT_SEC_SCRATCH = 1,
	KT_SEC_EVENT,
	KT_SEC_TOTALS,
};

struct kt_rec_section {
	__u32 type;
	__u32 len;
};

struct kt_rec_totals {
	__u64 duration_ns;
	struct kt_totals totals;
};

/* a record file in memory */
struct recording {
	struct kt_rec_header hdr;
	struct kt_record *records;
	size_t nr_records;
	struct kho_scratch_area *scratch;
	int nr_scratch;
	bool has_totals;
	struct kt_rec_totals totals;
};

struct recfile;

struct recfile *recfile__create(const char *path, const struct kt_rec_header *hdr, int *err);
int recfile__write_scratch(struct recfile *rf, const struct kho_scratch_area *a, int nr);
int recfile__write_record(struct recfile *rf, const struct kt_record *r);
int recfile__write_totals(struct recfile *rf, const struct kt_rec_totals *t);
/* flush and close; returns 0 or -errno of any failed write */
int recfile__close(struct recfile *rf);
/* fill a header for this host: magic, version, sizes, release, clocks */
void recfile__init_header(struct kt_rec_header *hdr, __u32 mode);

/* 0, or -errno with a one-line lowercase reason in errbuf */
int recfile__load(const char *path, struct recording *rec, char *errbuf, size_t size);
/* the same for len bytes in memory; name is used in the messages */
int recfile__parse(const void *buf, size_t len, const char *name, struct recording *rec,
		   char *errbuf, size_t size);
void recording__free(struct recording *rec);

#endif /* __KHOTRACE_RECFILE_H */
