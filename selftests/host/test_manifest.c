// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* manifest text form: round trip, strict parser errors, crc32c, kernel maps */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

/* the first lines of debugfs kho/{in,out}/memory_map, subtrees and out/ranges */
#define MAP_V	"# kho memory_map - version: 1\n"
#define SUB_V	"# kho subtrees - version: 1\n"
#define RANGES_V "# kho ranges - version: 1\n"
#include "crc32c.h"
#include "manifest.h"
#include "util.h"

TEST(crc32c_vectors)
{
	static const unsigned char zeros[32], ones[32] = {
		[0 ... 31] = 0xff,
	};

	EXPECT_EQ(0xe3069283, crc32c("123456789", 9));
	EXPECT_EQ(0, crc32c("", 0));
	/* RFC 3720 (iSCSI) B.4 */
	EXPECT_EQ(0x8a9136aa, crc32c(zeros, sizeof(zeros)));
	EXPECT_EQ(0x62a8ab43, crc32c(ones, sizeof(ones)));
	/* incremental == one shot */
	EXPECT_EQ(0xe3069283, crc32c_update(crc32c("1234", 4), "56789", 5));
}

/* the definition, one bit at a time */
static __u32 crc32c_bitwise(const unsigned char *p, size_t len)
{
	__u32 c = ~0u;

	while (len--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (c & 1 ? 0x82F63B78u : 0);
	}
	return ~c;
}

/* both paths, at every alignment and tail length of the 8-byte one, and a long buffer */
TEST(crc32c_matches_bitwise)
{
	static unsigned char buf[64 * 1024 + 64];
	__u32 seed = 1;

	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245 + 12345;
		buf[i] = seed >> 16;
	}
	for (size_t off = 0; off < 16; off++) {
		for (size_t len = 0; len < 40; len++) {
			__u32 want = crc32c_bitwise(buf + off, len);

			ASSERT_EQ(want, crc32c(buf + off, len)) {
				TH_LOG("offset %zu, length %zu", off, len);
			}
			ASSERT_EQ(want, crc32c_update_table(0, buf + off, len)) {
				TH_LOG("table: offset %zu, length %zu", off, len);
			}
		}
	}
	EXPECT_EQ(crc32c_bitwise(buf + 3, sizeof(buf) - 3), crc32c(buf + 3, sizeof(buf) - 3));
	EXPECT_EQ(crc32c_bitwise(buf + 3, sizeof(buf) - 3),
		  crc32c_update_table(0, buf + 3, sizeof(buf) - 3));
	EXPECT_EQ(crc32c_bitwise(buf, sizeof(buf)),
		  crc32c_update(crc32c(buf, 1001), buf + 1001, sizeof(buf) - 1001));
}

TEST(crc32c_joined_ranges)
{
	static unsigned char buf[3 * 4096 + 7];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = i * 131 + (i >> 8);
	/* the union of adjacent pieces, as verify joins received ranges */
	EXPECT_EQ(crc32c("123456789", 9),
		  crc32c_combine(crc32c("1234", 4), crc32c("56789", 5), 5));
	EXPECT_EQ(crc32c(buf, sizeof(buf)),
		  crc32c_combine(crc32c_combine(crc32c(buf, 4096), crc32c(buf + 4096, 4096), 4096),
				 crc32c(buf + 8192, sizeof(buf) - 8192), sizeof(buf) - 8192));
	EXPECT_EQ(crc32c("1234", 4), crc32c_combine(crc32c("1234", 4), 0, 0));
	/* order matters */
	EXPECT_NE(crc32c("123456789", 9),
		  crc32c_combine(crc32c("56789", 5), crc32c("1234", 4), 4));
}

