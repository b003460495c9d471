// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "fdt.h"
#include "recfile.h"
#include "util.h"

struct recfile {
	FILE *f;
	int err;
};

void recfile__init_header(struct kt_rec_header *hdr, __u32 mode)
{
	struct utsname u;

	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr->magic, KT_RECFILE_MAGIC, sizeof(hdr->magic));
	hdr->version = KT_RECFILE_VERSION;
	hdr->mode = mode;
	hdr->start_realtime_ns = clock_ns(CLOCK_REALTIME);
	hdr->start_mono_ns = clock_ns(CLOCK_MONOTONIC);
	if (!uname(&u))
		snprintf(hdr->release, sizeof(hdr->release), "%s", u.release);
	hdr->record_size = sizeof(struct kt_record);
	hdr->totals_size = sizeof(struct kt_totals);
}

static void put(struct recfile *rf, const void *p, size_t len)
{
	if (!rf->err && fwrite(p, 1, len, rf->f) != len)
		rf->err = -errno ?: -EIO;
}

static int section(struct recfile *rf, __u32 type, const void *p, __u32 len)
{
	struct kt_rec_section s = { .type = type, .len = len };

	put(rf, &s, sizeof(s));
	put(rf, p, len);
	return rf->err;
}

struct recfile *recfile__create(const char *path, const struct kt_rec_header *hdr, int *err)
{
	struct recfile *rf = calloc(1, sizeof(*rf));

	if (!rf) {
		*err = -ENOMEM;
		return NULL;
	}
	rf->f = fopen(path, "we");
	if (!rf->f) {
		*err = -errno;
		free(rf);
		return NULL;
	}
	put(rf, hdr, sizeof(*hdr));
	return rf;
}

int recfile__write_scratch(struct recfile *rf, const struct kho_scratch_area *a, int nr)
{
	return section(rf, KT_SEC_SCRATCH, a, nr * sizeof(*a));
}

int recfile__write_record(struct recfile *rf, const struct kt_record *r)
{
	return section(rf, KT_SEC_EVENT, r, sizeof(*r));
}

int recfile__write_totals(struct recfile *rf, const struct kt_rec_totals *t)
{
	return section(rf, KT_SEC_TOTALS, t, sizeof(*t));
}

int recfile__close(struct recfile *rf)
{
	int err;

	if (!rf)
		return 0;
	err = rf->err;
	if (fclose(rf->f) && !err)
		err = -errno;
	free(rf);
	return err;
}

/* the next len bytes of a buffer being parsed, NULL past its end */
static const void *take(const char **p, const char *end, size_t len)
{
	const char *q = *p;

	if ((size_t)(end - q) < len)
		return NULL;
	*p = q + len;
	return q;
}

