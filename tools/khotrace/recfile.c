// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "recfile.h"

struct recfile {
	FILE *f;
	int err;
};

static __u64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

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

int recfile__load(const char *path, struct recording *rec, char *errbuf, size_t size)
{
	struct kt_rec_section s;
	size_t cap = 0;
	FILE *f;
	int err = 0;

	memset(rec, 0, sizeof(*rec));
	f = fopen(path, "re");
	if (!f) {
		err = -errno;
		snprintf(errbuf, size, "cannot open %s: %s", path, strerror(errno));
		return err;
	}
	if (fread(&rec->hdr, sizeof(rec->hdr), 1, f) != 1 ||
	    memcmp(rec->hdr.magic, KT_RECFILE_MAGIC, sizeof(rec->hdr.magic))) {
		snprintf(errbuf, size, "%s: not a khotrace record file", path);
		err = -EINVAL;
		goto out;
	}
	if (rec->hdr.version != KT_RECFILE_VERSION) {
		snprintf(errbuf, size, "%s: unsupported record file version %u (expected %u)",
			 path, rec->hdr.version, KT_RECFILE_VERSION);
		err = -EPROTO;
		goto out;
	}
	if (rec->hdr.record_size != sizeof(struct kt_record) ||
	    rec->hdr.totals_size != sizeof(struct kt_totals)) {
		snprintf(errbuf, size, "%s: record layout mismatch (record %u/%zu, totals %u/%zu bytes)",
			 path, rec->hdr.record_size, sizeof(struct kt_record),
			 rec->hdr.totals_size, sizeof(struct kt_totals));
		err = -EPROTO;
		goto out;
	}
	while (fread(&s, sizeof(s), 1, f) == 1) {
		void *dst = NULL;

		switch (s.type) {
		case KT_SEC_EVENT:
			if (s.len != sizeof(struct kt_record))
				goto bad;
			if (rec->nr_records == cap) {
				struct kt_record *tmp;

				cap = cap ? cap * 2 : 1024;
				tmp = realloc(rec->records, cap * sizeof(*tmp));
				if (!tmp) {
					err = -ENOMEM;
					snprintf(errbuf, size, "out of memory");
					goto out;
				}
				rec->records = tmp;
			}
			dst = &rec->records[rec->nr_records++];
			break;
		case KT_SEC_SCRATCH:
			if (s.len % sizeof(struct kho_scratch_area) || rec->scratch)
				goto bad;
			rec->scratch = malloc(s.len ?: 1);
			if (!rec->scratch) {
				err = -ENOMEM;
				snprintf(errbuf, size, "out of memory");
				goto out;
			}
			rec->nr_scratch = s.len / sizeof(struct kho_scratch_area);
			dst = rec->scratch;
			break;
		case KT_SEC_TOTALS:
			if (s.len != sizeof(rec->totals))
				goto bad;
			dst = &rec->totals;
			rec->has_totals = true;
			break;
		default:
			goto bad;
		}
		if (s.len && fread(dst, s.len, 1, f) != 1)
			goto truncated;
	}
	if (!rec->has_totals) {
truncated:
		snprintf(errbuf, size, "%s: truncated record file (no totals section)", path);
		err = -EINVAL;
	}
	goto out;
bad:
	snprintf(errbuf, size, "%s: corrupt section (type %u, %u bytes)", path, s.type, s.len);
	err = -EINVAL;
out:
	fclose(f);
	if (err)
		recording__free(rec);
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
