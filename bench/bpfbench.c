// SPDX-License-Identifier: GPL-2.0
/*
 * bpfbench: the BPF side of make bench, run in the guest.
 *
 *   bpfbench floor tp|fentry   attach the empty program set of that mode
 *                              (floor.bpf.c) and hold it until SIGINT or
 *                              SIGTERM
 *   bpfbench stats-on          enable the kernel's BPF run-time statistics
 *                              (BPF_ENABLE_STATS) and hold them on until
 *                              SIGINT or SIGTERM
 *   bpfbench stats             one line per loaded tracing program with
 *                              its run count and run time from the kernel
 *
 * Lines start with "bpfbench:"; the bench scenarios pass them on as
 * diagnostics and bench/report.py reads them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* hold what was set up until SIGINT/SIGTERM */
static void hold(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop)
		pause();
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int do_floor(const char *set)
{
	struct bpf_program *prog;
	struct floor_bpf *skel;
	int err, n = 0;
	double t0 = now_ms();
	bool tp;

	if (strcmp(set, "tp") && strcmp(set, "fentry")) {
		fprintf(stderr, "bpfbench: unknown set '%s' (tp or fentry)\n", set);
		return 2;
	}
	tp = !strcmp(set, "tp");
	skel = floor_bpf__open();
	if (!skel) {
		fprintf(stderr, "bpfbench: failed to open BPF object: %s\n", strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, tp == (bpf_program__type(prog) ==
						       BPF_PROG_TYPE_TRACING &&
						       bpf_program__expected_attach_type(prog) ==
						       BPF_TRACE_RAW_TP));
	err = floor_bpf__load(skel);
	if (!err)
		err = floor_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "bpfbench: failed to load or attach the %s floor: %s\n",
			set, strerror(-err));
		floor_bpf__destroy(skel);
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj)
		n += bpf_program__autoload(prog);
	printf("bpfbench: floor set=%s programs=%d attach_ms=%.0f\n", set, n, now_ms() - t0);
	fflush(stdout);
	hold();
	floor_bpf__destroy(skel);
	return 0;
}

static int do_stats_on(void)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	if (fd < 0) {
		fprintf(stderr, "bpfbench: BPF_ENABLE_STATS: %s\n", strerror(-fd));
		return 1;
	}
	printf("bpfbench: stats on\n");
	fflush(stdout);
	hold();
	close(fd);
	return 0;
}

/*
 * The program's full name: bpf_prog_info's is cut to 15 characters, which
 * makes tp_unpreserve_folio and tp_unpreserve_free one name. The name of
 * its first function in the program's BTF is whole.
 */
static void prog_name(int fd, const struct bpf_prog_info *info, char *buf, size_t size)
{
	struct bpf_func_info finfo = {};
	struct bpf_prog_info fi = {};
	__u32 len = sizeof(fi);
	const struct btf_type *t;
	struct btf *btf;

	snprintf(buf, size, "%s", info->name);
	if (!info->btf_id || !info->nr_func_info)
		return;
	fi.nr_func_info = 1;
	fi.func_info_rec_size = sizeof(finfo);
	fi.func_info = (__u64)(unsigned long)&finfo;
	if (bpf_obj_get_info_by_fd(fd, &fi, &len))
		return;
	btf = btf__load_from_kernel_by_id(info->btf_id);
	if (!btf)
		return;
	t = btf__type_by_id(btf, finfo.type_id);
	if (t)
		snprintf(buf, size, "%s", btf__name_by_offset(btf, t->name_off));
	btf__free(btf);
}

static int do_stats(void)
{
	__u32 id = 0;
	int n = 0;

	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;	/* unloaded meanwhile */
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    info.type == BPF_PROG_TYPE_TRACING) {
			char name[128];

			prog_name(fd, &info, name, sizeof(name));
			printf("bpfbench: prog name=%s cnt=%llu ns=%llu ns_per_call=%.1f verified_insns=%u xlated=%u\n",
			       name, (unsigned long long)info.run_cnt,
			       (unsigned long long)info.run_time_ns,
			       info.run_cnt ? (double)info.run_time_ns / info.run_cnt : 0.0,
			       info.verified_insns, info.xlated_prog_len / 8);
			n++;
		}
		close(fd);
	}
	if (errno != ENOENT) {
		fprintf(stderr, "bpfbench: BPF_PROG_GET_NEXT_ID: %s\n", strerror(errno));
		return 1;
	}
	printf("bpfbench: stats programs=%d\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "floor"))
		return do_floor(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "stats-on"))
		return do_stats_on();
	if (argc == 2 && !strcmp(argv[1], "stats"))
		return do_stats();
	fprintf(stderr, "usage: bpfbench floor tp|fentry | stats-on | stats\n");
	return 2;
}
