/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* Decoding of the khotrace.h event ABI */
#ifndef __KHOTRACE_EVENTS_H
#define __KHOTRACE_EVENTS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "khotrace.h"
#include "json.h"

#define KT_PRODUCER_LEN	32

/* an event with its producer resolved, as stored in record files */
struct kt_record {
	struct kt_event ev;
	char producer[KT_PRODUCER_LEN];
};

const char *kt_event_name(__u32 type);
const char *kt_kind_name(__u32 kind);
const char *kt_mode_name(__u32 mode);
/* bytes of an op: folio + pages (vmalloc and alloc are made of those) */
__u64 kt_op_bytes(const struct kt_totals *t, int op);
/*
 * "preserve,subtree_add,..." -> bit mask of 1 << type; -EINVAL on an
 * unknown name, -EOPNOTSUPP on a boot-time event (init, kexec_metadata)
 */
int kt_parse_event_mask(const char *list, __u32 *mask);
/* "fdt_finalize" etc.; -1 if unknown */
int kt_event_type(const char *name);

/*
 * The producer of a call from its kernel stack, innermost frame first:
 * the first frame outside BPF and the KHO API, mapped to a subsystem
 * (test_kho, luo/memfd, reserve_mem, kexec metadata, kho core) or its
 * function name. Writes "unknown" if nothing is left.
 */
void kt_producer_from_frames(const char *const *frames, int nr, char *buf, size_t size);
/* the subsystem of one function name, NULL if none matches */
const char *kt_subsystem(const char *func);

/*
 * live's output: a fixed-width text line (below kt_print_header's header)
 * or an NDJSON object and its newline, times in seconds since t0_ns. Each
 * writes at most KT_LINE_MAX bytes into buf, no NUL, and returns how many.
 */
#define KT_LINE_MAX	2048
void kt_print_header(FILE *f);
size_t kt_format_record(char *buf, const struct kt_record *r, __u64 t0_ns);
size_t kt_format_json(char *buf, const struct kt_record *r, __u64 t0_ns);

#endif /* __KHOTRACE_EVENTS_H */
