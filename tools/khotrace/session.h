/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* session: what live and record share — trace options, checks, the poll loop */
#ifndef __KHOTRACE_SESSION_H
#define __KHOTRACE_SESSION_H

#include <getopt.h>
#include <sys/types.h>

#include "tracer.h"

/* long options shared by tracing commands; codes >= 0x100 */
enum {
	OPT_ERRORS = 0x100,
	OPT_RAW,
	OPT_RINGBUF_SIZE,
	OPT_SUBTREE,
	OPT_MODE,
};

#define SESSION_SHORT_OPTS	"e:d:"
#define SESSION_LONG_OPTS						\
	{ "event",	  required_argument, NULL, 'e' },		\
	{ "duration",	  required_argument, NULL, 'd' },		\
	{ "errors",	  no_argument,	     NULL, OPT_ERRORS },	\
	{ "raw",	  no_argument,	     NULL, OPT_RAW },		\
	{ "ringbuf-size", required_argument, NULL, OPT_RINGBUF_SIZE },	\
	{ "mode",	  required_argument, NULL, OPT_MODE }

#define SESSION_HELP							\
	"  -e, --event=LIST       events: preserve,unpreserve,restore,subtree,\n" \
	"                         subtree_add,subtree_remove,fdt_finalize,\n" \
	"                         scratch_place,init,kexec_metadata (default all);\n" \
	"                         none: no events, only the exact totals\n" \
	"  -d, --duration=SECS    stop after SECS seconds\n"		\
	"      --errors           only calls that failed\n"		\
	"      --raw              one event per call, no coalescing\n"	\
	"      --ringbuf-size=N   ring buffer bytes (K/M suffix, default 4M)\n" \
	"      --mode=MODE        program set: auto (default), tracepoints\n" \
	"                         (needs the khotrace series) or fentry\n"

struct session {
	struct tracer_opts opts;
	int duration;		/* seconds, 0: until SIGINT/SIGTERM */
};

/* 1 if opt was a session option, 0 if not, -EXIT_USAGE on a bad value */
int session__parse_opt(struct session *s, int opt, const char *arg);
/* root, BTF, KHO checks; returns an exit code (EXIT_OK to go on) */
int session__preflight(void);
/* SIGINT/SIGTERM handlers */
void session__setup_signals(void);
/*
 * Poll until a signal, the duration, or the child (if > 0) exits;
 * *child_status gets its wait status. Returns 0 or -errno.
 */
int session__run(struct session *s, struct tracer *t, pid_t child, int *child_status);

#endif /* __KHOTRACE_SESSION_H */
