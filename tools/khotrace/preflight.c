// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* preflight: the loaded image, sessions, slopes and snapshot currency */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdt.h"
#include "preflight.h"
#include "verify.h"
#include "util.h"

static int read_text(const char *dir, const char *name, char **text)
{
	char path[PATH_MAX];
	size_t len;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	return read_file(path, (void **)text, &len);
}

int preflight__read_image(const char *sysfs, struct pf_image *img, char *err, size_t err_size)
{
	unsigned long long mem, memsz;
	char *text, *line, *save;
	int ret;

	memset(img, 0, sizeof(*img));
	sysfs = sysfs ?: KEXEC_SYSFS;
	ret = read_text(sysfs, "loaded", &text);
	if (ret)
		return err_set(err, err_size, ret, "cannot read %s/loaded: %s", sysfs,
			       strerror(-ret));
	img->loaded = atoi(text) == 1;
	free(text);
	/* the khotrace series */
	if (!read_text(sysfs, "loader", &text)) {
		snprintf(img->loader, sizeof(img->loader), "%.*s", (int)strcspn(text, "\n"), text);
		free(text);
	}
	if (read_text(sysfs, "segments", &text))
		return 0;
	img->have_segments = true;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%llx %llx", &mem, &memsz) != 2 ||
		    img->nr_segments == PF_MAX_SEGMENTS) {
			img->have_segments = false;	/* not the format we know */
			break;
		}
		img->seg[img->nr_segments].mem = mem;
		img->seg[img->nr_segments].memsz = memsz;
		img->nr_segments++;
	}
	free(text);
	return 0;
}

int preflight__misfits(const struct pf_image *img, const struct kho_scratch_area *areas,
		       int nr_areas, int *idx, int max)
{
	int n = 0;

	for (int i = 0; i < img->nr_segments; i++) {
		__u64 lo = img->seg[i].mem, hi = lo + img->seg[i].memsz;
		bool inside = false;

		for (int a = 0; a < nr_areas && !inside; a++)
			inside = lo >= areas[a].addr && hi <= areas[a].addr + areas[a].size &&
				 hi >= lo;
		if (inside)
			continue;
		if (n < max)
			idx[n] = i;
		n++;
	}
	return n;
}

/* the x86 boot protocol's setup header (Documentation/arch/x86/boot.rst) */
#define BZ_HDR_MAGIC_OFF	0x202	/* "HdrS" */
#define BZ_VERSION_OFF		0x206
#define BZ_ALIGN_OFF		0x230	/* kernel_alignment, protocol 2.05+ */
#define BZ_INIT_SIZE_OFF	0x260	/* init_size, protocol 2.10+ */

static __u32 le32_at(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (__u32)p[3] << 24;
}

int preflight__bzimage(const void *buf, size_t len, __u64 *init_size, __u64 *align,
		       char *err, size_t err_size)
{
	const unsigned char *p = buf;
	unsigned int version;

	if (len < BZ_INIT_SIZE_OFF + 4 || memcmp(p + BZ_HDR_MAGIC_OFF, "HdrS", 4))
		return err_set(err, err_size, -EINVAL, "not an x86 bzImage (no HdrS header)");
	version = p[BZ_VERSION_OFF] | p[BZ_VERSION_OFF + 1] << 8;
	if (version < 0x020a)
		return err_set(err, err_size, -EINVAL, "boot protocol %u.%02u, before 2.10 "
			       "(no init_size)", version >> 8, version & 0xff);
	*init_size = le32_at(p + BZ_INIT_SIZE_OFF);
	*align = le32_at(p + BZ_ALIGN_OFF);
	/* a power of two, or the header is not what it claims */
	if (!*init_size || !*align || (*align & (*align - 1)))
		return err_set(err, err_size, -EINVAL, "init_size 0x%llx, alignment 0x%llx: not "
			       "a bzImage header", (unsigned long long)*init_size,
			       (unsigned long long)*align);
	return 0;
}

static int by_size(const void *a, const void *b)
{
	const struct pf_plan *x = a, *y = b;

	return x->size < y->size ? 1 : x->size > y->size ? -1 : 0;
}

int preflight__plan(struct pf_plan *segs, int nr, const struct kho_scratch_area *areas,
		    int nr_areas)
{
	__u64 next[KHO_MAX_SCRATCH];
	int misfits = 0;

	if (nr_areas > KHO_MAX_SCRATCH)
		nr_areas = KHO_MAX_SCRATCH;
	for (int a = 0; a < nr_areas; a++)
		next[a] = areas[a].addr;
	qsort(segs, nr, sizeof(*segs), by_size);
	for (int i = 0; i < nr; i++) {
		struct pf_plan *s = &segs[i];
		__u64 align = s->align ?: 1;

		s->area = -1;
		for (int a = 0; a < nr_areas && s->area < 0; a++) {
			__u64 at = (next[a] + align - 1) / align * align;

			if (at >= next[a] && at + s->size >= at &&
			    at + s->size <= areas[a].addr + areas[a].size) {
				s->area = a;
				s->addr = at;
				next[a] = at + s->size;
			}
		}
		misfits += s->area < 0;
	}
	return misfits;
}

