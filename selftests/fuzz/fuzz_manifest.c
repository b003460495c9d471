// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * The manifest parser (manifest__parse), fed whatever a carrier memfd or a
 * --manifest file may hold. What it accepts must survive a format/parse
 * round trip unchanged, and verify must be able to compare it. Each input
 * is tried as is and with its end line's checksum fixed up, so mutations
 * reach the acceptance path and not only the checksum check.
 */
#include <string.h>

#include "crc32c.h"
#include "fuzz.h"
#include "manifest.h"
#include "verify.h"

static void one(const char *data, size_t size)
{
	struct manifest a, b;
	struct vf_result res;
	char err[256], *text = NULL, *text2 = NULL;
	long len, len2;
	int ret;

	ret = manifest__parse(data, size, &a, err, sizeof(err));
	FUZZ_ASSERT(ret == 0 || (err[0] && strlen(err) < sizeof(err)));
	if (ret)
		return;

	/* accepted: ranges and carriers sorted and disjoint, names unique */
	for (int i = 1; i < a.nr_ranges; i++)
		FUZZ_ASSERT(a.ranges[i - 1].phys + a.ranges[i - 1].size <= a.ranges[i].phys);
	for (int i = 1; i < a.nr_carrier; i++)
		FUZZ_ASSERT(a.carrier[i - 1].addr + a.carrier[i - 1].size <= a.carrier[i].addr);
	for (int i = 0; i < a.nr_subtrees; i++)
		for (int j = i + 1; j < a.nr_subtrees; j++)
			FUZZ_ASSERT(strcmp(a.subtrees[i].name, a.subtrees[j].name));

	len = manifest__format(&a, &text);
	FUZZ_ASSERT(len > 0);
	ret = manifest__parse(text, len, &b, err, sizeof(err));
	if (ret)
		fprintf(stderr, "round trip rejected: %s\n%s", err, text);
	FUZZ_ASSERT(ret == 0);
	len2 = manifest__format(&b, &text2);
	FUZZ_ASSERT(len2 == len && !memcmp(text, text2, len));

	memset(&res, 0, sizeof(res));
	FUZZ_ASSERT(verify__compare(&a, &b, &res, NULL, 0) == 0);
	FUZZ_ASSERT(res.nr_ok + res.nr_mismatch <= res.nr_items);
	verify__free(&res);

	free(text);
	free(text2);
	manifest__free(&a);
	manifest__free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char tag[] = "\nend crc32c=0x";
	char *copy, *end = NULL, hex[9];
	size_t len = size;

	one((const char *)data, size);

	copy = fuzz_text(data, size);
	if (!copy)
		return 0;
	/* the last end line before any NUL, with 8 hex digits to overwrite */
	len = strlen(copy);
	for (char *p = copy; (p = memmem(p, copy + len - p, tag, strlen(tag))); p++)
		end = p;
	if (end && copy + len - end >= (long)strlen(tag) + 8) {
		snprintf(hex, sizeof(hex), "%08x", crc32c(copy, end + 1 - copy));
		memcpy(end + strlen(tag), hex, 8);
		one(copy, size);
	}
	free(copy);
	return 0;
}
