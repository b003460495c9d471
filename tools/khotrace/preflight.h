/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * preflight: what 'khotrace preflight' weighs before kexec -e, as pure
 * functions over what the kernel shows (tests feed them fixtures).
 *
 * The loaded image: /sys/kernel/kexec/loaded (upstream), and with the
 * khotrace series /sys/kernel/kexec/loader (file, syscall, none) and
 * /sys/kernel/kexec/segments (one "MEM MEMSZ" line in hex per segment).
 * Live Update sessions: the file descriptors named
 * "anon_inode:[luo_session] NAME" in /proc/PID/fd. The expected blackout:
 * earlier cycles' stamps (export --history) fitted as a fixed part plus
 * the retrieve phase, which grows with the preserved bytes and ranges.
 */
#ifndef __KHOTRACE_PREFLIGHT_H
#define __KHOTRACE_PREFLIGHT_H

#include <stdbool.h>
#include <linux/types.h>

#include "export.h"
#include "kho_state.h"
#include "manifest.h"

#define KEXEC_SYSFS		"/sys/kernel/kexec"
#define PF_MAX_SEGMENTS		16	/* KEXEC_SEGMENT_MAX */
#define PF_RETRIEVE_PHASE	"retrieve"
#define LUO_SESSION_LINK	"anon_inode:[luo_session] "

struct pf_image {
	bool loaded;
	char loader[16];		/* "file", "syscall", "none"; "" unknown */
	bool have_segments;
	int nr_segments;
	struct { __u64 mem, memsz; } seg[PF_MAX_SEGMENTS];
};

struct pf_session {
	char name[64];
	int pid;
	char comm[17];
};

struct pf_model {
	int nr_cycles;			/* earlier cycles the slopes come from */
	bool bytes_only;		/* ranges could not be told from bytes */
	double fixed_ns;		/* mean blackout without the retrieve phase */
	double ns_per_byte, ns_per_range;
};

/* a segment kexec_file_load would place, and where the plan put it */
struct pf_plan {
	const char *what;
	__u64 size, align;
	int area;			/* scratch area, -1: no room */
	__u64 addr;
};

/*
 * An x86 bzImage's setup header: the memory the kernel needs from where
 * it is loaded (init_size, as kexec_file_load's bzImage64 loader reserves
 * it) and its alignment. -EINVAL, and why in err, if buf is not a bzImage
 * that has them.
 */
int preflight__bzimage(const void *buf, size_t len, __u64 *init_size, __u64 *align,
		       char *err, size_t err_size);
/*
 * Place the segments in the scratch areas, largest first, each at the
 * lowest aligned address left in the first area with room: an estimate of
 * where kexec_file_load's KHO placement can put them. Returns how many
 * found no room (their area is -1).
 */
int preflight__plan(struct pf_plan *segs, int nr, const struct kho_scratch_area *areas,
		    int nr_areas);

/* sysfs: the kexec directory, NULL for KEXEC_SYSFS; -errno and why in err if unreadable */
int preflight__read_image(const char *sysfs, struct pf_image *img, char *err, size_t err_size);
/* the segments (indexes into idx, up to max) outside every scratch area; their count */
int preflight__misfits(const struct pf_image *img, const struct kho_scratch_area *areas,
		       int nr_areas, int *idx, int max);
/*
 * Live Update sessions held by processes under proc (NULL: /proc): their
 * count, or -errno and why in err when proc cannot be read
 */
int preflight__sessions(const char *proc, struct pf_session *out, int max, char *err,
			size_t err_size);
/* the slopes from cycles; -ENODATA when none has a usable timeline */
int preflight__fit(const struct cycle *cycles, int nr, struct pf_model *m);
double preflight__expect(const struct pf_model *m, __u64 bytes, __u64 ranges);
/* every *.json cycle of dir, malloc'ed: the count, or -errno and why in err */
int preflight__load_history(const char *dir, struct cycle **cycles, char *err, size_t err_size);
/*
 * A snapshot against the handover as it is now: 0 current, 1 stale with
 * what changed in why (ranges and subtrees by place and size; bytes and
 * the subtrees rewritten at reboot are not compared).
 */
int preflight__compare(const struct manifest *snap, const struct manifest *now,
		       char *why, size_t size);

#endif /* __KHOTRACE_PREFLIGHT_H */
