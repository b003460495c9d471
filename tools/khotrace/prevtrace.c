// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* prevtrace: the previous kernel's trace from a persistent instance */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdt.h"
#include "prevtrace.h"
#include "svg.h"
#include "util.h"

static void ipath(char *buf, size_t size, const char *tracefs, const char *instance,
		  const char *file)
{
	snprintf(buf, size, "%s/instances/%s/%s", tracefs ?: PREVTRACE_TRACEFS, instance, file);
}

/* writes s to the instance's file; 0 or -errno */
static int put(const char *tracefs, const char *instance, const char *file, const char *s)
{
	char path[512];
	ssize_t n;
	int fd, ret = 0;

	ipath(path, sizeof(path), tracefs, instance, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(s))
		ret = -EIO;
	close(fd);
	return ret;
}

/* the instance's file as a NUL-terminated string; 0 or -errno */
static int get(const char *tracefs, const char *instance, const char *file, char **text)
{
	char path[512];
	size_t len;
	void *buf;
	int ret;

	ipath(path, sizeof(path), tracefs, instance, file);
	ret = read_file(path, &buf, &len);
	if (ret)
		return ret;
	*text = realloc(buf, len + 1);
	if (!*text) {
		free(buf);
		return -ENOMEM;
	}
	(*text)[len] = '\0';
	return 0;
}

static bool instance_exists(const char *tracefs, const char *instance)
{
	char path[512];

	ipath(path, sizeof(path), tracefs, instance, "trace");
	return !access(path, F_OK);
}

/* only instances on a memory range (memmap= or reserve_mem) have it */
static bool instance_persistent(const char *tracefs, const char *instance)
{
	char path[512];

	ipath(path, sizeof(path), tracefs, instance, "last_boot_info");
	return !access(path, F_OK);
}

int prevtrace__arm(const char *tracefs, const char *instance, char *err, size_t errlen)
{
	int ret;

	if (!instance_exists(tracefs, instance))
		return err_set(err, errlen, -ENOENT,
			       "no trace instance '%s': boot with reserve_mem=12M:4096:trace "
			       "trace_instance=%s^traceoff@trace", instance, instance);
	if (!instance_persistent(tracefs, instance))
		return err_set(err, errlen, -EOPNOTSUPP,
			       "trace instance '%s' is not on preserved memory (no "
			       "last_boot_info): map it on a reserve_mem region", instance);
	/* off while the clock changes: that resets the buffer */
	ret = put(tracefs, instance, "tracing_on", "0");
	if (!ret)
		ret = put(tracefs, instance, "trace_clock", PREVTRACE_CLOCK);
	if (ret == -EINVAL)
		return err_set(err, errlen, -EOPNOTSUPP,
			       "no %s trace clock: the blackout's clock does not exist here",
			       PREVTRACE_CLOCK);
	if (!ret)
		ret = put(tracefs, instance, "events/kho/enable", "1");
	if (ret)
		return err_set(err, errlen, ret, "cannot set up trace instance '%s': %s", instance,
			       strerror(-ret));
	/* Live Update has no events of its own yet; enabled where it has */
	put(tracefs, instance, "events/liveupdate/enable", "1");
	ret = put(tracefs, instance, "tracing_on", "1");
	if (!ret)
		ret = put(tracefs, instance, "trace_marker", "khotrace: armed for the kexec");
	if (ret)
		return err_set(err, errlen, ret, "cannot start trace instance '%s': %s", instance,
			       strerror(-ret));
	return 0;
}

static bool span_u64(const char *s, const char *end, __u64 *v)
{
	__u64 x = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		if (!isdigit((unsigned char)*s) || x > (~0ULL - 9) / 10)
			return false;
		x = x * 10 + (*s - '0');
	}
	*v = x;
	return true;
}

/*
 * One event line: "COMM-PID [CPU] FLAGS TS: NAME: ARGS", FLAGS optional
 * (the irq-info option), TS a counter or SECONDS.MICROS (ns clocks, kept
 * in ns). The comm may hold spaces and dashes: the pid follows the last
 * dash before the first " [digits]".
 */
