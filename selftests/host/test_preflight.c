// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* preflight: the loaded image, sessions, blackout slopes, snapshot currency */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"
#include "preflight.h"

/* the services' messages (err_set()) */
static char err[256];

FIXTURE(tree) {
	char dir[64];
};

FIXTURE_SETUP(tree)
{
	strcpy(self->dir, "/tmp/khotrace-preflight.XXXXXX");
	ASSERT_EQ(0, tree_new(self->dir));
}

FIXTURE_TEARDOWN(tree)
{
	tree_free(self->dir);
}

TEST_F(tree, image_from_sysfs)
{
	struct pf_image img;

	tree_put_str(self->dir, "loaded", "1\n");
	ASSERT_EQ(0, preflight__read_image(self->dir, &img, err, sizeof(err)));
	EXPECT_TRUE(img.loaded);
	EXPECT_STREQ("", img.loader);		/* upstream: cannot tell */
	EXPECT_FALSE(img.have_segments);

	tree_put_str(self->dir, "loader", "file\n");
	tree_put_str(self->dir, "segments", "7a400000 1000\n7a401000 2b000\n76400000 3000000\n");
	ASSERT_EQ(0, preflight__read_image(self->dir, &img, err, sizeof(err)));
	EXPECT_STREQ("file", img.loader);
	ASSERT_TRUE(img.have_segments);
	ASSERT_EQ(3, img.nr_segments);
	EXPECT_EQ(0x7a401000, img.seg[1].mem);
	EXPECT_EQ(0x3000000, img.seg[2].memsz);

	/* a format we do not know is not read as segments */
	tree_put_str(self->dir, "segments", "mem=0x1000\n");
	ASSERT_EQ(0, preflight__read_image(self->dir, &img, err, sizeof(err)));
	EXPECT_FALSE(img.have_segments);
	EXPECT_EQ(-ENOENT, preflight__read_image("/nonexistent", &img, err, sizeof(err)));
	EXPECT_STREQ("cannot read /nonexistent/loaded: No such file or directory", err);
}

TEST(misfits)
{
	struct kho_scratch_area areas[] = {
		{ .addr = 0x7a400000, .size = 0x1000000 },
		{ .addr = 0x76400000, .size = 0x4000000 },
	};
	struct pf_image img = { .loaded = true, .nr_segments = 4 };
	int idx[4];

	img.seg[0].mem = 0x7a400000, img.seg[0].memsz = 0x1000;		/* in area 0 */
	img.seg[1].mem = 0x7b3ff000, img.seg[1].memsz = 0x2000;		/* crosses its end */
	img.seg[2].mem = 0x76400000, img.seg[2].memsz = 0x4000000;	/* all of area 1 */
	img.seg[3].mem = 0x100000, img.seg[3].memsz = 0x1000;		/* nowhere */
	ASSERT_EQ(2, preflight__misfits(&img, areas, 2, idx, 4));
	EXPECT_EQ(1, idx[0]);
	EXPECT_EQ(3, idx[1]);
	/* more misfits than room: all counted */
	EXPECT_EQ(4, preflight__misfits(&img, areas, 0, idx, 1));
	EXPECT_EQ(0, idx[0]);
}

TEST(bzimage_header)
{
	unsigned char hdr[0x300] = {};
	__u64 size, align;

	memcpy(hdr + 0x202, "HdrS", 4);
	hdr[0x206] = 0x0f, hdr[0x207] = 0x02;			/* protocol 2.15 */
	hdr[0x230 + 2] = 0x20;					/* 2 MiB */
	hdr[0x260 + 1] = 0x60, hdr[0x260 + 2] = 0x29, hdr[0x260 + 3] = 0x01;
	ASSERT_EQ(0, preflight__bzimage(hdr, sizeof(hdr), &size, &align, err, sizeof(err)));
	EXPECT_EQ(0x1296000, size);
	EXPECT_EQ(0x200000, align);
	/* short */
	EXPECT_EQ(-EINVAL, preflight__bzimage(hdr, 0x263, &size, &align, err, sizeof(err)));
	EXPECT_STREQ("not an x86 bzImage (no HdrS header)", err);
	hdr[0x206] = 0x09;					/* 2.09: no init_size */
	EXPECT_EQ(-EINVAL, preflight__bzimage(hdr, sizeof(hdr), &size, &align, err, sizeof(err)));
	EXPECT_STREQ("boot protocol 2.09, before 2.10 (no init_size)", err);
	hdr[0x206] = 0x0f;
	hdr[0x230 + 2] = 0x30;					/* not a power of two */
	EXPECT_EQ(-EINVAL, preflight__bzimage(hdr, sizeof(hdr), &size, &align, err, sizeof(err)));
	EXPECT_STREQ("init_size 0x1296000, alignment 0x300000: not a bzImage header", err);
	hdr[0x230 + 2] = 0x20;
	hdr[0x202] = 'X';
	EXPECT_EQ(-EINVAL, preflight__bzimage(hdr, sizeof(hdr), &size, &align, err, sizeof(err)));
}

