// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

static const char *const event_names[KT_EV_MAX] = {
	[KT_EV_PRESERVE]	= "preserve",
	[KT_EV_UNPRESERVE]	= "unpreserve",
	[KT_EV_RESTORE]		= "restore",
	[KT_EV_SUBTREE_ADD]	= "subtree_add",
	[KT_EV_SUBTREE_REMOVE]	= "subtree_remove",
	[KT_EV_FDT_FINALIZE]	= "fdt_finalize",
	[KT_EV_SCRATCH_PLACE]	= "scratch_place",
	[KT_EV_INIT]		= "init",
	[KT_EV_KEXEC_METADATA]	= "kexec_metadata",
};

static const char *const kind_names[KT_KIND_MAX] = {
	[KT_KIND_FOLIO]		= "folio",
	[KT_KIND_PAGES]		= "pages",
	[KT_KIND_VMALLOC]	= "vmalloc",
	[KT_KIND_ALLOC]		= "alloc",
	[KT_KIND_NONE]		= "-",
};

const char *kt_event_name(__u32 type)
{
	return type < KT_EV_MAX ? event_names[type] : "unknown";
}

const char *kt_kind_name(__u32 kind)
{
	return kind < KT_KIND_MAX ? kind_names[kind] : "unknown";
}

const char *kt_mode_name(__u32 mode)
{
	switch (mode) {
	case KT_MODE_TRACEPOINT:
		return "tracepoints";
	case KT_MODE_FENTRY:
		return "fentry";
	default:
		return "none";
	}
}

int kt_event_type(const char *name)
{
	for (int i = 0; i < KT_EV_MAX; i++)
		if (!strcmp(name, event_names[i]))
			return i;
	return -1;
}

int kt_parse_event_mask(const char *list, __u32 *mask)
{
	char *dup, *tok, *save = NULL;
	int type, err = 0;

	/* "none": no events at all, only the exact totals (aggregation) */
	if (!strcmp(list, "none")) {
		*mask = 0;
		return 0;
	}
	dup = strdup(list);
	if (!dup)
		return -ENOMEM;
	*mask = 0;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		/* "subtree" and "range" as shorthands */
		if (!strcmp(tok, "subtree")) {
			*mask |= 1U << KT_EV_SUBTREE_ADD | 1U << KT_EV_SUBTREE_REMOVE;
			continue;
		}
		type = kt_event_type(tok);
		if (type < 0) {
			err = -EINVAL;
			break;
		}
		/* boot-time events: no tracer runs when they fire */
		if (type == KT_EV_INIT || type == KT_EV_KEXEC_METADATA) {
			err = -EOPNOTSUPP;
			break;
		}
		*mask |= 1U << type;
	}
	free(dup);
	return err ?: (*mask ? 0 : -EINVAL);
}

