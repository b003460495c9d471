/* SPDX-License-Identifier: GPL-2.0 */
/* BPF-only helpers for khotrace.bpf.c */
#ifndef __KHOTRACE_BPF_H
#define __KHOTRACE_BPF_H

#include <bpf/bpf_core_read.h>

#define PAGE_SHIFT	12
#define PUD_SHIFT	30
#define PUD_MASK	(~((1ULL << PUD_SHIFT) - 1))
#define MAX_ERRNO	4095
#define EINVAL		22

#define IS_ERR_VALUE(x)	((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

/* log2 of a 64-bit value, rounded down (libbpf-tools bits.bpf.h) */
static __always_inline __u64 log2(__u32 v)
{
	__u32 shift, r;

	r = (v > 0xFFFF) << 4; v >>= r;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline __u64 log2l(__u64 v)
{
	__u32 hi = v >> 32;

	if (hi)
		return log2(hi) + 32;
	return log2(v);
}

/*
 * folio_order(); folio is a BTF pointer (tp_btf/fentry argument), so its
 * fields are read directly, without a bpf_probe_read_kernel() call each.
 */
static __always_inline __u32 folio_order(const struct folio *folio)
{
	unsigned long flags = folio->flags.f;
	int head = bpf_core_enum_value(enum pageflags, PG_head);

	if (!(flags & (1UL << head)))
		return 0;
	return folio->_flags_1 & 0xff;
}

#endif /* __KHOTRACE_BPF_H */
