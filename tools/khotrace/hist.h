/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
#ifndef __KHOTRACE_HIST_H
#define __KHOTRACE_HIST_H

#include <stdio.h>
#include <linux/types.h>

#include "json.h"

/* the libbpf-tools layout: "     usecs               : count    distribution" */
void print_log2_hist(FILE *f, const __u64 *vals, int vals_size, const char *val_type);
/* [{"low":..,"high":..,"count":..}, ...] for the non-empty range */
void json_log2_hist(struct json *j, const __u64 *vals, int vals_size);
__u64 hist_total(const __u64 *vals, int vals_size);

#endif /* __KHOTRACE_HIST_H */
