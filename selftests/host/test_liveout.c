// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * live's per-record path (liveout.c, events.c's line builders): not a
 * byte changed against the printf formats it replaced — on real
 * recordings (fixtures/live/: the printf code's output for
 * fixtures/record{0,1}.rec, after "json: a top-level value ends its
 * line") and, against that code kept here as the reference, on every
 * event type and on random events — and its
 * buffering: no write per event, a flush when the ring buffer drains,
 * everything at the end, a failed write reported, a terminal line by line.
 */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"
#include "json.h"
#include "liveout.h"
#include "recfile.h"

#ifndef FIXTURES
#define FIXTURES "."
#endif

/* ---- the reference: live's printf code before liveout.c (main 201c76f) ---- */

static void ref_details(char *buf, size_t size, const struct kt_event *e)
{
	int n = 0;

	/* the one change: the old code left buf unset for an unknown type */
	buf[0] = '\0';

	switch (e->type) {
	case KT_EV_PRESERVE:
	case KT_EV_UNPRESERVE:
	case KT_EV_RESTORE:
		n = snprintf(buf, size, "kind=%s phys=0x%llx size=%llu order=%u",
			     kt_kind_name(e->kind), (unsigned long long)e->phys,
			     (unsigned long long)e->size, e->order);
		if (e->nid != KT_NO_NODE)
			n += snprintf(buf + n, size - n, " node=%u", e->nid);
		if (e->nr_calls > 1)
			n += snprintf(buf + n, size - n, " calls=%u", e->nr_calls);
		break;
	case KT_EV_SUBTREE_ADD:
	case KT_EV_SUBTREE_REMOVE:
		n = snprintf(buf, size, "name=%s phys=0x%llx size=%llu",
			     e->name[0] ? e->name : "?", (unsigned long long)e->phys,
			     (unsigned long long)e->size);
		break;
	case KT_EV_FDT_FINALIZE:
		n = snprintf(buf, size, "fdt=0x%llx fdt_size=%u subtrees=%u preserved=%llu scratch=%u",
			     (unsigned long long)e->phys, e->aux32[KT_AUX_FDT_SIZE],
			     e->aux32[KT_AUX_NR_SUBTREES], (unsigned long long)e->aux,
			     e->aux32[KT_AUX_NR_SCRATCH]);
		break;
	case KT_EV_SCRATCH_PLACE:
		n = snprintf(buf, size, "mem=0x%llx memsz=%llu", (unsigned long long)e->phys,
			     (unsigned long long)e->size);
		if (e->aux32[KT_AUX_AREA] != KT_NO_AREA)
			n += snprintf(buf + n, size - n, " area=%u", e->aux32[KT_AUX_AREA]);
		break;
	case KT_EV_INIT:
		n = snprintf(buf, size, "kho_boot=%u out_fdt=0x%llx in_fdt=0x%llx",
			     e->aux32[KT_AUX_KHO_BOOT], (unsigned long long)e->phys,
			     (unsigned long long)e->aux);
		break;
	case KT_EV_KEXEC_METADATA:
		n = snprintf(buf, size, "previous_release=%s kexec_count=%u",
			     e->name, e->aux32[KT_AUX_KEXEC_COUNT]);
		break;
	}
	if (e->lat_ns && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - n, " lat_ns=%llu", (unsigned long long)e->lat_ns);
	if (e->err && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - n, " err=%s", strerrorname_np(e->err) ?: "?");
}

static void ref_print_record(FILE *f, const struct kt_record *r, __u64 t0_ns)
{
	const struct kt_event *e = &r->ev;
	char buf[256];

	ref_details(buf, sizeof(buf), e);
	fprintf(f, "%-12.6f %-3u %-16.16s %-7u %-16.16s %-14s %s\n",
		e->ts_ns >= t0_ns ? (e->ts_ns - t0_ns) / 1e9 : 0.0, e->cpu, e->comm,
		e->pid, r->producer, kt_event_name(e->type), buf);
}

static void ref_json_record(struct json *j, const struct kt_record *r, __u64 t0_ns)
{
	const struct kt_event *e = &r->ev;

	json_obj_open(j);
	json_kv_float(j, "time", e->ts_ns >= t0_ns ? (e->ts_ns - t0_ns) / 1e9 : 0.0);
	json_kv_u64(j, "cpu", e->cpu);
	json_kv_str(j, "comm", e->comm);
	json_kv_u64(j, "pid", e->pid);
	json_kv_u64(j, "tid", e->tid);
	json_kv_str(j, "producer", r->producer);
	json_kv_str(j, "event", kt_event_name(e->type));
	if (e->kind != KT_KIND_NONE)
		json_kv_str(j, "kind", kt_kind_name(e->kind));
	json_kv_hex(j, "phys", e->phys);
	json_kv_u64(j, "size", e->size);
	switch (e->type) {
	case KT_EV_PRESERVE:
	case KT_EV_UNPRESERVE:
	case KT_EV_RESTORE:
		json_kv_u64(j, "order", e->order);
		if (e->nid != KT_NO_NODE)
			json_kv_u64(j, "node", e->nid);
		json_kv_u64(j, "calls", e->nr_calls);
		break;
	case KT_EV_SUBTREE_ADD:
	case KT_EV_SUBTREE_REMOVE:
		json_kv_str(j, "name", e->name);
		break;
	case KT_EV_FDT_FINALIZE:
		json_kv_u64(j, "fdt_size", e->aux32[KT_AUX_FDT_SIZE]);
		json_kv_u64(j, "nr_subtrees", e->aux32[KT_AUX_NR_SUBTREES]);
		json_kv_u64(j, "nr_preserved", e->aux);
		json_kv_u64(j, "nr_scratch", e->aux32[KT_AUX_NR_SCRATCH]);
		break;
	case KT_EV_SCRATCH_PLACE:
		if (e->aux32[KT_AUX_AREA] != KT_NO_AREA)
			json_kv_u64(j, "area", e->aux32[KT_AUX_AREA]);
		break;
	case KT_EV_INIT:
		json_kv_bool(j, "kho_boot", e->aux32[KT_AUX_KHO_BOOT]);
		json_kv_hex(j, "in_fdt", e->aux);
		break;
	case KT_EV_KEXEC_METADATA:
		json_kv_str(j, "previous_release", e->name);
		json_kv_u64(j, "kexec_count", e->aux32[KT_AUX_KEXEC_COUNT]);
		break;
	}
	if (e->lat_ns)
		json_kv_u64(j, "lat_ns", e->lat_ns);
	json_kv_u64(j, "err", e->err);
	json_obj_close(j);
}

/* ---- helpers ---- */

/* the lines live_out writes for n records into a memory stream; malloc'ed */
static char *live_lines(const struct kt_record *r, size_t n, bool json, const char *subtree,
			__u64 t0, bool header, __u64 *nr_events)
{
	struct live_out o;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f || live_out__init(&o, f, json, subtree, t0))
		return NULL;
	if (header)
		live_out__header(&o);
	for (size_t i = 0; i < n; i++)
		if (live_out__record(&o, &r[i]))
			break;
	if (nr_events)
		*nr_events = o.nr_events;
	live_out__free(&o);
	fclose(f);
	return text;
}

