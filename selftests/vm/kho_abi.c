// SPDX-License-Identifier: GPL-2.0
/*
 * kho_abi: the KHO user ABI of the khotrace series, in the VM, as root.
 *
 * /sys/kernel/kho/active: enter, abort and re-enter the active phase,
 * the errno of same-state, garbage and unprivileged writes, and
 * /sys/kernel/kho/dt (present only while active, its size the
 * FDT header's totalsize). Leaves the active phase as it found it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define KHO_ACTIVE	"/sys/kernel/kho/active"
#define KHO_DT		"/sys/kernel/kho/dt"

/* Writes @s to active; returns 0 or the errno of the write or open. */
static int write_active(const char *s)
{
	int fd, err = 0;

	fd = open(KHO_ACTIVE, O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		err = errno;
	close(fd);
	return err;
}

static int read_active(void)
{
	char buf[8] = {};
	int fd, n;

	fd = open(KHO_ACTIVE, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n != 2 || buf[1] != '\n')
		return -EINVAL;
	return buf[0] - '0';
}

FIXTURE(kho_active) {
	int was_active;
};

FIXTURE_SETUP(kho_active)
{
	if (getuid())
		SKIP(return, "needs root");
	if (access(KHO_ACTIVE, F_OK))
		SKIP(return, "no %s (KHO disabled or unpatched kernel)", KHO_ACTIVE);
	self->was_active = read_active();
	ASSERT_LE(0, self->was_active);
	if (self->was_active)
		ASSERT_EQ(0, write_active("0"));
}

FIXTURE_TEARDOWN(kho_active)
{
	if (self->was_active == 1 && read_active() == 0)
		write_active("1");
	else if (self->was_active == 0 && read_active() == 1)
		write_active("0");
}

TEST_F(kho_active, enter_abort_reenter)
{
	struct stat st;

	ASSERT_EQ(0, read_active());
	ASSERT_NE(0, access(KHO_DT, F_OK));
	ASSERT_EQ(0, write_active("1"));
	ASSERT_EQ(1, read_active());
	ASSERT_EQ(0, stat(KHO_DT, &st));
	ASSERT_EQ(0400, st.st_mode & 0777);
	ASSERT_LT(0, st.st_size);
	ASSERT_EQ(0, write_active("0\n"));
	ASSERT_EQ(0, read_active());
	ASSERT_NE(0, access(KHO_DT, F_OK));
	ASSERT_EQ(ENOENT, errno);
	ASSERT_EQ(0, write_active("1\n"));
	ASSERT_EQ(1, read_active());
	ASSERT_EQ(0, access(KHO_DT, R_OK));
	ASSERT_EQ(0, write_active("0"));
}

TEST_F(kho_active, same_state)
{
	ASSERT_EQ(EALREADY, write_active("0"));
	ASSERT_EQ(0, read_active());
	ASSERT_EQ(0, write_active("1"));
	ASSERT_EQ(EBUSY, write_active("1"));
	ASSERT_EQ(1, read_active());
	ASSERT_EQ(0, write_active("0"));
}

TEST_F(kho_active, garbage)
{
	static const char * const bad[] = {
		"2", "-1", "yes", "on", "\n", "1x", "0 1", "01 2",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		TH_LOG("writing '%s'", bad[i]);
		ASSERT_EQ(EINVAL, write_active(bad[i]));
		ASSERT_EQ(0, read_active());
	}
	ASSERT_EQ(0, write_active("1"));
	ASSERT_EQ(EINVAL, write_active("0x"));
	ASSERT_EQ(1, read_active());
	ASSERT_EQ(0, write_active("0"));
}

TEST_F(kho_active, dt_matches_totalsize)
{
	unsigned char hdr[8];
	struct stat st;
	unsigned int totalsize;
	char *buf;
	int fd;

	ASSERT_EQ(0, write_active("1"));
	ASSERT_EQ(0, stat(KHO_DT, &st));
	fd = open(KHO_DT, O_RDONLY);
	ASSERT_LE(0, fd);
	buf = malloc(st.st_size + 1);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(st.st_size, read(fd, buf, st.st_size + 1));
	close(fd);
	memcpy(hdr, buf, sizeof(hdr));
	free(buf);
	/* FDT header: magic, then totalsize, both big endian */
	ASSERT_EQ(0xd00dfeedu, (unsigned int)hdr[0] << 24 | hdr[1] << 16 |
			       hdr[2] << 8 | hdr[3]);
	totalsize = (unsigned int)hdr[4] << 24 | hdr[5] << 16 | hdr[6] << 8 | hdr[7];
	ASSERT_EQ(totalsize, st.st_size);
	ASSERT_EQ(0, write_active("0"));
}

/* Runs @fn as nobody in a child; returns the child's exit status. */
static int as_nobody(int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		_exit(fn());
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int nobody_write(void)
{
	return write_active("1");
}

static int nobody_read_dt(void)
{
	return open(KHO_DT, O_RDONLY) < 0 ? errno : 0;
}

TEST_F(kho_active, unprivileged)
{
	ASSERT_EQ(EACCES, as_nobody(nobody_write));
	ASSERT_EQ(0, read_active());
	ASSERT_EQ(0, write_active("1"));
	ASSERT_EQ(EACCES, as_nobody(nobody_read_dt));
	ASSERT_EQ(0, write_active("0"));
}

TEST_HARNESS_MAIN
