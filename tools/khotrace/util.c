// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int write_file_atomic(const char *path, const char *text, size_t len)
{
	const char *slash = strrchr(path, '/');
	char tmp[PATH_MAX];
	size_t off = 0;
	int fd, n, err = 0;

	/* .NAME.tmp.PID in the same directory: rename stays in one file system */
	if (slash)
		n = snprintf(tmp, sizeof(tmp), "%.*s/.%s.tmp.%d", (int)(slash - path), path,
			     slash + 1, (int)getpid());
	else
		n = snprintf(tmp, sizeof(tmp), ".%s.tmp.%d", path, (int)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (off < len && !err) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno != EINTR)
			err = -errno;
		else if (w > 0)
			off += w;
	}
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
