// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * report --svg / --html: well-formed (xmllint), every range of the record
 * drawn, hostile names escaped, and the page renders in headless Chromium
 * (scripts/deps-chromium.sh installs it; the tests skip without it).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "helpers.h"
#include "html.h"
#include "recfile.h"
#include "summary.h"
#include "svg.h"

#ifndef KHOTRACE_BIN
#define KHOTRACE_BIN "khotrace"
#endif

#define HOSTILE		"<script>&\"'x"
#define HOSTILE_ESC	"&lt;script&gt;&amp;&quot;&#39;x"
#define TINY_PHYS	0x7f9fa000ULL	/* a 4 KiB page near the top of 2 GiB */

static bool have(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return !system(cmd);
}

static const char *chromium(void)
{
	if (have("chromium"))
		return "chromium";
	if (have("chromium-browser"))
		return "chromium-browser";
	return NULL;
}

/* exit code of a shell command, -1 if it did not exit */
static int sh(const char *cmd)
{
	int status = system(cmd);

	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static struct kt_record ev(__u32 type, __u32 kind, const char *producer, __u64 phys,
			   __u64 size, __u64 ts)
{
	struct kt_record r = {};

	r.ev.type = type;
	r.ev.kind = kind;
	r.ev.phys = phys;
	r.ev.size = size;
	r.ev.ts_ns = ts;
	r.ev.nr_calls = 1;
	r.ev.nid = 0;
	r.ev.aux32[KT_AUX_AREA] = KT_NO_AREA;
	snprintf(r.ev.comm, sizeof(r.ev.comm), "test");
	snprintf(r.producer, sizeof(r.producer), "%s", producer);
	return r;
}

/* the preserved ranges the map must draw: folio/pages, successful */
static const struct {
	const char *producer;
	__u64 phys, size;
} ranges[] = {
	{ "luo/memfd",	0x2354000, 4096 },
	{ "luo/memfd",	0x33a0000, 2 << 20 },
	{ "test_kho",	0x436000, 8192 },
	{ HOSTILE,	0x4999000, 65536 },
	{ "luo/memfd",	TINY_PHYS, 4096 },
};

FIXTURE(svg) {
	char dir[64];
	char rec[128], svg[128], html[128];
	struct recording r;
};

FIXTURE_SETUP(svg)
{
	struct kho_scratch_area scratch[3] = {
		{ 0x7b800000, 16 << 20 }, { 0x77800000, 64 << 20 }, { 0x75800000, 32 << 20 },
	};
	struct kt_rec_totals totals = { .duration_ns = 400000000ULL };
	struct kt_rec_header hdr;
	struct kt_record r;
	struct recfile *rf;
	char errbuf[256];
	__u64 t0;
	int err = 0;

	snprintf(self->dir, sizeof(self->dir), "/tmp/test_svg.XXXXXX");
	ASSERT_EQ(0, tree_new(self->dir));
	snprintf(self->rec, sizeof(self->rec), "%s/cycle.rec", self->dir);
	snprintf(self->svg, sizeof(self->svg), "%s/cycle.svg", self->dir);
	snprintf(self->html, sizeof(self->html), "%s/cycle.html", self->dir);

	recfile__init_header(&hdr, KT_MODE_TRACEPOINT);
	snprintf(hdr.release, sizeof(hdr.release), "7.3.4-%s", HOSTILE);
	t0 = hdr.start_mono_ns;
	rf = recfile__create(self->rec, &hdr, &err);
	ASSERT_NE(NULL, rf);
	recfile__write_scratch(rf, scratch, 3);
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		r = ev(KT_EV_PRESERVE, i % 2 ? KT_KIND_PAGES : KT_KIND_FOLIO, ranges[i].producer,
		       ranges[i].phys, ranges[i].size, t0 + (i + 1) * 10000000ULL);
		recfile__write_record(rf, &r);
	}
	/* a wrapper and a failure: in the timeline, never on the map */
	r = ev(KT_EV_PRESERVE, KT_KIND_ALLOC, "luo/memfd", 0x2354000, 4096, t0 + 5000000);
	recfile__write_record(rf, &r);
	r = ev(KT_EV_PRESERVE, KT_KIND_PAGES, "reserve_mem", 0x6000000, 4096, t0 + 6000000);
	r.ev.err = 22;
	recfile__write_record(rf, &r);
	r = ev(KT_EV_SUBTREE_ADD, KT_KIND_NONE, "test_kho", 0x3c0000, 240, t0 + 70000000);
	snprintf(r.ev.name, sizeof(r.ev.name), "%s", HOSTILE);
	recfile__write_record(rf, &r);
	r = ev(KT_EV_FDT_FINALIZE, KT_KIND_NONE, "unknown", 0x23e000, 0, t0 + 300000000);
	r.ev.aux32[KT_AUX_FDT_SIZE] = 405;
	r.ev.aux32[KT_AUX_NR_SUBTREES] = 1;
	recfile__write_record(rf, &r);
	r = ev(KT_EV_SCRATCH_PLACE, KT_KIND_NONE, "bzImage64_load", 0x7a93d000, 15478784,
	       t0 + 310000000);
	r.ev.aux32[KT_AUX_AREA] = 1;
	recfile__write_record(rf, &r);
	r = ev(KT_EV_SCRATCH_PLACE, KT_KIND_NONE, "bzImage64_load", 0x7c7f9000, 8192,
	       t0 + 311000000);
	recfile__write_record(rf, &r);
	totals.totals.by_kind[KT_EV_PRESERVE][KT_KIND_FOLIO] =
		(struct kt_count){ .calls = 3, .bytes = (2 << 20) + 8192 };
	totals.totals.by_kind[KT_EV_PRESERVE][KT_KIND_PAGES] =
		(struct kt_count){ .calls = 3, .bytes = 65536 + 4096 + 4096, .errors = 1 };
	totals.totals.size_hist[KT_EV_PRESERVE].slots[12] = 3;
	recfile__write_totals(rf, &totals);
	ASSERT_EQ(0, recfile__close(rf));
	ASSERT_EQ(0, recfile__load(self->rec, &self->r, errbuf, sizeof(errbuf))) {
		TH_LOG("%s", errbuf);
	}
}

