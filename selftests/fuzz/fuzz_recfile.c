// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * The record file reader (recfile__parse) and what report does with an
 * accepted file: the summary tables, JSON, the SVG memory map and HTML.
 */
#include <string.h>

#include "fuzz.h"
#include "html.h"
#include "recfile.h"
#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct producer_row *rows = NULL;
	struct scratch_use *use;
	struct recording rec;
	char err[256];
	int ret, n;

	ret = recfile__parse(data, size, "fuzz", &rec, err, sizeof(err));
	FUZZ_ASSERT(ret == 0 || (err[0] && strlen(err) < sizeof(err)));
	if (ret) {
		FUZZ_ASSERT(!rec.records && !rec.scratch);
		return 0;
	}
	FUZZ_ASSERT(rec.has_totals);

	n = summary__producers(&rec, SORT_BYTES, &rows);
	FUZZ_ASSERT(n >= 0);
	free(rows);
	use = summary__scratch_usage(&rec);
	FUZZ_ASSERT(use);
	free(use);
	for (int key = SORT_BYTES; key <= SORT_NAME; key++)
		summary__print(fuzz_sink(), &rec, key);
	summary__json(fuzz_sink(), &rec, SORT_BYTES);
	html__write_svg(fuzz_sink(), &rec);
	html__write_page(fuzz_sink(), &rec, SORT_CALLS);
	recording__free(&rec);
	return 0;
}
