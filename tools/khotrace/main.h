/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
#ifndef __KHOTRACE_MAIN_H
#define __KHOTRACE_MAIN_H

#include <stdbool.h>
#include <stdio.h>

#define KHOTRACE_VERSION	"0.1.0"

#include "util.h"

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
