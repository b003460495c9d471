// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* blackout timeline: parsing the kernel's text and the phase math */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "blackout.h"

/* the first line of debugfs kho/blackout, its format and version */
#define BO_V	"# kho blackout - version: 1\n"

/* 1 GHz: one tick is one ns, so the expected numbers are readable */
static const char timeline[] =
	BO_V "clock=tsc tsc_khz=1000000 prev_tsc_khz=1000000\n"
	"phase=reboot side=out tsc=1000000 ns=0\n"
	"phase=luo_freeze side=out tsc=1001000 ns=1000\n"
	"phase=dev_shutdown side=out tsc=1003000 ns=3000\n"
	"phase=cpu_shutdown side=out tsc=1010000 ns=10000\n"
	"phase=jump side=out tsc=1020000 ns=20000\n"
	"phase=populate side=in tsc=1220000 ns=220000\n"
	"phase=retrieve side=in tsc=1300000 ns=300000 ranges=4096 bytes=16777216\n"
	"phase=buddy side=in tsc=1500000 ns=500000\n"
	"phase=userspace side=in tsc=2000000 ns=1000000\n"
	"total tsc=1000000 ns=1000000 out_ns=20000 in_ns=980000\n";

static char err[256];

TEST(parse_timeline)
{
	struct blackout bo;

	ASSERT_EQ(0, blackout__parse(timeline, &bo, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(BO_OK, bo.state);
	ASSERT_EQ(1000000, bo.tsc_khz);
	ASSERT_EQ(9, bo.nr);
	EXPECT_STREQ("reboot", bo.phases[0].name);
	EXPECT_TRUE(bo.phases[4].out);
	EXPECT_FALSE(bo.phases[5].out);
	EXPECT_STREQ("retrieve", bo.phases[6].name);
	EXPECT_TRUE(bo.phases[6].has_mem);
	EXPECT_EQ(4096, bo.phases[6].ranges);
	EXPECT_EQ(16777216, bo.phases[6].bytes);
	EXPECT_FALSE(bo.phases[7].has_mem);
}

TEST(phase_math)
{
	struct blackout bo;
	const struct bo_phase *p;

	ASSERT_EQ(0, blackout__parse(timeline, &bo, err, sizeof(err)));
	ASSERT_EQ(0, blackout__compute(&bo, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(1000000, bo.total_ns);
	EXPECT_EQ(20000, bo.out_ns);
	EXPECT_EQ(980000, bo.in_ns);
	EXPECT_EQ(bo.total_ns, bo.sum_ns);

	p = blackout__find(&bo, "jump");
	ASSERT_NE(NULL, p);
	EXPECT_EQ(20000, p->start_ns);
	EXPECT_EQ(200000, p->dur_ns);	/* until populate */
	EXPECT_EQ(20.0, p->share);

	p = blackout__find(&bo, "retrieve");
	ASSERT_NE(NULL, p);
	EXPECT_EQ(300000, p->start_ns);
	EXPECT_EQ(200000, p->dur_ns);

	p = blackout__find(&bo, "userspace");
	ASSERT_NE(NULL, p);
	EXPECT_EQ(bo.total_ns, p->start_ns);
	EXPECT_EQ(0, p->dur_ns);
	EXPECT_EQ(NULL, blackout__find(&bo, "nonesuch"));
}

/* the sum of the phases, each rounded down, stays within 1 ns a phase */
TEST(rounding)
{
	static const char text[] =
		BO_V "clock=tsc tsc_khz=2893204 prev_tsc_khz=2893204\n"
		"phase=reboot side=out tsc=123456789012 ns=0\n"
		"phase=jump side=out tsc=123457000001 ns=0\n"
		"phase=populate side=in tsc=123999999999 ns=0\n"
		"phase=userspace side=in tsc=127777777777 ns=0\n";
	struct blackout bo;

	ASSERT_EQ(0, blackout__parse(text, &bo, err, sizeof(err)));
	ASSERT_EQ(0, blackout__compute(&bo, err, sizeof(err)));
	EXPECT_LE(bo.sum_ns, bo.total_ns);
	EXPECT_GE(bo.sum_ns + bo.nr, bo.total_ns);
	/* 4320988765 ticks at 2.893204 GHz */
	EXPECT_EQ(1493496056ULL, bo.total_ns);
}

TEST(ns_conversion)
{
	EXPECT_EQ(0, blackout__ns(12345, 0));
	EXPECT_EQ(1000, blackout__ns(3000, 3000000));
	/* a day at 4 GHz does not overflow */
	EXPECT_EQ(86400ULL * 1000000000ULL, blackout__ns(86400ULL * 4000000000ULL, 4000000));
}

TEST(cold_boot)
{
	struct blackout bo;

	ASSERT_EQ(0, blackout__parse(BO_V "no kexec\n", &bo, err, sizeof(err)));
	EXPECT_EQ(BO_NO_KEXEC, bo.state);
	EXPECT_EQ(0, bo.nr);
	ASSERT_EQ(0, blackout__compute(&bo, err, sizeof(err)));
	EXPECT_EQ(0, bo.total_ns);
}

TEST(no_stamps)
{
	static const char text[] =
		BO_V "clock=tsc tsc_khz=1000000 prev_tsc_khz=0\n"
		"no stamps\n"
		"phase=populate side=in tsc=5000 ns=0\n"
		"phase=userspace side=in tsc=9000 ns=4000\n";
	struct blackout bo;

	ASSERT_EQ(0, blackout__parse(text, &bo, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(BO_NO_STAMPS, bo.state);
	ASSERT_EQ(0, blackout__compute(&bo, err, sizeof(err)));
	EXPECT_EQ(4000, bo.total_ns);
	EXPECT_EQ(0, bo.out_ns);
}

TEST(no_clock)
{
	struct blackout bo;

	ASSERT_EQ(0, blackout__parse(BO_V "clock=none\n", &bo, err, sizeof(err)));
	EXPECT_EQ(BO_NO_CLOCK, bo.state);
}

TEST(future_keys_and_lines)
{
	static const char text[] =
		BO_V "clock=tsc tsc_khz=1000000 prev_tsc_khz=1000000 extra=1\n"
		"phase=reboot side=out tsc=10 ns=0 cpu=0\n"
		"phase=userspace side=in tsc=20 ns=10\n"
		"something new=1\n";
	struct blackout bo;

	ASSERT_EQ(0, blackout__parse(text, &bo, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(2, bo.nr);
}

TEST(malformed)
{
	static const char *const bad[] = {
		BO_V "",					/* no clock line */
		BO_V "clock=tsc tsc_khz=0\nphase=reboot side=out tsc=1\n",
		BO_V "clock=tsc tsc_khz=x\n",
		BO_V "clock=hpet tsc_khz=1\n",
		BO_V "clock=tsc tsc_khz=1\nphase=reboot side=up tsc=1\n",
		BO_V "clock=tsc tsc_khz=1\nphase=reboot side=out tsc=-1\n",
		BO_V "clock=tsc tsc_khz=1\nphase=reboot side=out\n",
		BO_V "clock=tsc tsc_khz=1\nphase=reboot side=out tsc=1 ranges=x\n",
		BO_V "clock=tsc tsc_khz=1\nphase=populate side=in tsc=1\n",	/* no way out */
		BO_V "clock=tsc tsc_khz=1\nphase=populate side=in tsc=1\nphase=jump side=out tsc=2\n",
		BO_V "clock=tsc tsc_khz=1\nphase=reboot side=out tsc=1 bare\n",
	};
	struct blackout bo;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, blackout__parse(bad[i], &bo, err, sizeof(err)))
			TH_LOG("case %zu accepted", i);
		EXPECT_NE(0, strlen(err)) TH_LOG("case %zu: no message", i);
	}
}

/* the format line first: else -EPROTO, never a timeline guessed */
TEST(format_line)
{
	static const struct {
		const char *text;
		const char *err;
	} bad[] = {
		{ "clock=tsc tsc_khz=1\nphase=reboot side=out tsc=1\n",
		  "blackout: no format line: 'clock=tsc tsc_khz=1', expected "
		  "'# kho blackout - version: N' (a kernel without versioned formats?)" },
		{ "# kho bootlog - version: 1\nclock=tsc tsc_khz=1\nphase=reboot side=out tsc=1\n",
		  "blackout: format 'bootlog' version 1, expected format 'blackout'" },
		{ "# kho blackout - version: 2\nclock=tsc tsc_khz=1\nphase=reboot side=out tsc=1\n",
		  "blackout: format 'blackout' version 2 is newer than version 1, the newest "
		  "this khotrace reads" },
	};
	struct blackout bo;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EPROTO, blackout__parse(bad[i].text, &bo, err, sizeof(err)));
		EXPECT_STREQ(bad[i].err, err);
		EXPECT_EQ(0, bo.nr);
	}
}

TEST(clock_goes_back)
{
	static const char text[] =
		BO_V "clock=tsc tsc_khz=1000000 prev_tsc_khz=1000000\n"
		"phase=reboot side=out tsc=5000 ns=0\n"
		"phase=jump side=out tsc=6000 ns=1000\n"
		"phase=populate side=in tsc=100 ns=-4900\n";
	struct blackout bo;

	ASSERT_EQ(0, blackout__parse(text, &bo, err, sizeof(err)));
	EXPECT_EQ(-EINVAL, blackout__compute(&bo, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "went back")) TH_LOG("%s", err);
}

FIXTURE(output) {
	struct blackout bo;
	char *buf;
	size_t len;
	FILE *f;
};

FIXTURE_SETUP(output)
{
	ASSERT_EQ(0, blackout__parse(timeline, &self->bo, err, sizeof(err)));
	ASSERT_EQ(0, blackout__compute(&self->bo, err, sizeof(err)));
	self->f = open_memstream(&self->buf, &self->len);
	ASSERT_NE(NULL, self->f);
}

FIXTURE_TEARDOWN(output)
{
	free(self->buf);
}

TEST_F(output, table)
{
	blackout__print(self->f, &self->bo);
	ASSERT_EQ(0, fclose(self->f));
	EXPECT_NE(NULL, strstr(self->buf, "# kexec blackout: 1.000 ms, reboot -> userspace"))
		TH_LOG("%s", self->buf);
	EXPECT_NE(NULL, strstr(self->buf, "way out 0.020 ms, way in 0.980 ms"));
	EXPECT_NE(NULL, strstr(self->buf,
			       "jump           out         0.020        0.200   20.0%"))
		TH_LOG("%s", self->buf);
	EXPECT_NE(NULL, strstr(self->buf, "userspace      in          1.000          end       -"));
	EXPECT_NE(NULL, strstr(self->buf, "# retrieve: 4096 preserved ranges, 16.0 MiB"));
}

TEST_F(output, json)
{
	blackout__json(self->f, &self->bo);
	ASSERT_EQ(0, fclose(self->f));
	EXPECT_NE(NULL, strstr(self->buf, "\"total_ns\":1000000")) TH_LOG("%s", self->buf);
	EXPECT_NE(NULL, strstr(self->buf, "\"phase\":\"retrieve\""));
	EXPECT_NE(NULL, strstr(self->buf, "\"bytes\":16777216"));
	EXPECT_NE(NULL, strstr(self->buf, "\"kexec\":true"));
}

TEST(read_from_tree)
{
	char dir[] = "/tmp/test_blackout.XXXXXX", path[64];
	struct blackout bo;
	FILE *f;

	ASSERT_NE(NULL, mkdtemp(dir));
	EXPECT_EQ(-ENOENT, blackout__read(dir, &bo, err, sizeof(err)));
	snprintf(path, sizeof(path), "%s/%s", dir, BLACKOUT_FILE);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs(timeline, f);
	fclose(f);
	EXPECT_EQ(0, blackout__read(dir, &bo, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(1000000, bo.total_ns);
	unlink(path);
	rmdir(dir);
}

TEST_HARNESS_MAIN
