// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * live_bench: how many events per second khotrace live's consumer turns
 * into output, on the host (no VM, no BPF). Real records — record files
 * that khotrace record wrote in the VM, by default the host tests'
 * fixtures — are replayed round robin through live_out__record(), the
 * very function live registers as the tracer's per-record callback, with
 * live_out__drained() after every batch as the poll loop calls it, into a
 * file. Text and --json, the median of ROUNDS rounds: events per second
 * of wall-clock time (median=, min=, max=) and, less at the mercy of a
 * shared host, per second of this process's CPU time, user + system
 * (cpu_median=).
 *
 *   bench: live_bench format=text events=N records=M rounds=R median=E
 *          min=E max=E cpu_median=E bytes_per_event=B loadavg=L1,L5,L15
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cmdopt.h"
#include "liveout.h"
#include "recfile.h"
#include "util.h"

#define MAX_INPUTS	8
#define MAX_ROUNDS	101
/* records per drain: a ring buffer poll's worth (4 MiB of 184-byte records is 22 k) */
#define BATCH		4096
#define TARGET		2000000.0	/* events/s, text (issue #19) */

static struct {
	const char *inputs[MAX_INPUTS];
	int nr_inputs;
	unsigned long events;
	int rounds;
	const char *output;
	int formats;		/* 1: text, 2: json */
} cfg = {
	.events = 2000000,
	.rounds = 5,
	.formats = 3,
};

enum { OPT_TEXT = 256 };

/* declared once: cmd_getopt() makes getopt_long()'s tables and the usage */
static const struct cmd_opt opts[] = {
	{ "input", required_argument, 'i', "FILE",
	  "a record file (khotrace record -o); repeatable;\n"
	  "default: the host tests' fixtures" },
	{ "events", required_argument, 'n', "N", "events per round (default 2000000)" },
	{ "rounds", required_argument, 'r', "N", "rounds, 1..101 (default 5)" },
	{ "output", required_argument, 'o', "FILE",
	  "where the lines go (default: a temporary file)" },
	{ "text", no_argument, OPT_TEXT, NULL, "only the text lines" },
	CMD_OPT_JSON("only NDJSON"),
	{ 0 }
};

static void usage(FILE *f)
{
	cmd_usage(f, opts,
		"Usage: %s [-i FILE]... [-n EVENTS] [-r ROUNDS] [-o FILE] [--text|--json]\n"
		"\n"
		"Replay recorded KHO events through khotrace live's per-record path\n"
		"(live_out__record) into a file; print events/s, the median of ROUNDS.\n"
		"\n",
		"\n"
		"Exit: 0 measured (whatever the figure), 1 error, 2 usage.\n");
}

static int parse_args(int argc, char **argv)
{
	struct cmd_args args = {
		.argc = argc, .argv = argv, .cmd = "live_bench", .opts = opts, .usage = usage,
	};
	__u64 v;
	int opt;

	while ((opt = cmd_getopt(&args)) > 0) {
		switch (opt) {
		case 'i':
			if (cfg.nr_inputs == MAX_INPUTS) {
				fprintf(stderr, "live_bench: at most %d inputs\n", MAX_INPUTS);
				return 2;
			}
			cfg.inputs[cfg.nr_inputs++] = optarg;
			break;
		case 'n':
			if (parse_u64(optarg, &v, 10) || !v || v > 1000000000) {
				fprintf(stderr, "live_bench: invalid event count '%s'\n", optarg);
				return 2;
			}
			cfg.events = v;
			break;
		case 'r':
			if (parse_u64(optarg, &v, 10) || !v || v > MAX_ROUNDS) {
				fprintf(stderr, "live_bench: invalid rounds '%s' (1..%d)\n",
					optarg, MAX_ROUNDS);
				return 2;
			}
			cfg.rounds = v;
			break;
		case 'o':
			cfg.output = optarg;
			break;
		case OPT_TEXT:
			cfg.formats = 1;
			break;
		}
	}
	if (args.exit >= 0)
		return args.exit;
	if (env.json)
		cfg.formats = 2;
	if (!cfg.nr_inputs) {
		cfg.inputs[cfg.nr_inputs++] = FIXTURES "/record0.rec";
		cfg.inputs[cfg.nr_inputs++] = FIXTURES "/record1.rec";
	}
	return -1;
}

