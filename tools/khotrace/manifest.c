// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* the manifest: build, text form, strict parser (format in manifest.h) */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "manifest.h"
#include "util.h"

#define MAX_TOKENS	8
#define LINE_MAX_LEN	512

void manifest__init(struct manifest *m)
{
	memset(m, 0, sizeof(*m));
	m->version = MANIFEST_VERSION;
	m->series = -1;
}

void manifest__free(struct manifest *m)
{
	if (!m)
		return;
	free(m->ranges);
	free(m->subtrees);
	free(m->scratch);
	free(m->carrier);
	free(m->regions);
	manifest__init(m);
}

int manifest__add_range(struct manifest *m, __u64 phys, __u32 order, __u64 size, __u32 crc)
{
	if (grow_array(&m->ranges, &m->cap_ranges, m->nr_ranges, sizeof(*m->ranges)))
		return -ENOMEM;
	m->ranges[m->nr_ranges++] = (struct mf_range){
		.phys = phys, .size = size, .order = order, .crc = crc,
	};
	return 0;
}

const struct mf_subtree *manifest__subtree(const struct manifest *m, const char *name)
{
	for (int i = 0; i < m->nr_subtrees; i++)
		if (!strcmp(m->subtrees[i].name, name))
			return &m->subtrees[i];
	return NULL;
}

bool manifest__in_carrier(const struct manifest *m, const struct mf_range *r)
{
	for (int i = 0; i < m->nr_carrier; i++) {
		const struct mf_area *c = &m->carrier[i];

		if (r->phys < c->addr + c->size && c->addr < r->phys + r->size)
			return true;
	}
	return false;
}

int manifest__add_subtree(struct manifest *m, const char *name, __u64 phys, __u64 size,
			  bool has_crc, __u32 crc)
{
	struct mf_subtree *s;

	if (grow_array(&m->subtrees, &m->cap_subtrees, m->nr_subtrees, sizeof(*m->subtrees)))
		return -ENOMEM;
	s = &m->subtrees[m->nr_subtrees++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->phys = phys;
	s->size = size;
	s->has_crc = has_crc;
	s->crc = has_crc ? crc : 0;
	return 0;
}

int manifest__add_region(struct manifest *m, const char *name, __u64 phys, __u64 size,
			 bool has_crc, __u32 crc)
{
	struct mf_region *r;

	if (grow_array(&m->regions, &m->cap_regions, m->nr_regions, sizeof(*m->regions)))
		return -ENOMEM;
	r = &m->regions[m->nr_regions++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->phys = phys;
	r->size = size;
	r->has_crc = has_crc;
	r->crc = has_crc ? crc : 0;
	return 0;
}

static int add_area(struct mf_area **arr, int *cap, int *n, __u64 addr, __u64 size)
{
	if (grow_array(arr, cap, *n, sizeof(**arr)))
		return -ENOMEM;
	(*arr)[(*n)++] = (struct mf_area){ .addr = addr, .size = size };
	return 0;
}

int manifest__add_scratch(struct manifest *m, __u64 addr, __u64 size)
{
	return add_area(&m->scratch, &m->cap_scratch, &m->nr_scratch, addr, size);
}

int manifest__add_carrier(struct manifest *m, __u64 addr, __u64 size)
{
	return add_area(&m->carrier, &m->cap_carrier, &m->nr_carrier, addr, size);
}

static int cmp_range(const void *a, const void *b)
{
	const struct mf_range *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

static int cmp_area(const void *a, const void *b)
{
	const struct mf_area *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

void manifest__sort(struct manifest *m)
{
	if (m->nr_ranges)
		qsort(m->ranges, m->nr_ranges, sizeof(*m->ranges), cmp_range);
	if (m->nr_carrier)
		qsort(m->carrier, m->nr_carrier, sizeof(*m->carrier), cmp_area);
}

int manifest__find_range(const struct manifest *m, __u64 phys)
{
	int lo = 0, hi = m->nr_ranges - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (m->ranges[mid].phys == phys)
			return mid;
		if (m->ranges[mid].phys < phys)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

int manifest__span_crc(const struct manifest *m, __u64 phys, __u64 size, __u32 *crc)
{
	__u64 pos = phys, end = phys + size;
	int j = manifest__find_range(m, phys), ret = 0;

	if (j < 0 || !size || end < phys)
		return -ENOENT;
	for (; pos < end; j++) {
		const struct mf_range *g = &m->ranges[j];

		if (j >= m->nr_ranges || g->phys != pos || g->size > end - pos ||
		    g->sent == MF_SENT_LOST)
			return -ENOENT;
		if (g->no_crc)
			ret = -ENODATA;
		*crc = pos == phys ? g->crc : crc32c_combine(*crc, g->crc, g->size);
		pos += g->size;
	}
	return ret;
}

/* --- text form --- */

struct buf {
	char *p;
	size_t len, cap;
	int err;
};

static void bprintf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->err)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->err = -EINVAL;
			return;
		}
		if ((size_t)n < b->cap - b->len)
			break;
		b->cap = (b->cap + n) * 2;
		char *p = realloc(b->p, b->cap);
		if (!p) {
			b->err = -ENOMEM;
			return;
		}
		b->p = p;
	}
	b->len += n;
}

/* --- parser --- */

static int parse_u32(const char *s, __u32 *v)
{
	__u64 x;

	if (parse_u64(s, &x, 0) || x > UINT32_MAX)
		return -EINVAL;
	*v = x;
	return 0;
}

/* subtree names are FDT node names: no blanks, no '=' */
static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= MANIFEST_NAME_MAX)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s == '=' || *s > '~')
			return false;
	return true;
}

