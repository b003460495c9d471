// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "util.h"

struct env env;

int thread_start(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -err;
}
const char *bin_name = "khotrace";

/* under --json: the first error, for p_err_json() */
static char json_err[1024];

void p_err(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", bin_name, msg);
	if (env.json && !json_err[0])
		snprintf(json_err, sizeof(json_err), "%s", msg);
}

void p_err_json(void)
{
	struct json j;

	if (!env.json || !json_err[0] || json_stdout_used())
		return;
	json_init(&j, stdout);
	json_obj_open(&j);
	json_kv_str(&j, "error", json_err);
	json_obj_close(&j);
}

int err_vset(char *err, size_t size, int ret, const char *fmt, va_list ap)
{
	if (size)
		vsnprintf(err, size, fmt, ap);
	return ret;
}

int err_set(char *err, size_t size, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, size, ret, fmt, ap);
	va_end(ap);
	return ret;
}

void p_info(const char *fmt, ...)
{
	va_list ap;

	if (!env.verbose)
		return;
	/* seconds since the start: where start-up and shutdown time goes */
	flockfile(stderr);	/* one line, whichever thread logs meanwhile */
	fprintf(stderr, "[%8.3f] ", (clock_ns(CLOCK_MONOTONIC) - env.t0_ns) / 1e9);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	funlockfile(stderr);
}

int read_file(const char *path, void **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *p = NULL, *tmp;
	ssize_t r;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (!p || n == cap) {
			if (p)
				cap *= 2;
			tmp = realloc(p, cap + 1);
			if (!tmp) {
				err = -ENOMEM;
				break;
			}
			p = tmp;
		}
		r = read(fd, p + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (!r)
			break;
		n += r;
	}
	close(fd);
	if (err) {
		free(p);
		return err;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}

__u64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}


int write_file_atomic(const char *path, const char *text, size_t len)
{
	const char *slash = strrchr(path, '/');
	char tmp[PATH_MAX];
	size_t off = 0;
	int fd, n, err = 0;

	/* .NAME.tmp.PID in the same directory: rename stays in one file system */
	if (slash)
		n = snprintf(tmp, sizeof(tmp), "%.*s/.%s.tmp.%d", (int)(slash - path), path,
			     slash + 1, (int)getpid());
	else
		n = snprintf(tmp, sizeof(tmp), ".%s.tmp.%d", path, (int)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (off < len && !err) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno != EINTR)
			err = -errno;
		else if (w > 0)
			off += w;
	}
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int parse_u64(const char *s, __u64 *v, int base)
{
	unsigned long long x;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

int grow_array(void *arr, int *cap, int n, size_t sz)
{
	void **p = arr, *tmp;
	int c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	tmp = realloc(*p, c * sz);
	if (!tmp)
		return -ENOMEM;
	*p = tmp;
	*cap = c;
	return 0;
}

int kv_split(char *line, const char *delims, struct kv_words *w, int max)
{
	char *save, *word;

	w->n = 0;
	if (max > KV_MAX_WORDS)
		max = KV_MAX_WORDS;
	for (word = strtok_r(line, delims, &save); word; word = strtok_r(NULL, delims, &save)) {
		char *eq = strchr(word, '=');

		if (w->n == max)
			return -E2BIG;
		w->key[w->n] = word;
		w->val[w->n] = NULL;
		if (eq) {
			*eq = '\0';
			w->val[w->n] = eq + 1;
		}
		w->n++;
	}
	return 0;
}

const char *kv_get(const struct kv_words *w, const char *key)
{
	for (int i = 0; i < w->n; i++)
		if (w->val[i] && !strcmp(w->key[i], key))
			return w->val[i];
	return NULL;
}

static const struct {
	const char *name;
	unsigned int version;	/* the newest this khotrace reads */
} kho_formats[] = {
	[KHO_FMT_BOOTLOG]	= { "bootlog", 1 },
	[KHO_FMT_BLACKOUT]	= { "blackout", 1 },
	[KHO_FMT_MEMORY_MAP]	= { "memory_map", 1 },
	[KHO_FMT_SUBTREES]	= { "subtrees", 1 },
	[KHO_FMT_RANGES]	= { "ranges", 1 },
};

int kho_format__check(const char *text, const char *path, enum kho_format fmt,
		      const char **rest, char *err, size_t err_size)
{
	const char *want = kho_formats[fmt].name, *eol;
	unsigned int max = kho_formats[fmt].version;
	char name[32], line[80], sep = 0;
	unsigned int version;
	int n = 0;

	text = text ?: "";
	eol = text + strcspn(text, "\n");
	snprintf(line, sizeof(line), "%.*s", (int)(eol - text), text);
	if (sscanf(line, "# kho %31s - version: %u%c%n", name, &version, &sep, &n) < 2 ||
	    (sep && sep != '.'))
		return err_set(err, err_size, -EPROTO, "%s%sno format line: '%s', expected "
			       "'# kho %s - version: N' (a kernel without versioned formats?)",
			       path ?: "", path ? ": " : "", line, want);
	if (strcmp(name, want))
		return err_set(err, err_size, -EPROTO, "%s%sformat '%s' version %u, expected "
			       "format '%s'", path ?: "", path ? ": " : "", name, version, want);
	if (version > max)
		return err_set(err, err_size, -EPROTO, "%s%sformat '%s' version %u is newer than "
			       "version %u, the newest this khotrace reads", path ?: "",
			       path ? ": " : "", name, version, max);
	if (rest)
		*rest = eol + (*eol == '\n');
	return 0;
}
