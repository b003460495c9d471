// SPDX-License-Identifier: GPL-2.0
/*
 * khotrace: trace Kexec HandOver (KHO) preservation, subtrees, scratch
 * placement and FDT handover.
 *
 * Two program sets, chosen by user space at load time:
 *  - tp_btf/kho_*: the kho:* tracepoints of the khotrace kernel series;
 *  - fentry/fexit on the upstream KHO API, for kernels without the series.
 *
 * Every call is counted exactly in the per-CPU totals. Ring buffer events
 * are coalesced: physically adjacent folio/pages ranges of the same task,
 * kind and node become one event, kept in a per-CPU pending slot until a
 * non-adjacent call arrives (or coalesce_ns passes); user space reads the
 * slots left over when it stops. The producer of an event is resolved in
 * user space from the kernel stack taken once per coalesced event.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "khotrace.h"
#include "khotrace.bpf.h"

const volatile bool raw = false;
const volatile bool errors_only = false;
const volatile __u32 event_mask = ~0U;		/* 1 << enum kt_event_type */
const volatile __u64 coalesce_ns = 100000000ULL;
/*
 * vmemmap base for va_to_phys(); 0 derives it from the page pointer:
 * x86 places vmemmap on a PUD (1 GiB) boundary, also with KASLR, so
 * page & PUD_MASK is the base while max_pfn * sizeof(struct page) < 1 GiB,
 * i.e. physical addresses below 64 GiB.
 */
const volatile __u64 vmemmap_base = 0;
/* NUMA node spans in pfns, indexed by node id (from /proc/zoneinfo) */
const volatile __u32 nr_nodes = 0;
const volatile __u64 node_start_pfn[KT_MAX_NODES] = {};
const volatile __u64 node_end_pfn[KT_MAX_NODES] = {};

/*
 * Exact totals, one copy per CPU, summed by user space. tp_btf programs
 * run with preemption disabled, so plain adds are exact there and spare
 * every call several atomic operations (expensive, especially under
 * emulation); fentry programs run preemptible with only migration
 * disabled, so user space keeps atomic adds for them.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kt_totals);
} totals SEC(".maps");

const volatile bool atomic_totals = true;

#define TOTAL_ADD(ptr, val)						\
	do {								\
		if (atomic_totals)					\
			__sync_fetch_and_add(ptr, val);			\
		else							\
			*(ptr) += (val);				\
	} while (0)

/*
 * log2 (rounded down) as a global function. The verifier checks a global
 * function once, on its own; inlined, log2l()'s branches multiplied the
 * paths of every program whose result indexes a histogram (the index must
 * be precise), to ~27,000 verified instructions per range program: most
 * of the seconds khotrace took to start under emulation.
 */
__noinline __u32 kt_log2(__u64 v)
{
	__u32 hi = v >> 32, x = v, r = 0;

	/*
	 * One log2() on the half that counts: log2l()'s two copies, which
	 * clang also makes of a conditional here unless the paths join
	 * (barrier_var()), took twice the instructions to verify in each
	 * program that calls it.
	 */
	if (hi) {
		x = hi;
		r = 32;
	}
	barrier_var(x);
	return r + log2(x);
}

/*
 * A log2 histogram slot. clang sees through kt_log2() and would drop the
 * bound as always true; the verifier sees an unknown scalar and needs it.
 */
static __always_inline __u64 slot_of(__u64 v)
{
	/* 64 bits: a 32-bit copy would be bounded, not the index itself */
	__u64 slot = kt_log2(v);

	barrier_var(slot);
	return slot >= KT_MAX_SLOTS ? KT_MAX_SLOTS - 1 : slot;
}

static __always_inline struct kt_totals *totals_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&totals, &zero);
}
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kt_folio_calls);
} folio_calls SEC(".maps");

/* learned from kho_alloc_preserve(): its VA minus its folio's phys */
__u64 direct_map_base = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);	/* set by user space */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, KT_MAX_STACK_IDS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, KT_MAX_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

/* the coalescing range of each range op, per CPU */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KT_NR_RANGE_OPS);
	__type(key, __u32);
	__type(value, struct kt_pending);
} pending SEC(".maps");

enum kt_fn {
	FN_PRESERVE_FOLIO,
	FN_UNPRESERVE_FOLIO,
	FN_PRESERVE_PAGES,
	FN_UNPRESERVE_PAGES,
	FN_RESTORE_FOLIO,
	FN_RESTORE_PAGES,
	FN_FILL_KIMAGE,
	FN_LOCATE_MEM_HOLE,
	FN_MAX,
};

/*
 * When each traced function was entered, per task: fentry programs may
 * sleep with the call, so per-CPU storage would mix tasks. Task storage
 * is one lookup by the task's own pointer, where a hash keyed by tid and
 * function cost an update in fentry and a lookup and a delete in fexit:
 * most of the fentry set's cost per call under emulation.
 */
struct kt_starts {
	__u64 ns[FN_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct kt_starts);
} start SEC(".maps");

/* tid -> phys of the last folio it preserved (direct map learning) */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} last_phys SEC(".maps");

