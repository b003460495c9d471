// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hist.h"
#include "html.h"
#include "summary.h"
#include "svg.h"

#define RAM_ALIGN	(128ULL << 20)

/* producer -> palette colour, the biggest producers first */
struct colors {
	char (*names)[KT_PRODUCER_LEN];
	int nr;
};

static int color_add(struct colors *c, const char *name)
{
	char (*tmp)[KT_PRODUCER_LEN];

	for (int i = 0; i < c->nr; i++)
		if (!strcmp(c->names[i], name))
			return i;
	tmp = realloc(c->names, (c->nr + 1) * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	c->names = tmp;
	snprintf(c->names[c->nr], KT_PRODUCER_LEN, "%s", name);
	return c->nr++;
}

static const char *color_of(const struct colors *c, const char *name)
{
	for (int i = 0; i < c->nr; i++)
		if (!strcmp(c->names[i], name))
			return svg_palette(i);
	return "#777777";
}

static bool is_range_op(__u32 type)
{
	return type < KT_NR_RANGE_OPS;
}

/* a range the map draws: folio/pages calls, not the wrappers made of them */
static bool is_map_range(const struct kt_event *e)
{
	return is_range_op(e->type) && !e->err && e->size &&
	       (e->kind == KT_KIND_FOLIO || e->kind == KT_KIND_PAGES);
}

static int colors_init(struct colors *c, const struct recording *rec)
{
	struct producer_row *rows;
	int nr, err = 0;

	memset(c, 0, sizeof(*c));
	nr = summary__producers(rec, SORT_BYTES, &rows);
	if (nr < 0)
		return nr;
	for (int i = 0; i < nr && err >= 0; i++)
		err = color_add(c, rows[i].name);
	free(rows);
	for (size_t i = 0; i < rec->nr_records && err >= 0; i++)
		if (is_range_op(rec->records[i].ev.type))
			err = color_add(c, rec->records[i].producer);
	return err < 0 ? err : 0;
}

static const char *area_name(int i, char *buf, size_t size)
{
	if (i == 0)
		return "lowmem";
	if (i == 1)
		return "global";
	snprintf(buf, size, "per-node #%d", i - 2);
	return buf;
}

static void range_str(char *buf, size_t size, __u64 start, __u64 len)
{
	char sz[32];

	svg_fmt_size(sz, sizeof(sz), len);
	snprintf(buf, size, "0x%llx - 0x%llx\n%s (%llu bytes)", (unsigned long long)start,
		 (unsigned long long)(start + len - 1), sz, (unsigned long long)len);
}

static void note_str(char *buf, size_t size, int n, const char *what, __u64 bytes)
{
	char sz[32];

	svg_fmt_size(sz, sizeof(sz), bytes);
	if (n)
		snprintf(buf, size, "%d %s%s, %s", n, what, n == 1 ? "" : "s", sz);
	else
		snprintf(buf, size, "no %ss recorded", what);
}

/* the extent of everything the record places in memory */
static __u64 max_end(const struct recording *rec)
{
	__u64 end = 0;

	for (int i = 0; i < rec->nr_scratch; i++)
		if (rec->scratch[i].addr + rec->scratch[i].size > end)
			end = rec->scratch[i].addr + rec->scratch[i].size;
	for (size_t i = 0; i < rec->nr_records; i++) {
		const struct kt_event *e = &rec->records[i].ev;
		__u64 len = e->type == KT_EV_FDT_FINALIZE ? e->aux32[KT_AUX_FDT_SIZE] : e->size;

		if (e->err || !e->phys || e->type == KT_EV_INIT || e->type == KT_EV_KEXEC_METADATA)
			continue;
		if (e->phys + len > end)
			end = e->phys + len;
	}
	return end;
}

static int add_fixed_lanes(struct svg_map *m, const struct recording *rec)
{
	struct scratch_use *use = summary__scratch_usage(rec);
	char tip[512], rs[128], note[96], nb[32];
	int lane, err = 0, n = 0;
	__u64 bytes = 0, end;

	if (!use)
		return -ENOMEM;

	/* RAM: the record has no RAM map, so the extent of its ranges */
	end = (max_end(rec) + RAM_ALIGN - 1) / RAM_ALIGN * RAM_ALIGN;
	if (!end)
		end = RAM_ALIGN;
	svg_fmt_size(nb, sizeof(nb), end);
	snprintf(note, sizeof(note), "%s, extent derived from the ranges", nb);
	lane = svg_map__add_lane(m, "RAM", note);
	range_str(rs, sizeof(rs), 0, end);
	snprintf(tip, sizeof(tip), "RAM extent derived from the recorded ranges "
		 "(128 MiB aligned; the record carries no RAM map)\n%s", rs);
	err = lane < 0 ? lane : svg_map__add(m, lane, &(struct svg_map_item){
		.kind = SVG_MAP_RAM, .start = 0, .size = end, .tip = tip });

	for (int i = 0; i < rec->nr_scratch; i++)
		bytes += rec->scratch[i].size;
	note_str(note, sizeof(note), rec->nr_scratch, "area", bytes);
	lane = err ?: svg_map__add_lane(m, "scratch areas", note);
	for (int i = 0; lane >= 0 && !err && i < rec->nr_scratch; i++) {
		char used[32], left[32];
		__u64 sz = rec->scratch[i].size;

		if (!sz)
			continue;
		svg_fmt_size(used, sizeof(used), use[i].used);
		svg_fmt_size(left, sizeof(left), sz > use[i].used ? sz - use[i].used : 0);
		range_str(rs, sizeof(rs), rec->scratch[i].addr, sz);
		snprintf(tip, sizeof(tip), "scratch area %d (%s)\n%s\n%llu kexec segments, %s used, %s left",
			 i, area_name(i, nb, sizeof(nb)), rs, (unsigned long long)use[i].segments,
			 used, left);
		err = svg_map__add(m, lane, &(struct svg_map_item){ .kind = SVG_MAP_SCRATCH,
			.start = rec->scratch[i].addr, .size = sz,
			.label = area_name(i, nb, sizeof(nb)), .tip = tip });
	}
	if (lane < 0)
		err = lane;

	bytes = 0;
	for (size_t i = 0; i < rec->nr_records; i++) {
		const struct kt_event *e = &rec->records[i].ev;

		if (e->type == KT_EV_SCRATCH_PLACE && !e->err && e->size) {
			n++;
			bytes += e->size;
		}
	}
	note_str(note, sizeof(note), n, "segment", bytes);
	lane = err ?: svg_map__add_lane(m, "kexec segments", note);
	for (size_t i = 0; lane >= 0 && !err && i < rec->nr_records; i++) {
		const struct kt_record *r = &rec->records[i];
		const struct kt_event *e = &r->ev;
		int a;

		if (e->type != KT_EV_SCRATCH_PLACE || e->err || !e->size)
			continue;
		a = summary__scratch_area(rec, e);
		range_str(rs, sizeof(rs), e->phys, e->size);
		snprintf(tip, sizeof(tip), "kexec segment placed in scratch by %s\n%s\narea %d (%s), buf_max 0x%llx",
			 r->producer, rs, a, a < 0 ? "outside the areas" : area_name(a, nb, sizeof(nb)),
			 (unsigned long long)e->aux);
		svg_fmt_size(nb, sizeof(nb), e->size);
		err = svg_map__add(m, lane, &(struct svg_map_item){ .kind = SVG_MAP_SEGMENT,
			.start = e->phys, .size = e->size, .label = nb, .tip = tip });
	}
	if (lane < 0)
		err = lane;

	n = 0;
	bytes = 0;
	for (size_t i = 0; i < rec->nr_records; i++) {
		const struct kt_event *e = &rec->records[i].ev;

		if (e->err)
			continue;
		if (e->type == KT_EV_FDT_FINALIZE && e->phys) {
			n++;
			bytes += e->aux32[KT_AUX_FDT_SIZE];
		} else if (e->type == KT_EV_SUBTREE_ADD && e->phys && e->size) {
			n++;
			bytes += e->size;
		}
	}
	note_str(note, sizeof(note), n, "blob", bytes);
	lane = err ?: svg_map__add_lane(m, "FDT and subtrees", note);
	for (size_t i = 0; lane >= 0 && !err && i < rec->nr_records; i++) {
		const struct kt_record *r = &rec->records[i];
		const struct kt_event *e = &r->ev;

		if (e->err || !e->phys)
			continue;
		if (e->type == KT_EV_FDT_FINALIZE && e->aux32[KT_AUX_FDT_SIZE]) {
			range_str(rs, sizeof(rs), e->phys, e->aux32[KT_AUX_FDT_SIZE]);
			snprintf(tip, sizeof(tip), "handover FDT\n%s\n%u subtrees, %llu preserved ranges, %u scratch areas",
				 rs, e->aux32[KT_AUX_NR_SUBTREES], (unsigned long long)e->aux,
				 e->aux32[KT_AUX_NR_SCRATCH]);
			err = svg_map__add(m, lane, &(struct svg_map_item){ .kind = SVG_MAP_FDT,
				.start = e->phys, .size = e->aux32[KT_AUX_FDT_SIZE], .label = "FDT",
				.tip = tip });
		} else if (e->type == KT_EV_SUBTREE_ADD && e->size) {
			range_str(rs, sizeof(rs), e->phys, e->size);
			snprintf(tip, sizeof(tip), "subtree \"%s\" (added by %s)\n%s", e->name,
				 r->producer, rs);
			err = svg_map__add(m, lane, &(struct svg_map_item){ .kind = SVG_MAP_SUBTREE,
				.start = e->phys, .size = e->size, .label = e->name, .tip = tip });
		}
	}
	if (lane < 0)
		err = lane;
	free(use);
	return err;
}

/* one lane per producer for op, ranges coloured by producer */
static int add_range_lanes(struct svg_map *m, const struct recording *rec,
			   const struct colors *c, __u32 op, enum svg_map_kind kind)
{
	char tip[512], rs[128], note[96], label[96];
	int err = 0;

	for (int p = 0; p < c->nr && !err; p++) {
		const char *name = c->names[p];
		__u64 bytes = 0;
		int n = 0, lane;

		for (size_t i = 0; i < rec->nr_records; i++)
			if (rec->records[i].ev.type == op && is_map_range(&rec->records[i].ev) &&
			    !strcmp(rec->records[i].producer, name)) {
				n++;
				bytes += rec->records[i].ev.size;
			}
		if (!n)
			continue;
		note_str(note, sizeof(note), n, "range", bytes);
		snprintf(label, sizeof(label), "%s%s", op == KT_EV_PRESERVE ? "" :
			 op == KT_EV_UNPRESERVE ? "unpreserved: " : "restored: ", name);
		lane = svg_map__add_lane(m, label, note);
		if (lane < 0)
			return lane;
		for (size_t i = 0; i < rec->nr_records && !err; i++) {
			const struct kt_record *r = &rec->records[i];
			const struct kt_event *e = &r->ev;
			char node[24] = "";

			if (e->type != op || !is_map_range(e) || strcmp(r->producer, name))
				continue;
			if (e->nid != KT_NO_NODE)
				snprintf(node, sizeof(node), ", node %u", e->nid);
			range_str(rs, sizeof(rs), e->phys, e->size);
			snprintf(tip, sizeof(tip), "%s by %s (%s, order %u%s, %u call%s)\n%s\n%s pid %u",
				 kt_event_name(op), name, kt_kind_name(e->kind), e->order, node,
				 e->nr_calls, e->nr_calls == 1 ? "" : "s", rs, e->comm, e->pid);
			err = svg_map__add(m, lane, &(struct svg_map_item){ .kind = kind,
				.start = e->phys, .size = e->size, .fill = color_of(c, name),
				.tip = tip });
		}
	}
	return err;
}

static int build_map(struct svg_map *m, const struct recording *rec, const struct colors *c)
{
	static const struct {
		enum svg_map_kind kind;
		const char *text;
	} kinds[] = {
		{ SVG_MAP_RAM, "RAM" },
		{ SVG_MAP_SCRATCH, "scratch area" },
		{ SVG_MAP_SEGMENT, "kexec segment" },
		{ SVG_MAP_FDT, "handover FDT" },
		{ SVG_MAP_SUBTREE, "subtree blob" },
	};
	struct producer_row *rows;
	char text[96], sz[32];
	int err = 0, nr;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && !err; i++)
		err = svg_map__add_legend(m, svg_map_kind_color(kinds[i].kind), kinds[i].text);
	nr = summary__producers(rec, SORT_BYTES, &rows);
	if (nr < 0)
		return nr;
	for (int i = 0; i < nr && !err; i++) {
		svg_fmt_size(sz, sizeof(sz), rows[i].bytes);
		snprintf(text, sizeof(text), "preserved: %s (%s)", rows[i].name, sz);
		err = svg_map__add_legend(m, color_of(c, rows[i].name), text);
	}
	free(rows);
	err = err ?: add_fixed_lanes(m, rec);
	err = err ?: add_range_lanes(m, rec, c, KT_EV_PRESERVE, SVG_MAP_PRESERVED);
	err = err ?: add_range_lanes(m, rec, c, KT_EV_UNPRESERVE, SVG_MAP_UNPRESERVED);
	err = err ?: add_range_lanes(m, rec, c, KT_EV_RESTORE, SVG_MAP_RESTORED);
	return err;
}

