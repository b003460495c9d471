// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* verify: compare logic for every mismatch kind, a whole snapshot/verify
 * on fake debugfs trees, and the exit code of 'khotrace verify' here */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libfdt.h>

#include "kselftest_harness.h"
#include "helpers.h"

/* the first line of debugfs kho/{in,out}/memory_map */
#define MAP_V	"# kho memory_map - version: 1\n"
#include "crc32c.h"
#include "fdt.h"
#include "handover.h"
#include "kho_state.h"
#include "manifest.h"
#include "verify.h"

static void base(struct manifest *m, __u32 count, const char *release)
{
	manifest__init(m);
	strcpy(m->release, release);
	m->kexec_count = count;
	m->have_ranges = true;
	manifest__add_scratch(m, 0x1000000, 0x1000000);
	manifest__add_range(m, 0x10000, 0, 0x1000, 0x11);
	manifest__add_range(m, 0x20000, 1, 0x2000, 0x22);
	manifest__add_range(m, 0x40000, 2, 0x4000, 0x44);
	manifest__add_subtree(m, "kexec-metadata", 0x7000, 73, true, 0x77);
	manifest__add_subtree(m, "memblock", 0x9000, 0x1000, true, 0x99);
}

FIXTURE(cmp) {
	struct manifest want, got;
	struct vf_result res;
};

FIXTURE_SETUP(cmp)
{
	base(&self->want, 1, "old");
	base(&self->got, 2, "old");	/* received: count + 1, previous release */
	self->got.crc_received = true;
	memset(&self->res, 0, sizeof(self->res));
}

FIXTURE_TEARDOWN(cmp)
{
	manifest__free(&self->want);
	manifest__free(&self->got);
	verify__free(&self->res);
}

/* the only mismatch of the result: its kind and item */
static const struct vf_item *only_mismatch(const struct vf_result *r)
{
	const struct vf_item *found = NULL;

	for (int i = 0; i < r->nr; i++) {
		if (r->items[i].kind == VF_OK)
			continue;
		if (found)
			return NULL;
		found = &r->items[i];
	}
	return found;
}

#define EXPECT_ONE(kind_, what_) do {						\
	const struct vf_item *it;						\
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));	\
	EXPECT_EQ(1, self->res.nr_mismatch);					\
	it = only_mismatch(&self->res);						\
	ASSERT_NE(NULL, it);							\
	EXPECT_EQ(kind_, it->kind);						\
	EXPECT_STREQ(what_, it->what);						\
	TH_LOG("%s: %s: %s", vf_kind_name(it->kind), it->what, it->detail);	\
} while (0)

TEST_F(cmp, all_ok)
{
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	/* count, release, 1 scratch, 2 subtrees, 3 ranges */
	EXPECT_EQ(8, self->res.nr_items);
	EXPECT_EQ(8, self->res.nr_ok);
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_TRUE(self->res.ranges_compared);
}

TEST_F(cmp, kexec_count)
{
	self->got.kexec_count = 1;	/* not incremented */
	EXPECT_ONE(VF_VALUE, "kexec count");
	EXPECT_STREQ("expected 2 (manifest's 1 + 1), received 1", self->res.items[0].detail);
}

TEST_F(cmp, release)
{
	strcpy(self->got.release, "other");
	EXPECT_ONE(VF_VALUE, "previous release");
}

TEST_F(cmp, range_missing)
{
	self->got.nr_ranges = 2;	/* drop 0x40000 */
	EXPECT_ONE(VF_MISSING, "range 0x40000");
}

TEST_F(cmp, range_extra)
{
	manifest__add_range(&self->got, 0x80000, 0, 0x1000, 0x88);
	EXPECT_ONE(VF_EXTRA, "range 0x80000");
}

TEST_F(cmp, range_moved)
{
	self->got.ranges[2].phys = 0x80000;	/* same size and bytes elsewhere */
	EXPECT_ONE(VF_MOVED, "range 0x40000");
}

TEST_F(cmp, range_resized)
{
	self->got.ranges[1].size = 0x1000;
	EXPECT_ONE(VF_RESIZED, "range 0x20000");
}

TEST_F(cmp, range_checksum)
{
	self->got.ranges[0].crc = 0x12;
	EXPECT_ONE(VF_CHECKSUM, "range 0x10000");
	EXPECT_STREQ("size 0x1000 crc32c 0x00000011 -> 0x00000012", only_mismatch(&self->res)->detail);
}

TEST_F(cmp, range_bytes_read_late_not_compared)
{
	/* the kernel computed the received crc32c when the map was read */
	self->got.crc_received = false;
	self->got.ranges[0].crc = 0x12;
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_TRUE(self->res.ranges_compared);
	EXPECT_FALSE(self->res.bytes_compared);
	EXPECT_NE(0, self->res.bytes_reason[0]);
	/* places and sizes still are */
	verify__free(&self->res);
	self->got.ranges[1].size = 0x1000;
	EXPECT_ONE(VF_RESIZED, "range 0x20000");
}

TEST_F(cmp, luo_subtree_rewritten_at_reboot)
{
	manifest__add_subtree(&self->want, "LUO", 0xa000, 0x20, true, 0xaa);
	manifest__add_subtree(&self->got, "LUO", 0xa000, 0x20, true, 0xab);
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	verify__free(&self->res);
	self->got.subtrees[2].phys = 0xb000;
	EXPECT_ONE(VF_MOVED, "subtree LUO");
}

TEST_F(cmp, range_moved_elsewhere_changed_is_missing_and_extra)
{
	self->got.ranges[2].phys = 0x80000;
	self->got.ranges[2].crc = 0x45;
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(2, self->res.nr_mismatch);
}

TEST_F(cmp, subtree_missing)
{
	self->got.nr_subtrees = 1;
	EXPECT_ONE(VF_MISSING, "subtree memblock");
}

TEST_F(cmp, subtree_extra)
{
	manifest__add_subtree(&self->got, "LUO", 0xa000, 0x1000, true, 0xaa);
	EXPECT_ONE(VF_EXTRA, "subtree LUO");
}

