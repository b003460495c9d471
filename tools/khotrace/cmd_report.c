// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* khotrace report: perf-style summary of a record file */
#include <getopt.h>

#include "main.h"
#include "recfile.h"
#include "summary.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s report [-i FILE] [--sort KEY] [--json]\n"
		"\n"
		"Summarize a record file: preserved bytes and ranges by producer, kind,\n"
		"order and NUMA node, log2 histograms of sizes and latencies, scratch\n"
		"usage and failed calls.\n"
		"\n"
		"Options:\n"
		"  -i, --input=FILE   record file (default khotrace.data)\n"
		"  -s, --sort=KEY     producer order: bytes (default), calls, ranges, name\n"
		"  -j, --json         one JSON object\n"
		"  -h, --help         this help\n", bin_name);
}

int do_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "input",	required_argument, NULL, 'i' },
		{ "sort",	required_argument, NULL, 's' },
		{ "json",	no_argument,	   NULL, 'j' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ 0 }
	};
	const char *input = "khotrace.data";
	struct recording rec;
	int opt, key = SORT_BYTES;
	char errbuf[256];

	while ((opt = getopt_long(argc, argv, "i:s:jh", opts, NULL)) != -1) {
		switch (opt) {
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
		case 'j':
			env.json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		p_err("report: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	if (recfile__load(input, &rec, errbuf, sizeof(errbuf))) {
		p_err("%s", errbuf);
		return EXIT_FAIL;
	}
	if (env.json)
		summary__json(stdout, &rec, key);
	else
		summary__print(stdout, &rec, key);
	recording__free(&rec);
	return EXIT_OK;
}
