// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <libfdt.h>

#include "fdt.h"
#include "helpers.h"
#include "util.h"

#ifndef KHOTRACE_BIN
#define KHOTRACE_BIN "khotrace"
#endif

int memblock_blob(void *b, size_t size, const char *compat, __u64 start, __u64 len)
{
	int err = fdt_create(b, size);

	err |= fdt_finish_reservemap(b);
	err |= fdt_begin_node(b, "");
	err |= fdt_property_string(b, "compatible", compat);
	err |= fdt_begin_node(b, "khotrace_rm");
	err |= fdt_property_string(b, "compatible", KHO_RESERVE_MEM_COMPATIBLE);
	err |= fdt_property(b, "start", &start, sizeof(start));
	err |= fdt_property(b, "size", &len, sizeof(len));
	err |= fdt_end_node(b);
	err |= fdt_begin_node(b, "not-a-region");
	err |= fdt_end_node(b);
	err |= fdt_end_node(b);
	return err | fdt_finish(b);
}

int tree_new(char *tmpl)
{
	return mkdtemp(tmpl) ? 0 : -errno;
}

void tree_free(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "# could not remove %s\n", dir);
}

int tree_put(const char *dir, const char *rel, const void *data, size_t len)
{
	char path[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (p = strchr(path + strlen(dir) + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	if (!f)
		return -errno;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}

int tree_put_str(const char *dir, const char *rel, const char *s)
{
	return tree_put(dir, rel, s, strlen(s));
}

char *tree_get(const char *dir, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return slurp(path);
}

/* read_file() ends the text with a NUL */
char *slurp(const char *path)
{
	size_t len;
	void *buf;

	return read_file(path, &buf, &len) ? NULL : buf;
}

int khotrace_run(char *out, size_t size, unsigned int keep, const char *fmt, ...)
{
	static const char * const redirect[] = {
		[RUN_STDOUT] = "2>/dev/null",
		[RUN_STDERR] = "2>&1 >/dev/null",
		[RUN_STDOUT | RUN_STDERR] = "2>&1",
	};
	char args[1024], cmd[1200];
	size_t n = 0;
	va_list ap;
	int c, status;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s %s %s", KHOTRACE_BIN, args,
		 redirect[keep & (RUN_STDOUT | RUN_STDERR)] ?: ">/dev/null 2>&1");
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while ((c = fgetc(p)) != EOF) {
		if (c == '\n' && (keep & RUN_FIRST_LINE))
			break;
		if (n + 1 < size)
			out[n++] = c;
	}
	while (fgetc(p) != EOF)
		;
	if (size)
		out[n] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
