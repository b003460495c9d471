// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * A persistent trace instance's "trace" text, as the next kernel shows the
 * previous kernel's events (prevtrace.c): parsed, and an accepted trace
 * joined with a fixed blackout timeline and printed as text and HTML.
 */
#include <string.h>

#include "blackout.h"
#include "fuzz.h"
#include "prevtrace.h"

/* the first line of debugfs kho/blackout, its format and version */
#define BO_V	"# kho blackout - version: 1\n"

static const char bo_text[] =
	BO_V "clock=tsc tsc_khz=2599990 prev_tsc_khz=2599991\n"
	"phase=reboot side=out tsc=23592689563 ns=0\n"
	"phase=jump side=out tsc=23607005373 ns=5506101\n"
	"phase=populate side=in tsc=26248839496 ns=1021600057\n"
	"phase=userspace side=in tsc=38192419514 ns=5615302347\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prevtrace pt = {};
	struct blackout bo;
	struct pt_join j;
	char err[256], *text;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	strcpy(pt.instance, "boot_map");
	strcpy(pt.clock, PREVTRACE_CLOCK);
	FUZZ_ASSERT(!blackout__parse(bo_text, &bo, err, sizeof(err)));
	FUZZ_ASSERT(!blackout__compute(&bo, err, sizeof(err)));
	if (!prevtrace__parse(text, &pt, err, sizeof(err)) && pt.nr) {
		for (int i = 0; i < pt.nr; i++) {
			FUZZ_ASSERT(pt.ev[i].name[0]);
			FUZZ_ASSERT(strlen(pt.ev[i].comm) < sizeof(pt.ev[i].comm));
		}
		FUZZ_ASSERT(!prevtrace__join(&pt, &bo, &j, err, sizeof(err)));
		FUZZ_ASSERT(j.nr_rows >= bo.nr && j.nr_rows <= pt.nr + bo.nr);
		FUZZ_ASSERT(j.stamps_matched <= j.stamps_out);
		for (int i = 1; i < j.nr_rows; i++)
			FUZZ_ASSERT(j.rows[i - 1].tsc <= j.rows[i].tsc);
		j.bootlog = text;	/* any text prints as boot log rows */
		prevtrace__print(fuzz_sink(), &pt, &bo, &j);
		FUZZ_ASSERT(!prevtrace__html(fuzz_sink(), &pt, &bo, &j));
		pt_join__free(&j);
	}
	prevtrace__free(&pt);
	free(text);
	return 0;
}