static int parse_event(const char *line, struct pt_event *e)
{
	const char *p = line, *lb = NULL, *rb, *ts, *tse, *name, *colon, *dash;
	__u64 v, frac;
	size_t n;

	memset(e, 0, sizeof(*e));
	while (*p == ' ')
		p++;
	for (const char *q = p; (q = strstr(q, " [")); q++) {
		const char *d = q + 2;

		while (isdigit((unsigned char)*d))
			d++;
		if (d > q + 2 && *d == ']') {
			lb = q;
			break;
		}
	}
	if (!lb)
		return -EINVAL;
	while (lb > p && lb[-1] == ' ')
		lb--;
	dash = NULL;
	for (const char *q = p; q < lb; q++)
		if (*q == '-')
			dash = q;
	if (!dash || !span_u64(dash + 1, lb, &v) || v > 0x7fffffff)
		return -EINVAL;
	e->pid = v;
	n = dash - p;
	if (n >= sizeof(e->comm))
		n = sizeof(e->comm) - 1;
	memcpy(e->comm, p, n);
	p = strchr(lb, '[') + 1;
	rb = strchr(p, ']');
	if (!span_u64(p, rb, &v) || v > 0xffff)
		return -EINVAL;
	e->cpu = v;
	/* the timestamp: the first word ending in ':' */
	for (ts = rb + 1; *ts == ' '; ts++)
		;
	tse = strchr(ts, ':');
	if (!tse)
		return -EINVAL;
	if (memchr(ts, ' ', tse - ts)) {	/* flags first */
		ts = memchr(ts, ' ', tse - ts);
		while (*ts == ' ')
			ts++;
	}
	{
		const char *dot = memchr(ts, '.', tse - ts);

		if (dot) {
			if (!span_u64(ts, dot, &v) || !span_u64(dot + 1, tse, &frac) ||
			    tse - dot - 1 != 6 || v > ~0ULL / 1000000000ULL)
				return -EINVAL;
			e->ts = v * 1000000000ULL + frac * 1000;
		} else if (!span_u64(ts, tse, &e->ts)) {
			return -EINVAL;
		}
	}
	for (name = tse + 1; *name == ' '; name++)
		;
	colon = strchr(name, ':');
	if (!colon || colon == name || (size_t)(colon - name) >= sizeof(e->name) ||
	    memchr(name, ' ', colon - name))
		return -EINVAL;
	memcpy(e->name, name, colon - name);
	for (p = colon + 1; *p == ' '; p++)
		;
	snprintf(e->args, sizeof(e->args), "%s", p);
	return 0;
}

int prevtrace__parse(const char *text, struct prevtrace *pt, char *err, size_t errlen)
{
	char line[1024];
	int lineno = 0, cap = 0;

	pt->nr = 0;
	while (text && *text) {
		size_t len = strcspn(text, "\n");
		struct pt_event e;

		lineno++;
		if (len >= sizeof(line))
			return err_set(err, errlen, -EINVAL, "trace line %d: longer than %zu bytes",
				       lineno, sizeof(line) - 1);
		memcpy(line, text, len);
		line[len] = '\0';
		text += len + (text[len] == '\n');

		if (line[0] == '#') {
			unsigned long long a, b;

			if (sscanf(line, "# entries-in-buffer/entries-written: %llu/%llu",
				   &a, &b) == 2) {
				pt->entries = a;
				pt->written = b;
			}
			continue;
		}
		if (!line[strspn(line, " ")])
			continue;
		/* "CPU:N [LOST N EVENTS]" and the like: not an event */
		if (!strncmp(line, "CPU:", 4))
			continue;
		if (parse_event(line, &e))
			return err_set(err, errlen, -EINVAL, "trace line %d: not an event: '%.60s'",
				       lineno, line);
		if (pt->nr == cap) {
			int ncap = cap ? cap * 2 : 64;
			struct pt_event *n = realloc(pt->ev, ncap * sizeof(*n));

			if (!n)
				return err_set(err, errlen, -ENOMEM, "out of memory");
			pt->ev = n;
			cap = ncap;
		}
		pt->ev[pt->nr++] = e;
	}
	return 0;
}

/* the bracketed word of trace_clock: "local [x86-tsc] mono" */
static void current_clock(const char *text, char *buf, size_t size)
{
	const char *l = strchr(text, '['), *r = l ? strchr(l, ']') : NULL;

	snprintf(buf, size, "%.*s", l && r ? (int)(r - l - 1) : 0, l ? l + 1 : "");
}

