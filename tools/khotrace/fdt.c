// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
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
	    fdt_totalsize(blob) > len)
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