/* a span's checksum joined from the sorted ranges that make it up */
TEST(span_crc)
{
	static unsigned char buf[4 * 4096];
	struct manifest m;
	__u32 crc = 0;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = i * 31 + (i >> 9);
	manifest__init(&m);
	/* 0x10000: one page, then an order-1 range, then a page */
	ASSERT_EQ(0, manifest__add_range(&m, 0x10000, 0, 4096, crc32c(buf, 4096)));
	ASSERT_EQ(0, manifest__add_range(&m, 0x11000, 1, 8192, crc32c(buf + 4096, 8192)));
	ASSERT_EQ(0, manifest__add_range(&m, 0x13000, 0, 4096, crc32c(buf + 12288, 4096)));
	ASSERT_EQ(0, manifest__add_range(&m, 0x20000, 0, 4096, 0x1234));
	manifest__sort(&m);
	EXPECT_EQ(2, manifest__find_range(&m, 0x13000));
	EXPECT_EQ(-1, manifest__find_range(&m, 0x12000));

	ASSERT_EQ(0, manifest__span_crc(&m, 0x10000, sizeof(buf), &crc));
	EXPECT_EQ(crc32c(buf, sizeof(buf)), crc);
	ASSERT_EQ(0, manifest__span_crc(&m, 0x11000, 8192, &crc));
	EXPECT_EQ(crc32c(buf + 4096, 8192), crc);
	/* not starting, or not ending, at a range's edge */
	EXPECT_EQ(-ENOENT, manifest__span_crc(&m, 0x12000, 4096, &crc));
	EXPECT_EQ(-ENOENT, manifest__span_crc(&m, 0x10000, 2 * 4096, &crc));
	/* across a gap, past the last range, empty, wrapping around */
	EXPECT_EQ(-ENOENT, manifest__span_crc(&m, 0x10000, 5 * 4096, &crc));
	EXPECT_EQ(-ENOENT, manifest__span_crc(&m, 0x13000, 0xe000, &crc));
	EXPECT_EQ(-ENOENT, manifest__span_crc(&m, 0x20000, 2 * 4096, &crc));
	EXPECT_EQ(-ENOENT, manifest__span_crc(&m, 0x10000, 0, &crc));
	EXPECT_EQ(-ENOENT, manifest__span_crc(&m, 0x20000, -0x10000ULL, &crc));
	/* a range without its checksum: made up, but not checksummed */
	m.ranges[1].no_crc = true;
	EXPECT_EQ(-ENODATA, manifest__span_crc(&m, 0x10000, sizeof(buf), &crc));
	m.ranges[1].no_crc = false;
	/* a range lost in the handover */
	m.ranges[2].sent = MF_SENT_LOST;
	EXPECT_EQ(-ENOENT, manifest__span_crc(&m, 0x10000, sizeof(buf), &crc));
	manifest__free(&m);
}

static void sample(struct manifest *m)
{
	manifest__init(m);
	strcpy(m->release, "7.3.4-khotrace");
	m->time = 1767225600;
	m->kexec_count = 2;
	m->have_ranges = true;
	manifest__add_scratch(m, 0x100000000ULL, 64 << 20);
	manifest__add_scratch(m, 0x1000000, 16 << 20);
	manifest__add_range(m, 0x3000, 0, 0x1000, 0xdeadbeef);
	manifest__add_range(m, 0x1000, 1, 0x2000, 0x12345678);
	manifest__add_subtree(m, "kexec-metadata", 0x7000, 73, true, 0xabcdef01);
	manifest__add_subtree(m, "memblock", 0x9000, 4096, false, 0);
	manifest__add_carrier(m, 0x20000, 0x1000);
	manifest__sort(m);
}

/* format the sample, then apply an edit: replace line n (1-based) */
static char *edited(int n, const char *repl)
{
	struct manifest m;
	char *text, *out, *p;
	int i;

	sample(&m);
	if (manifest__format(&m, &text) < 0)
		return NULL;
	manifest__free(&m);
	out = calloc(1, strlen(text) + strlen(repl) + 2);
	p = text;
	for (i = 1; *p; i++) {
		size_t len = strcspn(p, "\n") + 1;

		if (i == n)
			strcat(out, repl);
		else
			strncat(out, p, len);
		p += len;
	}
	free(text);
	return out;
}

/* recompute the end line of text (so that a test reaches the record check) */
static void reseal(char *text)
{
	char *end = strstr(text, "end crc32c=");

	sprintf(end, "end crc32c=0x%08x\n", crc32c(text, end - text));
}

static int parse(const char *text, char *err, size_t size)
{
	struct manifest m;
	int ret = manifest__parse(text, strlen(text), &m, err, size);

	manifest__free(&m);
	return ret;
}

