// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* manifest vs received: every item ok or one mismatch of one kind */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "util.h"
#include "verify.h"

static const char *const kind_names[] = {
	[VF_OK]		= "ok",
	[VF_MISSING]	= "missing",
	[VF_EXTRA]	= "extra",
	[VF_MOVED]	= "moved",
	[VF_RESIZED]	= "resized",
	[VF_CHECKSUM]	= "checksum",
	[VF_VALUE]	= "value",
};

const char *vf_kind_name(enum vf_kind kind)
{
	return kind <= VF_VALUE ? kind_names[kind] : "?";
}

static int item(struct vf_result *r, enum vf_kind kind, const char *what,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int item(struct vf_result *r, enum vf_kind kind, const char *what,
		const char *fmt, ...)
{
	struct vf_item *it;
	va_list ap;

	if (r->nr == r->cap) {
		int cap = r->cap ? r->cap * 2 : 32;
		void *p = realloc(r->items, cap * sizeof(*r->items));

		if (!p)
			return -ENOMEM;
		r->items = p;
		r->cap = cap;
	}
	it = &r->items[r->nr++];
	it->kind = kind;
	snprintf(it->what, sizeof(it->what), "%s", what);
	va_start(ap, fmt);
	vsnprintf(it->detail, sizeof(it->detail), fmt, ap);
	va_end(ap);
	r->nr_items++;
	if (kind == VF_OK)
		r->nr_ok++;
	else
		r->nr_mismatch++;
	return 0;
}

#define X(v) ((unsigned long long)(v))

static int cmp_values(const struct manifest *want, const struct manifest *got,
		      struct vf_result *r)
{
	__u32 expect = want->kexec_count + 1;
	int err;

	if (got->kexec_count == expect)
		err = item(r, VF_OK, "kexec count", "%u", expect);
	else
		err = item(r, VF_VALUE, "kexec count", "expected %u (manifest's %u + 1), received %u",
			   expect, want->kexec_count, got->kexec_count);
	if (err)
		return err;
	if (!strcmp(want->release, got->release))
		return item(r, VF_OK, "previous release", "%s", want->release);
	return item(r, VF_VALUE, "previous release", "expected '%s', received '%s'",
		    want->release, got->release);
}

static int cmp_scratch(const struct manifest *want, const struct manifest *got,
		       struct vf_result *r)
{
	char what[32];
	int i, err = 0;

	for (i = 0; i < want->nr_scratch && !err; i++) {
		const struct mf_area *a = &want->scratch[i], *b = &got->scratch[i];

		snprintf(what, sizeof(what), "scratch %d", i);
		if (i >= got->nr_scratch)
			err = item(r, VF_MISSING, what, "addr 0x%llx size 0x%llx",
				   X(a->addr), X(a->size));
		else if (a->addr != b->addr)
			err = item(r, VF_MOVED, what, "addr 0x%llx -> 0x%llx (size 0x%llx -> 0x%llx)",
				   X(a->addr), X(b->addr), X(a->size), X(b->size));
		else if (a->size != b->size)
			err = item(r, VF_RESIZED, what, "addr 0x%llx size 0x%llx -> 0x%llx",
				   X(a->addr), X(a->size), X(b->size));
		else
			err = item(r, VF_OK, what, "addr 0x%llx size 0x%llx", X(a->addr), X(a->size));
	}
	for (; i < got->nr_scratch && !err; i++) {
		snprintf(what, sizeof(what), "scratch %d", i);
		err = item(r, VF_EXTRA, what, "addr 0x%llx size 0x%llx",
			   X(got->scratch[i].addr), X(got->scratch[i].size));
	}
	return err;
}

bool verify__rewritten(const char *name)
{
	static const char *const names[] = VERIFY_REWRITTEN_SUBTREES;

	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

static bool subtree_in(const struct mf_subtree *st, const struct mf_range *rg)
{
	return st && st->phys >= rg->phys && st->phys < rg->phys + rg->size;
}

/*
 * The subtree rewritten at reboot that lies in a preserved range, if any:
 * that range's bytes change after the snapshot by design.
 */
static const char *holds_rewritten(const struct manifest *m, const struct mf_range *rg)
{
	for (int i = 0; i < m->nr_subtrees; i++) {
		const struct mf_subtree *st = &m->subtrees[i];

		if (verify__rewritten(st->name) && subtree_in(st, rg))
			return st->name;
	}
	return NULL;
}

static int cmp_subtrees(const struct manifest *want, const struct manifest *got,
			struct vf_result *r)
{
	char what[96];
	int err = 0;

	for (int i = 0; i < want->nr_subtrees && !err; i++) {
		const struct mf_subtree *a = &want->subtrees[i], *b;

		snprintf(what, sizeof(what), "subtree %s", a->name);
		b = manifest__subtree(got, a->name);
		if (b && a->no_phys && !b->no_phys) {
			/* the writer could not say where: size and bytes only */
			r->nr_subtree_nophys++;
			snprintf(r->subtree_phys_reason, sizeof(r->subtree_phys_reason), "manifest: %.240s",
				 want->fdt_reason[0] ? want->fdt_reason : "no addresses");
		}
		if (!b)
			err = item(r, VF_MISSING, what, "phys 0x%llx size 0x%llx",
				   X(a->phys), X(a->size));
		else if (a->no_phys && a->size != b->size)
			err = item(r, VF_RESIZED, what, "size 0x%llx -> 0x%llx (received at phys 0x%llx)",
				   X(a->size), X(b->size), X(b->phys));
		else if (a->no_phys && verify__rewritten(a->name))
			err = item(r, VF_OK, what, "size 0x%llx, received at phys 0x%llx (bytes rewritten "
				   "at reboot, not compared; address not in the manifest)", X(a->size),
				   X(b->phys));
		else if (a->no_phys && a->has_crc && b->has_crc && a->crc != b->crc)
			err = item(r, VF_CHECKSUM, what, "size 0x%llx crc32c 0x%08x -> 0x%08x (received "
				   "at phys 0x%llx)", X(a->size), a->crc, b->crc, X(b->phys));
		else if (a->no_phys)
			err = item(r, VF_OK, what, "size 0x%llx, received at phys 0x%llx (address not in "
				   "the manifest%s)", X(a->size), X(b->phys),
				   a->has_crc && b->has_crc ? "" : "; bytes not compared");
		else if (a->phys != b->phys)
			err = item(r, VF_MOVED, what, "phys 0x%llx -> 0x%llx (size 0x%llx -> 0x%llx)",
				   X(a->phys), X(b->phys), X(a->size), X(b->size));
		else if (a->size != b->size)
			err = item(r, VF_RESIZED, what, "phys 0x%llx size 0x%llx -> 0x%llx",
				   X(a->phys), X(a->size), X(b->size));
		else if (verify__rewritten(a->name))
			err = item(r, VF_OK, what, "phys 0x%llx size 0x%llx (bytes rewritten at reboot, "
				   "not compared)", X(a->phys), X(a->size));
		else if (a->has_crc && b->has_crc && a->crc != b->crc)
			err = item(r, VF_CHECKSUM, what, "phys 0x%llx size 0x%llx crc32c 0x%08x -> 0x%08x",
				   X(a->phys), X(a->size), a->crc, b->crc);
		else
			err = item(r, VF_OK, what, "phys 0x%llx size 0x%llx%s", X(a->phys), X(a->size),
				   a->has_crc && b->has_crc ? "" : " (bytes not compared)");
	}
	for (int i = 0; i < got->nr_subtrees && !err; i++) {
		const struct mf_subtree *b = &got->subtrees[i];

		if (manifest__subtree(want, b->name))
			continue;
		snprintf(what, sizeof(what), "subtree %s", b->name);
		err = item(r, VF_EXTRA, what, "phys 0x%llx size 0x%llx", X(b->phys), X(b->size));
	}
	return err;
}

/* a range the previous kernel listed but this one did not receive */
static int lost_item(struct vf_result *r, const char *what, const struct mf_range *b)
{
	return item(r, VF_MISSING, what, "size 0x%llx handed over (crc32c 0x%08x), not received",
		    X(b->size), b->sent_crc);
}

/* a listed range received with other bytes than it was handed over with */
static int handover_item(struct vf_result *r, const char *what, const struct mf_range *b)
{
	return item(r, VF_CHECKSUM, what, "size 0x%llx changed in the handover: crc32c 0x%08x "
		    "as handed over, 0x%08x as received", X(b->size), b->sent_crc, b->crc);
}

/*
 * A manifest range a received as b, with the previous kernel's checksums:
 * manifest -> reboot -> sent -> received.
 */
static int cmp_sent(const struct manifest *want, const struct mf_range *a,
		    const struct mf_range *b, struct vf_result *r, const char *what)
{
	__u32 at_reboot = b->has_reboot ? b->reboot_crc : b->sent_crc;

	switch (b->sent) {
	case MF_SENT_LOST:
		return lost_item(r, what, b);
	case MF_SENT_CARRIER:
		return item(r, VF_OK, what, "size 0x%llx (holds the handover checksums, written "
			    "after them: bytes not compared)", X(a->size));
	case MF_SENT_LATE:
		r->nr_late++;
		return item(r, VF_OK, what, "size 0x%llx (written by the previous kernel after "
			    "its handover checksums: bytes not compared)", X(a->size));
	case MF_SENT_LISTED:
		break;
	default:
		if (!r->list_full)
			return item(r, VF_MISSING, what, "size 0x%llx received, but the previous "
				    "kernel did not list it when it handed over", X(a->size));
		/* beyond a full list: from the snapshot to the boot */
		if (a->crc != b->crc)
			return item(r, VF_CHECKSUM, what, "size 0x%llx crc32c 0x%08x -> 0x%08x "
				    "(not listed: the previous kernel's list was full)",
				    X(a->size), a->crc, b->crc);
		return item(r, VF_OK, what, "size 0x%llx (not listed: the previous kernel's list "
			    "was full; received as snapshotted)", X(a->size));
	}
	if (a->crc != at_reboot)
		return item(r, VF_CHECKSUM, what, "size 0x%llx changed after the snapshot: crc32c "
			    "0x%08x, 0x%08x %s", X(a->size), a->crc, at_reboot,
			    b->has_reboot ? "when the reboot began" : "as handed over");
	if (b->crc != b->sent_crc)
		return handover_item(r, what, b);
	if (at_reboot != b->sent_crc) {
		r->nr_rewritten++;
		return item(r, VF_OK, what, "size 0x%llx (rewritten while Live Update froze its sessions: "
			    "crc32c 0x%08x -> 0x%08x, received as handed over)", X(a->size),
			    at_reboot, b->sent_crc);
	}
	return item(r, VF_OK, what, "size 0x%llx", X(a->size));
}

/*
 * The bytes of a received range against what the previous kernel listed:
 * 1 when it listed them and they arrived so (the caller says what that
 * means), else its verdict, 0 or -errno. A range the manifest lacks
 * (extra) is an item when written late, and a full list does not excuse
 * it.
 */
static int cmp_listed(const struct mf_range *b, struct vf_result *r, const char *what,
		      bool extra)
{
	switch (b->sent) {
	case MF_SENT_CARRIER:
		r->nr_sent_carrier++;
		return 0;
	case MF_SENT_LOST:
		return lost_item(r, what, b);
	case MF_SENT_LATE:
		r->nr_late++;
		if (!extra)
			return 0;
		return item(r, VF_OK, what, "size 0x%llx (written by the previous kernel after "
			    "its handover checksums: bytes not compared)", X(b->size));
	case MF_SENT_LISTED:
		if (b->crc != b->sent_crc)
			return handover_item(r, what, b);
		return 1;
	default:
		if (r->list_full && !extra)
			return item(r, VF_OK, what, "size 0x%llx (not listed: the previous kernel's "
				    "list was full)", X(b->size));
		return item(r, VF_EXTRA, what, "size 0x%llx crc32c 0x%08x, not listed by the "
			    "previous kernel", X(b->size), b->crc);
	}
}

/*
 * A received range the manifest does not have, with the previous kernel's
 * checksums: only counted when it carries the manifest or the checksums and
 * its bytes were received as handed over; else one item.
 */
static int cmp_sent_extra(const struct manifest *want, const struct mf_range *b,
			  struct vf_result *r, const char *what)
{
	int ret = cmp_listed(b, r, what, true);

	if (ret <= 0)
		return ret;
	if (manifest__in_carrier(want, b)) {
		r->nr_carrier++;
		return 0;
	}
	if (!b->has_reboot) {
		r->nr_luo_new++;
		return item(r, VF_OK, what, "size 0x%llx (preserved while Live Update froze its sessions, "
			    "received as handed over)", X(b->size));
	}
	return item(r, VF_EXTRA, what, "size 0x%llx crc32c 0x%08x", X(b->size), b->crc);
}

/* the received region a range lies in when it is a trace instance's ring buffer */
static const struct mf_region *trace_region(const struct manifest *got, const struct mf_range *a)
{
	for (int i = 0; i < got->nr_regions; i++) {
		const struct mf_region *g = &got->regions[i];

		if (g->trace_instance[0] && a->phys >= g->phys &&
		    a->phys + a->size <= g->phys + g->size)
			return g;
	}
	return NULL;
}

static int cmp_ranges(const struct manifest *want, const struct manifest *got,
		      struct vf_result *r)
{
	bool *used = calloc(got->nr_ranges ?: 1, sizeof(*used));
	char what[64];
	int err = 0;

	if (!used)
		return -ENOMEM;
	/*
	 * the carrier's received ranges are expected; compared only with
	 * what the previous kernel handed over (cmp_sent_extra())
	 */
	for (int j = 0; j < got->nr_ranges && !r->sent_compared; j++) {
		if (manifest__in_carrier(want, &got->ranges[j])) {
			used[j] = true;
			r->nr_carrier++;
		}
	}
	for (int i = 0; i < want->nr_ranges && !err; i++) {
		const struct mf_range *a = &want->ranges[i], *b;
		int j = manifest__find_range(got, a->phys);

		snprintf(what, sizeof(what), "range 0x%llx", X(a->phys));
		if (j >= 0 && !used[j]) {
			b = &got->ranges[j];
			used[j] = true;
			if (a->size != b->size)
				err = item(r, VF_RESIZED, what, "size 0x%llx -> 0x%llx (order %u -> %u)",
					   X(a->size), X(b->size), a->order, b->order);
			else if (r->bytes_compared && trace_region(got, a))
				err = item(r, VF_OK, what, "size 0x%llx (trace instance %s's ring buffer "
					   "in region %s, written until the jump: bytes not compared)",
					   X(a->size), trace_region(got, a)->trace_instance,
					   trace_region(got, a)->name);
			else if (r->sent_compared)
				err = cmp_sent(want, a, b, r, what);
			else if (r->bytes_compared && a->crc != b->crc &&
				 holds_rewritten(want, a))
				err = item(r, VF_OK, what, "size 0x%llx (holds subtree %s, "
					   "rewritten at reboot: bytes not compared)",
					   X(a->size), holds_rewritten(want, a));
			else if (r->bytes_compared && a->crc != b->crc)
				err = item(r, VF_CHECKSUM, what, "size 0x%llx crc32c 0x%08x -> 0x%08x",
					   X(a->size), a->crc, b->crc);
			else
				err = item(r, VF_OK, what, "size 0x%llx", X(a->size));
			continue;
		}
		/* same bytes elsewhere: moved */
		for (j = 0; j < got->nr_ranges; j++) {
			b = &got->ranges[j];
			if (!used[j] && b->size == a->size && b->sent != MF_SENT_LOST &&
			    (!r->bytes_compared || b->crc == a->crc) &&
			    manifest__find_range(want, b->phys) < 0)
				break;
		}
		if (j < got->nr_ranges) {
			used[j] = true;
			err = item(r, VF_MOVED, what, "-> 0x%llx (size 0x%llx crc32c 0x%08x)",
				   X(got->ranges[j].phys), X(a->size), a->crc);
		} else {
			err = item(r, VF_MISSING, what, "size 0x%llx crc32c 0x%08x", X(a->size), a->crc);
		}
	}
	for (int j = 0; j < got->nr_ranges && !err; j++) {
		const struct mf_range *b = &got->ranges[j];

		if (used[j])
			continue;
		snprintf(what, sizeof(what), "range 0x%llx", X(b->phys));
		if (r->sent_compared)
			err = cmp_sent_extra(want, b, r, what);
		else
			err = item(r, VF_EXTRA, what, "size 0x%llx crc32c 0x%08x", X(b->size), b->crc);
	}
	free(used);
	return err;
}

static const struct mf_region *find_region(const struct manifest *m, const char *name)
{
	for (int i = 0; i < m->nr_regions; i++)
		if (!strcmp(m->regions[i].name, name))
			return &m->regions[i];
	return NULL;
}

/* why the bytes of a region cannot be compared, NULL if they can */
static const char *region_bytes_gap(const struct manifest *want, const struct manifest *got,
				    const struct mf_region *a, char *buf, size_t size)
{
	const struct mf_region *b = find_region(got, a->name);

	if (!a->has_crc)
		snprintf(buf, size, "manifest: %s", want->region_reason[0] ? want->region_reason :
			 "bytes not read");
	else if (b && b->trace_instance[0])
		snprintf(buf, size, "received: region %.40s is trace instance %.40s's ring buffer, "
			 "written until the jump", b->name, b->trace_instance);
	else if (!got->have_ranges)
		snprintf(buf, size, "received: %s", got->ranges_reason[0] ? got->ranges_reason :
			 "preserved-memory map unavailable");
	else if (!got->crc_received)
		snprintf(buf, size, "received: this kernel did not checksum what it received "
			 "at boot (boot it with kho_crc=on)");
	else
		return NULL;
	return buf;
}

/*
 * The checksum of region @a's bytes as received, in *crc: 0; -ENODATA
 * with why they cannot be compared in @buf; -ENOENT when the received
 * ranges do not make it up
 */
static int region_received_crc(const struct manifest *want, const struct manifest *got,
			       const struct mf_region *a, __u32 *crc, char *buf, size_t size)
{
	int ret;

	if (region_bytes_gap(want, got, a, buf, size))
		return -ENODATA;
	ret = manifest__span_crc(got, a->phys, a->size, crc);
	if (ret == -ENODATA)
		snprintf(buf, size, "received: a range of region %.40s has no checksum", a->name);
	return ret;
}

static int cmp_regions(const struct manifest *want, const struct manifest *got,
		       struct vf_result *r)
{
	char what[96], gap[160];
	int err = 0;

	for (int i = 0; i < want->nr_regions && !err; i++) {
		const struct mf_region *a = &want->regions[i], *b = find_region(got, a->name);
		__u32 crc = 0;
		int bytes = 0;

		snprintf(what, sizeof(what), "region %s", a->name);
		if (!b) {
			err = item(r, VF_MISSING, what, "phys 0x%llx size 0x%llx", X(a->phys),
				   X(a->size));
			continue;
		}
		r->nr_regions++;
		if (a->phys == b->phys && a->size == b->size)
			bytes = region_received_crc(want, got, a, &crc, gap, sizeof(gap));
		if (a->phys != b->phys)
			err = item(r, VF_MOVED, what, "phys 0x%llx -> 0x%llx", X(a->phys), X(b->phys));
		else if (a->size != b->size)
			err = item(r, VF_RESIZED, what, "phys 0x%llx size 0x%llx -> 0x%llx",
				   X(a->phys), X(a->size), X(b->size));
		else if (bytes == -ENODATA) {
			snprintf(r->region_bytes_reason, sizeof(r->region_bytes_reason), "%s", gap);
			err = item(r, VF_OK, what, "phys 0x%llx size 0x%llx (bytes not compared)",
				   X(a->phys), X(a->size));
		} else if (bytes)
			err = item(r, VF_MISSING, what, "phys 0x%llx size 0x%llx: its bytes are not "
				   "whole in the received preserved-memory map", X(a->phys), X(a->size));
		else if (crc != a->crc)
			err = item(r, VF_CHECKSUM, what, "phys 0x%llx size 0x%llx crc32c 0x%08x at the "
				   "snapshot, 0x%08x as received", X(a->phys), X(a->size), a->crc, crc);
		else {
			r->nr_region_bytes++;
			err = item(r, VF_OK, what, "phys 0x%llx size 0x%llx crc32c 0x%08x", X(a->phys),
				   X(a->size), crc);
		}
	}
	for (int i = 0; i < got->nr_regions && !err; i++) {
		if (find_region(want, got->regions[i].name))
			continue;
		snprintf(what, sizeof(what), "region %s", got->regions[i].name);
		err = item(r, VF_EXTRA, what, "phys 0x%llx size 0x%llx", X(got->regions[i].phys),
			   X(got->regions[i].size));
	}
	return err;
}

/*
 * The previous kernel handed its checksums over (the kho-crc subtree was
 * received) and this kernel checksummed what it received, but its map has
 * no "# sent=" line: this kernel rejected the list (a cut or corrupted
 * block list; its log says why). One item: the handover is not as sent.
 */
static int cmp_sent_rejected(const struct manifest *got, struct vf_result *r)
{
	if (!got->crc_received || got->have_sent || !manifest__subtree(got, VERIFY_SENT_SUBTREE))
		return 0;
	r->sent_rejected = true;
	return item(r, VF_VALUE, "handover checksums", "the previous kernel handed them over in "
		    "subtree " VERIFY_SENT_SUBTREE ", this kernel rejected them (see its log): "
		    "bytes compared from the snapshot to the boot only");
}

/* a received range that the previous kernel listed and handed over intact */
static int cmp_listed_ok(const struct mf_range *b, struct vf_result *r, const char *what)
{
	int ret = cmp_listed(b, r, what, false);

	return ret <= 0 ? ret : item(r, VF_OK, what, "size 0x%llx (received as handed over)",
				     X(b->size));
}

static int handover_only(const struct manifest *got, struct vf_result *r)
{
	char what[64];
	int err = 0;

	memset(r, 0, sizeof(*r));
	r->handover_only = true;
	if (!got->have_ranges) {
		snprintf(r->ranges_reason, sizeof(r->ranges_reason), "received: %s",
			 got->ranges_reason[0] ? got->ranges_reason :
			 "preserved-memory map unavailable");
		return 0;
	}
	r->ranges_compared = true;
	r->bytes_compared = got->crc_received;
	if (!r->bytes_compared)
		snprintf(r->bytes_reason, sizeof(r->bytes_reason), "this kernel did not checksum "
			 "what it received at boot (boot it with kho_crc=on)");
	r->sent_compared = r->bytes_compared && got->have_sent;
	r->list_full = got->nr_sent_ranges > got->nr_sent;
	err = cmp_sent_rejected(got, r);
	for (int j = 0; j < got->nr_ranges && r->sent_compared && !err; j++) {
		snprintf(what, sizeof(what), "range 0x%llx", X(got->ranges[j].phys));
		err = cmp_listed_ok(&got->ranges[j], r, what);
	}
	return err;
}

static int compare(const struct manifest *want, const struct manifest *got,
		   struct vf_result *r)
{
	int err;

	memset(r, 0, sizeof(*r));
	err = cmp_values(want, got, r);
	if (!err)
		err = cmp_scratch(want, got, r);
	if (!err)
		err = cmp_subtrees(want, got, r);
	if (!err)
		err = cmp_regions(want, got, r);
	if (err)
		return err;
	if (!want->have_ranges || !got->have_ranges) {
		/* each side that lacks them, with its reason */
		const char *wr = want->ranges_reason[0] ? want->ranges_reason :
				 "preserved-memory map unavailable";
		const char *gr = got->ranges_reason[0] ? got->ranges_reason :
				 "preserved-memory map unavailable";

		if (!want->have_ranges && !got->have_ranges)
			snprintf(r->ranges_reason, sizeof(r->ranges_reason),
				 "manifest: %s; received: %s", wr, gr);
		else
			snprintf(r->ranges_reason, sizeof(r->ranges_reason), "%s: %s",
				 want->have_ranges ? "received" : "manifest",
				 want->have_ranges ? gr : wr);
		return 0;
	}
	r->ranges_compared = true;
	r->bytes_compared = got->crc_received;
	if (!r->bytes_compared)
		snprintf(r->bytes_reason, sizeof(r->bytes_reason), "this kernel did not checksum "
			 "what it received at boot (boot it with kho_crc=on); KHO never reads "
			 "received memory later");
	r->sent_compared = r->bytes_compared && got->have_sent;
	r->list_full = got->nr_sent_ranges > got->nr_sent;
	err = cmp_sent_rejected(got, r);
	if (err)
		return err;
	if (r->sent_compared) {
		__u64 listed = 0;

		for (int j = 0; j < got->nr_ranges; j++)
			listed += got->ranges[j].sent == MF_SENT_LISTED ||
				  got->ranges[j].sent == MF_SENT_LOST ||
				  got->ranges[j].sent == MF_SENT_LATE;
		if (listed != got->nr_sent)
			err = item(r, VF_VALUE, "handover checksums", "%llu ranges listed, "
				   "%llu in the received map", X(got->nr_sent), X(listed));
		else if (r->list_full)
			err = item(r, VF_OK, "handover checksums", "%llu of %llu ranges listed "
				   "(the previous kernel's list was full)", X(listed),
				   X(got->nr_sent_ranges));
		else
			err = item(r, VF_OK, "handover checksums", "%llu ranges listed",
				   X(listed));
		if (err)
			return err;
	}
	return cmp_ranges(want, got, r);
}

/* the only error of a comparison: an item that found no memory */
int verify__handover(const struct manifest *got, struct vf_result *r, char *err,
		     size_t err_size)
{
	int ret = handover_only(got, r);

	return ret ? err_set(err, err_size, ret, "verify: %s", strerror(-ret)) : 0;
}

int verify__compare(const struct manifest *want, const struct manifest *got,
		    struct vf_result *r, char *err, size_t err_size)
{
	int ret = compare(want, got, r);

	return ret ? err_set(err, err_size, ret, "verify: %s", strerror(-ret)) : 0;
}

void verify__free(struct vf_result *r)
{
	if (!r)
		return;
	free(r->items);
	memset(r, 0, sizeof(*r));
}