/* subtree blob VA -> name, for kho_remove_subtree(blob) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, char[KT_NAME_LEN]);
} subtrees SEC(".maps");

static __always_inline bool is_range_kind(__u32 kind)
{
	return kind == KT_KIND_FOLIO || kind == KT_KIND_PAGES;
}

static __always_inline bool wanted(__u32 type, __u32 err)
{
	if (!(event_mask & (1U << type)))
		return false;
	return !errors_only || err;
}

/*
 * The verifier forbids arithmetic on BTF-typed pointers (fentry/tp_btf
 * arguments); copy the pointer's value into a scalar first.
 */
static __always_inline __u64 ptr_val(const void *p)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &p);
	return v;
}

/*
 * log2(sizeof(struct page)) when that is a power of two, else 0 (set by
 * user space from the kernel's BTF): a shift where a division by the
 * CO-RE size, unknown to clang, is a div instruction, slow under
 * emulation.
 */
const volatile __u32 page_struct_shift = 0;

/* the physical address of the struct page (or folio) at @addr */
static __always_inline __u64 va_to_phys(__u64 addr)
{
	__u64 base = vmemmap_base ?: (addr & PUD_MASK);

	if (page_struct_shift)
		return (addr - base) >> page_struct_shift << PAGE_SHIFT;
	return (addr - base) / bpf_core_type_size(struct page) << PAGE_SHIFT;
}

/*
 * Argument @n of a traced function as a scalar, in fentry/fexit programs:
 * inlined by the verifier, where ptr_val() is a helper call.
 */
static __always_inline __u64 arg_val(void *ctx, __u32 n)
{
	__u64 v = 0;

	bpf_get_func_arg(ctx, n, &v);
	return v;
}

static __always_inline __u64 virt_to_phys(const void *ptr)
{
	__u64 base = direct_map_base;
	__u64 addr = ptr_val(ptr);

	return base && addr > base ? addr - base : 0;
}

static __always_inline __u32 phys_to_nid(__u64 phys)
{
	__u64 pfn = phys >> PAGE_SHIFT;

	if (nr_nodes <= 1)
		return 0;
	for (int i = 0; i < KT_MAX_NODES; i++) {
		if (pfn >= node_start_pfn[i] && pfn < node_end_pfn[i])
			return i;
	}
	return KT_NO_NODE;
}

static __always_inline void enter(__u32 fn)
{
	struct kt_starts *s;

	s = bpf_task_storage_get(&start, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s && fn < FN_MAX)
		s->ns[fn] = bpf_ktime_get_ns();
}

/* duration since enter(fn), 0 when unknown */
static __always_inline __u64 leave(__u32 fn)
{
	struct kt_starts *s;
	__u64 t0;

	s = bpf_task_storage_get(&start, bpf_get_current_task_btf(), 0, 0);
	if (!s || fn >= FN_MAX)
		return 0;
	t0 = s->ns[fn];
	if (!t0)
		return 0;
	s->ns[fn] = 0;
	return bpf_ktime_get_ns() - t0;
}

static __always_inline __u32 get_stack_id(void *ctx)
{
	long id = bpf_get_stackid(ctx, &stacks, 0);

	if (id < 0) {
		struct kt_totals *t = totals_get();

		if (t)
			TOTAL_ADD(&t->stack_errors, 1);
		return KT_NO_STACK;
	}
	return id;
}

