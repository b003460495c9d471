// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* khotrace verify: did this kernel receive what the manifest says? */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "carrier.h"
#include "cmdopt.h"
#include "handover.h"
#include "json.h"
#include "kho_state.h"
#include "main.h"
#include "manifest.h"
#include "util.h"
#include "verify.h"

static const struct cmd_opt opts[] = {
	{ "manifest", required_argument, 'm', "FILE",
	  "read the manifest from FILE (no Live Update)" },
	CMD_OPT_JSON("JSON result (errors too: outcome error or not_applicable)"),
	{ "output", required_argument, 'o', "FILE",
	  "write the result to FILE (atomically) instead of\nstandard output" },
	{ 0 }
};

static void usage(FILE *f)
{
	cmd_usage(f, opts,
		"Usage: %s verify [--manifest FILE] [--json] [--output FILE]\n"
		"\n"
		"After a KHO kexec: compare the manifest written by 'khotrace snapshot'\n"
		"in the previous kernel with what this kernel received: kexec count\n"
		"(manifest's + 1), previous release, scratch areas, subtrees (by name:\n"
		"phys, size, crc32c) and preserved ranges (by phys: size, crc32c).\n"
		"One line per mismatch (missing, extra, moved, resized, checksum, value),\n"
		"then 'verify: N items, N ok, N mismatches'. The manifest is taken from\n"
		"the Live Update session '" MANIFEST_SESSION "', which is then finished.\n"
		"\n",
		"\n"
		"Exit status: 0 everything matches, 1 a mismatch or an error,\n"
		"4 nothing to verify (KHO off, cold boot, no manifest).\n"
		"\n"
		"EXAMPLES:\n"
		"  khotrace verify\n"
		"  khotrace verify --manifest /state/kho.manifest --json\n");
}

/* the result: standard output, or a buffer for --output */
static FILE *out;

/* the two kernels of the handover: release and whether each had the series */
struct sides {
	char from[MANIFEST_RELEASE_MAX], to[MANIFEST_RELEASE_MAX];
	int from_series, to_series;
};

static void sides_init(struct sides *sd, const struct manifest *want, const struct kho_state *st)
{
	struct utsname u;

	snprintf(sd->from, sizeof(sd->from), "%s", want->release);
	/* an older manifest does not say: the received FDT does */
	sd->from_series = want->series >= 0 ? want->series : st->prev_series;
	snprintf(sd->to, sizeof(sd->to), "%s", uname(&u) ? "?" : u.release);
	sd->to_series = st->series;
}

static void print_text(const struct vf_result *r, const struct sides *sd)
{
	fprintf(out, "verify: handover from %s (%s) to %s (%s)\n", sd->from,
	       kho_series_name(sd->from_series), sd->to, kho_series_name(sd->to_series));
	for (int i = 0; i < r->nr; i++) {
		const struct vf_item *it = &r->items[i];

		if (it->kind != VF_OK || env.verbose)
			fprintf(out, "%s: %s: %s\n", vf_kind_name(it->kind), it->what, it->detail);
	}
	if (r->nr_subtree_nophys)
		fprintf(out, "skip: subtree addresses not compared (%d subtrees: size and bytes were): %s\n",
		       r->nr_subtree_nophys, r->subtree_phys_reason);
	if (r->nr_regions && r->nr_region_bytes == r->nr_regions)
		fprintf(out, "verify: %d reserve_mem regions: place, size and bytes as received compared\n",
		       r->nr_regions);
	else if (r->nr_regions)
		fprintf(out, "skip: reserve_mem region bytes not compared (%d of %d regions): %s\n",
		       r->nr_regions - r->nr_region_bytes, r->nr_regions, r->region_bytes_reason);
	if (!r->ranges_compared)
		fprintf(out, "skip: preserved ranges not compared: %s\n", r->ranges_reason);
	else if (!r->bytes_compared)
		fprintf(out, "skip: preserved range bytes not compared: %s\n", r->bytes_reason);
	if (r->handover_only && r->sent_compared)
		fprintf(out, "verify: without a manifest: every received range compared with what the "
			"previous kernel listed as it handed it over\n");
	else if (r->handover_only)
		fprintf(out, "skip: without a manifest, nothing to compare: the previous kernel's "
			"handover checksums are %s\n", r->sent_rejected ? "rejected" : "absent");
	else if (r->sent_compared)
		fprintf(out, "verify: range bytes followed from the snapshot through the reboot and the "
		       "handover: %d rewritten and %d preserved while Live Update froze its sessions\n",
		       r->nr_rewritten, r->nr_luo_new);
	else if (r->bytes_compared && r->sent_rejected)
		fprintf(out, "verify: range bytes compared from the snapshot to the boot (the handover "
			"checksums were rejected)\n");
	else if (r->bytes_compared)
		fprintf(out, "verify: range bytes compared from the snapshot to the boot (no handover "
		       "checksums: boot the previous kernel with kho_crc=on)\n");
	if (r->ranges_compared && r->nr_carrier)
		fprintf(out, "verify: %d received ranges are the manifest's carrier (%s)\n",
		       r->nr_carrier, r->sent_compared ? "received as handed over" :
		       "not compared");
	if (r->nr_sent_carrier)
		fprintf(out, "verify: %d received ranges carry the handover checksums (not compared)\n",
		       r->nr_sent_carrier);
	if (r->nr_late)
		fprintf(out, "verify: %d received ranges were written by the previous kernel after "
			"its handover checksums (sent=late, not compared)\n", r->nr_late);
	fprintf(out, "verify: %d items, %d ok, %d mismatches\n", r->nr_items, r->nr_ok,
	       r->nr_mismatch);
}

