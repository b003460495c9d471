/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* KHO FDTs read through libfdt */
#ifndef __KHOTRACE_FDT_H
#define __KHOTRACE_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define KHO_FDT_COMPATIBLE		"kho-v4"
#define KHO_FDT_MEMORY_MAP_PROP_NAME	"preserved-memory-map"
#define KHO_SUB_TREE_PROP_NAME		"preserved-data"
#define KHO_SUB_TREE_SIZE_PROP_NAME	"blob-size"

struct kho_subtree {
	char name[64];
	__u64 phys;
	__u64 size;
};

struct kho_fdt {
	char compatible[32];
	__u64 mem_map_phys;		/* preserved-memory-map radix tree root */
	__u32 totalsize;
	int nr_subtrees;
	struct kho_subtree *subtrees;
	bool truncated;			/* fewer bytes than fdt_totalsize() */
};

/* the memblock subtree: reserve_mem regions kept at the same address */
#define KHO_MEMBLOCK_NODE_NAME		"memblock"
#define KHO_MEMBLOCK_COMPATIBLE		"memblock-v1"
#define KHO_RESERVE_MEM_COMPATIBLE	"reserve-mem-v1"

struct kho_rmem {
	char name[64];
	__u64 start;
	__u64 size;
};

/*
 * Parse a KHO root FDT: compatible, memory map, one subtree per child
 * node with preserved-data/blob-size. Returns 0 or -errno; *out must be
 * released with kho_fdt__free().
 */
int kho_fdt__parse(const void *blob, size_t len, struct kho_fdt *out);
void kho_fdt__free(struct kho_fdt *fdt);
/*
 * The reserve_mem regions of a memblock subtree blob ("memblock-v1", one
 * "reserve-mem-v1" node with start and size per region). Returns how many
 * were stored in out (at most max) or -errno (-EPROTO: not memblock-v1).
 */
int kho_memblock__parse(const void *blob, size_t len, struct kho_rmem *out, int max);

#endif /* __KHOTRACE_FDT_H */