TEST_F(cmp, subtree_moved)
{
	self->got.subtrees[1].phys = 0xb000;
	EXPECT_ONE(VF_MOVED, "subtree memblock");
}

TEST_F(cmp, subtree_resized)
{
	self->got.subtrees[0].size = 80;
	EXPECT_ONE(VF_RESIZED, "subtree kexec-metadata");
}

TEST_F(cmp, subtree_checksum)
{
	self->got.subtrees[1].crc = 0x98;
	EXPECT_ONE(VF_CHECKSUM, "subtree memblock");
}

TEST_F(cmp, subtree_unknown_crc_not_compared)
{
	self->got.subtrees[1].crc = 0x98;
	self->got.subtrees[1].has_crc = false;
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
}

TEST_F(cmp, scratch)
{
	self->got.scratch[0].addr = 0x2000000;
	EXPECT_ONE(VF_MOVED, "scratch 0");
	verify__free(&self->res);
	self->got.scratch[0].addr = 0x1000000;
	self->got.scratch[0].size = 0x800000;
	EXPECT_ONE(VF_RESIZED, "scratch 0");
	verify__free(&self->res);
	self->got.scratch[0].size = 0x1000000;
	manifest__add_scratch(&self->got, 0x8000000, 0x100000);
	EXPECT_ONE(VF_EXTRA, "scratch 1");
	verify__free(&self->res);
	self->got.nr_scratch = 0;
	EXPECT_ONE(VF_MISSING, "scratch 0");
}

TEST_F(cmp, carrier_not_reported)
{
	/* the manifest's own memfd folios and session metadata */
	manifest__add_carrier(&self->want, 0x100000, 0x4000);
	manifest__add_range(&self->got, 0x100000, 0, 0x1000, 0x1);
	manifest__add_range(&self->got, 0x103000, 0, 0x1000, 0x2);
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_EQ(2, self->res.nr_carrier);
	/* an extra range next to, not in, the carrier is still extra */
	verify__free(&self->res);
	manifest__add_range(&self->got, 0x104000, 0, 0x1000, 0x3);
	EXPECT_ONE(VF_EXTRA, "range 0x104000");
}

TEST_F(cmp, ranges_unavailable_skipped)
{
	self->got.have_ranges = false;
	self->got.nr_ranges = 0;
	strcpy(self->got.ranges_reason, "no in/memory_map");
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_FALSE(self->res.ranges_compared);
	EXPECT_STREQ("received: no in/memory_map", self->res.ranges_reason);
	EXPECT_EQ(5, self->res.nr_items);	/* ranges are not items */
	EXPECT_EQ(0, self->res.nr_mismatch);
}

/*
 * --- with the previous kernel's handover checksums (kho_crc=on) ---
 * every received range listed, its bytes unchanged at reboot and handover
 */
static void sent_all(struct manifest *got)
{
	got->have_sent = true;
	got->nr_sent = got->nr_ranges;
	for (int i = 0; i < got->nr_ranges; i++) {
		struct mf_range *r = &got->ranges[i];

		r->sent = MF_SENT_LISTED;
		r->sent_crc = r->reboot_crc = r->crc;
		r->has_reboot = true;
	}
}

TEST_F(cmp, sent_all_ok)
{
	sent_all(&self->got);
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	/* count, release, 1 scratch, 2 subtrees, the list, 3 ranges */
	EXPECT_EQ(9, self->res.nr_items);
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_TRUE(self->res.sent_compared);
	EXPECT_EQ(0, self->res.nr_rewritten);
}

TEST_F(cmp, sent_not_compared_without_received_bytes)
{
	sent_all(&self->got);
	self->got.crc_received = false;
	self->got.ranges[0].crc = 0x12;
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_FALSE(self->res.sent_compared);
	EXPECT_EQ(0, self->res.nr_mismatch);
}

TEST_F(cmp, sent_rewritten_by_live_update)
{
	/* snapshot 0x11 == reboot, Live Update wrote 0x12, received as sent */
	sent_all(&self->got);
	self->got.ranges[0].crc = self->got.ranges[0].sent_crc = 0x12;
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_EQ(1, self->res.nr_rewritten);
}

TEST_F(cmp, sent_changed_after_snapshot)
{
	sent_all(&self->got);
	self->got.ranges[0].crc = self->got.ranges[0].sent_crc = 0x12;
	self->got.ranges[0].reboot_crc = 0x12;
	EXPECT_ONE(VF_CHECKSUM, "range 0x10000");
	EXPECT_STREQ("size 0x1000 changed after the snapshot: crc32c 0x00000011, 0x00000012 "
		     "when the reboot began", only_mismatch(&self->res)->detail);
}

TEST_F(cmp, sent_changed_in_handover)
{
	sent_all(&self->got);
	self->got.ranges[1].crc = 0x23;
	EXPECT_ONE(VF_CHECKSUM, "range 0x20000");
	EXPECT_STREQ("size 0x2000 changed in the handover: crc32c 0x00000022 as handed over, "
		     "0x00000023 as received", only_mismatch(&self->res)->detail);
}

TEST_F(cmp, sent_rewritten_then_changed_in_handover)
{
	/* Live Update's rewrite does not excuse a change after it */
	sent_all(&self->got);
	self->got.ranges[0].sent_crc = 0x12;
	self->got.ranges[0].crc = 0x13;
	EXPECT_ONE(VF_CHECKSUM, "range 0x10000");
	EXPECT_EQ(0, self->res.nr_rewritten);
}

TEST_F(cmp, sent_lost)
{
	sent_all(&self->got);
	self->got.ranges[2].sent = MF_SENT_LOST;
	EXPECT_ONE(VF_MISSING, "range 0x40000");
}

TEST_F(cmp, sent_received_but_not_listed)
{
	sent_all(&self->got);
	self->got.ranges[2].sent = MF_SENT_NONE;
	self->got.nr_sent--;
	EXPECT_ONE(VF_MISSING, "range 0x40000");
}

