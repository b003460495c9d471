// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* export: a cycle as Prometheus text and JSON, and the JSON read back */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "export.h"

/* the first line of debugfs kho/blackout, its format and version */
#define BO_V	"# kho blackout - version: 1\n"

/* 1 GHz: one tick is one ns */
static const char timeline[] =
	BO_V "clock=tsc tsc_khz=1000000 prev_tsc_khz=1000000\n"
	"phase=reboot side=out tsc=1000000 ns=0\n"
	"phase=jump side=out tsc=1020000 ns=20000\n"
	"phase=populate side=in tsc=1220000 ns=220000\n"
	"phase=retrieve side=in tsc=1300000 ns=300000 ranges=4096 bytes=16777216\n"
	"phase=buddy side=in tsc=1500000 ns=500000\n"
	"phase=userspace side=in tsc=2000000 ns=1000000\n";

/* verify --json as cmd_verify prints it (shortened) */
static const char verify_json[] =
	"{\"outcome\":\"mismatch\",\"verify_time\":1764000000,\"manifest\":\"luo:khotrace\","
	"\"items\":5,\"ok\":2,\"mismatches\":3,\"ranges_compared\":true,"
	"\"bytes_compared\":true,\"handover_compared\":false,\"results\":["
	"{\"kind\":\"ok\",\"item\":\"kexec count\",\"detail\":\"1\"},"
	"{\"kind\":\"checksum\",\"item\":\"range 0x1000\",\"detail\":\"\"},"
	"{\"kind\":\"checksum\",\"item\":\"range 0x2000\",\"detail\":\"\"},"
	"{\"kind\":\"missing\",\"item\":\"range 0x3000\",\"detail\":\"\"},"
	"{\"kind\":\"ok\",\"item\":\"scratch 0\",\"detail\":\"\"}]}\n";

static char err[512];

static void make_cycle(struct __test_metadata *_metadata, struct cycle *c)
{
	struct blackout bo;

	cycle__init(c);
	c->time = 1764000100;
	strcpy(c->release, "7.3.4-new");
	strcpy(c->previous_release, "7.3.4-\"old\"\\x");
	c->kexec_count = 3;
	c->kho = c->kho_boot = c->series = true;
	ASSERT_EQ(0, blackout__parse(timeline, &bo, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, blackout__compute(&bo, err, sizeof(err)));
	cycle__set_blackout(c, &bo);
	ASSERT_EQ(0, cycle__set_verify(c, verify_json, err, sizeof(err))) TH_LOG("%s", err);
	c->producers = calloc(2, sizeof(*c->producers));
	ASSERT_NE(NULL, c->producers);
	c->nr_producers = 2;
	c->have_record = true;
	strcpy(c->producers[0].name, "luo/memfd");
	c->producers[0].bytes = 16777216;
	c->producers[0].calls = 4096;
	c->producers[0].ranges = 12;
	strcpy(c->producers[1].name, "kho core");
	c->producers[1].bytes = 8192;
	c->have_lat[KT_EV_PRESERVE] = true;
	c->lat[KT_EV_PRESERVE].slots[9] = 4000;
	c->lat[KT_EV_PRESERVE].slots[12] = 96;
}

static __attribute__((noinline)) char *prom_text(const struct cycle *c)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	cycle__write_prom(f, c);
	fclose(f);
	return buf;
}

