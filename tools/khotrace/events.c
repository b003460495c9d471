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

void kt_print_header(FILE *f)
{
	fprintf(f, "%-12s %-3s %-16s %-7s %-16s %-14s %s\n",
		"TIME(s)", "CPU", "COMM", "PID", "PRODUCER", "EVENT", "DETAILS");
}

static void details(char *buf, size_t size, const struct kt_event *e)
{
	int n = 0;

	switch (e->type) {
	case KT_EV_PRESERVE:
	case KT_EV_UNPRESERVE:
	case KT_EV_RESTORE:
		n = snprintf(buf, size, "kind=%s phys=0x%llx size=%llu order=%u",
			     kt_kind_name(e->kind), (unsigned long long)e->phys,
			     (unsigned long long)e->size, e->order);
		if (e->nid != KT_NO_NODE)
			n += snprintf(buf + n, size - n, " node=%u", e->nid);
		if (e->nr_calls > 1)
			n += snprintf(buf + n, size - n, " calls=%u", e->nr_calls);
		break;
	case KT_EV_SUBTREE_ADD:
	case KT_EV_SUBTREE_REMOVE:
		n = snprintf(buf, size, "name=%s phys=0x%llx size=%llu",
			     e->name[0] ? e->name : "?", (unsigned long long)e->phys,
			     (unsigned long long)e->size);
		break;
	case KT_EV_FDT_FINALIZE:
		n = snprintf(buf, size, "fdt=0x%llx fdt_size=%u subtrees=%u preserved=%llu scratch=%u",
			     (unsigned long long)e->phys, e->aux32[KT_AUX_FDT_SIZE],
			     e->aux32[KT_AUX_NR_SUBTREES], (unsigned long long)e->aux,
			     e->aux32[KT_AUX_NR_SCRATCH]);
		break;
	case KT_EV_SCRATCH_PLACE:
		n = snprintf(buf, size, "mem=0x%llx memsz=%llu", (unsigned long long)e->phys,
			     (unsigned long long)e->size);
		if (e->aux32[KT_AUX_AREA] != KT_NO_AREA)
			n += snprintf(buf + n, size - n, " area=%u", e->aux32[KT_AUX_AREA]);
		break;
	case KT_EV_INIT:
		n = snprintf(buf, size, "kho_boot=%u out_fdt=0x%llx in_fdt=0x%llx",
			     e->aux32[KT_AUX_KHO_BOOT], (unsigned long long)e->phys,
			     (unsigned long long)e->aux);
		break;
	case KT_EV_KEXEC_METADATA:
		n = snprintf(buf, size, "previous_release=%s kexec_count=%u",
			     e->name, e->aux32[KT_AUX_KEXEC_COUNT]);
		break;
	}
	if (e->lat_ns && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - n, " lat_ns=%llu", (unsigned long long)e->lat_ns);
	if (e->err && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - n, " err=%s", strerrorname_np(e->err) ?: "?");
}

void kt_print_record(FILE *f, const struct kt_record *r, __u64 t0_ns)
{
	const struct kt_event *e = &r->ev;
	char buf[256];

	details(buf, sizeof(buf), e);
	fprintf(f, "%-12.6f %-3u %-16.16s %-7u %-16.16s %-14s %s\n",
		e->ts_ns >= t0_ns ? (e->ts_ns - t0_ns) / 1e9 : 0.0, e->cpu, e->comm,
		e->pid, r->producer, kt_event_name(e->type), buf);
}

void kt_json_record(struct json *j, const struct kt_record *r, __u64 t0_ns)
{
	const struct kt_event *e = &r->ev;

	json_obj_open(j);
	json_kv_float(j, "time", e->ts_ns >= t0_ns ? (e->ts_ns - t0_ns) / 1e9 : 0.0);
	json_kv_u64(j, "cpu", e->cpu);
	json_kv_str(j, "comm", e->comm);
	json_kv_u64(j, "pid", e->pid);
	json_kv_u64(j, "tid", e->tid);
	json_kv_str(j, "producer", r->producer);
	json_kv_str(j, "event", kt_event_name(e->type));
	if (e->kind != KT_KIND_NONE)
		json_kv_str(j, "kind", kt_kind_name(e->kind));
	json_kv_hex(j, "phys", e->phys);
	json_kv_u64(j, "size", e->size);
	switch (e->type) {
	case KT_EV_PRESERVE:
	case KT_EV_UNPRESERVE:
	case KT_EV_RESTORE:
		json_kv_u64(j, "order", e->order);
		if (e->nid != KT_NO_NODE)
			json_kv_u64(j, "node", e->nid);
		json_kv_u64(j, "calls", e->nr_calls);
		break;
	case KT_EV_SUBTREE_ADD:
	case KT_EV_SUBTREE_REMOVE:
		json_kv_str(j, "name", e->name);
		break;
	case KT_EV_FDT_FINALIZE:
		json_kv_u64(j, "fdt_size", e->aux32[KT_AUX_FDT_SIZE]);
		json_kv_u64(j, "nr_subtrees", e->aux32[KT_AUX_NR_SUBTREES]);
		json_kv_u64(j, "nr_preserved", e->aux);
		json_kv_u64(j, "nr_scratch", e->aux32[KT_AUX_NR_SCRATCH]);
		break;
	case KT_EV_SCRATCH_PLACE:
		if (e->aux32[KT_AUX_AREA] != KT_NO_AREA)
			json_kv_u64(j, "area", e->aux32[KT_AUX_AREA]);
		break;
	case KT_EV_INIT:
		json_kv_bool(j, "kho_boot", e->aux32[KT_AUX_KHO_BOOT]);
		json_kv_hex(j, "in_fdt", e->aux);
		break;
	case KT_EV_KEXEC_METADATA:
		json_kv_str(j, "previous_release", e->name);
		json_kv_u64(j, "kexec_count", e->aux32[KT_AUX_KEXEC_COUNT]);
		break;
	}
	if (e->lat_ns)
		json_kv_u64(j, "lat_ns", e->lat_ns);
	json_kv_u64(j, "err", e->err);
	json_obj_close(j);
}

__u64 kt_op_bytes(const struct kt_totals *t, int op)
{
	return t->by_kind[op][KT_KIND_FOLIO].bytes + t->by_kind[op][KT_KIND_PAGES].bytes;
}
