// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"
#include "util.h"

#define LANE_H		30.0
#define LANE_GAP	4.0
#define BREAK_W		56.0
#define AXIS_H		78.0
#define TL_LANE_H	24.0
#define TL_MAX_TICKS	1500	/* per lane and source; beyond that events are binned */

/* ---- primitives ---- */

void svg_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			/* control characters are not allowed in XML 1.0 */
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				fputc('?', f);
			else
				fputc(*s, f);
		}
	}
}

static void attr(FILE *f, const char *name, const char *value)
{
	if (!value)
		return;
	fprintf(f, " %s=\"", name);
	svg_escape(f, value);
	fputc('"', f);
}

static const char stylesheet[] =
	"svg.kt{font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif;font-size:12px}\n"
	".kt-h1{font-size:17px;font-weight:bold;fill:#111}\n"
	".kt-h2{font-size:14px;font-weight:bold;fill:#111}\n"
	".kt-sub{font-size:11px;fill:#555}\n"
	".kt-lane{font-size:12px;fill:#111;font-weight:bold}\n"
	".kt-note{font-size:10.5px;fill:#555}\n"
	".kt-in{font-size:10.5px;fill:#111;pointer-events:none}\n"
	".kt-in-light{font-size:10.5px;fill:#fff;pointer-events:none}\n"
	".kt-tick{font-family:'DejaVu Sans Mono','Liberation Mono',monospace;font-size:10px;fill:#333}\n"
	".kt-gap{font-size:10px;fill:#777;font-style:italic;text-anchor:middle}\n"
	".kt-axis{stroke:#444;stroke-width:1}\n"
	".kt-grid{stroke:#ddd;stroke-width:1}\n"
	".kt-mark{stroke:#c00;stroke-width:1;stroke-dasharray:4 3}\n"
	".kt-mark-label{font-size:10px;fill:#c00}\n"
	".kt-zig{fill:none;stroke:#888;stroke-width:1.2}\n"
	".kt-bg{fill:#fff}\n"
	".kt-laneb{fill:#f7f7f7}\n"
	".kt-breakb{fill:#fff}\n"
	".kt-r{stroke:#fff;stroke-width:0.75}\n"
	".kt-area{stroke:#3b7a3b;stroke-width:1}\n"
	".kt-ram{stroke:#999;stroke-width:1}\n"
	".kt-err{stroke:#d00;stroke-width:2}\n"
	"rect[data-kind]:hover{stroke:#000;stroke-width:2}\n"
	".kt-end{text-anchor:end}\n"
	".kt-mid{text-anchor:middle}\n";

void svg_begin(FILE *f, double w, double h, bool standalone)
{
	if (standalone)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kt\" width=\"%.0f\" "
		"height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n", w, h, w, h);
	fprintf(f, "<style>\n%s</style>\n", stylesheet);
	fprintf(f, "<rect class=\"kt-bg\" x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\"/>\n", w, h);
}

void svg_end(FILE *f)
{
	fputs("</svg>\n", f);
}

void svg_title(FILE *f, const char *text)
{
	fputs("<title>", f);
	svg_escape(f, text);
	fputs("</title>", f);
}

void svg_rect(FILE *f, double x, double y, double w, double h, const struct svg_style *st)
{
	fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"", x, y, w, h);
	if (st) {
		attr(f, "class", st->cls);
		attr(f, "fill", st->fill);
		if (st->kind) {
			attr(f, "data-kind", st->kind);
			fprintf(f, " data-start=\"0x%llx\" data-size=\"%llu\"",
				(unsigned long long)st->start, (unsigned long long)st->size);
		}
	}
	if (st && st->tip) {
		fputc('>', f);
		svg_title(f, st->tip);
		fputs("</rect>\n", f);
	} else {
		fputs("/>\n", f);
	}
}

void svg_line(FILE *f, double x1, double y1, double x2, double y2, const char *cls)
{
	fprintf(f, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"", x1, y1, x2, y2);
	attr(f, "class", cls);
	fputs("/>\n", f);
}

void svg_text(FILE *f, double x, double y, double deg, const char *cls, const char *text)
{
	fprintf(f, "<text x=\"%.2f\" y=\"%.2f\"", x, y);
	if (deg != 0)
		fprintf(f, " transform=\"rotate(%.1f %.2f %.2f)\"", deg, x, y);
	attr(f, "class", cls);
	fputc('>', f);
	svg_escape(f, text);
	fputs("</text>\n", f);
}

void svg_textf(FILE *f, double x, double y, double deg, const char *cls, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	svg_text(f, x, y, deg, cls, buf);
}

