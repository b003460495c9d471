// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* khotrace live: one line (or NDJSON object) per KHO event */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "cmdopt.h"
#include "liveout.h"
#include "main.h"
#include "session.h"
#include "tracer.h"

static const struct cmd_opt opts[] = {
	SESSION_CMD_OPTS,
	{ "subtree", required_argument, OPT_SUBTREE, "NAME",
	  "only subtree_add/subtree_remove of NAME" },
	CMD_OPT_JSON("NDJSON, one object per event"),
	{ 0 }
};

static void usage(FILE *f)
{
	cmd_usage(f, opts,
		"Usage: %s live [OPTIONS]\n"
		"\n"
		"Print KHO events as they happen: time, CPU, task, producer, fields.\n"
		"Adjacent folio/pages ranges of one task are coalesced into one event\n"
		"(calls=N) unless --raw. Events dropped by a full ring buffer are\n"
		"counted and reported at exit.\n"
		"\n",
		"\n"
		"EXAMPLES:\n"
		"  khotrace live                    # all KHO events until Ctrl-C\n"
		"  khotrace live -e subtree -d 10   # subtree changes for 10 seconds\n"
		"  khotrace live --errors --json    # failed calls as NDJSON\n");
}

int do_live(int argc, char **argv)
{
	struct cmd_args args = {
		.argc = argc, .argv = argv, .cmd = "live", .opts = opts, .usage = usage,
	};
	struct session s = {};
	struct live_out out = {};
	const char *subtree = NULL;
	struct kt_totals totals;
	struct tracer *t = NULL;
	char errbuf[256], what[128];
	int opt, err = 0, ret;

	while ((opt = session__getopt(&s, &args)) > 0) {
		switch (opt) {
		case OPT_SUBTREE:
			subtree = optarg;
			break;
		}
	}
	if (args.exit >= 0)
		return args.exit;
	ret = session__preflight(NULL);
	if (ret)
		return ret;

	if (live_out__init(&out, stdout, env.json, subtree, clock_ns(CLOCK_MONOTONIC))) {
		p_err("out of memory");
		return EXIT_FAIL;
	}
	s.opts.on_record = live_out__record;
	s.opts.on_drain = live_out__drained;
	s.opts.ctx = &out;
	session__setup_signals();

	err = tracer__new(&t, &s.opts, errbuf, sizeof(errbuf));
	if (err) {
		p_err("%s", errbuf);
		live_out__free(&out);
		return err == -EOPNOTSUPP ? EXIT_UNSUPPORTED : EXIT_FAIL;
	}
	session__describe(t, what, sizeof(what));
	if (!env.json)
		fprintf(stderr, "Tracing KHO (%s)... Hit Ctrl-C to end.\n", what);
	live_out__header(&out);
	err = session__run(&s, t, 0, NULL);
	if (!err) {
		err = tracer__stop(t);
		if (err)
			p_err("failed to read the ring buffer: %s", strerror(-err));
	}
	ret = live_out__free(&out);
	if (ret) {
		p_err("failed to write the events: %s", strerror(-ret));
		err = err ?: ret;
	}
	if (tracer__totals(t, &totals))
		p_err("failed to read the totals from BPF: reported as 0");
	/* never silent about drops */
	fprintf(stderr, "%llu events, %llu lost\n", (unsigned long long)out.nr_events,
		(unsigned long long)totals.lost);
	tracer__free(t);
	return err ? EXIT_FAIL : EXIT_OK;
}
