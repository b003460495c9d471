// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of per-call tracing: empty programs on the hooks khotrace's
 * hot path uses (kho_preserve_folio / kho_unpreserve_folio), one set per
 * tracing mode. What a khotrace mode costs above the matching set is the
 * cost of its programs' own work; the set itself is the price of being
 * called at all (trampoline, context, preemption bookkeeping).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* an empty program: the price of being called at all */
#define FLOOR(sec, name)		\
	SEC(sec)			\
	int BPF_PROG(name)		\
	{				\
		return 0;		\
	}

/* tracepoints mode: the kho:* tracepoints of the series */
FLOOR("tp_btf/kho_preserve_folio", floor_tp_preserve)
FLOOR("tp_btf/kho_unpreserve_folio", floor_tp_unpreserve)

/* fentry mode: khotrace's fallback attaches fentry + fexit to each */
FLOOR("fentry/kho_preserve_folio", floor_fentry_preserve)
FLOOR("fexit/kho_preserve_folio", floor_fexit_preserve)
FLOOR("fentry/kho_unpreserve_folio", floor_fentry_unpreserve)
FLOOR("fexit/kho_unpreserve_folio", floor_fexit_unpreserve)

char LICENSE[] SEC("license") = "GPL";