/* every input's records in one array, times relative to its own start */
static int load(struct kt_record **out, size_t *nr)
{
	struct kt_record *all = NULL, *tmp;
	struct recording rec;
	char errbuf[256];
	size_t n = 0;
	int err;

	for (int i = 0; i < cfg.nr_inputs; i++) {
		err = recfile__load(cfg.inputs[i], &rec, errbuf, sizeof(errbuf));
		if (err) {
			fprintf(stderr, "live_bench: %s\n", errbuf);
			free(all);
			return err;
		}
		tmp = realloc(all, (n + rec.nr_records) * sizeof(*all));
		if (!tmp) {
			recording__free(&rec);
			free(all);
			return -ENOMEM;
		}
		all = tmp;
		for (size_t k = 0; k < rec.nr_records; k++) {
			all[n] = rec.records[k];
			/* one t0 for all: each file's events from its own start */
			all[n].ev.ts_ns = rec.records[k].ev.ts_ns >= rec.hdr.start_mono_ns ?
					  rec.records[k].ev.ts_ns - rec.hdr.start_mono_ns : 0;
			n++;
		}
		recording__free(&rec);
	}
	if (!n) {
		fprintf(stderr, "live_bench: no events in the input\n");
		free(all);
		return -ENODATA;
	}
	*out = all;
	*nr = n;
	return 0;
}

static __u64 cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
}

/*
 * One round: events/s of wall-clock time, or < 0 on a write error; *cpu
 * gets events/s of CPU time, *bytes the output's size.
 */
static double round_once(const char *path, bool json, const struct kt_record *recs, size_t nr,
			 double *cpu, long *bytes)
{
	struct live_out o;
	__u64 t0, c0;
	size_t i = 0;
	FILE *f;
	int err;

	f = fopen(path, "we");
	if (!f) {
		fprintf(stderr, "live_bench: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (live_out__init(&o, f, json, NULL, 0)) {
		fclose(f);
		return -1;
	}
	t0 = clock_ns(CLOCK_MONOTONIC);
	c0 = cpu_ns();
	live_out__header(&o);
	for (unsigned long n = 0; n < cfg.events; n++) {
		if (live_out__record(&o, &recs[i]))
			break;
		if (++i == nr)
			i = 0;
		if (n % BATCH == BATCH - 1)
			live_out__drained(&o, BATCH);
	}
	err = live_out__free(&o);
	if (fclose(f) && !err)
		err = -errno;
	t0 = clock_ns(CLOCK_MONOTONIC) - t0;
	c0 = cpu_ns() - c0;
	if (err) {
		fprintf(stderr, "live_bench: writing %s: %s\n", path, strerror(-err));
		return -1;
	}
	*bytes = 0;
	f = fopen(path, "re");
	if (f && !fseek(f, 0, SEEK_END))
		*bytes = ftell(f);
	if (f)
		fclose(f);
	*cpu = c0 ? cfg.events / (c0 / 1e9) : 0;
	return cfg.events / (t0 / 1e9);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	char tmpl[] = "/tmp/live_bench.XXXXXX";
	double rate[MAX_ROUNDS], cpu[MAX_ROUNDS], load_avg[3] = {};
	struct kt_record *recs = NULL;
	const char *path = cfg.output;
	size_t nr;
	long bytes = 0;
	int ret, fd, err = 1;

	bin_name = "live_bench";
	ret = parse_args(argc, argv);
	if (ret >= 0)
		return ret;
	path = cfg.output;
	if (load(&recs, &nr))
		return 1;
	if (!path) {
		fd = mkstemp(tmpl);
		if (fd < 0) {
			fprintf(stderr, "live_bench: mkstemp: %s\n", strerror(errno));
			goto out;
		}
		close(fd);
		path = tmpl;
	}
	for (int fmt = 1; fmt <= 2; fmt++) {
		if (!(cfg.formats & fmt))
			continue;
		for (int r = 0; r < cfg.rounds; r++) {
			rate[r] = round_once(path, fmt == 2, recs, nr, &cpu[r], &bytes);
			if (rate[r] < 0)
				goto out;
		}
		qsort(rate, cfg.rounds, sizeof(rate[0]), cmp_double);
		qsort(cpu, cfg.rounds, sizeof(cpu[0]), cmp_double);
		getloadavg(load_avg, 3);
		printf("bench: live_bench format=%s events=%lu records=%zu rounds=%d median=%.0f "
		       "min=%.0f max=%.0f cpu_median=%.0f bytes_per_event=%.1f loadavg=%.2f,%.2f,%.2f\n",
		       fmt == 2 ? "json" : "text", cfg.events, nr, cfg.rounds,
		       rate[cfg.rounds / 2], rate[0], rate[cfg.rounds - 1], cpu[cfg.rounds / 2],
		       (double)bytes / cfg.events, load_avg[0], load_avg[1], load_avg[2]);
		if (fmt == 1)
			printf("# target: text >= %.0f events/s: %s\n", TARGET,
			       rate[cfg.rounds / 2] >= TARGET ? "met" : "missed");
	}
	err = 0;
out:
	if (path == tmpl)
		unlink(tmpl);
	free(recs);
	return err;
}
