/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * What several host tests need: a scratch tree of files standing for
 * debugfs, sysfs or tracefs, and the khotrace binary run as a user would.
 */
#ifndef __KHOTRACE_TEST_HELPERS_H
#define __KHOTRACE_TEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* mkdtemp() of tmpl ("/tmp/NAME.XXXXXX", rewritten): 0 or -errno */
int tree_new(char *tmpl);
/* rm -rf dir */
void tree_free(const char *dir);
/* write len bytes to dir/rel, making rel's directories: 0 or -errno */
int tree_put(const char *dir, const char *rel, const void *data, size_t len);
int tree_put_str(const char *dir, const char *rel, const char *s);
/* dir/rel's text (free() it), NULL when it cannot be read */
char *tree_get(const char *dir, const char *rel);
/* path's text (free() it), NULL when it cannot be read */
char *slurp(const char *path);

/*
 * The memblock subtree as mm/memblock.c writes it (prepare_kho_fdt), of
 * compatible compat, in b: a reserve_mem region "khotrace_rm" at start,
 * of len bytes, and a node that is no region. 0, or a libfdt error.
 */
int memblock_blob(void *b, size_t size, const char *compat, __u64 start, __u64 len);

/* what khotrace_run() keeps in out */
enum {
	RUN_STDOUT	= 1,	/* standard output */
	RUN_STDERR	= 2,	/* standard error (with RUN_STDOUT: both, as they come) */
	RUN_FIRST_LINE	= 4,	/* only the first line, without its '\n' */
};

/*
 * Run "KHOTRACE_BIN ARGS" (printf's fmt) through the shell: its exit code,
 * -1 when it could not run or died of a signal; out (size bytes, always
 * terminated) holds what keep says.
 */
int khotrace_run(char *out, size_t size, unsigned int keep, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* __KHOTRACE_TEST_HELPERS_H */