/* a vertical zig-zag from y0 to y1 around x: the break symbol */
static void zigzag(FILE *f, double x, double y0, double y1)
{
	fprintf(f, "<path class=\"kt-zig\" d=\"M%.2f %.2f", x, y0);
	for (double y = y0 + 4; y < y1; y += 4)
		fprintf(f, " L%.2f %.2f", x + (((int)((y - y0) / 4)) % 2 ? 3 : -3), y);
	fprintf(f, " L%.2f %.2f\"/>\n", x, y1);
}

/* Tableau-like, colour-blind friendly; no red/orange/purple/green (kinds) */
static const char *const palette[] = {
	"#1f77b4", "#e377c2", "#17becf", "#8c564b", "#bcbd22",
	"#4e79a7", "#f28e2b", "#76b7b2", "#b07aa1", "#9c755f",
};

const char *svg_palette(int n)
{
	int nr = sizeof(palette) / sizeof(palette[0]);

	return palette[(n % nr + nr) % nr];
}

void svg_fmt_size(char *buf, size_t size, __u64 bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = bytes;
	int u = 0;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (!u || v == (__u64)v)
		snprintf(buf, size, "%.0f %s", v, units[u]);
	else
		snprintf(buf, size, v < 10 ? "%.2f %s" : "%.1f %s", v, units[u]);
}

