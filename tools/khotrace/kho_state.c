// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "kho_state.h"
#include "manifest.h"
#include "util.h"

#define DEBUGFS_MAGIC		0x64626720
#define KHO_KEXEC_METADATA_VERSION 1

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/*
 * The first error that kept a file of the KHO interface from being read.
 * An absent file (-ENOENT) is no error: the kernel lacks that feature.
 */
struct read_err {
	char *msg;
	size_t size;
	int ret;
};

static int note(struct read_err *re, int ret, const char *path)
{
	if (ret < 0 && ret != -ENOENT && !re->ret)
		re->ret = err_set(re->msg, re->size, ret, "%s: %s", path, strerror(-ret));
	return ret;
}

/* KHO built in, even if disabled: its API is in kallsyms */
static bool kernel_has_kho(void)
{
	char line[256];
	bool found = false;
	FILE *f;

	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " kho_is_enabled\n") != NULL;
	fclose(f);
	return found;
}

static void cmdline_param(const char *cmdline, const char *key, char *val, size_t size)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	val[0] = '\0';
	while ((p = strstr(p, key))) {
		if ((p == cmdline || p[-1] == ' ') && p[klen] == '=')
			snprintf(val, size, "%.*s", (int)strcspn(p + klen + 1, " \n"),
				 p + klen + 1);
		p += klen;
	}
}

/* the first format error of the files read, for the commands to report */
static void format_error(struct kho_state *st, int err, const char *msg)
{
	if (st->format_err)
		return;
	st->format_err = err;
	snprintf(st->format_msg, sizeof(st->format_msg), "%s", msg);
}

/* the leading '#' lines of in/memory_map, without reading the whole map */
static void read_map_header(const char *path, struct kho_state *st, struct read_err *re)
{
	char line[128], err[sizeof(st->format_msg)];
	struct manifest m;
	FILE *f = fopen(path, "re");
	int ret;

	if (!f) {
		note(re, -errno, path);
		return;
	}
	manifest__init(&m);
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	ret = kho_format__check(line, path, KHO_FMT_MEMORY_MAP, NULL, err, sizeof(err));
	if (ret) {
		format_error(st, ret, err);
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f) && line[0] == '#') {
		line[strcspn(line, "\n")] = '\0';
		kho_map_header(line, &m);
	}
	fclose(f);
	st->crc_received = m.crc_received;
	st->have_sent = m.have_sent;
	st->nr_sent = m.nr_sent;
}

/* debugfs is often not mounted in an initramfs: mount it if we may (0, or -errno and why) */
static int ensure_debugfs(char *why, size_t size)
{
	struct statfs sfs;

	if (!statfs("/sys/kernel/debug", &sfs) && sfs.f_type == DEBUGFS_MAGIC)
		return 0;
	if (geteuid())
		return err_set(why, size, -EACCES, "debugfs is not mounted on /sys/kernel/debug, "
			       "and only root may mount it");
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL))
		return err_set(why, size, -errno, "mounting debugfs on /sys/kernel/debug: %s",
			       strerror(errno));
	return 0;
}

static int read_hex_lines(const char *path, __u64 *vals, int max)
{
	unsigned long long v;
	int n = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	errno = 0;
	while (n < max && fscanf(f, "%llx", &v) == 1)
		vals[n++] = v;
	/* a read error is not the end of the list (a directory: EISDIR) */
	if (ferror(f))
		n = -(errno ?: EIO);
	fclose(f);
	return n;
}

int kho_parse_kexec_metadata(const void *blob, size_t len, __u32 *count,
			     char *release, size_t release_size)
{
	const unsigned char *p = blob;
	__u32 version;

	if (len < 4 + 65 + 4)
		return -EINVAL;
	memcpy(&version, p, 4);
	if (version != KHO_KEXEC_METADATA_VERSION)
		return -EPROTO;
	if (!release_size)
		return -EINVAL;
	len = strnlen((const char *)p + 4, 65);
	if (len >= release_size)
		len = release_size - 1;
	memcpy(release, p + 4, len);
	release[len] = '\0';
	memcpy(count, p + 4 + 65, 4);
	return 0;
}

/* the boot log's records, after its format line, or a format error */
static void read_bootlog(struct kho_state *st, const char *path, char *text, size_t len)
{
	char err[sizeof(st->format_msg)];
	const char *rest;
	int ret;

	ret = kho_format__check(text, path, KHO_FMT_BOOTLOG, &rest, err, sizeof(err));
	if (ret) {
		format_error(st, ret, err);
		free(text);
		return;
	}
	memmove(text, rest, len - (rest - text) + 1);
	st->bootlog = text;
}

static int read_fdt(const char *path, struct kho_fdt *fdt, struct read_err *re)
{
	size_t len;
	void *buf;
	int err;

	err = note(re, read_file(path, &buf, &len), path);
	if (err)
		return err;
	err = kho_fdt__parse(buf, len, fdt);
	free(buf);
	return err;
}