static __always_inline void event_init(struct kt_event *e, void *ctx,
				       __u32 type, __u32 kind, __u32 err)
{
	__u64 id = bpf_get_current_pid_tgid();

	e->ts_ns = bpf_ktime_get_ns();
	e->type = type;
	e->kind = kind;
	e->err = err;
	e->cpu = bpf_get_smp_processor_id();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->nr_calls = 1;
	e->nid = KT_NO_NODE;
	e->stack_id = get_stack_id(ctx);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

/*
 * Wake the consumer only once a quarter of the ring is filled; it reads
 * the rest when its wait times out (tracer__poll()). The default wakes it
 * whenever it had caught up, i.e. for nearly every coalesced event: an
 * interrupt and a cross-CPU wakeup each, which under emulation cost more
 * than the dozens of calls an event stands for.
 */
const volatile __u64 wakeup_bytes = 0;

static __always_inline __u64 wakeup_flags(void)
{
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline void submit(struct kt_event *e)
{
	__u32 type = e->type, kind = e->kind;
	struct kt_totals *t = totals_get();

	if (!t)
		return;
	if (bpf_ringbuf_output(&events, e, sizeof(*e), wakeup_flags())) {
		TOTAL_ADD(&t->lost, 1);
		return;
	}
	if (type < KT_EV_MAX && kind < KT_KIND_MAX)
		TOTAL_ADD(&t->by_kind[type][kind].ranges, 1);
}

static __always_inline void count_call_in(struct kt_totals *t, __u32 type,
					  __u32 kind, __u32 err, __u64 bytes,
					  __u64 lat)
{
	struct kt_count *c;

	if (type >= KT_EV_MAX || kind >= KT_KIND_MAX)
		return;
	c = &t->by_kind[type][kind];
	TOTAL_ADD(&c->calls, 1);
	if (err)
		TOTAL_ADD(&c->errors, 1);
	else
		TOTAL_ADD(&c->bytes, bytes);
	if (lat)
		TOTAL_ADD(&t->lat_hist[type].slots[slot_of(lat)], 1);
}

static __always_inline void count_call(__u32 type, __u32 kind, __u32 err,
				       __u64 bytes, __u64 lat)
{
	struct kt_totals *t = totals_get();

	if (t)
		count_call_in(t, type, kind, err, bytes, lat);
}

/* order: 64 bits, so that the bound below holds for the index itself */
static __always_inline void count_order(struct kt_totals *t, __u64 op, __u64 order)
{
	barrier_var(order);
	if (op >= KT_NR_RANGE_OPS || order >= KT_MAX_ORDER)
		return;
	TOTAL_ADD(&t->by_order[op][order].calls, 1);
	TOTAL_ADD(&t->by_order[op][order].bytes, 1ULL << (order + PAGE_SHIFT));
}

struct split_ctx {
	__u64 pfn;
	__u64 end;
	__u32 op;
	__u32 max_order;
};

/*
 * The split state lives in a per-CPU map value, not on the stack: the
 * verifier tracks stack values precisely and would walk every iteration
 * of the bpf_loop() callback, while map values are plain scalars to it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct split_ctx);
} split SEC(".maps");

/* one step of the split, as a bpf_loop() callback */
static long split_step(__u64 i, void *data)
{
	struct split_ctx *c;
	struct kt_totals *t;
	__u32 zero = 0;
	__u64 order, align;

	c = bpf_map_lookup_elem(&split, &zero);
	t = totals_get();
	if (!c || !t || c->pfn >= c->end)
		return 1;
	/* kt_log2(), not log2l(): see there */
	order = kt_log2(c->end - c->pfn);
	if (c->pfn) {
		align = kt_log2(c->pfn & -c->pfn);
		if (align < order)
			order = align;
	}
	if (order > c->max_order)
		c->max_order = order;
	count_order(t, c->op, order);
	c->pfn += 1ULL << order;
	return 0;
}

/*
 * The split of a range that is not one naturally aligned order, as a
 * global function: the verifier checks a global function once, on its
 * own, where an inlined bpf_loop() was re-verified in every range program
 * (about 26,500 of each one's 27,000 verified instructions: most of the
 * seconds khotrace took to start under emulation). Returns the highest
 * order.
 */
__noinline int count_split(__u64 pfn, __u64 nr_pages, __u32 op)
{
	__u32 zero = 0;
	struct split_ctx *c = bpf_map_lookup_elem(&split, &zero);

	if (!c)
		return 0;
	c->pfn = pfn;
	c->end = pfn + nr_pages;
	c->op = op;
	c->max_order = 0;
	bpf_loop(64, split_step, NULL, 0);
	return c->max_order;
}

/*
 * Account a successful folio/pages range by the orders KHO records it
 * with (the split of __kho_preserve_pages_order(), without the node
 * boundary check); returns the highest order. A folio (a naturally
 * aligned power of two) is one order: the hot path has no loop, and a
 * folio program has no split at all (count_split() and its callback were
 * about 190 of the 900 instructions the verifier checked in each).
 */
static __always_inline __u32 count_range(struct kt_totals *t, __u32 op, __u32 kind,
					 __u64 phys, __u64 nr_pages, __u32 nid)
{
	__u64 pfn = phys >> PAGE_SHIFT;
	__u64 bytes = nr_pages << PAGE_SHIFT;
	__u32 max_order = 0;

	if (op >= KT_NR_RANGE_OPS || !nr_pages)
		return 0;
	if (kind == KT_KIND_FOLIO ||
	    (!(nr_pages & (nr_pages - 1)) && !(pfn & (nr_pages - 1)))) {
		max_order = kt_log2(nr_pages);
		count_order(t, op, max_order);
	} else {
		max_order = count_split(pfn, nr_pages, op);
	}
	if (nid < KT_MAX_NODES) {
		TOTAL_ADD(&t->by_node[op][nid].calls, 1);
		TOTAL_ADD(&t->by_node[op][nid].bytes, bytes);
	}
	TOTAL_ADD(&t->size_hist[op].slots[slot_of(bytes)], 1);
	return max_order;
}

static __always_inline void flush_pending(struct kt_event *p)
{
	if (p->nr_calls && wanted(p->type, 0))
		submit(p);
	p->nr_calls = 0;
}

/*
 * How many calls an event merges between two checks of its age against
 * coalesce_ns: reading the clock on every call cost as much as the rest
 * of the merge under emulation, and a stream of adjacent calls reaches 64
 * within microseconds.
 */
#define KT_AGE_CHECK_CALLS	64

static __always_inline bool still_fresh(const struct kt_event *p)
{
	if (p->nr_calls % KT_AGE_CHECK_CALLS)
		return true;
	return bpf_ktime_get_ns() - p->ts_ns < coalesce_ns;
}

/*
 * The folio programs run once per folio: their frames stay below
 * BPF_PRIV_STACK_MIN_SIZE (64 bytes). From there on the JIT runs a
 * tracing program on a per-CPU private stack, on every path of it, the
 * hot one too: a frame pointer computed in each prologue and saved around
 * each helper call, and the frame on a page of its own. With a struct
 * kt_event on the stack and the spills of the event code, their frames
 * were 240 bytes. What needs a large frame runs out of line, in a
 * subprogram, which gets that stack alone: coalesce_start(),
 * range_event() and folio_slow(). Five arguments fit in registers: @what
 * packs the small ones.
 */
_Static_assert(KT_NR_RANGE_OPS <= 16 && KT_KIND_MAX <= 16, "op and kind are packed in 4 bits");

/*
 * Submit the pending event and start a new one with this call. @what
 * packs op (bits 0-3), kind (4-7) and the node (32-63).
 */
static __noinline int coalesce_start(void *ctx, struct kt_pending *pp, __u64 what, __u64 phys)
{
	struct kt_event *p = &pp->e;

	flush_pending(p);
	event_init(p, ctx, what & 0xf, (what >> 4) & 0xf, 0);
	pp->task = bpf_get_current_task();
	p->nr_calls = 0;
	p->phys = phys;
	p->size = 0;
	p->lat_ns = 0;
	p->order = 0;
	p->nid = what >> 32;
	return 0;
}

/*
 * Merge a successful folio/pages call into its op's pending event if it
 * is physically adjacent to it and of the same task, kind and node, or
 * else submit the pending event and start a new one with this call.
 */
static __always_inline void coalesce(void *ctx, __u32 op, __u32 kind, __u64 phys,
				     __u64 bytes, __u32 order, __u32 nid, __u64 lat)
{
	__u64 task = bpf_get_current_task();
	struct kt_pending *pp;
	struct kt_event *p;
	__u32 key = op;

	pp = bpf_map_lookup_elem(&pending, &key);
	if (!pp)
		return;
	p = &pp->e;
	if (p->nr_calls && pp->task == task && p->kind == kind && p->nid == nid &&
	    still_fresh(p)) {
		if (phys == p->phys + p->size)
			goto merge;
		if (phys + bytes == p->phys) {
			p->phys = phys;
			goto merge;
		}
	}
	coalesce_start(ctx, pp, (__u64)nid << 32 | (kind & 0xf) << 4 | (op & 0xf), phys);
merge:
	p->size += bytes;
	p->nr_calls++;
	p->lat_ns += lat;
	if (order > p->order)
		p->order = order;
}

/*
 * A range call's own event (range_account()), out of line (see
 * coalesce_start()). @what packs op (bits 0-3), kind (4-7), order (8-15),
 * err (16-31) and the node (32-63).
 */
static __noinline int range_event(void *ctx, __u64 what, __u64 phys, __u64 bytes, __u64 lat)
{
	__u32 op = what & 0xf, kind = (what >> 4) & 0xf, err = (what >> 16) & 0xffff;
	struct kt_event e = {};

	event_init(&e, ctx, op, kind, err);
	e.phys = phys;
	e.size = bytes;
	e.lat_ns = lat;
	e.order = (what >> 8) & 0xff;
	e.nid = what >> 32;
	submit(&e);
	return 0;
}

/*
 * kho_alloc_preserve(), kho_preserve_vmalloc() and their unpreserve halves
 * have made their folio and pages calls when their own event comes: end
 * the op's pending event, which holds those calls and the producer's
 * stack, so that the caller's next calls do not merge into it. memfd's
 * first folios, adjacent to the page of LUO's block set that the same
 * ioctl had just preserved, went to that page's producer ("kho core").
 */
static __noinline int seal_pending(__u32 op)
{
	__u32 key = op;
	struct kt_pending *pp = bpf_map_lookup_elem(&pending, &key);

	if (pp && pp->task == bpf_get_current_task())
		flush_pending(&pp->e);
	return 0;
}

/*
 * The full accounting of one call of a range op (preserve, unpreserve,
 * restore), and its own event where it gets one: wrappers (vmalloc,
 * alloc), failures and raw mode. Returns false when the call is to be
 * coalesced, with its highest order and node in *order and *nid.
 */
static __always_inline bool range_account(void *ctx, __u32 op, __u32 kind,
					  __u64 phys, __u64 nr_pages, long ret,
					  __u64 lat, __u32 *order, __u32 *nid)
{
	__u32 err = ret < 0 ? -ret : 0;
	__u64 bytes = nr_pages << PAGE_SHIFT;
	struct kt_totals *t = totals_get();

	if (!t || op >= KT_NR_RANGE_OPS)
		return true;
	/* one totals lookup and one node search per call */
	*nid = phys_to_nid(phys);
	count_call_in(t, op, kind, err, bytes, is_range_kind(kind) ? lat : 0);
	if (!err && is_range_kind(kind))
		*order = count_range(t, op, kind, phys, nr_pages, *nid);

	if (!err && !raw && is_range_kind(kind))
		return false;
	if (!raw && !is_range_kind(kind))
		seal_pending(op);
	if (!wanted(op, err))
		return true;
	range_event(ctx, (__u64)*nid << 32 | (err & 0xffff) << 16 | (*order & 0xff) << 8 |
			 (kind & 0xf) << 4 | (op & 0xf), phys, bytes, lat);
	return true;
}

/* One call of a range op: its totals, then its event or its coalescing */
static __always_inline void range_call(void *ctx, __u32 op, __u32 kind,
				       __u64 phys, __u64 nr_pages, long ret,
				       __u64 lat)
{
	__u32 order = 0, nid = 0;

	if (range_account(ctx, op, kind, phys, nr_pages, ret, lat, &order, &nid))
		return;
	/* nothing to coalesce when no event is wanted: totals only */
	if (wanted(op, 0))
		coalesce(ctx, op, kind, phys, nr_pages << PAGE_SHIFT, order, nid, lat);
}

static __always_inline void subtree_event(void *ctx, __u32 type,
					  const char *name, __u64 phys,
					  __u64 size, const void *blob, long ret)
{
	__u32 err = ret < 0 ? -ret : 0;
	__u64 key = ptr_val(blob);
	struct kt_event e = {};
	char *known;

	count_call(type, KT_KIND_NONE, err, size, 0);
	if (type == KT_EV_SUBTREE_ADD && !err && blob) {
		char buf[KT_NAME_LEN] = {};

		bpf_probe_read_kernel_str(buf, sizeof(buf), name);
		bpf_map_update_elem(&subtrees, &key, buf, BPF_ANY);
	}
	if (!wanted(type, err))
		return;
	event_init(&e, ctx, type, KT_KIND_NONE, err);
	e.phys = phys;
	e.size = size;
	e.aux = key;
	if (name) {
		bpf_probe_read_kernel_str(e.name, sizeof(e.name), name);
	} else if (blob) {
		known = bpf_map_lookup_elem(&subtrees, &key);
		if (known)
			bpf_probe_read_kernel_str(e.name, sizeof(e.name), known);
	}
	if (type == KT_EV_SUBTREE_REMOVE && blob)
		bpf_map_delete_elem(&subtrees, &key);
	submit(&e);
}

static __always_inline void fdt_finalize_event(void *ctx, __u64 fdt_phys,
					       __u32 fdt_size, __u32 nr_subtrees,
					       __u64 nr_preserved, __u32 nr_scratch,
					       long ret, __u64 lat)
{
	__u32 err = ret < 0 ? -ret : 0;
	struct kt_event e = {};

	count_call(KT_EV_FDT_FINALIZE, KT_KIND_NONE, err, fdt_size, lat);
	if (!wanted(KT_EV_FDT_FINALIZE, err))
		return;
	event_init(&e, ctx, KT_EV_FDT_FINALIZE, KT_KIND_NONE, err);
	e.phys = fdt_phys;
	e.size = fdt_size;
	e.lat_ns = lat;
	e.aux = nr_preserved;
	e.aux32[KT_AUX_FDT_SIZE] = fdt_size;
	e.aux32[KT_AUX_NR_SUBTREES] = nr_subtrees;
	e.aux32[KT_AUX_NR_SCRATCH] = nr_scratch;
	submit(&e);
}

static __always_inline void scratch_place_event(void *ctx, const struct kexec_buf *kbuf,
						__u32 area, long ret, __u64 lat)
{
	__u32 err = ret < 0 ? -ret : 0;
	struct kt_event e = {};
	__u64 memsz = BPF_CORE_READ(kbuf, memsz);

	count_call(KT_EV_SCRATCH_PLACE, KT_KIND_NONE, err, memsz, lat);
	if (!wanted(KT_EV_SCRATCH_PLACE, err))
		return;
	event_init(&e, ctx, KT_EV_SCRATCH_PLACE, KT_KIND_NONE, err);
	e.phys = err ? 0 : BPF_CORE_READ(kbuf, mem);
	e.size = memsz;
	e.lat_ns = lat;
	e.aux = BPF_CORE_READ(kbuf, buf_max);
	e.aux32[KT_AUX_AREA] = area;
	submit(&e);
}

static __always_inline void note_folio_phys(__u64 phys)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_update_elem(&last_phys, &tid, &phys, BPF_ANY);
}

static __always_inline void learn_direct_map(const void *mem)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *phys;

	if (direct_map_base)
		return;
	phys = bpf_map_lookup_elem(&last_phys, &tid);
	if (phys && ptr_val(mem) > *phys)
		direct_map_base = ptr_val(mem) - *phys;
}