static void event_tip(char *buf, size_t size, const struct kt_record *r, __u64 t0)
{
	const struct kt_event *e = &r->ev;
	char t[32], sz[32];
	int n;

	svg_fmt_ns(t, sizeof(t), e->ts_ns > t0 ? e->ts_ns - t0 : 0);
	svg_fmt_size(sz, sizeof(sz), e->size);
	n = snprintf(buf, size, "%s by %s at %s\n%s pid %u cpu %u\n", kt_event_name(e->type),
		     r->producer, t, e->comm, e->pid, e->cpu);
	if (n < 0 || (size_t)n >= size)
		return;
	switch (e->type) {
	case KT_EV_FDT_FINALIZE:
		snprintf(buf + n, size - n, "fdt 0x%llx, %u bytes, %u subtrees, %llu preserved",
			 (unsigned long long)e->phys, e->aux32[KT_AUX_FDT_SIZE],
			 e->aux32[KT_AUX_NR_SUBTREES], (unsigned long long)e->aux);
		break;
	case KT_EV_SUBTREE_ADD:
	case KT_EV_SUBTREE_REMOVE:
		snprintf(buf + n, size - n, "\"%s\" 0x%llx, %s", e->name,
			 (unsigned long long)e->phys, sz);
		break;
	case KT_EV_INIT:
	case KT_EV_KEXEC_METADATA:
		snprintf(buf + n, size - n, "%s", e->name);
		break;
	default:
		snprintf(buf + n, size - n, "%s0x%llx, %s%s%s", is_range_op(e->type) ? "" : "mem ",
			 (unsigned long long)e->phys, sz,
			 is_range_op(e->type) ? ", " : "",
			 is_range_op(e->type) ? kt_kind_name(e->kind) : "");
	}
	if (e->err) {
		n = strlen(buf);
		snprintf(buf + n, size - n, "\nfailed: %s", strerrorname_np(e->err) ?: "?");
	}
}

