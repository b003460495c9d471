/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
#ifndef __KHOTRACE_BPFSIZE_H
#define __KHOTRACE_BPFSIZE_H

#include <stddef.h>

struct bpf_object;

/*
 * The instructions of each program of @obj, opened from the ELF image
 * @elf of @size bytes, once libbpf has appended the subprograms it calls,
 * directly or not: cnt[i] for its i-th program (bpf_object__for_each_program
 * order). What the verifier goes through grows with it, while
 * bpf_program__insn_cnt() before the load counts the program's own only.
 * A program whose calls cannot be read from the ELF keeps its own count,
 * as do all when the ELF cannot be read at all. Returns the number of
 * programs, or -errno.
 */
int bpf_linked_insn_cnts(const void *elf, size_t size, struct bpf_object *obj, size_t *cnt,
			 int nr);

#endif /* __KHOTRACE_BPFSIZE_H */
