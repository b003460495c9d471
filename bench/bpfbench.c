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
			printf("bpfbench: prog name=%s cnt=%llu ns=%llu ns_per_call=%.1f verified_insns=%u xlated=%u\n",
			       info.name, (unsigned long long)info.run_cnt,
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
