// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * The kernel's text files: debugfs out|in/memory_map, out/ranges and
 * out|in/subtrees (kho_map_parse, kho_ranges_parse, kho_subtrees_parse),
 * as a NUL-terminated read would deliver them. The maps come back sorted
 * by phys.
 */
#include <string.h>

#include "fuzz.h"
#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m;
	char err[256], *text;

	text = fuzz_text(data, size);
	if (!text)
		return 0;

	manifest__init(&m);
	if (!kho_map_parse(text, &m, err, sizeof(err)))
		for (int i = 0; i < m.nr_ranges; i++) {
			FUZZ_ASSERT(!i || m.ranges[i - 1].phys <= m.ranges[i].phys);
			/* with "# sent=N" every range says what was sent, else none */
			FUZZ_ASSERT(m.have_sent == (m.ranges[i].sent != MF_SENT_UNKNOWN));
			FUZZ_ASSERT(!m.ranges[i].has_reboot ||
				    m.ranges[i].sent == MF_SENT_LISTED ||
				    m.ranges[i].sent == MF_SENT_LOST);
		}
	manifest__free(&m);

	manifest__init(&m);
	if (!kho_ranges_parse(text, &m, err, sizeof(err)))
		for (int i = 0; i < m.nr_ranges; i++) {
			FUZZ_ASSERT(!i || m.ranges[i - 1].phys <= m.ranges[i].phys);
			FUZZ_ASSERT(m.ranges[i].no_crc && m.ranges[i].size);
		}
	manifest__free(&m);

	manifest__init(&m);
	if (!kho_subtrees_parse(text, &m, err, sizeof(err)))
		for (int i = 0; i < m.nr_subtrees; i++)
			FUZZ_ASSERT(strlen(m.subtrees[i].name) < MANIFEST_NAME_MAX);
	manifest__free(&m);
	free(text);
	return 0;
}
