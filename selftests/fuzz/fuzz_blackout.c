// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * debugfs kho/blackout, the joined timeline of the last kexec: parsed,
 * computed and printed as report --cycle and export do. An accepted
 * timeline has at most BLACKOUT_MAX_PHASES phases, each a name; a computed
 * one has phases that follow each other and add up to the total.
 */
#include <string.h>

#include "blackout.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blackout bo;
	char err[256], *text;

	text = fuzz_text(data, size);
	if (!text)
		return 0;

	err[0] = '\0';
	if (blackout__parse(text, &bo, err, sizeof(err))) {
		FUZZ_ASSERT(err[0]);
		goto out;
	}
	FUZZ_ASSERT(bo.nr >= 0 && bo.nr <= BLACKOUT_MAX_PHASES);
	for (int i = 0; i < bo.nr; i++)
		FUZZ_ASSERT(bo.phases[i].name[0] && bo.phases[i].tsc);
	if (bo.state != BO_OK || !bo.nr)
		goto out;
	err[0] = '\0';
	if (blackout__compute(&bo, err, sizeof(err))) {
		FUZZ_ASSERT(err[0]);
		goto out;
	}
	for (int i = 1; i < bo.nr; i++)
		FUZZ_ASSERT(bo.phases[i].start_ns >= bo.phases[i - 1].start_ns);
	/* each phase rounds down on its own: the sum is short by less than one ns a phase */
	if (bo.phases[bo.nr - 1].tsc - bo.phases[0].tsc <= UINT64_MAX / 1000000)
		FUZZ_ASSERT(bo.sum_ns <= bo.total_ns && bo.total_ns - bo.sum_ns < (__u64)bo.nr);
	blackout__print(fuzz_sink(), &bo);
	blackout__json(fuzz_sink(), &bo);
out:
	free(text);
	return 0;
}