static const char *event_color(__u32 type)
{
	switch (type) {
	case KT_EV_SUBTREE_ADD:
	case KT_EV_SUBTREE_REMOVE:
		return svg_map_kind_color(SVG_MAP_SUBTREE);
	case KT_EV_FDT_FINALIZE:
		return svg_map_kind_color(SVG_MAP_FDT);
	case KT_EV_SCRATCH_PLACE:
		return svg_map_kind_color(SVG_MAP_SEGMENT);
	default:
		return "#555555";
	}
}

static void lane_name(char *buf, size_t size, const struct kt_record *r)
{
	if (is_range_op(r->ev.type))
		snprintf(buf, size, "%s: %s", kt_event_name(r->ev.type), r->producer);
	else
		snprintf(buf, size, "%s", kt_event_name(r->ev.type));
}

static int build_timeline(struct svg_timeline *tl, const struct recording *rec,
			  const struct colors *c)
{
	__u64 t0 = rec->hdr.start_mono_ns;
	char name[160], tip[512];
	int src, err = 0;

	snprintf(name, sizeof(name), "old kernel %s", rec->hdr.release);
	src = svg_timeline__add_source(tl, name, t0, rec->totals.duration_ns ?
				       t0 + rec->totals.duration_ns : 0);
	if (src < 0)
		return src;
	/* lanes: range ops by producer, then the other events by type */
	for (__u32 op = 0; op < KT_NR_RANGE_OPS; op++)
		for (int p = 0; p < c->nr; p++)
			for (size_t i = 0; i < rec->nr_records; i++) {
				const struct kt_record *r = &rec->records[i];

				if (r->ev.type != op || strcmp(r->producer, c->names[p]))
					continue;
				lane_name(name, sizeof(name), r);
				if (svg_timeline__lane(tl, name, color_of(c, r->producer)) < 0)
					return -ENOMEM;
				break;
			}
	for (__u32 ty = KT_NR_RANGE_OPS; ty < KT_EV_MAX; ty++)
		for (size_t i = 0; i < rec->nr_records; i++)
			if (rec->records[i].ev.type == ty) {
				if (svg_timeline__lane(tl, kt_event_name(ty), event_color(ty)) < 0)
					return -ENOMEM;
				break;
			}
	for (size_t i = 0; i < rec->nr_records && !err; i++) {
		const struct kt_record *r = &rec->records[i];
		int lane;

		lane_name(name, sizeof(name), r);
		lane = svg_timeline__lane(tl, name, NULL);
		if (lane < 0)
			return lane;
		event_tip(tip, sizeof(tip), r, t0);
		err = svg_timeline__add_event(tl, src, lane, &(struct svg_tl_event){
			.ts_ns = r->ev.ts_ns, .dur_ns = r->ev.lat_ns,
			.kind = kt_event_name(r->ev.type), .tip = tip, .err = r->ev.err });
		if (!err && r->ev.type == KT_EV_FDT_FINALIZE && !r->ev.err)
			err = svg_timeline__add_mark(tl, src, r->ev.ts_ns, "FDT finalized");
	}
	return err;
}