int prevtrace__read(const char *tracefs, const char *instance, struct prevtrace *pt,
		    char *err, size_t errlen)
{
	char *text = NULL;
	int ret;

	memset(pt, 0, sizeof(*pt));
	snprintf(pt->instance, sizeof(pt->instance), "%s", instance);
	if (!instance_exists(tracefs, instance)) {
		pt->state = PT_NO_INSTANCE;
		return 0;
	}
	if (!instance_persistent(tracefs, instance)) {
		pt->state = PT_NOT_PERSISTENT;
		return 0;
	}
	/* "ADDR\t[kernel]" while the buffer is the last boot's, "# Current" after */
	ret = get(tracefs, instance, "last_boot_info", &text);
	if (ret)
		return err_set(err, errlen, ret, "cannot read %s's last_boot_info: %s", instance,
			       strerror(-ret));
	if (!strncmp(text, "# Current", 9)) {
		pt->state = PT_NO_PREVIOUS;
		free(text);
		return 0;
	}
	free(text);
	ret = get(tracefs, instance, "trace_clock", &text);
	if (ret)
		return err_set(err, errlen, ret, "cannot read %s's trace_clock: %s", instance,
			       strerror(-ret));
	current_clock(text, pt->clock, sizeof(pt->clock));
	free(text);
	ret = get(tracefs, instance, "trace", &text);
	if (ret)
		return err_set(err, errlen, ret, "cannot read %s's trace: %s", instance,
			       strerror(-ret));
	ret = prevtrace__parse(text, pt, err, errlen);
	free(text);
	if (!ret && !pt->nr)
		pt->state = PT_EMPTY;
	return ret;
}

static int row_cmp(const void *a, const void *b)
{
	const struct pt_row *x = a, *y = b;

	if (x->tsc != y->tsc)
		return x->tsc < y->tsc ? -1 : 1;
	/* a stamp before the event it stamps */
	return (int)y->stamp - (int)x->stamp;
}

static bool is_marker(const struct pt_event *e)
{
	return !strcmp(e->name, "tracing_mark_write") || !strcmp(e->name, "print");
}

/* the kho_blackout event's phase= and tsc= */
static bool blackout_event(const struct pt_event *e, char *phase, size_t size, __u64 *tsc)
{
	const char *p = strstr(e->args, "phase="), *t = strstr(e->args, "tsc=");
	const char *pe, *te;

	if (strcmp(e->name, "kho_blackout") || !p || !t)
		return false;
	p += 6;
	pe = p + strcspn(p, " ");
	t += 4;
	te = t + strcspn(t, " ");
	snprintf(phase, size, "%.*s", (int)(pe - p), p);
	/* a previous boot's events are printed field by field: "0x1f (31)" */
	if (te - t > 2 && t[0] == '0' && t[1] == 'x') {
		__u64 x = 0;

		for (t += 2; t < te; t++) {
			int d = isdigit((unsigned char)*t) ? *t - '0' :
				(*t >= 'a' && *t <= 'f') ? *t - 'a' + 10 : -1;

			if (d < 0 || x >> 60)
				return false;
			x = x << 4 | d;
		}
		*tsc = x;
		return true;
	}
	return span_u64(t, te, tsc);
}

static void row_name(const struct pt_row *r, char *buf, size_t size)
{
	if (r->stamp)
		snprintf(buf, size, "stamp %s", r->phase->name);
	else
		snprintf(buf, size, "%s", r->ev->name);
}