TEST_F(cmp, sent_list_count)
{
	sent_all(&self->got);
	self->got.nr_sent++;
	EXPECT_ONE(VF_VALUE, "handover checksums");
}

/* the list was handed over (kho-crc subtree) but this kernel rejected it */
TEST_F(cmp, sent_rejected)
{
	manifest__add_subtree(&self->want, "kho-crc", 0xa000, 32, true, 0xaa);
	manifest__add_subtree(&self->got, "kho-crc", 0xa000, 32, true, 0xaa);
	EXPECT_ONE(VF_VALUE, "handover checksums");
	EXPECT_TRUE(self->res.sent_rejected);
	/* not when this kernel did not read what it received */
	verify__free(&self->res);
	self->got.crc_received = false;
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
}

/* no manifest: every received range against what was listed as sent */
TEST_F(cmp, handover_only)
{
	sent_all(&self->got);
	ASSERT_EQ(0, verify__handover(&self->got, &self->res, NULL, 0));
	EXPECT_TRUE(self->res.handover_only);
	EXPECT_TRUE(self->res.sent_compared);
	EXPECT_EQ(3, self->res.nr_items);
	EXPECT_EQ(0, self->res.nr_mismatch);
	verify__free(&self->res);

	self->got.ranges[0].crc = 0x12;		/* changed in the handover */
	self->got.ranges[1].sent = MF_SENT_LOST;
	self->got.ranges[2].sent = MF_SENT_NONE;
	self->got.nr_sent--;
	ASSERT_EQ(0, verify__handover(&self->got, &self->res, NULL, 0));
	EXPECT_EQ(3, self->res.nr_mismatch);
	EXPECT_EQ(VF_CHECKSUM, self->res.items[0].kind);
	EXPECT_STREQ("range 0x10000", self->res.items[0].what);
	EXPECT_EQ(VF_MISSING, self->res.items[1].kind);
	EXPECT_EQ(VF_EXTRA, self->res.items[2].kind);
	EXPECT_STREQ("size 0x4000 crc32c 0x00000044, not listed by the previous kernel",
		     self->res.items[2].detail);
}

TEST_F(cmp, handover_only_without_lists)
{
	ASSERT_EQ(0, verify__handover(&self->got, &self->res, NULL, 0));
	EXPECT_FALSE(self->res.sent_compared);
	EXPECT_EQ(0, self->res.nr_items);
}

TEST_F(cmp, sent_extra_ranges)
{
	struct mf_range *r;

	/* the pages of the list itself: counted, not compared */
	manifest__add_range(&self->got, 0x80000, 0, 0x1000, 0x88);
	sent_all(&self->got);
	self->got.ranges[3].sent = MF_SENT_CARRIER;
	self->got.nr_sent--;
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_EQ(1, self->res.nr_sent_carrier);

	/* preserved by Live Update while it froze: ok when received as sent */
	verify__free(&self->res);
	r = &self->got.ranges[3];
	r->sent = MF_SENT_LISTED;
	r->has_reboot = false;
	self->got.nr_sent++;
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_EQ(1, self->res.nr_luo_new);
	verify__free(&self->res);
	r->crc = 0x89;
	EXPECT_ONE(VF_CHECKSUM, "range 0x80000");

	/* preserved after the snapshot, before the reboot: extra */
	verify__free(&self->res);
	r->crc = 0x88;
	r->has_reboot = true;
	EXPECT_ONE(VF_EXTRA, "range 0x80000");
}

TEST_F(cmp, sent_manifest_carrier_checked)
{
	manifest__add_carrier(&self->want, 0x100000, 0x4000);
	manifest__add_range(&self->got, 0x100000, 0, 0x1000, 0x1);
	sent_all(&self->got);
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_EQ(1, self->res.nr_carrier);
	verify__free(&self->res);
	self->got.ranges[3].crc = 0x2;
	EXPECT_ONE(VF_CHECKSUM, "range 0x100000");
}

TEST_F(cmp, sent_late_not_compared)
{
	/* the kernel marks the page it stamps after the handover checksums */
	manifest__add_subtree(&self->want, "kho-blackout", 0x10000, 0x38, true, 0xb0);
	manifest__add_subtree(&self->got, "kho-blackout", 0x10000, 0x38, true, 0xb1);
	sent_all(&self->got);
	self->got.ranges[0].sent = MF_SENT_LATE;
	self->got.ranges[0].crc = 0x12;
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_EQ(1, self->res.nr_late);
}

TEST_F(cmp, sent_stamps_page_compared_unless_late)
{
	/* no name is special: a listed page that changed is a mismatch */
	manifest__add_subtree(&self->want, "kho-blackout", 0x10000, 0x38, true, 0xb0);
	manifest__add_subtree(&self->got, "kho-blackout", 0x10000, 0x38, true, 0xb1);
	sent_all(&self->got);
	self->got.ranges[0].crc = 0x12;
	EXPECT_ONE(VF_CHECKSUM, "range 0x10000");
}

TEST_F(cmp, sent_list_full)
{
	/* beyond a full list: compared from the snapshot to the boot */
	sent_all(&self->got);
	self->got.nr_sent = self->got.nr_ranges - 1;
	self->got.nr_sent_ranges = self->got.nr_ranges;
	self->got.ranges[2].sent = MF_SENT_NONE;
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_TRUE(self->res.list_full);
	verify__free(&self->res);
	self->got.ranges[2].crc ^= 1;
	EXPECT_ONE(VF_CHECKSUM, "range 0x40000");
	verify__free(&self->res);
	/* without ranges=M, an unlisted range is still a mismatch */
	self->got.ranges[2].crc ^= 1;
	self->got.nr_sent_ranges = 0;
	EXPECT_ONE(VF_MISSING, "range 0x40000");
}

/*
 * A reserve_mem region of three pages: the manifest has the crc32c of its
 * bytes, the received map three ranges with the crc32c of each page.
 */
static unsigned char region_bytes[3 * 4096];

