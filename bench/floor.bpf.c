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

/* tracepoints mode: the kho:* tracepoints of the series */
SEC("tp_btf/kho_preserve_folio")
int BPF_PROG(floor_tp_preserve)
{
	return 0;
}

SEC("tp_btf/kho_unpreserve_folio")
int BPF_PROG(floor_tp_unpreserve)
{
	return 0;
}

/* fentry mode: khotrace's fallback attaches fentry + fexit to each */
SEC("fentry/kho_preserve_folio")
int BPF_PROG(floor_fentry_preserve)
{
	return 0;
}

SEC("fexit/kho_preserve_folio")
int BPF_PROG(floor_fexit_preserve)
{
	return 0;
}

SEC("fentry/kho_unpreserve_folio")
int BPF_PROG(floor_fentry_unpreserve)
{
	return 0;
}

SEC("fexit/kho_unpreserve_folio")
int BPF_PROG(floor_fexit_unpreserve)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
