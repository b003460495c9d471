// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * JSON read back by export, diff and preflight: a cycle (export --json,
 * files in the history directory) and verify's result. An accepted cycle
 * writes out as JSON that reads back the same, and as Prometheus text.
 */
#include <string.h>

#include "export.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cycle c, d;
	char err[512], *text, *buf = NULL;
	size_t len;
	FILE *f;

	text = fuzz_text(data, size);
	if (!text)
		return 0;

	cycle__init(&c);
	cycle__set_verify(&c, text, err, sizeof(err));
	FUZZ_ASSERT(c.verify.outcome < CO_MAX);
	cycle__free(&c);

	if (!cycle__parse_json(text, &c, err, sizeof(err))) {
		FUZZ_ASSERT(c.nr_phases <= BLACKOUT_MAX_PHASES);
		cycle__write_prom(fuzz_sink(), &c);
		f = open_memstream(&buf, &len);
		if (f) {
			cycle__write_json(f, &c);
			fclose(f);
			FUZZ_ASSERT(!cycle__parse_json(buf, &d, err, sizeof(err)));
			FUZZ_ASSERT(d.nr_phases == c.nr_phases);
			FUZZ_ASSERT(d.nr_producers == c.nr_producers);
			FUZZ_ASSERT(d.verify.outcome == c.verify.outcome);
			FUZZ_ASSERT(d.total_ns == c.total_ns);
			cycle__free(&d);
			free(buf);
		}
		cycle__free(&c);
	}
	free(text);
	return 0;
}