int recfile__parse(const void *buf, size_t len, const char *name, struct recording *rec,
		   char *errbuf, size_t size)
{
	const char *p = buf, *end = p + len;
	const void *src;
	struct kt_rec_section s;
	size_t cap = 0;
	int err = 0;

	memset(rec, 0, sizeof(*rec));
	if (len < sizeof(rec->hdr.magic) || memcmp(buf, KT_RECFILE_MAGIC, sizeof(rec->hdr.magic)))
		return err_set(errbuf, size, -EINVAL, "%s: not a khotrace record file", name);
	src = take(&p, end, sizeof(rec->hdr));
	if (!src)
		return err_set(errbuf, size, -EINVAL, "%s: truncated record file (header of %zu "
			       "bytes, %zu left)", name, sizeof(rec->hdr), len);
	memcpy(&rec->hdr, src, sizeof(rec->hdr));
	rec->hdr.release[sizeof(rec->hdr.release) - 1] = '\0';
	if (rec->hdr.version != KT_RECFILE_VERSION)
		return err_set(errbuf, size, -EPROTO, "%s: unsupported record file version %u "
			       "(expected %u)", name, rec->hdr.version, KT_RECFILE_VERSION);
	if (rec->hdr.record_size != sizeof(struct kt_record) ||
	    rec->hdr.totals_size != sizeof(struct kt_totals))
		return err_set(errbuf, size, -EPROTO, "%s: record layout mismatch (record %u/%zu, "
			       "totals %u/%zu bytes)", name, rec->hdr.record_size,
			       sizeof(struct kt_record), rec->hdr.totals_size,
			       sizeof(struct kt_totals));
	while ((src = take(&p, end, sizeof(s)))) {
		void *dst = NULL;

		memcpy(&s, src, sizeof(s));
		if (rec->has_totals) {
			err = err_set(errbuf, size, -EINVAL, "%s: corrupt record file (section "
				      "type %u after the totals)", name, s.type);
			goto out;
		}
		switch (s.type) {
		case KT_SEC_EVENT:
			if (s.len != sizeof(struct kt_record))
				goto bad;
			if (rec->nr_records == cap) {
				struct kt_record *tmp;

				cap = cap ? cap * 2 : 1024;
				tmp = realloc(rec->records, cap * sizeof(*tmp));
				if (!tmp)
					goto nomem;
				rec->records = tmp;
			}
			dst = &rec->records[rec->nr_records];
			break;
		case KT_SEC_SCRATCH:
			if (s.len % sizeof(struct kho_scratch_area) || rec->scratch)
				goto bad;
			if (s.len > (size_t)(end - p))
				goto truncated;
			rec->scratch = malloc(s.len ?: 1);
			if (!rec->scratch)
				goto nomem;
			rec->nr_scratch = s.len / sizeof(struct kho_scratch_area);
			dst = rec->scratch;
			break;
		case KT_SEC_TOTALS:
			if (s.len != sizeof(rec->totals))
				goto bad;
			dst = &rec->totals;
			break;
		default:
			goto bad;
		}
		src = take(&p, end, s.len);
		if (!src)
			goto truncated;
		memcpy(dst, src, s.len);
		if (s.type == KT_SEC_EVENT) {
			struct kt_record *r = &rec->records[rec->nr_records++];

			/* strings are printed: terminate what a corrupt file may not */
			r->ev.comm[sizeof(r->ev.comm) - 1] = '\0';
			r->ev.name[sizeof(r->ev.name) - 1] = '\0';
			r->producer[sizeof(r->producer) - 1] = '\0';
		} else if (s.type == KT_SEC_TOTALS) {
			rec->has_totals = true;
		}
	}
	if (p != end)
		err = err_set(errbuf, size, -EINVAL, "%s: truncated record file (%zu stray bytes "
			      "at offset %zu)", name, (size_t)(end - p),
			      (size_t)(p - (const char *)buf));
	else if (!rec->has_totals)
		err = err_set(errbuf, size, -EINVAL, "%s: truncated record file (no totals "
			      "section)", name);
	goto out;
truncated:
	err = err_set(errbuf, size, -EINVAL, "%s: truncated record file (section type %u needs "
		      "%u bytes, %zu left)", name, s.type, s.len, (size_t)(end - p));
	goto out;
bad:
	err = err_set(errbuf, size, -EINVAL, "%s: corrupt section (type %u, %u bytes)", name,
		      s.type, s.len);
	goto out;
nomem:
	err = err_set(errbuf, size, -ENOMEM, "out of memory");
out:
	if (err)
		recording__free(rec);
	return err;
}

int recfile__load(const char *path, struct recording *rec, char *errbuf, size_t size)
{
	size_t len;
	void *buf;
	int err;

	memset(rec, 0, sizeof(*rec));
	err = read_file(path, &buf, &len);
	if (err)
		return err_set(errbuf, size, err, "cannot open %s: %s", path, strerror(-err));
	err = recfile__parse(buf, len, path, rec, errbuf, size);
	free(buf);
	return err;
}

void recording__free(struct recording *rec)
{
	free(rec->records);
	free(rec->scratch);
	rec->records = NULL;
	rec->scratch = NULL;
	rec->nr_records = 0;
	rec->nr_scratch = 0;
}
