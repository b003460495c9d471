/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
#ifndef __KHOTRACE_MAIN_H
#define __KHOTRACE_MAIN_H

#include <stdbool.h>
#include <stdio.h>

#define KHOTRACE_VERSION	"0.1.0"

/* exit codes: kselftest where they overlap */
enum {
	EXIT_OK		= 0,
	EXIT_FAIL	= 1,
	EXIT_USAGE	= 2,
	EXIT_UNSUPPORTED = 4,
};

struct env {
	bool verbose;
	bool json;
	/* the process's argument area (what /proc/PID/cmdline shows), for luo_hold() */
	char *argv_area;
	size_t argv_len;
};

extern struct env env;
extern const char *bin_name;

void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int do_status(int argc, char **argv);
int do_live(int argc, char **argv);
int do_record(int argc, char **argv);
int do_report(int argc, char **argv);
int do_snapshot(int argc, char **argv);
int do_verify(int argc, char **argv);
int do_preflight(int argc, char **argv);
int do_export(int argc, char **argv);
int do_diff(int argc, char **argv);

#endif /* __KHOTRACE_MAIN_H */
