/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* kho_state: what the kernel exposes about KHO (debugfs, sysfs, cmdline) */
#ifndef __KHOTRACE_KHO_STATE_H
#define __KHOTRACE_KHO_STATE_H

#include <stdbool.h>
#include <linux/types.h>

#include "fdt.h"

#define KHO_DEBUGFS		"/sys/kernel/debug/kho"
#define KHO_MAX_SCRATCH		64
#define KHO_METADATA_NODE_NAME	"kexec-metadata"
#define KHO_CRC_NODE_NAME	"kho-crc"
/* a series kernel always hands this subtree over (blackout stamps) */
#define KHO_SERIES_NODE_NAME	"kho-blackout"

struct kho_scratch_area {
	__u64 addr;
	__u64 size;
};

struct kho_state {
	bool supported;		/* the kernel has KHO */
	bool enabled;		/* KHO initialized (debugfs dir present) */
	bool debugfs;		/* debugfs mounted and readable */
	char cmdline_kho[16];	/* kho= value, "" if absent */
	char cmdline_scratch[64]; /* kho_scratch= value */
	int active;		/* /sys/kernel/kho/active, -1 if absent */
	int nr_scratch;
	struct kho_scratch_area scratch[KHO_MAX_SCRATCH];
	bool kho_boot;		/* booted through a KHO kexec (in/fdt present) */
	int out_err, in_err;	/* parse result of out/fdt and in/fdt */
	struct kho_fdt out_fdt, in_fdt;
	bool series;		/* this kernel has the khotrace series */
	int prev_series;	/* the previous kernel had it (its in/fdt has the
				 * series' kho-blackout subtree): 1, 0, -1 unknown */
	bool have_metadata;	/* in/sub_fdts/kexec-metadata parsed */
	__u32 kexec_count;
	char previous_release[65];
	char *bootlog;		/* debugfs bootlog records (after the format line),
				 * NULL if absent or not of a format we read */
	/* a versioned file (bootlog, in/memory_map) of a format we do not read */
	int format_err;		/* -EPROTO, else 0 */
	char format_msg[256];	/* names the file, the format found and understood */
	/* handover checksums (kho_crc=on, the khotrace series) */
	char cmdline_crc[16];	/* kho_crc= value, "" if absent */
	bool crc_out;		/* this kernel lists what it hands over (kho-crc subtree) */
	bool crc_received;	/* in/memory_map: "# crc32c=received" */
	bool have_sent;		/* in/memory_map: "# sent=N", the previous kernel's list */
	__u64 nr_sent;
};

/*
 * Read what the kernel exposes about KHO; root: the debugfs KHO directory,
 * NULL for KHO_DEBUGFS (mounting debugfs if needed; tests pass a tree).
 * A file the kernel does not have (a kernel without KHO, with KHO off or
 * without the series) is no error: st says what is absent. Returns 0, or
 * -errno when a file of the KHO interface is there but cannot be read
 * (EACCES, EIO, no debugfs on a KHO kernel), with the first such error's
 * message in err; st then holds what could be read, and always needs
 * kho_state__free(). A file of a format this khotrace does not read is
 * read as far as it goes: st->format_err and format_msg say which.
 */
int kho_state__read(struct kho_state *st, const char *root, char *err, size_t err_size);
void kho_state__free(struct kho_state *st);
/* "with the khotrace series", "without ...", "khotrace series unknown" (1, 0, -1) */
const char *kho_series_name(int series);
/* kexec metadata blob: u32 version, char release[65], u32 count (packed) */
int kho_parse_kexec_metadata(const void *blob, size_t len, __u32 *count,
			     char *release, size_t release_size);

#endif /* __KHOTRACE_KHO_STATE_H */
