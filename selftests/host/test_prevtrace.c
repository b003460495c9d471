// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * prevtrace: the previous kernel's events from a persistent trace
 * instance, parsed and joined with the blackout stamps. The fixture
 * (fixtures/prevtrace/) is a real capture from vmtest -s across-kexec:
 * the instance's files and debugfs kho/blackout in the new kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"
#include "blackout.h"
#include "fdt.h"
#include "prevtrace.h"
#include "util.h"

#define PT_FIXTURES	FIXTURES "/prevtrace"

static char err[256];

static int load_blackout(struct blackout *bo)
{
	char *text = slurp(PT_FIXTURES "/blackout");
	int ret;

	if (!text)
		return -ENOENT;
	ret = blackout__parse(text, bo, err, sizeof(err));
	ret = ret ?: blackout__compute(bo, err, sizeof(err));
	free(text);
	return ret;
}

static int count(const struct prevtrace *pt, const char *name)
{
	int n = 0;

	for (int i = 0; i < pt->nr; i++)
		n += !strcmp(pt->ev[i].name, name);
	return n;
}

TEST(parse_real_trace)
{
	struct prevtrace pt = {};
	char *text = slurp(PT_FIXTURES "/instances/boot_map/trace");

	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, prevtrace__parse(text, &pt, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_LT(10, pt.nr);
	EXPECT_EQ(pt.entries, pt.nr);
	/* the five stamps of the way out, and the marker before kexec -e */
	EXPECT_EQ(5, count(&pt, "kho_blackout"));
	EXPECT_LE(1, count(&pt, "kho_fdt_finalize"));
	EXPECT_LE(1, count(&pt, "tracing_mark_write"));
	for (int i = 1; i < pt.nr; i++)
		EXPECT_LE(pt.ev[i - 1].ts, pt.ev[i].ts);
	for (int i = 0; i < pt.nr; i++) {
		EXPECT_LE(0, pt.ev[i].cpu);
		EXPECT_LT(0, pt.ev[i].pid);
		EXPECT_NE(0, pt.ev[i].comm[0]);
	}
	prevtrace__free(&pt);
	free(text);
}

TEST(parse_line_forms)
{
	/* no irq-info flags; an ns clock; a comm with dashes and a space */
	static const char text[] =
		"# tracer: nop\n"
		"# entries-in-buffer/entries-written: 3/4   #P:2\n"
		"           kexec-87      [000] 21505174190: kho_active: old=0 new=1 ret=0\n"
		"  kworker/u4:1-my thing-12 [001] d..1. 5.000123: kho_blackout: phase=jump tsc=9\n"
		"CPU:1 [LOST 1 EVENTS]\n"
		"\n"
		"          <idle>-0       [001] .N... 99: sched_x: a=1\n";
	struct prevtrace pt = {};

	ASSERT_EQ(0, prevtrace__parse(text, &pt, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(3, pt.nr);
	EXPECT_EQ(3, pt.entries);
	EXPECT_EQ(4, pt.written);
	EXPECT_STREQ("kexec", pt.ev[0].comm);
	EXPECT_EQ(87, pt.ev[0].pid);
	EXPECT_EQ(21505174190ULL, pt.ev[0].ts);
	EXPECT_STREQ("kho_active", pt.ev[0].name);
	EXPECT_STREQ("old=0 new=1 ret=0", pt.ev[0].args);
	EXPECT_STREQ("kworker/u4:1-my thing", pt.ev[1].comm);
	EXPECT_EQ(12, pt.ev[1].pid);
	EXPECT_EQ(1, pt.ev[1].cpu);
	EXPECT_EQ(5000123000ULL, pt.ev[1].ts);
	EXPECT_STREQ("<idle>", pt.ev[2].comm);
	EXPECT_EQ(0, pt.ev[2].pid);
	prevtrace__free(&pt);
}

TEST(parse_rejects)
{
	static const char *const bad[] = {
		"garbage\n",
		"  init-1 [000] ...1. 12 kho_x: no colon after the timestamp\n",
		"  init-1 [000] ...1. 12: : empty name\n",
		"  init-x [000] ...1. 12: kho_x: bad pid\n",
		"  init-1 [000] ...1. 1.5: kho_x: six digits of micros\n",
		"  init-1 [000] ...1. 99999999999999999999999: kho_x: too big\n",
	};
	struct prevtrace pt = {};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, prevtrace__parse(bad[i], &pt, err, sizeof(err)))
			TH_LOG("accepted: %s", bad[i]);
		EXPECT_NE(NULL, strstr(err, "trace line 1"));
		prevtrace__free(&pt);
	}
}

TEST(join_real_cycle)
{
	struct prevtrace pt;
	struct blackout bo;
	struct pt_join j;
	char *out = NULL;
	size_t len;
	FILE *f;

	ASSERT_EQ(0, load_blackout(&bo)) TH_LOG("%s", err);
	ASSERT_EQ(0, prevtrace__read(PT_FIXTURES, "boot_map", &pt, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(PT_OK, pt.state);
	EXPECT_STREQ(PREVTRACE_CLOCK, pt.clock);
	ASSERT_EQ(0, prevtrace__join(&pt, &bo, &j, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(5, j.stamps_out);
	EXPECT_EQ(5, j.stamps_matched);
	EXPECT_EQ(0, j.out_of_order);
	EXPECT_EQ(0, j.after_jump);
	EXPECT_LE(5, j.nr_way_out);
	EXPECT_LE(j.nr_way_out, j.nr_window);
	ASSERT_NE(NULL, j.last_user);
	EXPECT_NE(NULL, strstr(j.last_user->args, "before kexec -e"));
	for (int i = 1; i < j.nr_rows; i++)
		EXPECT_LE(j.rows[i - 1].tsc, j.rows[i].tsc);
	/* the gap is between rows of the way out: never wider than it */
	EXPECT_GE(bo.out_ns, j.max_gap_ns);
	EXPECT_LT(0, j.max_gap_ns);

	j.bootlog = "seq=0 event=scratch_found idx=0 addr=0x76000000 size=0x7000000 ret=0\n"
		    "seq=1 event=populate result=ok fdt=0x39a000 ret=0\n"
		    "seq=2 event=retrieve ranges=19 size=0x806000 ret=0\n";
	f = open_memstream(&out, &len);
	ASSERT_NE(NULL, f);
	prevtrace__print(f, &pt, &bo, &j);
	ASSERT_EQ(0, prevtrace__html(f, &pt, &bo, &j));
	fclose(f);
	EXPECT_NE(NULL, strstr(out, "stamps of the way out traced: 5 of 5"));
	/* the boot log after its phases' stamps: populate's two, then retrieve's */
	ASSERT_NE(NULL, strstr(out, "populate phase begins"));
	EXPECT_NE(NULL, strstr(strstr(out, "populate phase begins"), "boot log           seq=1 "));
	ASSERT_NE(NULL, strstr(out, "retrieve phase begins"));
	EXPECT_NE(NULL, strstr(strstr(out, "retrieve phase begins"), "boot log           seq=2 "));
	/* the text, then the page (which has the text again) */
	ASSERT_NE(NULL, strstr(out, "<!DOCTYPE"));
	EXPECT_GT(strstr(strstr(out, "retrieve phase begins"), "seq=0 "), strstr(out, "<!DOCTYPE"));
	EXPECT_NE(NULL, strstr(out, "<svg"));
	free(out);
	pt_join__free(&j);
	prevtrace__free(&pt);
}

/* a kho_blackout event whose tsc is not the stamp's is not a match */
TEST(join_counts_mismatched_stamp)
{
	char *text = slurp(PT_FIXTURES "/instances/boot_map/trace"), *p;
	struct prevtrace pt = {};
	struct blackout bo;
	struct pt_join j;

	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, load_blackout(&bo));
	/* the old kernel's events print field by field: tsc=0xHEX (DECIMAL) */
	p = strstr(text, "phase=jump tsc=0x");
	ASSERT_NE(NULL, p);
	p += strlen("phase=jump tsc=0x");
	*p = *p == '1' ? '2' : '1';
	strcpy(pt.clock, PREVTRACE_CLOCK);
	ASSERT_EQ(0, prevtrace__parse(text, &pt, err, sizeof(err)));
	ASSERT_EQ(0, prevtrace__join(&pt, &bo, &j, err, sizeof(err)));
	EXPECT_EQ(4, j.stamps_matched);
	pt_join__free(&j);

	/* another clock cannot be placed on the TSC */
	strcpy(pt.clock, "local");
	EXPECT_EQ(-EINVAL, prevtrace__join(&pt, &bo, &j, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "'local' clock"));
	prevtrace__free(&pt);
	free(text);
}

TEST(region_instance)
{
	static const char cmdline[] =
		"console=ttyS0 kho=on reserve_mem=12M:4096:trace reserve_mem=4M:4096:other "
		"trace_instance=boot_map^traceoff@trace,kho:* trace_instance=plain "
		"trace_instance=mm@0x284500000:12M trace_instance=x^traceprintk@other\n";
	char inst[32];

	ASSERT_TRUE(prevtrace__region_instance(cmdline, "trace", inst, sizeof(inst)));
	EXPECT_STREQ("boot_map", inst);
	ASSERT_TRUE(prevtrace__region_instance(cmdline, "other", inst, sizeof(inst)));
	EXPECT_STREQ("x", inst);
	EXPECT_FALSE(prevtrace__region_instance(cmdline, "trac", inst, sizeof(inst)));
	EXPECT_FALSE(prevtrace__region_instance(cmdline, "0x284500000:12M", inst, sizeof(inst)));
	EXPECT_FALSE(prevtrace__region_instance("reserve_mem=12M:4096:trace", "trace", inst,
						sizeof(inst)));
	EXPECT_FALSE(prevtrace__region_instance(NULL, "trace", inst, sizeof(inst)));
}

FIXTURE(tree) {
	char root[64];
	char inst[128];
};

FIXTURE_SETUP(tree)
{
	strcpy(self->root, "/tmp/test_prevtrace.XXXXXX");
	ASSERT_EQ(0, tree_new(self->root));
	snprintf(self->inst, sizeof(self->inst), "%s/instances/boot_map", self->root);
	/* the instance's directories are made on the way to its files */
	ASSERT_EQ(0, tree_put_str(self->root, "instances/boot_map/trace", "# tracer: nop\n"));
	ASSERT_EQ(0, tree_put_str(self->inst, "trace_clock", "[local] global x86-tsc\n"));
	ASSERT_EQ(0, tree_put_str(self->inst, "tracing_on", "0\n"));
	ASSERT_EQ(0, tree_put_str(self->inst, "trace_marker", ""));
	ASSERT_EQ(0, tree_put_str(self->inst, "events/kho/enable", "0\n"));
}

FIXTURE_TEARDOWN(tree)
{
	tree_free(self->root);
}

TEST_F(tree, states)
{
	struct prevtrace pt;

	ASSERT_EQ(0, prevtrace__read(self->root, "nosuch", &pt, err, sizeof(err)));
	EXPECT_EQ(PT_NO_INSTANCE, pt.state);
	ASSERT_EQ(0, prevtrace__read(self->root, "boot_map", &pt, err, sizeof(err)));
	EXPECT_EQ(PT_NOT_PERSISTENT, pt.state);
	tree_put_str(self->inst, "last_boot_info", "# Current\n");
	ASSERT_EQ(0, prevtrace__read(self->root, "boot_map", &pt, err, sizeof(err)));
	EXPECT_EQ(PT_NO_PREVIOUS, pt.state);
	tree_put_str(self->inst, "last_boot_info", "ffffffff9be00000\t[kernel]\n");
	ASSERT_EQ(0, prevtrace__read(self->root, "boot_map", &pt, err, sizeof(err)));
	EXPECT_EQ(PT_EMPTY, pt.state);
	EXPECT_STREQ("local", pt.clock);
	EXPECT_NE(NULL, strstr(prevtrace__state_msg(PT_NO_INSTANCE), "booted without"));
	prevtrace__free(&pt);
}

TEST_F(tree, arm)
{
	char *s;

	EXPECT_EQ(-ENOENT, prevtrace__arm(self->root, "nosuch", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "trace_instance=nosuch"));
	EXPECT_EQ(-EOPNOTSUPP, prevtrace__arm(self->root, "boot_map", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "not on preserved memory"));

	tree_put_str(self->inst, "last_boot_info", "# Current\n");
	ASSERT_EQ(0, prevtrace__arm(self->root, "boot_map", err, sizeof(err))) TH_LOG("%s", err);
	s = tree_get(self->inst, "trace_clock");
	EXPECT_EQ(0, strncmp(s, PREVTRACE_CLOCK, strlen(PREVTRACE_CLOCK)));
	free(s);
	s = tree_get(self->inst, "events/kho/enable");
	EXPECT_EQ('1', s[0]);
	free(s);
	s = tree_get(self->inst, "tracing_on");
	EXPECT_EQ('1', s[0]);
	free(s);
	s = tree_get(self->inst, "trace_marker");
	EXPECT_NE(NULL, strstr(s, "khotrace: armed"));
	free(s);
}

TEST_HARNESS_MAIN
