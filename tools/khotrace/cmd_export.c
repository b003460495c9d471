// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* khotrace export: the last cycle for node_exporter's textfile collector, or JSON */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmdopt.h"
#include "export.h"
#include "fdt.h"
#include "main.h"
#include "util.h"

enum { OPT_HISTORY = 0x100, OPT_ROOT };

static const struct cmd_opt opts[] = {
	{ "textfile-dir", required_argument, 'd', "DIR",
	  "write DIR/" EXPORT_PROM_NAME " (node_exporter's\n--collector.textfile.directory)" },
	{ "output", required_argument, 'o', "FILE", "write FILE instead of standard output" },
	CMD_OPT_JSON("JSON instead of Prometheus text"),
	{ "verify-result", required_argument, 'r', "FILE",
	  "verify --json output (default " VERIFY_RESULT_FILE ")" },
	{ "record", required_argument, 'i', "FILE",
	  "a recording of the old kernel: producers, latencies" },
	{ "history", required_argument, OPT_HISTORY, "DIR",
	  "also keep this cycle's JSON as DIR/BOOT_ID.json\n"
	  "(read by preflight for the blackout slopes)" },
	{ "root", required_argument, OPT_ROOT, "DIR", "read the KHO debugfs tree from DIR" },
	{ 0 }
};

static void usage(FILE *f)
{
	cmd_usage(f, opts,
		"Usage: %s export [-d DIR | -o FILE] [--json] [--verify-result FILE]\n"
		"                       [--record FILE] [--history DIR] [--root DIR]\n"
		"\n"
		"Write the last KHO cycle of this host as Prometheus text exposition for\n"
		"node_exporter's textfile collector (or as JSON for other collectors):\n"
		"verify outcome and mismatches by kind, items compared and skipped,\n"
		"blackout total and per phase, received bytes and ranges, preserved\n"
		"bytes, calls and ranges by producer (with --record), kexec count,\n"
		"current and previous release, KHO / kho_crc / series present, the time\n"
		"of the last verify. Files are written atomically (temporary + rename).\n"
		"\n",
		"\n"
		"Exit status: 0 written, 1 an error, 2 usage.\n"
		"\n"
		"EXAMPLES:\n"
		"  khotrace export -d /var/lib/prometheus/node-exporter\n"
		"  khotrace export --json --record /var/lib/khotrace/last.rec\n");
}

/* the cycle as text in a malloc'ed buffer */
static char *format(const struct cycle *c, bool json, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	if (json)
		cycle__write_json(f, c);
	else
		cycle__write_prom(f, c);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int boot_id(char *buf, size_t size)
{
	size_t len;
	char *text;
	int ret;

	ret = read_file("/proc/sys/kernel/random/boot_id", (void **)&text, &len);
	if (ret)
		return ret;
	snprintf(buf, size, "%.*s", (int)strcspn(text, "\n"), text);
	free(text);
	return buf[0] ? 0 : -EINVAL;
}

static int save(const char *path, const char *text, size_t len)
{
	int ret = write_file_atomic(path, text, len);

	if (ret)
		p_err("export: %s: %s", path, strerror(-ret));
	return ret;
}

int do_export(int argc, char **argv)
{
	struct cmd_args args = {
		.argc = argc, .argv = argv, .cmd = "export", .opts = opts, .usage = usage,
	};
	struct cycle_src src = { .verify_file = VERIFY_RESULT_FILE };
	const char *dir = NULL, *output = NULL, *history = NULL;
	char err[512], path[PATH_MAX], id[64];
	char *text = NULL, *json = NULL;
	size_t len, jlen;
	struct cycle c;
	struct stat sb;
	int o, ret;

	while ((o = cmd_getopt(&args)) > 0) {
		switch (o) {
		case 'd':
			dir = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'r':
			src.verify_file = optarg;
			break;
		case 'i':
			src.record_file = optarg;
			break;
		case OPT_HISTORY:
			history = optarg;
			break;
		case OPT_ROOT:
			src.root = optarg;
			break;
		}
	}
	if (args.exit >= 0)
		return args.exit;
	if (dir && output) {
		p_err("export: --textfile-dir and --output exclude each other");
		return EXIT_USAGE;
	}
	if (dir && env.json) {
		p_err("export: --textfile-dir takes Prometheus text, not --json");
		return EXIT_USAGE;
	}
	if (dir && (stat(dir, &sb) || !S_ISDIR(sb.st_mode))) {
		p_err("export: %s: not a directory", dir);
		return EXIT_FAIL;
	}

	ret = EXIT_FAIL;
	if (cycle__collect(&c, &src, err, sizeof(err))) {
		p_err("export: %s", err);
		goto out;
	}
	text = format(&c, env.json, &len);
	json = env.json ? NULL : format(&c, true, &jlen);
	if (!text || (!env.json && !json)) {
		p_err("export: out of memory");
		goto out;
	}
	if (history) {
		if (boot_id(id, sizeof(id))) {
			p_err("export: no boot id in /proc/sys/kernel/random/boot_id");
			goto out;
		}
		snprintf(path, sizeof(path), "%s/%s.json", history, id);
		if (save(path, env.json ? text : json, env.json ? len : jlen))
			goto out;
	}
	if (dir) {
		snprintf(path, sizeof(path), "%s/" EXPORT_PROM_NAME, dir);
		if (save(path, text, len))
			goto out;
	} else if (output) {
		if (save(output, text, len))
			goto out;
	} else if (fwrite(text, 1, len, stdout) != len || fflush(stdout)) {
		p_err("export: writing to standard output: %s", strerror(errno));
		goto out;
	}
	ret = EXIT_OK;
out:
	free(text);
	free(json);
	cycle__free(&c);
	return ret;
}
