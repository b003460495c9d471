// SPDX-License-Identifier: GPL-2.0
/*
 * crc_threads: the reference of `make bench` figure 8 — how much faster
 * this guest's vCPUs, all together, checksum SIZE MiB than one of them
 * does. One thread per online CPU checksums its own share of the bytes
 * with the table-driven CRC-32C, one byte at a time, the loop of the
 * kernel's generic crc32c (lib/crc) and of khotrace's table fallback
 * (tools/khotrace/crc32c.c, linked in). The work is independent per
 * thread: the time of SIZE MiB on one vCPU over that on N vCPUs is what
 * N vCPUs can give any pass that splits its bytes evenly, kho_crc's
 * included, on this host and emulator. Best of ROUNDS. Prints:
 *   crc_threads: threads=N bytes=B us=T
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crc32c.h"

struct share {
	pthread_t thread;
	unsigned char *buf;
	size_t len;
	__u32 crc;
};

static pthread_barrier_t start, done;

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

/* one round per pair of barriers: the main thread times from start to done */
static void *worker(void *arg)
{
	struct share *s = arg;

	for (;;) {
		pthread_barrier_wait(&start);
		if (!s->len)
			return NULL;
		s->crc = crc32c_update_table(s->crc, s->buf, s->len);
		pthread_barrier_wait(&done);
	}
}

int main(int argc, char **argv)
{
	long size_mib = argc > 1 ? strtol(argv[1], NULL, 0) : 64;
	int rounds = argc > 2 ? atoi(argv[2]) : 3;
	long nr = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned long long best = ~0ULL;
	struct share *sh;
	size_t size, off = 0;
	int err;

	if (size_mib <= 0 || rounds <= 0 || nr <= 0) {
		fprintf(stderr, "usage: crc_threads [SIZE_MIB] [ROUNDS]\n");
		return 2;
	}
	size = (size_t)size_mib << 20;
	sh = calloc(nr, sizeof(*sh));
	if (!sh || pthread_barrier_init(&start, NULL, nr + 1) ||
	    pthread_barrier_init(&done, NULL, nr + 1)) {
		fprintf(stderr, "crc_threads: out of memory\n");
		return 1;
	}
	for (long i = 0; i < nr; i++) {
		/* each thread's share in its own buffer, touched before timing */
		sh[i].len = size / nr + (i < (long)(size % nr));
		sh[i].buf = malloc(sh[i].len);
		if (!sh[i].buf) {
			fprintf(stderr, "crc_threads: out of memory\n");
			return 1;
		}
		memset(sh[i].buf, 0x5a + (int)(off & 0xff), sh[i].len);
		off += sh[i].len;
		err = pthread_create(&sh[i].thread, NULL, worker, &sh[i]);
		if (err) {
			fprintf(stderr, "crc_threads: pthread_create: %s\n", strerror(err));
			return 1;
		}
	}
	for (int r = 0; r < rounds; r++) {
		unsigned long long t0 = now_us(), t;

		pthread_barrier_wait(&start);
		pthread_barrier_wait(&done);
		t = now_us() - t0;
		if (t < best)
			best = t;
	}
	for (long i = 0; i < nr; i++)
		sh[i].len = 0;
	pthread_barrier_wait(&start);
	for (long i = 0; i < nr; i++)
		pthread_join(sh[i].thread, NULL);
	printf("crc_threads: threads=%ld bytes=%zu us=%llu\n", nr, size, best);
	return 0;
}