int prevtrace__join(const struct prevtrace *pt, const struct blackout *bo, struct pt_join *j,
		    char *err, size_t errlen)
{
	const struct bo_phase *reboot, *jump, *user;
	__u64 window, prev = 0;
	int n = 0;

	memset(j, 0, sizeof(*j));
	if (pt->state != PT_OK)
		return err_set(err, errlen, -EINVAL, "%s", prevtrace__state_msg(pt->state));
	if (strcmp(pt->clock, PREVTRACE_CLOCK))
		return err_set(err, errlen, -EINVAL,
			       "the previous kernel traced with the '%s' clock, not %s: its "
			       "events cannot be placed on the blackout's TSC", pt->clock,
			       PREVTRACE_CLOCK);
	if (bo->state != BO_OK)
		return err_set(err, errlen, -EINVAL, "no blackout timeline: %s",
			       blackout__state_str(bo->state));
	reboot = blackout__find(bo, "reboot");
	jump = blackout__find(bo, "jump");
	user = &bo->phases[bo->nr - 1];
	if (!reboot || !jump)
		return err_set(err, errlen, -EINVAL, "the blackout has no reboot or jump stamp");
	j->reboot_tsc = reboot->tsc;
	j->jump_tsc = jump->tsc;
	j->userspace_tsc = user->tsc;
	window = (__u64)((unsigned __int128)PREVTRACE_WINDOW_NS * bo->tsc_khz / 1000000);

	j->rows = calloc(pt->nr + bo->nr, sizeof(*j->rows));
	if (!j->rows)
		return err_set(err, errlen, -ENOMEM, "out of memory");
	/*
	 * The old kernel ends with the jump stamp's own event, which the
	 * trace clock stamps a little after the stamp.
	 */
	j->end_tsc = jump->tsc;
	for (int i = 0; i < pt->nr; i++) {
		char phase[32];
		__u64 tsc;

		if (blackout_event(&pt->ev[i], phase, sizeof(phase), &tsc) &&
		    !strcmp(phase, "jump") && tsc == jump->tsc && pt->ev[i].ts > j->end_tsc)
			j->end_tsc = pt->ev[i].ts;
	}
	for (int i = 0; i < pt->nr; i++) {
		const struct pt_event *e = &pt->ev[i];

		j->nr_old++;
		if (e->ts < prev)
			j->out_of_order++;
		prev = e->ts;
		if (e->ts > j->end_tsc)
			j->after_jump++;
		if (e->ts >= reboot->tsc && e->ts <= j->end_tsc)
			j->nr_way_out++;
		if (e->ts < reboot->tsc && is_marker(e))
			j->last_user = e;
	}
	j->start_tsc = j->end_tsc > window ? j->end_tsc - window : 0;
	if (j->last_user && j->last_user->ts < j->start_tsc)
		j->start_tsc = j->last_user->ts;
	for (int i = 0; i < pt->nr; i++)
		if (pt->ev[i].ts >= j->start_tsc) {
			if (pt->ev[i].ts <= j->end_tsc &&
			    pt->ev[i].ts + window >= j->end_tsc)
				j->nr_window++;
			j->rows[n++] = (struct pt_row){ .tsc = pt->ev[i].ts, .old = true,
							.ev = &pt->ev[i] };
		}
	for (int i = 0; i < bo->nr; i++) {
		const struct bo_phase *p = &bo->phases[i];

		j->rows[n++] = (struct pt_row){ .tsc = p->tsc, .old = p->out, .stamp = true,
						.phase = p };
		if (!p->out)
			continue;
		j->stamps_out++;
		for (int k = 0; k < pt->nr; k++) {
			char phase[32];
			__u64 tsc;

			if (blackout_event(&pt->ev[k], phase, sizeof(phase), &tsc) &&
			    !strcmp(phase, p->name) && tsc == p->tsc) {
				j->stamps_matched++;
				break;
			}
		}
	}
	j->nr_rows = n;
	qsort(j->rows, n, sizeof(*j->rows), row_cmp);
	/* the way out: from the reboot stamp to the jump */
	int first = 0;

	while (first < n && j->rows[first].phase != reboot)
		first++;
	for (int i = first + 1; i < n && j->rows[i].tsc <= j->end_tsc; i++) {
		__u64 gap = blackout__ns(j->rows[i].tsc - j->rows[i - 1].tsc, bo->tsc_khz);

		if (gap > j->max_gap_ns) {
			j->max_gap_ns = gap;
			row_name(&j->rows[i - 1], j->gap_from, sizeof(j->gap_from));
			row_name(&j->rows[i], j->gap_to, sizeof(j->gap_to));
		}
	}
	return 0;
}

