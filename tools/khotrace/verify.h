/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Compare a manifest (what the old kernel handed over) with what the new
 * kernel received, itself collected as a manifest: pure functions, no I/O.
 *
 * Items: the kexec count (received = manifest's + 1), the previous release
 * (= manifest's release), every scratch area (by index), every subtree (by
 * name) and, when both sides have the preserved-memory map, every range (by
 * phys; a range found at another phys with the same size and checksum is
 * "moved"). Received ranges that overlap one of the manifest's carrier
 * ranges are the manifest's own transport (its Live Update memfd and that
 * session's metadata, preserved after the snapshot was taken): they are
 * neither compared nor reported as extra.
 *
 * When the previous kernel ran with kho_crc=on too, it checksummed every
 * range again when its kexec reboot began and as it handed the range over,
 * after Live Update froze its state (the received map's sent= and reboot=).
 * Each range's bytes are then followed through four points: manifest ->
 * reboot (must be equal: else they changed after the snapshot), reboot ->
 * sent (Live Update rewrote them: ok, counted), sent -> received (must be
 * equal: else they changed in the handover). The received ranges the
 * manifest does not have are checked sent -> received too: the carrier's,
 * and those Live Update preserved while it froze (no reboot checksum).
 *
 * A manifest written by a kernel without the series may lack what that
 * kernel does not show: the subtrees' addresses (phys=-: compared by name,
 * size and bytes) and the ranges (not compared). The reserve_mem regions
 * (by name: address and size from the memblock subtree) have their bytes
 * compared with the received memory map, joined over the ranges that make
 * up each region, when the receiver checksummed them as received. Every
 * such gap is counted with its reason in the result.
 *
 * Bytes that change by design are not compared: the subtrees named in
 * VERIFY_REWRITTEN_SUBTREES (Live Update serializes its sessions into its
 * subtree at reboot, after any snapshot; the kernel writes its blackout
 * stamps into kho-blackout while it reboots), the ranges the previous
 * kernel marked sent=late (it wrote them after its handover checksums), and
 * the ranges' bytes when this kernel did not checksum what it received at
 * boot (kho_crc=on): KHO never reads received memory after boot, its owners
 * restore, reuse and free it. They show up in the result: in the item's
 * detail, and as bytes_reason.
 */
#ifndef __KHOTRACE_VERIFY_H
#define __KHOTRACE_VERIFY_H

#include <stdbool.h>

#include "manifest.h"

enum vf_kind {
	VF_OK,
	VF_MISSING,	/* in the manifest, not received */
	VF_EXTRA,	/* received, not in the manifest */
	VF_MOVED,	/* received at another physical address */
	VF_RESIZED,	/* same place, other size */
	VF_CHECKSUM,	/* same place and size, other bytes */
	VF_VALUE,	/* kexec count or release differs */
};

struct vf_item {
	enum vf_kind kind;
	char what[96];		/* "subtree memblock", "range 0x1000", "kexec count" */
	char detail[256];	/* "phys 0x1000 -> 0x2000" */
};

#define VERIFY_REWRITTEN_SUBTREES	{ "LUO", "kho-blackout", "kho-crc", NULL }
/* the subtree in which the previous kernel hands its checksums over */
#define VERIFY_SENT_SUBTREE		"kho-crc"


struct vf_result {
	int nr_items, nr_ok, nr_mismatch;
	int nr_carrier;		/* received ranges ignored as the manifest's carrier */
	bool ranges_compared;
	char ranges_reason[320];	/* why not, when !ranges_compared: the side(s)
					 * that lack them, with their reasons */
	bool bytes_compared;		/* range checksums compared */
	char bytes_reason[160];		/* why not, when ranges_compared && !bytes_compared */
	bool sent_compared;		/* ... through the reboot and the handover too */
	bool sent_rejected;		/* they were handed over, this kernel rejected them */
	bool handover_only;		/* no manifest: verify__handover() */
	int nr_rewritten;		/* ranges Live Update rewrote at reboot */
	int nr_luo_new;			/* ranges Live Update preserved at reboot */
	int nr_sent_carrier;		/* received ranges carrying the checksums */
	int nr_late;			/* ranges the previous kernel wrote after listing */
	bool list_full;			/* it listed fewer ranges than it handed over */
	int nr_subtree_nophys;		/* subtrees whose address the manifest lacks */
	char subtree_phys_reason[256];
	int nr_regions;			/* reserve_mem regions compared (place, size) */
	int nr_region_bytes;		/* ... with their bytes */
	char region_bytes_reason[160];	/* why not, when fewer than nr_regions */
	int nr, cap;
	struct vf_item *items;	/* every item, ok ones included */
};

const char *vf_kind_name(enum vf_kind kind);
/* got: the received side (kexec_count and release are the new kernel's
 * kexec metadata: count and previous release). Returns 0, or -ENOMEM and
 * why in err. */
int verify__compare(const struct manifest *want, const struct manifest *got,
		    struct vf_result *res, char *err, size_t err_size);
/*
 * Without a manifest (its carrier was damaged): what the received side's own
 * lists allow, every received range against what the previous kernel
 * listed when it handed it over (sent -> received). Returns 0, or -ENOMEM
 * and why in err.
 */
int verify__handover(const struct manifest *got, struct vf_result *res, char *err,
		     size_t err_size);
void verify__free(struct vf_result *res);
/* a subtree whose bytes change at reboot by design (VERIFY_REWRITTEN_SUBTREES) */
bool verify__rewritten(const char *name);

#endif /* __KHOTRACE_VERIFY_H */
