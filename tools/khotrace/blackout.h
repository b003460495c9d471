/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * blackout: the last kexec's blackout, from the kernel's joined timeline
 * (debugfs kho/blackout): one stamp per phase, taken with the TSC by the
 * old kernel on the way out and by this kernel on the way in. A phase
 * lasts from its stamp to the next one; the last stamp (userspace) ends
 * the blackout.
 */
#ifndef __KHOTRACE_BLACKOUT_H
#define __KHOTRACE_BLACKOUT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#define BLACKOUT_FILE		"blackout"
#define BLACKOUT_MAX_PHASES	32

enum bo_state {
	BO_OK,			/* a timeline with the way out and the way in */
	BO_NO_KEXEC,		/* cold boot */
	BO_NO_STAMPS,		/* KHO kexec, but the old kernel handed over no stamps */
	BO_NO_CLOCK,		/* no usable clock on this machine */
};

struct bo_phase {
	char name[32];
	bool out;		/* stamped by the old kernel */
	__u64 tsc;
	bool has_mem;		/* retrieve: the preserved memory it walked */
	__u64 ranges, bytes;
	/* blackout__compute() */
	__u64 start_ns;		/* from the first stamp */
	__u64 dur_ns;		/* to the next stamp; 0 for the last */
	double share;		/* percent of the total */
};

struct blackout {
	enum bo_state state;
	__u32 tsc_khz;		/* this kernel's calibration, used for ns */
	__u32 prev_tsc_khz;
	int nr;
	struct bo_phase phases[BLACKOUT_MAX_PHASES];
	/* blackout__compute() */
	__u64 total_ns;		/* first stamp to the last */
	__u64 out_ns;		/* first stamp to the last stamp of the way out */
	__u64 in_ns;		/* the rest */
	__u64 sum_ns;		/* sum of the phases' dur_ns */
};

/* Parses the debugfs text; 0 or -EINVAL with the bad line in err. */
int blackout__parse(const char *text, struct blackout *bo, char *err, size_t errlen);
/* Durations, offsets and shares from the stamps; -EINVAL if a stamp goes back. */
int blackout__compute(struct blackout *bo, char *err, size_t errlen);
/* root: the debugfs KHO directory, NULL for KHO_DEBUGFS; -errno, message in err */
int blackout__read(const char *root, struct blackout *bo, char *err, size_t errlen);
/* TSC ticks to ns with the given calibration */
__u64 blackout__ns(__u64 ticks, __u32 khz);
const struct bo_phase *blackout__find(const struct blackout *bo, const char *name);
const char *blackout__state_str(enum bo_state state);

void blackout__print(FILE *f, const struct blackout *bo);
void blackout__json(FILE *f, const struct blackout *bo);

#endif /* __KHOTRACE_BLACKOUT_H */