/* one range record (manifest "range" or kernel map line) from tokens */
static int tok_range(const struct kv_words *t, struct mf_range *r, bool need_crc)
{
	__u64 order = 0;

	if (parse_u64(kv_get(t, "phys"), &r->phys, 0) || parse_u64(kv_get(t, "size"), &r->size, 0))
		return -EINVAL;
	if (kv_get(t, "order") && (parse_u64(kv_get(t, "order"), &order, 0) || order > 63))
		return -EINVAL;
	r->order = order;
	if (need_crc && parse_u32(kv_get(t, "crc32c"), &r->crc))
		return -EINVAL;
	if (!r->size || r->phys + r->size < r->phys)
		return -EINVAL;
	return 0;
}

/* a kernel map line: with have_sent, its sent, reboot and crc32c=lost too */
static int tok_map_range(const struct kv_words *t, struct mf_range *r, bool have_sent)
{
	const char *crc = kv_get(t, "crc32c"), *sent = kv_get(t, "sent");
	const char *reboot = kv_get(t, "reboot");

	memset(r, 0, sizeof(*r));
	if (tok_range(t, r, false) || !crc)
		return -EINVAL;
	if (!strcmp(crc, "none"))
		r->no_crc = true;
	else if (have_sent && !strcmp(crc, "lost"))
		r->sent = MF_SENT_LOST;
	else if (parse_u32(crc, &r->crc))
		return -EINVAL;
	if (!have_sent)
		return 0;
	if (!sent)
		return -EINVAL;
	if (!strcmp(sent, "carrier") || !strcmp(sent, "none") || !strcmp(sent, "late")) {
		if (r->sent == MF_SENT_LOST || reboot)
			return -EINVAL;
		r->sent = sent[0] == 'c' ? MF_SENT_CARRIER :
			  sent[0] == 'n' ? MF_SENT_NONE : MF_SENT_LATE;
		return 0;
	}
	if (parse_u32(sent, &r->sent_crc) || !reboot)
		return -EINVAL;
	if (r->sent != MF_SENT_LOST)
		r->sent = MF_SENT_LISTED;
	if (!strcmp(reboot, "none"))
		return 0;
	r->has_reboot = true;
	return parse_u32(reboot, &r->reboot_crc);
}