TEST(plan)
{
	struct kho_scratch_area areas[] = {
		{ .addr = 0x1000000, .size = 0x1000000 },	/* 16 MiB */
		{ .addr = 0x7a000000, .size = 0x2000000 },	/* 32 MiB */
	};
	struct pf_plan segs[] = {
		{ .what = "small", .size = 0x10000, .align = 0x1000 },
		{ .what = "kernel", .size = 0x1296000, .align = 0x200000 },
		{ .what = "initrd", .size = 0xc00000, .align = 0x1000 },
	};

	/* largest first: the kernel only fits the 32 MiB area, the initrd the first */
	ASSERT_EQ(0, preflight__plan(segs, 3, areas, 2));
	EXPECT_STREQ("kernel", segs[0].what);
	EXPECT_EQ(1, segs[0].area);
	EXPECT_EQ(0x7a000000, segs[0].addr);
	EXPECT_EQ(0, segs[1].area);
	EXPECT_EQ(0x1000000, segs[1].addr);
	EXPECT_EQ(0, segs[2].area);
	EXPECT_EQ(0x1c00000, segs[2].addr);

	/* 1 MiB areas (kho_scratch=1M,1M,1M): the kernel and the initrd find no room */
	areas[0].size = areas[1].size = 0x100000;
	EXPECT_EQ(2, preflight__plan(segs, 3, areas, 2));
	EXPECT_EQ(-1, segs[0].area);
	EXPECT_EQ(-1, segs[1].area);
	EXPECT_EQ(0, segs[2].area);
	EXPECT_EQ(3, preflight__plan(segs, 3, areas, 0));
}

TEST_F(tree, sessions_from_proc)
{
	struct pf_session s[4];
	char path[256];

	/* /proc/42: comm and two fds, one of them a session; /proc/self is no pid */
	snprintf(path, sizeof(path), "%s/42", self->dir);
	ASSERT_EQ(0, mkdir(path, 0755));
	tree_put_str(path, "comm", "khotrace-hold\n");
	strcat(path, "/fd");
	ASSERT_EQ(0, mkdir(path, 0755));
	snprintf(path, sizeof(path), "%s/42/fd/3", self->dir);
	ASSERT_EQ(0, symlink("anon_inode:[luo_session] khotrace", path));
	snprintf(path, sizeof(path), "%s/42/fd/4", self->dir);
	ASSERT_EQ(0, symlink("/dev/null", path));
	snprintf(path, sizeof(path), "%s/self", self->dir);
	ASSERT_EQ(0, mkdir(path, 0755));

	ASSERT_EQ(1, preflight__sessions(self->dir, s, 4, err, sizeof(err)));
	EXPECT_STREQ("khotrace", s[0].name);
	EXPECT_EQ(42, s[0].pid);
	EXPECT_STREQ("khotrace-hold", s[0].comm);
	EXPECT_EQ(-ENOENT, preflight__sessions("/nonexistent", s, 4, err, sizeof(err)));
	EXPECT_STREQ("cannot read /nonexistent: No such file or directory", err);
}

static void cycle_with(struct cycle *c, __u64 bytes, __u64 ranges, __u64 retrieve_ns,
		       __u64 rest_ns)
{
	cycle__init(c);
	c->have_blackout = c->have_received = true;
	c->bo_state = BO_OK;
	c->received_bytes = bytes;
	c->received_ranges = ranges;
	c->nr_phases = 2;
	strcpy(c->phases[0].name, "jump");
	c->phases[0].dur_ns = rest_ns;
	strcpy(c->phases[1].name, "retrieve");
	c->phases[1].dur_ns = retrieve_ns;
	c->total_ns = rest_ns + retrieve_ns;
}

