// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * Command-line values: the first byte picks a parser, the rest is the
 * argument (-e event lists, -d seconds, --ringbuf-size, report --sort).
 * Accepted values must be in the documented range.
 */
#include <string.h>

#include "events.h"
#include "fuzz.h"
#include "main.h"
#include "session.h"
#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int opts[] = { 'e', 'd', OPT_RINGBUF_SIZE, OPT_RAW };
	struct session s;
	char *arg;
	__u32 mask;
	int ret;

	if (!size)
		return 0;
	arg = strndup((const char *)data + 1, size - 1);
	if (!arg)
		return 0;

	switch (data[0] % 6) {
	case 0: case 1: case 2: case 3:
		memset(&s, 0, sizeof(s));
		ret = session__parse_opt(&s, opts[data[0] % 6], arg);
		FUZZ_ASSERT(ret == 1 || ret == -EXIT_USAGE);
		if (ret == 1 && opts[data[0] % 6] == OPT_RINGBUF_SIZE)
			FUZZ_ASSERT(s.opts.ringbuf_size >= 4096 &&
				    s.opts.ringbuf_size <= (1UL << 30));
		if (ret == 1 && opts[data[0] % 6] == 'd')
			FUZZ_ASSERT(s.duration > 0);
		if (ret == 1 && opts[data[0] % 6] == 'e')
			FUZZ_ASSERT(!(s.opts.event_mask & ~((1U << KT_EV_MAX) - 1)));
		break;
	case 4:
		if (!kt_parse_event_mask(arg, &mask))
			FUZZ_ASSERT(!strcmp(arg, "none") ||
				    (mask && !(mask & ~((1U << KT_EV_MAX) - 1))));
		break;
	case 5:
		ret = summary__parse_sort(arg);
		FUZZ_ASSERT(ret >= -1 && ret <= SORT_NAME);
		break;
	}
	free(arg);
	return 0;
}
