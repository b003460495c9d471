// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* khotrace status: what KHO will hand over, and what it received */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "cmdopt.h"
#include "events.h"
#include "json.h"
#include "kho_state.h"
#include "main.h"
#include "tracer.h"

#define NO_SERIES "not available (kernel without the khotrace series)"

static void print_size(char *buf, size_t size, __u64 v)
{
	if (v >= (1ULL << 30) && !(v & ((1ULL << 30) - 1)))
		snprintf(buf, size, "%llu GiB", (unsigned long long)(v >> 30));
	else if (v >= (1ULL << 20) && !(v & ((1ULL << 20) - 1)))
		snprintf(buf, size, "%llu MiB", (unsigned long long)(v >> 20));
	else
		snprintf(buf, size, "%llu", (unsigned long long)v);
}

static void print_fdt(const char *title, const struct kho_fdt *fdt, int err)
{
	char sz[32];

	if (err) {
		printf("%-16s %s\n", title, err == -EOVERFLOW ?
		       "truncated (debugfs blob smaller than fdt_totalsize)" :
		       err == -ENOENT ? "not exposed" : strerror(-err));
		return;
	}
	printf("%-16s %s, %u bytes, %d subtrees\n", title,
	       fdt->compatible[0] ? fdt->compatible : "?", fdt->totalsize, fdt->nr_subtrees);
	if (fdt->nr_subtrees)
		printf("  %-24s %-18s %s\n", "NAME", "PHYS", "SIZE");
	for (int i = 0; i < fdt->nr_subtrees; i++) {
		print_size(sz, sizeof(sz), fdt->subtrees[i].size);
		printf("  %-24s 0x%-16llx %s\n", fdt->subtrees[i].name,
		       (unsigned long long)fdt->subtrees[i].phys, sz);
	}
}

/* what khotrace verify can compare: see khotrace-verify(8) */
static void print_checksums(const struct kho_state *st)
{
	printf("%-16s kho_crc=%s: ", "Checksums:", st->cmdline_crc[0] ? st->cmdline_crc : "off");
	if (st->crc_out)
		printf("this kernel lists what it hands over");
	else
		printf("this kernel does not list what it hands over");
	if (!st->kho_boot) {
		printf("\n");
		return;
	}
	printf("; received bytes %s", st->crc_received ? "checksummed at boot" :
	       "not checksummed at boot (verify cannot compare them)");
	if (st->have_sent)
		printf("; the previous kernel listed %llu ranges\n",
		       (unsigned long long)st->nr_sent);
	else
		printf("; the previous kernel listed none\n");
}