static __always_inline __u64 vmalloc_pages(const struct kho_vmalloc *preservation)
{
	return BPF_CORE_READ(preservation, total_pages);
}

/*
 * The hot path: a successful folio call on one NUMA node is counted as
 * one counter by op and order (and its latency, fentry mode); its kind,
 * order, node and size totals follow from op and order, and
 * tracer__totals() derives them. range_account()'s full accounting cost
 * about three times the call of an empty program under emulation.
 * Returns false when the call needs that full accounting.
 */
static __always_inline bool count_folio(__u32 op, __u64 order, int ret, __u64 lat)
{
	struct kt_folio_calls *c;
	struct kt_totals *t;
	__u32 zero = 0;

	barrier_var(order);
	if (ret || raw || nr_nodes > 1 ||
	    op >= KT_NR_RANGE_OPS || order >= KT_MAX_ORDER)
		return false;
	c = bpf_map_lookup_elem(&folio_calls, &zero);
	if (!c)
		return false;
	TOTAL_ADD(&c->calls[op][order], 1);
	if (lat) {
		t = totals_get();
		if (t)
			TOTAL_ADD(&t->lat_hist[op].slots[slot_of(lat)], 1);
	}
	return true;
}

/*
 * A folio call that count_folio() does not count alone (a failure, raw
 * mode, several nodes): range_account(), out of line (see
 * coalesce_start()). @what packs op (bits 0-31) and ret (32-63). Returns -1 when the call
 * is done, else its highest order (bits 0-7) and node (8-39) for the
 * coalescing.
 */