void svg_fmt_ns(char *buf, size_t size, __u64 ns)
{
	if (ns < 1000)
		snprintf(buf, size, "%llu ns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, size, "%g us", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, size, "%g ms", ns / 1e6);
	else
		snprintf(buf, size, "%g s", ns / 1e9);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* ---- memory map ---- */

static const char *const kind_names[SVG_MAP_KIND_MAX] = {
	[SVG_MAP_RAM]		= "ram",
	[SVG_MAP_SCRATCH]	= "scratch",
	[SVG_MAP_SEGMENT]	= "segment",
	[SVG_MAP_FDT]		= "fdt",
	[SVG_MAP_SUBTREE]	= "subtree",
	[SVG_MAP_PRESERVED]	= "preserved",
	[SVG_MAP_UNPRESERVED]	= "unpreserved",
	[SVG_MAP_RESTORED]	= "restored",
};

static const char *const kind_colors[SVG_MAP_KIND_MAX] = {
	[SVG_MAP_RAM]		= "#e4e4e4",
	[SVG_MAP_SCRATCH]	= "#cde8c4",
	[SVG_MAP_SEGMENT]	= "#6a3d9a",
	[SVG_MAP_FDT]		= "#d62728",
	[SVG_MAP_SUBTREE]	= "#ff7f0e",
	[SVG_MAP_PRESERVED]	= "#1f77b4",
	[SVG_MAP_UNPRESERVED]	= "#aaaaaa",
	[SVG_MAP_RESTORED]	= "#2ca02c",
};

const char *svg_map_kind_name(enum svg_map_kind kind)
{
	return kind < SVG_MAP_KIND_MAX ? kind_names[kind] : "unknown";
}

const char *svg_map_kind_color(enum svg_map_kind kind)
{
	return kind < SVG_MAP_KIND_MAX ? kind_colors[kind] : "#000000";
}

struct map_item {
	int lane;
	enum svg_map_kind kind;
	__u64 start, end;
	char *fill, *label, *tip;
};

struct map_lane {
	char *label, *note;
};

struct legend_entry {
	char *fill, *text;
};

struct svg_map {
	struct map_item *items;
	int nr_items, cap_items;
	struct map_lane *lanes;
	int nr_lanes, cap_lanes;
	struct legend_entry *legend;
	int nr_legend, cap_legend;
};

struct svg_map *svg_map__new(void)
{
	return calloc(1, sizeof(struct svg_map));
}

void svg_map__free(struct svg_map *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nr_items; i++) {
		free(m->items[i].fill);
		free(m->items[i].label);
		free(m->items[i].tip);
	}
	for (int i = 0; i < m->nr_lanes; i++) {
		free(m->lanes[i].label);
		free(m->lanes[i].note);
	}
	for (int i = 0; i < m->nr_legend; i++) {
		free(m->legend[i].fill);
		free(m->legend[i].text);
	}
	free(m->items);
	free(m->lanes);
	free(m->legend);
	free(m);
}

int svg_map__add_lane(struct svg_map *m, const char *label, const char *note)
{
	struct map_lane *l;

	if (grow_array(&m->lanes, &m->cap_lanes, m->nr_lanes, sizeof(*m->lanes)))
		return -ENOMEM;
	l = &m->lanes[m->nr_lanes];
	l->label = dup_or_null(label ?: "");
	l->note = dup_or_null(note);
	if (!l->label || (note && !l->note)) {
		free(l->label);
		free(l->note);
		return -ENOMEM;
	}
	return m->nr_lanes++;
}

int svg_map__add(struct svg_map *m, int lane, const struct svg_map_item *it)
{
	struct map_item *mi;

	if (lane < 0 || lane >= m->nr_lanes || it->kind >= SVG_MAP_KIND_MAX || !it->size)
		return -EINVAL;
	if (grow_array(&m->items, &m->cap_items, m->nr_items, sizeof(*m->items)))
		return -ENOMEM;
	mi = &m->items[m->nr_items];
	mi->lane = lane;
	mi->kind = it->kind;
	mi->start = it->start;
	/* a range that wraps is clipped at the top of the address space */
	mi->end = it->start + it->size < it->start ? ~0ULL : it->start + it->size;
	mi->fill = dup_or_null(it->fill ?: svg_map_kind_color(it->kind));
	mi->label = dup_or_null(it->label);
	mi->tip = dup_or_null(it->tip);
	if (!mi->fill || (it->label && !mi->label) || (it->tip && !mi->tip)) {
		free(mi->fill);
		free(mi->label);
		free(mi->tip);
		return -ENOMEM;
	}
	m->nr_items++;
	return 0;
}

int svg_map__add_legend(struct svg_map *m, const char *fill, const char *text)
{
	struct legend_entry *e;

	if (grow_array(&m->legend, &m->cap_legend, m->nr_legend, sizeof(*m->legend)))
		return -ENOMEM;
	e = &m->legend[m->nr_legend];
	e->fill = strdup(fill);
	e->text = strdup(text);
	if (!e->fill || !e->text) {
		free(e->fill);
		free(e->text);
		return -ENOMEM;
	}
	m->nr_legend++;
	return 0;
}

/* one piece of the piecewise address scale */
struct piece {
	__u64 start, end;
	double x0, x1;
	bool gap;
};

struct scale {
	struct piece *p;
	int nr;
};

struct iv {
	__u64 start, end;
};

static int iv_cmp(const void *a, const void *b)
{
	const struct iv *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

static int add_piece(struct scale *s, __u64 start, __u64 end, bool gap)
{
	struct piece *tmp = realloc(s->p, (s->nr + 1) * sizeof(*tmp));

	if (!tmp)
		return -ENOMEM;
	s->p = tmp;
	s->p[s->nr++] = (struct piece){ .start = start, .end = end, .gap = gap };
	return 0;
}

/* clusters of ranges closer than thresh, with the gaps between them */
static int cluster(const struct iv *ivs, int nr, __u64 lo, __u64 hi, __u64 thresh,
		   struct scale *s)
{
	__u64 cs = ivs[0].start, ce = ivs[0].end;

	free(s->p);
	memset(s, 0, sizeof(*s));
	if (cs - lo <= thresh)
		cs = lo;
	else if (add_piece(s, lo, cs, true))
		return -ENOMEM;
	for (int i = 1; i <= nr; i++) {
		if (i < nr && ivs[i].start <= ce + thresh) {
			ce = ivs[i].end > ce ? ivs[i].end : ce;
			continue;
		}
		if (i == nr && hi - ce <= thresh)
			ce = hi;
		if (add_piece(s, cs, ce, false))
			return -ENOMEM;
		if (i < nr) {
			if (add_piece(s, ce, ivs[i].start, true))
				return -ENOMEM;
			cs = ivs[i].start;
			ce = ivs[i].end;
		} else if (ce < hi && add_piece(s, ce, hi, true)) {
			return -ENOMEM;
		}
	}
	return 0;
}

/*
 * The piecewise scale: clusters of the non-RAM ranges, gaps between them
 * compressed. RAM ranges only widen the extent: a gap inside RAM is still
 * a gap. The gap threshold doubles until the minimum widths fit in w.
 */
static int build_scale(const struct svg_map *m, double x, double w, struct scale *s)
{
	__u64 lo = ~0ULL, hi = 0, thresh;
	struct iv *ivs;
	double avail;
	int nr = 0;

	memset(s, 0, sizeof(*s));
	ivs = calloc(m->nr_items + 1, sizeof(*ivs));
	if (!ivs)
		return -ENOMEM;
	for (int i = 0; i < m->nr_items; i++) {
		const struct map_item *it = &m->items[i];

		lo = it->start < lo ? it->start : lo;
		hi = it->end > hi ? it->end : hi;
		if (it->kind != SVG_MAP_RAM)
			ivs[nr++] = (struct iv){ it->start, it->end };
	}
	if (!m->nr_items) {
		lo = 0;
		hi = 1ULL << 30;
	}
	if (!nr)
		ivs[nr++] = (struct iv){ lo, hi };
	qsort(ivs, nr, sizeof(*ivs), iv_cmp);
	for (thresh = (hi - lo) / 48 ?: 1;; thresh *= 2) {
		double need = 0;

		if (cluster(ivs, nr, lo, hi, thresh, s)) {
			free(ivs);
			free(s->p);
			s->p = NULL;
			return -ENOMEM;
		}
		for (int i = 0; i < s->nr; i++)
			need += s->p[i].gap ? BREAK_W : SVG_MAP_MIN_CLUSTER;
		if (need <= w * 0.7 || s->nr <= 1)
			break;
	}
	free(ivs);

	/* widths: gaps fixed, clusters by log2 of their span with a minimum */
	avail = w;
	for (int i = 0; i < s->nr; i++) {
		if (s->p[i].gap) {
			avail -= BREAK_W;
		} else {
			/* the weight, until x0/x1 are set */
			s->p[i].x1 = 1 + log2(1 + (s->p[i].end - s->p[i].start) / 4096.0);
		}
	}
	/* pin (x0 = -1) clusters below the minimum width until the rest fit */
	for (int pass = 0; pass < s->nr; pass++) {
		double fixed = 0, wsum = 0;
		bool changed = false;

		for (int i = 0; i < s->nr; i++)
			if (!s->p[i].gap && s->p[i].x0 < 0)
				fixed += SVG_MAP_MIN_CLUSTER;
			else if (!s->p[i].gap)
				wsum += s->p[i].x1;
		for (int i = 0; i < s->nr; i++)
			if (!s->p[i].gap && s->p[i].x0 >= 0 &&
			    (wsum <= 0 || (avail - fixed) * s->p[i].x1 / wsum < SVG_MAP_MIN_CLUSTER)) {
				s->p[i].x0 = -1;
				changed = true;
			}
		if (!changed)
			break;
	}
	{
		double fixed = 0, wsum = 0, cx = x;

		for (int i = 0; i < s->nr; i++)
			if (!s->p[i].gap && s->p[i].x0 < 0)
				fixed += SVG_MAP_MIN_CLUSTER;
			else if (!s->p[i].gap)
				wsum += s->p[i].x1;
		for (int i = 0; i < s->nr; i++) {
			struct piece *p = &s->p[i];
			double pw;

			if (p->gap)
				pw = BREAK_W;
			else if (p->x0 < 0 || wsum <= 0)
				pw = SVG_MAP_MIN_CLUSTER;
			else
				pw = (avail - fixed) * p->x1 / wsum;
			p->x0 = cx;
			p->x1 = cx + pw;
			cx += pw;
		}
	}
	return 0;
}

static double scale_x(const struct scale *s, __u64 a)
{
	const struct piece *p = &s->p[0];

	for (int i = 0; i < s->nr; i++) {
		p = &s->p[i];
		if (a < p->end || i == s->nr - 1)
			break;
	}
	if (a <= p->start)
		return p->x0;
	if (a >= p->end)
		return p->x1;
	return p->x0 + (double)(a - p->start) / (double)(p->end - p->start) * (p->x1 - p->x0);
}

static void default_tip(char *buf, size_t size, const struct map_item *it, const char *lane)
{
	char sz[32];

	svg_fmt_size(sz, sizeof(sz), it->end - it->start);
	snprintf(buf, size, "%s: %s\n0x%llx - 0x%llx\n%s (%llu bytes)",
		 svg_map_kind_name(it->kind), lane, (unsigned long long)it->start,
		 (unsigned long long)(it->end - 1), sz, (unsigned long long)(it->end - it->start));
}

/* a rough width of text at 10.5 px: enough to decide whether a label fits */
static double text_w(const char *s, double px)
{
	return strlen(s) * px * 0.6;
}

/* shorten s in place to about w px, "..." in the middle */
static void fit(char *s, double w, double px)
{
	size_t len = strlen(s), keep = w / (px * 0.55);

	if (len <= keep || keep < 8)
		return;
	memmove(s + keep / 2 + 3, s + len - (keep - keep / 2 - 3), keep - keep / 2 - 3 + 1);
	memcpy(s + keep / 2, "...", 3);
}

static bool dark(const char *fill)
{
	unsigned int r, g, b;

	if (!fill || sscanf(fill, "#%2x%2x%2x", &r, &g, &b) != 3)
		return false;
	return 0.299 * r + 0.587 * g + 0.114 * b < 140;
}

static double legend_render(const struct legend_entry *l, int nr, FILE *f, double x, double y,
			    double w)
{
	double cx = x, cy = y;

	for (int i = 0; i < nr; i++) {
		double tw = 16 + text_w(l[i].text, 12) + 18;

		if (cx + tw > x + w && cx > x) {
			cx = x;
			cy += 18;
		}
		svg_rect(f, cx, cy, 12, 12, &(struct svg_style){ .cls = "kt-r", .fill = l[i].fill });
		svg_text(f, cx + 16, cy + 10.5, 0, NULL, l[i].text);
		cx += tw;
	}
	return nr ? cy - y + 18 : 0;
}

/* a tick with its address hanging down-left, unless too close to the last label */
static void tick(FILE *f, double x, __u64 a, double bottom, double *last)
{
	svg_line(f, x, bottom, x, bottom + 5, "kt-axis");
	if (x - *last < 13)
		return;
	svg_textf(f, x + 3, bottom + 12, -40, "kt-tick kt-end", "0x%llx", (unsigned long long)a);
	*last = x;
}

static void axis_render(const struct scale *s, FILE *f, double top, double bottom)
{
	double last = -1e9;
	char buf[40];

	svg_line(f, s->p[0].x0, bottom, s->p[s->nr - 1].x1, bottom, "kt-axis");
	for (int i = 0; i < s->nr; i++) {
		const struct piece *p = &s->p[i];
		__u64 span = p->end - p->start, step;

		if (p->gap) {
			svg_fmt_size(buf, sizeof(buf), span);
			svg_text(f, (p->x0 + p->x1) / 2, top - 5, 0, "kt-gap", buf);
			/* the ends of the map, even in a gap */
			if (i == 0)
				tick(f, p->x0, p->start, bottom, &last);
			if (i == s->nr - 1)
				tick(f, p->x1, p->end, bottom, &last);
			continue;
		}
		/* the start, round addresses ~90 px apart, the end: in order */
		step = 4096;
		while (p->x1 - p->x0 >= 150 && step < span / ((p->x1 - p->x0) / 90) &&
		       step < 1ULL << 62)
			step <<= 1;
		tick(f, p->x0, p->start, bottom, &last);
		/* a > p->start: stop where a wraps at the top of the address space */
		for (__u64 a = (p->start / step + 1) * step;
		     p->x1 - p->x0 >= 150 && a > p->start && a < p->end; a += step) {
			double tx = scale_x(s, a);

			if (tx - p->x0 < 40 || p->x1 - tx < 40)
				continue;
			svg_line(f, tx, top, tx, bottom, "kt-grid");
			tick(f, tx, a, bottom, &last);
		}
		tick(f, p->x1, p->end, bottom, &last);
	}
}

double svg_map__render(const struct svg_map *m, FILE *f, double x, double y, double w)
{
	double lx = x + SVG_LABEL_W, lw = w - SVG_LABEL_W, top, bottom, cy;
	struct scale s;
	char tip[512];

	svg_text(f, x, y + 16, 0, "kt-h2", "Physical memory map");
	svg_text(f, x, y + 32, 0, "kt-sub",
		 "Occupied regions are drawn linearly; gaps between them are compressed "
		 "(zig-zag, gap size on the axis); ranges narrower than 3 px are widened. "
		 "Hover a range for its exact addresses.");
	cy = y + 44;
	cy += legend_render(m->legend, m->nr_legend, f, x, cy, w) + 18;
	if (build_scale(m, lx, lw, &s))
		return cy - y;

	top = cy;
	bottom = top + m->nr_lanes * (LANE_H + LANE_GAP);
	for (int l = 0; l < m->nr_lanes; l++) {
		double ly = top + l * (LANE_H + LANE_GAP);

		svg_rect(f, lx, ly, lw, LANE_H, &(struct svg_style){ .cls = "kt-laneb" });
		svg_text(f, x, ly + 12, 0, "kt-lane", m->lanes[l].label);
		if (m->lanes[l].note)
			svg_text(f, x, ly + 25, 0, "kt-note", m->lanes[l].note);
	}
	for (int i = 0; i < m->nr_items; i++) {
		const struct map_item *it = &m->items[i];
		double ly = top + it->lane * (LANE_H + LANE_GAP), pad = 4, x0, x1;
		bool area = it->kind == SVG_MAP_RAM || it->kind == SVG_MAP_SCRATCH;

		x0 = scale_x(&s, it->start);
		x1 = scale_x(&s, it->end);
		if (x1 - x0 < SVG_MAP_MIN_RECT) {
			double c = (x0 + x1) / 2;

			x0 = c - SVG_MAP_MIN_RECT / 2;
			x1 = c + SVG_MAP_MIN_RECT / 2;
		}
		if (area)
			pad = 1;
		if (it->tip)
			snprintf(tip, sizeof(tip), "%s", it->tip);
		else
			default_tip(tip, sizeof(tip), it, m->lanes[it->lane].label);
		svg_rect(f, x0, ly + pad, x1 - x0, LANE_H - 2 * pad, &(struct svg_style){
			.cls = it->kind == SVG_MAP_RAM ? "kt-ram" :
			       it->kind == SVG_MAP_SCRATCH ? "kt-area" : "kt-r",
			.fill = it->fill, .kind = svg_map_kind_name(it->kind),
			.start = it->start, .size = it->end - it->start, .tip = tip });
		if (it->label && text_w(it->label, 10.5) + 6 < x1 - x0)
			svg_text(f, x0 + 3, ly + LANE_H / 2 + 4, 0,
				 dark(it->fill) ? "kt-in-light" : "kt-in", it->label);
	}
	/* breaks over every lane */
	for (int i = 0; i < s.nr; i++) {
		const struct piece *p = &s.p[i];
		double c = (p->x0 + p->x1) / 2;

		if (!p->gap)
			continue;
		svg_rect(f, c - 5, top - 2, 10, bottom - top + 2, &(struct svg_style){ .cls = "kt-breakb" });
		zigzag(f, c - 5, top - 2, bottom);
		zigzag(f, c + 5, top - 2, bottom);
	}
	axis_render(&s, f, top, bottom);
	free(s.p);
	return bottom - y + AXIS_H;
}

/* ---- timeline ---- */

struct tl_source {
	char *name;
	__u64 t0, end;
};

struct tl_lane {
	char *name, *fill;
	int count;
};

struct tl_event {
	int source, lane;
	__u64 ts, dur;
	char *kind, *fill, *tip;
	bool err;
};

struct tl_mark {
	int source;
	__u64 ts;
	char *label;
};

struct svg_timeline {
	struct tl_source *sources;
	int nr_sources, cap_sources;
	struct tl_lane *lanes;
	int nr_lanes, cap_lanes;
	struct tl_event *events;
	int nr_events, cap_events;
	struct tl_mark *marks;
	int nr_marks, cap_marks;
};

struct svg_timeline *svg_timeline__new(void)
{
	return calloc(1, sizeof(struct svg_timeline));
}

void svg_timeline__free(struct svg_timeline *tl)
{
	if (!tl)
		return;
	for (int i = 0; i < tl->nr_sources; i++)
		free(tl->sources[i].name);
	for (int i = 0; i < tl->nr_lanes; i++) {
		free(tl->lanes[i].name);
		free(tl->lanes[i].fill);
	}
	for (int i = 0; i < tl->nr_events; i++) {
		free(tl->events[i].kind);
		free(tl->events[i].fill);
		free(tl->events[i].tip);
	}
	for (int i = 0; i < tl->nr_marks; i++)
		free(tl->marks[i].label);
	free(tl->sources);
	free(tl->lanes);
	free(tl->events);
	free(tl->marks);
	free(tl);
}

int svg_timeline__add_source(struct svg_timeline *tl, const char *name, __u64 t0_ns,
			     __u64 end_ns)
{
	struct tl_source *s;

	if (grow_array(&tl->sources, &tl->cap_sources, tl->nr_sources, sizeof(*s)))
		return -ENOMEM;
	s = &tl->sources[tl->nr_sources];
	s->name = strdup(name);
	if (!s->name)
		return -ENOMEM;
	s->t0 = t0_ns;
	s->end = end_ns;
	return tl->nr_sources++;
}

int svg_timeline__lane(struct svg_timeline *tl, const char *name, const char *fill)
{
	struct tl_lane *l;

	for (int i = 0; i < tl->nr_lanes; i++)
		if (!strcmp(tl->lanes[i].name, name))
			return i;
	if (grow_array(&tl->lanes, &tl->cap_lanes, tl->nr_lanes, sizeof(*l)))
		return -ENOMEM;
	l = &tl->lanes[tl->nr_lanes];
	l->name = strdup(name);
	l->fill = strdup(fill ?: "#777777");
	l->count = 0;
	if (!l->name || !l->fill) {
		free(l->name);
		free(l->fill);
		return -ENOMEM;
	}
	return tl->nr_lanes++;
}

int svg_timeline__add_event(struct svg_timeline *tl, int source, int lane,
			    const struct svg_tl_event *ev)
{
	struct tl_event *e;

	if (source < 0 || source >= tl->nr_sources || lane < 0 || lane >= tl->nr_lanes)
		return -EINVAL;
	if (grow_array(&tl->events, &tl->cap_events, tl->nr_events, sizeof(*e)))
		return -ENOMEM;
	e = &tl->events[tl->nr_events];
	e->source = source;
	e->lane = lane;
	e->ts = ev->ts_ns;
	e->dur = ev->dur_ns;
	e->err = ev->err;
	e->kind = dup_or_null(ev->kind ?: "event");
	e->fill = dup_or_null(ev->fill);
	e->tip = dup_or_null(ev->tip);
	if (!e->kind || (ev->fill && !e->fill) || (ev->tip && !e->tip)) {
		free(e->kind);
		free(e->fill);
		free(e->tip);
		return -ENOMEM;
	}
	tl->lanes[lane].count++;
	tl->nr_events++;
	return 0;
}

int svg_timeline__add_mark(struct svg_timeline *tl, int source, __u64 ts_ns, const char *label)
{
	struct tl_mark *mk;

	if (source < 0 || source >= tl->nr_sources)
		return -EINVAL;
	if (grow_array(&tl->marks, &tl->cap_marks, tl->nr_marks, sizeof(*mk)))
		return -ENOMEM;
	mk = &tl->marks[tl->nr_marks];
	mk->label = strdup(label);
	if (!mk->label)
		return -ENOMEM;
	mk->source = source;
	mk->ts = ts_ns;
	tl->nr_marks++;
	return 0;
}

static __u64 rel(const struct tl_source *s, __u64 ts)
{
	return ts > s->t0 ? ts - s->t0 : 0;
}

/* 1, 2, 5 x 10^k ns: ticks about 80 px apart */
static __u64 nice_step(__u64 span, double width)
{
	__u64 want = span / (width / 80 > 1 ? width / 80 : 1), step = 1;

	for (;;) {
		if (step >= want)
			return step;
		if (step * 2 >= want)
			return step * 2;
		if (step * 5 >= want)
			return step * 5;
		if (step > UINT64_MAX / 100)	/* a span near 2^64 (corrupt record) */
			return want;
		step *= 10;
	}
}

/* each source's span in ns: its end, or its last event's, at least 1 us */
static void source_spans(const struct svg_timeline *tl, __u64 *span)
{
	for (int i = 0; i < tl->nr_sources; i++)
		span[i] = tl->sources[i].end ? rel(&tl->sources[i], tl->sources[i].end) : 0;
	for (int i = 0; i < tl->nr_events; i++) {
		const struct tl_event *e = &tl->events[i];
		__u64 t = rel(&tl->sources[e->source], e->ts) + e->dur;

		if (t > span[e->source])
			span[e->source] = t;
	}
	for (int i = 0; i < (tl->nr_sources ?: 1); i++)
		if (!span[i])
			span[i] = 1000;
}

/* the lanes' backgrounds and labels, "NAME (COUNT)" */
static void draw_lanes(const struct svg_timeline *tl, FILE *f, double x, double lw, double top)
{
	char buf[160], count[16];

	for (int l = 0; l < tl->nr_lanes; l++) {
		double ly = top + l * TL_LANE_H;

		svg_rect(f, x + SVG_LABEL_W, ly + 1, lw, TL_LANE_H - 2,
			 &(struct svg_style){ .cls = "kt-laneb" });
		svg_rect(f, x, ly + 6, 10, 10, &(struct svg_style){ .cls = "kt-r",
			 .fill = tl->lanes[l].fill });
		snprintf(count, sizeof(count), " (%d)", tl->lanes[l].count);
		snprintf(buf, sizeof(buf), "%s", tl->lanes[l].name);
		fit(buf, SVG_LABEL_W - 22 - text_w(count, 12), 12);
		strncat(buf, count, sizeof(buf) - strlen(buf) - 1);
		svg_text(f, x + 15, ly + 15.5, 0, NULL, buf);
	}
}

/* one source's part: where it starts and how wide, ns to px */
struct tl_part {
	const struct tl_source *src;
	int si;
	double px, pw, scale, top, bottom;
	__u64 span;
};

/* a part's name, time axis with grid lines, and the kexec break before it */
static void draw_axis(FILE *f, const struct tl_part *pt)
{
	__u64 step = nice_step(pt->span, pt->pw);
	char buf[32];

	svg_text(f, pt->px, pt->top - 4, 0, "kt-note", pt->src->name);
	for (__u64 t = 0; t <= pt->span; t += step) {
		double tx = pt->px + t * pt->scale;

		svg_line(f, tx, pt->top, tx, pt->bottom, "kt-grid");
		svg_line(f, tx, pt->bottom, tx, pt->bottom + 4, "kt-axis");
		svg_fmt_ns(buf, sizeof(buf), t);
		if (pt->px + pt->pw - tx > 20 || t == 0)
			svg_text(f, tx, pt->bottom + 16, 0, "kt-tick kt-mid", buf);
		if (t > UINT64_MAX - step)
			break;
	}
	svg_line(f, pt->px, pt->bottom, pt->px + pt->pw, pt->bottom, "kt-axis");
	if (pt->si > 0) {
		svg_text(f, pt->px - BREAK_W / 2, pt->bottom + 16, 0, "kt-gap", "kexec");
		zigzag(f, pt->px - BREAK_W / 2, pt->top, pt->bottom);
	}
}

/* too many events in a lane to draw one by one: a density strip, 2 px a bin */
static void draw_density(const struct svg_timeline *tl, FILE *f, const struct tl_part *pt,
			 int l, int nr)
{
	int nbins = (int)(pt->pw / 2) + 1;
	double ly = pt->top + l * TL_LANE_H, *bin = calloc(nbins, sizeof(*bin));
	char buf[160];

	if (!bin) {
		/* say what is missing rather than draw less */
		snprintf(buf, sizeof(buf), "%d events not drawn: out of memory", nr);
		svg_text(f, pt->px + 4, ly + 15.5, 0, "kt-err", buf);
		return;
	}
	for (int i = 0; i < tl->nr_events; i++) {
		const struct tl_event *e = &tl->events[i];
		int b;

		if (e->source != pt->si || e->lane != l)
			continue;
		b = rel(pt->src, e->ts) * pt->scale / 2;
		bin[b < nbins ? b : nbins - 1]++;
	}
	for (int b = 0; b < nbins; b++) {
		if (!bin[b])
			continue;
		snprintf(buf, sizeof(buf), "%s: %.0f events", tl->lanes[l].name, bin[b]);
		svg_rect(f, pt->px + b * 2, ly + 4, 2, TL_LANE_H - 8,
			 &(struct svg_style){ .fill = tl->lanes[l].fill, .kind = "bin", .tip = buf });
	}
	free(bin);
}

/* a lane's events of one part, each a box at least 2 px wide */
static void draw_events(const struct svg_timeline *tl, FILE *f, const struct tl_part *pt, int l)
{
	double ly = pt->top + l * TL_LANE_H;
	int nr = 0;

	for (int i = 0; i < tl->nr_events; i++)
		nr += tl->events[i].source == pt->si && tl->events[i].lane == l;
	if (nr > TL_MAX_TICKS) {
		draw_density(tl, f, pt, l, nr);
		return;
	}
	for (int i = 0; i < tl->nr_events; i++) {
		const struct tl_event *e = &tl->events[i];
		double ex, ew;

		if (e->source != pt->si || e->lane != l)
			continue;
		ex = pt->px + rel(pt->src, e->ts) * pt->scale;
		ew = e->dur * pt->scale;
		if (ew < 2) {
			ex -= 1;
			ew = 2;
		}
		svg_rect(f, ex, ly + 4, ew, TL_LANE_H - 8, &(struct svg_style){
			.cls = e->err ? "kt-err" : NULL,
			.fill = e->fill ?: tl->lanes[l].fill, .kind = e->kind,
			.start = rel(pt->src, e->ts), .size = e->dur, .tip = e->tip });
	}
}

/* a part's marks: a line and a label at their time */
static void draw_marks(const struct svg_timeline *tl, FILE *f, const struct tl_part *pt)
{
	for (int i = 0; i < tl->nr_marks; i++) {
		const struct tl_mark *mk = &tl->marks[i];
		double mx;

		if (mk->source != pt->si)
			continue;
		mx = pt->px + rel(pt->src, mk->ts) * pt->scale;
		svg_line(f, mx, pt->top - 2, mx, pt->bottom, "kt-mark");
		svg_text(f, mx - 3, pt->top - 4, 0, "kt-mark-label kt-end", mk->label);
	}
}

double svg_timeline__render(const struct svg_timeline *tl, FILE *f, double x, double y, double w)
{
	double lw = w - SVG_LABEL_W, top = y + 56, bottom = top + tl->nr_lanes * TL_LANE_H;
	int nr_src = tl->nr_sources ?: 1;
	double pw = (lw - (nr_src - 1) * BREAK_W) / nr_src;
	__u64 *span = calloc(nr_src, sizeof(*span));

	svg_text(f, x, y + 16, 0, "kt-h2", "Cycle timeline");
	if (!span) {
		svg_text(f, x, y + 32, 0, "kt-err", "timeline not drawn: out of memory");
		return bottom - y;
	}
	svg_text(f, x, y + 32, 0, "kt-sub",
		 "One lane per producer and event type, events per lane in brackets; "
		 "time since the record started. Hover an event for its details.");
	source_spans(tl, span);
	draw_lanes(tl, f, x, lw, top);
	for (int si = 0; si < tl->nr_sources; si++) {
		struct tl_part pt = {
			.src = &tl->sources[si], .si = si, .span = span[si],
			.px = x + SVG_LABEL_W + si * (pw + BREAK_W), .pw = pw,
			.scale = pw / (double)span[si], .top = top, .bottom = bottom,
		};

		draw_axis(f, &pt);
		for (int l = 0; l < tl->nr_lanes; l++)
			draw_events(tl, f, &pt, l);
		draw_marks(tl, f, &pt);
	}
	free(span);
	return bottom - y + 30;
}