static void json_side(struct json *j, const char *key, const char *release, int series)
{
	json_key(j, key);
	json_obj_open(j);
	json_kv_str(j, "release", release);
	json_kv_tribool(j, "series", series);
	json_obj_close(j);
}

static void print_json(const struct vf_result *r, const char *source,
		       const struct manifest *want, const struct sides *sd)
{
	struct json j;

	json_init(&j, out);
	json_obj_open(&j);
	json_kv_str(&j, "outcome", r->nr_mismatch ? "mismatch" : "ok");
	json_kv_u64(&j, "verify_time", time(NULL));
	json_kv_str(&j, "manifest", source);
	json_kv_str(&j, "release", want->release);
	json_side(&j, "from", sd->from, sd->from_series);
	json_side(&j, "to", sd->to, sd->to_series);
	json_kv_u64(&j, "subtrees_without_phys", r->nr_subtree_nophys);
	json_kv_str_or_null(&j, "subtree_phys_skip_reason",
			    r->nr_subtree_nophys ? r->subtree_phys_reason : NULL);
	json_kv_u64(&j, "regions", r->nr_regions);
	json_kv_u64(&j, "region_bytes_compared", r->nr_region_bytes);
	json_kv_str_or_null(&j, "region_bytes_skip_reason",
			    r->nr_region_bytes < r->nr_regions ? r->region_bytes_reason : NULL);
	json_kv_u64(&j, "time", want->time);
	json_kv_u64(&j, "items", r->nr_items);
	json_kv_u64(&j, "ok", r->nr_ok);
	json_kv_u64(&j, "mismatches", r->nr_mismatch);
	json_kv_bool(&j, "ranges_compared", r->ranges_compared);
	json_kv_str_or_null(&j, "ranges_skip_reason", r->ranges_compared ? NULL : r->ranges_reason);
	json_kv_bool(&j, "bytes_compared", r->bytes_compared);
	json_kv_str_or_null(&j, "bytes_skip_reason",
			    r->bytes_compared || !r->ranges_compared ? NULL : r->bytes_reason);
	json_kv_u64(&j, "carrier_ranges", r->nr_carrier);
	json_kv_bool(&j, "handover_compared", r->sent_compared);
	json_kv_u64(&j, "luo_rewritten_ranges", r->nr_rewritten);
	json_kv_u64(&j, "luo_preserved_ranges", r->nr_luo_new);
	json_kv_u64(&j, "checksum_carrier_ranges", r->nr_sent_carrier);
	json_kv_u64(&j, "late_ranges", r->nr_late);
	json_kv_bool(&j, "handover_list_full", r->list_full);
	json_key(&j, "results");
	json_arr_open(&j);
	for (int i = 0; i < r->nr; i++) {
		json_obj_open(&j);
		json_kv_str(&j, "kind", vf_kind_name(r->items[i].kind));
		json_kv_str(&j, "item", r->items[i].what);
		json_kv_str(&j, "detail", r->items[i].detail);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);
}

/*
 * The handover of a KHO kexec that this kernel rejected, from its boot
 * log: a populate or mem_map record with a result other than ok (a
 * damaged FDT, no memory map...), or KHO given up at boot because the
 * scratch areas were full (disabled, result=scratch_full). The record is
 * copied into buf.
 */