/* the same through the reference */
static char *ref_lines(const struct kt_record *r, size_t n, bool json, __u64 t0)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct json j;

	if (!f)
		return NULL;
	json_init(&j, f);
	for (size_t i = 0; i < n; i++) {
		if (json)
			ref_json_record(&j, &r[i], t0);
		else
			ref_print_record(f, &r[i], t0);
	}
	fclose(f);
	return text;
}

/* the first line where a and b differ, for the failure message */
static void first_diff(const char *a, const char *b)
{
	int line = 1;
	const char *la = a;

	while (*a && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
		}
		a++;
		b++;
	}
	fprintf(stderr, "# line %d differs at byte %ld: got '%.120s'\n", line, (long)(a - la), la);
}

static __u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static __u64 rnd(void)
{
	/* xorshift64*: reproducible, no libc state */
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dULL;
}

/* a NUL-terminated string of up to size - 1 bytes, with JSON's special characters */
static void rnd_str(char *s, size_t size)
{
	static const char pool[] = "abcXYZ09_-./ \"\\\n\t\x01\x1f\x7f\xc3\xa9";
	size_t n = rnd() % size;

	for (size_t i = 0; i < n; i++)
		s[i] = pool[rnd() % (sizeof(pool) - 1)];
	memset(s + n, 0, size - n);
}

static __u64 rnd_u64(void)
{
	/* small, 32-bit and full-width values alike */
	switch (rnd() % 4) {
	case 0: return rnd() % 16;
	case 1: return rnd() % 100000;
	case 2: return (__u32)rnd();
	default: return rnd();
	}
}