int preflight__sessions(const char *proc, struct pf_session *out, int max, char *err,
			size_t err_size)
{
	char path[PATH_MAX], link[256], *comm;
	struct dirent *pe, *fe;
	DIR *pd, *fd;
	int n = 0;

	proc = proc ?: "/proc";
	pd = opendir(proc);
	if (!pd)
		return err_set(err, err_size, -errno, "cannot read %s: %s", proc, strerror(errno));
	while ((pe = readdir(pd))) {
		int pid = atoi(pe->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "%s/%d/fd", proc, pid);
		fd = opendir(path);
		if (!fd)
			continue;
		while ((fe = readdir(fd))) {
			ssize_t len;

			if (fe->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%d/fd/%s", proc, pid, fe->d_name);
			len = readlink(path, link, sizeof(link) - 1);
			if (len <= 0)
				continue;
			link[len] = '\0';
			if (strncmp(link, LUO_SESSION_LINK, strlen(LUO_SESSION_LINK)))
				continue;
			if (n < max) {
				struct pf_session *s = &out[n];

				memset(s, 0, sizeof(*s));
				snprintf(s->name, sizeof(s->name), "%.63s",
					 link + strlen(LUO_SESSION_LINK));
				s->pid = pid;
				snprintf(path, sizeof(path), "%d/comm", pid);
				if (!read_text(proc, path, &comm)) {
					snprintf(s->comm, sizeof(s->comm), "%.*s",
						 (int)strcspn(comm, "\n"), comm);
					free(comm);
				}
			}
			n++;
		}
		closedir(fd);
	}
	closedir(pd);
	return n;
}

static const struct cycle_phase *find_phase(const struct cycle *c, const char *name)
{
	for (int i = 0; i < c->nr_phases; i++)
		if (!strcmp(c->phases[i].name, name))
			return &c->phases[i];
	return NULL;
}

/*
 * retrieve_ns = ns_per_byte * bytes + ns_per_range * ranges, least squares
 * without intercept; the rest of the blackout is taken as fixed (its mean).
 * With one cycle, or cycles whose ranges grow with their bytes, the two
 * cannot be told apart: then bytes alone carry the slope.
 */
int preflight__fit(const struct cycle *cycles, int nr, struct pf_model *m)
{
	double sbb = 0, srr = 0, sbr = 0, sby = 0, sry = 0, sy = 0, sb = 0, fixed = 0, det;
	int n = 0;

	memset(m, 0, sizeof(*m));
	for (int i = 0; i < nr; i++) {
		const struct cycle *c = &cycles[i];
		const struct cycle_phase *p;
		double b, r, y;

		if (!c->have_blackout || c->bo_state != BO_OK || !c->have_received)
			continue;
		p = find_phase(c, PF_RETRIEVE_PHASE);
		if (!p || p->dur_ns > c->total_ns)
			continue;
		b = c->received_bytes, r = c->received_ranges, y = p->dur_ns;
		sbb += b * b, srr += r * r, sbr += b * r, sby += b * y, sry += r * y;
		sy += y, sb += b;
		fixed += c->total_ns - p->dur_ns;
		n++;
	}
	if (!n)
		return -ENODATA;
	m->nr_cycles = n;
	m->fixed_ns = fixed / n;
	det = sbb * srr - sbr * sbr;
	if (n >= 2 && det > 1e-6 * sbb * srr) {
		m->ns_per_byte = (sby * srr - sry * sbr) / det;
		m->ns_per_range = (sry * sbb - sby * sbr) / det;
		if (m->ns_per_byte >= 0 && m->ns_per_range >= 0)
			return 0;
	}
	m->bytes_only = true;
	m->ns_per_range = 0;
	m->ns_per_byte = sb > 0 ? sy / sb : 0;
	return 0;
}

double preflight__expect(const struct pf_model *m, __u64 bytes, __u64 ranges)
{
	return m->fixed_ns + m->ns_per_byte * bytes + m->ns_per_range * ranges;
}

int preflight__load_history(const char *dir, struct cycle **cyclesp, char *err, size_t err_size)
{
	struct cycle *cycles = NULL, *tmp;
	char path[PATH_MAX], cerr[256];
	struct dirent *de;
	int n = 0;
	DIR *d;

	*cyclesp = NULL;
	d = opendir(dir);
	if (!d)
		return err_set(err, err_size, -errno, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json"))
			continue;
		tmp = realloc(cycles, (n + 1) * sizeof(*cycles));
		if (!tmp)
			break;
		cycles = tmp;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		/* a file that is not a cycle does not count */
		if (!cycle__load_json(path, &cycles[n], cerr, sizeof(cerr)))
			n++;
	}
	closedir(d);
	*cyclesp = cycles;
	return n;
}

static bool has_range(const struct manifest *m, const struct mf_range *r)
{
	for (int i = 0; i < m->nr_ranges; i++)
		if (m->ranges[i].phys == r->phys && m->ranges[i].size == r->size)
			return true;
	return false;
}

int preflight__compare(const struct manifest *snap, const struct manifest *now,
		       char *why, size_t size)
{
	int added = 0, gone = 0, st_added = 0, st_gone = 0, st_resized = 0;
	const struct mf_subtree *s;

	for (int i = 0; i < now->nr_ranges; i++)
		added += !has_range(snap, &now->ranges[i]) &&
			 !manifest__in_carrier(snap, &now->ranges[i]);
	for (int i = 0; i < snap->nr_ranges; i++)
		gone += !has_range(now, &snap->ranges[i]);
	for (int i = 0; i < now->nr_subtrees; i++) {
		s = manifest__subtree(snap, now->subtrees[i].name);
		if (!s)
			st_added++;
		else if (s->size != now->subtrees[i].size &&
			 !verify__rewritten(now->subtrees[i].name))
			st_resized++;
	}
	for (int i = 0; i < snap->nr_subtrees; i++)
		st_gone += !manifest__subtree(now, snap->subtrees[i].name);
	if (snap->have_ranges != now->have_ranges)
		added = gone = 0;	/* nothing to compare them with */
	snprintf(why, size, "%d ranges preserved and %d unpreserved since, %d subtrees added, "
		 "%d removed, %d resized", added, gone, st_added, st_gone, st_resized);
	return added || gone || st_added || st_gone || st_resized;
}