static bool handover_rejected(const struct kho_state *st, char *buf, size_t size)
{
	static const char *const records[] = {
		"event=populate result=", "event=mem_map result=", "event=disabled result=scratch_full",
	};
	const char *line = st->bootlog, *eol;

	for (; line && *line; line = *eol ? eol + 1 : eol) {
		eol = strchrnul(line, '\n');
		for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
			const char *p = strstr(line, records[i]);

			if (!p || p > eol || (i < 2 && !strncmp(p + strlen(records[i]), "ok ", 3)))
				continue;
			snprintf(buf, size, "%.*s", (int)(eol - line), line);
			return true;
		}
	}
	return false;
}

/*
 * The manifest's carrier was damaged (why): say so and where, as an item
 * of its own, with what the received side's lists allow (verify__handover()).
 */
static int verify_damaged(struct vf_result *res, const struct manifest *got, const char *why,
			  char *msg, size_t msg_size)
{
	char where[160] = "", what[] = "manifest";
	size_t n = 0;
	struct vf_item *it;
	int err = verify__handover(got, res, msg, msg_size);

	for (int i = 0; !err && i < res->nr; i++) {
		if (res->items[i].kind == VF_OK || strncmp(res->items[i].what, "range ", 6))
			continue;
		n += snprintf(where + n, n < sizeof(where) ? sizeof(where) - n : 0, "%s%s",
			      n ? ", " : "", res->items[i].what + 6);
	}
	if (err)
		return err;
	/* one more item, first */
	err = -ENOMEM;
	it = realloc(res->items, (res->nr + 1) * sizeof(*it));
	if (!it)
		return err_set(msg, msg_size, err, "out of memory");
	res->items = it;
	memmove(it + 1, it, res->nr * sizeof(*it));
	res->nr++;
	res->cap = res->nr;
	res->nr_items++;
	res->nr_mismatch++;
	it->kind = VF_CHECKSUM;
	snprintf(it->what, sizeof(it->what), "%s", what);
	if (n)
		snprintf(it->detail, sizeof(it->detail), "Live Update session '" MANIFEST_SESSION
			 "' damaged in the handover (%.100s); changed: %.80s", why, where);
	else if (res->sent_compared)
		snprintf(it->detail, sizeof(it->detail), "Live Update session '" MANIFEST_SESSION
			 "' damaged (%.100s); every received range is as handed over", why);
	else
		snprintf(it->detail, sizeof(it->detail), "Live Update session '" MANIFEST_SESSION
			 "' damaged (%.100s); no handover checksums to say where", why);
	return 0;
}

/* why verify stops without a result: on stderr, and as JSON under --json */
static char why[512];

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
}

static void print_error(int ret)
{
	struct json j;

	p_err("verify: %s", why);
	if (!env.json)
		return;
	json_init(&j, out);
	json_obj_open(&j);
	json_kv_str(&j, "outcome", ret == EXIT_UNSUPPORTED ? "not_applicable" : "error");
	json_kv_u64(&j, "verify_time", time(NULL));
	json_kv_str(&j, "error", why);
	json_obj_close(&j);
}

struct verify_opts {
	const char *file;	/* --manifest: a file, not the Live Update session */
	const char *output;	/* --output: the result into a file, atomically */
};

/* -1: go on; else the exit code */
static int parse_args(int argc, char **argv, struct verify_opts *opt)
{
	struct cmd_args args = {
		.argc = argc, .argv = argv, .cmd = "verify", .opts = opts, .usage = usage,
	};
	int c;

	while ((c = cmd_getopt(&args)) > 0) {
		switch (c) {
		case 'm':
			opt->file = optarg;
			break;
		case 'o':
			opt->output = optarg;
			break;
		}
	}
	if (args.exit >= 0)
		return args.exit;
	return -1;
}

/*
 * The manifest's text from its carrier (file or Live Update session) and
 * where it came from: EXIT_OK, else the exit code with fail() said
 * (EXIT_UNSUPPORTED when there is no manifest at all).
 */
static int read_manifest(const char *file, char **text, size_t *len, char *source,
			 size_t size, char *damaged, size_t damaged_size)
{
	struct carrier *c;
	char err[256];
	int ret;

	if (file) {
		ret = read_file(file, (void **)text, len);
		snprintf(source, size, "file:%s", file);
		if (ret)
			fail("%s%s: %s", ret == -ENOENT ? "no manifest: " : "", file,
			     strerror(-ret));
		return !ret ? EXIT_OK : ret == -ENOENT ? EXIT_UNSUPPORTED : EXIT_FAIL;
	}
	snprintf(source, size, "luo:" MANIFEST_SESSION);
	snprintf(err, sizeof(err), "out of memory");
	c = carrier__new(NULL);
	ret = c ? carrier__load(c, text, len, err, sizeof(err)) : -ENOMEM;
	carrier__free(c);
	/* the session is there, its memfd is not readable: damaged, not absent */
	if (ret == -ENODATA || ret == -EIO) {
		snprintf(damaged, damaged_size, "%s", err);
		return EXIT_OK;
	}
	if (ret)
		fail("%s", err);
	return !ret ? EXIT_OK : ret == -ENOENT ? EXIT_UNSUPPORTED : EXIT_FAIL;
}

