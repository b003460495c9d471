// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* khotrace: observe Kexec HandOver (KHO) */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "main.h"

struct cmd {
	const char *cmd;
	int (*func)(int argc, char **argv);
	const char *help;
};

static const struct cmd cmds[] = {
	{ "status",	do_status,	"KHO state, scratch areas, subtrees, boot log, tracing mode" },
	{ "live",	do_live,	"print KHO events as they happen" },
	{ "record",	do_record,	"trace KHO events into a record file" },
	{ "report",	do_report,	"summarize a record file" },
	{ "snapshot",	do_snapshot,	"write the handover manifest before a kexec" },
	{ "verify",	do_verify,	"check what this kernel received against the manifest" },
	{ "preflight",	do_preflight,	"go/no-go before kexec -e" },
	{ "export",	do_export,	"the last cycle as Prometheus text or JSON" },
	{ "diff",	do_diff,	"compare two cycles or recordings, perf-diff style" },
	{ 0 }
};

static int libbpf_print_fn(enum libbpf_print_level level, const char *format, va_list args)
{
	int ret;

	if (level == LIBBPF_DEBUG && !env.verbose)
		return 0;
	if (level == LIBBPF_INFO && !env.verbose)
		return 0;
	/* the tracer loads its programs from two threads: one line each */
	flockfile(stderr);
	if (env.verbose)
		fprintf(stderr, "[%8.3f] ", (clock_ns(CLOCK_MONOTONIC) - env.t0_ns) / 1e9);
	ret = vfprintf(stderr, format, args);
	funlockfile(stderr);
	return ret;
}

static void usage(FILE *f)
{
	const struct cmd *c;

	fprintf(f,
		"Usage: %s [-v] [--json] COMMAND [ARGS...]\n"
		"       %s COMMAND --help\n"
		"\n"
		"Observe Kexec HandOver (KHO): preservations, subtrees, scratch, FDT.\n"
		"\n"
		"Commands:\n", bin_name, bin_name);
	for (c = cmds; c->cmd; c++)
		fprintf(f, "  %-10s %s\n", c->cmd, c->help);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -v, --verbose   libbpf debug output and details\n"
		"  -j, --json      JSON output\n"
		"  -h, --help      this help\n"
		"  -V, --version   print the version\n"
		"\n"
		"Exit status: 0 ok, 1 failure, 2 usage, 4 unsupported (e.g. no KHO).\n"
		"\n"
		"EXAMPLES:\n"
		"  khotrace status             # is KHO on, what will be handed over\n"
		"  khotrace live -e preserve   # watch preservations\n"
		"  khotrace record -o kho.rec -- sh -c 'echo 1 > /sys/kernel/debug/...'\n"
		"  khotrace report -i kho.rec --sort calls\n"
		"  khotrace preflight && kexec -e\n"
		"  khotrace export -d /var/lib/prometheus/node-exporter\n"
		"  khotrace diff old.json new.json --threshold 10\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose",	no_argument,	NULL, 'v' },
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ "version",	no_argument,	NULL, 'V' },
		{ 0 }
	};
	const struct cmd *c;
	int opt, ret;

	env.t0_ns = clock_ns(CLOCK_MONOTONIC);
	/* '+': stop at the command, its options are its own */
	while ((opt = getopt_long(argc, argv, "+vjhV", opts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			env.verbose = true;
			break;
		case 'j':
			env.json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("khotrace %s\n", KHOTRACE_VERSION);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	libbpf_set_print(libbpf_print_fn);
	if (argc > 0) {
		env.argv_area = argv[0];
		env.argv_len = argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0];
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (c = cmds; c->cmd; c++) {
		if (!strcmp(argv[optind], c->cmd)) {
			argc -= optind;
			argv += optind;
			optind = 0;	/* reset getopt for the command */
			ret = c->func(argc, argv);
			p_err_json();
			return ret;
		}
	}
	p_err("unknown command '%s' (try --help)", argv[optind]);
	p_err_json();
	return EXIT_USAGE;
}
