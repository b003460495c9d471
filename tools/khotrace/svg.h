/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * svg: a small SVG writer and the two khotrace pictures, the physical
 * memory map and the cycle timeline. A leaf: it knows nothing of record
 * files; html.c turns a recording into maps and timelines.
 *
 * Every string that reaches the output (text, <title> tooltips, attribute
 * values) is XML-escaped here: callers pass raw producer and subtree names.
 *
 * Memory map (struct svg_map). Rows ("lanes") of ranges on one address
 * axis. The axis is piecewise: ranges closer than 1/48 of the extent form
 * a cluster drawn on a linear scale; clusters share the width by the log of
 * their span (never less than SVG_MAP_MIN_CLUSTER px) and the gaps between
 * them are compressed to a fixed width and marked with a break symbol and
 * the gap's size. A range narrower than SVG_MAP_MIN_RECT px is widened
 * around its centre, so a 4 KiB page in a 2 GiB map stays visible. Every
 * range rect carries data-kind, data-start (hex), data-size (bytes) and a
 * <title> with exact addresses.
 *
 * Timeline (struct svg_timeline). Events on time lanes (rows, shared by all
 * sources). A source is one clock domain: today the old kernel's record;
 * later the new kernel's record and its early-boot log. Sources are laid
 * out left to right in the order added, each on its own linear scale, with
 * a break between them (the kexec blackout), e.g.
 *
 *	old = svg_timeline__add_source(tl, "old kernel", rec->hdr.start_mono_ns, 0);
 *	new = svg_timeline__add_source(tl, "new kernel", rec2->hdr.start_mono_ns, 0);
 *	boot = svg_timeline__add_source(tl, "boot log", 0, 0);
 *	lane = svg_timeline__lane(tl, "restore luo/memfd", color);
 *	svg_timeline__add_event(tl, new, lane, &(struct svg_tl_event){ ... });
 *
 * When a clock survives the kexec (the blackout stamps), give the sources
 * the same t0 and merge them into one source instead. Lane labels get the
 * number of events in the lane appended.
 */
#ifndef __KHOTRACE_SVG_H
#define __KHOTRACE_SVG_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#define SVG_MAP_MIN_RECT	3.0	/* px: the narrowest range drawn */
#define SVG_MAP_MIN_CLUSTER	40.0	/* px: the narrowest cluster */
#define SVG_LABEL_W		230.0	/* px: the lane label column */

/* ---- primitives ---- */

/* an element's attributes, all optional (NULL / 0) */
struct svg_style {
	const char *cls;	/* class */
	const char *fill;	/* fill colour, "#rrggbb" */
	const char *kind;	/* data-kind; also writes data-start / data-size */
	__u64 start, size;
	const char *tip;	/* <title> child: the hover tooltip, '\n' breaks lines */
};

/* XML text and attribute value escaping: & < > " ' */
void svg_escape(FILE *f, const char *s);
/* <svg> with the khotrace stylesheet; standalone adds the XML prolog */
void svg_begin(FILE *f, double w, double h, bool standalone);
void svg_end(FILE *f);
void svg_rect(FILE *f, double x, double y, double w, double h, const struct svg_style *st);
void svg_line(FILE *f, double x1, double y1, double x2, double y2, const char *cls);
/* text at (x, y), rotated by deg degrees around that point when non-zero */
void svg_text(FILE *f, double x, double y, double deg, const char *cls, const char *text);
void svg_textf(FILE *f, double x, double y, double deg, const char *cls, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void svg_title(FILE *f, const char *text);

/* the n-th colour of the producer palette (never one of the kind colours) */
const char *svg_palette(int n);
/* "4 KiB", "1.5 GiB", "405 B" */
void svg_fmt_size(char *buf, size_t size, __u64 bytes);
/* "250 us", "1.25 ms", "2.5 s" */
void svg_fmt_ns(char *buf, size_t size, __u64 ns);

/* ---- memory map ---- */

enum svg_map_kind {
	SVG_MAP_RAM,
	SVG_MAP_SCRATCH,
	SVG_MAP_SEGMENT,	/* kexec segment placed in scratch */
	SVG_MAP_FDT,
	SVG_MAP_SUBTREE,
	SVG_MAP_PRESERVED,
	SVG_MAP_UNPRESERVED,
	SVG_MAP_RESTORED,
	SVG_MAP_KIND_MAX,
};

/* "ram", "scratch", "segment", ... : the data-kind of the rects */
const char *svg_map_kind_name(enum svg_map_kind kind);
/* the default fill of a kind */
const char *svg_map_kind_color(enum svg_map_kind kind);

struct svg_map_item {
	enum svg_map_kind kind;
	__u64 start, size;
	const char *fill;	/* NULL: the kind's colour */
	const char *label;	/* drawn inside the rect when it fits, or NULL */
	const char *tip;	/* tooltip; NULL: kind, range and size */
};

struct svg_map;

struct svg_map *svg_map__new(void);
void svg_map__free(struct svg_map *m);
/* a row, drawn top to bottom in the order added; its index or -ENOMEM */
int svg_map__add_lane(struct svg_map *m, const char *label, const char *note);
/* a range in a lane; strings are copied. 0 or -errno */
int svg_map__add(struct svg_map *m, int lane, const struct svg_map_item *it);
/* a legend swatch, drawn in the order added */
int svg_map__add_legend(struct svg_map *m, const char *fill, const char *text);
/* draw at (x, y), w wide; returns the height used */
double svg_map__render(const struct svg_map *m, FILE *f, double x, double y, double w);

/* ---- timeline ---- */

struct svg_tl_event {
	__u64 ts_ns;		/* in the source's clock */
	__u64 dur_ns;		/* 0: a tick */
	const char *kind;	/* data-kind, e.g. "preserve" */
	const char *fill;	/* NULL: the lane's colour */
	const char *tip;
	bool err;		/* drawn with a red outline */
};

struct svg_timeline;

struct svg_timeline *svg_timeline__new(void);
void svg_timeline__free(struct svg_timeline *tl);
/* a clock domain: events at t0_ns are at its left edge; end_ns 0: the last event */
int svg_timeline__add_source(struct svg_timeline *tl, const char *name, __u64 t0_ns,
			     __u64 end_ns);
/* the lane named name, created (with its colour) on first use; index or -ENOMEM */
int svg_timeline__lane(struct svg_timeline *tl, const char *name, const char *fill);
int svg_timeline__add_event(struct svg_timeline *tl, int source, int lane,
			    const struct svg_tl_event *ev);
/* a vertical line across all lanes, e.g. "FDT finalized", "kexec -e" */
int svg_timeline__add_mark(struct svg_timeline *tl, int source, __u64 ts_ns, const char *label);
double svg_timeline__render(const struct svg_timeline *tl, FILE *f, double x, double y, double w);

#endif /* __KHOTRACE_SVG_H */
