// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* khotrace record: trace into a record file while COMMAND runs */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmdopt.h"
#include "kho_state.h"
#include "main.h"
#include "prevtrace.h"
#include "recfile.h"
#include "session.h"
#include "tracer.h"

static int on_record(void *ctx, const struct kt_record *r)
{
	return recfile__write_record(ctx, r);
}

enum { OPT_ACROSS = 0x200 };

static const struct cmd_opt opts[] = {
	{ "output", required_argument, 'o', "FILE", "record file (default khotrace.data)" },
	{ "across-kexec", optional_argument, OPT_ACROSS, "INSTANCE",
	  "also trace KHO into the persistent trace instance\n"
	  "(default " PREVTRACE_INSTANCE "), which KHO carries across the\n"
	  "kexec: report --cycle shows it there" },
	SESSION_CMD_OPTS,
	{ 0 }
};

static void usage(FILE *f)
{
	cmd_usage(f, opts,
		"Usage: %s record [OPTIONS] [-- COMMAND [ARGS...]]\n"
		"\n"
		"Trace KHO while COMMAND runs (or until Ctrl-C / -d) and write a record\n"
		"file: header, events, then the exact totals kept by BPF.\n"
		"\n",
		"\n"
		"EXAMPLES:\n"
		"  khotrace record -o kho.rec -- ./preserve-memfd 256M\n"
		"  khotrace record -d 30\n"
		"  khotrace record --across-kexec -o kho.rec -- kexec -l ... -s\n");
}

int do_record(int argc, char **argv)
{
	struct cmd_args args = {
		.argc = argc, .argv = argv, .cmd = "record", .opts = opts, .usage = usage,
		.flags = CMD_ARGS_STOP,
	};
	const char *output = "khotrace.data", *across = NULL;
	struct kt_rec_header hdr;
	struct kt_rec_totals totals = {};
	struct recfile *rf = NULL;
	struct tracer *t = NULL;
	struct kho_state st;
	struct session s = {};
	char errbuf[256], what[128];
	int opt, ret, err = 0, status = 0, code = EXIT_FAIL;
	pid_t child = 0;
	__u64 start;

	while ((opt = session__getopt(&s, &args)) > 0) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case OPT_ACROSS:
			across = optarg ?: PREVTRACE_INSTANCE;
			break;
		}
	}
	if (args.exit >= 0)
		return args.exit;
	ret = session__preflight(&st);
	if (ret)
		return ret;
	if (across) {
		ret = prevtrace__arm(NULL, across, errbuf, sizeof(errbuf));
		if (ret) {
			p_err("--across-kexec: %s", errbuf);
			code = ret == -ENOENT || ret == -EOPNOTSUPP ? EXIT_UNSUPPORTED : EXIT_FAIL;
			goto cleanup;
		}
		fprintf(stderr, "Tracing KHO into trace instance %s until the kexec\n", across);
	}

	rf = recfile__create(output, &(struct kt_rec_header){}, &err);
	if (!rf) {
		p_err("cannot create %s: %s", output, strerror(-err));
		goto cleanup;
	}
	recfile__close(rf);	/* created early to fail before tracing */
	rf = NULL;

	s.opts.on_record = on_record;
	session__setup_signals();
	err = tracer__new(&t, &s.opts, errbuf, sizeof(errbuf));
	if (err) {
		p_err("%s", errbuf);
		code = err == -EOPNOTSUPP ? EXIT_UNSUPPORTED : EXIT_FAIL;
		goto cleanup;
	}
	recfile__init_header(&hdr, tracer__mode(t));
	rf = recfile__create(output, &hdr, &err);
	if (!rf) {
		p_err("cannot create %s: %s", output, strerror(-err));
		goto cleanup;
	}
	recfile__write_scratch(rf, st.scratch, st.nr_scratch);
	/* the tracer is created without a ctx: events may only start now */
	tracer__set_ctx(t, rf);
	start = clock_ns(CLOCK_MONOTONIC);

	session__describe(t, what, sizeof(what));
	fprintf(stderr, "Tracing KHO (%s) into %s%s\n", what, output,
		optind < argc || s.duration ? "" : "... Hit Ctrl-C to end.");
	if (optind < argc) {
		p_info("running %s", argv[optind]);
		child = fork();
		if (child < 0) {
			p_err("failed to fork: %s", strerror(errno));
			goto cleanup;
		}
		if (!child) {
			execvp(argv[optind], argv + optind);
			fprintf(stderr, "%s: cannot run %s: %s\n", bin_name, argv[optind],
				strerror(errno));
			_exit(127);
		}
	}

	err = session__run(&s, t, child, &status);
	p_info("recording ends");
	if (!err) {
		err = tracer__stop(t);
		if (err)
			p_err("failed to read the ring buffer: %s", strerror(-err));
	}
	if (err)
		goto cleanup;
	totals.duration_ns = clock_ns(CLOCK_MONOTONIC) - start;
	if (tracer__totals(t, &totals.totals))
		p_err("failed to read the totals from BPF: reported as 0");
	recfile__write_totals(rf, &totals);
	err = recfile__close(rf);
	rf = NULL;
	if (err) {
		p_err("failed to write %s: %s", output, strerror(-err));
		goto cleanup;
	}
	p_info("recording written");
	fprintf(stderr, "Wrote %s: %llu lost events\n", output,
		(unsigned long long)totals.totals.lost);
	code = EXIT_OK;
	/* a failing COMMAND fails the record run */
	if (child > 0 && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		p_err("command exited with status %d",
		      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		code = EXIT_FAIL;
	}
cleanup:
	recfile__close(rf);
	tracer__free(t);
	kho_state__free(&st);
	return code;
}
