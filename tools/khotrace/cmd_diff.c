// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* khotrace diff: two cycles or recordings, baseline against new */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmdopt.h"
#include "diff.h"
#include "json.h"
#include "main.h"

static const char *const section_titles[] = {
	[DIFF_BLACKOUT] = "Blackout (ms)",
	[DIFF_PRODUCER] = "Preserved by producer",
	[DIFF_LATENCY] = "Latency histograms (ns: log2 slot upper bounds)",
};

static const struct cmd_opt opts[] = {
	{ "threshold", required_argument, 't', "PCT",
	  "exit 1 when the blackout total or any phase grew by\n"
	  "more than PCT percent (a CI gate for a kernel)" },
	CMD_OPT_JSON("JSON rows"),
	{ 0 }
};

static void usage(FILE *f)
{
	cmd_usage(f, opts,
		"Usage: %s diff [--threshold PCT] [--json] BASELINE NEW\n"
		"\n"
		"Compare two cycles ('khotrace export --json' files) or two recordings\n"
		"('khotrace record' files), e.g. the same workload on two kernels:\n"
		"baseline, new, delta and delta %% for each blackout phase, the total and\n"
		"both sides, for each producer's preserved bytes, calls and ranges, and\n"
		"for each latency histogram's count, median and 99th percentile. A row\n"
		"one side lacks shows '-'.\n"
		"\n",
		"\n"
		"Exit status: 0 compared (and within the threshold), 1 a regression\n"
		"beyond the threshold or an error, 2 usage, 4 --threshold without a\n"
		"blackout on both sides.\n"
		"\n"
		"EXAMPLES:\n"
		"  khotrace diff old.json new.json\n"
		"  khotrace diff --threshold 10 baseline.json candidate.json\n"
		"  khotrace diff a.rec b.rec\n");
}

static void value(FILE *f, bool present, __u64 v, bool ms)
{
	if (!present)
		fprintf(f, " %14s", "-");
	else if (ms)
		fprintf(f, " %14.3f", v / 1e6);
	else
		fprintf(f, " %14llu", (unsigned long long)v);
}

static bool regressed(const struct diff_row *r, double threshold)
{
	double pct;

	return r->gated && threshold >= 0 && diff__pct(r, &pct) && pct > threshold;
}

static void print_text(const struct diff *d, const struct cycle *a, const struct cycle *b,
		       const char *pa, const char *pb, double threshold)
{
	fprintf(stdout, "# khotrace diff\n# baseline: %s (%s)\n# new:      %s (%s)\n", pa,
		a->release[0] ? a->release : "?", pb, b->release[0] ? b->release : "?");
	for (int s = 0; s < DIFF_NR_SECTIONS; s++) {
		bool title = false;

		for (int i = 0; i < d->nr; i++) {
			const struct diff_row *r = &d->rows[i];
			bool ms = s == DIFF_BLACKOUT;
			double pct;

			if (r->section != (enum diff_section)s)
				continue;
			if (!title) {
				printf("\n# %s\n %14s %14s %14s %8s  %s\n", section_titles[s],
				       "BASELINE", "NEW", "DELTA", "DELTA%",
				       ms ? "PHASE" : "METRIC  NAME");
				title = true;
			}
			value(stdout, r->in_base, r->base, ms);
			value(stdout, r->in_new, r->new, ms);
			if (r->in_base && r->in_new) {
				double delta = (double)r->new - (double)r->base;

				if (ms)
					printf(" %+14.3f", delta / 1e6);
				else
					printf(" %+14.0f", delta);
			} else {
				printf(" %14s", "-");
			}
			if (diff__pct(r, &pct))
				printf(" %+7.2f%%", pct);
			else
				printf(" %8s", "-");
			if (ms)
				printf("  %s%s\n", r->name, regressed(r, threshold) ?
				       "  <- over the threshold" : "");
			else
				printf("  %-7s %s\n", r->metric, r->name);
		}
	}
	if (!d->nr)
		printf("\n# nothing in common to compare\n");
}