static __noinline long folio_slow(void *ctx, __u64 what, __u64 phys, __u64 order, __u64 lat)
{
	__u32 max_order = 0, nid = 0;

	if (range_account(ctx, (__u32)what, KT_KIND_FOLIO, phys, 1ULL << order, (int)(what >> 32),
			  lat, &max_order, &nid))
		return -1;
	return (__u64)nid << 8 | (max_order & 0xff);
}

/*
 * A folio call: @phys and @order of the folio. One coalescing site for
 * both paths: each copy of the event code cost about 150 instructions to
 * verify, 7 ms of the start under emulation.
 */
static __always_inline void folio_call(void *ctx, __u32 op, __u64 phys, __u64 order,
				       int ret, __u64 lat)
{
	__u32 max_order = order, nid = 0;
	long r;

	if (!count_folio(op, order, ret, lat)) {
		/* a failure's own event has order 0, as a pages call's */
		r = folio_slow(ctx, (__u64)(__u32)ret << 32 | op, phys, order, lat);
		if (r < 0)
			return;
		max_order = r & 0xff;
		nid = r >> 8;
	}
	if (wanted(op, 0))
		coalesce(ctx, op, KT_KIND_FOLIO, phys, 1ULL << (order + PAGE_SHIFT),
			 max_order, nid, lat);
}