TEST(verify_result_counts_kinds)
{
	struct cycle c;

	cycle__init(&c);
	ASSERT_EQ(0, cycle__set_verify(&c, verify_json, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(CO_MISMATCH, c.verify.outcome);
	EXPECT_EQ(1764000000, c.verify.time);
	EXPECT_EQ(5, c.verify.items);
	EXPECT_EQ(3, c.verify.mismatches);
	EXPECT_EQ(2, c.verify.by_kind[VF_CHECKSUM]);
	EXPECT_EQ(1, c.verify.by_kind[VF_MISSING]);
	EXPECT_EQ(0, c.verify.by_kind[VF_MOVED]);
	EXPECT_TRUE(c.verify.bytes_compared);
	EXPECT_FALSE(c.verify.handover_compared);
}

TEST(verify_result_bad_input)
{
	struct cycle c;

	cycle__init(&c);
	EXPECT_EQ(-EINVAL, cycle__set_verify(&c, "{\"outcome\":", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "not JSON"));
	EXPECT_EQ(-EINVAL, cycle__set_verify(&c, "[1,2]", err, sizeof(err)));
	EXPECT_STREQ("verify result: not a JSON object", err);
	EXPECT_EQ(-EINVAL, cycle__set_verify(&c, "{\"outcome\":\"fine\"}", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "outcome 'fine'"));
	/* verify's own error object */
	ASSERT_EQ(0, cycle__set_verify(&c, "{\"outcome\":\"not_applicable\",\"verify_time\":7,"
				       "\"error\":\"cold boot\"}", err, sizeof(err)));
	EXPECT_EQ(CO_NOT_APPLICABLE, c.verify.outcome);
	EXPECT_STREQ("cold boot", c.verify.error);
}

TEST(prom_families)
{
	struct cycle c;
	char *t;

	make_cycle(_metadata, &c);
	t = prom_text(&c);
	ASSERT_NE(NULL, t);
	EXPECT_NE(NULL, strstr(t, "# TYPE khotrace_kexecs_total counter\nkhotrace_kexecs_total 3\n"));
	EXPECT_NE(NULL, strstr(t, "khotrace_verify_outcome{outcome=\"mismatch\"} 1\n"));
	EXPECT_NE(NULL, strstr(t, "khotrace_verify_outcome{outcome=\"ok\"} 0\n"));
	EXPECT_NE(NULL, strstr(t, "khotrace_verify_mismatches{kind=\"checksum\"} 2\n"));
	EXPECT_NE(NULL, strstr(t, "khotrace_verify_skipped{what=\"handover_checksums\"} 1\n"));
	/* 1 ms in seconds; each phase to the next one; the last has none */
	EXPECT_NE(NULL, strstr(t, "khotrace_blackout_seconds 0.001000000\n"));
	EXPECT_NE(NULL, strstr(t, "khotrace_blackout_phase_seconds{phase=\"jump\",side=\"out\"} "
			       "0.000200000\n"));
	EXPECT_EQ(NULL, strstr(t, "phase=\"userspace\""));
	EXPECT_NE(NULL, strstr(t, "khotrace_received_bytes 16777216\n"));
	EXPECT_NE(NULL, strstr(t, "khotrace_preserved_bytes{producer=\"luo/memfd\"} 16777216\n"));
	EXPECT_NE(NULL, strstr(t, "khotrace_preserved_calls{producer=\"luo/memfd\"} 4096\n"));
	/* label values escaped */
	EXPECT_NE(NULL, strstr(t, "previous_release=\"7.3.4-\\\"old\\\"\\\\x\"} 1\n"));
	free(t);
	cycle__free(&c);
}

/* every family once: one HELP and one TYPE line, before its samples */
TEST(prom_one_help_per_family)
{
	char name[128], *t, *line, *save;
	char seen[64][128];
	int nseen = 0;
	struct cycle c;

	make_cycle(_metadata, &c);
	t = prom_text(&c);
	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "# HELP %127s", name) == 1) {
			for (int i = 0; i < nseen; i++)
				EXPECT_STRNE(seen[i], name);
			ASSERT_LT(nseen, 64);
			strcpy(seen[nseen++], name);
		} else if (line[0] != '#') {
			/* a sample of the last family announced */
			ASSERT_LT(0, nseen);
			EXPECT_EQ(0, strncmp(line, seen[nseen - 1], strlen(seen[nseen - 1])))
				TH_LOG("%s outside family %s", line, seen[nseen - 1]);
		}
	}
	EXPECT_LT(15, nseen);
	free(t);
	cycle__free(&c);
}

TEST(absent_parts_leave_families_out)
{
	struct cycle c;
	char *t;

	cycle__init(&c);
	t = prom_text(&c);
	EXPECT_NE(NULL, strstr(t, "khotrace_verify_outcome{outcome=\"absent\"} 1\n"));
	EXPECT_EQ(NULL, strstr(t, "khotrace_verify_mismatches"));
	EXPECT_EQ(NULL, strstr(t, "khotrace_blackout_seconds"));
	EXPECT_EQ(NULL, strstr(t, "khotrace_preserved_bytes"));
	free(t);
}

TEST(json_round_trip)
{
	struct cycle a, b;
	char *buf = NULL;
	size_t len;
	FILE *f;

	make_cycle(_metadata, &a);
	f = open_memstream(&buf, &len);
	cycle__write_json(f, &a);
	fclose(f);
	ASSERT_EQ(0, cycle__parse_json(buf, &b, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ(a.release, b.release);
	EXPECT_STREQ(a.previous_release, b.previous_release);
	EXPECT_EQ(a.kexec_count, b.kexec_count);
	EXPECT_EQ(a.verify.outcome, b.verify.outcome);
	EXPECT_EQ(2, b.verify.by_kind[VF_CHECKSUM]);
	EXPECT_EQ(a.total_ns, b.total_ns);
	ASSERT_EQ(a.nr_phases, b.nr_phases);
	for (int i = 0; i < a.nr_phases; i++) {
		EXPECT_STREQ(a.phases[i].name, b.phases[i].name);
		EXPECT_EQ(a.phases[i].dur_ns, b.phases[i].dur_ns);
		EXPECT_EQ(a.phases[i].out, b.phases[i].out);
	}
	EXPECT_EQ(a.received_ranges, b.received_ranges);
	ASSERT_EQ(2, b.nr_producers);
	EXPECT_STREQ("luo/memfd", b.producers[0].name);
	EXPECT_EQ(12, b.producers[0].ranges);
	EXPECT_TRUE(b.have_lat[KT_EV_PRESERVE]);
	EXPECT_EQ(96, b.lat[KT_EV_PRESERVE].slots[12]);
	EXPECT_FALSE(b.have_lat[KT_EV_RESTORE]);
	free(buf);
	cycle__free(&a);
	cycle__free(&b);
}

TEST(json_rejects)
{
	struct cycle c;

	EXPECT_EQ(-EINVAL, cycle__parse_json("{\"time\":1}", &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "not a khotrace cycle"));
	EXPECT_EQ(-EINVAL, cycle__parse_json("{\"khotrace_cycle\":1,\"blackout\":{\"state\":\"ok\"}}",
					     &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "no phases"));
	EXPECT_EQ(-EINVAL, cycle__parse_json("{\"khotrace_cycle\":1,\"record\":{\"latency_hist_ns\":"
					     "{\"preserve\":[1,2]}}}", &c, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "2 slots"));
	EXPECT_EQ(-ENOENT, cycle__load_json("/nonexistent.json", &c, err, sizeof(err)));
}

TEST_HARNESS_MAIN
