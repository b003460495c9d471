/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* session: what live and record share — trace options, checks, the poll loop */
#ifndef __KHOTRACE_SESSION_H
#define __KHOTRACE_SESSION_H

#include <getopt.h>
#include <sys/types.h>

#include "cmdopt.h"
#include "tracer.h"

struct kho_state;

/* long options shared by tracing commands; codes >= 0x100 */
enum {
	OPT_ERRORS = 0x100,
	OPT_RAW,
	OPT_RINGBUF_SIZE,
	OPT_SUBTREE,
	OPT_MODE,
};

/* live's and record's options, in cmdopt.h's table form */
#define SESSION_CMD_OPTS							\
	{ "event", required_argument, 'e', "LIST",				\
	  "events: preserve,unpreserve,restore,subtree,\n"			\
	  "subtree_add,subtree_remove,fdt_finalize,\n"			\
	  "scratch_place (default all);\n"				\
	  "none: no events, only the exact totals" },				\
	{ "duration", required_argument, 'd', "SECS", "stop after SECS seconds" }, \
	{ "errors", no_argument, OPT_ERRORS, NULL, "only calls that failed" },	\
	{ "raw", no_argument, OPT_RAW, NULL, "one event per call, no coalescing" }, \
	{ "ringbuf-size", required_argument, OPT_RINGBUF_SIZE, "N",		\
	  "ring buffer bytes (K/M suffix, default 4M)" },			\
	{ "mode", required_argument, OPT_MODE, "MODE",				\
	  "program set: auto (default), tracepoints\n"			\
	  "(needs the khotrace series) or fentry" }

struct session {
	struct tracer_opts opts;
	int duration;		/* seconds, 0: until SIGINT/SIGTERM */
};

/* 1 if opt was a session option, 0 if not, -EXIT_USAGE on a bad value */
int session__parse_opt(struct session *s, int opt, const char *arg);
/*
 * cmd_getopt() that takes the session's options itself: the next option
 * for the command, or 0 when the options end with a->exit as cmd_getopt()
 * leaves it, or EXIT_USAGE after a session option's bad value.
 */
int session__getopt(struct session *s, struct cmd_args *a);
/*
 * root, BTF, KHO checks; returns an exit code (EXIT_OK to go on). With
 * @state, the KHO state it read is left there, for kho_state__free().
 */
int session__preflight(struct kho_state *state);
/*
 * "MODE, N programs, attached in T ms" for the line live and record
 * start with: T from khotrace's start, what starting to trace costs
 */
void session__describe(const struct tracer *t, char *buf, size_t size);
/* SIGINT/SIGTERM handlers; SIGCHLD wakes session__run() */
void session__setup_signals(void);
/*
 * Poll until a signal, the duration, or the child (if > 0) exits;
 * *child_status gets its wait status. Returns 0 or -errno.
 */
int session__run(struct session *s, struct tracer *t, pid_t child, int *child_status);

#endif /* __KHOTRACE_SESSION_H */