static void add_region(struct manifest *want, struct manifest *got)
{
	for (size_t i = 0; i < sizeof(region_bytes); i++)
		region_bytes[i] = i * 7 + (i >> 12);
	manifest__add_region(want, "khotrace_rm", 0x100000, sizeof(region_bytes), true,
			     crc32c(region_bytes, sizeof(region_bytes)));
	manifest__add_region(got, "khotrace_rm", 0x100000, sizeof(region_bytes), false, 0);
	for (int i = 0; i < 3; i++)
		manifest__add_range(got, 0x100000 + i * 4096, 0, 4096,
				    crc32c(region_bytes + i * 4096, 4096));
	manifest__sort(got);
}

TEST_F(cmp, region_bytes_joined_from_ranges)
{
	add_region(&self->want, &self->got);
	/* the region's pages are received ranges the manifest also lists */
	for (int i = 0; i < 3; i++)
		manifest__add_range(&self->want, 0x100000 + i * 4096, 0, 4096,
				    crc32c(region_bytes + i * 4096, 4096));
	manifest__sort(&self->want);
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_EQ(1, self->res.nr_regions);
	EXPECT_EQ(1, self->res.nr_region_bytes);
}

TEST_F(cmp, region_bytes_changed)
{
	add_region(&self->want, &self->got);
	self->want.ranges_reason[0] = '\0';
	self->want.have_ranges = false;		/* as from a kernel without the series */
	self->got.ranges[4].crc ^= 1;		/* the second page of the region */
	EXPECT_ONE(VF_CHECKSUM, "region khotrace_rm");
	EXPECT_NE(NULL, strstr(self->res.items[self->res.nr - 1].detail, "as received"));
}

TEST_F(cmp, region_page_not_received)
{
	add_region(&self->want, &self->got);
	self->want.have_ranges = false;
	self->got.nr_ranges--;			/* drop 0x102000, the last */
	EXPECT_ONE(VF_MISSING, "region khotrace_rm");
}

/* a received range of the region without a checksum: not compared, and why */
TEST_F(cmp, region_page_not_checksummed)
{
	add_region(&self->want, &self->got);
	self->want.have_ranges = false;
	self->got.ranges[4].no_crc = true;	/* the second page of the region */
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_EQ(1, self->res.nr_regions);
	EXPECT_EQ(0, self->res.nr_region_bytes);
	EXPECT_STREQ("received: a range of region khotrace_rm has no checksum",
		     self->res.region_bytes_reason);
}

TEST_F(cmp, region_moved_missing_extra)
{
	add_region(&self->want, &self->got);
	self->want.have_ranges = false;
	self->got.regions[0].phys = 0x200000;
	EXPECT_ONE(VF_MOVED, "region khotrace_rm");
	verify__free(&self->res);
	strcpy(self->got.regions[0].name, "other");
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(2, self->res.nr_mismatch);
}

/*
 * A region that is a persistent trace instance's ring buffer on the
 * receiving side is written until the jump, after every checksum: neither
 * its bytes nor its ranges' are compared, each says why.
 */
TEST_F(cmp, trace_instance_region_not_compared)
{
	add_region(&self->want, &self->got);
	for (int i = 0; i < 3; i++)
		manifest__add_range(&self->want, 0x100000 + i * 4096, 0, 4096,
				    crc32c(region_bytes + i * 4096, 4096));
	manifest__sort(&self->want);
	sent_all(&self->got);
	/* the trace events of the way out: written after the snapshot and the handover list */
	self->got.ranges[4].crc ^= 1;
	self->got.ranges[5].reboot_crc ^= 1;
	strcpy(self->got.regions[0].trace_instance, "boot_map");
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_EQ(0, self->res.nr_region_bytes);
	EXPECT_NE(NULL, strstr(self->res.region_bytes_reason, "trace instance boot_map's ring buffer"));
	for (int i = 0; i < self->res.nr; i++)
		if (!strcmp(self->res.items[i].what, "range 0x101000"))
			EXPECT_NE(NULL, strstr(self->res.items[i].detail, "bytes not compared"));

	/* without the instance, the same bytes are two mismatches and a region's */
	verify__free(&self->res);
	self->got.regions[0].trace_instance[0] = '\0';
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(3, self->res.nr_mismatch);
}

TEST_F(cmp, region_bytes_skipped_with_reason)
{
	add_region(&self->want, &self->got);
	self->want.have_ranges = false;
	/* the receiver checksums its map when it is read */
	self->got.crc_received = false;
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_EQ(0, self->res.nr_region_bytes);
	EXPECT_NE(NULL, strstr(self->res.region_bytes_reason, "received: this kernel did not checksum what it received"));
	verify__free(&self->res);
	/* a receiver without the series has no map */
	self->got.have_ranges = false;
	strcpy(self->got.ranges_reason, "no in/memory_map");
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_STREQ("received: no in/memory_map", self->res.region_bytes_reason);
	verify__free(&self->res);
	/* the writer could not read the bytes */
	self->want.regions[0].has_crc = false;
	strcpy(self->want.region_reason, "/dev/mem: Operation not permitted");
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_STREQ("manifest: /dev/mem: Operation not permitted",
		     self->res.region_bytes_reason);
}

/* a writer without the series: subtrees by name, size and bytes */
TEST_F(cmp, subtree_without_address)
{
	self->want.no_fdt = true;
	strcpy(self->want.fdt_reason, "out/fdt: truncated");
	for (int i = 0; i < self->want.nr_subtrees; i++) {
		self->want.subtrees[i].no_phys = true;
		self->want.subtrees[i].phys = 0;
	}
	ASSERT_EQ(0, verify__compare(&self->want, &self->got, &self->res, NULL, 0));
	EXPECT_EQ(0, self->res.nr_mismatch);
	EXPECT_EQ(2, self->res.nr_subtree_nophys);
	EXPECT_STREQ("manifest: out/fdt: truncated", self->res.subtree_phys_reason);
	verify__free(&self->res);
	self->got.subtrees[1].crc = 0x98;
	EXPECT_ONE(VF_CHECKSUM, "subtree memblock");
	verify__free(&self->res);
	self->got.subtrees[1].crc = 0x99;
	self->got.subtrees[1].size = 0x2000;
	EXPECT_ONE(VF_RESIZED, "subtree memblock");
}