FIXTURE_TEARDOWN(svg)
{
	recording__free(&self->r);
	tree_free(self->dir);
}

static int write_both(struct __test_metadata *_metadata, FIXTURE_DATA(svg) *self)
{
	FILE *f = fopen(self->svg, "we");

	if (!f || html__write_svg(f, &self->r) || fclose(f))
		return -1;
	f = fopen(self->html, "we");
	if (!f || html__write_page(f, &self->r, SORT_BYTES) || fclose(f))
		return -1;
	return 0;
}

/* write both and read them back (free() them) */
static void read_both(struct __test_metadata *_metadata, FIXTURE_DATA(svg) *self, char **svg,
		      char **html)
{
	ASSERT_EQ(0, write_both(_metadata, self));
	*svg = slurp(self->svg);
	*html = slurp(self->html);
	ASSERT_NE(NULL, *svg);
	ASSERT_NE(NULL, *html);
}

TEST(escape)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ASSERT_NE(NULL, f);
	svg_escape(f, HOSTILE);
	svg_text(f, 1, 2, 0, HOSTILE, HOSTILE);
	fclose(f);
	EXPECT_EQ(NULL, strstr(buf, "<script"));
	EXPECT_EQ(0, strncmp(buf, HOSTILE_ESC, strlen(HOSTILE_ESC)));
	EXPECT_NE(NULL, strstr(buf, "class=\"" HOSTILE_ESC "\">" HOSTILE_ESC "</text>"));
	free(buf);
}

TEST_F(svg, well_formed)
{
	char cmd[512];

	ASSERT_EQ(0, write_both(_metadata, self));
	if (!have("xmllint"))
		SKIP(return, "xmllint not installed (scripts/deps-chromium.sh installs libxml2-utils)");
	snprintf(cmd, sizeof(cmd), "xmllint --noout %s", self->svg);
	EXPECT_EQ(0, sh(cmd));
	/* the page is polyglot: well-formed XML too */
	snprintf(cmd, sizeof(cmd), "xmllint --noout %s", self->html);
	EXPECT_EQ(0, sh(cmd));
	/* libxml2's HTML4 parser knows neither SVG nor HTML5 tags: only those may complain */
	snprintf(cmd, sizeof(cmd), "xmllint --html --noout %s 2>&1 | grep 'error' | "
		 "grep -Ev 'Tag (svg|rect|line|text|title|path|style|details|summary) invalid' | "
		 "grep .", self->html);
	EXPECT_EQ(1, sh(cmd));
}

TEST_F(svg, every_range)
{
	char *svg, *html, needle[96];
	int nr = sizeof(ranges) / sizeof(ranges[0]);

	read_both(_metadata, self, &svg, &html);
	EXPECT_EQ(nr, count(svg, "data-kind=\"preserved\""));
	EXPECT_EQ(nr, count(html, "data-kind=\"preserved\""));
	for (int i = 0; i < nr; i++) {
		snprintf(needle, sizeof(needle), "data-kind=\"preserved\" data-start=\"0x%llx\" "
			 "data-size=\"%llu\"", ranges[i].phys, ranges[i].size);
		EXPECT_EQ(1, count(svg, needle)) {
			TH_LOG("missing %s", needle);
		}
	}
	EXPECT_EQ(3, count(svg, "data-kind=\"scratch\""));
	EXPECT_EQ(2, count(svg, "data-kind=\"segment\""));
	EXPECT_EQ(1, count(svg, "data-kind=\"fdt\" data-start=\"0x23e000\" data-size=\"405\""));
	EXPECT_EQ(1, count(svg, "data-kind=\"subtree\" data-start=\"0x3c0000\" data-size=\"240\""));
	EXPECT_EQ(1, count(svg, "data-kind=\"ram\""));
	/* the timeline has every event, wrapper and failure included */
	EXPECT_EQ(nr + 2, count(svg, "data-kind=\"preserve\""));
	free(svg);
	free(html);
}

