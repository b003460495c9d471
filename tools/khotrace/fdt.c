// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libfdt.h>

#include "fdt.h"
#include "util.h"

static int get_u64(const void *fdt, int node, const char *name, __u64 *val)
{
	const fdt64_t *prop;
	int len;

	prop = fdt_getprop(fdt, node, name, &len);
	if (!prop)
		return len;
	if (len != sizeof(*prop))
		return -FDT_ERR_BADVALUE;
	/* KHO stores host-endian u64s, not FDT big-endian cells */
	memcpy(val, prop, sizeof(*val));
	return 0;
}

/*
 * The blobs come from the kernels' debugfs and from a handover that may
 * be damaged, and fdt_check_header() checks the header only. The libfdt
 * of bookworm (1.6.1) steps from a property whose length is negative
 * back onto itself: every walk over it never ends (fuzz_fdt found one).
 * So each tag must end past the one before, before any walk. Not
 * fdt_check_full(): in 1.6.1 it loops on that property too, and reads
 * through a NULL pointer on others (fuzz_fdt again). 0 or -EINVAL.
 */
static int check_blob(const void *blob)
{
	int offset, next = 0;
	uint32_t tag;

	do {
		offset = next;
		tag = fdt_next_tag(blob, offset, &next);
		if (next < 0 || (tag != FDT_END && next <= offset))
			return -EINVAL;
	} while (tag != FDT_END);
	return 0;
}

int kho_fdt__parse(const void *blob, size_t len, struct kho_fdt *out)
{
	const char *compat;
	int node, n = 0, clen;

	memset(out, 0, sizeof(*out));
	if (len < sizeof(struct fdt_header) || fdt_check_header(blob))
		return -EINVAL;
	out->totalsize = fdt_totalsize(blob);
	if (out->totalsize > len) {
		/* debugfs serves the blob size of when it was registered */
		out->truncated = true;
		return -EOVERFLOW;
	}
	if (check_blob(blob))
		return -EINVAL;
	compat = fdt_getprop(blob, 0, "compatible", &clen);
	if (compat)
		snprintf(out->compatible, sizeof(out->compatible), "%.*s", clen, compat);
	get_u64(blob, 0, KHO_FDT_MEMORY_MAP_PROP_NAME, &out->mem_map_phys);

	fdt_for_each_subnode(node, blob, 0)
		n++;
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return -EINVAL;
	out->subtrees = calloc(n ?: 1, sizeof(*out->subtrees));
	if (!out->subtrees)
		return -ENOMEM;
	fdt_for_each_subnode(node, blob, 0) {
		struct kho_subtree *s = &out->subtrees[out->nr_subtrees];
		const char *name = fdt_get_name(blob, node, NULL);

		if (get_u64(blob, node, KHO_SUB_TREE_PROP_NAME, &s->phys))
			continue;
		get_u64(blob, node, KHO_SUB_TREE_SIZE_PROP_NAME, &s->size);
		snprintf(s->name, sizeof(s->name), "%s", name ?: "?");
		out->nr_subtrees++;
	}
	return 0;
}

void kho_fdt__free(struct kho_fdt *fdt)
{
	if (!fdt)
		return;
	free(fdt->subtrees);
	fdt->subtrees = NULL;
	fdt->nr_subtrees = 0;
}

int kho_memblock__parse(const void *blob, size_t len, struct kho_rmem *out, int max)
{
	int node, n = 0;

	if (len < sizeof(struct fdt_header) || fdt_check_header(blob) ||
	    fdt_totalsize(blob) > len || check_blob(blob))
		return -EINVAL;
	if (fdt_node_check_compatible(blob, 0, KHO_MEMBLOCK_COMPATIBLE))
		return -EPROTO;
	fdt_for_each_subnode(node, blob, 0) {
		const char *name = fdt_get_name(blob, node, NULL);

		if (n == max)
			break;
		if (fdt_node_check_compatible(blob, node, KHO_RESERVE_MEM_COMPATIBLE) ||
		    get_u64(blob, node, "start", &out[n].start) ||
		    get_u64(blob, node, "size", &out[n].size))
			continue;
		snprintf(out[n].name, sizeof(out[n].name), "%s", name ?: "?");
		n++;
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return -EINVAL;
	return n;
}
