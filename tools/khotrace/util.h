/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * util: the general helpers every module may use: the one error helper
 * (p_err), the global options (env), files, clocks.
 */
#ifndef __KHOTRACE_UTIL_H
#define __KHOTRACE_UTIL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <linux/types.h>

/* exit codes: kselftest where they overlap */
enum {
	EXIT_OK		= 0,
	EXIT_FAIL	= 1,
	EXIT_USAGE	= 2,
	EXIT_UNSUPPORTED = 4,
};

struct env {
	bool verbose;
	__u64 t0_ns;		/* CLOCK_MONOTONIC at start: p_info()'s time stamps */
	bool json;
	/* the process's argument area (what /proc/PID/cmdline shows), for luo_hold() */
	char *argv_area;
	size_t argv_len;
};

extern struct env env;
extern const char *bin_name;

/*
 * The one way an error reaches the user: "khotrace: MESSAGE" on stderr.
 * Under --json the first one is kept for p_err_json().
 */
void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Under --json, when a command wrote no JSON to stdout but reported an
 * error, print {"error":"MESSAGE"} there: a JSON consumer never reads an
 * empty stdout (bpftool's p_err()). main() calls it once at the end.
 */
void p_err_json(void);
/*
 * The one way a service writes its error's message: into the caller's
 * buffer err (size bytes, always terminated); returns ret (-errno), so
 * that 'return err_set(err, size, -EINVAL, "...", ...);' reads as one.
 */
int err_set(char *err, size_t size, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int err_vset(char *err, size_t size, int ret, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/* details on stderr with -v only, stamped with the seconds since the start */
void p_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Start fn(arg) in a thread that takes no signal (the main thread's waits
 * rely on being interrupted by them): 0 or -errno.
 */
int thread_start(pthread_t *thread, void *(*fn)(void *), void *arg);

/* read a whole file, NUL-terminated (debugfs blobs have no useful st_size) */
int read_file(const char *path, void **buf, size_t *len);
/* the clock id's time in ns */
__u64 clock_ns(clockid_t id);
/* a whole unsigned number in base (0: 0x.. or decimal), no sign or blank: 0 or -EINVAL */
int parse_u64(const char *s, __u64 *v, int base);
/* grow the array at *(void **)arr, of *cap elements of sz bytes, to hold n + 1: 0 or -ENOMEM */
int grow_array(void *arr, int *cap, int n, size_t sz);

/* the words of a line, each KEY=VALUE or bare (val NULL) */
#define KV_MAX_WORDS	16
struct kv_words {
	int n;
	char *key[KV_MAX_WORDS];
	char *val[KV_MAX_WORDS];
};

/*
 * Split line in place at any of delims into at most max (<= KV_MAX_WORDS)
 * words: 0, or -E2BIG when there are more (the first max are kept).
 * Reentrant (strtok_r).
 */
int kv_split(char *line, const char *delims, struct kv_words *w, int max);
/* the value of key=, NULL when absent or bare */
const char *kv_get(const struct kv_words *w, const char *key);

/*
 * Write len bytes to path atomically: a temporary file beside it (a name
 * starting with '.' that node_exporter's textfile collector ignores),
 * fsync, rename over path. 0 or -errno; the temporary file never stays.
 */
int write_file_atomic(const char *path, const char *text, size_t len);

/*
 * The kernel's versioned text files (the khotrace series' debugfs
 * kho/bootlog, kho/blackout, kho/{in,out}/memory_map, kho/out/ranges and
 * kho/{in,out}/subtrees) start with the line "# kho NAME - version: N",
 * after /proc/slabinfo's "slabinfo - version: 2.1". The version changes
 * when a reader of the previous one would misparse the file; one row of
 * kho_formats[] per file says the version this khotrace reads.
 */
enum kho_format {
	KHO_FMT_BOOTLOG,
	KHO_FMT_BLACKOUT,
	KHO_FMT_MEMORY_MAP,
	KHO_FMT_SUBTREES,
	KHO_FMT_RANGES,
};

/*
 * Check text's format line: 0 with *rest (may be NULL) after it, or
 * -EPROTO with a message in err naming path (when not NULL), the format
 * and version found and the one understood: a missing line, another
 * format or a newer version. Every parser of those files calls it first.
 */
int kho_format__check(const char *text, const char *path, enum kho_format fmt,
		      const char **rest, char *err, size_t err_size);

#endif /* __KHOTRACE_UTIL_H */
