// SPDX-License-Identifier: GPL-2.0
/*
 * luo_integrity: N Live Update sessions of M memfds each, filled with a
 * pattern that depends on (session, memfd, offset), held across a kexec
 * and checked byte for byte afterwards.
 *
 *   luo_integrity fill  [-n SESSIONS] [-m MEMFDS] [-s KIB_PER_MEMFD]
 *       create, fill and preserve; a daemon holds the sessions until the
 *       kexec (like upstream's lu_utils.c daemonize_and_wait); prints
 *       "held sessions=N memfds=M bytes=B pid=P"
 *   luo_integrity check [-n SESSIONS] [-m MEMFDS] [-s KIB_PER_MEMFD]
 *       retrieve every session and memfd, compare every byte, finish;
 *       prints "checked bytes=B mismatches=X"; exit 0 only if X is 0
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/liveupdate.h>

static int nr_sessions = 8, nr_memfds = 8;
static size_t memfd_size = 1024 * 1024;

/* a 64-bit word of the pattern: splitmix64 of its position */
static uint64_t pattern(int s, int m, size_t word)
{
	uint64_t z = ((uint64_t)s << 48 | (uint64_t)m << 36) + word + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int die(const char *what)
{
	fprintf(stderr, "luo_integrity: %s: %s\n", what, strerror(errno));
	return 1;
}

static int fill(int luo)
{
	struct liveupdate_ioctl_create_session cs = { .size = sizeof(cs) };
	struct liveupdate_session_preserve_fd pf = { .size = sizeof(pf) };
	pid_t pid;

	for (int s = 0; s < nr_sessions; s++) {
		snprintf((char *)cs.name, sizeof(cs.name), "kt_integrity_%d", s);
		if (ioctl(luo, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs))
			return die("create session");
		for (int m = 0; m < nr_memfds; m++) {
			int fd = memfd_create("kt_integrity", 0);
			uint64_t *p;

			if (fd < 0 || ftruncate(fd, memfd_size))
				return die("memfd");
			p = mmap(NULL, memfd_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (p == MAP_FAILED)
				return die("mmap");
			for (size_t w = 0; w < memfd_size / 8; w++)
				p[w] = pattern(s, m, w);
			munmap(p, memfd_size);
			pf.fd = fd;
			pf.token = m;
			if (ioctl(cs.fd, LIVEUPDATE_SESSION_PRESERVE_FD, &pf))
				return die("preserve fd");
			close(fd);
		}
		/* cs.fd stays open: the session lives as long as it does */
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return die("fork");
	if (pid > 0) {
		printf("held sessions=%d memfds=%d bytes=%zu pid=%d\n", nr_sessions, nr_memfds,
		       (size_t)nr_sessions * nr_memfds * memfd_size, (int)pid);
		return 0;
	}
	setsid();
	signal(SIGHUP, SIG_IGN);
	/* the session fds hold the sessions: leave /dev/liveupdate to others */
	close(luo);
	close(STDIN_FILENO);
	close(STDOUT_FILENO);
	close(STDERR_FILENO);
	for (;;)
		pause();
}

static int check(int luo)
{
	struct liveupdate_ioctl_retrieve_session rs = { .size = sizeof(rs) };
	struct liveupdate_session_retrieve_fd rf = { .size = sizeof(rf) };
	struct liveupdate_session_finish fin = { .size = sizeof(fin) };
	unsigned long long bytes = 0, bad = 0;

	for (int s = 0; s < nr_sessions; s++) {
		snprintf((char *)rs.name, sizeof(rs.name), "kt_integrity_%d", s);
		if (ioctl(luo, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &rs))
			return die(rs.name[0] ? "retrieve session" : "retrieve");
		for (int m = 0; m < nr_memfds; m++) {
			uint64_t *p;
			off_t size;

			rf.token = m;
			if (ioctl(rs.fd, LIVEUPDATE_SESSION_RETRIEVE_FD, &rf))
				return die("retrieve fd");
			size = lseek(rf.fd, 0, SEEK_END);
			if (size != (off_t)memfd_size) {
				fprintf(stderr, "luo_integrity: session %d memfd %d: size %lld, expected %zu\n",
					s, m, (long long)size, memfd_size);
				bad++;
				close(rf.fd);
				continue;
			}
			p = mmap(NULL, memfd_size, PROT_READ, MAP_SHARED, rf.fd, 0);
			if (p == MAP_FAILED)
				return die("mmap");
			for (size_t w = 0; w < memfd_size / 8; w++) {
				if (p[w] != pattern(s, m, w)) {
					if (bad < 10)
						fprintf(stderr, "luo_integrity: session %d memfd %d offset 0x%zx: 0x%016llx, expected 0x%016llx\n",
							s, m, w * 8, (unsigned long long)p[w],
							(unsigned long long)pattern(s, m, w));
					bad++;
				}
			}
			bytes += memfd_size;
			munmap(p, memfd_size);
			close(rf.fd);
		}
		if (ioctl(rs.fd, LIVEUPDATE_SESSION_FINISH, &fin))
			return die("finish");
		close(rs.fd);
	}
	printf("checked bytes=%llu mismatches=%llu\n", bytes, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	int opt, luo;

	if (argc < 2 || (strcmp(argv[1], "fill") && strcmp(argv[1], "check"))) {
		fprintf(stderr, "usage: luo_integrity fill|check [-n SESSIONS] [-m MEMFDS] [-s KIB]\n");
		return 2;
	}
	optind = 2;
	while ((opt = getopt(argc, argv, "n:m:s:")) != -1) {
		switch (opt) {
		case 'n': nr_sessions = atoi(optarg); break;
		case 'm': nr_memfds = atoi(optarg); break;
		case 's': memfd_size = strtoull(optarg, NULL, 0) * 1024; break;
		default: return 2;
		}
	}
	if (nr_sessions <= 0 || nr_memfds <= 0 || !memfd_size || memfd_size % 8)
		return 2;
	luo = open("/dev/liveupdate", O_RDWR);
	if (luo < 0)
		return errno == ENOENT ? 4 : die("/dev/liveupdate");
	return !strcmp(argv[1], "fill") ? fill(luo) : check(luo);
}
