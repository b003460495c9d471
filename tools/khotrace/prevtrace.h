/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * prevtrace: the previous kernel's trace, carried across a KHO kexec in a
 * persistent trace instance.
 *
 * A trace instance on a reserve_mem region
 *	reserve_mem=12M:4096:trace trace_instance=boot_map^traceoff@trace
 * keeps its ring buffer in memory that KHO hands over at the same physical
 * address, so the next kernel (booted with the same two parameters) reads
 * the old kernel's events in tracefs instances/NAME/trace until tracing is
 * switched on there again. Before the kexec, prevtrace__arm() sets the
 * instance to the x86-tsc clock (the clock of KHO's blackout stamps, so no
 * second clock join is needed) and enables the kho events in it; after the
 * kexec, prevtrace__read() parses what the old kernel left, and
 * prevtrace__join() places it on the blackout timeline: the kernel's
 * kho_blackout events carry the stamps' own TSC values.
 */
#ifndef __KHOTRACE_PREVTRACE_H
#define __KHOTRACE_PREVTRACE_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "blackout.h"

#define PREVTRACE_TRACEFS	"/sys/kernel/tracing"
#define PREVTRACE_INSTANCE	"boot_map"
#define PREVTRACE_CLOCK		"x86-tsc"
/* the old kernel's last milliseconds before the reboot, counted and shown */
#define PREVTRACE_WINDOW_NS	100000000ULL

enum pt_state {
	PT_OK,			/* events of the previous kernel */
	PT_NO_INSTANCE,		/* this kernel was booted without the instance */
	PT_NOT_PERSISTENT,	/* an instance, but not on preserved memory */
	PT_NO_PREVIOUS,		/* the buffer holds this boot's data, not the last one's */
	PT_EMPTY,		/* the previous kernel left no event in it */
};

struct pt_event {
	__u64 ts;		/* trace clock: TSC ticks with x86-tsc */
	int cpu;
	int pid;
	char comm[24];
	char name[48];		/* event name, e.g. kho_blackout */
	char args[200];		/* the rest of the line */
};

struct prevtrace {
	enum pt_state state;
	char instance[64];
	char clock[24];		/* the instance's trace clock */
	__u64 entries, written;	/* the "entries-in-buffer/entries-written" header */
	int nr;
	struct pt_event *ev;	/* in the file's order (the kernel merges CPUs by time) */
};

/* one row of the joined timeline */
struct pt_row {
	__u64 tsc;
	bool old;		/* the old kernel's (trace event or way-out stamp) */
	bool stamp;		/* a blackout stamp, else a trace event */
	const struct pt_event *ev;	/* trace events */
	const struct bo_phase *phase;	/* stamps */
};

struct pt_join {
	__u64 reboot_tsc, jump_tsc, userspace_tsc;
	__u64 end_tsc;		/* the old kernel's last: its jump event, else the jump stamp */
	__u64 start_tsc;	/* the timeline's first row */
	int nr_old;		/* the previous kernel's events in the trace */
	int nr_window;		/* of them in its last PREVTRACE_WINDOW_NS, up to end_tsc */
	int nr_way_out;		/* of them from the reboot stamp to end_tsc */
	int stamps_out;		/* way-out stamps in the blackout timeline */
	int stamps_matched;	/* of them, a kho_blackout event with the same phase and tsc */
	int out_of_order;	/* events whose timestamp is before the previous one's */
	int after_jump;		/* events after end_tsc (must be 0) */
	const struct pt_event *last_user;	/* the last trace_marker write before the reboot */
	__u64 max_gap_ns;	/* widest gap between rows from the reboot to the jump */
	char gap_from[48], gap_to[48];
	int nr_rows;
	struct pt_row *rows;	/* start_tsc to the userspace stamp, by tsc */
	/*
	 * optional, set by the caller: this kernel's early-boot log (debugfs
	 * kho/bootlog). Its records have no time: printed after the stamp of
	 * the phase they belong to (retrieve, else populate).
	 */
	const char *bootlog;
};

/*
 * Before the kexec: x86-tsc clock, the kho events (and liveupdate's where
 * the kernel has them) enabled, tracing on, a marker written. tracefs NULL
 * for PREVTRACE_TRACEFS. 0 or -errno with the reason in err (-ENOENT: no
 * such instance, -EOPNOTSUPP: not persistent or no x86-tsc clock).
 */
int prevtrace__arm(const char *tracefs, const char *instance, char *err, size_t errlen);

/* Parses an instance's "trace" text; 0 or -EINVAL/-ENOMEM, message in err. */
int prevtrace__parse(const char *text, struct prevtrace *pt, char *err, size_t errlen);

/*
 * After the kexec: the instance's last_boot_info, trace_clock and trace.
 * 0 with pt->state saying what was found (PT_NO_INSTANCE etc. are not
 * errors), or -errno with the reason in err.
 */
int prevtrace__read(const char *tracefs, const char *instance, struct prevtrace *pt,
		    char *err, size_t errlen);

/*
 * The old kernel's events and both kernels' stamps on one clock. The
 * trace must be on x86-tsc and bo a computed BO_OK timeline; 0 or -EINVAL
 * with the reason in err.
 */
int prevtrace__join(const struct prevtrace *pt, const struct blackout *bo, struct pt_join *j,
		    char *err, size_t errlen);

/*
 * The trace instance whose ring buffer is the reserve_mem region named
 * region on the kernel command line cmdline (trace_instance=NAME[^FLAG...]
 * @REGION[,EVENTS...]), copied into instance; false if none.
 */
bool prevtrace__region_instance(const char *cmdline, const char *region, char *instance,
				size_t size);

const char *prevtrace__state_str(enum pt_state state);
/* one sentence for a state other than PT_OK */
const char *prevtrace__state_msg(enum pt_state state);

void prevtrace__print(FILE *f, const struct prevtrace *pt, const struct blackout *bo,
		      const struct pt_join *j);
/* a self-contained HTML page with the joined timeline; 0 or -errno */
int prevtrace__html(FILE *f, const struct prevtrace *pt, const struct blackout *bo,
		    const struct pt_join *j);

void prevtrace__free(struct prevtrace *pt);
void pt_join__free(struct pt_join *j);

#endif /* __KHOTRACE_PREVTRACE_H */