static void header_line(char *buf, size_t size, const struct recording *rec)
{
	char when[64] = "?";
	time_t sec = rec->hdr.start_realtime_ns / 1000000000ULL;
	struct tm tm;

	if (localtime_r(&sec, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf, size, "kernel %s, %s, recorded %s, %zu events, %llu lost, %.3f s",
		 rec->hdr.release, kt_mode_name(rec->hdr.mode), when, rec->nr_records,
		 (unsigned long long)rec->totals.totals.lost, rec->totals.duration_ns / 1e9);
}

static int write_svg(FILE *f, const struct recording *rec, bool standalone)
{
	struct svg_timeline *tl = svg_timeline__new();
	struct svg_map *m = svg_map__new();
	struct colors c = {};
	char *body = NULL, line[256];
	size_t len = 0;
	FILE *mf = NULL;
	double y = 12;
	int err;

	err = !m || !tl ? -ENOMEM : colors_init(&c, rec);
	err = err ?: build_map(m, rec, &c);
	err = err ?: build_timeline(tl, rec, &c);
	if (!err) {
		mf = open_memstream(&body, &len);
		if (!mf)
			err = -errno;
	}
	if (!err) {
		/* the height is known once drawn */
		if (standalone) {
			svg_text(mf, 10, y + 16, 0, "kt-h1", "khotrace: KHO cycle");
			header_line(line, sizeof(line), rec);
			svg_text(mf, 10, y + 32, 0, "kt-sub", line);
			y += 44;
		}
		y += svg_map__render(m, mf, 10, y, HTML_WIDTH - 20) + 12;
		y += svg_timeline__render(tl, mf, 10, y, HTML_WIDTH - 20) + 10;
		if (fclose(mf))
			err = -errno;
		mf = NULL;
	}
	if (!err) {
		svg_begin(f, HTML_WIDTH, y, standalone);
		fwrite(body, 1, len, f);
		svg_end(f);
	}
	free(body);
	free(c.names);
	svg_map__free(m);
	svg_timeline__free(tl);
	return err;
}

int html__write_svg(FILE *f, const struct recording *rec)
{
	int err = write_svg(f, rec, true);

	return err ?: (ferror(f) ? -EIO : 0);
}

/* ---- the HTML page ---- */

static const char page_css[] =
	"body{font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif;font-size:13px;"
	"color:#111;margin:16px 20px;max-width:1240px}\n"
	"h1{font-size:20px;margin:0 0 4px}\n"
	"h2{font-size:15px;margin:22px 0 6px;border-bottom:1px solid #ccc}\n"
	".sub{color:#555;margin:0 0 12px}\n"
	"table{border-collapse:collapse;margin:4px 0 8px}\n"
	"th,td{border:1px solid #d0d0d0;padding:2px 8px;text-align:left}\n"
	"th{background:#f0f0f0}\n"
	"td.n{text-align:right;font-family:'DejaVu Sans Mono','Liberation Mono',monospace}\n"
	"td.m{font-family:'DejaVu Sans Mono','Liberation Mono',monospace}\n"
	"pre{font-size:11.5px;background:#fafafa;border:1px solid #e4e4e4;padding:6px}\n"
	".sw{display:inline-block;width:10px;height:10px;margin-right:6px;border:1px solid #0004}\n"
	".pic svg{width:100%;height:auto}\n";

static void h(FILE *f, const char *s)
{
	svg_escape(f, s);
}

static void th_row(FILE *f, const char *const *cols, int nr)
{
	fputs("<tr>", f);
	for (int i = 0; i < nr; i++) {
		fputs("<th>", f);
		h(f, cols[i]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
}

static void td_u64(FILE *f, __u64 v)
{
	fprintf(f, "<td class=\"n\">%llu</td>", (unsigned long long)v);
}

static void td_str(FILE *f, const char *cls, const char *s)
{
	if (cls)
		fprintf(f, "<td class=\"%s\">", cls);
	else
		fputs("<td>", f);
	h(f, s);
	fputs("</td>", f);
}

static void td_pct(FILE *f, __u64 v, __u64 total)
{
	fprintf(f, "<td class=\"n\">%.2f%%</td>", total ? 100.0 * v / total : 0.0);
}

static int producer_table(FILE *f, const struct recording *rec, const struct colors *c, int key)
{
	static const char *const cols[] = { "producer", "bytes", "%", "calls", "ranges" };
	__u64 total = kt_op_bytes(&rec->totals.totals, KT_EV_PRESERVE);
	struct producer_row *rows;
	int nr = summary__producers(rec, key, &rows);

	if (nr < 0)
		return nr;
	fputs("<h2>Preserved by producer</h2>\n<table>\n", f);
	th_row(f, cols, 5);
	for (int i = 0; i < nr; i++) {
		fprintf(f, "<tr><td><span class=\"sw\" style=\"background:%s\"></span>",
			color_of(c, rows[i].name));
		h(f, rows[i].name);
		fputs("</td>", f);
		td_u64(f, rows[i].bytes);
		td_pct(f, rows[i].bytes, total);
		td_u64(f, rows[i].calls);
		td_u64(f, rows[i].ranges);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	if (rec->totals.totals.lost)
		fprintf(f, "<p>note: %llu events lost, producer rows are short of the totals</p>\n",
			(unsigned long long)rec->totals.totals.lost);
	free(rows);
	return 0;
}

static void count_tables(FILE *f, const struct recording *rec)
{
	static const char *const kcols[] = { "kind", "bytes", "%", "calls", "errors" };
	static const char *const ocols[] = { "order", "bytes", "%", "ranges" };
	static const char *const ncols[] = { "node", "bytes", "%", "calls" };
	const struct kt_totals *t = &rec->totals.totals;
	__u64 total = kt_op_bytes(t, KT_EV_PRESERVE);

	fputs("<h2>Preserved by kind</h2>\n<table>\n", f);
	th_row(f, kcols, 5);
	for (int k = 0; k < KT_KIND_NONE; k++) {
		const struct kt_count *c = &t->by_kind[KT_EV_PRESERVE][k];
		bool wrapper = k == KT_KIND_VMALLOC || k == KT_KIND_ALLOC;

		if (!c->calls)
			continue;
		fputs("<tr>", f);
		td_str(f, NULL, wrapper ? (k == KT_KIND_VMALLOC ? "vmalloc (counted in folio/pages)" :
			"alloc (counted in folio/pages)") : kt_kind_name(k));
		td_u64(f, c->bytes);
		if (wrapper)
			td_str(f, "n", "-");
		else
			td_pct(f, c->bytes, total);
		td_u64(f, c->calls);
		td_u64(f, c->errors);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n<h2>Preserved by order</h2>\n<table>\n", f);
	th_row(f, ocols, 4);
	for (int o = 0; o < KT_MAX_ORDER; o++) {
		const struct kt_count *c = &t->by_order[KT_EV_PRESERVE][o];

		if (!c->calls)
			continue;
		fputs("<tr>", f);
		td_u64(f, o);
		td_u64(f, c->bytes);
		td_pct(f, c->bytes, total);
		td_u64(f, c->calls);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n<h2>Preserved by NUMA node</h2>\n<table>\n", f);
	th_row(f, ncols, 4);
	for (int n = 0; n < KT_MAX_NODES; n++) {
		const struct kt_count *c = &t->by_node[KT_EV_PRESERVE][n];

		if (!c->calls)
			continue;
		fputs("<tr>", f);
		td_u64(f, n);
		td_u64(f, c->bytes);
		td_pct(f, c->bytes, total);
		td_u64(f, c->calls);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static int scratch_table(FILE *f, const struct recording *rec)
{
	static const char *const cols[] = { "area", "kind", "addr", "size", "segments", "used",
					    "left" };
	struct scratch_use *use = summary__scratch_usage(rec);
	char buf[32];

	if (!use)
		return -ENOMEM;
	fputs("<h2>Scratch usage (kexec segments placed by KHO)</h2>\n<table>\n", f);
	th_row(f, cols, 7);
	for (int a = 0; a <= rec->nr_scratch; a++) {
		__u64 size = a < rec->nr_scratch ? rec->scratch[a].size : 0;

		if (a == rec->nr_scratch && !use[a].segments)
			break;
		fputs("<tr>", f);
		if (a < rec->nr_scratch) {
			td_u64(f, a);
			td_str(f, NULL, area_name(a, buf, sizeof(buf)));
			snprintf(buf, sizeof(buf), "0x%016llx", (unsigned long long)rec->scratch[a].addr);
			td_str(f, "m", buf);
			td_u64(f, size);
		} else {
			td_str(f, NULL, "?");
			td_str(f, NULL, "outside the areas");
			td_str(f, "m", "-");
			td_str(f, "n", "-");
		}
		td_u64(f, use[a].segments);
		td_u64(f, use[a].used);
		if (a < rec->nr_scratch)
			td_u64(f, size > use[a].used ? size - use[a].used : 0);
		else
			td_str(f, "n", "-");
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	free(use);
	return 0;
}

/* the libbpf-tools histograms, as the text report prints them */
static int hist_section(FILE *f, const struct recording *rec)
{
	const struct kt_totals *t = &rec->totals.totals;
	char *text = NULL;
	size_t len = 0;
	FILE *mf = open_memstream(&text, &len);

	if (!mf)
		return -errno;
	for (int op = 0; op < KT_NR_RANGE_OPS; op++) {
		if (!hist_total(t->size_hist[op].slots, KT_MAX_SLOTS))
			continue;
		fprintf(mf, "# %s sizes\n", kt_event_name(op));
		print_log2_hist(mf, t->size_hist[op].slots, KT_MAX_SLOTS, "bytes");
		fputc('\n', mf);
	}
	for (int ty = 0; ty < KT_EV_MAX; ty++) {
		if (!hist_total(t->lat_hist[ty].slots, KT_MAX_SLOTS))
			continue;
		fprintf(mf, "# %s latency\n", kt_event_name(ty));
		print_log2_hist(mf, t->lat_hist[ty].slots, KT_MAX_SLOTS, "nsecs");
		fputc('\n', mf);
	}
	if (fclose(mf)) {
		free(text);
		return -errno;
	}
	if (len) {
		fputs("<h2>Histograms</h2>\n<pre>", f);
		h(f, text);
		fputs("</pre>\n", f);
	}
	free(text);
	return 0;
}

static void events_table(FILE *f, const struct recording *rec)
{
	static const char *const cols[] = { "time (s)", "cpu", "comm", "pid", "producer", "event",
					    "kind", "phys", "size", "name", "error" };
	size_t nr = rec->nr_records < HTML_MAX_EVENTS ? rec->nr_records : HTML_MAX_EVENTS;
	__u64 t0 = rec->hdr.start_mono_ns;
	char buf[64];
	__u64 errors = 0;

	for (int ty = 0; ty < KT_EV_MAX; ty++)
		for (int k = 0; k < KT_KIND_MAX; k++)
			errors += rec->totals.totals.by_kind[ty][k].errors;
	fprintf(f, "<h2>Errors</h2>\n<p>%llu failed calls</p>\n", (unsigned long long)errors);
	fprintf(f, "<h2>Events</h2>\n<details><summary>%zu events in record order", rec->nr_records);
	if (nr < rec->nr_records)
		fprintf(f, " (first %zu shown)", nr);
	fputs("</summary>\n<table>\n", f);
	th_row(f, cols, 11);
	for (size_t i = 0; i < nr; i++) {
		const struct kt_record *r = &rec->records[i];
		const struct kt_event *e = &r->ev;

		fprintf(f, "<tr><td class=\"n\">%.6f</td>", e->ts_ns > t0 ? (e->ts_ns - t0) / 1e9 : 0.0);
		td_u64(f, e->cpu);
		td_str(f, NULL, e->comm);
		td_u64(f, e->pid);
		td_str(f, NULL, r->producer);
		td_str(f, NULL, kt_event_name(e->type));
		td_str(f, NULL, kt_kind_name(e->kind));
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)e->phys);
		td_str(f, "m", buf);
		td_u64(f, e->type == KT_EV_FDT_FINALIZE ? e->aux32[KT_AUX_FDT_SIZE] : e->size);
		td_str(f, NULL, e->name);
		td_str(f, NULL, e->err ? strerrorname_np(e->err) ?: "?" : "");
		fputs("</tr>\n", f);
	}
	fputs("</table>\n</details>\n", f);
}

int html__write_page(FILE *f, const struct recording *rec, int sort_key)
{
	struct colors c;
	char line[256];
	int err;

	err = colors_init(&c, rec);
	if (err)
		return err;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>", f);
	fputs("khotrace report: ", f);
	h(f, rec->hdr.release);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", page_css);
	fputs("<h1>khotrace report</h1>\n<p class=\"sub\">", f);
	header_line(line, sizeof(line), rec);
	h(f, line);
	snprintf(line, sizeof(line), "%llu",
		 (unsigned long long)kt_op_bytes(&rec->totals.totals, KT_EV_PRESERVE));
	fputs("; preserved ", f);
	h(f, line);
	fputs(" bytes</p>\n<div class=\"pic\">\n", f);
	err = write_svg(f, rec, false);
	fputs("</div>\n", f);
	err = err ?: producer_table(f, rec, &c, sort_key);
	if (!err)
		count_tables(f, rec);
	err = err ?: scratch_table(f, rec);
	err = err ?: hist_section(f, rec);
	if (!err)
		events_table(f, rec);
	fputs("</body>\n</html>\n", f);
	free(c.names);
	return err ?: (ferror(f) ? -EIO : 0);
}
