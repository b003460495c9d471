// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* carrier: the manifest in a Live Update session across the kexec */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carrier.h"
#include "handover.h"
#include "luo.h"
#include "util.h"

struct carrier {
	const char *device;
	const char *session;
	pid_t holder;
};

struct carrier *carrier__new(const struct carrier_opts *opts)
{
	struct carrier *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->device = opts && opts->device ? opts->device : LUO_DEVICE;
	c->session = opts && opts->session ? opts->session : MANIFEST_SESSION;
	return c;
}

void carrier__free(struct carrier *c)
{
	free(c);
}

pid_t carrier__holder(const struct carrier *c)
{
	return c->holder;
}

static bool has_range(const struct manifest *m, const struct mf_range *r)
{
	for (int i = 0; i < m->nr_ranges; i++)
		if (m->ranges[i].phys == r->phys && m->ranges[i].size == r->size)
			return true;
	return false;
}

/*
 * The ranges that preserving the memfd and the session added to the map,
 * as carrier lines in m and in the memfd (cap bytes, fixed once preserved).
 */
static int add_carrier_lines(struct manifest *m, int mfd, size_t cap, char *msg, size_t size)
{
	struct manifest after;
	char *text = NULL, *pad = NULL;
	long len;
	int ret;

	manifest__init(&after);
	ret = handover__read_ranges(&after, NULL, msg, size);
	for (int i = 0; !ret && i < after.nr_ranges; i++)
		if (!has_range(m, &after.ranges[i]))
			ret = manifest__add_carrier(m, after.ranges[i].phys, after.ranges[i].size);
	manifest__free(&after);
	p_info("ranges read again: %d carrier ranges", m->nr_carrier);
	if (ret || !m->nr_carrier)
		return ret;
	manifest__sort(m);
	len = manifest__format(m, &text);
	pad = calloc(1, cap);
	if (len < 0 || (size_t)len > cap || !pad) {
		ret = err_set(msg, size, len < 0 ? len : -ENOSPC, "manifest with carrier lines: %s",
			  strerror(len < 0 ? -len : ENOSPC));
	} else {
		memcpy(pad, text, len);
		if (pwrite(mfd, pad, cap, 0) != (ssize_t)cap)
			ret = err_set(msg, size, -errno, "rewriting the preserved memfd: %s",
				  strerror(errno));
	}
	free(text);
	free(pad);
	return ret;
}

/* the manifest in a memfd preserved in session sess */
static int preserve_manifest(struct manifest *m, int sess, char *msg, size_t size)
{
	char *text = NULL;
	int mfd, ret;
	size_t cap;
	long len;

	len = manifest__format(m, &text);
	if (len < 0)
		return err_set(msg, size, len, "formatting the manifest: %s", strerror(-len));
	/* room for the carrier lines added later: one per page at most */
	mfd = luo_memfd_create("khotrace-manifest", text, len, 2 * len + 16384);
	free(text);
	if (mfd < 0)
		return err_set(msg, size, mfd, "memfd: %s", strerror(-mfd));
	cap = lseek(mfd, 0, SEEK_END);
	ret = luo_preserve_fd(sess, mfd, MANIFEST_TOKEN);
	p_info("manifest memfd preserved");
	if (ret)
		err_set(msg, size, ret, "preserving the manifest memfd: %s", strerror(-ret));
	else if (m->have_ranges)
		ret = add_carrier_lines(m, mfd, cap, msg, size);
	close(mfd);
	return ret;
}

int carrier__store(struct carrier *c, struct manifest *m, char *msg, size_t size)
{
	int luo_fd, sess, ret;

	luo_fd = luo_open(c->device);
	if (luo_fd == -ENOENT)
		return err_set(msg, size, luo_fd, "live update not available (no %s: boot with "
			   "liveupdate=on, or use --manifest FILE)", c->device);
	if (luo_fd == -EBUSY)
		return err_set(msg, size, luo_fd, "%s is busy (another live update agent has it open)",
			   c->device);
	if (luo_fd < 0)
		return err_set(msg, size, luo_fd, "%s: %s", c->device, strerror(-luo_fd));
	sess = luo_create_session(luo_fd, c->session);
	if (sess == -EEXIST)
		ret = err_set(msg, size, sess, "live update session '%s' already exists (a snapshot "
			  "is held by '" MANIFEST_HOLDER "'; kill it to retake)", c->session);
	else if (sess < 0)
		ret = err_set(msg, size, sess, "creating live update session '%s': %s", c->session,
			  strerror(-sess));
	else
		ret = preserve_manifest(m, sess, msg, size);
	/* /dev/liveupdate has one opener: the holder keeps the session only */
	close(luo_fd);
	if (!ret) {
		c->holder = luo_hold(MANIFEST_HOLDER, env.argv_area, env.argv_len);
		if (c->holder < 0)
			ret = err_set(msg, size, c->holder, "fork: %s", strerror(-c->holder));
	}
	if (sess >= 0)
		close(sess);	/* the holder has its own copy */
	return ret;
}

/* the manifest memfd's text from a retrieved session, which is then finished */
static int read_session(struct carrier *c, int sess, char **text, size_t *len, char *msg,
			size_t size)
{
	int mfd, ret;

	mfd = luo_retrieve_fd(sess, MANIFEST_TOKEN);
	if (mfd < 0)
		/* a session without the memfd is a broken carrier, not an absent one */
		return err_set(msg, size, mfd == -ENOENT ? -ENODATA : mfd, "session '%s': retrieving "
			   "the manifest memfd: %s", c->session, strerror(-mfd));
	ret = luo_memfd_read(mfd, text, len);
	/* done with the carrier: the kernel may free it */
	close(mfd);
	if (ret)
		return err_set(msg, size, ret == -ENOENT ? -EIO : ret,
			   "reading the manifest memfd: %s", strerror(-ret));
	ret = luo_finish(sess);
	if (ret) {
		free(*text);
		*text = NULL;
		return err_set(msg, size, ret == -ENOENT ? -EIO : ret,
			   "finishing live update session '%s': %s", c->session, strerror(-ret));
	}
	return 0;
}

int carrier__load(struct carrier *c, char **text, size_t *len, char *msg, size_t size)
{
	int luo_fd, sess, ret;

	luo_fd = luo_open(c->device);
	if (luo_fd == -ENOENT)
		return err_set(msg, size, luo_fd, "no manifest: no %s (boot with liveupdate=on) and "
			   "no --manifest FILE", c->device);
	if (luo_fd < 0)
		return err_set(msg, size, luo_fd, "%s: %s", c->device, strerror(-luo_fd));
	sess = luo_retrieve_session(luo_fd, c->session);
	if (sess == -ENOENT)
		ret = err_set(msg, size, sess, "no manifest: no live update session '%s' (run "
			  "'khotrace snapshot' before the kexec)", c->session);
	else if (sess < 0)
		ret = err_set(msg, size, sess, "retrieving live update session '%s': %s", c->session,
			  strerror(-sess));
	else
		ret = read_session(c, sess, text, len, msg, size);
	if (sess >= 0)
		close(sess);
	close(luo_fd);
	return ret;
}
