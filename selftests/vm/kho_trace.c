// SPDX-License-Identifier: GPL-2.0
/*
 * kho_trace - in-VM checks of the khotrace kernel series: the kho trace
 * events exist, the KHO early-boot log is readable and well formed, and a
 * boot with trace_event=kho:* recorded test_kho's preservations.
 *
 * Runs as root in the guest. Every test SKIPs, never passes, when what
 * it checks cannot be observed (no tracefs, KHO off, test_kho absent,
 * boot without trace_event=kho:*).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "util.h"

#define DEBUGFS_KHO	"/sys/kernel/debug/kho"
#define BOOTLOG		DEBUGFS_KHO "/bootlog"
#define KHO_TEST_SUBTREE DEBUGFS_KHO "/out/sub_fdts/kho_test"

static const char * const kho_events[] = {
	"kho_preserve_folio", "kho_unpreserve_folio",
	"kho_preserve_pages", "kho_unpreserve_pages",
	"kho_preserve_vmalloc", "kho_unpreserve_vmalloc",
	"kho_alloc_preserve", "kho_unpreserve_free",
	"kho_restore_folio", "kho_restore_pages", "kho_restore_vmalloc",
	"kho_subtree_add", "kho_subtree_remove", "kho_fdt_finalize",
	"kho_scratch_place", "kho_init", "kho_kexec_metadata",
	"kho_boot_scratch", "kho_boot_populate", "kho_boot_retrieve",
	"kho_blackout",
};

static const char *tracefs(void)
{
	static const char * const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[256];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/trace", dirs[i]);
		if (!access(path, R_OK))
			return dirs[i];
	}
	return NULL;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* a whole (pseudo) file, with libkhotrace's read_file(); NULL on error */
static char *slurp(const char *path)
{
	size_t len;
	void *buf;

	return read_file(path, &buf, &len) ? NULL : buf;
}

static bool cmdline_has(const char *word)
{
	char *cmdline = slurp("/proc/cmdline");
	bool found = cmdline && strstr(cmdline, word);

	free(cmdline);
	return found;
}

/* Value of "key=" in line (up to the end of the line), or NULL. */
static const char *field(const char *line, const char *key)
{
	size_t klen = strlen(key);
	const char *p = line;
	const char *eol = strchrnul(line, '\n');

	while ((p = strstr(p, key)) && p < eol) {
		if ((p == line || p[-1] == ' ') && p[klen] == '=')
			return p + klen + 1;
		p += klen;
	}
	return NULL;
}

static unsigned long long ull_field(const char *line, const char *key,
				    bool *ok)
{
	const char *v = field(line, key);
	char *end;
	unsigned long long val;

	if (!v) {
		*ok = false;
		return 0;
	}
	errno = 0;
	val = strtoull(v, &end, 0);
	if (errno || (*end != ' ' && *end != '\n' && *end != '\0'))
		*ok = false;
	return val;
}

/* strtoull() takes "-N" as its two's complement: the cast gives -N back */
static long long ll_field(const char *line, const char *key, bool *ok)
{
	return (long long)ull_field(line, key, ok);
}

/* a successful record of a page-aligned range: address, length (size, order, pages), ret */
struct range_rec {
	unsigned long long addr;
	unsigned long long len;
	long long ret;
};

/* the record at p, with its addr_key and len_key fields: NULL, or what is wrong with it */
static const char *range_record(const char *p, const char *addr_key, const char *len_key,
				struct range_rec *r)
{
	bool ok = true;

	r->addr = ull_field(p, addr_key, &ok);
	r->len = ull_field(p, len_key, &ok);
	r->ret = ll_field(p, "ret", &ok);
	if (!ok)
		return "bad record";
	if (r->ret)
		return "ret is not 0";
	if (!r->addr || (r->addr & 0xfff))
		return "address 0 or not page-aligned";
	return NULL;
}

/* the first record of event in buf is a successful one of a non-empty range */
static void assert_range_record(struct __test_metadata *_metadata, const char *buf,
				const char *event, const char *addr_key, const char *len_key)
{
	const char *p = strstr(buf, event), *why;
	struct range_rec r;

	ASSERT_NE(NULL, p) TH_LOG("no %s record", event);
	why = range_record(p, addr_key, len_key, &r);
	ASSERT_EQ(NULL, why) TH_LOG("%s: %.100s", why, p);
	ASSERT_LT(0, r.len);
}

