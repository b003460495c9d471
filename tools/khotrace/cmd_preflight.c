// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* khotrace preflight: go or no-go before kexec -e, with every reason */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cmdopt.h"
#include "fdt.h"
#include "handover.h"
#include "json.h"
#include "kho_state.h"
#include "main.h"
#include "manifest.h"
#include "preflight.h"

enum pf_state { PF_OK, PF_NOGO, PF_SKIP, PF_INFO };

static const char *const state_names[] = {
	[PF_OK] = "ok", [PF_NOGO] = "no-go", [PF_SKIP] = "skip", [PF_INFO] = "info",
};

#define MAX_CHECKS	16
#define PL(n)		((n) == 1 ? "" : "s")
#define MAX_SESSIONS	32
#define MAX_RMEM	8

static struct {
	int nr, nr_nogo;
	struct {
		const char *name;
		enum pf_state state;
		char detail[512];
	} c[MAX_CHECKS];
	bool have_expect;
	double expect_ns;
	struct pf_model model;
	__u64 bytes, ranges;
} pf;

static void check(const char *name, enum pf_state state, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void check(const char *name, enum pf_state state, const char *fmt, ...)
{
	va_list ap;

	if (pf.nr == MAX_CHECKS)
		return;
	pf.c[pf.nr].name = name;
	pf.c[pf.nr].state = state;
	va_start(ap, fmt);
	vsnprintf(pf.c[pf.nr].detail, sizeof(pf.c[pf.nr].detail), fmt, ap);
	va_end(ap);
	pf.nr++;
	pf.nr_nogo += state == PF_NOGO;
}

/* append to a list in buf */
static void append(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

enum { OPT_NO_SNAPSHOT = 0x100, OPT_HISTORY };

static const struct cmd_opt opts[] = {
	{ "manifest", required_argument, 'm', "FILE",
	  "the snapshot was written to FILE (no Live Update)" },
	{ "kernel", required_argument, 'k', "BZIMAGE",
	  "before loading: would kexec -s of this kernel (and\n"
	  "--initrd) fit the scratch areas? (instead of the\n"
	  "loaded image's checks)" },
	{ "initrd", required_argument, 'i', "FILE", "the initrd of --kernel" },
	{ "no-snapshot", no_argument, OPT_NO_SNAPSHOT, NULL, "do not require a snapshot" },
	{ "history", required_argument, OPT_HISTORY, "DIR",
	  "earlier cycles (export --history; default\n" CYCLE_HISTORY_DIR ")" },
	CMD_OPT_JSON("JSON result"),
	{ 0 }
};

static void usage(FILE *f)
{
	cmd_usage(f, opts,
		"Usage: %s preflight [--manifest FILE] [--no-snapshot] [--history DIR] [--json]\n"
		"                          [--kernel BZIMAGE [--initrd FILE]]\n"
		"\n"
		"Before kexec -e: go or no-go, with every reason. Checks that a kexec\n"
		"image is loaded, with the file loader (kexec -s, which KHO needs), and\n"
		"that its segments lie in KHO's scratch areas; shows whether the handover\n"
		"FDT is final (active phase), the Live Update sessions held and by whom,\n"
		"the reserve_mem regions that go along; checks that a 'khotrace snapshot'\n"
		"is held and still current; and expects a blackout from the preserved\n"
		"bytes and ranges and the slopes of this host's earlier cycles.\n"
		"\n",
		"\n"
		"Exit status: 0 go, 1 no-go (every reason listed), 2 usage, 4 not a KHO\n"
		"system.\n"
		"\n"
		"EXAMPLES:\n"
		"  kexec -l -s bzImage --reuse-cmdline && khotrace snapshot &&\n"
		"      khotrace preflight && kexec -e\n"
		"  khotrace preflight --kernel bzImage --initrd initrd.img --no-snapshot\n"
		"  khotrace preflight --json\n");
}

static void check_image(const struct kho_state *st)
{
	int idx[4], n;
	struct pf_image img;
	char list[256] = "", err[256];

	if (preflight__read_image(NULL, &img, err, sizeof(err))) {
		check("image", PF_NOGO, "%s", err);
		return;
	}
	if (!img.loaded) {
		check("image", PF_NOGO, "no kexec image loaded (kexec -l -s KERNEL ...)");
		return;
	}
	check("image", PF_OK, "a kexec image is loaded");
	if (!img.loader[0])
		check("loader", PF_SKIP, "cannot tell kexec_file_load from kexec_load: no "
		      KEXEC_SYSFS "/loader (kernel without the khotrace series)");
	else if (!strcmp(img.loader, "file"))
		check("loader", PF_OK,
		      "kexec_file_load (kexec -s): the image gets the handover FDT");
	else
		check("loader", PF_NOGO, "loaded with kexec_load (kexec -l without -s): "
		      "nothing is handed over, load it again with -s");
	if (!img.have_segments) {
		check("scratch", PF_SKIP, "no " KEXEC_SYSFS "/segments (kernel without the "
		      "khotrace series)");
		return;
	}
	n = preflight__misfits(&img, st->scratch, st->nr_scratch, idx, 4);
	if (!n) {
		check("scratch", PF_OK, "%d segments, all in the %d scratch areas",
		      img.nr_segments, st->nr_scratch);
		return;
	}
	for (int i = 0; i < n && i < 4; i++)
		append(list, sizeof(list), "%s0x%llx+0x%llx",
			 i ? ", " : "", (unsigned long long)img.seg[idx[i]].mem,
			 (unsigned long long)img.seg[idx[i]].memsz);
	check("scratch", PF_NOGO, "%d of %d segments outside the %d scratch areas (%s%s): "
	      "the next kernel may find them overwritten by preserved memory", n,
	      img.nr_segments, st->nr_scratch, list, n > 4 ? ", ..." : "");
}

/* boot parameters, command line and purgatory: a few pages (an estimate) */
#define PF_SMALL_SEGMENTS	(64 << 10)

/* --kernel: would kexec -s of this kernel (and initrd) fit the scratch areas? */
static void check_plan(const struct kho_state *st, const char *kernel, const char *initrd)
{
	struct pf_plan segs[3] = {
		{ .what = "kernel" }, { .what = "boot parameters and purgatory" },
		{ .what = "initrd" },
	};
	unsigned char hdr[4096];
	char list[400] = "", err[256];
	int fd, nr = 2, n;
	struct stat sb;
	ssize_t len;

	check("image", PF_INFO, "not checked: --kernel plans a load of %s", kernel);
	fd = open(kernel, O_RDONLY | O_CLOEXEC);
	len = fd >= 0 ? pread(fd, hdr, sizeof(hdr), 0) : -1;
	if (fd >= 0)
		close(fd);
	if (len < 0) {
		check("scratch", PF_NOGO, "%s: %s", kernel, strerror(errno));
		return;
	}
	if (preflight__bzimage(hdr, len, &segs[0].size, &segs[0].align, err, sizeof(err))) {
		check("scratch", PF_SKIP, "%s: %s: cannot plan its placement", kernel, err);
		return;
	}
	segs[0].size = (segs[0].size + 4095) & ~4095ULL;
	segs[1].size = PF_SMALL_SEGMENTS;
	segs[1].align = 4096;
	if (initrd) {
		if (stat(initrd, &sb)) {
			check("scratch", PF_NOGO, "%s: %s", initrd, strerror(errno));
			return;
		}
		segs[2].size = sb.st_size;
		segs[2].align = 4096;
		nr = 3;
	}
	n = preflight__plan(segs, nr, st->scratch, st->nr_scratch);
	for (int i = 0; i < nr; i++)
		append(list, sizeof(list), "%s%s %llu bytes%s", i ? ", " : "", segs[i].what,
		       (unsigned long long)segs[i].size, segs[i].area < 0 ? " (no room)" : "");
	if (n)
		check("scratch", PF_NOGO, "%s would not fit the %d scratch areas: %s; "
		      "kexec -s would fail (EADDRNOTAVAIL)", kernel, st->nr_scratch, list);
	else
		check("scratch", PF_OK, "%s would fit the %d scratch areas (%s; an estimate of "
		      "kexec_file_load's placement)", kernel, st->nr_scratch, list);
}

static void check_active(const struct kho_state *st)
{
	if (st->active < 0)
		check("active", PF_INFO, "no active phase in this kernel: the handover FDT is "
		      "finalized by kexec -e");
	else if (st->active)
		check("active", PF_INFO, "yes: the handover FDT is final");
	else
		check("active", PF_INFO, "no: the handover FDT is finalized by kexec -e "
		      "(echo 1 > /sys/kernel/kho/active to freeze it before)");
}

static void check_sessions(void)
{
	struct pf_session s[MAX_SESSIONS];
	char list[480] = "", err[256];
	int n = preflight__sessions(NULL, s, MAX_SESSIONS, err, sizeof(err));

	if (n < 0) {
		check("sessions", PF_SKIP, "%s", err);
		return;
	}
	for (int i = 0; i < n && i < MAX_SESSIONS; i++)
		append(list, sizeof(list), "%s'%s' held by pid %d (%s)",
			 i ? ", " : "", s[i].name, s[i].pid, s[i].comm);
	check("sessions", PF_INFO, "%d Live Update session%s%s%s", n, PL(n), n ? ": " : "", list);
}

static void check_reserve_mem(void)
{
	struct kho_rmem r[MAX_RMEM];
	char list[400] = "";
	size_t len;
	void *blob;
	int n;

	if (read_file(KHO_DEBUGFS "/out/sub_fdts/" KHO_MEMBLOCK_NODE_NAME, &blob, &len)) {
		check("reserve_mem", PF_INFO, "none (no " KHO_MEMBLOCK_NODE_NAME " subtree)");
		return;
	}
	n = kho_memblock__parse(blob, len, r, MAX_RMEM);
	free(blob);
	if (n < 0) {
		check("reserve_mem", PF_SKIP, "the " KHO_MEMBLOCK_NODE_NAME " subtree is not "
		      KHO_MEMBLOCK_COMPATIBLE);
		return;
	}
	for (int i = 0; i < n && i < MAX_RMEM; i++)
		append(list, sizeof(list), "%s%s at 0x%llx (%llu bytes)",
			 i ? ", " : "", r[i].name, (unsigned long long)r[i].start,
			 (unsigned long long)r[i].size);
	check("reserve_mem", PF_INFO, "%d region%s go%s along%s%s", n, PL(n), n == 1 ? "es" : "",
	      n ? ": " : "", list);
}

static bool session_held(const char *name, int *pid)
{
	struct pf_session s[MAX_SESSIONS];
	/* an unreadable /proc holds no session: check_sessions() says why */
	int n = preflight__sessions(NULL, s, MAX_SESSIONS, NULL, 0);

	for (int i = 0; i < n && i < MAX_SESSIONS; i++) {
		if (!strcmp(s[i].name, name)) {
			*pid = s[i].pid;
			return true;
		}
	}
	return false;
}

/* the snapshot against the handover now; now is the outgoing side */
static void check_snapshot(const char *file, const struct manifest *now, bool now_ok)
{
	char err[256], why[256], where[300];
	struct manifest snap;
	bool copy = false;
	size_t len;
	char *text;
	int pid, ret;

	if (file) {
		snprintf(where, sizeof(where), "in %s", file);
	} else if (session_held(MANIFEST_SESSION, &pid)) {
		snprintf(where, sizeof(where), "in Live Update session '" MANIFEST_SESSION
			 "' held by pid %d", pid);
		file = MANIFEST_COPY;
		copy = true;
	} else {
		check("snapshot", PF_NOGO, "none: no Live Update session '" MANIFEST_SESSION
		      "' (run 'khotrace snapshot', or --manifest FILE, or --no-snapshot)");
		return;
	}
	ret = read_file(file, (void **)&text, &len);
	if (ret) {
		if (copy)
			check("snapshot", PF_OK, "%s (cannot tell if current: %s: %s)", where,
			      file, strerror(-ret));
		else
			check("snapshot", PF_NOGO, "%s: %s", file, strerror(-ret));
		return;
	}
	manifest__init(&snap);
	ret = manifest__parse(text, len, &snap, err, sizeof(err));
	free(text);
	if (ret)
		check("snapshot", PF_NOGO, "%s: bad manifest: %s", where, err);
	else if (!now_ok)
		check("snapshot", PF_OK, "%s (cannot tell if current: the handover is unreadable)",
		      where);
	else if (preflight__compare(&snap, now, why, sizeof(why)))
		check("snapshot", PF_NOGO, "%s is stale: %s (take it again)", where, why);
	else
		check("snapshot", PF_OK, "%s, current: %d ranges and %d subtrees as now", where,
		      snap.nr_ranges, snap.nr_subtrees);
	manifest__free(&snap);
}

static void check_blackout(const char *history, const struct manifest *now, bool now_ok)
{
	struct cycle *cycles;
	char err[256];
	int n;

	if (!now_ok || !now->have_ranges) {
		check("blackout", PF_SKIP,
		      "no expectation: the preserved-memory map is unreadable");
		return;
	}
	for (int i = 0; i < now->nr_ranges; i++)
		pf.bytes += now->ranges[i].size;
	pf.ranges = now->nr_ranges;
	n = preflight__load_history(history, &cycles, err, sizeof(err));
	if (n < 0)
		p_info("preflight: no history: %s", err);
	if (n <= 0 || preflight__fit(cycles, n, &pf.model)) {
		check("blackout", PF_INFO, "no expectation: no earlier cycle with blackout stamps "
		      "in %s (export --history); %llu bytes in %llu ranges to hand over", history,
		      (unsigned long long)pf.bytes, (unsigned long long)pf.ranges);
	} else {
		pf.have_expect = true;
		pf.expect_ns = preflight__expect(&pf.model, pf.bytes, pf.ranges);
		if (pf.model.bytes_only)
			check("blackout", PF_INFO, "expect %.3f s: %.3f s fixed + %llu bytes x "
			      "%.4f ns (%llu ranges: no slope of their own, %d earlier cycle%s "
			      "cannot tell ranges from bytes)", pf.expect_ns / 1e9, pf.model.fixed_ns / 1e9,
			      (unsigned long long)pf.bytes, pf.model.ns_per_byte,
			      (unsigned long long)pf.ranges, pf.model.nr_cycles,
			      PL(pf.model.nr_cycles));
		else
			check("blackout", PF_INFO, "expect %.3f s: %.3f s fixed + %llu bytes x "
			      "%.4f ns + %llu ranges x %.1f ns (slopes of %d earlier cycle%s)",
			      pf.expect_ns / 1e9, pf.model.fixed_ns / 1e9,
			      (unsigned long long)pf.bytes, pf.model.ns_per_byte,
			      (unsigned long long)pf.ranges, pf.model.ns_per_range,
			      pf.model.nr_cycles, PL(pf.model.nr_cycles));
	}
	for (int i = 0; i < n; i++)
		cycle__free(&cycles[i]);
	free(cycles);
}

static void print_json(void)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_open(&j);
	json_kv_str(&j, "verdict", pf.nr_nogo ? "no-go" : "go");
	json_kv_u64(&j, "reasons", pf.nr_nogo);
	json_key(&j, "checks");
	json_arr_open(&j);
	for (int i = 0; i < pf.nr; i++) {
		json_obj_open(&j);
		json_kv_str(&j, "check", pf.c[i].name);
		json_kv_str(&j, "state", state_names[pf.c[i].state]);
		json_kv_str(&j, "detail", pf.c[i].detail);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_kv_u64_if(&j, "expected_blackout_ns", pf.have_expect, pf.expect_ns);
	json_key(&j, "slopes");
	if (pf.have_expect) {
		json_obj_open(&j);
		json_kv_u64(&j, "cycles", pf.model.nr_cycles);
		json_kv_float(&j, "fixed_ns", pf.model.fixed_ns);
		json_kv_float(&j, "ns_per_byte", pf.model.ns_per_byte);
		json_key(&j, "ns_per_range");
		if (pf.model.bytes_only)
			json_null(&j);
		else
			json_float(&j, pf.model.ns_per_range);
		json_obj_close(&j);
	} else {
		json_null(&j);
	}
	json_kv_u64(&j, "preserved_bytes", pf.bytes);
	json_kv_u64(&j, "preserved_ranges", pf.ranges);
	json_obj_close(&j);
}

int do_preflight(int argc, char **argv)
{
	struct cmd_args args = {
		.argc = argc, .argv = argv, .cmd = "preflight", .opts = opts, .usage = usage,
	};
	const char *file = NULL, *history = CYCLE_HISTORY_DIR, *kernel = NULL, *initrd = NULL;
	bool snapshot = true, now_ok;
	struct kho_state st;
	struct manifest now;
	char err[256];
	int o;

	while ((o = cmd_getopt(&args)) > 0) {
		switch (o) {
		case 'm':
			file = optarg;
			break;
		case 'k':
			kernel = optarg;
			break;
		case 'i':
			initrd = optarg;
			break;
		case OPT_NO_SNAPSHOT:
			snapshot = false;
			break;
		case OPT_HISTORY:
			history = optarg;
			break;
		}
	}
	if (args.exit >= 0)
		return args.exit;
	if (file && !snapshot) {
		p_err("preflight: --manifest and --no-snapshot exclude each other");
		return EXIT_USAGE;
	}
	if (initrd && !kernel) {
		p_err("preflight: --initrd goes with --kernel");
		return EXIT_USAGE;
	}

	if (kho_state__read(&st, NULL, err, sizeof(err))) {
		p_err("preflight: %s", err);
		kho_state__free(&st);
		return EXIT_FAIL;
	}
	if (handover__unavailable(&st)) {
		p_err("preflight: %s: not a KHO system", handover__unavailable(&st));
		if (env.json) {
			struct json j;

			json_init(&j, stdout);
			json_obj_open(&j);
			json_kv_str(&j, "verdict", "not_applicable");
			json_kv_str(&j, "error", handover__unavailable(&st));
			json_obj_close(&j);
		}
		kho_state__free(&st);
		return EXIT_UNSUPPORTED;
	}
	now_ok = !handover__collect(&now, &st, NULL, HANDOVER_OUT, err, sizeof(err));
	if (!now_ok)
		p_info("preflight: the outgoing handover: %s", err);

	check("kho", PF_OK, "enabled%s%s%s, %d scratch areas", st.cmdline_kho[0] ? " (kho=" : "",
	      st.cmdline_kho, st.cmdline_kho[0] ? ")" : "", st.nr_scratch);
	if (kernel)
		check_plan(&st, kernel, initrd);
	else
		check_image(&st);
	check_active(&st);
	check_sessions();
	check_reserve_mem();
	if (snapshot)
		check_snapshot(file, &now, now_ok);
	else
		check("snapshot", PF_SKIP, "not required (--no-snapshot)");
	check_blackout(history, &now, now_ok);

	if (env.json) {
		print_json();
	} else {
		for (int i = 0; i < pf.nr; i++)
			printf("%-6s %-12s %s\n", state_names[pf.c[i].state], pf.c[i].name,
			       pf.c[i].detail);
		if (pf.nr_nogo)
			printf("preflight: no-go (%d reason%s)\n", pf.nr_nogo, PL(pf.nr_nogo));
		else
			printf("preflight: go\n");
	}
	if (now_ok)
		manifest__free(&now);
	kho_state__free(&st);
	return pf.nr_nogo ? EXIT_FAIL : EXIT_OK;
}
