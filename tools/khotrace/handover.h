/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * handover: one side of a KHO handover of the running kernel, collected as
 * a manifest. The outgoing side is what this kernel will hand over (written
 * by snapshot), the incoming side what it received (compared by verify).
 *
 * Sources, best first: the khotrace series' debugfs out|in/memory_map and
 * out|in/subtrees (checksums computed by the kernel); else the out|in FDT
 * and its sub_fdts/NAME blobs (checksums computed here), without ranges.
 * Without a whole out/fdt (a kernel without the series), the outgoing
 * subtrees come from out/sub_fdts/NAME, without their addresses (fdt=no).
 * The reserve_mem regions come from the memblock subtree, their bytes
 * (outgoing side) from /dev/mem (ROOT/mem for a test tree).
 * Scratch areas come from out/scratch_phys|len: a kernel booted through KHO
 * keeps the scratch areas it received, so on the incoming side they are the
 * received ones. Incoming kexec count and release come from the kexec
 * metadata subtree.
 */
#ifndef __KHOTRACE_HANDOVER_H
#define __KHOTRACE_HANDOVER_H

#include <stdbool.h>

#include "kho_state.h"
#include "manifest.h"

/* the manifest's Live Update carrier: session, memfd token, holder comm */
#define MANIFEST_SESSION	"khotrace"
#define MANIFEST_TOKEN		0x6b686f74	/* "khot" */
#define MANIFEST_HOLDER		"khotrace-hold"
/* a copy of what the session carries, for preflight (tmpfs: gone at reboot) */
#define MANIFEST_COPY_DIR	"/run/khotrace"
#define MANIFEST_COPY		MANIFEST_COPY_DIR "/manifest"

enum handover_side {
	HANDOVER_OUT,
	HANDOVER_IN,
};

/* NULL when KHO is usable, else why not ("KHO is disabled (kho=off)") */
const char *handover__unavailable(const struct kho_state *st);
/*
 * Fill m (manifest__init'ed by the call) from st, read from root (NULL:
 * KHO_DEBUGFS). Returns 0 or -errno with a one-line reason in err.
 */
int handover__collect(struct manifest *m, const struct kho_state *st, const char *root,
		      enum handover_side side, char *err, size_t err_size);
/*
 * Where the ranges KHO will hand over are, without their bytes: out/ranges
 * (no checksums, so that no preserved byte is read), else out/memory_map
 * (kernels before out/ranges: all of them checksummed). snapshot reads it
 * after preserving its own carrier. 0 or -errno with a reason in err.
 */
int handover__read_ranges(struct manifest *m, const char *root, char *err, size_t err_size);
/* just the preserved-memory map of one side into m's ranges */
int handover__read_map(struct manifest *m, const char *root, enum handover_side side,
		       char *err, size_t err_size);

#endif /* __KHOTRACE_HANDOVER_H */
