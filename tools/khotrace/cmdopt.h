/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * cmdopt: a command's options declared once, in one table from which
 * getopt_long()'s struct option, its short option string and the usage's
 * "Options:" lines are made. -j/--json and -h/--help are handled here for
 * every command; selftests/dist.sh checks that the man page and the bash
 * completion name the same options as --help.
 */
#ifndef __KHOTRACE_CMDOPT_H
#define __KHOTRACE_CMDOPT_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#define CMD_MAX_OPTS	24

struct cmd_opt {
	const char *name;	/* --name */
	int has_arg;		/* no_argument, required_argument or optional_argument */
	int val;		/* -x, or a code above 255 for a long-only option */
	const char *arg;	/* the argument's name in usage: "FILE" */
	const char *help;	/* usage's text, lines split by '\n' */
};

#define CMD_OPT_JSON(help)	{ "json", no_argument, 'j', NULL, help }

enum {
	CMD_ARGS_STOP = 1,	/* stop at the first argument (record -- COMMAND) */
	CMD_ARGS_POSITIONAL = 2, /* the command takes arguments (diff A B) */
};

struct cmd_args {
	int argc;
	char **argv;
	const char *cmd;		/* for messages: "snapshot" */
	const struct cmd_opt *opts;	/* ends with { 0 }; --help is implied */
	void (*usage)(FILE *f);
	unsigned int flags;
	/* cmd_getopt()'s */
	int exit;			/* -1: go on, else the exit code */
	struct option lopts[CMD_MAX_OPTS + 2];
	char sopts[3 * CMD_MAX_OPTS + 8];
};

/*
 * getopt_long() over a command's table: the next option's val (> 0) for
 * the command to handle, with optarg; 0 when the options end, and then
 * a->exit is -1 to go on, or the exit code to return: --help printed the
 * usage (EXIT_OK), or an unknown option, a missing argument or an argument
 * the command takes none of (EXIT_USAGE). -j/--json sets env.json.
 */
int cmd_getopt(struct cmd_args *a);
/*
 * A command's usage: head (where "%s" stands for the binary's name and "%%"
 * for "%", as in printf), then
 * "Options:" with a line for each option of the table (and --help), then
 * tail
 */
void cmd_usage(FILE *f, const struct cmd_opt *opts, const char *head, const char *tail);

#endif /* __KHOTRACE_CMDOPT_H */
