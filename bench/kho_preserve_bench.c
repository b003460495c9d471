// SPDX-License-Identifier: GPL-2.0
/*
 * kho_preserve_bench: the preserve-heavy workload of `make bench`.
 *
 * Fills a memfd of SIZE MiB, then for each round creates a Live Update
 * session, preserves the memfd into it (LIVEUPDATE_SESSION_PRESERVE_FD:
 * one kho_preserve_folio() per folio) and closes the session, which
 * unpreserves everything again. Prints one line per round:
 *
 *   round=N preserve_us=T unpreserve_us=T
 *
 * With -i it runs one round for each line read from standard input, until
 * its end, and prints the line before the times:
 *
 *   LINE preserve_us=T unpreserve_us=T
 *
 * so that rounds run under different tracers (make bench) all preserve
 * the same folios: one memfd, filled once, for every one of them.
 *
 * With -H it preserves once into the session "kho_preserve_bench" and,
 * instead of closing it, leaves a daemon that holds the session open so
 * that the memfd is handed over by the next kexec; it prints
 *
 *   held size_mib=N preserve_us=T pid=P
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/liveupdate.h>

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

/*
 * A new session named @name with the memfd preserved into it as @token:
 * the session's fd, and the preserve's time in *@us; -1 with an error
 * printed.
 */
static int session_preserve(int luo, int mfd, const char *name, __u64 token,
			    unsigned long long *us)
{
	struct liveupdate_ioctl_create_session cs = { .size = sizeof(cs) };
	struct liveupdate_session_preserve_fd pf = { .size = sizeof(pf) };
	unsigned long long t0;

	snprintf((char *)cs.name, sizeof(cs.name), "%s", name);
	if (ioctl(luo, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs)) {
		fprintf(stderr, "kho_preserve_bench: create session: %s\n", strerror(errno));
		return -1;
	}
	pf.fd = mfd;
	pf.token = token;
	t0 = now_us();
	if (ioctl(cs.fd, LIVEUPDATE_SESSION_PRESERVE_FD, &pf)) {
		fprintf(stderr, "kho_preserve_bench: preserve: %s\n", strerror(errno));
		close(cs.fd);
		return -1;
	}
	*us = now_us() - t0;
	return cs.fd;
}

/*
 * One round: the memfd preserved into a new session named "bench-N",
 * the session closed (which unpreserves it). 0 with the two times, else
 * -1 with an error printed.
 */
static int run_round(int luo, int mfd, long n, unsigned long long *pre_us,
		     unsigned long long *unpre_us)
{
	unsigned long long t0;
	char name[32];
	int sfd;

	snprintf(name, sizeof(name), "bench-%ld", n);
	sfd = session_preserve(luo, mfd, name, n, pre_us);
	if (sfd < 0)
		return -1;
	t0 = now_us();
	close(sfd);
	*unpre_us = now_us() - t0;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: kho_preserve_bench [-s SIZE_MIB] [-r ROUNDS | -i | -H]\n");
}

int main(int argc, char **argv)
{
	unsigned long long pre_us, unpre_us;
	long size_mib = 256, rounds = 5, i;
	int opt, luo, mfd, hold = 0, serve = 0;
	char *line = NULL;
	size_t line_size = 0;
	pid_t pid;
	size_t size;
	char *p;

	while ((opt = getopt(argc, argv, "s:r:iHh")) != -1) {
		switch (opt) {
		case 'i':
			serve = 1;
			break;
		case 'H':
			hold = 1;
			break;
		case 's':
			size_mib = strtol(optarg, NULL, 0);
			break;
		case 'r':
			rounds = strtol(optarg, NULL, 0);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (size_mib <= 0 || rounds <= 0 || serve + hold > 1) {
		usage(stderr);
		return 2;
	}
	size = (size_t)size_mib << 20;

	luo = open("/dev/liveupdate", O_RDWR);
	if (luo < 0) {
		fprintf(stderr, "kho_preserve_bench: /dev/liveupdate: %s\n", strerror(errno));
		return 4;
	}
	mfd = memfd_create("kho_preserve_bench", 0);
	if (mfd < 0 || ftruncate(mfd, size)) {
		fprintf(stderr, "kho_preserve_bench: memfd: %s\n", strerror(errno));
		return 1;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "kho_preserve_bench: mmap: %s\n", strerror(errno));
		return 1;
	}
	/*
	 * A non-zero byte in each page: the data pages must not look like the
	 * zeroed pages Live Update allocates for its own metadata (the faults
	 * scenario tells them apart by checksum).
	 */
	for (size_t off = 0; off < size; off += 4096)
		p[off] = 0x5a;
	munmap(p, size);

	if (hold) {
		if (session_preserve(luo, mfd, "kho_preserve_bench", 1, &pre_us) < 0)
			return 1;
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			fprintf(stderr, "kho_preserve_bench: fork: %s\n", strerror(errno));
			return 1;
		}
		if (pid > 0) {
			/* the child holds the session until the kexec */
			printf("held size_mib=%ld preserve_us=%llu pid=%d\n", size_mib, pre_us,
			       (int)pid);
			return 0;
		}
		setsid();
		signal(SIGHUP, SIG_IGN);
		close(STDIN_FILENO);
		close(STDOUT_FILENO);
		close(STDERR_FILENO);
		for (;;)
			pause();
	}

	if (serve) {
		for (i = 1; getline(&line, &line_size, stdin) > 0; i++) {
			line[strcspn(line, "\n")] = '\0';
			if (run_round(luo, mfd, i, &pre_us, &unpre_us))
				return 1;
			printf("%s preserve_us=%llu unpreserve_us=%llu\n", line, pre_us, unpre_us);
			fflush(stdout);
		}
		free(line);
		return 0;
	}

	for (i = 1; i <= rounds; i++) {
		if (run_round(luo, mfd, i, &pre_us, &unpre_us))
			return 1;
		printf("round=%ld preserve_us=%llu unpreserve_us=%llu\n", i, pre_us, unpre_us);
		fflush(stdout);
	}
	return 0;
}