/* KHO API and machinery between a producer and the traced call */
static bool is_kho_api(const char *f)
{
	static const char *const prefixes[] = {
		"bpf_", "__bpf", "kho_preserve_", "kho_unpreserve_", "kho_alloc_preserve",
		"kho_restore_", "kho_radix_", "__kho_", "kho_add_subtree",
		"kho_remove_subtree", "kho_locate_mem_hole", "kho_walk_scratch",
		"kho_fill_kimage", "kexec_", "__kexec", "arch_kexec", "kimage_",
		"kexec_locate_mem_hole", "kexec_add_buffer", "__x64_sys", "x64_sys_call",
		"do_syscall_64", "entry_SYSCALL", "trace_", "__traceiter_",
		"__do_trace_", "new_vmalloc_chunk", "kho_vmalloc_",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(f, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

const char *kt_subsystem(const char *f)
{
	static const struct {
		const char *prefix;
		const char *subsystem;
	} map[] = {
		{ "kho_test_",			"test_kho" },
		{ "memfd_luo_",			"luo/memfd" },
		{ "luo_",			"luo" },
		{ "reserve_mem_kho",		"reserve_mem" },
		{ "memblock",			"reserve_mem" },
		{ "kho_out_kexec_metadata",	"kexec metadata" },
		{ "kho_kexec_metadata",		"kexec metadata" },
		{ "kho_",			"kho core" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strncmp(f, map[i].prefix, strlen(map[i].prefix)))
			return map[i].subsystem;
	return NULL;
}

void kt_producer_from_frames(const char *const *frames, int nr, char *buf, size_t size)
{
	const char *sub;

	for (int i = 0; i < nr; i++) {
		if (!frames[i] || is_kho_api(frames[i]))
			continue;
		sub = kt_subsystem(frames[i]);
		snprintf(buf, size, "%s", sub ?: frames[i]);
		return;
	}
	snprintf(buf, size, "unknown");
}

/*
 * live's lines, built by hand: printf's format parsing per field was most
 * of live's cost per event (bench/live_bench). The output is byte for byte
 * what the printf formats in the comments give (selftests/host/
 * test_liveout.c holds those as its reference). Every function appends at
 * p and returns the new end; a line never exceeds KT_LINE_MAX (the longest
 * is a JSON subtree event whose strings are all control characters).
 */
static char *put_mem(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define put_lit(p, lit) put_mem(p, lit, sizeof(lit) - 1)

static char *put_str(char *p, const char *s)
{
	return put_mem(p, s, strlen(s));
}

/* decimal digits of v */
static inline int nr_digits(__u64 v)
{
	int n = 1;

	for (; v >= 10000; v /= 10000)
		n += 4;
	return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

/* %llu, written from its last digit back, two at a time */
static char *put_u64(char *p, __u64 v)
{
	static const char pairs[201] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char *end = p + nr_digits(v), *q = end;

	while (v >= 100) {
		q -= 2;
		memcpy(q, &pairs[(v % 100) * 2], 2);
		v /= 100;
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, &pairs[v * 2], 2);
	} else {
		*--q = '0' + v;
	}
	return end;
}

/* 0x%llx */
static char *put_hex(char *p, __u64 v)
{
	int n = v ? (67 - __builtin_clzll(v)) / 4 : 1;
	char *end;

	p = put_lit(p, "0x");
	end = p + n;
	for (char *q = end; q > p; v >>= 4)
		*--q = "0123456789abcdef"[v & 15];
	return end;
}

/* spaces up to width columns from start (the '-' flag of printf) */
static char *pad(char *p, const char *start, int width)
{
	while (p - start < width)
		*p++ = ' ';
	return p;
}

/*
 * %-W.Ms of a char array of M bytes at most: the spaces first, then the
 * string over them (width is a constant: one store, not a loop)
 */
static inline char *put_field(char *p, const char *s, size_t max, int width)
{
	size_t n = strnlen(s, max);

	if (n > (size_t)width)
		return put_mem(p, s, n);
	memset(p, ' ', width);
	memcpy(p, s, n);
	return p + width;
}

/*
 * %.6f of (ts - t0) / 1e9, 0 before t0. In integers where the double's
 * rounding cannot differ: below 2^50 ns (13 days) the double is within
 * 0.2 ns of the exact value, so only an exact tie (500 ns past a
 * microsecond) could round either way; that and the rest go to printf.
 */
static char *put_secs(char *p, __u64 ts, __u64 t0)
{
	__u64 d = ts >= t0 ? ts - t0 : 0, us;
	char frac[6];

	if (d >= 1ULL << 50 || d % 1000 == 500)
		return p + sprintf(p, "%.6f", d / 1e9);
	us = (d + 500) / 1000;
	p = put_u64(p, us / 1000000);
	*p++ = '.';
	us %= 1000000;
	for (int i = 5; i >= 0; i--, us /= 10)
		frac[i] = '0' + us % 10;
	return put_mem(p, frac, sizeof(frac));
}

void kt_print_header(FILE *f)
{
	fprintf(f, "%-12s %-3s %-16s %-7s %-16s %-14s %s\n",
		"TIME(s)", "CPU", "COMM", "PID", "PRODUCER", "EVENT", "DETAILS");
}

/* " key=%llu" */
static char *kv_u64(char *p, const char *key, size_t len, __u64 v)
{
	*p++ = ' ';
	p = put_mem(p, key, len);
	*p++ = '=';
	return put_u64(p, v);
}

#define KV(p, lit, v) kv_u64(p, lit, sizeof(lit) - 1, v)

static char *details(char *p, const struct kt_event *e)
{
	const char *errname;

	switch (e->type) {
	case KT_EV_PRESERVE:
	case KT_EV_UNPRESERVE:
	case KT_EV_RESTORE:
		/* kind=%s phys=0x%llx size=%llu order=%u[ node=%u][ calls=%u] */
		p = put_lit(p, "kind=");
		p = put_str(p, kt_kind_name(e->kind));
		p = put_lit(p, " phys=");
		p = put_hex(p, e->phys);
		p = KV(p, "size", e->size);
		p = KV(p, "order", e->order);
		if (e->nid != KT_NO_NODE)
			p = KV(p, "node", e->nid);
		if (e->nr_calls > 1)
			p = KV(p, "calls", e->nr_calls);
		break;
	case KT_EV_SUBTREE_ADD:
	case KT_EV_SUBTREE_REMOVE:
		/* name=%s phys=0x%llx size=%llu */
		p = put_lit(p, "name=");
		p = e->name[0] ? put_mem(p, e->name, strnlen(e->name, KT_NAME_LEN)) : put_lit(p, "?");
		p = put_lit(p, " phys=");
		p = put_hex(p, e->phys);
		p = KV(p, "size", e->size);
		break;
	case KT_EV_FDT_FINALIZE:
		/* fdt=0x%llx fdt_size=%u subtrees=%u preserved=%llu scratch=%u */
		p = put_lit(p, "fdt=");
		p = put_hex(p, e->phys);
		p = KV(p, "fdt_size", e->aux32[KT_AUX_FDT_SIZE]);
		p = KV(p, "subtrees", e->aux32[KT_AUX_NR_SUBTREES]);
		p = KV(p, "preserved", e->aux);
		p = KV(p, "scratch", e->aux32[KT_AUX_NR_SCRATCH]);
		break;
	case KT_EV_SCRATCH_PLACE:
		/* mem=0x%llx memsz=%llu[ area=%u] */
		p = put_lit(p, "mem=");
		p = put_hex(p, e->phys);
		p = KV(p, "memsz", e->size);
		if (e->aux32[KT_AUX_AREA] != KT_NO_AREA)
			p = KV(p, "area", e->aux32[KT_AUX_AREA]);
		break;
	case KT_EV_INIT:
		/* kho_boot=%u out_fdt=0x%llx in_fdt=0x%llx */
		p = put_lit(p, "kho_boot=");
		p = put_u64(p, e->aux32[KT_AUX_KHO_BOOT]);
		p = put_lit(p, " out_fdt=");
		p = put_hex(p, e->phys);
		p = put_lit(p, " in_fdt=");
		p = put_hex(p, e->aux);
		break;
	case KT_EV_KEXEC_METADATA:
		/* previous_release=%s kexec_count=%u */
		p = put_lit(p, "previous_release=");
		p = put_mem(p, e->name, strnlen(e->name, KT_NAME_LEN));
		p = KV(p, "kexec_count", e->aux32[KT_AUX_KEXEC_COUNT]);
		break;
	}
	if (e->lat_ns)
		p = KV(p, "lat_ns", e->lat_ns);
	if (e->err) {
		errname = strerrorname_np(e->err);
		p = put_lit(p, " err=");
		p = put_str(p, errname ?: "?");
	}
	return p;
}

size_t kt_format_record(char *buf, const struct kt_record *r, __u64 t0_ns)
{
	const struct kt_event *e = &r->ev;
	char *p = buf, *col;

	/* "%-12.6f %-3u %-16.16s %-7u %-16.16s %-14s %s\n" */
	p = pad(put_secs(p, e->ts_ns, t0_ns), buf, 12);
	*p++ = ' ';
	col = p;
	p = pad(put_u64(p, e->cpu), col, 3);
	*p++ = ' ';
	p = put_field(p, e->comm, KT_COMM_LEN, 16);
	*p++ = ' ';
	col = p;
	p = pad(put_u64(p, e->pid), col, 7);
	*p++ = ' ';
	p = put_field(p, r->producer, 16, 16);
	*p++ = ' ';
	p = put_field(p, kt_event_name(e->type), KT_LINE_MAX, 14);
	*p++ = ' ';
	p = details(p, e);
	*p++ = '\n';
	return p - buf;
}

/* a JSON string: json.c's escapes, of a char array of max bytes at most */
static char *jstr(char *p, const char *s, size_t max)
{
	/* 1: NUL, a control character, '"' or '\\' (the rare case) */
	static const unsigned char special[256] = {
		[0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1,
	};
	static const char hex[] = "0123456789abcdef";
	const unsigned char *c = (const unsigned char *)s;

	*p++ = '"';
	for (size_t i = 0; i < max; i++) {
		unsigned char ch = c[i];

		if (!special[ch]) {
			*p++ = ch;
			continue;
		}
		if (!ch)
			break;
		*p++ = '\\';
		switch (ch) {
		case '"':  *p++ = '"'; break;
		case '\\': *p++ = '\\'; break;
		case '\n': *p++ = 'n'; break;
		case '\t': *p++ = 't'; break;
		default:
			p = put_lit(p, "u00");
			*p++ = hex[ch >> 4];
			*p++ = hex[ch & 15];
		}
	}
	*p++ = '"';
	return p;
}

/* a JSON string of ours (event and kind names): nothing to escape */
static char *jname(char *p, const char *name)
{
	*p++ = '"';
	p = put_str(p, name);
	*p++ = '"';
	return p;
}

/* ,"key":%llu */
static char *jkey_u64(char *p, const char *key, size_t len, __u64 v)
{
	p = put_mem(p, key, len);
	return put_u64(p, v);
}

#define JU64(p, lit, v) jkey_u64(p, ",\"" lit "\":", sizeof(",\"" lit "\":") - 1, v)
#define JKEY(p, lit) put_lit(p, ",\"" lit "\":")

static char *jhex(char *p, __u64 v)
{
	*p++ = '"';
	p = put_hex(p, v);
	*p++ = '"';
	return p;
}

size_t kt_format_json(char *buf, const struct kt_record *r, __u64 t0_ns)
{
	const struct kt_event *e = &r->ev;
	char *p = buf;

	p = put_lit(p, "{\"time\":");
	p = put_secs(p, e->ts_ns, t0_ns);
	p = JU64(p, "cpu", e->cpu);
	p = JKEY(p, "comm");
	p = jstr(p, e->comm, KT_COMM_LEN);
	p = JU64(p, "pid", e->pid);
	p = JU64(p, "tid", e->tid);
	p = JKEY(p, "producer");
	p = jstr(p, r->producer, KT_PRODUCER_LEN);
	p = JKEY(p, "event");
	p = jname(p, kt_event_name(e->type));
	if (e->kind != KT_KIND_NONE) {
		p = JKEY(p, "kind");
		p = jname(p, kt_kind_name(e->kind));
	}
	p = JKEY(p, "phys");
	p = jhex(p, e->phys);
	p = JU64(p, "size", e->size);
	switch (e->type) {
	case KT_EV_PRESERVE:
	case KT_EV_UNPRESERVE:
	case KT_EV_RESTORE:
		p = JU64(p, "order", e->order);
		if (e->nid != KT_NO_NODE)
			p = JU64(p, "node", e->nid);
		p = JU64(p, "calls", e->nr_calls);
		break;
	case KT_EV_SUBTREE_ADD:
	case KT_EV_SUBTREE_REMOVE:
		p = JKEY(p, "name");
		p = jstr(p, e->name, KT_NAME_LEN);
		break;
	case KT_EV_FDT_FINALIZE:
		p = JU64(p, "fdt_size", e->aux32[KT_AUX_FDT_SIZE]);
		p = JU64(p, "nr_subtrees", e->aux32[KT_AUX_NR_SUBTREES]);
		p = JU64(p, "nr_preserved", e->aux);
		p = JU64(p, "nr_scratch", e->aux32[KT_AUX_NR_SCRATCH]);
		break;
	case KT_EV_SCRATCH_PLACE:
		if (e->aux32[KT_AUX_AREA] != KT_NO_AREA)
			p = JU64(p, "area", e->aux32[KT_AUX_AREA]);
		break;
	case KT_EV_INIT:
		p = JKEY(p, "kho_boot");
		p = e->aux32[KT_AUX_KHO_BOOT] ? put_lit(p, "true") : put_lit(p, "false");
		p = JKEY(p, "in_fdt");
		p = jhex(p, e->aux);
		break;
	case KT_EV_KEXEC_METADATA:
		p = JKEY(p, "previous_release");
		p = jstr(p, e->name, KT_NAME_LEN);
		p = JU64(p, "kexec_count", e->aux32[KT_AUX_KEXEC_COUNT]);
		break;
	}
	if (e->lat_ns)
		p = JU64(p, "lat_ns", e->lat_ns);
	p = JU64(p, "err", e->err);
	p = put_lit(p, "}\n");
	return p - buf;
}

__u64 kt_op_bytes(const struct kt_totals *t, int op)
{
	return t->by_kind[op][KT_KIND_FOLIO].bytes + t->by_kind[op][KT_KIND_PAGES].bytes;
}