/* the manifest against what this kernel received, printed: the exit code */
static int check(const char *text, size_t len, const char *source, const char *damaged,
		 struct kho_state *st)
{
	struct manifest want, got;
	struct vf_result res = {};
	struct sides sd;
	char err[256], why_damaged[300];
	int ret = EXIT_FAIL;

	manifest__init(&got);
	if (!damaged[0] && manifest__parse(text, len, &want, err, sizeof(err))) {
		if (strncmp(source, "luo:", 4)) {
			fail("bad manifest (%s): %s", source, err);
			return EXIT_FAIL;
		}
		snprintf(why_damaged, sizeof(why_damaged), "bad manifest: %s", err);
		manifest__free(&want);
		damaged = why_damaged;
	}
	if (damaged[0]) {
		/* the carrier, not the handover's own lists: compare those */
		manifest__init(&want);
		snprintf(want.release, sizeof(want.release), "?");
		if (handover__collect(&got, st, NULL, HANDOVER_IN, err, sizeof(err)))
			fail("manifest damaged (%s) and received side: %s", damaged, err);
		else if (verify_damaged(&res, &got, damaged, err, sizeof(err)))
			fail("%s", err);
		else
			goto print;
		goto out;
	}
	p_info("verify: manifest from %s: release %s, time %llu, kexec count %u", source,
	       want.release, (unsigned long long)want.time, want.kexec_count);
	if (!st->have_metadata)
		p_info("verify: no readable " KHO_DEBUGFS "/in/sub_fdts/" KHO_METADATA_NODE_NAME);
	if (handover__collect(&got, st, NULL, HANDOVER_IN, err, sizeof(err))) {
		fail("received side: %s", err);
	} else if (verify__compare(&want, &got, &res, err, sizeof(err))) {
		fail("%s", err);
	} else {
		goto print;
	}
	goto out;
print:
	sides_init(&sd, &want, st);
	if (env.json)
		print_json(&res, source, &want, &sd);
	else
		print_text(&res, &sd);
	ret = res.nr_mismatch ? EXIT_FAIL : EXIT_OK;
out:
	verify__free(&res);
	manifest__free(&want);
	manifest__free(&got);
	return ret;
}

int do_verify(int argc, char **argv)
{
	struct verify_opts opt = {};
	char source[4200], *result = NULL, *text = NULL, damaged[256] = "", rejected[256];
	char kerr[256];
	size_t result_len = 0, len = 0;
	struct kho_state st;
	int ret, err;

	ret = parse_args(argc, argv, &opt);
	if (ret >= 0)
		return ret;
	out = opt.output ? open_memstream(&result, &result_len) : stdout;
	if (!out) {
		p_err("verify: out of memory");
		return EXIT_FAIL;
	}
	err = kho_state__read(&st, NULL, kerr, sizeof(kerr));
	ret = EXIT_UNSUPPORTED;
	if (err) {
		ret = EXIT_FAIL;
		fail("%s", kerr);
	} else if (handover__unavailable(&st)) {
		fail("%s: nothing to verify", handover__unavailable(&st));
	} else if (st.format_err) {
		ret = EXIT_FAIL;
		fail("%s", st.format_msg);
	} else if (!st.kho_boot && handover_rejected(&st, rejected, sizeof(rejected))) {
		ret = EXIT_FAIL;
		fail("KHO data was rejected: this kernel refused the handover of the kexec that "
		     "started it (boot log: %s)", rejected);
	} else if (!st.kho_boot) {
		fail("cold boot (no " KHO_DEBUGFS "/in): nothing to verify");
	} else {
		ret = read_manifest(opt.file, &text, &len, source, sizeof(source), damaged,
				    sizeof(damaged));
	}
	if (ret == EXIT_OK)
		ret = check(text, len, source, damaged, &st);
	if (why[0])
		print_error(ret);
	if (opt.output) {
		err = fclose(out) ? -ENOMEM : write_file_atomic(opt.output, result, result_len);
		if (err) {
			p_err("verify: %s: %s", opt.output, strerror(-err));
			ret = EXIT_FAIL;
		}
		free(result);
	}
	kho_state__free(&st);
	free(text);
	return ret;
}