static void rnd_record(struct kt_record *r)
{
	struct kt_event *e = &r->ev;

	memset(r, 0, sizeof(*r));
	e->type = rnd() % (KT_EV_MAX + 2);
	e->kind = rnd() % (KT_KIND_MAX + 2);
	e->ts_ns = rnd_u64();
	e->phys = rnd_u64();
	e->size = rnd_u64();
	e->lat_ns = rnd() % 3 ? 0 : rnd_u64();
	e->aux = rnd_u64();
	e->err = rnd() % 3 ? 0 : rnd() % 140;
	e->cpu = rnd_u64();
	e->pid = rnd_u64();
	e->tid = rnd_u64();
	e->nr_calls = rnd() % 3;
	e->order = rnd() % 20;
	e->nid = rnd() % 3 ? KT_NO_NODE : rnd_u64();
	for (int i = 0; i < 4; i++)
		e->aux32[i] = rnd() % 3 ? rnd_u64() : KT_NO_AREA;
	rnd_str(e->comm, sizeof(e->comm));
	rnd_str(e->name, sizeof(e->name));
	rnd_str(r->producer, sizeof(r->producer));
}

/* ---- tests ---- */

/* live's lines for a real recording equal the printf code's, kept in fixtures/live */
static void check_golden(struct __test_metadata *_metadata, const char *name, size_t max,
			 bool json)
{
	char path[256], errbuf[256], *want, *got;
	struct recording rec;

	snprintf(path, sizeof(path), FIXTURES "/%s.rec", name);
	ASSERT_EQ(0, recfile__load(path, &rec, errbuf, sizeof(errbuf))) TH_LOG("%s", errbuf);
	snprintf(path, sizeof(path), FIXTURES "/live/%s.%s", name, json ? "ndjson" : "txt");
	want = slurp(path);
	ASSERT_NE(NULL, want) TH_LOG("cannot read %s", path);
	got = live_lines(rec.records, rec.nr_records < max ? rec.nr_records : max, json, NULL,
			 rec.hdr.start_mono_ns, true, NULL);
	ASSERT_NE(NULL, got);
	if (strcmp(want, got))
		first_diff(got, want);
	EXPECT_STREQ(want, got);
	free(want);
	free(got);
	recording__free(&rec);
}

TEST(golden_text)
{
	check_golden(_metadata, "record0", 1000, false);
	check_golden(_metadata, "record1", 100, false);
}

TEST(golden_json)
{
	check_golden(_metadata, "record0", 1000, true);
	check_golden(_metadata, "record1", 100, true);
}

/* every event type, kind and optional field, and the times printf rounds */
static size_t edge_records(struct kt_record *r, size_t max)
{
	static const __u64 ts[] = {
		0, 1, 499, 500, 501, 999, 1000, 1500, 2500, 999999500, 1000000000,
		1234567890123ULL, (1ULL << 50) - 1, 1ULL << 50, (1ULL << 50) + 500,
		(1ULL << 53) + 1, ~0ULL,
	};
	static const char *const names[] = {
		"", "memfd", "a\"b\\c", "tab\there\nnl", "\x01\x1f", "\xc3\xa9t\xc3\xa9",
		"0123456789012345678901234567890123456789012345678901234567890123",
	};
	size_t n = 0;

	for (__u32 type = 0; type < KT_EV_MAX + 1; type++) {
		for (size_t k = 0; k < sizeof(ts) / sizeof(ts[0]) && n < max; k++, n++) {
			struct kt_event *e = &r[n].ev;
			const char *comm;

			memset(&r[n], 0, sizeof(r[n]));
			e->type = type;
			e->kind = k % (KT_KIND_MAX + 1);
			e->ts_ns = ts[k] + 1000;	/* t0 is 1000: k = 0 is before it */
			if (!k)
				e->ts_ns = 3;
			e->phys = k * 0x1000ULL << (k % 40);
			e->size = ~0ULL >> k;
			e->order = k;
			e->nid = k % 2 ? KT_NO_NODE : k;
			e->nr_calls = k % 3;
			e->lat_ns = k % 2 ? 0 : ts[k];
			e->err = k % 4 ? 0 : (k % 8 ? EBUSY : 4095);
			e->aux = ~0ULL - k;
			e->aux32[0] = k % 3 ? k : KT_NO_AREA;
			e->aux32[1] = k;
			e->aux32[2] = 4000000000U;
			e->cpu = k * 1000;
			e->pid = k ? 1U << (2 * k % 32) : 0;
			e->tid = e->pid + 1;
			/* comm fills its 16 bytes but the last */
			comm = k % 2 ? "kho_preserve_bench" : "t\"x";
			memcpy(e->comm, comm, strnlen(comm, sizeof(e->comm) - 1));
			snprintf(e->name, sizeof(e->name), "%s", names[k % 7]);
			snprintf(r[n].producer, sizeof(r[n].producer), "%s",
				 k % 2 ? "a producer longer than sixteen" : "luo/memfd");
		}
	}
	return n;
}

