// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "crc32c.h"
#include "handover.h"
#include "prevtrace.h"
#include "util.h"

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

typedef int (*kho_text_parser)(const char *text, struct manifest *m, char *err,
			       size_t err_size);

/*
 * The kernel's text file at path through parse into m: 0, -ENOENT with
 * nothing in err (no such file: the caller says what that means), or
 * -errno with the path and why in err.
 */
static int parse_file(const char *path, kho_text_parser parse, struct manifest *m, char *err,
		      size_t err_size)
{
	char perr[160] = "";
	size_t len;
	char *text;
	int ret;

	ret = read_file(path, (void **)&text, &len);
	if (ret == -ENOENT)
		return ret;
	if (ret)
		return err_set(err, err_size, ret, "%s: %s", path, strerror(-ret));
	ret = parse(text, m, perr, sizeof(perr));
	free(text);
	return ret ? err_set(err, err_size, ret, "%s: %s", path, perr) : 0;
}

int handover__read_map(struct manifest *m, const char *root, enum handover_side side,
		       char *err, size_t err_size)
{
	char path[512];
	int ret;

	snprintf(path, sizeof(path), "%s/%s/memory_map", root ?: KHO_DEBUGFS, side_dir(side));
	ret = parse_file(path, kho_map_parse, m, err, err_size);
	if (ret == -ENOENT) {
		m->have_ranges = false;
		snprintf(m->ranges_reason, sizeof(m->ranges_reason), "no %.80s (%s)", path, NO_SERIES);
		return 0;
	}
	if (ret)
		return ret;
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

int handover__read_ranges(struct manifest *m, const char *root, char *err, size_t err_size)
{
	char path[512];
	int ret;

	snprintf(path, sizeof(path), "%s/%s/ranges", root ?: KHO_DEBUGFS, side_dir(HANDOVER_OUT));
	ret = parse_file(path, kho_ranges_parse, m, err, err_size);
	if (ret == -ENOENT)
		return handover__read_map(m, root, HANDOVER_OUT, err, err_size);
	if (!ret)
		m->have_ranges = true;
	return ret;
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

static const char *fdt_error(int err)
{
	return err == -EOVERFLOW ? "truncated (debugfs blob smaller than fdt_totalsize)" :
	       err == -ENOENT ? "not exposed" : strerror(-err);
}

/*
 * Without a whole outgoing root FDT (a kernel without the series serves
 * out/fdt cut to its size at KHO init, and none after a KHO boot), the
 * subtrees are still whole in out/sub_fdts/NAME: name, size and bytes;
 * their addresses are only in the root FDT.
 */
static int subtrees_from_blobs(struct manifest *m, const char *root, int fdt_err,
			       char *err, size_t err_size)
{
	char path[512];
	struct dirent *d;
	DIR *dir;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/out/sub_fdts", root);
	dir = opendir(path);
	if (!dir)
		return err_set(err, err_size, -errno, "%s/out/fdt: %s, and %s: %s", root,
			       fdt_error(fdt_err), path, strerror(errno));
	m->no_fdt = true;
	snprintf(m->fdt_reason, sizeof(m->fdt_reason), "%s/out/fdt: %s (%s): subtrees from "
		 "out/sub_fdts, without their addresses", root, fdt_error(fdt_err), NO_SERIES);
	while (!ret && (d = readdir(dir))) {
		size_t len;
		void *buf;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/out/sub_fdts/%s", root, d->d_name);
		ret = read_file(path, &buf, &len);
		if (ret) {
			err_set(err, err_size, ret, "%s: %s", path, strerror(-ret));
			break;
		}
		ret = manifest__add_subtree(m, d->d_name, 0, len, true, crc32c(buf, len));
		if (!ret)
			m->subtrees[m->nr_subtrees - 1].no_phys = true;
		else
			err_set(err, err_size, ret, "out of memory");
		free(buf);
	}
	closedir(dir);
	return ret;
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
		return ret ? err_set(err, err_size, ret, "%s: %s", path, perr) : 0;
	}
	if (fdt_err && side == HANDOVER_OUT && (fdt_err == -EOVERFLOW || fdt_err == -ENOENT))
		return subtrees_from_blobs(m, root, fdt_err, err, err_size);
	if (fdt_err)
		return err_set(err, err_size, fdt_err, "%s/%s/fdt: %s", root, side_dir(side),
			       fdt_error(fdt_err));
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

/* crc32c of size bytes of physical memory at phys, read from mem
 * (/dev/mem; a file in a test tree) */
static int phys_crc(const char *mem, __u64 phys, __u64 size, __u32 *crc)
{
	size_t chunk = 1 << 20;
	char *buf = malloc(chunk);
	int fd, ret = 0;

	if (!buf)
		return -ENOMEM;
	fd = open(mem, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	*crc = 0;
	while (size && !ret) {
		size_t n = size < chunk ? size : chunk;
		ssize_t r = pread(fd, buf, n, phys);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ret = r < 0 ? -errno : -EIO;
			break;
		}
		*crc = crc32c_update(*crc, buf, r);
		phys += r;
		size -= r;
	}
	close(fd);
	free(buf);
	return ret;
}

/*
 * The reserve_mem regions of the memblock subtree: kept at the same
 * address across the kexec. On the outgoing side, the checksum of their
 * bytes is joined from those of the preserved ranges that make them up
 * (the map read just before, which the series' memblock preserves them
 * as), else read from /dev/mem: reading them again took as long as the
 * kernel's checksums of the whole map under emulation. On the incoming
 * side only where they are (the received memory map has their bytes as
 * received).
 */
struct regions {
	char mem[512];
	struct kho_rmem rm[KHO_MAX_SCRATCH];
	int n;
};

/* the outgoing checksum of region @rm: 0, or -errno from reading @mem */
static int region_out_crc(const char *mem, const struct manifest *m,
			  const struct kho_rmem *rm, __u32 *crc)
{
	if (!manifest__span_crc(m, rm->start, rm->size, crc))
		return 0;
	return phys_crc(mem, rm->start, rm->size, crc);
}

/* the regions the memblock subtree of @side lists */
static void regions_find(struct regions *r, struct manifest *m, const char *root,
			 enum handover_side side)
{
	char path[512];
	size_t len;
	void *buf;

	snprintf(r->mem, sizeof(r->mem), "/dev/mem");
	if (strcmp(root, KHO_DEBUGFS))
		snprintf(r->mem, sizeof(r->mem), "%s/mem", root);
	snprintf(path, sizeof(path), "%s/%s/sub_fdts/" KHO_MEMBLOCK_NODE_NAME, root,
		 side_dir(side));
	if (read_file(path, &buf, &len))
		return;	/* no reserve_mem handed over */
	r->n = kho_memblock__parse(buf, len, r->rm, KHO_MAX_SCRATCH);
	free(buf);
	if (r->n < 0) {
		/* not fatal: the subtree itself is compared as any other */
		if (side == HANDOVER_OUT)
			snprintf(m->region_reason, sizeof(m->region_reason), "%.80s: %s", path,
				 r->n == -EPROTO ? "not " KHO_MEMBLOCK_COMPATIBLE : "not a valid FDT");
		r->n = 0;
	}
}

static int regions_add(const struct regions *r, struct manifest *m, const char *root,
		       enum handover_side side, char *err, size_t err_size)
{
	char path[512], *cmdline = NULL;
	size_t len;
	void *buf;

	if (!r->n)
		return 0;
	/* a region that is a persistent trace instance's ring buffer changes until the jump */
	snprintf(path, sizeof(path), "%s", strcmp(root, KHO_DEBUGFS) ? root : "/proc");
	strncat(path, "/cmdline", sizeof(path) - strlen(path) - 1);
	if (side == HANDOVER_IN && read_file(path, &buf, &len) == 0) {
		cmdline = realloc(buf, len + 1);
		if (cmdline)
			cmdline[len] = '\0';
		else
			free(buf);
	}
	for (int i = 0; i < r->n; i++) {
		__u32 crc = 0;
		int bytes = side == HANDOVER_OUT ? region_out_crc(r->mem, m, &r->rm[i], &crc) : 0;
		bool has_crc = side == HANDOVER_OUT && !bytes;

		if (bytes && !m->region_reason[0])
			snprintf(m->region_reason, sizeof(m->region_reason), "%.80s: %s", r->mem,
				 strerror(-bytes));
		if (manifest__add_region(m, r->rm[i].name, r->rm[i].start, r->rm[i].size, has_crc,
					 has_crc ? crc : 0)) {
			free(cmdline);
			return err_set(err, err_size, -ENOMEM, "out of memory");
		}
		prevtrace__region_instance(cmdline, r->rm[i].name,
					   m->regions[m->nr_regions - 1].trace_instance,
					   sizeof(m->regions[0].trace_instance));
	}
	free(cmdline);
	return 0;
}

int handover__collect(struct manifest *m, const struct kho_state *st, const char *root,
		      enum handover_side side, char *err, size_t err_size)
{
	struct regions regions = {};
	struct utsname u;
	int ret;

	manifest__init(m);
	err[0] = '\0';
	root = root ?: KHO_DEBUGFS;
	if (side == HANDOVER_OUT) {
		if (!uname(&u))
			snprintf(m->release, sizeof(m->release), "%s", u.release);
		m->series = st->series;
		m->time = time(NULL);
		/* this kernel's own count: 0 on a cold boot */
		m->kexec_count = st->have_metadata ? st->kexec_count : 0;
	} else {
		m->time = time(NULL);
		m->kexec_count = st->kexec_count;
		snprintf(m->release, sizeof(m->release), "%s", st->previous_release);
		m->series = st->prev_series;
	}
	for (int i = 0; i < st->nr_scratch; i++)
		if (manifest__add_scratch(m, st->scratch[i].addr, st->scratch[i].size))
			goto nomem;
	regions_find(&regions, m, root, side);
	ret = handover__read_map(m, root, side, err, err_size);
	if (!ret)
		ret = collect_subtrees(m, st, root, side, err, err_size);
	if (!ret)
		ret = regions_add(&regions, m, root, side, err, err_size);
	if (ret)
		manifest__free(m);
	return ret;
nomem:
	manifest__free(m);
	return err_set(err, err_size, -ENOMEM, "out of memory");
}
