// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* diff: two cycles paired by name; the CLI's threshold on recorded fixtures */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "helpers.h"
#include "diff.h"

#ifndef FIXTURES
#define FIXTURES "."
#endif

static void phases(struct cycle *c, __u64 jump, __u64 retrieve)
{
	cycle__init(c);
	c->have_blackout = true;
	c->bo_state = BO_OK;
	c->nr_phases = 2;
	strcpy(c->phases[0].name, "jump");
	c->phases[0].out = true;
	c->phases[0].dur_ns = jump;
	strcpy(c->phases[1].name, "retrieve");
	c->phases[1].dur_ns = retrieve;
	c->total_ns = jump + retrieve;
	c->out_ns = jump;
	c->in_ns = retrieve;
}

static const struct diff_row *find(const struct diff *d, const char *name, const char *metric)
{
	for (int i = 0; i < d->nr; i++)
		if (!strcmp(d->rows[i].name, name) && !strcmp(d->rows[i].metric, metric))
			return &d->rows[i];
	return NULL;
}

TEST(pairs_by_name)
{
	struct cycle a, b;
	const struct diff_row *r;
	struct diff d;
	double pct;

	phases(&a, 1000, 3000);
	phases(&b, 1000, 6000);
	strcpy(b.phases[1].name, "restore");	/* a phase only the new side has */
	b.have_record = true;
	b.nr_producers = 1;
	b.producers = calloc(1, sizeof(*b.producers));
	ASSERT_NE(NULL, b.producers);
	strcpy(b.producers[0].name, "luo/memfd");
	b.producers[0].bytes = 4096;
	ASSERT_EQ(0, diff__compare(&a, &b, &d));

	r = find(&d, "total", "ns");
	ASSERT_NE(NULL, r);
	EXPECT_EQ(4000, r->base);
	EXPECT_EQ(7000, r->new);
	ASSERT_TRUE(diff__pct(r, &pct));
	EXPECT_EQ(75.0, pct);
	EXPECT_TRUE(r->gated);
	r = find(&d, "jump (out)", "ns");
	ASSERT_TRUE(diff__pct(r, &pct));
	EXPECT_EQ(0.0, pct);
	r = find(&d, "retrieve (in)", "ns");
	EXPECT_TRUE(r->in_base);
	EXPECT_FALSE(r->in_new);
	EXPECT_FALSE(diff__pct(r, &pct));
	r = find(&d, "luo/memfd", "bytes");
	ASSERT_NE(NULL, r);
	EXPECT_FALSE(r->in_base);
	EXPECT_FALSE(r->gated);
	diff__free(&d);
	cycle__free(&a);
	cycle__free(&b);
}

TEST(quantiles)
{
	__u64 slots[KT_MAX_SLOTS] = {};

	EXPECT_EQ(0, diff__quantile(slots, KT_MAX_SLOTS, 0.5));
	slots[9] = 90;		/* 512..1023 ns */
	slots[12] = 10;		/* 4096..8191 ns */
	EXPECT_EQ(1023, diff__quantile(slots, KT_MAX_SLOTS, 0.5));
	EXPECT_EQ(1023, diff__quantile(slots, KT_MAX_SLOTS, 0.9));
	EXPECT_EQ(8191, diff__quantile(slots, KT_MAX_SLOTS, 0.99));
}

/* khotrace diff ARGS: exit code, stdout and stderr in out */
static int run(const char *args, char *out, size_t size)
{
	return khotrace_run(out, size, RUN_STDOUT | RUN_STDERR, "diff %s", args);
}

/* khotrace diff of two fixtures exits 0 and prints each of want (NULL-ended) */
static void diff_shows(struct __test_metadata *_metadata, const char *a, const char *b,
		       const char * const *want, char *out, size_t size)
{
	char args[512];

	snprintf(args, sizeof(args), FIXTURES "/%s " FIXTURES "/%s", a, b);
	ASSERT_EQ(0, run(args, out, size)) TH_LOG("%s", out);
	for (; *want; want++)
		EXPECT_NE(NULL, strstr(out, *want));
}

/* two cycles and two recordings of real KHO kexecs (vmtest fleet) */
TEST(recorded_cycles)
{
	static const char * const want[] = {
		"# Blackout (ms)", "retrieve (in)", "luo/memfd", "# Latency histograms", NULL,
	};
	static char out[65536];

	diff_shows(_metadata, "cycle1.json", "cycle2.json", want, out, sizeof(out));
	/* the same cycle: nothing grew */
	EXPECT_EQ(0, run("--threshold 0 " FIXTURES "/cycle1.json " FIXTURES "/cycle1.json",
			 out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "diff: no blackout row grew by more than 0%"));
}

TEST(threshold_gates)
{
	static char out[65536];
	char path[] = "/tmp/khotrace-slower.XXXXXX.json";
	char cmd[512];
	int fd;

	/* the second cycle with its retrieve phase 10 times longer */
	fd = mkstemps(path, 5);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(cmd, sizeof(cmd), "sed -E 's/(\"phase\":\"retrieve\",\"side\":\"in\","
		 "\"duration_ns\":)([0-9]+)/\\1\\20/' " FIXTURES "/cycle2.json > %s", path);
	ASSERT_EQ(0, system(cmd));
	snprintf(cmd, sizeof(cmd), "--threshold 50 " FIXTURES "/cycle2.json %s", path);
	EXPECT_EQ(1, run(cmd, out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "retrieve (in)  <- over the threshold"));
	snprintf(cmd, sizeof(cmd), "--threshold 2000 " FIXTURES "/cycle2.json %s", path);
	EXPECT_EQ(0, run(cmd, out, sizeof(out))) TH_LOG("%s", out);
	unlink(path);
}

TEST(recordings)
{
	static const char * const want[] = { "luo/memfd", NULL };
	static char out[65536];

	diff_shows(_metadata, "record0.rec", "record1.rec", want, out, sizeof(out));
	EXPECT_EQ(NULL, strstr(out, "# Blackout"));
	/* recordings have no blackout to gate on */
	EXPECT_EQ(4, run("--threshold 5 " FIXTURES "/record0.rec " FIXTURES "/record1.rec",
			 out, sizeof(out)));
}

TEST(bad_input)
{
	static char out[4096];

	EXPECT_EQ(2, run(FIXTURES "/cycle1.json", out, sizeof(out)));
	EXPECT_EQ(2, run("--threshold -3 a b", out, sizeof(out)));
	EXPECT_EQ(2, run("--threshold 1x a b", out, sizeof(out)));
	EXPECT_EQ(1, run("/nonexistent " FIXTURES "/cycle1.json", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "cannot open /nonexistent"));
	EXPECT_EQ(1, run(FIXTURES "/cycle1.json /etc/hostname", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "not JSON"));
}

TEST_HARNESS_MAIN
