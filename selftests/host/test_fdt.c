// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* KHO FDT parsing through libfdt, on blobs built with libfdt */
#include <errno.h>
#include <string.h>
#include <libfdt.h>

#include "kselftest_harness.h"
#include "helpers.h"
#include "fdt.h"
#include "kho_state.h"

FIXTURE(kho_fdt) {
	char blob[4096];
	struct kho_fdt fdt;
};

static int add_subtree(void *fdt, const char *name, __u64 phys, __u64 size)
{
	int err = fdt_begin_node(fdt, name);

	/* KHO stores host-endian u64s */
	err |= fdt_property(fdt, KHO_SUB_TREE_PROP_NAME, &phys, sizeof(phys));
	err |= fdt_property(fdt, KHO_SUB_TREE_SIZE_PROP_NAME, &size, sizeof(size));
	err |= fdt_end_node(fdt);
	return err;
}

FIXTURE_SETUP(kho_fdt)
{
	__u64 map = 0x123456000ULL;
	void *b = self->blob;

	memset(&self->fdt, 0, sizeof(self->fdt));
	ASSERT_EQ(0, fdt_create(b, sizeof(self->blob)));
	ASSERT_EQ(0, fdt_finish_reservemap(b));
	ASSERT_EQ(0, fdt_begin_node(b, ""));
	ASSERT_EQ(0, fdt_property_string(b, "compatible", KHO_FDT_COMPATIBLE));
	ASSERT_EQ(0, fdt_property(b, KHO_FDT_MEMORY_MAP_PROP_NAME, &map, sizeof(map)));
	ASSERT_EQ(0, add_subtree(b, KHO_METADATA_NODE_NAME, 0x7000, 73));
	ASSERT_EQ(0, add_subtree(b, "LUO", 0x9000, 4096));
	ASSERT_EQ(0, fdt_begin_node(b, "no-data"));
	ASSERT_EQ(0, fdt_end_node(b));
	ASSERT_EQ(0, fdt_end_node(b));
	ASSERT_EQ(0, fdt_finish(b));
}

FIXTURE_TEARDOWN(kho_fdt)
{
	kho_fdt__free(&self->fdt);
}

TEST_F(kho_fdt, subtrees)
{
	ASSERT_EQ(0, kho_fdt__parse(self->blob, sizeof(self->blob), &self->fdt));
	EXPECT_STREQ(KHO_FDT_COMPATIBLE, self->fdt.compatible);
	EXPECT_EQ(0x123456000ULL, self->fdt.mem_map_phys);
	EXPECT_EQ(fdt_totalsize(self->blob), self->fdt.totalsize);
	/* the node without preserved-data is not a subtree */
	ASSERT_EQ(2, self->fdt.nr_subtrees);
	EXPECT_STREQ(KHO_METADATA_NODE_NAME, self->fdt.subtrees[0].name);
	EXPECT_EQ(0x7000, self->fdt.subtrees[0].phys);
	EXPECT_EQ(73, self->fdt.subtrees[0].size);
	EXPECT_STREQ("LUO", self->fdt.subtrees[1].name);
	EXPECT_EQ(4096, self->fdt.subtrees[1].size);
}

/* upstream debugfs serves out/fdt with the size it had when registered */
TEST_F(kho_fdt, truncated)
{
	EXPECT_EQ(-EOVERFLOW, kho_fdt__parse(self->blob, fdt_totalsize(self->blob) - 8,
					     &self->fdt));
	EXPECT_TRUE(self->fdt.truncated);
}

TEST_F(kho_fdt, garbage)
{
	memset(self->blob, 0xa5, 64);
	EXPECT_EQ(-EINVAL, kho_fdt__parse(self->blob, sizeof(self->blob), &self->fdt));
}

/*
 * A property whose length is negative: libfdt 1.6.1's walk steps back
 * onto the property, for ever (found by fuzz_fdt); the parsers refuse it
 */
TEST_F(kho_fdt, negative_property_length)
{
	const struct fdt_property *prop;
	struct kho_rmem rm[2];
	int node, off;

	node = fdt_subnode_offset(self->blob, 0, "LUO");
	ASSERT_LE(0, node);
	off = fdt_first_property_offset(self->blob, node);
	ASSERT_LE(0, off);
	prop = fdt_get_property_by_offset(self->blob, off, NULL);
	ASSERT_NE(NULL, prop);
	((struct fdt_property *)prop)->len = cpu_to_fdt32(0xfffffff4);
	EXPECT_EQ(-EINVAL, kho_fdt__parse(self->blob, sizeof(self->blob), &self->fdt));
	EXPECT_EQ(-EINVAL, kho_memblock__parse(self->blob, sizeof(self->blob), rm, 2));
}

TEST(kexec_metadata)
{
	unsigned char blob[4 + 65 + 4] = {};
	__u32 version = 1, count = 3, got = 0;
	char release[65];

	memcpy(blob, &version, 4);
	strcpy((char *)blob + 4, "7.3.4-khotrace");
	memcpy(blob + 4 + 65, &count, 4);
	ASSERT_EQ(0, kho_parse_kexec_metadata(blob, sizeof(blob), &got, release, sizeof(release)));
	EXPECT_EQ(3, got);
	EXPECT_STREQ("7.3.4-khotrace", release);
	version = 2;
	memcpy(blob, &version, 4);
	EXPECT_EQ(-EPROTO, kho_parse_kexec_metadata(blob, sizeof(blob), &got, release,
						    sizeof(release)));
	EXPECT_EQ(-EINVAL, kho_parse_kexec_metadata(blob, 10, &got, release, sizeof(release)));
}

TEST(memblock_regions)
{
	char blob[1024];
	struct kho_rmem rm[4];

	ASSERT_EQ(0, memblock_blob(blob, sizeof(blob), KHO_MEMBLOCK_COMPATIBLE, 0x7a000000,
				   4 << 20));
	ASSERT_EQ(1, kho_memblock__parse(blob, sizeof(blob), rm, 4));
	EXPECT_STREQ("khotrace_rm", rm[0].name);
	EXPECT_EQ(0x7a000000, rm[0].start);
	EXPECT_EQ(4 << 20, rm[0].size);
	EXPECT_EQ(0, kho_memblock__parse(blob, sizeof(blob), rm, 0));
	/* cut short, another compatible, not an FDT */
	EXPECT_EQ(-EINVAL, kho_memblock__parse(blob, fdt_totalsize(blob) - 1, rm, 4));
	ASSERT_EQ(0, memblock_blob(blob, sizeof(blob), "memblock-v2", 0x7a000000, 4 << 20));
	EXPECT_EQ(-EPROTO, kho_memblock__parse(blob, sizeof(blob), rm, 4));
	EXPECT_EQ(-EINVAL, kho_memblock__parse("0123456789abcdef0123456789abcdef0123456789",
					       42, rm, 4));
}

TEST_HARNESS_MAIN