bool prevtrace__region_instance(const char *cmdline, const char *region, char *instance,
				size_t size)
{
	static const char key[] = "trace_instance=";
	const size_t klen = sizeof(key) - 1;

	for (const char *p = cmdline; p && *p; ) {
		const char *end = p + strcspn(p, " \t\n"), *v = p + klen, *at, *r, *re;

		if (end - p > (long)klen && !strncmp(p, key, klen) &&
		    (at = memchr(v, '@', end - v))) {
			r = at + 1;
			re = memchr(r, ',', end - r) ?: end;
			/* a region name; an address means memmap= memory */
			if (!isdigit((unsigned char)*r) && (size_t)(re - r) == strlen(region) &&
			    !strncmp(r, region, re - r)) {
				snprintf(instance, size, "%.*s", (int)strcspn(v, "^@,"), v);
				return true;
			}
		}
		p = end + strspn(end, " \t\n");
	}
	return false;
}

const char *prevtrace__state_str(enum pt_state state)
{
	switch (state) {
	case PT_OK:		return "ok";
	case PT_NO_INSTANCE:	return "no instance";
	case PT_NOT_PERSISTENT:	return "not persistent";
	case PT_NO_PREVIOUS:	return "no previous";
	case PT_EMPTY:		return "empty";
	}
	return "?";
}

const char *prevtrace__state_msg(enum pt_state state)
{
	switch (state) {
	case PT_OK:
		return "the previous kernel's trace";
	case PT_NO_INSTANCE:
		return "no previous kernel's trace: this kernel was booted without the "
		       "persistent trace instance (or tracefs is not mounted)";
	case PT_NOT_PERSISTENT:
		return "no previous kernel's trace: the trace instance is not on preserved memory";
	case PT_NO_PREVIOUS:
		return "no previous kernel's trace: the instance holds this boot's events "
		       "(a cold boot, or tracing was started again since)";
	case PT_EMPTY:
		return "no previous kernel's trace: the previous kernel recorded no event "
		       "into the instance";
	}
	return "?";
}

static double ms_rel(__u64 tsc, __u64 ref, __u32 khz)
{
	return tsc >= ref ? blackout__ns(tsc - ref, khz) / 1e6 :
			    -(blackout__ns(ref - tsc, khz) / 1e6);
}

/* the boot log's records of the retrieve phase, or of populate (the others) */
static void print_bootlog(FILE *f, const char *log, bool retrieve)
{
	while (log && *log) {
		int len = strcspn(log, "\n");
		bool is_retrieve = strstr(log, " event=retrieve") &&
				   strstr(log, " event=retrieve") < log + len;

		if (len && is_retrieve == retrieve)
			fprintf(f, "%12s %-6s %-5s %-18s %.*s\n", "", "new", "-", "boot log", len, log);
		log += len + (log[len] == '\n');
	}
}

void prevtrace__print(FILE *f, const struct prevtrace *pt, const struct blackout *bo,
		      const struct pt_join *j)
{
	fprintf(f, "\n# one timeline across the kexec: trace instance %s (clock %s), "
		"blackout stamps (tsc at %u kHz)\n", pt->instance, pt->clock, bo->tsc_khz);
	fprintf(f, "# old kernel: %d events kept, %d in its last %.0f ms before the jump, "
		"%d between the reboot and the jump\n", j->nr_old, j->nr_window,
		PREVTRACE_WINDOW_NS / 1e6, j->nr_way_out);
	fprintf(f, "# stamps of the way out traced: %d of %d; widest gap from the reboot "
		"to the jump: %.3f ms (%s -> %s)\n", j->stamps_matched, j->stamps_out, j->max_gap_ns / 1e6,
		j->gap_from, j->gap_to);
	if (j->last_user)
		fprintf(f, "# last user space event of the old kernel: %s-%d %s: %s "
			"(%.3f ms before the reboot)\n", j->last_user->comm, j->last_user->pid,
			j->last_user->name, j->last_user->args,
			-ms_rel(j->last_user->ts, j->reboot_tsc, bo->tsc_khz));
	fprintf(f, "\n%12s %-6s %-5s %-18s %s\n", "REBOOT+ms", "KERNEL", "CPU", "EVENT", "DETAIL");
	for (int i = 0; i < j->nr_rows; i++) {
		const struct pt_row *r = &j->rows[i];
		double t = ms_rel(r->tsc, j->reboot_tsc, bo->tsc_khz);

		if (r->stamp) {
			fprintf(f, "%12.3f %-6s %-5s %-18s %s phase begins%s\n", t,
				r->old ? "old" : "new", "-", "stamp", r->phase->name,
				i + 1 == j->nr_rows ? " (first user space program)" : "");
			if (!strcmp(r->phase->name, "populate") || !strcmp(r->phase->name, "retrieve"))
				print_bootlog(f, j->bootlog, !strcmp(r->phase->name, "retrieve"));
			continue;
		}
		fprintf(f, "%12.3f %-6s %-5d %-18s %s-%d %s\n", t, "old", r->ev->cpu, r->ev->name,
			r->ev->comm, r->ev->pid, r->ev->args);
	}
}

