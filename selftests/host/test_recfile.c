// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* record file round trip and precise errors */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "recfile.h"

FIXTURE(recfile) {
	char path[64];
};

FIXTURE_SETUP(recfile)
{
	int fd;

	strcpy(self->path, "/tmp/khotrace-test-XXXXXX");
	fd = mkstemp(self->path);
	ASSERT_LE(0, fd);
	close(fd);
}

FIXTURE_TEARDOWN(recfile)
{
	unlink(self->path);
}

static void write_file(struct __test_metadata *_metadata, const char *path, __u32 version)
{
	struct kho_scratch_area area = { .addr = 0x1000000, .size = 0x200000 };
	struct kt_rec_totals t = { .duration_ns = 42 };
	struct kt_rec_header hdr;
	struct kt_record r = {};
	struct recfile *rf;
	int err = 0;

	recfile__init_header(&hdr, KT_MODE_FENTRY);
	hdr.version = version;
	rf = recfile__create(path, &hdr, &err);
	ASSERT_NE(NULL, rf);
	ASSERT_EQ(0, recfile__write_scratch(rf, &area, 1));
	for (int i = 0; i < 3; i++) {
		r.ev.type = KT_EV_PRESERVE;
		r.ev.phys = 0x1000ULL * i;
		r.ev.size = 4096;
		snprintf(r.producer, sizeof(r.producer), "p%d", i);
		ASSERT_EQ(0, recfile__write_record(rf, &r));
	}
	t.totals.lost = 7;
	ASSERT_EQ(0, recfile__write_totals(rf, &t));
	ASSERT_EQ(0, recfile__close(rf));
}

TEST_F(recfile, round_trip)
{
	struct recording rec;
	char err[256];

	write_file(_metadata, self->path, KT_RECFILE_VERSION);
	ASSERT_EQ(0, recfile__load(self->path, &rec, err, sizeof(err)));
	EXPECT_EQ(KT_MODE_FENTRY, rec.hdr.mode);
	EXPECT_EQ(3, rec.nr_records);
	EXPECT_EQ(0x2000, rec.records[2].ev.phys);
	EXPECT_STREQ("p2", rec.records[2].producer);
	EXPECT_EQ(1, rec.nr_scratch);
	EXPECT_EQ(0x200000, rec.scratch[0].size);
	EXPECT_TRUE(rec.has_totals);
	EXPECT_EQ(42, rec.totals.duration_ns);
	EXPECT_EQ(7, rec.totals.totals.lost);
	recording__free(&rec);
}

TEST_F(recfile, version_mismatch)
{
	struct recording rec;
	char err[256], want[256];

	write_file(_metadata, self->path, KT_RECFILE_VERSION + 1);
	EXPECT_EQ(-EPROTO, recfile__load(self->path, &rec, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: unsupported record file version %u (expected %u)",
		 self->path, KT_RECFILE_VERSION + 1, KT_RECFILE_VERSION);
	EXPECT_STREQ(want, err);
}

TEST_F(recfile, not_a_record_file)
{
	struct recording rec;
	char err[256], want[256];
	FILE *f = fopen(self->path, "w");

	ASSERT_NE(NULL, f);
	fputs("hello, this is not a khotrace file at all, just text....................", f);
	fclose(f);
	EXPECT_EQ(-EINVAL, recfile__load(self->path, &rec, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: not a khotrace record file", self->path);
	EXPECT_STREQ(want, err);
}

TEST_F(recfile, truncated)
{
	struct recording rec;
	char err[256], want[256];

	write_file(_metadata, self->path, KT_RECFILE_VERSION);
	/* drop the totals section */
	ASSERT_EQ(0, truncate(self->path, sizeof(struct kt_rec_header) +
			      sizeof(struct kt_rec_section) + sizeof(struct kho_scratch_area) +
			      3 * (sizeof(struct kt_rec_section) + sizeof(struct kt_record))));
	EXPECT_EQ(-EINVAL, recfile__load(self->path, &rec, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: truncated record file (no totals section)", self->path);
	EXPECT_STREQ(want, err);
}

TEST_HARNESS_MAIN
