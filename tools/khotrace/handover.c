// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>

#include "crc32c.h"
#include "handover.h"

#define NO_SERIES "kernel without the khotrace series"

const char *handover__unavailable(const struct kho_state *st)
{
	if (!st->supported)
		return "KHO is not supported by this kernel (no CONFIG_KEXEC_HANDOVER)";
	if (!st->enabled) {
		if (!strcmp(st->cmdline_kho, "off") || !strcmp(st->cmdline_kho, "0"))
			return "KHO is disabled (kho=off)";
		if (!st->debugfs)
			return "KHO state unreadable (debugfs not mounted at /sys/kernel/debug)";
		return "KHO is disabled (no kho=on on the command line)";
	}
	return NULL;
}

static const char *side_dir(enum handover_side side)
{
	return side == HANDOVER_OUT ? "out" : "in";
}

int handover__read_map(struct manifest *m, const char *root, enum handover_side side,
		       char *err, size_t err_size)
{
	char path[512], perr[160];
	size_t len;
	char *text;
	int ret;

	snprintf(path, sizeof(path), "%s/%s/memory_map", root ?: KHO_DEBUGFS, side_dir(side));
	ret = read_file(path, (void **)&text, &len);
	if (ret == -ENOENT) {
		m->have_ranges = false;
		snprintf(m->ranges_reason, sizeof(m->ranges_reason), "no %.80s (%s)", path, NO_SERIES);
		return 0;
	}
	if (ret) {
		snprintf(err, err_size, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = kho_map_parse(text, m, perr, sizeof(perr));
	free(text);
	if (ret) {
		snprintf(err, err_size, "%s: %s", path, perr);
		return ret;
	}
	/* unpreserved between the open and the read of their line: not handed over */
	if (side == HANDOVER_OUT) {
		int n = 0;

		for (int i = 0; i < m->nr_ranges; i++)
			if (!m->ranges[i].no_crc)
				m->ranges[n++] = m->ranges[i];
		m->nr_unpreserved = m->nr_ranges - n;
		m->nr_ranges = n;
	}
	m->have_ranges = true;
	return 0;
}

/* the blob of one subtree from sub_fdts/NAME; crc over its recorded size */
static void subtree_crc(const char *root, enum handover_side side, const char *name,
			__u64 size, bool *has_crc, __u32 *crc)
{
	char path[512];
	size_t len;
	void *buf;

	*has_crc = false;
	snprintf(path, sizeof(path), "%s/%s/sub_fdts/%s", root, side_dir(side), name);
	if (read_file(path, &buf, &len))
		return;
	if (len >= size) {
		*crc = crc32c(buf, size);
		*has_crc = true;
	}
	free(buf);
}

static int collect_subtrees(struct manifest *m, const struct kho_state *st, const char *root,
			    enum handover_side side, char *err, size_t err_size)
{
	const struct kho_fdt *fdt = side == HANDOVER_OUT ? &st->out_fdt : &st->in_fdt;
	int fdt_err = side == HANDOVER_OUT ? st->out_err : st->in_err;
	char path[512], perr[160];
	size_t len;
	char *text;
	int ret;

	snprintf(path, sizeof(path), "%s/%s/subtrees", root, side_dir(side));
	ret = read_file(path, (void **)&text, &len);
	if (!ret) {
		ret = kho_subtrees_parse(text, m, perr, sizeof(perr));
		free(text);
		if (ret)
			snprintf(err, err_size, "%s: %s", path, perr);
		return ret;
	}
	if (fdt_err) {
		snprintf(err, err_size, "%s/%s/fdt: %s", root, side_dir(side),
			 fdt_err == -EOVERFLOW ? "truncated (debugfs blob smaller than fdt_totalsize)" :
			 strerror(-fdt_err));
		return fdt_err;
	}
	for (int i = 0; i < fdt->nr_subtrees; i++) {
		const struct kho_subtree *s = &fdt->subtrees[i];
		bool has_crc;
		__u32 crc = 0;

		subtree_crc(root, side, s->name, s->size, &has_crc, &crc);
		if (manifest__add_subtree(m, s->name, s->phys, s->size, has_crc, crc))
			return -ENOMEM;
	}
	return 0;
}

int handover__collect(struct manifest *m, const struct kho_state *st, const char *root,
		      enum handover_side side, char *err, size_t err_size)
{
	struct utsname u;
	int ret;

	manifest__init(m);
	err[0] = '\0';
	root = root ?: KHO_DEBUGFS;
	if (side == HANDOVER_OUT) {
		if (!uname(&u))
			snprintf(m->release, sizeof(m->release), "%s", u.release);
		m->time = time(NULL);
		/* this kernel's own count: 0 on a cold boot */
		m->kexec_count = st->have_metadata ? st->kexec_count : 0;
	} else {
		m->time = time(NULL);
		m->kexec_count = st->kexec_count;
		snprintf(m->release, sizeof(m->release), "%s", st->previous_release);
	}
	for (int i = 0; i < st->nr_scratch; i++)
		if (manifest__add_scratch(m, st->scratch[i].addr, st->scratch[i].size))
			goto nomem;
	ret = handover__read_map(m, root, side, err, err_size);
	if (!ret)
		ret = collect_subtrees(m, st, root, side, err, err_size);
	if (ret)
		manifest__free(m);
	return ret;
nomem:
	manifest__free(m);
	snprintf(err, err_size, "out of memory");
	return -ENOMEM;
}
