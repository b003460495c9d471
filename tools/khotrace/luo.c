// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <linux/liveupdate.h>

#include "luo.h"

int luo_open(const char *path)
{
	int fd = open(path ?: LUO_DEVICE, O_RDWR | O_CLOEXEC);

	return fd >= 0 ? fd : -errno;
}

static int session_ioctl(int luo_fd, unsigned long cmd, const char *name)
{
	/* create and retrieve share the layout */
	struct liveupdate_ioctl_create_session arg = { .size = sizeof(arg) };

	if (strlen(name) >= sizeof(arg.name))
		return -ENAMETOOLONG;
	strcpy((char *)arg.name, name);
	if (ioctl(luo_fd, cmd, &arg))
		return -errno;
	return arg.fd;
}

int luo_create_session(int luo_fd, const char *name)
{
	return session_ioctl(luo_fd, LIVEUPDATE_IOCTL_CREATE_SESSION, name);
}

int luo_retrieve_session(int luo_fd, const char *name)
{
	return session_ioctl(luo_fd, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, name);
}

int luo_preserve_fd(int session_fd, int fd, __u64 token)
{
	struct liveupdate_session_preserve_fd arg = {
		.size = sizeof(arg), .fd = fd, .token = token,
	};

	return ioctl(session_fd, LIVEUPDATE_SESSION_PRESERVE_FD, &arg) ? -errno : 0;
}

int luo_retrieve_fd(int session_fd, __u64 token)
{
	struct liveupdate_session_retrieve_fd arg = { .size = sizeof(arg), .token = token };

	if (ioctl(session_fd, LIVEUPDATE_SESSION_RETRIEVE_FD, &arg))
		return -errno;
	return arg.fd;
}

int luo_finish(int session_fd)
{
	struct liveupdate_session_finish arg = { .size = sizeof(arg) };

	return ioctl(session_fd, LIVEUPDATE_SESSION_FINISH, &arg) ? -errno : 0;
}

int luo_memfd_create(const char *name, const void *data, size_t len, size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t off = 0;
	int fd, err;

	if (size < len)
		size = len;
	size = (size + page - 1) / page * page;
	fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* allocate every page now: preservation pins what exists */
	if (ftruncate(fd, size) || fallocate(fd, 0, 0, size))
		goto fail;
	while (off < len) {
		ssize_t n = pwrite(fd, (const char *)data + off, len - off, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += n;
	}
	return fd;
fail:
	err = errno ? -errno : -EIO;
	close(fd);
	return err;
}

int luo_memfd_read(int fd, char **buf, size_t *len)
{
	struct stat st;
	size_t off = 0;
	char *p;

	if (fstat(fd, &st))
		return -errno;
	p = malloc(st.st_size + 1);
	if (!p)
		return -ENOMEM;
	while (off < (size_t)st.st_size) {
		ssize_t n = pread(fd, p + off, st.st_size - off, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? -errno : -EIO;

			free(p);
			return err;
		}
		off += n;
	}
	p[off] = '\0';
	*buf = p;
	*len = off;
	return 0;
}

pid_t luo_hold(const char *comm, char *argv_area, size_t argv_len)
{
	pid_t pid;
	int fd;

	fflush(NULL);
	pid = fork();
	if (pid)
		return pid > 0 ? pid : -errno;

	/* the holder: detached, no terminal, no file system pinned */
	setsid();
	prctl(PR_SET_NAME, comm, 0, 0, 0);
	if (argv_area && argv_len > 1) {
		/* "@comm", cut to the area; the rest NUL: argv[0] starts with '@' */
		memset(argv_area, 0, argv_len);
		snprintf(argv_area, argv_len, "@%s", comm);
	}
	signal(SIGHUP, SIG_IGN);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	} else {
		close(STDIN_FILENO);
		close(STDOUT_FILENO);
		close(STDERR_FILENO);
	}
	if (chdir("/"))
		_exit(1);
	for (;;)
		pause();
}
