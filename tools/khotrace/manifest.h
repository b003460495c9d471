/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * The khotrace manifest: what one kernel hands over through KHO, written
 * before the kexec and compared with what the next kernel received.
 *
 * Format version 1 is text, one record per line, '\n' terminated:
 *
 *   khotrace-manifest 1                              header, exactly this
 *   release=6.18.0-khotrace                          uname -r of the writer
 *   time=1767225600                                  seconds since the epoch
 *   kexec_count=0                                    the writer's own count
 *   series=yes | series=no                           the writer had the khotrace
 *                                                    series (optional: unknown)
 *   ranges=yes | ranges=no reason...                 preserved map available?
 *   fdt=no reason...                                 optional: the writer's root
 *                                                    FDT was unreadable, so the
 *                                                    subtrees have phys=-
 *   region_bytes=no reason...                        optional: why regions have
 *                                                    crc32c=-
 *   scratch addr=0x... size=0x...                    one per scratch area
 *   range phys=0x... order=N size=0x... crc32c=0x... one per preserved range
 *   subtree name=NAME phys=0x... size=0x... crc32c=0x...  (crc32c=- unknown,
 *                                                    phys=- unknown)
 *   region name=NAME phys=0x... size=0x... crc32c=0x...   a reserve_mem region
 *                                                    (from the memblock subtree)
 *   carrier phys=0x... size=0x...                    ranges of the manifest's
 *                                                    own transport (not compared)
 *   end crc32c=0x...                                 crc32c of every byte before
 *
 * A kernel without the series lists no ranges and may not show its root
 * FDT whole; the optional records say what the manifest could not hold.
 * Ranges (and carriers) are sorted by phys and must not overlap; subtree
 * names are unique. Anything after the end line (the NUL padding of a memfd)
 * is ignored. The parser rejects a wrong header or version, unknown records,
 * duplicates, overlaps, a missing end line (truncation) and a bad checksum,
 * each with the line number.
 */
#ifndef __KHOTRACE_MANIFEST_H
#define __KHOTRACE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#define MANIFEST_MAGIC		"khotrace-manifest"
#define MANIFEST_VERSION	1
#define MANIFEST_NAME_MAX	64
#define MANIFEST_RELEASE_MAX	65

/* What the previous kernel listed of a received range (kernel maps only) */
enum mf_sent {
	MF_SENT_UNKNOWN,	/* the map has no "# sent=N" line */
	MF_SENT_LISTED,		/* sent=0x.. reboot=0x..|none */
	MF_SENT_CARRIER,	/* sent=carrier: the list's own pages */
	MF_SENT_NONE,		/* sent=none: not listed */
	MF_SENT_LOST,		/* crc32c=lost: listed, not received */
	MF_SENT_LATE,		/* sent=late: written by that kernel after it listed it */
};

struct mf_range {
	__u64 phys;
	__u64 size;
	__u32 order;
	__u32 crc;
	/* kernel in/memory_map with "# sent=N" only */
	__u32 sent_crc;		/* as handed over */
	__u32 reboot_crc;	/* when the reboot began, if has_reboot */
	__u8 sent;		/* enum mf_sent */
	bool has_reboot;
	bool no_crc;		/* no checksum: kernel map "crc32c=none" (in/
				 * without kho_crc, or out/ unpreserved meanwhile),
				 * or a line of out/ranges, which has none */
};

struct mf_subtree {
	char name[MANIFEST_NAME_MAX];
	__u64 phys;
	__u64 size;
	__u32 crc;
	bool has_crc;
	bool no_phys;		/* address unknown (phys=-) */
};

/* a named region of physical memory handed over at the same address
 * (reserve_mem), with the crc32c of its bytes when they were readable */
struct mf_region {
	char name[MANIFEST_NAME_MAX];
	__u64 phys;
	__u64 size;
	__u32 crc;
	bool has_crc;
	/*
	 * receiving side only, never written: the persistent trace instance
	 * whose ring buffer the region is (trace_instance=NAME@REGION on this
	 * kernel's command line), written until the jump; "" if none
	 */
	char trace_instance[MANIFEST_NAME_MAX];
};

struct mf_area {		/* scratch areas and carrier ranges */
	__u64 addr;
	__u64 size;
};