/* --- snapshot and verify on fake debugfs trees --- */

FIXTURE(tree) {
	char dir[64];
	char meta[73];
	char release[65];
};

static int put_fdt(const char *dir, const char *rel)
{
	char blob[4096];
	__u64 phys, size;
	int err;

	err = fdt_create(blob, sizeof(blob));
	err |= fdt_finish_reservemap(blob);
	err |= fdt_begin_node(blob, "");
	err |= fdt_property_string(blob, "compatible", KHO_FDT_COMPATIBLE);
	err |= fdt_begin_node(blob, KHO_METADATA_NODE_NAME);
	phys = 0x7000, size = 73;
	err |= fdt_property(blob, KHO_SUB_TREE_PROP_NAME, &phys, sizeof(phys));
	err |= fdt_property(blob, KHO_SUB_TREE_SIZE_PROP_NAME, &size, sizeof(size));
	err |= fdt_end_node(blob);
	err |= fdt_begin_node(blob, "memblock");
	phys = 0x9000, size = 16;
	err |= fdt_property(blob, KHO_SUB_TREE_PROP_NAME, &phys, sizeof(phys));
	err |= fdt_property(blob, KHO_SUB_TREE_SIZE_PROP_NAME, &size, sizeof(size));
	err |= fdt_end_node(blob);
	err |= fdt_end_node(blob);
	err |= fdt_finish(blob);
	return err ?: tree_put(dir, rel, blob, fdt_totalsize(blob));
}

FIXTURE_SETUP(tree)
{
	struct utsname u;
	__u32 v = 1, count = 1;

	strcpy(self->dir, "/tmp/khotrace-verify-XXXXXX");
	ASSERT_EQ(0, tree_new(self->dir));
	ASSERT_EQ(0, uname(&u));
	memset(self->release, 0, sizeof(self->release));
	snprintf(self->release, sizeof(self->release), "%s", u.release);
	/* the old kernel (cold boot, count 0) hands over count 1 */
	memcpy(self->meta, &v, 4);
	memcpy(self->meta + 4, self->release, 65);
	memcpy(self->meta + 69, &count, 4);

	/* old kernel: <dir>/old/out, new kernel: <dir>/new/in (+ out scratch) */
	ASSERT_EQ(0, put_fdt(self->dir, "old/out/fdt"));
	ASSERT_EQ(0, tree_put(self->dir, "old/out/sub_fdts/kexec-metadata", self->meta, 73));
	ASSERT_EQ(0, tree_put_str(self->dir, "old/out/sub_fdts/memblock", "0123456789abcdef"));
	ASSERT_EQ(0, tree_put_str(self->dir, "old/out/scratch_phys", "0x1000000\n0x4000000\n"));
	ASSERT_EQ(0, tree_put_str(self->dir, "old/out/scratch_len", "0x1000000\n0x2000000\n"));
	ASSERT_EQ(0, tree_put_str(self->dir, "old/out/memory_map",
			     MAP_V "phys=0x7000 order=0 size=0x1000 crc32c=0x1\n"
			     "phys=0x9000 order=0 size=0x1000 crc32c=0x2\n"));

	ASSERT_EQ(0, put_fdt(self->dir, "new/in/fdt"));
	ASSERT_EQ(0, tree_put(self->dir, "new/in/sub_fdts/kexec-metadata", self->meta, 73));
	ASSERT_EQ(0, tree_put_str(self->dir, "new/in/sub_fdts/memblock", "0123456789abcdef"));
	ASSERT_EQ(0, tree_put_str(self->dir, "new/out/scratch_phys", "0x1000000\n0x4000000\n"));
	ASSERT_EQ(0, tree_put_str(self->dir, "new/out/scratch_len", "0x1000000\n0x2000000\n"));
	ASSERT_EQ(0, tree_put_str(self->dir, "new/in/memory_map",
			     MAP_V "# crc32c=received\n"
			     "phys=0x7000 order=0 size=0x1000 crc32c=0x1\n"
			     "phys=0x9000 order=0 size=0x1000 crc32c=0x2\n"));
}

FIXTURE_TEARDOWN(tree)
{
	tree_free(self->dir);
}

/* snapshot <dir>/old through the manifest text, verify <dir>/new */
static int snapshot_verify(const char *dir, struct vf_result *res, char *err, size_t size)
{
	struct manifest out, parsed, in;
	struct kho_state st;
	char root[128], *text;
	long len;
	int ret;

	snprintf(root, sizeof(root), "%s/old", dir);
	ret = kho_state__read(&st, root, err, size);
	if (!ret)
		ret = handover__collect(&out, &st, root, HANDOVER_OUT, err, size);
	kho_state__free(&st);
	if (ret)
		return ret;
	manifest__sort(&out);
	len = manifest__format(&out, &text);
	manifest__free(&out);
	if (len < 0)
		return len;
	ret = manifest__parse(text, len, &parsed, err, size);
	free(text);
	if (ret)
		return ret;

	snprintf(root, sizeof(root), "%s/new", dir);
	ret = kho_state__read(&st, root, err, size);
	if (!ret && (!st.kho_boot || !st.have_metadata)) {
		snprintf(err, size, "new tree: kho_boot %d metadata %d", st.kho_boot,
			 st.have_metadata);
		ret = -EINVAL;
	}
	if (!ret)
		ret = handover__collect(&in, &st, root, HANDOVER_IN, err, size);
	kho_state__free(&st);
	if (!ret) {
		ret = verify__compare(&parsed, &in, res, err, size);
		manifest__free(&in);
	}
	manifest__free(&parsed);
	return ret;
}

