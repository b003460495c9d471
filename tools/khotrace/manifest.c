// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* the manifest: build, text form, strict parser (format in manifest.h) */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "manifest.h"

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

/* grow *arr (of *cap elements of size sz) to hold n + 1 */
static int grow(void **arr, int *cap, int n, size_t sz)
{
	void *p;
	int c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	p = realloc(*arr, c * sz);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = c;
	return 0;
}

int manifest__add_range(struct manifest *m, __u64 phys, __u32 order, __u64 size, __u32 crc)
{
	if (grow((void **)&m->ranges, &m->cap_ranges, m->nr_ranges, sizeof(*m->ranges)))
		return -ENOMEM;
	m->ranges[m->nr_ranges++] = (struct mf_range){
		.phys = phys, .size = size, .order = order, .crc = crc,
	};
	return 0;
}

int manifest__add_subtree(struct manifest *m, const char *name, __u64 phys, __u64 size,
			  bool has_crc, __u32 crc)
{
	struct mf_subtree *s;

	if (grow((void **)&m->subtrees, &m->cap_subtrees, m->nr_subtrees, sizeof(*m->subtrees)))
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

	if (grow((void **)&m->regions, &m->cap_regions, m->nr_regions, sizeof(*m->regions)))
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
	if (grow((void **)arr, cap, *n, sizeof(**arr)))
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

long manifest__format(const struct manifest *m, char **text)
{
	struct buf b = { .cap = 4096 };
	int i;

	b.p = malloc(b.cap);
	if (!b.p)
		return -ENOMEM;
	b.p[0] = '\0';
	bprintf(&b, "%s %u\n", MANIFEST_MAGIC, MANIFEST_VERSION);
	bprintf(&b, "release=%s\n", m->release);
	bprintf(&b, "time=%llu\n", (unsigned long long)m->time);
	bprintf(&b, "kexec_count=%u\n", m->kexec_count);
	if (m->series >= 0)
		bprintf(&b, "series=%s\n", m->series ? "yes" : "no");
	if (m->have_ranges)
		bprintf(&b, "ranges=yes\n");
	else
		bprintf(&b, "ranges=no %s\n", m->ranges_reason[0] ? m->ranges_reason : "unavailable");
	if (m->no_fdt)
		bprintf(&b, "fdt=no %s\n", m->fdt_reason[0] ? m->fdt_reason : "unavailable");
	if (m->region_reason[0])
		bprintf(&b, "region_bytes=no %s\n", m->region_reason);
	for (i = 0; i < m->nr_scratch; i++)
		bprintf(&b, "scratch addr=0x%llx size=0x%llx\n",
			(unsigned long long)m->scratch[i].addr,
			(unsigned long long)m->scratch[i].size);
	for (i = 0; i < m->nr_ranges; i++)
		bprintf(&b, "range phys=0x%llx order=%u size=0x%llx crc32c=0x%08x\n",
			(unsigned long long)m->ranges[i].phys, m->ranges[i].order,
			(unsigned long long)m->ranges[i].size, m->ranges[i].crc);
	for (i = 0; i < m->nr_subtrees; i++) {
		const struct mf_subtree *s = &m->subtrees[i];
		char phys[24] = "-", crc[16] = "-";

		if (!s->no_phys)
			snprintf(phys, sizeof(phys), "0x%llx", (unsigned long long)s->phys);
		if (s->has_crc)
			snprintf(crc, sizeof(crc), "0x%08x", s->crc);
		bprintf(&b, "subtree name=%s phys=%s size=0x%llx crc32c=%s\n", s->name, phys,
			(unsigned long long)s->size, crc);
	}
	for (i = 0; i < m->nr_regions; i++) {
		const struct mf_region *r = &m->regions[i];
		char crc[16] = "-";

		if (r->has_crc)
			snprintf(crc, sizeof(crc), "0x%08x", r->crc);
		bprintf(&b, "region name=%s phys=0x%llx size=0x%llx crc32c=%s\n", r->name,
			(unsigned long long)r->phys, (unsigned long long)r->size, crc);
	}
	for (i = 0; i < m->nr_carrier; i++)
		bprintf(&b, "carrier phys=0x%llx size=0x%llx\n",
			(unsigned long long)m->carrier[i].addr,
			(unsigned long long)m->carrier[i].size);
	if (!b.err)
		bprintf(&b, "end crc32c=0x%08x\n", crc32c(b.p, b.len));
	if (b.err) {
		free(b.p);
		return b.err;
	}
	*text = b.p;
	return b.len;
}

/* --- parser --- */

struct tokens {
	int n;
	char *key[MAX_TOKENS];
	char *val[MAX_TOKENS];	/* NULL for a bare word */
};

/* split a line (modified in place) into words, key=value or bare */
static int tokenize(char *line, struct tokens *t)
{
	char *save, *w;

	t->n = 0;
	for (w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(w, '=');

		if (t->n == MAX_TOKENS)
			return -E2BIG;
		t->key[t->n] = w;
		t->val[t->n] = NULL;
		if (eq) {
			*eq = '\0';
			t->val[t->n] = eq + 1;
		}
		t->n++;
	}
	return 0;
}

static const char *tok_get(const struct tokens *t, const char *key)
{
	for (int i = 0; i < t->n; i++)
		if (t->val[i] && !strcmp(t->key[i], key))
			return t->val[i];
	return NULL;
}

static int parse_u64(const char *s, __u64 *v)
{
	unsigned long long x;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

static int parse_u32(const char *s, __u32 *v)
{
	__u64 x;

	if (parse_u64(s, &x) || x > UINT32_MAX)
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

#define perr(...) snprintf(err, err_size, __VA_ARGS__)

/* one range record (manifest "range" or kernel map line) from tokens */
static int tok_range(const struct tokens *t, struct mf_range *r, bool need_crc)
{
	__u64 order = 0;

	if (parse_u64(tok_get(t, "phys"), &r->phys) || parse_u64(tok_get(t, "size"), &r->size))
		return -EINVAL;
	if (tok_get(t, "order") && (parse_u64(tok_get(t, "order"), &order) || order > 63))
		return -EINVAL;
	r->order = order;
	if (need_crc && parse_u32(tok_get(t, "crc32c"), &r->crc))
		return -EINVAL;
	if (!r->size || r->phys + r->size < r->phys)
		return -EINVAL;
	return 0;
}

/* a kernel map line: with have_sent, its sent, reboot and crc32c=lost too */
static int tok_map_range(const struct tokens *t, struct mf_range *r, bool have_sent)
{
	const char *crc = tok_get(t, "crc32c"), *sent = tok_get(t, "sent");
	const char *reboot = tok_get(t, "reboot");

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

static int tok_subtree(const struct tokens *t, struct mf_subtree *s)
{
	const char *name = tok_get(t, "name"), *crc = tok_get(t, "crc32c");

	memset(s, 0, sizeof(*s));
	if (!name || !valid_name(name))
		return -EINVAL;
	snprintf(s->name, sizeof(s->name), "%s", name);
	if (tok_get(t, "phys") && !strcmp(tok_get(t, "phys"), "-"))
		s->no_phys = true;
	else if (parse_u64(tok_get(t, "phys"), &s->phys))
		return -EINVAL;
	if (parse_u64(tok_get(t, "size"), &s->size))
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

static int tok_region(const struct tokens *t, struct mf_region *r)
{
	const char *name = tok_get(t, "name"), *crc = tok_get(t, "crc32c");

	memset(r, 0, sizeof(*r));
	if (!name || !valid_name(name) || !crc)
		return -EINVAL;
	snprintf(r->name, sizeof(r->name), "%s", name);
	if (parse_u64(tok_get(t, "phys"), &r->phys) || parse_u64(tok_get(t, "size"), &r->size) ||
	    !r->size || r->phys + r->size < r->phys)
		return -EINVAL;
	if (!strcmp(crc, "-"))
		return 0;
	r->has_crc = true;
	return parse_u32(crc, &r->crc);
}

/* "KEY=no REASON" header lines (reason may have blanks): 1 if line is one,
 * with the reason copied; -1 if it is KEY= with anything else */
static int no_reason(const char *line, const char *key, char *reason, size_t size)
{
	size_t k = strlen(key);

	if (strncmp(line, key, k) || line[k] != '=')
		return 0;
	line += k + 1;
	if (strncmp(line, "no", 2) || (line[2] && line[2] != ' '))
		return -1;
	snprintf(reason, size, "%s", line[2] ? line + 3 : "");
	return 1;
}

/* a sorted, non-overlapping list: check the new element against the last */
static int check_order(const char *what, __u64 prev, __u64 prev_size, int prev_line,
		       __u64 phys, int line, char *err, size_t err_size)
{
	if (phys == prev) {
		perr("line %d: duplicate %s phys=0x%llx (line %d)", line, what,
		     (unsigned long long)phys, prev_line);
		return -EINVAL;
	}
	if (phys < prev) {
		perr("line %d: %s phys=0x%llx not sorted (after phys=0x%llx on line %d)", line,
		     what, (unsigned long long)phys, (unsigned long long)prev, prev_line);
		return -EINVAL;
	}
	if (phys < prev + prev_size) {
		perr("line %d: %s phys=0x%llx overlaps %s phys=0x%llx size=0x%llx (line %d)",
		     line, what, (unsigned long long)phys, what, (unsigned long long)prev,
		     (unsigned long long)prev_size, prev_line);
		return -EINVAL;
	}
	return 0;
}

int manifest__parse(const char *text, size_t len, struct manifest *m,
		    char *err, size_t err_size)
{
	int lineno = 0, range_line = 0, carrier_line = 0, err_ret = -EINVAL;
	bool have_release = false, have_time = false, have_count = false, have_rflag = false;
	bool have_series = false, have_fdt = false, have_rbytes = false;
	char line[LINE_MAX_LEN];
	const char *p = text, *end;
	struct tokens t;

	manifest__init(m);
	err[0] = '\0';
	end = memchr(text, '\0', len);
	if (end)
		len = end - text;
	end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n;
		int nr;
		const char *rec;

		lineno++;
		if (!nl) {
			perr("truncated: line %d has no newline (no end line)", lineno);
			goto fail;
		}
		n = nl - p;
		if (n >= sizeof(line)) {
			perr("line %d: longer than %d bytes", lineno, LINE_MAX_LEN - 1);
			goto fail;
		}
		memcpy(line, p, n);
		line[n] = '\0';

		if (lineno == 1) {
			unsigned int v;
			char tail;

			if (sscanf(line, MANIFEST_MAGIC " %u%c", &v, &tail) != 1) {
				perr("not a khotrace manifest (line 1: '%.40s')", line);
				goto fail;
			}
			if (v != MANIFEST_VERSION) {
				perr("unsupported manifest version %u (this khotrace reads version %d)",
				     v, MANIFEST_VERSION);
				err_ret = -EPROTO;
				goto fail;
			}
			p = nl + 1;
			continue;
		}
		if (!strncmp(line, "release=", 8)) {
			if (have_release) {
				perr("line %d: duplicate release", lineno);
				goto fail;
			}
			if (n - 8 >= sizeof(m->release)) {
				perr("line %d: release longer than %d bytes", lineno,
				     MANIFEST_RELEASE_MAX - 1);
				goto fail;
			}
			memcpy(m->release, line + 8, n - 8 + 1);
			have_release = true;
			p = nl + 1;
			continue;
		}
		if (!strncmp(line, "ranges=", 7)) {
			if (have_rflag) {
				perr("line %d: duplicate ranges", lineno);
				goto fail;
			}
			have_rflag = true;
			if (!strcmp(line + 7, "yes")) {
				m->have_ranges = true;
			} else if (!strncmp(line + 7, "no", 2) && (!line[9] || line[9] == ' ')) {
				snprintf(m->ranges_reason, sizeof(m->ranges_reason), "%.127s",
					 line[9] ? line + 10 : "");
			} else {
				perr("line %d: ranges= must be 'yes' or 'no REASON'", lineno);
				goto fail;
			}
			p = nl + 1;
			continue;
		}
		if (!strncmp(line, "series=", 7)) {
			if (have_series || (strcmp(line + 7, "yes") && strcmp(line + 7, "no"))) {
				perr("line %d: bad or duplicate series (yes or no)", lineno);
				goto fail;
			}
			have_series = true;
			m->series = line[7] == 'y';
			p = nl + 1;
			continue;
		}
		nr = no_reason(line, "fdt", m->fdt_reason, sizeof(m->fdt_reason));
		if (!nr)
			nr = no_reason(line, "region_bytes", m->region_reason,
				       sizeof(m->region_reason));
		if (nr) {
			bool *seen = line[0] == 'f' ? &have_fdt : &have_rbytes;

			if (nr < 0 || *seen) {
				perr("line %d: bad or duplicate %.*s (must be 'no REASON')", lineno,
				     (int)strcspn(line, "="), line);
				goto fail;
			}
			*seen = true;
			m->no_fdt |= line[0] == 'f';
			p = nl + 1;
			continue;
		}
		if (!strncmp(line, "end ", 4)) {
			__u32 want;

			if (tokenize(line, &t) || t.n != 2 || parse_u32(tok_get(&t, "crc32c"), &want)) {
				perr("line %d: malformed end line", lineno);
				goto fail;
			}
			if (want != crc32c(text, p - text)) {
				perr("line %d: checksum mismatch (end crc32c=0x%08x, content 0x%08x)",
				     lineno, want, crc32c(text, p - text));
				err_ret = -EBADMSG;
				goto fail;
			}
			if (!have_release || !have_time || !have_count || !have_rflag) {
				perr("line %d: missing %s before the end line", lineno,
				     !have_release ? "release" : !have_time ? "time" :
				     !have_count ? "kexec_count" : "ranges");
				goto fail;
			}
			if (!m->have_ranges && m->nr_ranges) {
				perr("ranges=no but %d range records", m->nr_ranges);
				goto fail;
			}
			return 0;
		}

		if (tokenize(line, &t) || !t.n) {
			perr("line %d: %s", lineno, t.n ? "too many fields" : "empty line");
			goto fail;
		}
		rec = t.key[0];
		if (t.val[0]) {
			/* key=value header records */
			if (t.n != 1)
				goto bad;
			if (!strcmp(rec, "time")) {
				if (have_time || parse_u64(t.val[0], &m->time))
					goto bad_or_dup;
				have_time = true;
			} else if (!strcmp(rec, "kexec_count")) {
				if (have_count || parse_u32(t.val[0], &m->kexec_count))
					goto bad_or_dup;
				have_count = true;
			} else {
				perr("line %d: unknown record '%s'", lineno, rec);
				goto fail;
			}
		} else if (!strcmp(rec, "range")) {
			struct mf_range r;

			if (t.n != 5 || tok_range(&t, &r, true))
				goto bad;
			if (m->nr_ranges) {
				struct mf_range *q = &m->ranges[m->nr_ranges - 1];

				if (check_order("range", q->phys, q->size, range_line, r.phys,
						lineno, err, err_size))
					goto fail;
			}
			if (manifest__add_range(m, r.phys, r.order, r.size, r.crc))
				goto nomem;
			range_line = lineno;
		} else if (!strcmp(rec, "subtree")) {
			struct mf_subtree s;

			if (t.n != 5 || tok_subtree(&t, &s))
				goto bad;
			for (int i = 0; i < m->nr_subtrees; i++) {
				if (!strcmp(m->subtrees[i].name, s.name)) {
					perr("line %d: duplicate subtree name=%s", lineno, s.name);
					goto fail;
				}
			}
			if (s.no_phys && !m->no_fdt) {
				perr("line %d: subtree %s without phys, but no fdt=no line", lineno,
				     s.name);
				goto fail;
			}
			if (manifest__add_subtree(m, s.name, s.phys, s.size, s.has_crc, s.crc))
				goto nomem;
			m->subtrees[m->nr_subtrees - 1].no_phys = s.no_phys;
		} else if (!strcmp(rec, "region")) {
			struct mf_region r;

			if (t.n != 5 || tok_region(&t, &r))
				goto bad;
			for (int i = 0; i < m->nr_regions; i++) {
				if (!strcmp(m->regions[i].name, r.name)) {
					perr("line %d: duplicate region name=%s", lineno, r.name);
					goto fail;
				}
			}
			if (manifest__add_region(m, r.name, r.phys, r.size, r.has_crc, r.crc))
				goto nomem;
		} else if (!strcmp(rec, "scratch") || !strcmp(rec, "carrier")) {
			bool scratch = rec[0] == 's';
			__u64 addr, size;

			/* a scratch area may be empty: KHO's default scale
			 * gives a 0-byte global area on small machines */
			if (t.n != 3 || parse_u64(tok_get(&t, scratch ? "addr" : "phys"), &addr) ||
			    parse_u64(tok_get(&t, "size"), &size) || (!size && !scratch) ||
			    addr + size < addr)
				goto bad;
			if (!scratch && m->nr_carrier) {
				struct mf_area *q = &m->carrier[m->nr_carrier - 1];

				if (check_order("carrier", q->addr, q->size, carrier_line, addr,
						lineno, err, err_size))
					goto fail;
			}
			if (scratch ? manifest__add_scratch(m, addr, size) :
				      manifest__add_carrier(m, addr, size))
				goto nomem;
			if (!scratch)
				carrier_line = lineno;
		} else {
			perr("line %d: unknown record '%s'", lineno, rec);
			goto fail;
		}
		p = nl + 1;
		continue;
bad_or_dup:
		perr("line %d: bad or duplicate %s", lineno, rec);
		goto fail;
bad:
		perr("line %d: malformed %s record", lineno, rec);
		goto fail;
	}
	if (!lineno)
		perr("empty manifest");
	else
		perr("truncated: no end line after line %d", lineno);
	goto fail;
nomem:
	perr("out of memory");
	err_ret = -ENOMEM;
fail:
	manifest__free(m);
	return err_ret;
}

/* --- the kernel's text maps --- */

/* "# crc32c=received", "# sent=N" or "# sent=N ranges=M" */
int kho_map_header(const char *line, struct manifest *m)
{
	char buf[64];
	struct tokens t;

	if (!strcmp(line, "# crc32c=received"))
		m->crc_received = true;
	if (strncmp(line, "# sent=", 7))
		return 0;
	if (snprintf(buf, sizeof(buf), "%s", line + 2) >= (int)sizeof(buf) ||
	    tokenize(buf, &t) || t.n > 2 || parse_u64(tok_get(&t, "sent"), &m->nr_sent))
		return -EINVAL;
	if (t.n == 2 && (parse_u64(tok_get(&t, "ranges"), &m->nr_sent_ranges) ||
			 m->nr_sent_ranges < m->nr_sent))
		return -EINVAL;
	m->have_sent = true;
	return 0;
}

static int parse_lines(const char *text, struct manifest *m, bool subtrees,
		       char *err, size_t err_size)
{
	char line[LINE_MAX_LEN];
	int lineno = 0;
	struct tokens t;

	while (text && *text) {
		size_t n = strcspn(text, "\n");

		lineno++;
		if (n >= sizeof(line)) {
			perr("line %d: longer than %d bytes", lineno, LINE_MAX_LEN - 1);
			return -EINVAL;
		}
		memcpy(line, text, n);
		line[n] = '\0';
		text += n + (text[n] == '\n');
		if (line[0] == '#') {
			/* the header comes first: "# sent=N" after a range is bad */
			if (!subtrees && (kho_map_header(line, m) ||
					  (m->nr_ranges && !strncmp(line, "# sent=", 7)))) {
				perr("line %d: bad or misplaced '%s'", lineno, line);
				return -EINVAL;
			}
			continue;
		}
		if (tokenize(line, &t)) {
			perr("line %d: too many fields", lineno);
			return -EINVAL;
		}
		if (!t.n)
			continue;
		if (subtrees) {
			struct mf_subtree s;

			if (tok_subtree(&t, &s)) {
				perr("line %d: expected name=NAME phys=0x.. size=0x.. crc32c=0x..",
				     lineno);
				return -EINVAL;
			}
			if (manifest__add_subtree(m, s.name, s.phys, s.size, s.has_crc, s.crc))
				return -ENOMEM;
		} else {
			struct mf_range r;

			if (tok_map_range(&t, &r, m->have_sent)) {
				perr("line %d: expected phys=0x.. order=N size=0x.. crc32c=0x..%s",
				     lineno, m->have_sent ? " sent=0x..|carrier|late|none reboot=0x..|none" :
				     "");
				return -EINVAL;
			}
			if (manifest__add_range(m, r.phys, r.order, r.size, r.crc))
				return -ENOMEM;
			m->ranges[m->nr_ranges - 1] = r;
		}
	}
	return 0;
}

int kho_map_parse(const char *text, struct manifest *m, char *err, size_t err_size)
{
	int ret = parse_lines(text, m, false, err, err_size);

	if (!ret)
		manifest__sort(m);
	return ret;
}

int kho_subtrees_parse(const char *text, struct manifest *m, char *err, size_t err_size)
{
	return parse_lines(text, m, true, err, err_size);
}