static void check_same(struct __test_metadata *_metadata, const struct kt_record *r, size_t n,
		       __u64 t0)
{
	for (int json = 0; json < 2; json++) {
		char *got = live_lines(r, n, json, NULL, t0, false, NULL);
		char *want = ref_lines(r, n, json, t0);

		ASSERT_NE(NULL, got);
		ASSERT_NE(NULL, want);
		if (strcmp(want, got))
			first_diff(got, want);
		EXPECT_STREQ(want, got) TH_LOG("%s", json ? "json" : "text");
		free(got);
		free(want);
	}
}

TEST(every_field_as_printf)
{
	struct kt_record r[(KT_EV_MAX + 1) * 17];
	size_t n = edge_records(r, sizeof(r) / sizeof(r[0]));

	ASSERT_EQ(sizeof(r) / sizeof(r[0]), n);
	check_same(_metadata, r, n, 1000);
}

TEST(random_events_as_printf)
{
	size_t n = 20000;
	struct kt_record *r = calloc(n, sizeof(*r));

	ASSERT_NE(NULL, r);
	for (size_t i = 0; i < n; i++)
		rnd_record(&r[i]);
	check_same(_metadata, r, n, 0);
	/* and times around a t0 in the middle of their range */
	check_same(_metadata, r, n, 1ULL << 40);
	free(r);
}

TEST(line_max_holds_the_longest_line)
{
	struct kt_record r;
	char buf[KT_LINE_MAX];
	size_t len;

	/* every string full of characters JSON writes as \u00XX, every number at its widest */
	memset(&r, 0x01, sizeof(r));
	r.ev.comm[KT_COMM_LEN - 1] = '\0';
	r.ev.name[KT_NAME_LEN - 1] = '\0';
	r.producer[KT_PRODUCER_LEN - 1] = '\0';
	r.ev.ts_ns = r.ev.phys = r.ev.size = r.ev.lat_ns = r.ev.aux = ~0ULL;
	r.ev.cpu = r.ev.pid = r.ev.tid = r.ev.nr_calls = r.ev.order = r.ev.nid = 0xfffffffeU;
	r.ev.err = EOWNERDEAD;
	for (__u32 type = 0; type <= KT_EV_MAX; type++) {
		r.ev.type = type;
		len = kt_format_json(buf, &r, 0);
		EXPECT_GT(KT_LINE_MAX / 2, len) TH_LOG("type %u: %zu bytes", type, len);
		len = kt_format_record(buf, &r, 0);
		EXPECT_GT(KT_LINE_MAX / 2, len) TH_LOG("type %u: %zu bytes", type, len);
	}
}

TEST(subtree_filter)
{
	struct kt_record r[4] = {};
	__u64 nr = 0;
	char *got;

	r[0].ev.type = KT_EV_SUBTREE_ADD;
	strcpy(r[0].ev.name, "memfd");
	r[1].ev.type = KT_EV_SUBTREE_ADD;
	strcpy(r[1].ev.name, "memfd2");
	r[2].ev.type = KT_EV_PRESERVE;
	strcpy(r[2].ev.name, "memfd");
	r[3].ev.type = KT_EV_SUBTREE_REMOVE;
	strcpy(r[3].ev.name, "memfd");
	got = live_lines(r, 4, false, "memfd", 0, false, &nr);
	ASSERT_NE(NULL, got);
	EXPECT_EQ(2, nr);
	EXPECT_NE(NULL, strstr(got, "subtree_add    name=memfd "));
	EXPECT_NE(NULL, strstr(got, "subtree_remove name=memfd "));
	EXPECT_EQ(NULL, strstr(got, "memfd2"));
	EXPECT_EQ(NULL, strstr(got, "preserve"));
	free(got);
}

FIXTURE(out) {
	char path[64];
	FILE *f;
	struct live_out o;
	struct kt_record r;
};

