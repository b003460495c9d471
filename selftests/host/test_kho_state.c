// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * kho_state__read()'s contract on a fake debugfs KHO directory: a file the
 * kernel does not have is no error, a file that is there but cannot be
 * read is -errno with its path in the message, and the state keeps what
 * could be read.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"
#include "kho_state.h"

FIXTURE(root) {
	char dir[64];
	char err[256];
	struct kho_state st;
};

FIXTURE_SETUP(root)
{
	strcpy(self->dir, "/tmp/test_kho_state.XXXXXX");
	ASSERT_EQ(0, tree_new(self->dir));
	ASSERT_EQ(0, tree_put_str(self->dir, "out/scratch_phys", "0x1000000\n0x4000000\n"));
	ASSERT_EQ(0, tree_put_str(self->dir, "out/scratch_len", "0x1000000\n0x2000000\n"));
	ASSERT_EQ(0, tree_put_str(self->dir, "bootlog", "# kho bootlog - version: 1\n"
				  "seq=0 kho_boot_scratch_reserve\n"));
}

FIXTURE_TEARDOWN(root)
{
	kho_state__free(&self->st);
	tree_free(self->dir);
}

/* a KHO directory without a KHO boot: no in/, no metadata, no error */
TEST_F(root, absent_files_are_no_error)
{
	ASSERT_EQ(0, kho_state__read(&self->st, self->dir, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	EXPECT_TRUE(self->st.enabled);
	EXPECT_EQ(2, self->st.nr_scratch);
	EXPECT_EQ(0x4000000, self->st.scratch[1].addr);
	EXPECT_EQ(0x2000000, self->st.scratch[1].size);
	EXPECT_NE(NULL, self->st.bootlog);
	EXPECT_FALSE(self->st.kho_boot);
	EXPECT_EQ(-ENOENT, self->st.out_err);
	EXPECT_FALSE(self->st.have_metadata);
}

/* no KHO directory at all: KHO is off (or absent), which is no error */
TEST_F(root, no_directory_is_kho_off)
{
	char gone[128];

	snprintf(gone, sizeof(gone), "%s/nosuch", self->dir);
	ASSERT_EQ(0, kho_state__read(&self->st, gone, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	EXPECT_FALSE(self->st.enabled);
	EXPECT_EQ(0, self->st.nr_scratch);
	EXPECT_EQ(NULL, self->st.bootlog);
}

/* a directory where a file should be: read() fails with EISDIR */
static int make_unreadable(const char *dir, const char *rel)
{
	char path[192];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return mkdir(path, 0700) ? -errno : 0;
}

/* a file that is there but cannot be read: its error, and what was read */
TEST_F(root, unreadable_file_is_an_error)
{
	char want[200];

	ASSERT_EQ(0, make_unreadable(self->dir, "bootlog"));
	EXPECT_EQ(-EISDIR, kho_state__read(&self->st, self->dir, self->err, sizeof(self->err)));
	snprintf(want, sizeof(want), "%s/bootlog: %s", self->dir, strerror(EISDIR));
	EXPECT_STREQ(want, self->err);
	EXPECT_TRUE(self->st.enabled);
	EXPECT_EQ(2, self->st.nr_scratch);
	EXPECT_EQ(NULL, self->st.bootlog);
}

/* two unreadable files: the message names the first one read */
TEST_F(root, first_error_is_kept)
{
	char want[200];

	ASSERT_EQ(0, make_unreadable(self->dir, "out/scratch_len"));
	ASSERT_EQ(0, make_unreadable(self->dir, "out/fdt"));
	EXPECT_EQ(-EISDIR, kho_state__read(&self->st, self->dir, self->err, sizeof(self->err)));
	snprintf(want, sizeof(want), "%s/out/scratch_len: %s", self->dir, strerror(EISDIR));
	EXPECT_STREQ(want, self->err);
	EXPECT_EQ(0, self->st.nr_scratch);
	/* what comes after them is still read */
	EXPECT_NE(NULL, self->st.bootlog);
}

TEST_HARNESS_MAIN
