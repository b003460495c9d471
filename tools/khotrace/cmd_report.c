// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* khotrace report: perf-style summary of a record file */
#include <errno.h>
#include <string.h>

#include "blackout.h"
#include "cmdopt.h"
#include "html.h"
#include "kho_state.h"
#include "main.h"
#include "prevtrace.h"
#include "recfile.h"
#include "summary.h"

enum { OPT_SVG = 0x100, OPT_HTML, OPT_INSTANCE };

static const struct cmd_opt opts[] = {
	{ "input", required_argument, 'i', "FILE", "record file (default khotrace.data)" },
	{ "sort", required_argument, 's', "KEY",
	  "producer order: bytes (default), calls, ranges, name" },
	CMD_OPT_JSON("one JSON object"),
	{ "svg", required_argument, OPT_SVG, "FILE",
	  "write the memory map and cycle timeline as SVG" },
	{ "html", required_argument, OPT_HTML, "FILE",
	  "write a self-contained HTML page: the pictures and the tables" },
	{ "cycle", no_argument, 'c', NULL, "the last kexec's blackout: total and phases" },
	{ "instance", required_argument, OPT_INSTANCE, "NAME",
	  "with --cycle: the persistent trace instance (default " PREVTRACE_INSTANCE ")" },
	{ 0 }
};

static void usage(FILE *f)
{
	cmd_usage(f, opts,
		"Usage: %s report [-i FILE] [--sort KEY] [--json] [--svg FILE] [--html FILE]\n"
		"       %s report --cycle [--json] [--instance NAME] [--html FILE]\n"
		"\n"
		"Summarize a record file: preserved bytes and ranges by producer, kind,\n"
		"order and NUMA node, log2 histograms of sizes and latencies, scratch\n"
		"usage and failed calls. With --cycle: the last kexec's blackout, from\n"
		"the running kernel's timeline, joined with the previous kernel's trace\n"
		"events when a persistent trace instance carried them across the kexec\n"
		"(record --across-kexec).\n"
		"\n",
		"");
}

/* --svg / --html: 0 or -errno, the error printed */
static int write_picture(const char *path, const struct recording *rec, int key, bool page)
{
	FILE *f = fopen(path, "we");
	int err;

	if (!f) {
		err = -errno;
		p_err("cannot create %s: %s", path, strerror(errno));
		return err;
	}
	err = page ? html__write_page(f, rec, key) : html__write_svg(f, rec);
	if (fclose(f) && !err)
		err = -errno;
	if (err) {
		p_err("failed to write %s: %s", path, strerror(-err));
		return err;
	}
	fprintf(stderr, "Wrote %s\n", path);
	return 0;
}

/* --cycle, the previous kernel's trace: printed, or why there is none */
static int report_prevtrace(const struct blackout *bo, const char *instance, const char *html)
{
	struct kho_state st;
	struct prevtrace pt;
	struct pt_join j = {};
	char errbuf[256];
	FILE *f;
	int err;

	err = prevtrace__read(NULL, instance, &pt, errbuf, sizeof(errbuf));
	if (err) {
		p_err("%s", errbuf);
		return EXIT_FAIL;
	}
	if (pt.state != PT_OK) {
		printf("\n# %s (instance %s)\n", prevtrace__state_msg(pt.state), instance);
		prevtrace__free(&pt);
		return html ? EXIT_UNSUPPORTED : EXIT_OK;
	}
	err = prevtrace__join(&pt, bo, &j, errbuf, sizeof(errbuf));
	if (err) {
		printf("\n# the previous kernel's trace is not joined: %s\n", errbuf);
		prevtrace__free(&pt);
		return html ? EXIT_UNSUPPORTED : EXIT_OK;
	}
	/* best effort: without the boot log, the timeline lacks only its boot_* lines */
	if (kho_state__read(&st, NULL, errbuf, sizeof(errbuf)))
		p_err("report: the new kernel's boot log is left out: %s", errbuf);
	else if (st.format_err)
		p_err("%s", st.format_msg);
	j.bootlog = st.bootlog;
	prevtrace__print(stdout, &pt, bo, &j);
	if (html) {
		f = fopen(html, "we");
		err = f ? prevtrace__html(f, &pt, bo, &j) : -errno;
		if (f && fclose(f) && !err)
			err = -errno;
		if (err)
			p_err("failed to write %s: %s", html, strerror(-err));
		else
			fprintf(stderr, "Wrote %s\n", html);
	}
	pt_join__free(&j);
	prevtrace__free(&pt);
	kho_state__free(&st);
	return err ? EXIT_FAIL : EXIT_OK;
}

/*
 * --cycle: exit 0, 4 on a cold boot or without the timeline (or, with
 * --html, without the previous kernel's trace), 1 on bad data
 */
static int report_cycle(const char *instance, const char *html)
{
	struct blackout bo;
	char errbuf[256];
	int err;

	err = blackout__read(NULL, &bo, errbuf, sizeof(errbuf));
	if (err) {
		p_err("%s", errbuf);
		return err == -ENOENT ? EXIT_UNSUPPORTED : EXIT_FAIL;
	}
	if (env.json) {
		blackout__json(stdout, &bo);
	} else {
		blackout__print(stdout, &bo);
		if (bo.state == BO_OK || bo.state == BO_NO_KEXEC) {
			if (bo.state == BO_NO_KEXEC)
				printf("no previous kernel's trace: a cold boot\n");
			else
				err = report_prevtrace(&bo, instance, html);
		}
	}
	if (bo.state == BO_NO_KEXEC || bo.state == BO_NO_CLOCK)
		return EXIT_UNSUPPORTED;
	return err;
}

int do_report(int argc, char **argv)
{
	struct cmd_args args = {
		.argc = argc, .argv = argv, .cmd = "report", .opts = opts, .usage = usage,
	};
	const char *input = "khotrace.data", *svg = NULL, *html = NULL;
	const char *instance = PREVTRACE_INSTANCE;
	struct recording rec;
	int opt, key = SORT_BYTES;
	bool cycle = false;
	char errbuf[256];

	while ((opt = cmd_getopt(&args)) > 0) {
		switch (opt) {
		case 'c':
			cycle = true;
			break;
		case OPT_INSTANCE:
			instance = optarg;
			break;
		case 'i':
			input = optarg;
			break;
		case 's':
			key = summary__parse_sort(optarg);
			if (key < 0) {
				p_err("invalid sort key '%s' (bytes, calls, ranges, name)", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_SVG:
			svg = optarg;
			break;
		case OPT_HTML:
			html = optarg;
			break;
		}
	}
	if (args.exit >= 0)
		return args.exit;
	if (cycle)
		return report_cycle(instance, html);
	if (recfile__load(input, &rec, errbuf, sizeof(errbuf))) {
		p_err("%s", errbuf);
		return EXIT_FAIL;
	}
	if ((svg && write_picture(svg, &rec, key, false)) ||
	    (html && write_picture(html, &rec, key, true))) {
		recording__free(&rec);
		return EXIT_FAIL;
	}
	if (env.json)
		summary__json(stdout, &rec, key);
	else
		summary__print(stdout, &rec, key);
	recording__free(&rec);
	return EXIT_OK;
}
