// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* report tables and histograms from synthetic events */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "hist.h"
#include "summary.h"

static void add(struct recording *rec, const char *producer, __u32 type, __u32 kind,
		__u64 size, __u32 calls, __u32 err)
{
	struct kt_record *r = &rec->records[rec->nr_records++];

	memset(r, 0, sizeof(*r));
	r->ev.type = type;
	r->ev.kind = kind;
	r->ev.size = size;
	r->ev.nr_calls = calls;
	r->ev.err = err;
	r->ev.aux32[KT_AUX_AREA] = KT_NO_AREA;
	snprintf(r->producer, sizeof(r->producer), "%s", producer);
}

FIXTURE(report) {
	struct recording rec;
	char *out;
	size_t len;
};

FIXTURE_SETUP(report)
{
	struct kt_totals *t = &self->rec.totals.totals;

	memset(&self->rec, 0, sizeof(self->rec));
	self->rec.records = calloc(16, sizeof(struct kt_record));
	ASSERT_NE(NULL, self->rec.records);
	self->rec.has_totals = true;
	self->rec.hdr.mode = KT_MODE_FENTRY;
	add(&self->rec, "test_kho", KT_EV_PRESERVE, KT_KIND_FOLIO, 8192, 2, 0);
	add(&self->rec, "luo/memfd", KT_EV_PRESERVE, KT_KIND_FOLIO, 65536, 16, 0);
	add(&self->rec, "test_kho", KT_EV_PRESERVE, KT_KIND_PAGES, 4096, 1, 0);
	/* wrappers and failures are not producer bytes */
	add(&self->rec, "test_kho", KT_EV_PRESERVE, KT_KIND_VMALLOC, 4096, 1, 0);
	add(&self->rec, "reserve_mem", KT_EV_PRESERVE, KT_KIND_PAGES, 4096, 1, 22);
	self->rec.nr_scratch = 1;
	self->rec.scratch = calloc(1, sizeof(*self->rec.scratch));
	self->rec.scratch[0].addr = 0x100000000ULL;
	self->rec.scratch[0].size = 1 << 20;
	add(&self->rec, "kexec", KT_EV_SCRATCH_PLACE, KT_KIND_NONE, 4096, 1, 0);
	self->rec.records[self->rec.nr_records - 1].ev.phys = 0x100001000ULL;

	t->by_kind[KT_EV_PRESERVE][KT_KIND_FOLIO] = (struct kt_count){ .calls = 18, .bytes = 73728 };
	t->by_kind[KT_EV_PRESERVE][KT_KIND_PAGES] = (struct kt_count){ .calls = 2, .bytes = 4096, .errors = 1 };
	t->by_order[KT_EV_PRESERVE][0] = (struct kt_count){ .calls = 19, .bytes = 77824 };
	t->by_node[KT_EV_PRESERVE][0] = (struct kt_count){ .calls = 19, .bytes = 77824 };
	t->size_hist[KT_EV_PRESERVE].slots[12] = 19;
	t->lost = 3;
	self->rec.totals.duration_ns = 1500000000ULL;
}

FIXTURE_TEARDOWN(report)
{
	recording__free(&self->rec);
	free(self->out);
}

TEST_F(report, producers_sorted_by_bytes)
{
	struct producer_row *rows;
	int nr = summary__producers(&self->rec, SORT_BYTES, &rows);

	ASSERT_EQ(2, nr);
	EXPECT_STREQ("luo/memfd", rows[0].name);
	EXPECT_EQ(65536, rows[0].bytes);
	EXPECT_STREQ("test_kho", rows[1].name);
	EXPECT_EQ(12288, rows[1].bytes);
	EXPECT_EQ(3, rows[1].calls);
	EXPECT_EQ(2, rows[1].ranges);
	free(rows);
}

TEST_F(report, producers_sorted_by_ranges)
{
	struct producer_row *rows;
	int nr = summary__producers(&self->rec, SORT_RANGES, &rows);

	ASSERT_EQ(2, nr);
	EXPECT_STREQ("test_kho", rows[0].name);
	free(rows);
}

TEST_F(report, sort_keys)
{
	EXPECT_EQ(SORT_CALLS, summary__parse_sort("calls"));
	EXPECT_EQ(-1, summary__parse_sort("size"));
}