/* ---- fentry/fexit: upstream KHO API, kernels without the tracepoints ---- */

/* the fentry half of a timed function: its entry time, for leave() */
#define KT_FENTRY(name, fn)			\
	SEC("fentry/kho_" #name)		\
	int BPF_PROG(fentry_##name)		\
	{					\
		enter(fn);			\
		return 0;			\
	}

KT_FENTRY(preserve_folio, FN_PRESERVE_FOLIO);

SEC("fexit/kho_preserve_folio")
int BPF_PROG(fexit_preserve_folio, struct folio *folio, int ret)
{
	__u64 lat = leave(FN_PRESERVE_FOLIO), phys = va_to_phys(arg_val(ctx, 0));

	if (!direct_map_base)
		note_folio_phys(phys);
	folio_call(ctx, KT_EV_PRESERVE, phys, folio_order(folio), ret, lat);
	return 0;
}

KT_FENTRY(unpreserve_folio, FN_UNPRESERVE_FOLIO);

SEC("fexit/kho_unpreserve_folio")
int BPF_PROG(fexit_unpreserve_folio, struct folio *folio)
{
	folio_call(ctx, KT_EV_UNPRESERVE, va_to_phys(arg_val(ctx, 0)), folio_order(folio),
		   0, leave(FN_UNPRESERVE_FOLIO));
	return 0;
}

KT_FENTRY(preserve_pages, FN_PRESERVE_PAGES);

SEC("fexit/kho_preserve_pages")
int BPF_PROG(fexit_preserve_pages, struct page *page, unsigned long nr_pages, int ret)
{
	range_call(ctx, KT_EV_PRESERVE, KT_KIND_PAGES, va_to_phys(arg_val(ctx, 0)),
		   nr_pages, ret, leave(FN_PRESERVE_PAGES));
	return 0;
}

KT_FENTRY(unpreserve_pages, FN_UNPRESERVE_PAGES);

SEC("fexit/kho_unpreserve_pages")
int BPF_PROG(fexit_unpreserve_pages, struct page *page, unsigned long nr_pages)
{
	range_call(ctx, KT_EV_UNPRESERVE, KT_KIND_PAGES, va_to_phys(arg_val(ctx, 0)),
		   nr_pages, 0, leave(FN_UNPRESERVE_PAGES));
	return 0;
}

SEC("fexit/kho_preserve_vmalloc")
int BPF_PROG(fexit_preserve_vmalloc, void *ptr, struct kho_vmalloc *preservation, int ret)
{
	range_call(ctx, KT_EV_PRESERVE, KT_KIND_VMALLOC, 0,
		   ret ? 0 : vmalloc_pages(preservation), ret, 0);
	return 0;
}

SEC("fexit/kho_unpreserve_vmalloc")
int BPF_PROG(fexit_unpreserve_vmalloc, struct kho_vmalloc *preservation)
{
	range_call(ctx, KT_EV_UNPRESERVE, KT_KIND_VMALLOC, 0,
		   vmalloc_pages(preservation), 0, 0);
	return 0;
}

SEC("fexit/kho_alloc_preserve")
int BPF_PROG(fexit_alloc_preserve, size_t size, void *ret)
{
	long err = IS_ERR_VALUE(ret) ? (long)ret : 0;
	__u64 nr_pages = (size + (1ULL << PAGE_SHIFT) - 1) >> PAGE_SHIFT;

	if (!err)
		learn_direct_map(ret);
	range_call(ctx, KT_EV_PRESERVE, KT_KIND_ALLOC,
		   err ? 0 : virt_to_phys(ret), nr_pages, err, 0);
	return 0;
}

SEC("fexit/kho_unpreserve_free")
int BPF_PROG(fexit_unpreserve_free, void *mem)
{
	/* the size is only known to the inner kho_unpreserve_folio() */
	if (mem)
		range_call(ctx, KT_EV_UNPRESERVE, KT_KIND_ALLOC,
			   virt_to_phys(mem), 0, 0, 0);
	return 0;
}

KT_FENTRY(restore_folio, FN_RESTORE_FOLIO);

SEC("fexit/kho_restore_folio")
int BPF_PROG(fexit_restore_folio, phys_addr_t phys, struct folio *ret)
{
	range_call(ctx, KT_EV_RESTORE, KT_KIND_FOLIO, phys,
		   ret ? 1ULL << folio_order(ret) : 0, ret ? 0 : -EINVAL,
		   leave(FN_RESTORE_FOLIO));
	return 0;
}

KT_FENTRY(restore_pages, FN_RESTORE_PAGES);

SEC("fexit/kho_restore_pages")
int BPF_PROG(fexit_restore_pages, phys_addr_t phys, unsigned long nr_pages,
	     struct page *ret)
{
	range_call(ctx, KT_EV_RESTORE, KT_KIND_PAGES, phys, nr_pages,
		   ret ? 0 : -EINVAL, leave(FN_RESTORE_PAGES));
	return 0;
}

SEC("fexit/kho_restore_vmalloc")
int BPF_PROG(fexit_restore_vmalloc, const struct kho_vmalloc *preservation, void *ret)
{
	range_call(ctx, KT_EV_RESTORE, KT_KIND_VMALLOC, 0,
		   vmalloc_pages(preservation), ret ? 0 : -EINVAL, 0);
	return 0;
}

SEC("fexit/kho_add_subtree")
int BPF_PROG(fexit_add_subtree, const char *name, void *blob, size_t size, int ret)
{
	subtree_event(ctx, KT_EV_SUBTREE_ADD, name, virt_to_phys(blob), size, blob, ret);
	return 0;
}

SEC("fexit/kho_remove_subtree")
int BPF_PROG(fexit_remove_subtree, void *blob)
{
	subtree_event(ctx, KT_EV_SUBTREE_REMOVE, NULL, virt_to_phys(blob), 0, blob, 0);
	return 0;
}

KT_FENTRY(fill_kimage, FN_FILL_KIMAGE);

SEC("fexit/kho_fill_kimage")
int BPF_PROG(fexit_fill_kimage, struct kimage *image, int ret)
{
	struct kexec_segment *scratch = BPF_CORE_READ(image, kho.scratch);
	__u64 lat = leave(FN_FILL_KIMAGE);
	__u32 nr_scratch = 0;

	/* a crash kernel or KHO off: kho_fill_kimage() did nothing */
	if (!ret && !BPF_CORE_READ(image, kho.fdt))
		return 0;
	if (scratch)
		nr_scratch = BPF_CORE_READ(scratch, memsz) / bpf_core_type_size(struct kho_scratch);
	/* the FDT size and counts are only known to the tracepoint */
	fdt_finalize_event(ctx, BPF_CORE_READ(image, kho.fdt), 0, 0, 0,
			   nr_scratch, ret, lat);
	return 0;
}

KT_FENTRY(locate_mem_hole, FN_LOCATE_MEM_HOLE);

SEC("fexit/kho_locate_mem_hole")
int BPF_PROG(fexit_locate_mem_hole, struct kexec_buf *kbuf, void *func, int ret)
{
	__u64 lat = leave(FN_LOCATE_MEM_HOLE);

	/* 1: KHO is off or a crash kernel, the generic walk places it */
	if (ret == 1)
		return 0;
	scratch_place_event(ctx, kbuf, KT_NO_AREA, ret, lat);
	return 0;
}

/* ---- tp_btf: the kho:* tracepoints of the khotrace kernel series ---- */

/*
 * kho_init and kho_kexec_metadata have no program: they fire once, from
 * kho_init() at boot, before user space exists, so no program a tool
 * attaches ever runs on them, and each cost its verification on every
 * start. khotrace status shows what they carry (the early-boot log, the
 * kexec count and the previous release).
 */

/*
 * The folio and page events pass the physical address and order (or
 * number of pages) as values: reading them costs no helper call, where
 * the address of a folio pointer does (ptr_val()).
 */
SEC("tp_btf/kho_preserve_folio")
int BPF_PROG(tp_preserve_folio, struct folio *folio, phys_addr_t phys, unsigned int order,
	     int ret)
{
	if (!direct_map_base)
		note_folio_phys(phys);
	folio_call(ctx, KT_EV_PRESERVE, phys, order, ret, 0);
	return 0;
}

/* Unpreserving cannot fail: the unpreserve events carry no ret. */
SEC("tp_btf/kho_unpreserve_folio")
int BPF_PROG(tp_unpreserve_folio, struct folio *folio, phys_addr_t phys, unsigned int order)
{
	folio_call(ctx, KT_EV_UNPRESERVE, phys, order, 0, 0);
	return 0;
}

SEC("tp_btf/kho_preserve_pages")
int BPF_PROG(tp_preserve_pages, struct page *page, phys_addr_t phys, unsigned long nr_pages,
	     int ret)
{
	range_call(ctx, KT_EV_PRESERVE, KT_KIND_PAGES, phys, nr_pages, ret, 0);
	return 0;
}

SEC("tp_btf/kho_unpreserve_pages")
int BPF_PROG(tp_unpreserve_pages, struct page *page, phys_addr_t phys, unsigned long nr_pages)
{
	range_call(ctx, KT_EV_UNPRESERVE, KT_KIND_PAGES, phys, nr_pages, 0, 0);
	return 0;
}

SEC("tp_btf/kho_preserve_vmalloc")
int BPF_PROG(tp_preserve_vmalloc, const void *ptr, const struct kho_vmalloc *preservation,
	     unsigned long nr_pages, int ret)
{
	range_call(ctx, KT_EV_PRESERVE, KT_KIND_VMALLOC, 0, nr_pages, ret, 0);
	return 0;
}

SEC("tp_btf/kho_unpreserve_vmalloc")
int BPF_PROG(tp_unpreserve_vmalloc, const struct kho_vmalloc *preservation,
	     unsigned long nr_pages)
{
	range_call(ctx, KT_EV_UNPRESERVE, KT_KIND_VMALLOC, 0, nr_pages, 0, 0);
	return 0;
}

SEC("tp_btf/kho_alloc_preserve")
int BPF_PROG(tp_alloc_preserve, const void *mem, size_t size, int ret)
{
	if (!ret)
		learn_direct_map(mem);
	range_call(ctx, KT_EV_PRESERVE, KT_KIND_ALLOC, ret ? 0 : virt_to_phys(mem),
		   (size + (1ULL << PAGE_SHIFT) - 1) >> PAGE_SHIFT, ret, 0);
	return 0;
}

SEC("tp_btf/kho_unpreserve_free")
int BPF_PROG(tp_unpreserve_free, const void *mem, size_t size)
{
	range_call(ctx, KT_EV_UNPRESERVE, KT_KIND_ALLOC, virt_to_phys(mem),
		   (size + (1ULL << PAGE_SHIFT) - 1) >> PAGE_SHIFT, 0, 0);
	return 0;
}

/*
 * The restore events share one class: (phys, nr_pages, ok). A folio that
 * could not be restored has nr_pages 0; vmalloc's phys is the first chunk
 * of the preservation, not the memory, so it is left out as in fexit.
 */
SEC("tp_btf/kho_restore_folio")
int BPF_PROG(tp_restore_folio, phys_addr_t phys, unsigned long nr_pages, bool ok)
{
	range_call(ctx, KT_EV_RESTORE, KT_KIND_FOLIO, phys, nr_pages,
		   ok ? 0 : -EINVAL, 0);
	return 0;
}

SEC("tp_btf/kho_restore_pages")
int BPF_PROG(tp_restore_pages, phys_addr_t phys, unsigned long nr_pages, bool ok)
{
	range_call(ctx, KT_EV_RESTORE, KT_KIND_PAGES, phys, nr_pages,
		   ok ? 0 : -EINVAL, 0);
	return 0;
}

SEC("tp_btf/kho_restore_vmalloc")
int BPF_PROG(tp_restore_vmalloc, phys_addr_t phys, unsigned long nr_pages, bool ok)
{
	range_call(ctx, KT_EV_RESTORE, KT_KIND_VMALLOC, 0, nr_pages,
		   ok ? 0 : -EINVAL, 0);
	return 0;
}

SEC("tp_btf/kho_subtree_add")
int BPF_PROG(tp_subtree_add, const char *name, phys_addr_t phys, size_t size, int ret)
{
	subtree_event(ctx, KT_EV_SUBTREE_ADD, name, phys, size, NULL, ret);
	return 0;
}

SEC("tp_btf/kho_subtree_remove")
int BPF_PROG(tp_subtree_remove, const char *name, phys_addr_t phys, int ret)
{
	subtree_event(ctx, KT_EV_SUBTREE_REMOVE, name, phys, 0, NULL, ret);
	return 0;
}

SEC("tp_btf/kho_fdt_finalize")
int BPF_PROG(tp_fdt_finalize, struct kimage *image, phys_addr_t fdt_phys, u32 fdt_size,
	     u32 nr_subtrees, u64 nr_preserved, u32 nr_scratch)
{
	fdt_finalize_event(ctx, fdt_phys, fdt_size, nr_subtrees, nr_preserved,
			   nr_scratch, 0, 0);
	return 0;
}

SEC("tp_btf/kho_scratch_place")
int BPF_PROG(tp_scratch_place, const struct kexec_buf *kbuf, int area, int ret)
{
	scratch_place_event(ctx, kbuf, area < 0 ? KT_NO_AREA : area, ret, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