int kho_state__read(struct kho_state *st, const char *root, char *err, size_t err_size)
{
	struct read_err re = { .msg = err, .size = err_size };
	char path[512], *cmdline = NULL, why[128];
	__u64 addr[KHO_MAX_SCRATCH], size[KHO_MAX_SCRATCH];
	int n, m, debugfs = 0, dir;
	size_t len;
	void *buf;

	memset(st, 0, sizeof(*st));
	st->active = -1;
	st->out_err = st->in_err = -ENOENT;
	if (err_size)
		err[0] = '\0';

	if (!note(&re, read_file("/proc/cmdline", (void **)&cmdline, &len), "/proc/cmdline")) {
		cmdline_param(cmdline, "kho", st->cmdline_kho, sizeof(st->cmdline_kho));
		cmdline_param(cmdline, "kho_scratch", st->cmdline_scratch,
			      sizeof(st->cmdline_scratch));
		cmdline_param(cmdline, "kho_crc", st->cmdline_crc, sizeof(st->cmdline_crc));
		free(cmdline);
	}
	if (!note(&re, read_file("/sys/kernel/kho/active", &buf, &len), "/sys/kernel/kho/active")) {
		st->active = atoi(buf);
		free(buf);
	}
	if (!root) {
		root = KHO_DEBUGFS;
		debugfs = ensure_debugfs(why, sizeof(why));
	}
	st->debugfs = !debugfs;
	/* the KHO debugfs dir only exists once kho_init() enabled KHO */
	dir = debugfs ?: (exists(root) ? 0 : -errno);
	st->enabled = !dir;
	st->supported = st->enabled || exists("/sys/kernel/kho") || kernel_has_kho();
	/* a kernel without KHO has no KHO interface to fail reading */
	if (!st->supported)
		return 0;
	if (debugfs && !re.ret)
		re.ret = err_set(err, err_size, debugfs, "%s", why);
	note(&re, dir, root);

	snprintf(path, sizeof(path), "%s/out/scratch_phys", root);
	n = note(&re, read_hex_lines(path, addr, KHO_MAX_SCRATCH), path);
	snprintf(path, sizeof(path), "%s/out/scratch_len", root);
	m = note(&re, read_hex_lines(path, size, KHO_MAX_SCRATCH), path);
	for (int i = 0; i < n && i < m; i++) {
		st->scratch[i].addr = addr[i];
		st->scratch[i].size = size[i];
		st->nr_scratch++;
	}

	snprintf(path, sizeof(path), "%s/out/fdt", root);
	st->out_err = read_fdt(path, &st->out_fdt, &re);
	snprintf(path, sizeof(path), "%s/in/fdt", root);
	st->in_err = read_fdt(path, &st->in_fdt, &re);
	st->kho_boot = st->in_err != -ENOENT;
	for (int i = 0; !st->out_err && i < st->out_fdt.nr_subtrees; i++)
		st->crc_out |= !strcmp(st->out_fdt.subtrees[i].name, KHO_CRC_NODE_NAME);
	snprintf(path, sizeof(path), "%s/in/memory_map", root);
	if (st->kho_boot)
		read_map_header(path, st, &re);

	snprintf(path, sizeof(path), "%s/in/sub_fdts/" KHO_METADATA_NODE_NAME, root);
	if (!note(&re, read_file(path, &buf, &len), path)) {
		st->have_metadata = !kho_parse_kexec_metadata(buf, len, &st->kexec_count,
							      st->previous_release,
							      sizeof(st->previous_release));
		free(buf);
	}

	snprintf(path, sizeof(path), "%s/bootlog", root);
	if (!note(&re, read_file(path, &buf, &len), path))
		read_bootlog(st, path, buf, len);
	/* the series' ABI: its boot log, its sysfs active phase, its events */
	st->series = st->bootlog || exists("/sys/kernel/kho/active") ||
		     exists("/sys/kernel/tracing/events/kho");
	st->prev_series = -1;
	if (st->kho_boot && !st->in_err) {
		st->prev_series = 0;
		for (int i = 0; i < st->in_fdt.nr_subtrees; i++)
			if (!strcmp(st->in_fdt.subtrees[i].name, KHO_SERIES_NODE_NAME))
				st->prev_series = 1;
	}
	return re.ret;
}

const char *kho_series_name(int series)
{
	return series > 0 ? "with the khotrace series" :
	       series == 0 ? "without the khotrace series" : "khotrace series unknown";
}

void kho_state__free(struct kho_state *st)
{
	kho_fdt__free(&st->out_fdt);
	kho_fdt__free(&st->in_fdt);
	free(st->bootlog);
	st->bootlog = NULL;
}