TEST_F(report, text_report)
{
	FILE *f = open_memstream(&self->out, &self->len);

	ASSERT_NE(NULL, f);
	summary__print(f, &self->rec, SORT_BYTES);
	fclose(f);
	EXPECT_EQ(0, strncmp("# khotrace report\n", self->out, 18));
	EXPECT_NE(NULL, strstr(self->out, "# events: 6, lost: 3, duration: 1.500 s"));
	/* 65536 of 77824 preserved bytes */
	EXPECT_NE(NULL, strstr(self->out, "         65536  84.21%         16        1  luo/memfd"));
	EXPECT_NE(NULL, strstr(self->out, "# note: 3 events lost"));
	EXPECT_NE(NULL, strstr(self->out, "      4096 -> 8191       : 19       |****************************************|"));
	/* scratch: one 4 KiB segment in a 1 MiB area */
	EXPECT_NE(NULL, strstr(self->out, "   0 0x0000000100000000        1048576        1           4096        1044480"));
	EXPECT_NE(NULL, strstr(self->out, "# 1 failed calls"));
	EXPECT_NE(NULL, strstr(self->out, "preserve       pages    reserve_mem      EINVAL"));
}

TEST_F(report, json_report)
{
	FILE *f = open_memstream(&self->out, &self->len);

	ASSERT_NE(NULL, f);
	summary__json(f, &self->rec, SORT_BYTES);
	fclose(f);
	EXPECT_EQ('{', self->out[0]);
	EXPECT_NE(NULL, strstr(self->out, "\"producers\":[{\"producer\":\"luo/memfd\",\"bytes\":65536"));
	EXPECT_NE(NULL, strstr(self->out, "\"lost\":3"));
	EXPECT_EQ('\n', self->out[self->len - 1]);
}

TEST(log2_hist_layout)
{
	__u64 vals[KT_MAX_SLOTS] = { [0] = 1, [2] = 4, [3] = 2 };
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	ASSERT_NE(NULL, f);
	print_log2_hist(f, vals, KT_MAX_SLOTS, "nsecs");
	fclose(f);
	EXPECT_STREQ("     nsecs               : count    distribution\n"
		     "         0 -> 1          : 1        |**********                              |\n"
		     "         2 -> 3          : 0        |                                        |\n"
		     "         4 -> 7          : 4        |****************************************|\n"
		     "         8 -> 15         : 2        |********************                    |\n",
		     out);
	EXPECT_EQ(7, hist_total(vals, KT_MAX_SLOTS));
	free(out);
}

TEST(producer_from_frames)
{
	const char *memfd[] = { "bpf_prog_x", "bpf_trampoline_1", "memfd_luo_preserve",
				"luo_preserve_file" };
	const char *meta[] = { "kho_alloc_preserve", "kho_out_kexec_metadata", "kho_init" };
	const char *other[] = { "kho_preserve_pages", "my_driver_fn" };
	char buf[KT_PRODUCER_LEN];

	kt_producer_from_frames(memfd, 4, buf, sizeof(buf));
	EXPECT_STREQ("luo/memfd", buf);
	kt_producer_from_frames(meta, 3, buf, sizeof(buf));
	EXPECT_STREQ("kexec metadata", buf);
	kt_producer_from_frames(other, 2, buf, sizeof(buf));
	EXPECT_STREQ("my_driver_fn", buf);
	kt_producer_from_frames(other, 1, buf, sizeof(buf));
	EXPECT_STREQ("unknown", buf);
}

TEST(event_mask)
{
	__u32 mask;

	ASSERT_EQ(0, kt_parse_event_mask("preserve,subtree", &mask));
	EXPECT_EQ(1U << KT_EV_PRESERVE | 1U << KT_EV_SUBTREE_ADD | 1U << KT_EV_SUBTREE_REMOVE, mask);
	EXPECT_EQ(-EINVAL, kt_parse_event_mask("preserve,nope", &mask));
	/* boot-time events: no program is loaded for them */
	EXPECT_EQ(-EOPNOTSUPP, kt_parse_event_mask("preserve,init", &mask));
	EXPECT_EQ(-EOPNOTSUPP, kt_parse_event_mask("kexec_metadata", &mask));
}

TEST_HARNESS_MAIN