TEST(events_present)
{
	const char *tdir = tracefs();
	char path[512];
	int missing = 0;

	if (!tdir)
		SKIP(return, "tracefs is not mounted");
	snprintf(path, sizeof(path), "%s/events/kho", tdir);
	if (!is_dir(path))
		SKIP(return, "kernel has no kho trace events");

	for (size_t i = 0; i < sizeof(kho_events) / sizeof(kho_events[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/kho/%s", tdir,
			 kho_events[i]);
		if (!is_dir(path)) {
			TH_LOG("missing event kho:%s", kho_events[i]);
			missing++;
		}
	}
	ASSERT_EQ(0, missing);
}

FIXTURE(bootlog) {
	char *log;
	bool kho_boot;
};

FIXTURE_SETUP(bootlog)
{
	self->log = NULL;
	if (!is_dir(DEBUGFS_KHO))
		SKIP(return, "KHO is off or debugfs is not mounted");
	self->log = slurp(BOOTLOG);
	ASSERT_NE(NULL, self->log) TH_LOG("cannot read %s", BOOTLOG);
	self->kho_boot = strstr(self->log, "event=populate result=ok");
}

FIXTURE_TEARDOWN(bootlog)
{
	free(self->log);
}

/* The first line names the format and a version khotrace reads. */
TEST_F(bootlog, format_line)
{
	const char *rest;
	char err[256];

	ASSERT_EQ(0, kho_format__check(self->log, BOOTLOG, KHO_FMT_BOOTLOG, &rest, err,
				       sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, strncmp(rest, "seq=0 ", 6)) TH_LOG("first record: %.80s", rest);
}

/* After the format line: "seq=N event=NAME ..." lines, seq consecutive. */
TEST_F(bootlog, format)
{
	unsigned long long expect = 0;
	const char *line;
	bool ok = true;
	char err[256];

	ASSERT_EQ(0, kho_format__check(self->log, BOOTLOG, KHO_FMT_BOOTLOG, &line, err,
				       sizeof(err))) TH_LOG("%s", err);
	for (; *line; line = strchrnul(line, '\n')) {
		unsigned long long seq;

		if (*line == '\n')
			line++;
		if (!*line)
			break;
		seq = ull_field(line, "seq", &ok);
		ASSERT_TRUE(ok) TH_LOG("bad line: %.80s", line);
		ASSERT_EQ(0, strncmp(line, "seq=", 4));
		ASSERT_NE(NULL, field(line, "event"));
		ASSERT_EQ(expect, seq);
		expect++;
	}
	ASSERT_LT(0, expect) TH_LOG("boot log is empty");
}

TEST_F(bootlog, scratch_reserve)
{
	static const char * const kinds[] = { "lowmem", "global" };
	unsigned int nr = 0, node = 0;
	unsigned long long total = 0;
	const char *line;

	if (self->kho_boot)
		SKIP(return, "KHO boot: scratch came from the previous kernel");

	for (line = self->log; (line = strstr(line, "event=scratch_reserve "));
	     line++) {
		const char *bol = line;
		const char *kind;
		long long idx, nid, ret;
		unsigned long long addr, size;
		bool ok = true;

		while (bol > self->log && bol[-1] != '\n')
			bol--;
		idx = ll_field(bol, "idx", &ok);
		nid = ll_field(bol, "nid", &ok);
		addr = ull_field(bol, "addr", &ok);
		size = ull_field(bol, "size", &ok);
		ret = ll_field(bol, "ret", &ok);
		kind = field(bol, "kind");
		ASSERT_TRUE(ok) TH_LOG("bad record: %.100s", bol);
		ASSERT_NE(NULL, kind);
		ASSERT_EQ(0, ret);
		ASSERT_EQ(nr, idx);
		/* A scratch area can be empty (kho_scratch=, small VMs). */
		ASSERT_NE(0, addr);
		total += size;
		if (idx < 2) {
			ASSERT_EQ(0, strncmp(kind, kinds[idx], strlen(kinds[idx])));
			ASSERT_EQ(-1, nid);
		} else {
			ASSERT_EQ(0, strncmp(kind, "node ", 5));
			ASSERT_LE(0, nid);
			node++;
		}
		nr++;
	}
	ASSERT_LE(3, nr) TH_LOG("expected lowmem, global and node scratch");
	ASSERT_LE(1, node);
	ASSERT_NE(0, total);
}

/* After a KHO kexec: the handover was accepted and memory retrieved. */
TEST_F(bootlog, kho_boot)
{
	const char *populate, *retrieve;
	bool ok = true;

	if (!self->kho_boot)
		SKIP(return, "not a KHO boot");

	populate = strstr(self->log, "event=populate result=ok");
	ASSERT_NE(0, ull_field(populate, "fdt", &ok));
	ASSERT_LT(0, ull_field(populate, "nr_scratch", &ok));
	ASSERT_TRUE(ok);
	ASSERT_NE(NULL, strstr(self->log, "event=scratch_found idx=0 "));

	retrieve = strstr(self->log, "event=retrieve ");
	ASSERT_NE(NULL, retrieve);
	ASSERT_EQ(0, ll_field(retrieve, "ret", &ok));
	ASSERT_LT(0, ull_field(retrieve, "ranges", &ok));
	ASSERT_LT(0, ull_field(retrieve, "size", &ok));
	ASSERT_TRUE(ok);
}

FIXTURE(trace) {
	char *buf;
};

FIXTURE_SETUP(trace)
{
	const char *tdir = tracefs();
	char path[512];

	self->buf = NULL;
	if (!tdir)
		SKIP(return, "tracefs is not mounted");
	if (!cmdline_has("trace_event=kho:"))
		SKIP(return, "not booted with trace_event=kho:*");
	snprintf(path, sizeof(path), "%s/trace", tdir);
	self->buf = slurp(path);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(trace)
{
	free(self->buf);
}

/* test_kho preserves and registers its data on a cold boot only. */
#define REQUIRE_TEST_KHO()						\
	do {								\
		if (access(KHO_TEST_SUBTREE, F_OK))			\
			SKIP(return, "test_kho did not register its subtree"); \
	} while (0)

/* test_kho preserves its FDT folio and data folios at boot. */
TEST_F(trace, preserve_folio)
{
	unsigned int nr = 0;
	const char *p;

	REQUIRE_TEST_KHO();
	for (p = self->buf; (p = strstr(p, "kho_preserve_folio: ")); p++) {
		struct range_rec r;
		const char *why = range_record(p, "phys", "order", &r);

		ASSERT_EQ(NULL, why) TH_LOG("%s: %.100s", why, p);
		ASSERT_GT(11, r.len);
		ASSERT_EQ(0, r.addr & ((4096ULL << r.len) - 1));
		nr++;
	}
	ASSERT_LE(2, nr) TH_LOG("expected test_kho's folio preservations");
}

TEST_F(trace, preserve_vmalloc)
{
	REQUIRE_TEST_KHO();
	assert_range_record(_metadata, self->buf, "kho_preserve_vmalloc: ", "first", "nr_pages");
	ASSERT_NE(NULL, strstr(self->buf, "kho_preserve_pages: "));
}

TEST_F(trace, subtree_add)
{
	REQUIRE_TEST_KHO();
	assert_range_record(_metadata, self->buf, "kho_subtree_add: name=kho_test ", "phys", "size");
}

TEST_F(trace, init)
{
	const char *p = strstr(self->buf, "kho_init: ");
	long long ret;
	bool ok = true;

	if (!is_dir(DEBUGFS_KHO))
		SKIP(return, "KHO is off or debugfs is not mounted");
	ASSERT_NE(NULL, p) TH_LOG("no kho_init record");
	ret = ll_field(p, "ret", &ok);
	ASSERT_TRUE(ok);
	ASSERT_EQ(0, ret);
	ASSERT_NE(0, ull_field(p, "out_fdt", &ok));
	/* The boot log is replayed before kho_init fires. */
	ASSERT_NE(NULL, strstr(self->buf, "kho_boot_"));
	ASSERT_LT(strstr(self->buf, "kho_boot_") - self->buf, p - self->buf);
}

/* After a KHO kexec, test_kho restores its folios in the new kernel. */
TEST_F(trace, restore_folio)
{
	unsigned int nr = 0;
	const char *p;

	if (!strstr(self->buf, "kho_init: ret=0 kho_boot=1 "))
		SKIP(return, "not a KHO boot");
	for (p = self->buf; (p = strstr(p, "kho_restore_folio: ")); p++) {
		bool ok = true;

		ASSERT_NE(0, ull_field(p, "phys", &ok));
		ASSERT_EQ(1, ll_field(p, "ok", &ok));
		ASSERT_TRUE(ok) TH_LOG("bad record: %.100s", p);
		nr++;
	}
	if (!nr)
		SKIP(return, "nothing restored (test_kho off?)");
}

TEST_HARNESS_MAIN
