/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * html: the pictures of a recording (svg.h's memory map and cycle timeline)
 * as one SVG document, or a self-contained HTML page that embeds the SVG
 * inline with the report tables: no scripts, no external resources.
 *
 * The map shows the RAM extent (derived from the recorded ranges: record
 * files carry no RAM map yet), the scratch areas (index 0 lowmem, 1 global,
 * then one per node, as the kernel orders them), the kexec segments placed
 * in scratch, the handover FDT and subtree blobs, and one lane of preserved
 * ranges per producer; the timeline has one lane per producer and event.
 */
#ifndef __KHOTRACE_HTML_H
#define __KHOTRACE_HTML_H

#include <stdio.h>

#include "recfile.h"

#define HTML_WIDTH	1240	/* px: fits a 1280 px wide window */
#define HTML_MAX_EVENTS	2000	/* rows of the page's event table */

/* 0, or -errno (-ENOMEM, -EIO on a write error) */
int html__write_svg(FILE *f, const struct recording *rec);
/* sort_key: enum summary_sort, for the producer table */
int html__write_page(FILE *f, const struct recording *rec, int sort_key);

#endif /* __KHOTRACE_HTML_H */
