/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * khotrace event ABI, shared by bpf/khotrace.bpf.c and the khotrace tool.
 *
 * Fixed-width types only: this header is included by BPF code (on top of
 * vmlinux.h) and by user space (on top of <linux/types.h>), and struct
 * kt_event / struct kt_totals are written verbatim into record files, so
 * any layout change must bump KT_RECFILE_VERSION in recfile.h.
 */
#ifndef __KHOTRACE_H
#define __KHOTRACE_H

#define KT_COMM_LEN		16
#define KT_NAME_LEN		64
#define KT_MAX_ORDER		16	/* orders 0..15; MAX_PAGE_ORDER is 10 on x86 */
#define KT_MAX_NODES		16
#define KT_MAX_SLOTS		32	/* log2 histogram slots */
#define KT_MAX_STACK_DEPTH	32
/*
 * Stack ids: bpf_get_stackid() hashes a stack to one of these buckets and
 * fails (-EEXIST) when another stack holds it; with 4096 buckets, a few
 * dozen distinct producer stacks collided often enough to lose one.
 */
#define KT_MAX_STACK_IDS	16384
#define KT_NO_STACK		0xffffffffU
#define KT_NO_NODE		0xffffffffU
#define KT_NO_AREA		0xffffffffU

enum kt_event_type {
	/* range operations: these index the per-op arrays of struct kt_totals */
	KT_EV_PRESERVE,		/* kho_preserve_{folio,pages,vmalloc}, kho_alloc_preserve */
	KT_EV_UNPRESERVE,	/* kho_unpreserve_{folio,pages,vmalloc}, kho_unpreserve_free */
	KT_EV_RESTORE,		/* kho_restore_{folio,pages,vmalloc} */
	/* FDT, scratch and lifecycle */
	KT_EV_SUBTREE_ADD,	/* kho_add_subtree */
	KT_EV_SUBTREE_REMOVE,	/* kho_remove_subtree */
	KT_EV_FDT_FINALIZE,	/* FDT handed to a kexec image (kho_fill_kimage) */
	KT_EV_SCRATCH_PLACE,	/* kexec segment placed in scratch (kho_locate_mem_hole) */
	/*
	 * kho_init and the kexec metadata received: boot-time tracepoints,
	 * which fire before any tracer attaches, so khotrace records neither
	 * (khotrace status shows both). Kept so that the record format's
	 * numbering and its decoders stay as they were.
	 */
	KT_EV_INIT,
	KT_EV_KEXEC_METADATA,
	KT_EV_MAX,
};

#define KT_NR_RANGE_OPS		(KT_EV_RESTORE + 1)

/*
 * What a range event preserves. folio and pages calls carry the bytes;
 * vmalloc and alloc are wrappers whose bytes are also seen as the pages
 * and folio calls they make, so totals never add them to the byte count.
 */
enum kt_kind {
	KT_KIND_FOLIO,
	KT_KIND_PAGES,
	KT_KIND_VMALLOC,
	KT_KIND_ALLOC,
	KT_KIND_NONE,		/* non-range events */
	KT_KIND_MAX,
};

enum kt_mode {
	KT_MODE_NONE,
	KT_MODE_TRACEPOINT,	/* tp_btf programs on the kho:* tracepoints */
	KT_MODE_FENTRY,		/* fentry/fexit programs on the KHO API */
};

/*
 * One event in the ring buffer. A range event may stand for several
 * calls: BPF coalesces physically adjacent ranges of the same task, kind
 * and node into one event (nr_calls > 1) unless raw mode is on.
 */
struct kt_event {
	__u64 ts_ns;		/* bpf_ktime_get_ns() at the first call */
	__u64 phys;		/* range start, FDT phys, segment or subtree phys */
	__u64 size;		/* bytes: range, subtree blob, segment, FDT */
	__u64 lat_ns;		/* summed duration of the calls (fentry mode) */
	__u64 aux;		/* FDT_FINALIZE: nr_preserved; SCRATCH_PLACE: buf_max */
	__u32 type;		/* enum kt_event_type */
	__u32 kind;		/* enum kt_kind */
	__u32 err;		/* positive errno, 0 on success */
	__u32 cpu;
	__u32 pid;		/* tgid */
	__u32 tid;
	__u32 nr_calls;		/* calls coalesced into this event */
	__u32 order;		/* highest folio/page order among the calls */
	__u32 nid;		/* NUMA node or KT_NO_NODE */
	__u32 stack_id;		/* kernel stack in the stacks map or KT_NO_STACK */
	__u32 aux32[4];		/* see KT_AUX_* */
	char comm[KT_COMM_LEN];
	char name[KT_NAME_LEN];	/* subtree name, previous release */
};

/*
 * The event a range op is coalescing, per CPU (the pending map). @task is
 * its task's address: bpf_get_current_task() is inlined, where the pid
 * and tid cost a helper call on every merge.
 */
struct kt_pending {
	struct kt_event e;
	__u64 task;
};

/* aux32[] slots per event type */
#define KT_AUX_FDT_SIZE		0	/* FDT_FINALIZE */
#define KT_AUX_NR_SUBTREES	1	/* FDT_FINALIZE */
#define KT_AUX_NR_SCRATCH	2	/* FDT_FINALIZE */
#define KT_AUX_AREA		0	/* SCRATCH_PLACE: scratch area or KT_NO_AREA */
#define KT_AUX_KHO_BOOT		0	/* INIT */
#define KT_AUX_KEXEC_COUNT	0	/* KEXEC_METADATA */

struct kt_count {
	__u64 calls;
	__u64 bytes;
	__u64 errors;
	__u64 ranges;		/* ring buffer events emitted for these calls */
};

struct kt_hist {
	__u64 slots[KT_MAX_SLOTS];
};

/*
 * Exact totals kept by BPF for every call, whatever the ring buffer did.
 * One instance lives in the BPF object's .bss.
 */
struct kt_totals {
	struct kt_count by_kind[KT_EV_MAX][KT_KIND_MAX];
	struct kt_count by_order[KT_NR_RANGE_OPS][KT_MAX_ORDER];
	struct kt_count by_node[KT_NR_RANGE_OPS][KT_MAX_NODES];
	struct kt_hist size_hist[KT_NR_RANGE_OPS];	/* log2(bytes) per call */
	struct kt_hist lat_hist[KT_EV_MAX];		/* log2(nsecs) per call */
	__u64 lost;		/* events dropped: ring buffer full */
	__u64 stack_errors;	/* bpf_get_stackid() failures */
};

/*
 * The hot path of tracepoints: with per-CPU counters (no atomics, no
 * latency) and one NUMA node, a successful folio call is counted as one
 * counter by op and order (and coalesced into an event if one is wanted). tracer__totals() folds these into struct kt_totals (kind,
 * order, node and size totals all follow from op and order); they are not
 * part of record files.
 */
struct kt_folio_calls {
	__u64 calls[KT_NR_RANGE_OPS][KT_MAX_ORDER];
};

#endif /* __KHOTRACE_H */
