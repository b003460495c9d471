// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * carrier: what snapshot and verify make of a Live Update device that is
 * absent or is not one, through a fake device path (the real session is
 * tested in the VM: vmtest -s cycle, -s verify)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "carrier.h"
#include "luo.h"

FIXTURE(carrier) {
	char dir[64];
	char device[96];
	struct manifest m;
};

FIXTURE_SETUP(carrier)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/kt-carrier-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->device, sizeof(self->device), "%s/liveupdate", self->dir);
	manifest__init(&self->m);
	strcpy(self->m.release, "7.3.4-khotrace");
	self->m.have_ranges = true;
	ASSERT_EQ(0, manifest__add_range(&self->m, 0x1000, 0, 0x1000, 0x11223344));
}

FIXTURE_TEARDOWN(carrier)
{
	manifest__free(&self->m);
	unlink(self->device);
	rmdir(self->dir);
}

/* a regular file where the device should be: open works, the ioctls do not */
static void fake_device(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd >= 0)
		close(fd);
}

TEST_F(carrier, no_device)
{
	struct carrier_opts opts = { .device = self->device };
	struct carrier *c = carrier__new(&opts);
	char msg[256], want[256], *text = NULL;
	size_t len;

	ASSERT_NE(NULL, c);
	EXPECT_EQ(-ENOENT, carrier__store(c, &self->m, msg, sizeof(msg)));
	snprintf(want, sizeof(want), "live update not available (no %s: boot with "
		 "liveupdate=on, or use --manifest FILE)", self->device);
	EXPECT_STREQ(want, msg);
	EXPECT_EQ(0, carrier__holder(c));
	EXPECT_EQ(0, self->m.nr_carrier);
	/* verify: nothing was carried, which is not a broken carrier */
	EXPECT_EQ(-ENOENT, carrier__load(c, &text, &len, msg, sizeof(msg)));
	snprintf(want, sizeof(want), "no manifest: no %s (boot with liveupdate=on) and "
		 "no --manifest FILE", self->device);
	EXPECT_STREQ(want, msg);
	EXPECT_EQ(NULL, text);
	carrier__free(c);
}

TEST_F(carrier, not_a_device)
{
	struct carrier_opts opts = { .device = self->device, .session = "kt-test" };
	struct carrier *c;
	char msg[256], *text = NULL;
	size_t len;

	fake_device(self->device);
	c = carrier__new(&opts);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(-ENOTTY, carrier__store(c, &self->m, msg, sizeof(msg)));
	EXPECT_STREQ("creating live update session 'kt-test': Inappropriate ioctl for device",
		     msg);
	EXPECT_EQ(0, carrier__holder(c));
	/* a device that is there but answers wrong: an error, not "no manifest" */
	EXPECT_EQ(-ENOTTY, carrier__load(c, &text, &len, msg, sizeof(msg)));
	EXPECT_STREQ("retrieving live update session 'kt-test': Inappropriate ioctl for device",
		     msg);
	EXPECT_EQ(NULL, text);
	carrier__free(c);
}

/* the defaults are the real device and session */
TEST(defaults)
{
	struct carrier *c = carrier__new(NULL);
	char msg[256], *text = NULL;
	size_t len;
	int ret;

	ASSERT_NE(NULL, c);
	if (!access(LUO_DEVICE, F_OK)) {
		carrier__free(c);
		SKIP(return, LUO_DEVICE " exists here: not touching a real session");
	}
	ret = carrier__load(c, &text, &len, msg, sizeof(msg));
	EXPECT_EQ(-ENOENT, ret);
	EXPECT_STREQ("no manifest: no " LUO_DEVICE " (boot with liveupdate=on) and "
		     "no --manifest FILE", msg);
	carrier__free(c);
}

TEST_HARNESS_MAIN