FIXTURE_SETUP(out)
{
	int fd;

	strcpy(self->path, "/tmp/khotrace-test-XXXXXX");
	fd = mkstemp(self->path);
	ASSERT_LE(0, fd);
	self->f = fdopen(fd, "w");
	ASSERT_NE(NULL, self->f);
	ASSERT_EQ(0, live_out__init(&self->o, self->f, false, NULL, 0));
	EXPECT_FALSE(self->o.line_buffered);
	self->r.ev.type = KT_EV_PRESERVE;
	self->r.ev.size = 4096;
}

FIXTURE_TEARDOWN(out)
{
	live_out__free(&self->o);
	fclose(self->f);
	unlink(self->path);
}

/* bytes in the file now, as another reader sees them */
static long file_bytes(const char *path)
{
	FILE *f = fopen(path, "re");
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

static long lines_of(const char *path)
{
	char *s = slurp(path), *p;
	long n = 0;

	for (p = s; p && *p; p++)
		n += *p == '\n';
	free(s);
	return n;
}

TEST_F(out, no_write_per_event)
{
	for (int i = 0; i < 100; i++)
		ASSERT_EQ(0, live_out__record(&self->o, &self->r));
	EXPECT_EQ(0, file_bytes(self->path));
	/* events keep coming and the last flush is recent: still buffered */
	EXPECT_EQ(0, live_out__drained(&self->o, 100));
	EXPECT_EQ(0, file_bytes(self->path));
	/* idle: out */
	EXPECT_EQ(0, live_out__drained(&self->o, 0));
	EXPECT_EQ(100, lines_of(self->path));
}

TEST_F(out, drained_flushes_when_due)
{
	ASSERT_EQ(0, live_out__record(&self->o, &self->r));
	usleep((LIVE_OUT_FLUSH_MS + 20) * 1000);
	EXPECT_EQ(0, live_out__drained(&self->o, 1));
	EXPECT_EQ(1, lines_of(self->path));
}

TEST_F(out, a_full_buffer_is_written)
{
	size_t n = 2 * LIVE_OUT_BUF / 64;

	for (size_t i = 0; i < n; i++)
		ASSERT_EQ(0, live_out__record(&self->o, &self->r));
	EXPECT_LT(LIVE_OUT_BUF - KT_LINE_MAX, file_bytes(self->path));
	EXPECT_EQ(0, live_out__flush(&self->o));
	EXPECT_EQ(n, lines_of(self->path));
	EXPECT_EQ(n, self->o.nr_events);
}

TEST(write_error)
{
	FILE *f = fopen("/dev/full", "we");
	struct kt_record r = {};
	struct live_out o;
	int err = 0;

	if (!f)
		SKIP(return, "no /dev/full: %s", strerror(errno));
	ASSERT_EQ(0, live_out__init(&o, f, false, NULL, 0));
	for (size_t i = 0; i < LIVE_OUT_BUF && !err; i++)
		err = live_out__record(&o, &r);
	EXPECT_EQ(-ENOSPC, err);
	EXPECT_EQ(-ENOSPC, live_out__free(&o));
	fclose(f);
}

/* NDJSON on stdout: an error at exit is not appended as a JSON object (p_err_json) */
TEST(json_on_stdout_is_marked)
{
	struct kt_record r = {};
	struct live_out o;
	int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);

	ASSERT_LE(0, saved);
	ASSERT_LE(0, null);
	fflush(stdout);
	ASSERT_LE(0, dup2(null, STDOUT_FILENO));
	EXPECT_FALSE(json_stdout_used());
	ASSERT_EQ(0, live_out__init(&o, stdout, true, NULL, 0));
	ASSERT_EQ(0, live_out__record(&o, &r));
	live_out__free(&o);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(null);
	EXPECT_TRUE(json_stdout_used());
}

TEST(terminal_line_by_line)
{
	struct kt_record r = {};
	struct live_out o;
	char buf[512];
	int master, slave;
	ssize_t n;
	FILE *f;

	if (openpty(&master, &slave, NULL, NULL, NULL))
		SKIP(return, "no pseudo-terminal: %s", strerror(errno));
	f = fdopen(slave, "w");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, live_out__init(&o, f, false, NULL, 0));
	EXPECT_TRUE(o.line_buffered);
	r.ev.type = KT_EV_SUBTREE_ADD;
	strcpy(r.ev.name, "memfd");
	ASSERT_EQ(0, live_out__record(&o, &r));
	/* the line is on the terminal before any flush or drain */
	n = read(master, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	EXPECT_NE(NULL, strstr(buf, "name=memfd"));
	live_out__free(&o);
	fclose(f);
	close(master);
}

TEST_HARNESS_MAIN