TEST(fit_two_slopes)
{
	struct cycle c[3];
	struct pf_model m;

	/* retrieve = 2 ns/byte + 1000 ns/range, the rest 1 ms */
	cycle_with(&c[0], 1000000, 100, 2000000 + 100000, 1000000);
	cycle_with(&c[1], 4000000, 1000, 8000000 + 1000000, 1000000);
	cycle_with(&c[2], 2000000, 5000, 4000000 + 5000000, 1000000);
	ASSERT_EQ(0, preflight__fit(c, 3, &m));
	EXPECT_EQ(3, m.nr_cycles);
	EXPECT_FALSE(m.bytes_only);
	EXPECT_TRUE(m.ns_per_byte > 1.999 && m.ns_per_byte < 2.001) TH_LOG("%f", m.ns_per_byte);
	EXPECT_TRUE(m.ns_per_range > 999 && m.ns_per_range < 1001) TH_LOG("%f", m.ns_per_range);
	EXPECT_TRUE(m.fixed_ns > 999999 && m.fixed_ns < 1000001);
	/* 1 ms + 2 * 3e6 + 1000 * 200 */
	EXPECT_TRUE(preflight__expect(&m, 3000000, 200) > 7199000 &&
		    preflight__expect(&m, 3000000, 200) < 7201000);
}

TEST(fit_one_cycle_bytes_only)
{
	struct cycle c[2];
	struct pf_model m;

	cycle_with(&c[0], 1000000, 100, 3000000, 500000);
	cycle__init(&c[1]);		/* a cold boot: no timeline, not counted */
	ASSERT_EQ(0, preflight__fit(c, 2, &m));
	EXPECT_EQ(1, m.nr_cycles);
	EXPECT_TRUE(m.bytes_only);
	EXPECT_TRUE(m.ns_per_byte > 2.999 && m.ns_per_byte < 3.001);
	EXPECT_EQ(0, m.ns_per_range);
	EXPECT_EQ(-ENODATA, preflight__fit(&c[1], 1, &m));
}

TEST(snapshot_currency)
{
	struct manifest snap, now;
	char why[256];

	manifest__init(&snap);
	manifest__init(&now);
	snap.have_ranges = now.have_ranges = true;
	ASSERT_EQ(0, manifest__add_range(&snap, 0x1000, 0, 0x1000, 1));
	ASSERT_EQ(0, manifest__add_subtree(&snap, "memblock", 0x5000, 0xd6, true, 2));
	ASSERT_EQ(0, manifest__add_subtree(&snap, "LUO", 0x6000, 0x100, true, 3));
	ASSERT_EQ(0, manifest__add_carrier(&snap, 0x9000, 0x2000));
	/* now: the same, the carrier's range, LUO grown (rewritten at reboot) */
	ASSERT_EQ(0, manifest__add_range(&now, 0x1000, 0, 0x1000, 7));
	ASSERT_EQ(0, manifest__add_range(&now, 0x9000, 0, 0x1000, 8));
	ASSERT_EQ(0, manifest__add_subtree(&now, "memblock", 0x5000, 0xd6, true, 2));
	ASSERT_EQ(0, manifest__add_subtree(&now, "LUO", 0x6000, 0x200, true, 3));
	EXPECT_EQ(0, preflight__compare(&snap, &now, why, sizeof(why))) TH_LOG("%s", why);

	ASSERT_EQ(0, manifest__add_range(&now, 0x20000, 2, 0x4000, 9));
	ASSERT_EQ(0, manifest__add_subtree(&now, "test_kho", 0x7000, 0x40, true, 4));
	EXPECT_EQ(1, preflight__compare(&snap, &now, why, sizeof(why)));
	EXPECT_STREQ("1 ranges preserved and 0 unpreserved since, 1 subtrees added, 0 removed, "
		     "0 resized", why);
	manifest__free(&snap);
	manifest__free(&now);
}

TEST_HARNESS_MAIN
