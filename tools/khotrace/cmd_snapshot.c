// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* khotrace snapshot: the manifest of what this kernel hands over, carried
 * to the next kernel in a Live Update session (or a file) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "carrier.h"
#include "cmdopt.h"
#include "handover.h"
#include "json.h"
#include "kho_state.h"
#include "main.h"
#include "manifest.h"
#include "util.h"

static struct {
	const char *file;
	bool dry_run;
} opt;

static const struct cmd_opt opts[] = {
	{ "manifest", required_argument, 'm', "FILE",
	  "write the manifest to FILE instead (no Live Update)" },
	{ "dry-run", no_argument, 'n', NULL, "print the manifest, carry nothing" },
	CMD_OPT_JSON("JSON summary"),
	{ 0 }
};

static void usage(FILE *f)
{
	cmd_usage(f, opts,
		"Usage: %s snapshot [--manifest FILE] [--dry-run] [--json]\n"
		"\n"
		"Before a KHO kexec: write the manifest of what this kernel hands over\n"
		"(preserved ranges with crc32c, subtrees, scratch areas, kexec count,\n"
		"release) and carry it to the next kernel, where 'khotrace verify'\n"
		"compares it with what was received.\n"
		"\n"
		"The manifest travels in a Live Update session named '" MANIFEST_SESSION "'\n"
		"(needs liveupdate=on): a holder process named '" MANIFEST_HOLDER "' keeps\n"
		"the session open until the kexec.\n"
		"\n",
		"\n"
		"EXAMPLES:\n"
		"  khotrace snapshot && kexec -e\n"
		"  khotrace snapshot --manifest /state/kho.manifest\n");
}

/* what the session carries, readable by preflight: it cannot read the memfd */
static void keep_copy(const struct manifest *m)
{
	char *text = NULL;
	long len = manifest__format(m, &text);
	int err = len < 0 ? len : 0;

	if (!err && mkdir(MANIFEST_COPY_DIR, 0700) && errno != EEXIST)
		err = -errno;
	if (!err)
		err = write_file_atomic(MANIFEST_COPY, text, len);
	if (err)
		p_info("snapshot: no copy in " MANIFEST_COPY " for preflight: %s", strerror(-err));
	free(text);
}

static void print_json(const struct manifest *m, const char *dest, pid_t holder)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_open(&j);
	json_kv_str(&j, "manifest", dest);
	json_kv_u64_if(&j, "holder_pid", holder > 0, holder);
	json_kv_str(&j, "release", m->release);
	json_kv_u64(&j, "time", m->time);
	json_kv_u64(&j, "kexec_count", m->kexec_count);
	json_kv_u64(&j, "scratch", m->nr_scratch);
	json_kv_u64(&j, "subtrees", m->nr_subtrees);
	json_kv_u64_if(&j, "ranges", m->have_ranges, m->nr_ranges);
	json_kv_str_or_null(&j, "ranges_unavailable", m->have_ranges ? NULL : m->ranges_reason);
	json_kv_u64(&j, "carrier", m->nr_carrier);
	json_kv_tribool(&j, "series", m->series);
	json_kv_u64(&j, "regions", m->nr_regions);
	json_kv_str_or_null(&j, "subtree_phys_unavailable", m->no_fdt ? m->fdt_reason : NULL);
	json_kv_str_or_null(&j, "region_bytes_unavailable",
			    m->region_reason[0] ? m->region_reason : NULL);
	json_obj_close(&j);
}