TEST_F(tree, handover_ok)
{
	struct vf_result r;
	char err[256] = "";

	ASSERT_EQ(0, snapshot_verify(self->dir, &r, err, sizeof(err))) TH_LOG("%s", err);
	for (int i = 0; i < r.nr; i++)
		TH_LOG("%s: %s: %s", vf_kind_name(r.items[i].kind), r.items[i].what,
		       r.items[i].detail);
	/* count, release, 2 scratch, 2 subtrees, 2 ranges */
	EXPECT_EQ(8, r.nr_items);
	EXPECT_EQ(0, r.nr_mismatch);
	EXPECT_TRUE(r.ranges_compared);
	verify__free(&r);
}

/* where the outgoing ranges are: out/ranges, else out/memory_map */
TEST_F(tree, read_ranges)
{
	char err[256] = "", root[128];
	struct manifest m;

	snprintf(root, sizeof(root), "%s/old", self->dir);
	/* a series before out/ranges: the map, without the unpreserved ones */
	ASSERT_EQ(0, tree_put_str(self->dir, "old/out/memory_map",
			     MAP_V "phys=0x7000 order=0 size=0x1000 crc32c=0x1\n"
			     "phys=0x8000 order=0 size=0x1000 crc32c=none\n"
			     "phys=0x9000 order=1 size=0x2000 crc32c=0x2\n"));
	manifest__init(&m);
	ASSERT_EQ(0, handover__read_ranges(&m, root, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2, m.nr_ranges);
	EXPECT_EQ(0x9000, m.ranges[1].phys);
	EXPECT_EQ(0x2000, m.ranges[1].size);
	EXPECT_TRUE(m.have_ranges);
	manifest__free(&m);

	/* out/ranges comes first: the map is not read (here: not a map) */
	ASSERT_EQ(0, tree_put_str(self->dir, "old/out/memory_map", "garbage\n"));
	ASSERT_EQ(0, tree_put_str(self->dir, "old/out/ranges",
			     "# kho ranges - version: 1\n"
			     "phys=0xa000 order=0 size=0x1000\n"
			     "phys=0x7000 order=0 size=0x1000\n"));
	manifest__init(&m);
	ASSERT_EQ(0, handover__read_ranges(&m, root, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2, m.nr_ranges);
	EXPECT_EQ(0x7000, m.ranges[0].phys);
	EXPECT_EQ(0xa000, m.ranges[1].phys);
	EXPECT_TRUE(m.ranges[0].no_crc);
	manifest__free(&m);

	/* a bad out/ranges is an error naming it, not a fallback */
	ASSERT_EQ(0, tree_put_str(self->dir, "old/out/ranges",
			     "# kho ranges - version: 1\nphys=0xa000 size=0x1000\n"));
	manifest__init(&m);
	EXPECT_EQ(-EINVAL, handover__read_ranges(&m, root, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "old/out/ranges: line 2: expected phys=0x.. order=N size=0x..")) TH_LOG("%s", err);
	manifest__free(&m);

	/* neither file: no ranges, and why */
	snprintf(root, sizeof(root), "%s/none", self->dir);
	manifest__init(&m);
	ASSERT_EQ(0, handover__read_ranges(&m, root, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_FALSE(m.have_ranges);
	EXPECT_NE(NULL, strstr(m.ranges_reason, "none/out/memory_map")) TH_LOG("%s", m.ranges_reason);
	manifest__free(&m);
}

/*
 * The checksum snapshot takes of the one reserve_mem region of the tree
 * at @root: 0 and *crc; -ENODATA, and why in @why, when it has none.
 */
static int out_region_crc(const char *root, __u32 *crc, char *why, size_t size)
{
	struct kho_state st;
	struct manifest m;
	int ret;

	ret = kho_state__read(&st, root, why, size);
	if (!ret)
		ret = handover__collect(&m, &st, root, HANDOVER_OUT, why, size);
	kho_state__free(&st);
	if (ret)
		return ret;
	if (m.nr_regions != 1) {
		snprintf(why, size, "%d regions", m.nr_regions);
		ret = -EINVAL;
	} else if (!m.regions[0].has_crc) {
		snprintf(why, size, "%s", m.region_reason);
		ret = -ENODATA;
	} else {
		*crc = m.regions[0].crc;
	}
	manifest__free(&m);
	return ret;
}

/*
 * A reserve_mem region on the way out: its checksum joined from the
 * checksums of the preserved ranges that make it up, without reading its
 * bytes; from its bytes (/dev/mem, here the tree's mem) when the map does
 * not cover it; neither: no checksum, and why.
 */
TEST_F(tree, region_out_crc)
{
	static unsigned char bytes[3 * 4096];
	char why[256] = "", root[128], blob[1024], map[512], *mem;
	__u32 crc = 0;

	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = i * 13 + (i >> 10);
	ASSERT_EQ(0, memblock_blob(blob, sizeof(blob), KHO_MEMBLOCK_COMPATIBLE, 0x100000,
				   sizeof(bytes)));
	ASSERT_EQ(0, tree_put(self->dir, "old/out/sub_fdts/memblock", blob, fdt_totalsize(blob)));
	snprintf(map, sizeof(map), MAP_V "phys=0x7000 order=0 size=0x1000 crc32c=0x1\n"
		 "phys=0x100000 order=1 size=0x2000 crc32c=0x%08x\n"
		 "phys=0x102000 order=0 size=0x1000 crc32c=0x%08x\n",
		 crc32c(bytes, 8192), crc32c(bytes + 8192, 4096));
	ASSERT_EQ(0, tree_put_str(self->dir, "old/out/memory_map", map));
	snprintf(root, sizeof(root), "%s/old", self->dir);

	/* no mem in the tree: the map's checksums, joined */
	ASSERT_EQ(0, out_region_crc(root, &crc, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_EQ(crc32c(bytes, sizeof(bytes)), crc);

	/* the map without the region's last page: its bytes, from mem */
	snprintf(map, sizeof(map), MAP_V "phys=0x7000 order=0 size=0x1000 crc32c=0x1\n"
		 "phys=0x100000 order=1 size=0x2000 crc32c=0x%08x\n", crc32c(bytes, 8192));
	ASSERT_EQ(0, tree_put_str(self->dir, "old/out/memory_map", map));
	mem = calloc(1, 0x100000 + sizeof(bytes));
	ASSERT_NE(NULL, mem);
	memcpy(mem + 0x100000, bytes, sizeof(bytes));
	ASSERT_EQ(0, tree_put(self->dir, "old/mem", mem, 0x100000 + sizeof(bytes)));
	free(mem);
	crc = 0;
	ASSERT_EQ(0, out_region_crc(root, &crc, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_EQ(crc32c(bytes, sizeof(bytes)), crc);

	/* neither */
	snprintf(map, sizeof(map), "%s/old/mem", self->dir);
	ASSERT_EQ(0, unlink(map));
	EXPECT_EQ(-ENODATA, out_region_crc(root, &crc, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "old/mem")) TH_LOG("%s", why);
}

/* both kernels with kho_crc=on: the bytes are followed through the handover */
TEST_F(tree, handover_checksums)
{
	struct vf_result r;
	struct kho_state st;
	char err[256] = "", root[128];

	ASSERT_EQ(0, tree_put_str(self->dir, "new/in/memory_map",
			     MAP_V "# crc32c=received\n# sent=2\n"
			     "phys=0x7000 order=0 size=0x1000 crc32c=0x1 sent=0x1 reboot=0x1\n"
			     "phys=0x9000 order=0 size=0x1000 crc32c=0x2 sent=0x2 reboot=0x1\n"
			     "phys=0xa000 order=0 size=0x1000 crc32c=0x3 sent=carrier\n"));
	snprintf(root, sizeof(root), "%s/new", self->dir);
	ASSERT_EQ(0, kho_state__read(&st, root, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_TRUE(st.kho_boot);
	EXPECT_TRUE(st.crc_received);
	EXPECT_TRUE(st.have_sent);
	EXPECT_EQ(2, st.nr_sent);
	EXPECT_FALSE(st.crc_out);
	kho_state__free(&st);

	/* 0x9000 was 0x2 at the snapshot, 0x1 at reboot: changed after it */
	ASSERT_EQ(0, snapshot_verify(self->dir, &r, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_TRUE(r.sent_compared);
	EXPECT_EQ(1, r.nr_sent_carrier);
	ASSERT_NE(NULL, only_mismatch(&r));
	EXPECT_STREQ("range 0x9000", only_mismatch(&r)->what);
	verify__free(&r);

	/* 0x2 at reboot too, then rewritten to 0x5 and received so */
	ASSERT_EQ(0, tree_put_str(self->dir, "new/in/memory_map",
			     MAP_V "# crc32c=received\n# sent=2\n"
			     "phys=0x7000 order=0 size=0x1000 crc32c=0x1 sent=0x1 reboot=0x1\n"
			     "phys=0x9000 order=0 size=0x1000 crc32c=0x5 sent=0x5 reboot=0x2\n"
			     "phys=0xa000 order=0 size=0x1000 crc32c=0x3 sent=carrier\n"));
	ASSERT_EQ(0, snapshot_verify(self->dir, &r, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0, r.nr_mismatch);
	EXPECT_EQ(1, r.nr_rewritten);
	verify__free(&r);
}

TEST_F(tree, subtree_bytes_changed)
{
	struct vf_result r;
	char err[256] = "";
	const struct vf_item *it;

	ASSERT_EQ(0, tree_put_str(self->dir, "new/in/sub_fdts/memblock", "0123456789abcdeX"));
	ASSERT_EQ(0, snapshot_verify(self->dir, &r, err, sizeof(err))) TH_LOG("%s", err);
	it = only_mismatch(&r);
	ASSERT_NE(NULL, it);
	EXPECT_EQ(VF_CHECKSUM, it->kind);
	EXPECT_STREQ("subtree memblock", it->what);
	verify__free(&r);
}

TEST_F(tree, without_series_fdt_only)
{
	struct vf_result r;
	char err[256] = "";
	char path[128];

	/* neither kernel has the memory map: subtrees from the FDTs, ranges skipped */
	snprintf(path, sizeof(path), "%s/old/out/memory_map", self->dir);
	ASSERT_EQ(0, unlink(path));
	snprintf(path, sizeof(path), "%s/new/in/memory_map", self->dir);
	ASSERT_EQ(0, unlink(path));
	ASSERT_EQ(0, snapshot_verify(self->dir, &r, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0, r.nr_mismatch);
	EXPECT_EQ(6, r.nr_items);
	EXPECT_FALSE(r.ranges_compared);
	EXPECT_EQ(0, strncmp(r.ranges_reason, "manifest: no /tmp/khotrace-verify-", 34))
		TH_LOG("%s", r.ranges_reason);
	/* both sides lack the map: both are named */
	EXPECT_NE(NULL, strstr(r.ranges_reason, "/old/out/memory_map (kernel without the "
			       "khotrace series); received: no ")) TH_LOG("%s", r.ranges_reason);
	verify__free(&r);
}

/*
 * A kernel without the series: out/fdt cut at its size at KHO init (or
 * absent after a KHO boot), no memory map; the receiver has the series.
 */
TEST_F(tree, without_series_truncated_fdt)
{
	struct vf_result r;
	char err[256] = "", path[128];
	char blob[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/old/out/memory_map", self->dir);
	ASSERT_EQ(0, unlink(path));
	snprintf(path, sizeof(path), "%s/old/out/fdt", self->dir);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(sizeof(blob), fread(blob, 1, sizeof(blob), f));
	fclose(f);
	ASSERT_EQ(0, tree_put(self->dir, "old/out/fdt", blob, 100));
	ASSERT_EQ(0, snapshot_verify(self->dir, &r, err, sizeof(err))) TH_LOG("%s", err);
	for (int i = 0; i < r.nr; i++)
		TH_LOG("%s: %s: %s", vf_kind_name(r.items[i].kind), r.items[i].what,
		       r.items[i].detail);
	EXPECT_EQ(0, r.nr_mismatch);
	EXPECT_EQ(2, r.nr_subtree_nophys);
	EXPECT_NE(NULL, strstr(r.subtree_phys_reason, "out/fdt: truncated")) TH_LOG("%s",
		r.subtree_phys_reason);
	EXPECT_FALSE(r.ranges_compared);
	verify__free(&r);

	/* after a KHO boot that kernel shows no out/fdt at all */
	ASSERT_EQ(0, unlink(path));
	ASSERT_EQ(0, snapshot_verify(self->dir, &r, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0, r.nr_mismatch);
	EXPECT_NE(NULL, strstr(r.subtree_phys_reason, "out/fdt: not exposed"));
	verify__free(&r);

	/* a subtree's bytes changed on the way are still found */
	ASSERT_EQ(0, tree_put_str(self->dir, "new/in/sub_fdts/memblock", "0123456789abcdeX"));
	ASSERT_EQ(0, snapshot_verify(self->dir, &r, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_NE(NULL, only_mismatch(&r));
	EXPECT_STREQ("subtree memblock", only_mismatch(&r)->what);
	verify__free(&r);
}

TEST_F(tree, bad_kernel_map)
{
	struct vf_result r;
	char err[256] = "";

	ASSERT_EQ(0, tree_put_str(self->dir, "old/out/memory_map", MAP_V "phys=zz\n"));
	EXPECT_EQ(-EINVAL, snapshot_verify(self->dir, &r, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "/old/out/memory_map: line 2: expected phys=0x..")) TH_LOG("%s", err);
}

/*
 * A kernel file of a format or version this khotrace does not read: an
 * error naming the file and both versions, not records parsed as another
 * format's (memory_map by the handover reader, bootlog and in/memory_map's
 * header by kho_state).
 */
TEST_F(tree, newer_format)
{
	struct vf_result r;
	struct kho_state st;
	char err[256] = "", root[128], want[512];

	ASSERT_EQ(0, tree_put_str(self->dir, "old/out/memory_map",
			     "# kho memory_map - version: 2\n"
			     "phys=0x7000 order=0 size=0x1000 crc32c=0x1\n"));
	EXPECT_EQ(-EPROTO, snapshot_verify(self->dir, &r, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s/old/out/memory_map: format 'memory_map' version 2 is "
		 "newer than version 1, the newest this khotrace reads", self->dir);
	EXPECT_STREQ(want, err);

	ASSERT_EQ(0, tree_put_str(self->dir, "new/bootlog", "# kho bootlog - version: 2\n"
			     "seq=0 event=disabled result=kdump ret=0\n"));
	snprintf(root, sizeof(root), "%s/new", self->dir);
	/* a file of a newer format is no read error: st says so */
	EXPECT_EQ(0, kho_state__read(&st, root, err, sizeof(err)));
	EXPECT_EQ(-EPROTO, st.format_err);
	EXPECT_EQ(NULL, st.bootlog);
	snprintf(want, sizeof(want), "%s/bootlog: format 'bootlog' version 2 is newer than "
		 "version 1, the newest this khotrace reads", root);
	EXPECT_STREQ(want, st.format_msg);
	kho_state__free(&st);

	/* a boot log of the version read: its records, without the format line */
	ASSERT_EQ(0, tree_put_str(self->dir, "new/bootlog", "# kho bootlog - version: 1\n"
			     "seq=0 event=disabled result=kdump ret=0\n"));
	EXPECT_EQ(0, kho_state__read(&st, root, err, sizeof(err)));
	EXPECT_EQ(0, st.format_err);
	EXPECT_STREQ("seq=0 event=disabled result=kdump ret=0\n", st.bootlog);
	kho_state__free(&st);

	/* in/memory_map's header without a format line: another format's */
	ASSERT_EQ(0, tree_put_str(self->dir, "new/in/memory_map",
			     "# kho subtrees - version: 1\n# crc32c=received\n"));
	EXPECT_EQ(0, kho_state__read(&st, root, err, sizeof(err)));
	EXPECT_EQ(-EPROTO, st.format_err);
	EXPECT_FALSE(st.crc_received);
	snprintf(want, sizeof(want), "%s/in/memory_map: format 'subtrees' version 1, expected "
		 "format 'memory_map'", root);
	EXPECT_STREQ(want, st.format_msg);
	kho_state__free(&st);
}

/* --- the binary on this host --- */

/* khotrace ARGS: exit code, the first line of its output in out */
static int run(const char *args, char *out, size_t size)
{
	return khotrace_run(out, size, RUN_STDOUT | RUN_STDERR | RUN_FIRST_LINE, "%s", args);
}

TEST(exit_code_nothing_to_verify)
{
	struct stat st;
	char out[512];

	if (!stat(KHO_DEBUGFS "/in", &st))
		SKIP(return, "this host booted through a KHO kexec");
	EXPECT_EQ(4, run("verify", out, sizeof(out)));
	/* KHO unsupported, disabled, or a cold boot: each says so */
	EXPECT_EQ(0, strncmp(out, "khotrace: verify: ", 18)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ": nothing to verify")) TH_LOG("%s", out);
	TH_LOG("%s", out);
	EXPECT_EQ(2, run("verify --bogus", out, sizeof(out)));
	EXPECT_EQ(2, run("snapshot extra", out, sizeof(out)));
	EXPECT_STREQ("khotrace: snapshot: unexpected argument 'extra'", out);
}

TEST(exit_code_bad_manifest_file)
{
	char out[512];
	struct stat st;

	/* only reachable on a KHO-booted kernel: otherwise 4 first */
	if (stat(KHO_DEBUGFS "/in", &st)) {
		EXPECT_EQ(4, run("verify --manifest /nonexistent", out, sizeof(out)));
		SKIP(return, "not booted through a KHO kexec: %s", out);
	}
	EXPECT_EQ(4, run("verify --manifest /nonexistent", out, sizeof(out)));
	EXPECT_STREQ("khotrace: verify: no manifest: /nonexistent: No such file or directory", out);
}

TEST_HARNESS_MAIN
