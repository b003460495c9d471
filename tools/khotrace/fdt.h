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

/* read a whole file (debugfs blobs have no useful st_size) */
int read_file(const char *path, void **buf, size_t *len);
/*
 * Parse a KHO root FDT: compatible, memory map, one subtree per child
 * node with preserved-data/blob-size. Returns 0 or -errno; *out must be
 * released with kho_fdt__free().
 */
int kho_fdt__parse(const void *blob, size_t len, struct kho_fdt *out);
void kho_fdt__free(struct kho_fdt *fdt);

/* reserve_mem regions in KHO's "memblock" subtree (include/linux/kho/abi/memblock.h) */
#define KHO_MEMBLOCK_SUBTREE		"memblock"
#define KHO_MEMBLOCK_COMPATIBLE		"memblock-v1"
#define KHO_RESERVE_MEM_COMPATIBLE	"reserve-mem-v1"

struct kho_reserve_mem {
	char name[32];
	__u64 start;
	__u64 size;
};

/*
 * The reserve_mem regions of a memblock subtree blob: up to max into out.
 * Returns how many there are (may exceed max), or -EINVAL for a blob that
 * is not a memblock-v1 FDT.
 */
int kho_reserve_mem_parse(const void *blob, size_t len, struct kho_reserve_mem *out, int max);

#endif /* __KHOTRACE_FDT_H */