static int tok_subtree(const struct kv_words *t, struct mf_subtree *s)
{
	const char *name = kv_get(t, "name"), *crc = kv_get(t, "crc32c");

	memset(s, 0, sizeof(*s));
	if (!name || !valid_name(name))
		return -EINVAL;
	snprintf(s->name, sizeof(s->name), "%s", name);
	if (kv_get(t, "phys") && !strcmp(kv_get(t, "phys"), "-"))
		s->no_phys = true;
	else if (parse_u64(kv_get(t, "phys"), &s->phys, 0))
		return -EINVAL;
	if (parse_u64(kv_get(t, "size"), &s->size, 0))
		return -EINVAL;
	if (!crc)
		return -EINVAL;
	/* "-" in a manifest, "none" in a kernel map: no checksum */
	if (!strcmp(crc, "-") || !strcmp(crc, "none"))
		return 0;
	if (parse_u32(crc, &s->crc))
		return -EINVAL;
	s->has_crc = true;
	return 0;
}

static int tok_region(const struct kv_words *t, struct mf_region *r)
{
	const char *name = kv_get(t, "name"), *crc = kv_get(t, "crc32c");

	memset(r, 0, sizeof(*r));
	if (!name || !valid_name(name) || !crc)
		return -EINVAL;
	snprintf(r->name, sizeof(r->name), "%s", name);
	if (parse_u64(kv_get(t, "phys"), &r->phys, 0) || parse_u64(kv_get(t, "size"), &r->size, 0) ||
	    !r->size || r->phys + r->size < r->phys)
		return -EINVAL;
	if (!strcmp(crc, "-"))
		return 0;
	r->has_crc = true;
	return parse_u32(crc, &r->crc);
}

/* a sorted, non-overlapping list: check the new element against the last */
static int check_order(const char *what, __u64 prev, __u64 prev_size, int prev_line,
		       __u64 phys, int line, char *err, size_t err_size)
{
	if (phys == prev)
		return err_set(err, err_size, -EINVAL, "line %d: duplicate %s phys=0x%llx (line %d)",
			       line, what, (unsigned long long)phys, prev_line);
	if (phys < prev)
		return err_set(err, err_size, -EINVAL,
			       "line %d: %s phys=0x%llx not sorted (after phys=0x%llx on line %d)",
			       line, what, (unsigned long long)phys, (unsigned long long)prev,
			       prev_line);
	if (phys < prev + prev_size)
		return err_set(err, err_size, -EINVAL,
			       "line %d: %s phys=0x%llx overlaps %s phys=0x%llx size=0x%llx (line %d)",
			       line, what, (unsigned long long)phys, what, (unsigned long long)prev,
			       (unsigned long long)prev_size, prev_line);
	return 0;
}

/* --- the records: one row per kind, its parser beside its formatter --- */

struct parse_ctx {
	struct manifest *m;
	int lineno;
	unsigned int seen;		/* 1 << row: the header records read */
	int range_line, carrier_line;	/* of the last range and carrier: order checks */
	char *err;
	size_t err_size;
};