static void print_json(const struct diff *d, const char *pa, const char *pb, double threshold,
		       int nr_regressed)
{
	static const char *const sections[] = {
		[DIFF_BLACKOUT] = "blackout", [DIFF_PRODUCER] = "producer",
		[DIFF_LATENCY] = "latency",
	};
	struct json j;
	double pct;

	json_init(&j, stdout);
	json_obj_open(&j);
	json_kv_str(&j, "baseline", pa);
	json_kv_str(&j, "new", pb);
	json_key(&j, "threshold_pct");
	if (threshold >= 0)
		json_float(&j, threshold);
	else
		json_null(&j);
	json_kv_u64(&j, "regressions", nr_regressed);
	json_key(&j, "rows");
	json_arr_open(&j);
	for (int i = 0; i < d->nr; i++) {
		const struct diff_row *r = &d->rows[i];

		json_obj_open(&j);
		json_kv_str(&j, "section", sections[r->section]);
		json_kv_str(&j, "name", r->name);
		json_kv_str(&j, "metric", r->metric);
		json_key(&j, "baseline");
		r->in_base ? json_u64(&j, r->base) : json_null(&j);
		json_key(&j, "new");
		r->in_new ? json_u64(&j, r->new) : json_null(&j);
		json_key(&j, "delta_pct");
		diff__pct(r, &pct) ? json_float(&j, pct) : json_null(&j);
		json_kv_bool(&j, "regressed", regressed(r, threshold));
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);
}

int do_diff(int argc, char **argv)
{
	struct cmd_args args = {
		.argc = argc, .argv = argv, .cmd = "diff", .opts = opts, .usage = usage,
		.flags = CMD_ARGS_POSITIONAL,
	};
	struct cycle a, b;
	struct diff d = {};
	double threshold = -1;
	int o, ret = EXIT_FAIL, nr_regressed = 0, nr_gated = 0;
	char err[512], *end;

	while ((o = cmd_getopt(&args)) > 0) {
		switch (o) {
		case 't':
			errno = 0;
			threshold = strtod(optarg, &end);
			if (errno || end == optarg || *end || threshold < 0) {
				p_err("diff: invalid threshold '%s' (a percentage >= 0)", optarg);
				return EXIT_USAGE;
			}
			break;
		}
	}
	if (args.exit >= 0)
		return args.exit;
	if (argc - optind != 2) {
		p_err("diff: want two files, BASELINE and NEW (try --help)");
		return EXIT_USAGE;
	}

	cycle__init(&b);
	if (diff__load(argv[optind], &a, err, sizeof(err))) {
		p_err("diff: %s", err);
		return EXIT_FAIL;
	}
	if (diff__load(argv[optind + 1], &b, err, sizeof(err))) {
		p_err("diff: %s", err);
		goto out;
	}
	if (diff__compare(&a, &b, &d)) {
		p_err("diff: out of memory");
		goto out;
	}
	for (int i = 0; i < d.nr; i++) {
		nr_regressed += regressed(&d.rows[i], threshold);
		nr_gated += d.rows[i].gated && d.rows[i].in_base && d.rows[i].in_new;
	}
	if (env.json)
		print_json(&d, argv[optind], argv[optind + 1], threshold, nr_regressed);
	else
		print_text(&d, &a, &b, argv[optind], argv[optind + 1], threshold);
	if (threshold < 0) {
		ret = EXIT_OK;
	} else if (!nr_gated) {
		p_err("diff: --threshold: no blackout in both %s and %s to gate on",
		      argv[optind], argv[optind + 1]);
		ret = EXIT_UNSUPPORTED;
	} else if (nr_regressed) {
		if (!env.json)
			printf("diff: %d blackout rows grew by more than %g%%\n", nr_regressed,
			       threshold);
		ret = EXIT_FAIL;
	} else {
		if (!env.json)
			printf("diff: no blackout row grew by more than %g%%\n", threshold);
		ret = EXIT_OK;
	}
out:
	diff__free(&d);
	cycle__free(&a);
	cycle__free(&b);
	return ret;
}