TEST(round_trip)
{
	struct manifest a, b;
	char *text, *text2, err[256];
	long len;

	sample(&a);
	len = manifest__format(&a, &text);
	ASSERT_LT(0, len);
	ASSERT_EQ(0, strncmp(text, "khotrace-manifest 1\n", 20));
	ASSERT_EQ(0, manifest__parse(text, len, &b, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("7.3.4-khotrace", b.release);
	EXPECT_EQ(1767225600, b.time);
	EXPECT_EQ(2, b.kexec_count);
	EXPECT_TRUE(b.have_ranges);
	ASSERT_EQ(2, b.nr_ranges);
	EXPECT_EQ(0x1000, b.ranges[0].phys);	/* sorted */
	EXPECT_EQ(1, b.ranges[0].order);
	EXPECT_EQ(0x2000, b.ranges[0].size);
	EXPECT_EQ(0x12345678, b.ranges[0].crc);
	ASSERT_EQ(2, b.nr_subtrees);
	EXPECT_STREQ("kexec-metadata", b.subtrees[0].name);
	EXPECT_TRUE(b.subtrees[0].has_crc);
	EXPECT_EQ(0xabcdef01, b.subtrees[0].crc);
	EXPECT_FALSE(b.subtrees[1].has_crc);
	ASSERT_EQ(2, b.nr_scratch);
	EXPECT_EQ(0x100000000ULL, b.scratch[0].addr);	/* scratch keeps its order */
	ASSERT_EQ(1, b.nr_carrier);
	EXPECT_EQ(0x20000, b.carrier[0].addr);
	/* the same text again */
	ASSERT_EQ(len, manifest__format(&b, &text2));
	EXPECT_EQ(0, memcmp(text, text2, len));
	/* NUL padding after the end line (a memfd) is ignored */
	text = realloc(text, len + 4096);
	memset(text + len, 0, 4096);
	manifest__free(&b);
	EXPECT_EQ(0, manifest__parse(text, len + 4096, &b, err, sizeof(err))) TH_LOG("%s", err);
	manifest__free(&a);
	manifest__free(&b);
	free(text);
	free(text2);
}

/* what a kernel without the series can give: no ranges, no whole root
 * FDT (subtrees without phys), reserve_mem regions */
TEST(partial_records)
{
	struct manifest a, b;
	char *text, *text2, *bad, err[256];
	long len;

	manifest__init(&a);
	strcpy(a.release, "7.3.4-upstream");
	a.series = 0;
	snprintf(a.ranges_reason, sizeof(a.ranges_reason), "no out/memory_map");
	a.no_fdt = true;
	snprintf(a.fdt_reason, sizeof(a.fdt_reason), "out/fdt: truncated (debugfs blob)");
	manifest__add_subtree(&a, "memblock", 0, 4096, true, 0x11223344);
	a.subtrees[0].no_phys = true;
	manifest__add_region(&a, "khotrace_rm", 0x7a000000, 4 << 20, true, 0xcafef00d);
	manifest__add_region(&a, "other", 0x7b000000, 4096, false, 0);
	snprintf(a.region_reason, sizeof(a.region_reason), "/dev/mem: Operation not permitted");
	len = manifest__format(&a, &text);
	ASSERT_LT(0, len);
	EXPECT_NE(NULL, strstr(text, "\nseries=no\n"));
	EXPECT_NE(NULL, strstr(text, "\nfdt=no out/fdt: truncated (debugfs blob)\n"));
	EXPECT_NE(NULL, strstr(text, "subtree name=memblock phys=- size=0x1000 crc32c=0x11223344\n"));
	EXPECT_NE(NULL, strstr(text, "region name=other phys=0x7b000000 size=0x1000 crc32c=-\n"));
	ASSERT_EQ(0, manifest__parse(text, len, &b, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0, b.series);
	EXPECT_FALSE(b.have_ranges);
	EXPECT_TRUE(b.no_fdt);
	EXPECT_STREQ("out/fdt: truncated (debugfs blob)", b.fdt_reason);
	EXPECT_STREQ("/dev/mem: Operation not permitted", b.region_reason);
	ASSERT_EQ(1, b.nr_subtrees);
	EXPECT_TRUE(b.subtrees[0].no_phys);
	ASSERT_EQ(2, b.nr_regions);
	EXPECT_STREQ("khotrace_rm", b.regions[0].name);
	EXPECT_EQ(0x7a000000, b.regions[0].phys);
	EXPECT_EQ(4 << 20, b.regions[0].size);
	EXPECT_TRUE(b.regions[0].has_crc);
	EXPECT_EQ(0xcafef00d, b.regions[0].crc);
	EXPECT_FALSE(b.regions[1].has_crc);
	ASSERT_EQ(len, manifest__format(&b, &text2));
	EXPECT_EQ(0, memcmp(text, text2, len));
	free(text2);
	manifest__free(&b);

	/* a subtree without its address needs the fdt=no line saying why */
	bad = strdup(text);
	{
		char *l = strstr(bad, "\nfdt=no") + 1, *nl = strchr(l, '\n') + 1;

		memmove(l, nl, strlen(nl) + 1);
	}
	reseal(bad);
	EXPECT_EQ(-EINVAL, parse(bad, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "subtree memblock without phys")) TH_LOG("%s", err);
	free(bad);
	bad = strdup(text);
	memcpy(strstr(bad, "fdt=no "), "fdt=ye ", 7);
	reseal(bad);
	EXPECT_EQ(-EINVAL, parse(bad, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "fdt")) TH_LOG("%s", err);
	free(bad);
	bad = strdup(text);
	memcpy(strstr(bad, "series=no"), "series=nx", 9);
	reseal(bad);
	EXPECT_EQ(-EINVAL, parse(bad, err, sizeof(err)));
	free(bad);
	free(text);
	/* region names are unique */
	manifest__add_region(&a, "other", 0x7c000000, 4096, false, 0);
	ASSERT_LT(0, manifest__format(&a, &text));
	EXPECT_EQ(-EINVAL, parse(text, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "duplicate region name=other")) TH_LOG("%s", err);
	free(text);
	manifest__free(&a);
}

TEST(no_ranges)
{
	struct manifest a, b;
	char *text, err[256];
	long len;

	manifest__init(&a);
	strcpy(a.release, "r");
	strcpy(a.ranges_reason, "no /sys/kernel/debug/kho/out/memory_map (old kernel)");
	len = manifest__format(&a, &text);
	ASSERT_EQ(0, manifest__parse(text, len, &b, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_FALSE(b.have_ranges);
	EXPECT_STREQ("no /sys/kernel/debug/kho/out/memory_map (old kernel)", b.ranges_reason);
	manifest__free(&a);
	manifest__free(&b);
	free(text);
}

/* KHO's default scale gives a 0-byte global scratch area on small machines */
TEST(empty_scratch_area)
{
	struct manifest a, b;
	char *text, err[256];
	long len;

	manifest__init(&a);
	strcpy(a.release, "r");
	ASSERT_EQ(0, manifest__add_scratch(&a, 0x7b000000, 0x8800000));
	ASSERT_EQ(0, manifest__add_scratch(&a, 0x7a000000, 0));
	len = manifest__format(&a, &text);
	ASSERT_EQ(0, manifest__parse(text, len, &b, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2, b.nr_scratch);
	manifest__free(&a);
	manifest__free(&b);
	free(text);
}

TEST(version)
{
	char err[256], *t = edited(1, "khotrace-manifest 2\n");

	EXPECT_EQ(-EPROTO, parse(t, err, sizeof(err)));
	EXPECT_STREQ("unsupported manifest version 2 (this khotrace reads version 1)", err);
	free(t);
	t = edited(1, "khotrace-manifesto 1\n");
	EXPECT_EQ(-EINVAL, parse(t, err, sizeof(err)));
	EXPECT_STREQ("not a khotrace manifest (line 1: 'khotrace-manifesto 1')", err);
	free(t);
	EXPECT_EQ(-EINVAL, parse("", err, sizeof(err)));
	EXPECT_STREQ("empty manifest", err);
}

TEST(truncated)
{
	struct manifest m;
	char *text, err[256];
	long len, cut;

	sample(&m);
	len = manifest__format(&m, &text);
	manifest__free(&m);
	/* every cut short of the whole text is rejected */
	for (cut = 1; cut < len; cut++) {
		ASSERT_NE(0, manifest__parse(text, cut, &m, err, sizeof(err))) TH_LOG("cut %ld", cut);
	}
	/* cut at the end line: no end line */
	cut = strstr(text, "end crc32c") - text;
	EXPECT_EQ(-EINVAL, manifest__parse(text, cut, &m, err, sizeof(err)));
	EXPECT_STREQ("truncated: no end line after line 12", err);
	/* cut in the middle of a line */
	EXPECT_EQ(-EINVAL, manifest__parse(text, 30, &m, err, sizeof(err)));
	EXPECT_STREQ("truncated: line 2 has no newline (no end line)", err);
	free(text);
}

TEST(checksum)
{
	char err[256], *t = edited(4, "kexec_count=3\n");

	EXPECT_EQ(-EBADMSG, parse(t, err, sizeof(err)));
	EXPECT_EQ(0, strncmp(err, "line 13: checksum mismatch (end crc32c=0x", 41)) TH_LOG("%s", err);
	free(t);
}

TEST(duplicate_range)
{
	char err[256], *t = edited(9, "range phys=0x1000 order=0 size=0x1000 crc32c=0x1\n");

	/* line 8 is range 0x1000, line 9 was range 0x3000 */
	reseal(t);
	EXPECT_EQ(-EINVAL, parse(t, err, sizeof(err)));
	EXPECT_STREQ("line 9: duplicate range phys=0x1000 (line 8)", err);
	free(t);
}

TEST(overlapping_range)
{
	char err[256], *t = edited(9, "range phys=0x2000 order=0 size=0x1000 crc32c=0x1\n");

	reseal(t);
	EXPECT_EQ(-EINVAL, parse(t, err, sizeof(err)));
	EXPECT_STREQ("line 9: range phys=0x2000 overlaps range phys=0x1000 size=0x2000 (line 8)",
		     err);
	free(t);
}

TEST(unsorted_range)
{
	char err[256], *t = edited(9, "range phys=0x0 order=0 size=0x1000 crc32c=0x1\n");

	reseal(t);
	EXPECT_EQ(-EINVAL, parse(t, err, sizeof(err)));
	EXPECT_STREQ("line 9: range phys=0x0 not sorted (after phys=0x1000 on line 8)", err);
	free(t);
}

TEST(duplicate_subtree)
{
	char err[256], *t = edited(11, "subtree name=kexec-metadata phys=0x9000 size=0x1 crc32c=-\n");

	reseal(t);
	EXPECT_EQ(-EINVAL, parse(t, err, sizeof(err)));
	EXPECT_STREQ("line 11: duplicate subtree name=kexec-metadata", err);
	free(t);
}

TEST(duplicate_header)
{
	char err[256], *t = edited(3, "kexec_count=1\n");

	reseal(t);
	EXPECT_EQ(-EINVAL, parse(t, err, sizeof(err)));
	EXPECT_STREQ("line 4: bad or duplicate kexec_count", err);
	free(t);
}

TEST(malformed)
{
	static const char *const bad[] = {
		"range phys=0x1000 order=0 size=0x1000\n",			/* no crc */
		"range phys=0x1000 order=0 size=0 crc32c=0x1\n",		/* empty */
		"range phys=0xffffffffffffffff order=0 size=0x2 crc32c=0x1\n",	/* wraps */
		"range phys=-1 order=0 size=0x1000 crc32c=0x1\n",
		"range phys=0x1000 order=99 size=0x1000 crc32c=0x1\n",
		"range phys=0x1000 order=0 size=0x1000 crc32c=0x100000000\n",
		"subtree name=a=b phys=0x1 size=0x1 crc32c=-\n",
		"frobnicate x=1\n",
		"\n",
	};
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *t = edited(8, bad[i]);

		reseal(t);
		EXPECT_EQ(-EINVAL, parse(t, err, sizeof(err))) TH_LOG("accepted: %s", bad[i]);
		EXPECT_EQ(0, strncmp(err, "line 8: ", 8)) TH_LOG("%s", err);
		free(t);
	}
}

TEST(kernel_map)
{
	struct manifest m;
	char err[256];

	manifest__init(&m);
	ASSERT_EQ(0, kho_map_parse(MAP_V "phys=0x5000 order=0 size=0x1000 crc32c=0x1\n"
				   "phys=0x1000 order=2 size=0x4000 crc32c=0xe3069283\n", &m,
				   err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2, m.nr_ranges);
	EXPECT_EQ(0x1000, m.ranges[0].phys);
	EXPECT_EQ(2, m.ranges[0].order);
	EXPECT_EQ(0xe3069283, m.ranges[0].crc);
	EXPECT_EQ(-EINVAL, kho_map_parse(MAP_V "phys=0x1000 size=0x1000\n", &m, err, sizeof(err)));
	EXPECT_STREQ("line 2: expected phys=0x.. order=N size=0x.. crc32c=0x..", err);
	ASSERT_EQ(0, kho_subtrees_parse(SUB_V "name=LUO phys=0x9000 size=0x1000 crc32c=0x2\n", &m,
					err, sizeof(err)));
	ASSERT_EQ(1, m.nr_subtrees);
	EXPECT_STREQ("LUO", m.subtrees[0].name);
	EXPECT_TRUE(m.subtrees[0].has_crc);
	manifest__free(&m);

	/* in/ without kho_crc, or out/ after an unpreserve: crc32c=none */
	manifest__init(&m);
	ASSERT_EQ(0, kho_map_parse(MAP_V "phys=0x1000 order=0 size=0x1000 crc32c=none\n"
				   "phys=0x2000 order=0 size=0x1000 crc32c=0x2\n", &m,
				   err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2, m.nr_ranges);
	EXPECT_TRUE(m.ranges[0].no_crc);
	EXPECT_FALSE(m.ranges[1].no_crc);
	ASSERT_EQ(0, kho_subtrees_parse(SUB_V "name=LUO phys=0x9000 size=0x1000 crc32c=none\n", &m,
					err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_FALSE(m.subtrees[0].has_crc);
	EXPECT_EQ(-EINVAL, kho_map_parse(MAP_V "phys=0x1000 order=0 size=0x1000 crc32c=lost\n", &m,
					 err, sizeof(err)));
	manifest__free(&m);
}

/* out/ranges: where the ranges are, no checksum */
TEST(kernel_ranges)
{
	static const char *const bad[] = {
		RANGES_V "phys=0x1000 size=0x1000\n",
		RANGES_V "order=0 size=0x1000\n",
		RANGES_V "phys=0x1000 order=0\n",
		RANGES_V "phys=0x1000 order=0 size=0\n",
		RANGES_V "phys=0x1000 order=64 size=0x1000\n",
	};
	struct manifest m;
	char err[256];

	manifest__init(&m);
	ASSERT_EQ(0, kho_ranges_parse(RANGES_V "phys=0x5000 order=0 size=0x1000\n"
				      "phys=0x1000 order=2 size=0x4000\n", &m,
				      err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2, m.nr_ranges);
	EXPECT_EQ(0x1000, m.ranges[0].phys);
	EXPECT_EQ(2, m.ranges[0].order);
	EXPECT_EQ(0x4000, m.ranges[0].size);
	EXPECT_TRUE(m.ranges[0].no_crc);
	EXPECT_EQ(0x5000, m.ranges[1].phys);
	manifest__free(&m);

	/* a key a later kernel adds in the same version is skipped */
	manifest__init(&m);
	ASSERT_EQ(0, kho_ranges_parse(RANGES_V "phys=0x1000 order=0 size=0x1000 node=0\n", &m,
				      err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(1, m.nr_ranges);
	EXPECT_EQ(0x1000, m.ranges[0].size);
	manifest__free(&m);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		manifest__init(&m);
		EXPECT_EQ(-EINVAL, kho_ranges_parse(bad[i], &m, err, sizeof(err)))
			TH_LOG("accepted: %s", bad[i]);
		EXPECT_STREQ("line 2: expected phys=0x.. order=N size=0x..", err);
		manifest__free(&m);
	}

	/* a memory map is not a range list, nor the other way round */
	manifest__init(&m);
	EXPECT_EQ(-EPROTO, kho_ranges_parse(MAP_V "phys=0x1000 order=0 size=0x1000 crc32c=0x1\n",
					    &m, err, sizeof(err)));
	EXPECT_STREQ("format 'memory_map' version 1, expected format 'ranges'", err);
	EXPECT_EQ(-EPROTO, kho_map_parse(RANGES_V "phys=0x1000 order=0 size=0x1000\n",
					 &m, err, sizeof(err)));
	EXPECT_STREQ("format 'ranges' version 1, expected format 'memory_map'", err);
	manifest__free(&m);
}

/* in/memory_map when the previous kernel sent its handover checksums */
TEST(kho_map_sent)
{
	static const char *const bad[] = {
		/* a listed range without its reboot checksum */
		MAP_V "# sent=1\nphys=0x1000 order=0 size=0x1000 crc32c=0x1 sent=0x1\n",
		/* no sent field at all */
		MAP_V "# sent=1\nphys=0x1000 order=0 size=0x1000 crc32c=0x1\n",
		/* lost, but not listed */
		MAP_V "# sent=1\nphys=0x1000 order=0 size=0x1000 crc32c=lost sent=none\n",
		MAP_V "# sent=1\nphys=0x1000 order=0 size=0x1000 crc32c=0x1 sent=carrier reboot=0x1\n",
		MAP_V "# sent=1\nphys=0x1000 order=0 size=0x1000 crc32c=0x1 sent=0x1 reboot=maybe\n",
		/* lost without the header */
		MAP_V "phys=0x1000 order=0 size=0x1000 crc32c=lost\n",
		/* the header after the ranges, or not a number */
		MAP_V "phys=0x1000 order=0 size=0x1000 crc32c=0x1\n# sent=1\n",
		MAP_V "# sent=x\n",
		/* fewer handed over than listed, or junk after the counts */
		MAP_V "# sent=2 ranges=1\n",
		MAP_V "# sent=1 ranges=2 more=3\n",
		MAP_V "# sent=1 ranges=x\n",
		/* late is a sent value, not a checksum */
		MAP_V "# sent=1\nphys=0x1000 order=0 size=0x1000 crc32c=late sent=0x1 reboot=0x1\n",
		MAP_V "# sent=1\nphys=0x1000 order=0 size=0x1000 crc32c=0x1 sent=late reboot=0x1\n",
	};
	struct manifest m;
	char err[256];

	manifest__init(&m);
	ASSERT_EQ(0, kho_map_parse(MAP_V "# crc32c=received\n# sent=4\n"
				   "phys=0x1000 order=0 size=0x1000 crc32c=0x1 sent=0x1 reboot=0x2\n"
				   "phys=0x2000 order=0 size=0x1000 crc32c=0x3 sent=0x3 reboot=none\n"
				   "phys=0x3000 order=0 size=0x1000 crc32c=0x4 sent=carrier\n"
				   "phys=0x4000 order=0 size=0x1000 crc32c=0x5 sent=none\n"
				   "phys=0x5000 order=1 size=0x2000 crc32c=lost sent=0x6 reboot=0x6\n"
				   "phys=0x8000 order=0 size=0x1000 crc32c=0x7 sent=0x7 reboot=0x7\n",
				   &m, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_TRUE(m.crc_received);
	EXPECT_TRUE(m.have_sent);
	EXPECT_EQ(4, m.nr_sent);
	ASSERT_EQ(6, m.nr_ranges);
	EXPECT_EQ(MF_SENT_LISTED, m.ranges[0].sent);
	EXPECT_EQ(1, m.ranges[0].sent_crc);
	EXPECT_TRUE(m.ranges[0].has_reboot);
	EXPECT_EQ(2, m.ranges[0].reboot_crc);
	EXPECT_EQ(MF_SENT_LISTED, m.ranges[1].sent);
	EXPECT_FALSE(m.ranges[1].has_reboot);
	EXPECT_EQ(MF_SENT_CARRIER, m.ranges[2].sent);
	EXPECT_EQ(MF_SENT_NONE, m.ranges[3].sent);
	EXPECT_EQ(MF_SENT_LOST, m.ranges[4].sent);
	EXPECT_EQ(6, m.ranges[4].sent_crc);
	EXPECT_EQ(0x2000, m.ranges[4].size);
	EXPECT_EQ(0, m.nr_sent_ranges);
	manifest__free(&m);

	/* a full list: N of M listed; the blackout page written after it */
	manifest__init(&m);
	ASSERT_EQ(0, kho_map_parse(MAP_V "# crc32c=received\n# sent=1 ranges=3\n"
				   "phys=0x1000 order=0 size=0x1000 crc32c=0x1 sent=0x1 reboot=0x1\n"
				   "phys=0x2000 order=0 size=0x1000 crc32c=0x2 sent=late\n"
				   "phys=0x3000 order=0 size=0x1000 crc32c=0x3 sent=none\n",
				   &m, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(1, m.nr_sent);
	EXPECT_EQ(3, m.nr_sent_ranges);
	EXPECT_EQ(MF_SENT_LATE, m.ranges[1].sent);
	EXPECT_EQ(MF_SENT_NONE, m.ranges[2].sent);
	manifest__free(&m);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		manifest__init(&m);
		EXPECT_EQ(-EINVAL, kho_map_parse(bad[i], &m, err, sizeof(err))) TH_LOG("%s", bad[i]);
		EXPECT_EQ(0, strncmp(err, "line ", 5)) TH_LOG("%s", err);
		manifest__free(&m);
	}
}

/*
 * The format line comes first: a missing one, another format's or a newer
 * version is refused with a message that names what was found and what
 * this khotrace reads, never parsed as records.
 */
TEST(kernel_format_line)
{
	static const struct {
		const char *text;
		const char *err;
	} bad[] = {
		{ "phys=0x1000 order=0 size=0x1000 crc32c=0x1\n",
		  "no format line: 'phys=0x1000 order=0 size=0x1000 crc32c=0x1', expected "
		  "'# kho memory_map - version: N' (a kernel without versioned formats?)" },
		{ "",
		  "no format line: '', expected '# kho memory_map - version: N' (a kernel "
		  "without versioned formats?)" },
		{ SUB_V "phys=0x9000 size=0x1000 crc32c=0x2 name=LUO\n",
		  "format 'subtrees' version 1, expected format 'memory_map'" },
		{ "# kho memory_map - version: 2\nphys=0x1000 order=0 size=0x1000 crc32c=0x1\n",
		  "format 'memory_map' version 2 is newer than version 1, the newest this "
		  "khotrace reads" },
		{ "# kho memory_map - version: 1x\n",
		  "no format line: '# kho memory_map - version: 1x', expected "
		  "'# kho memory_map - version: N' (a kernel without versioned formats?)" },
	};
	struct manifest m;
	const char *rest;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		manifest__init(&m);
		EXPECT_EQ(-EPROTO, kho_map_parse(bad[i].text, &m, err, sizeof(err)));
		EXPECT_STREQ(bad[i].err, err);
		EXPECT_EQ(0, m.nr_ranges);
		manifest__free(&m);
	}
	manifest__init(&m);
	EXPECT_EQ(-EPROTO, kho_subtrees_parse(MAP_V, &m, err, sizeof(err)));
	EXPECT_STREQ("format 'memory_map' version 1, expected format 'subtrees'", err);
	manifest__free(&m);

	/* with the file's path, as the readers of debugfs report it */
	EXPECT_EQ(-EPROTO, kho_format__check("seq=0 event=disabled result=kdump ret=0\n",
					     "/sys/kernel/debug/kho/bootlog", KHO_FMT_BOOTLOG,
					     &rest, err, sizeof(err)));
	EXPECT_STREQ("/sys/kernel/debug/kho/bootlog: no format line: 'seq=0 event=disabled "
		     "result=kdump ret=0', expected '# kho bootlog - version: N' (a kernel "
		     "without versioned formats?)", err);
	/* an older or the same version, and a minor one, are read */
	ASSERT_EQ(0, kho_format__check("# kho bootlog - version: 1.3\nseq=0\n", NULL,
				       KHO_FMT_BOOTLOG, &rest, err, sizeof(err)));
	EXPECT_STREQ("seq=0\n", rest);
}

TEST_HARNESS_MAIN