int prevtrace__html(FILE *f, const struct prevtrace *pt, const struct blackout *bo,
		    const struct pt_join *j)
{
	struct svg_timeline *tl = svg_timeline__new();
	char *body = NULL, tip[320];
	size_t len = 0;
	FILE *mf = NULL;
	double h;
	int src, next = 0, err = 0;

	if (!tl)
		return -ENOMEM;
	src = svg_timeline__add_source(tl, "TSC, both kernels",
				       blackout__ns(j->start_tsc, bo->tsc_khz),
				       blackout__ns(j->userspace_tsc, bo->tsc_khz));
	for (int i = 0; src >= 0 && i < j->nr_rows && !err; i++) {
		const struct pt_row *r = &j->rows[i];
		__u64 ns = blackout__ns(r->tsc, bo->tsc_khz);
		char lane[64];
		int l;

		if (r->stamp) {
			err = svg_timeline__add_mark(tl, src, ns, r->phase->name);
			continue;
		}
		snprintf(lane, sizeof(lane), "old: %s", r->ev->name);
		snprintf(tip, sizeof(tip), "%s-%d [%d] %s: %s\nreboot%+.3f ms", r->ev->comm,
			 r->ev->pid, r->ev->cpu, r->ev->name, r->ev->args,
			 ms_rel(r->tsc, j->reboot_tsc, bo->tsc_khz));
		l = svg_timeline__lane(tl, lane, svg_palette(next));
		next += l == next;
		err = l < 0 ? l : svg_timeline__add_event(tl, src, l, &(struct svg_tl_event){
			.ts_ns = ns, .kind = r->ev->name, .tip = tip });
	}
	for (int i = 0; src >= 0 && i < bo->nr && !err; i++) {
		const struct bo_phase *p = &bo->phases[i];
		int l = svg_timeline__lane(tl, p->out ? "stamps: way out" : "stamps: way in",
					   p->out ? "#555555" : "#999999");

		snprintf(tip, sizeof(tip), "%s (%s): %.3f ms", p->name, p->out ? "out" : "in",
			 p->dur_ns / 1e6);
		err = l < 0 ? l : svg_timeline__add_event(tl, src, l, &(struct svg_tl_event){
			.ts_ns = blackout__ns(p->tsc, bo->tsc_khz), .dur_ns = p->dur_ns,
			.kind = "phase", .tip = tip });
	}
	if (src < 0)
		err = src;
	if (!err) {
		mf = open_memstream(&body, &len);
		err = mf ? 0 : -errno;
	}
	if (!err) {
		h = svg_timeline__render(tl, mf, 10, 10, 1220) + 20;
		if (fclose(mf))
			err = -errno;
	}
	if (!err) {
		fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		      "<title>khotrace: one timeline across the kexec</title>\n</head>\n<body>\n"
		      "<h1>khotrace: one timeline across the kexec</h1>\n<pre>", f);
		{
			char *txt = NULL;
			size_t tlen = 0;
			FILE *tf = open_memstream(&txt, &tlen);

			if (tf) {
				prevtrace__print(tf, pt, bo, j);
				fclose(tf);
				svg_escape(f, txt);
			}
			free(txt);
		}
		fputs("</pre>\n", f);
		svg_begin(f, 1240, h, false);
		fwrite(body, 1, len, f);
		svg_end(f);
		fputs("</body>\n</html>\n", f);
	}
	free(body);
	svg_timeline__free(tl);
	return err ?: (ferror(f) ? -EIO : 0);
}

void prevtrace__free(struct prevtrace *pt)
{
	free(pt->ev);
	pt->ev = NULL;
	pt->nr = 0;
}

void pt_join__free(struct pt_join *j)
{
	free(j->rows);
	j->rows = NULL;
	j->nr_rows = 0;
}