/* "line N: MESSAGE" into the context's error buffer; returns ret */
static int line_err(struct parse_ctx *c, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int line_err(struct parse_ctx *c, int ret, const char *fmt, ...)
{
	int n = snprintf(c->err, c->err_size, "line %d: ", c->lineno);
	va_list ap;

	if (n < 0 || (size_t)n >= c->err_size)
		return ret;
	va_start(ap, fmt);
	err_vset(c->err + n, c->err_size - n, ret, fmt, ap);
	va_end(ap);
	return ret;
}

/*
 * A header record is KEY=VALUE, once at most: fields 0 takes the rest of
 * the line as its value (a release or a reason may hold blanks), fields 1
 * one word. A list record has a fixed number of words, the kind first.
 * parse() returns 0 or -errno, with a message or without one (then the
 * row's bad message, or "malformed KIND record", is given).
 */
struct record_kind {
	const char *key;
	int fields;
	bool required;
	const char *bad;	/* header: the message for a bad or repeated value */
	int (*parse)(struct parse_ctx *c, const char *value, const struct kv_words *t);
	void (*format)(const struct manifest *m, struct buf *b);
};

static int parse_release(struct parse_ctx *c, const char *v, const struct kv_words *t)
{
	if (strlen(v) >= sizeof(c->m->release))
		return line_err(c, -EINVAL, "release longer than %d bytes",
				MANIFEST_RELEASE_MAX - 1);
	strcpy(c->m->release, v);
	return 0;
}

static void format_release(const struct manifest *m, struct buf *b)
{
	bprintf(b, "release=%s\n", m->release);
}

static int parse_time(struct parse_ctx *c, const char *v, const struct kv_words *t)
{
	return parse_u64(v, &c->m->time, 0);
}

static void format_time(const struct manifest *m, struct buf *b)
{
	bprintf(b, "time=%llu\n", (unsigned long long)m->time);
}

static int parse_kexec_count(struct parse_ctx *c, const char *v, const struct kv_words *t)
{
	return parse_u32(v, &c->m->kexec_count);
}

static void format_kexec_count(const struct manifest *m, struct buf *b)
{
	bprintf(b, "kexec_count=%u\n", m->kexec_count);
}

static int parse_series(struct parse_ctx *c, const char *v, const struct kv_words *t)
{
	if (strcmp(v, "yes") && strcmp(v, "no"))
		return -EINVAL;
	c->m->series = v[0] == 'y';
	return 0;
}

static void format_series(const struct manifest *m, struct buf *b)
{
	if (m->series >= 0)
		bprintf(b, "series=%s\n", m->series ? "yes" : "no");
}

/* "no REASON" (the reason may be empty): the reason, or NULL */
static const char *no_reason(const char *v)
{
	if (strncmp(v, "no", 2) || (v[2] && v[2] != ' '))
		return NULL;
	return v[2] ? v + 3 : "";
}

static int parse_ranges(struct parse_ctx *c, const char *v, const struct kv_words *t)
{
	const char *why = no_reason(v);

	if (!strcmp(v, "yes"))
		c->m->have_ranges = true;
	else if (why)
		snprintf(c->m->ranges_reason, sizeof(c->m->ranges_reason), "%.127s", why);
	else
		return line_err(c, -EINVAL, "ranges= must be 'yes' or 'no REASON'");
	return 0;
}

static void format_ranges(const struct manifest *m, struct buf *b)
{
	if (m->have_ranges)
		bprintf(b, "ranges=yes\n");
	else
		bprintf(b, "ranges=no %s\n", m->ranges_reason[0] ? m->ranges_reason : "unavailable");
}

static int parse_fdt(struct parse_ctx *c, const char *v, const struct kv_words *t)
{
	const char *why = no_reason(v);

	if (!why)
		return -EINVAL;
	snprintf(c->m->fdt_reason, sizeof(c->m->fdt_reason), "%s", why);
	c->m->no_fdt = true;
	return 0;
}

static void format_fdt(const struct manifest *m, struct buf *b)
{
	if (m->no_fdt)
		bprintf(b, "fdt=no %s\n", m->fdt_reason[0] ? m->fdt_reason : "unavailable");
}

static int parse_region_bytes(struct parse_ctx *c, const char *v, const struct kv_words *t)
{
	const char *why = no_reason(v);

	if (!why)
		return -EINVAL;
	snprintf(c->m->region_reason, sizeof(c->m->region_reason), "%s", why);
	return 0;
}

static void format_region_bytes(const struct manifest *m, struct buf *b)
{
	if (m->region_reason[0])
		bprintf(b, "region_bytes=no %s\n", m->region_reason);
}

/* scratch addr= size=, carrier phys= size= */
static int parse_area(struct parse_ctx *c, const struct kv_words *t, bool scratch)
{
	struct manifest *m = c->m;
	__u64 addr, size;

	/* a scratch area may be empty: KHO's default scale gives a 0-byte
	 * global area on small machines */
	if (parse_u64(kv_get(t, scratch ? "addr" : "phys"), &addr, 0) ||
	    parse_u64(kv_get(t, "size"), &size, 0) || (!size && !scratch) || addr + size < addr)
		return -EINVAL;
	if (scratch)
		return manifest__add_scratch(m, addr, size);
	if (m->nr_carrier && check_order("carrier", m->carrier[m->nr_carrier - 1].addr,
					 m->carrier[m->nr_carrier - 1].size, c->carrier_line,
					 addr, c->lineno, c->err, c->err_size))
		return -EINVAL;
	c->carrier_line = c->lineno;
	return manifest__add_carrier(m, addr, size);
}

static int parse_scratch(struct parse_ctx *c, const char *v, const struct kv_words *t)
{
	return parse_area(c, t, true);
}

static void format_scratch(const struct manifest *m, struct buf *b)
{
	for (int i = 0; i < m->nr_scratch; i++)
		bprintf(b, "scratch addr=0x%llx size=0x%llx\n",
			(unsigned long long)m->scratch[i].addr,
			(unsigned long long)m->scratch[i].size);
}

static int parse_range(struct parse_ctx *c, const char *v, const struct kv_words *t)
{
	struct manifest *m = c->m;
	struct mf_range r;

	if (tok_range(t, &r, true))
		return -EINVAL;
	if (m->nr_ranges && check_order("range", m->ranges[m->nr_ranges - 1].phys,
					m->ranges[m->nr_ranges - 1].size, c->range_line,
					r.phys, c->lineno, c->err, c->err_size))
		return -EINVAL;
	c->range_line = c->lineno;
	return manifest__add_range(m, r.phys, r.order, r.size, r.crc);
}

static void format_range(const struct manifest *m, struct buf *b)
{
	for (int i = 0; i < m->nr_ranges; i++)
		bprintf(b, "range phys=0x%llx order=%u size=0x%llx crc32c=0x%08x\n",
			(unsigned long long)m->ranges[i].phys, m->ranges[i].order,
			(unsigned long long)m->ranges[i].size, m->ranges[i].crc);
}

static int parse_subtree(struct parse_ctx *c, const char *v, const struct kv_words *t)
{
	struct manifest *m = c->m;
	struct mf_subtree s;
	int ret;

	if (tok_subtree(t, &s))
		return -EINVAL;
	for (int i = 0; i < m->nr_subtrees; i++)
		if (!strcmp(m->subtrees[i].name, s.name))
			return line_err(c, -EINVAL, "duplicate subtree name=%s", s.name);
	if (s.no_phys && !m->no_fdt)
		return line_err(c, -EINVAL, "subtree %s without phys, but no fdt=no line", s.name);
	ret = manifest__add_subtree(m, s.name, s.phys, s.size, s.has_crc, s.crc);
	if (!ret)
		m->subtrees[m->nr_subtrees - 1].no_phys = s.no_phys;
	return ret;
}

static void format_subtree(const struct manifest *m, struct buf *b)
{
	for (int i = 0; i < m->nr_subtrees; i++) {
		const struct mf_subtree *s = &m->subtrees[i];
		char phys[24] = "-", crc[16] = "-";

		if (!s->no_phys)
			snprintf(phys, sizeof(phys), "0x%llx", (unsigned long long)s->phys);
		if (s->has_crc)
			snprintf(crc, sizeof(crc), "0x%08x", s->crc);
		bprintf(b, "subtree name=%s phys=%s size=0x%llx crc32c=%s\n", s->name, phys,
			(unsigned long long)s->size, crc);
	}
}

static int parse_region(struct parse_ctx *c, const char *v, const struct kv_words *t)
{
	struct manifest *m = c->m;
	struct mf_region r;

	if (tok_region(t, &r))
		return -EINVAL;
	for (int i = 0; i < m->nr_regions; i++)
		if (!strcmp(m->regions[i].name, r.name))
			return line_err(c, -EINVAL, "duplicate region name=%s", r.name);
	return manifest__add_region(m, r.name, r.phys, r.size, r.has_crc, r.crc);
}

static void format_region(const struct manifest *m, struct buf *b)
{
	for (int i = 0; i < m->nr_regions; i++) {
		const struct mf_region *r = &m->regions[i];
		char crc[16] = "-";

		if (r->has_crc)
			snprintf(crc, sizeof(crc), "0x%08x", r->crc);
		bprintf(b, "region name=%s phys=0x%llx size=0x%llx crc32c=%s\n", r->name,
			(unsigned long long)r->phys, (unsigned long long)r->size, crc);
	}
}

static int parse_carrier(struct parse_ctx *c, const char *v, const struct kv_words *t)
{
	return parse_area(c, t, false);
}

static void format_carrier(const struct manifest *m, struct buf *b)
{
	for (int i = 0; i < m->nr_carrier; i++)
		bprintf(b, "carrier phys=0x%llx size=0x%llx\n",
			(unsigned long long)m->carrier[i].addr,
			(unsigned long long)m->carrier[i].size);
}

/* in the order manifest__format() writes them (the parser takes any order) */
static const struct record_kind kinds[] = {
	{ "release",	 0, true,  NULL, parse_release, format_release },
	{ "time",	 1, true,  "bad or duplicate time", parse_time, format_time },
	{ "kexec_count", 1, true,  "bad or duplicate kexec_count", parse_kexec_count,
	  format_kexec_count },
	{ "series",	 0, false, "bad or duplicate series (yes or no)", parse_series,
	  format_series },
	{ "ranges",	 0, true,  NULL, parse_ranges, format_ranges },
	{ "fdt",	 0, false, "bad or duplicate fdt (must be 'no REASON')", parse_fdt,
	  format_fdt },
	{ "region_bytes", 0, false, "bad or duplicate region_bytes (must be 'no REASON')",
	  parse_region_bytes, format_region_bytes },
	{ "scratch",	 3, false, NULL, parse_scratch, format_scratch },
	{ "range",	 5, false, NULL, parse_range, format_range },
	{ "subtree",	 5, false, NULL, parse_subtree, format_subtree },
	{ "region",	 5, false, NULL, parse_region, format_region },
	{ "carrier",	 3, false, NULL, parse_carrier, format_carrier },
};
#define NR_KINDS	(int)(sizeof(kinds) / sizeof(kinds[0]))

long manifest__format(const struct manifest *m, char **text)
{
	struct buf b = { .cap = 4096 };

	b.p = malloc(b.cap);
	if (!b.p)
		return -ENOMEM;
	b.p[0] = '\0';
	bprintf(&b, "%s %u\n", MANIFEST_MAGIC, MANIFEST_VERSION);
	for (int i = 0; i < NR_KINDS; i++)
		kinds[i].format(m, &b);
	if (!b.err)
		bprintf(&b, "end crc32c=0x%08x\n", crc32c(b.p, b.len));
	if (b.err) {
		free(b.p);
		return b.err;
	}
	*text = b.p;
	return b.len;
}

/* the row of a line: a whole-line header by its "KEY=" prefix, else by its first word */
static const struct record_kind *kind_of(const char *line, const struct kv_words *t)
{
	for (int i = 0; i < NR_KINDS; i++) {
		size_t k = strlen(kinds[i].key);

		if (!t && !kinds[i].fields && !strncmp(line, kinds[i].key, k) && line[k] == '=')
			return &kinds[i];
		if (t && kinds[i].fields && !strcmp(t->key[0], kinds[i].key) &&
		    (kinds[i].fields == 1) == !!t->val[0])
			return &kinds[i];
	}
	return NULL;
}

/* one line but the first and the end line: 0 or -errno with the message */
static int parse_record(struct parse_ctx *c, char *line)
{
	const struct record_kind *k = kind_of(line, NULL);
	const char *value = NULL;
	struct kv_words t;
	int ret;

	if (k) {
		value = line + strlen(k->key) + 1;
	} else {
		if (kv_split(line, " ", &t, MAX_TOKENS) || !t.n)
			return line_err(c, -EINVAL, "%s", t.n ? "too many fields" : "empty line");
		k = kind_of(line, &t);
		if (!k)
			return line_err(c, -EINVAL, "unknown record '%s'", t.key[0]);
		if (t.n != (k->fields ?: 1))
			return line_err(c, -EINVAL, "malformed %s record", k->key);
		value = t.val[0];
	}
	if (k->fields <= 1 && (c->seen & (1U << (k - kinds))))
		return k->bad ? line_err(c, -EINVAL, "%s", k->bad) :
				line_err(c, -EINVAL, "duplicate %s", k->key);
	c->err[0] = '\0';
	ret = k->parse(c, value, &t);
	if (ret == -ENOMEM)
		return err_set(c->err, c->err_size, ret, "out of memory");
	if (ret && !c->err[0])
		return k->bad ? line_err(c, ret, "%s", k->bad) :
				line_err(c, ret, "malformed %s record", k->key);
	c->seen |= 1U << (k - kinds);
	return ret;
}

/* "end crc32c=": the checksum of all before it, every required record read */
static int parse_end(struct parse_ctx *c, char *line, const char *text, size_t len)
{
	struct kv_words t;
	__u32 want;

	if (kv_split(line, " ", &t, MAX_TOKENS) || t.n != 2 || parse_u32(kv_get(&t, "crc32c"), &want))
		return line_err(c, -EINVAL, "malformed end line");
	if (want != crc32c(text, len))
		return line_err(c, -EBADMSG, "checksum mismatch (end crc32c=0x%08x, content 0x%08x)",
				want, crc32c(text, len));
	for (int i = 0; i < NR_KINDS; i++)
		if (kinds[i].required && !(c->seen & (1U << i)))
			return line_err(c, -EINVAL, "missing %s before the end line", kinds[i].key);
	if (!c->m->have_ranges && c->m->nr_ranges)
		return err_set(c->err, c->err_size, -EINVAL, "ranges=no but %d range records",
			       c->m->nr_ranges);
	return 0;
}

/* line 1: the magic and the version */
static int parse_magic(struct parse_ctx *c, const char *line)
{
	unsigned int v;
	char tail;

	if (sscanf(line, MANIFEST_MAGIC " %u%c", &v, &tail) != 1)
		return err_set(c->err, c->err_size, -EINVAL,
			       "not a khotrace manifest (line 1: '%.40s')", line);
	if (v != MANIFEST_VERSION)
		return err_set(c->err, c->err_size, -EPROTO,
			       "unsupported manifest version %u (this khotrace reads version %d)",
			       v, MANIFEST_VERSION);
	return 0;
}

int manifest__parse(const char *text, size_t len, struct manifest *m,
		    char *err, size_t err_size)
{
	struct parse_ctx c = { .m = m, .err = err, .err_size = err_size };
	const char *p = text, *end = memchr(text, '\0', len);
	char line[LINE_MAX_LEN];
	int ret = 0;

	manifest__init(m);
	err[0] = '\0';
	for (end = end ?: text + len; p < end && !ret;) {
		const char *nl = memchr(p, '\n', end - p);

		c.lineno++;
		if (!nl) {
			ret = err_set(err, err_size, -EINVAL,
				      "truncated: line %d has no newline (no end line)", c.lineno);
			break;
		}
		if (nl - p >= (long)sizeof(line)) {
			ret = line_err(&c, -EINVAL, "longer than %d bytes", LINE_MAX_LEN - 1);
			break;
		}
		memcpy(line, p, nl - p);
		line[nl - p] = '\0';
		if (c.lineno > 1 && !strncmp(line, "end ", 4)) {
			ret = parse_end(&c, line, text, p - text);
			if (!ret)
				return 0;
			break;
		}
		ret = c.lineno == 1 ? parse_magic(&c, line) : parse_record(&c, line);
		p = nl + 1;
	}
	if (!ret && !c.lineno)
		ret = err_set(err, err_size, -EINVAL, "empty manifest");
	else if (!ret)
		ret = err_set(err, err_size, -EINVAL, "truncated: no end line after line %d",
			      c.lineno);
	manifest__free(m);
	return ret;
}

/* --- the kernel's text maps --- */

/* "# crc32c=received", "# sent=N" or "# sent=N ranges=M" */
int kho_map_header(const char *line, struct manifest *m)
{
	char buf[64];
	struct kv_words t;

	if (!strcmp(line, "# crc32c=received"))
		m->crc_received = true;
	if (strncmp(line, "# sent=", 7))
		return 0;
	if (snprintf(buf, sizeof(buf), "%s", line + 2) >= (int)sizeof(buf) ||
	    kv_split(buf, " ", &t, MAX_TOKENS) || t.n > 2 || parse_u64(kv_get(&t, "sent"), &m->nr_sent, 0))
		return -EINVAL;
	if (t.n == 2 && (parse_u64(kv_get(&t, "ranges"), &m->nr_sent_ranges, 0) ||
			 m->nr_sent_ranges < m->nr_sent))
		return -EINVAL;
	m->have_sent = true;
	return 0;
}

/*
 * out/ranges: phys, order and size; keys a later kernel adds are skipped,
 * as kho.rst's versioning lets it add them in the same version
 */
static int tok_bare_range(const struct kv_words *t, struct mf_range *r)
{
	memset(r, 0, sizeof(*r));
	if (!kv_get(t, "order") || tok_range(t, r, false))
		return -EINVAL;
	r->no_crc = true;
	return 0;
}

static int parse_lines(const char *text, struct manifest *m, enum kho_format fmt,
		       char *err, size_t err_size)
{
	bool subtrees = fmt == KHO_FMT_SUBTREES;
	char line[LINE_MAX_LEN];
	int lineno = 1, ret;
	struct kv_words t;

	ret = kho_format__check(text, NULL, fmt, &text, err, err_size);
	if (ret)
		return ret;
	while (*text) {
		size_t n = strcspn(text, "\n");

		lineno++;
		if (n >= sizeof(line))
			return err_set(err, err_size, -EINVAL, "line %d: longer than %d bytes", lineno,
				       LINE_MAX_LEN - 1);
		memcpy(line, text, n);
		line[n] = '\0';
		text += n + (text[n] == '\n');
		if (line[0] == '#') {
			/* the header comes first: "# sent=N" after a range is bad */
			if (fmt == KHO_FMT_MEMORY_MAP && (kho_map_header(line, m) ||
					  (m->nr_ranges && !strncmp(line, "# sent=", 7))))
				return err_set(err, err_size, -EINVAL,
					       "line %d: bad or misplaced '%s'", lineno, line);
			continue;
		}
		if (kv_split(line, " ", &t, MAX_TOKENS))
			return err_set(err, err_size, -EINVAL, "line %d: too many fields", lineno);
		if (!t.n)
			continue;
		if (subtrees) {
			struct mf_subtree s;

			if (tok_subtree(&t, &s))
				return err_set(err, err_size, -EINVAL,
					       "line %d: expected name=NAME phys=0x.. size=0x.. crc32c=0x..",
					       lineno);
			if (manifest__add_subtree(m, s.name, s.phys, s.size, s.has_crc, s.crc))
				return err_set(err, err_size, -ENOMEM, "out of memory");
		} else if (fmt == KHO_FMT_RANGES) {
			struct mf_range r;

			if (tok_bare_range(&t, &r))
				return err_set(err, err_size, -EINVAL,
					       "line %d: expected phys=0x.. order=N size=0x..", lineno);
			if (manifest__add_range(m, r.phys, r.order, r.size, 0))
				return err_set(err, err_size, -ENOMEM, "out of memory");
			m->ranges[m->nr_ranges - 1] = r;
		} else {
			struct mf_range r;

			if (tok_map_range(&t, &r, m->have_sent))
				return err_set(err, err_size, -EINVAL,
					       "line %d: expected phys=0x.. order=N size=0x.. crc32c=0x..%s",
					       lineno, m->have_sent ?
					       " sent=0x..|carrier|late|none reboot=0x..|none" : "");
			if (manifest__add_range(m, r.phys, r.order, r.size, r.crc))
				return err_set(err, err_size, -ENOMEM, "out of memory");
			m->ranges[m->nr_ranges - 1] = r;
		}
	}
	return 0;
}

int kho_map_parse(const char *text, struct manifest *m, char *err, size_t err_size)
{
	int ret = parse_lines(text, m, KHO_FMT_MEMORY_MAP, err, err_size);

	if (!ret)
		manifest__sort(m);
	return ret;
}

int kho_ranges_parse(const char *text, struct manifest *m, char *err, size_t err_size)
{
	int ret = parse_lines(text, m, KHO_FMT_RANGES, err, err_size);

	if (!ret)
		manifest__sort(m);
	return ret;
}

int kho_subtrees_parse(const char *text, struct manifest *m, char *err, size_t err_size)
{
	return parse_lines(text, m, KHO_FMT_SUBTREES, err, err_size);
}
