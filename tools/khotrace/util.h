/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* util: small file helpers shared by commands and services */
#ifndef __KHOTRACE_UTIL_H
#define __KHOTRACE_UTIL_H

#include <stddef.h>

/*
 * Write len bytes to path atomically: a temporary file beside it (a name
 * starting with '.' that node_exporter's textfile collector ignores),
 * fsync, rename over path. 0 or -errno; the temporary file never stays.
 */
int write_file_atomic(const char *path, const char *text, size_t len);

#endif /* __KHOTRACE_UTIL_H */