struct manifest {
	unsigned int version;
	char release[MANIFEST_RELEASE_MAX];
	__u64 time;
	__u32 kexec_count;
	bool have_ranges;		/* the preserved-memory map was readable */
	bool crc_received;		/* kernel map only: range crc32c computed on
					 * the bytes as received ("# crc32c=received"),
					 * not when the file was read */
	bool have_sent;			/* kernel map only: "# sent=N", the previous
					 * kernel's handover checksums (kho_crc=on) */
	__u64 nr_sent;			/* its N: ranges it listed */
	__u64 nr_sent_ranges;		/* "ranges=M": ranges it handed over (M > N
					 * when its list was full); 0 when not said */
	char ranges_reason[128];	/* why not, when !have_ranges */
	int nr_unpreserved;		/* out/memory_map: ranges unpreserved while it
					 * was read ("crc32c=none"), left out */
	int series;			/* the kernel has the khotrace series:
					 * 1 yes, 0 no, -1 unknown */
	bool no_fdt;			/* root FDT unreadable: no subtree phys */
	char fdt_reason[256];
	char region_reason[128];	/* why regions have no crc32c ("" if all have) */
	int nr_ranges, nr_subtrees, nr_scratch, nr_carrier, nr_regions;
	int cap_ranges, cap_subtrees, cap_scratch, cap_carrier, cap_regions;
	struct mf_range *ranges;
	struct mf_subtree *subtrees;
	struct mf_area *scratch;
	struct mf_area *carrier;
	struct mf_region *regions;
};

void manifest__init(struct manifest *m);
void manifest__free(struct manifest *m);
int manifest__add_range(struct manifest *m, __u64 phys, __u32 order, __u64 size, __u32 crc);
int manifest__add_subtree(struct manifest *m, const char *name, __u64 phys, __u64 size,
			  bool has_crc, __u32 crc);
int manifest__add_region(struct manifest *m, const char *name, __u64 phys, __u64 size,
			 bool has_crc, __u32 crc);
int manifest__add_scratch(struct manifest *m, __u64 addr, __u64 size);
int manifest__add_carrier(struct manifest *m, __u64 addr, __u64 size);
/* sort ranges and carriers by phys (snapshot does, before writing) */
void manifest__sort(struct manifest *m);
/* the index of the range at phys (the ranges sorted by phys), or -1 */
int manifest__find_range(const struct manifest *m, __u64 phys);
/*
 * crc32c of the bytes at [phys, phys + size) from the ranges that make it
 * up, in order and without gaps, joined: 0; -ENOENT when no such ranges
 * make it up (or it is empty), -ENODATA when one of them has no checksum
 */
int manifest__span_crc(const struct manifest *m, __u64 phys, __u64 size, __u32 *crc);
/* the subtree called name, NULL if none */
const struct mf_subtree *manifest__subtree(const struct manifest *m, const char *name);
/* r overlaps a carrier range (the manifest's own Live Update memfd) */
bool manifest__in_carrier(const struct manifest *m, const struct mf_range *r);

/* the text form, malloc'ed, NUL terminated; returns its length or -errno */
long manifest__format(const struct manifest *m, char **text);
/*
 * Parse len bytes (stops at the first NUL). Returns 0, or -EINVAL/-EPROTO
 * with a one-line reason in err ("line 7: range phys=0x2000 overlaps ...").
 */
int manifest__parse(const char *text, size_t len, struct manifest *m,
		    char *err, size_t err_size);

/*
 * The kernel's preserved-memory map and subtree list (the khotrace series'
 * debugfs out|in/memory_map and out|in/subtrees): their format line first
 * (kho_format__check(), -EPROTO), then one record per line,
 *   phys=0x... order=N size=0x... crc32c=0x...
 *   name=NAME phys=0x... size=0x... crc32c=0x...     (keys in any order)
 * added to m. Lines starting with '#' are comments; "# crc32c=received" in
 * a memory map sets m->crc_received. "# sent=N" sets m->have_sent: then every
 * map line also has sent=0x... reboot=0x...|none, sent=carrier or sent=none,
 * and crc32c=lost marks a range listed but not received (struct mf_range).
 * Returns 0, or -EPROTO or -EINVAL with the bad line in err.
 */
int kho_map_parse(const char *text, struct manifest *m, char *err, size_t err_size);
/*
 * One '#' line of a memory map (no newline): "# crc32c=received" and
 * "# sent=N" set their fields of m, other comments nothing. -EINVAL for a
 * bad N. For readers of the header alone (khotrace status).
 */
int kho_map_header(const char *line, struct manifest *m);
/*
 * debugfs out/ranges: "phys=0x... order=N size=0x..." per line, each
 * range added to m with no_crc set, sorted. 0, or -EPROTO or -EINVAL
 * with the bad line in err.
 */
int kho_ranges_parse(const char *text, struct manifest *m, char *err, size_t err_size);
int kho_subtrees_parse(const char *text, struct manifest *m, char *err, size_t err_size);

#endif /* __KHOTRACE_MANIFEST_H */