int do_snapshot(int argc, char **argv)
{
	struct cmd_args args = {
		.argc = argc, .argv = argv, .cmd = "snapshot", .opts = opts, .usage = usage,
	};
	char err[256], dest[4200];
	struct kho_state st;
	struct manifest m;
	pid_t holder = 0;
	char *text = NULL;
	int o, ret;
	long len;

	while ((o = cmd_getopt(&args)) > 0) {
		switch (o) {
		case 'm':
			opt.file = optarg;
			break;
		case 'n':
			opt.dry_run = true;
			break;
		}
	}
	if (args.exit >= 0)
		return args.exit;

	manifest__init(&m);
	if (kho_state__read(&st, NULL, err, sizeof(err))) {
		p_err("snapshot: %s", err);
		ret = EXIT_FAIL;
		goto out;
	}
	p_info("KHO state read");
	if (handover__unavailable(&st)) {
		p_err("snapshot: %s: nothing to hand over", handover__unavailable(&st));
		ret = EXIT_UNSUPPORTED;
		goto out;
	}
	if (handover__collect(&m, &st, NULL, HANDOVER_OUT, err, sizeof(err))) {
		p_err("snapshot: %s", err);
		ret = EXIT_FAIL;
		goto out;
	}
	p_info("%d preserved ranges, %d subtrees and %d reserve_mem regions checksummed",
	       m.nr_ranges, m.nr_subtrees, m.nr_regions);
	if (m.nr_unpreserved)
		p_info("snapshot: %d ranges were unpreserved while the map was read: "
		       "not handed over, not recorded", m.nr_unpreserved);
	manifest__sort(&m);

	ret = EXIT_FAIL;
	if (opt.dry_run) {
		len = manifest__format(&m, &text);
		if (len < 0) {
			p_err("snapshot: formatting the manifest: %s", strerror(-len));
			goto out;
		}
		fwrite(text, 1, len, stdout);
		ret = EXIT_OK;
		goto out;
	}
	if (opt.file) {
		len = manifest__format(&m, &text);
		o = len < 0 ? len : write_file_atomic(opt.file, text, len);
		if (o) {
			p_err("snapshot: %s: %s", opt.file, strerror(-o));
			goto out;
		}
		snprintf(dest, sizeof(dest), "file:%s", opt.file);
	} else {
		struct carrier *c = carrier__new(NULL);

		snprintf(err, sizeof(err), "out of memory");
		o = c ? carrier__store(c, &m, err, sizeof(err)) : -ENOMEM;
		holder = c ? carrier__holder(c) : 0;
		carrier__free(c);
		if (o) {
			p_err("snapshot: %s", err);
			ret = o == -ENOENT ? EXIT_UNSUPPORTED : EXIT_FAIL;
			goto out;
		}
		p_info("manifest carried in live update session '" MANIFEST_SESSION "'");
		snprintf(dest, sizeof(dest), "luo:" MANIFEST_SESSION);
		keep_copy(&m);
		p_info("copy kept in " MANIFEST_COPY);
	}

	if (env.json) {
		print_json(&m, dest, holder);
	} else {
		printf("snapshot: %d subtrees, %d scratch areas, ", m.nr_subtrees, m.nr_scratch);
		if (m.have_ranges)
			printf("%d preserved ranges", m.nr_ranges);
		else
			printf("preserved ranges unavailable");
		printf(", %d reserve_mem regions, kexec count %u, release %s (%s)\n", m.nr_regions,
		       m.kexec_count, m.release, kho_series_name(m.series));
		if (!m.have_ranges)
			printf("snapshot: ranges not recorded: %s\n", m.ranges_reason);
		if (m.no_fdt)
			printf("snapshot: subtree addresses not recorded: %s\n", m.fdt_reason);
		if (m.region_reason[0])
			printf("snapshot: reserve_mem region bytes not recorded: %s\n",
			       m.region_reason);
		if (holder > 0)
			printf("snapshot: manifest in live update session '%s' (%d carrier ranges), "
			       "held by pid %d until the kexec\n", MANIFEST_SESSION, m.nr_carrier,
			       (int)holder);
		else
			printf("snapshot: manifest written to %s\n", opt.file);
	}
	ret = EXIT_OK;
out:
	free(text);
	manifest__free(&m);
	kho_state__free(&st);
	return ret;
}
