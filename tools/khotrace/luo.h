/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Live Update Orchestrator (/dev/liveupdate, liveupdate=on): sessions that
 * carry file descriptors (memfds) across a kexec. Every call returns a file
 * descriptor or 0 on success, -errno on failure.
 *
 * /dev/liveupdate has one opener at a time: close it (luo_close) as soon as
 * the session exists. A session lives as long as its file descriptor, so a
 * producer keeps it open until the kexec (luo_hold); after the kexec the
 * consumer retrieves the session, its fds, and finishes it.
 */
#ifndef __KHOTRACE_LUO_H
#define __KHOTRACE_LUO_H

#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

#define LUO_DEVICE	"/dev/liveupdate"

/* path: NULL for LUO_DEVICE */
int luo_open(const char *path);
int luo_create_session(int luo_fd, const char *name);
int luo_retrieve_session(int luo_fd, const char *name);
int luo_preserve_fd(int session_fd, int fd, __u64 token);
int luo_retrieve_fd(int session_fd, __u64 token);
int luo_finish(int session_fd);
/* a memfd of size bytes (page rounded, pages allocated) holding data */
int luo_memfd_create(const char *name, const void *data, size_t len, size_t size);
/* all bytes of a retrieved memfd, malloc'ed and NUL terminated */
int luo_memfd_read(int fd, char **buf, size_t *len);
/*
 * Fork a holder process that keeps every inherited fd open until the
 * kexec: setsid, stdio closed, chdir /, sleeps forever, named comm. Its
 * command line (argv_area, argv_len bytes: the argument area of the
 * process) becomes "@comm": systemd's final shutdown stage spares root
 * processes whose argv[0] starts with '@' when it kills every other one
 * before the kexec (its convention for root storage daemons), so the
 * session survives a 'systemctl kexec'. Returns its pid (> 0) in the
 * parent, -errno on failure.
 */
pid_t luo_hold(const char *comm, char *argv_area, size_t argv_len);

#endif /* __KHOTRACE_LUO_H */