static void print_text(const struct kho_state *st, int mode, const char *why)
{
	struct utsname u;
	char sz[32];

	printf("%-16s %s, %s\n", "Kernel:", uname(&u) ? "?" : u.release,
	       kho_series_name(st->series));
	printf("%-16s %s%s%s%s\n", "KHO:", st->enabled ? "enabled" : "disabled",
	       st->cmdline_kho[0] ? " (kho=" : "", st->cmdline_kho,
	       st->cmdline_kho[0] ? ")" : "");
	if (st->active >= 0)
		printf("%-16s %s\n", "Active:", st->active ? "yes (handover FDT final)" : "no");
	else
		printf("%-16s %s\n", "Active:", NO_SERIES);
	if (st->kho_boot && st->have_metadata)
		printf("%-16s KHO kexec (kexec count %u, previous release %s, %s)\n", "Boot:",
		       st->kexec_count, st->previous_release, kho_series_name(st->prev_series));
	else if (st->kho_boot)
		printf("%-16s KHO kexec (no kexec metadata, previous kernel %s)\n", "Boot:",
		       kho_series_name(st->prev_series));
	else
		printf("%-16s cold boot (kexec count 0)\n", "Boot:");

	printf("%-16s %d%s%s%s\n", "Scratch areas:", st->nr_scratch,
	       st->cmdline_scratch[0] ? " (kho_scratch=" : "", st->cmdline_scratch,
	       st->cmdline_scratch[0] ? ")" : "");
	if (st->nr_scratch)
		printf("  %-4s %-18s %s\n", "AREA", "ADDR", "SIZE");
	for (int i = 0; i < st->nr_scratch; i++) {
		print_size(sz, sizeof(sz), st->scratch[i].size);
		printf("  %-4d 0x%-16llx %s\n", i, (unsigned long long)st->scratch[i].addr, sz);
	}
	print_fdt("Out FDT:", &st->out_fdt, st->out_err);
	if (st->kho_boot)
		print_fdt("In FDT:", &st->in_fdt, st->in_err);
	print_checksums(st);
	if (st->bootlog) {
		printf("Boot log:\n");
		for (const char *p = st->bootlog; *p; ) {
			size_t n = strcspn(p, "\n");

			printf("  %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
	} else {
		printf("%-16s %s\n", "Boot log:", NO_SERIES);
	}
	printf("%-16s %s (%s)\n", "Tracing:", kt_mode_name(mode), why);
}

static void json_fdt(struct json *j, const char *key, const struct kho_fdt *fdt, int err)
{
	if (!json_kv_obj_open(j, key, !err))
		return;
	json_kv_str(j, "compatible", fdt->compatible);
	json_kv_u64(j, "size", fdt->totalsize);
	json_key(j, "subtrees");
	json_arr_open(j);
	for (int i = 0; i < fdt->nr_subtrees; i++) {
		json_obj_open(j);
		json_kv_str(j, "name", fdt->subtrees[i].name);
		json_kv_hex(j, "phys", fdt->subtrees[i].phys);
		json_kv_u64(j, "size", fdt->subtrees[i].size);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

static void print_json(const struct kho_state *st, int mode, const char *why)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_open(&j);
	json_kv_bool(&j, "enabled", st->enabled);
	json_kv_str(&j, "cmdline_kho", st->cmdline_kho);
	json_kv_tribool(&j, "active", st->active);
	json_kv_bool(&j, "series", st->series);
	json_kv_bool(&j, "kho_boot", st->kho_boot);
	json_kv_tribool(&j, "previous_series", st->prev_series);
	json_kv_u64(&j, "kexec_count", st->have_metadata ? st->kexec_count : 0);
	json_kv_str_or_null(&j, "previous_release",
			    st->have_metadata ? st->previous_release : NULL);
	json_key(&j, "scratch");
	json_arr_open(&j);
	for (int i = 0; i < st->nr_scratch; i++) {
		json_obj_open(&j);
		json_kv_hex(&j, "addr", st->scratch[i].addr);
		json_kv_u64(&j, "size", st->scratch[i].size);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_fdt(&j, "out_fdt", &st->out_fdt, st->out_err);
	json_fdt(&j, "in_fdt", &st->in_fdt, st->in_err);
	json_kv_str_or_null(&j, "bootlog", st->bootlog);
	json_key(&j, "checksums");
	json_obj_open(&j);
	json_kv_str(&j, "cmdline_kho_crc", st->cmdline_crc);
	json_kv_bool(&j, "out_listed", st->crc_out);
	json_kv_bool(&j, "in_received", st->crc_received);
	json_kv_u64_if(&j, "in_sent_ranges", st->have_sent, st->nr_sent);
	json_obj_close(&j);
	json_kv_str(&j, "tracing", kt_mode_name(mode));
	json_kv_str(&j, "tracing_reason", why);
	json_obj_close(&j);
}

static const struct cmd_opt opts[] = {
	CMD_OPT_JSON("JSON output"),
	{ 0 }
};

static void usage(FILE *f)
{
	cmd_usage(f, opts,
		"Usage: %s status [--json]\n"
		"\n"
		"Show whether KHO is enabled, its scratch areas, the subtrees of the\n"
		"outgoing FDT, the kexec count and previous release after a KHO kexec,\n"
		"the boot log and the tracing mode this kernel supports.\n"
		"\n",
		"");
}

int do_status(int argc, char **argv)
{
	struct cmd_args args = {
		.argc = argc, .argv = argv, .cmd = "status", .opts = opts, .usage = usage,
	};
	struct kho_state st;
	char why[160], err[256];
	int opt, mode, ret;

	while ((opt = cmd_getopt(&args)) > 0) {
		switch (opt) {
		}
	}
	if (args.exit >= 0)
		return args.exit;

	ret = kho_state__read(&st, NULL, err, sizeof(err));
	if (!st.supported) {
		p_err("kho: not supported by this kernel (no CONFIG_KEXEC_HANDOVER)");
		kho_state__free(&st);
		return EXIT_UNSUPPORTED;
	}
	if (ret) {
		p_err("status: %s", err);
		kho_state__free(&st);
		return EXIT_FAIL;
	}
	mode = tracer__probe_mode(why, sizeof(why));
	if (env.json)
		print_json(&st, mode, why);
	else
		print_text(&st, mode, why);
	/* what it could read is shown; a file of a format it does not read fails */
	ret = st.format_err ? EXIT_FAIL : EXIT_OK;
	if (st.format_err)
		p_err("%s", st.format_msg);
	kho_state__free(&st);
	return ret;
}
