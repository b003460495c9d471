/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * carrier: the manifest's way across the kexec, a Live Update session
 * (/dev/liveupdate, liveupdate=on) holding one memfd. snapshot stores it
 * before the kexec, verify loads it after:
 *
 *	c = carrier__new(NULL);
 *	err = carrier__store(c, &m, msg, sizeof(msg));	// old kernel
 *	pid = carrier__holder(c);
 *	...
 *	err = carrier__load(c, &text, &len, msg, sizeof(msg));	// new kernel
 *	carrier__free(c);
 *
 * Every call returns 0 or -errno with a message in msg.
 */
#ifndef __KHOTRACE_CARRIER_H
#define __KHOTRACE_CARRIER_H

#include <stddef.h>
#include <sys/types.h>

#include "manifest.h"

struct carrier;

struct carrier_opts {
	const char *device;	/* NULL: LUO_DEVICE (the host tests give another path) */
	const char *session;	/* NULL: MANIFEST_SESSION */
};

/* NULL only when out of memory; opens nothing yet */
struct carrier *carrier__new(const struct carrier_opts *opts);
/*
 * Hand m over in a new session and leave a holder process with it open
 * until the kexec. The memfd and the session's metadata are preserved
 * ranges themselves: when m has the preserved ranges, the ranges that
 * appeared by preserving them are added to m as carrier lines (and to the
 * memfd's text) so that verify neither expects nor reports them.
 * -ENOENT: no Live Update on this kernel.
 */
int carrier__store(struct carrier *c, struct manifest *m, char *msg, size_t size);
/* the holder's pid after carrier__store(), else 0 */
pid_t carrier__holder(const struct carrier *c);
/*
 * Retrieve the session, read the manifest's text (malloc'ed, NUL
 * terminated) and finish the session. -ENOENT: nothing was carried (no
 * Live Update, or no session); any other error: a carrier that is broken.
 */
int carrier__load(struct carrier *c, char **text, size_t *len, char *msg, size_t size);
void carrier__free(struct carrier *c);

#endif /* __KHOTRACE_CARRIER_H */