/* a 4 KiB page in a 2 GiB map is at least SVG_MAP_MIN_RECT wide */
TEST_F(svg, tiny_range_visible)
{
	char *svg, needle[96], *p;
	double w = 0;

	ASSERT_EQ(0, write_both(_metadata, self));
	svg = slurp(self->svg);
	ASSERT_NE(NULL, svg);
	snprintf(needle, sizeof(needle), "data-start=\"0x%llx\"", TINY_PHYS);
	p = strstr(svg, needle);
	ASSERT_NE(NULL, p);
	while (p > svg && strncmp(p, "<rect", 5))
		p--;
	ASSERT_NE(NULL, p = strstr(p, "width=\""));
	w = atof(p + 7);
	EXPECT_GE(w, SVG_MAP_MIN_RECT - 0.01);
	free(svg);
}

TEST_F(svg, hostile_names)
{
	char *svg, *html;

	read_both(_metadata, self, &svg, &html);
	EXPECT_EQ(NULL, strstr(svg, "<script"));
	EXPECT_EQ(NULL, strstr(html, "<script"));
	EXPECT_NE(NULL, strstr(svg, HOSTILE_ESC));
	EXPECT_NE(NULL, strstr(html, HOSTILE_ESC));
	free(svg);
	free(html);
}

/* thousands of scattered ranges stay inside the picture */
TEST_F(svg, many_ranges_bounded)
{
	char *buf = NULL, *p;
	size_t len = 0, n = self->r.nr_records;
	struct kt_record *tmp;
	FILE *f;

	tmp = realloc(self->r.records, (n + 3000) * sizeof(*tmp));
	ASSERT_NE(NULL, tmp);
	self->r.records = tmp;
	for (int i = 0; i < 3000; i++)
		self->r.records[self->r.nr_records++] = ev(KT_EV_PRESERVE, KT_KIND_FOLIO,
			i % 3 ? "luo/memfd" : "test_kho", (__u64)(i * 7919 % 500000) * 4096, 4096,
			self->r.hdr.start_mono_ns + i * 1000);
	f = open_memstream(&buf, &len);
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, html__write_svg(f, &self->r));
	fclose(f);
	EXPECT_EQ(3005, count(buf, "data-kind=\"preserved\""));
	for (p = buf; (p = strstr(p, "<rect x=\"")); p++) {
		double x = atof(p + 9);

		ASSERT_GE(x, -2);
		ASSERT_LE(x, HTML_WIDTH);
	}
	free(buf);
}

TEST_F(svg, cli)
{
	char cmd[512];
	struct stat st;

	snprintf(cmd, sizeof(cmd), "%s report -i %s --svg %s --html %s >/dev/null 2>&1",
		 KHOTRACE_BIN, self->rec, self->svg, self->html);
	ASSERT_EQ(0, sh(cmd));
	ASSERT_EQ(0, stat(self->svg, &st));
	EXPECT_GT(st.st_size, 1000);
	ASSERT_EQ(0, stat(self->html, &st));
	EXPECT_GT(st.st_size, 1000);
	snprintf(cmd, sizeof(cmd), "%s report -i %s --html %s/no/such/dir.html >/dev/null 2>&1",
		 KHOTRACE_BIN, self->rec, self->dir);
	EXPECT_EQ(1, sh(cmd));
}

/* headless Chromium screenshots the page: a PNG of the window's size */
TEST_F(svg, renders)
{
	const char *browser = chromium();
	unsigned char png[24];
	char cmd[1024], shot[128];
	__u32 w, h;
	struct stat st;
	FILE *f;

	if (!browser)
		SKIP(return, "chromium not installed (run scripts/deps-chromium.sh as root)");
	ASSERT_EQ(0, write_both(_metadata, self));
	snprintf(shot, sizeof(shot), "%s/page.png", self->dir);
	snprintf(cmd, sizeof(cmd), "cd %s && HOME=%s timeout 120 %s --headless --no-sandbox "
		 "--disable-gpu --user-data-dir=%s/chromium --screenshot=%s "
		 "--window-size=1280,900 file://%s >%s/chromium.log 2>&1",
		 self->dir, self->dir, browser, self->dir, shot, self->html, self->dir);
	EXPECT_EQ(0, sh(cmd));
	ASSERT_EQ(0, stat(shot, &st));
	EXPECT_GT(st.st_size, 10000);
	f = fopen(shot, "re");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fread(png, sizeof(png), 1, f));
	fclose(f);
	ASSERT_EQ(0, memcmp(png, "\x89PNG\r\n\x1a\n", 8));
	ASSERT_EQ(0, memcmp(png + 12, "IHDR", 4));
	memcpy(&w, png + 16, 4);
	memcpy(&h, png + 20, 4);
	EXPECT_EQ(1280, ntohl(w));
	EXPECT_EQ(900, ntohl(h));
}

TEST_HARNESS_MAIN
