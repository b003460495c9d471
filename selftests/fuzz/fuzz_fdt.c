// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * KHO FDT blobs (debugfs out|in/fdt, served by the kernel but possibly
 * truncated or from another KHO version) through libfdt, the memblock
 * subtree's reserve_mem regions, and the kexec metadata blob of
 * in/sub_fdts/kexec-metadata (verify, preflight).
 */
#include <string.h>

#include "fdt.h"
#include "fuzz.h"
#include "kho_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kho_rmem rm[8];
	struct kho_fdt fdt;
	char release[65];
	__u32 count;
	int ret;

	ret = kho_fdt__parse(data, size, &fdt);
	if (!ret) {
		FUZZ_ASSERT(fdt.totalsize <= size);
		FUZZ_ASSERT(memchr(fdt.compatible, '\0', sizeof(fdt.compatible)));
		for (int i = 0; i < fdt.nr_subtrees; i++)
			FUZZ_ASSERT(memchr(fdt.subtrees[i].name, '\0',
					   sizeof(fdt.subtrees[i].name)));
	}
	kho_fdt__free(&fdt);

	ret = kho_memblock__parse(data, size, rm, 8);
	FUZZ_ASSERT(ret <= 8);
	for (int i = 0; i < ret; i++)
		FUZZ_ASSERT(memchr(rm[i].name, '\0', sizeof(rm[i].name)));

	if (!kho_parse_kexec_metadata(data, size, &count, release, sizeof(release)))
		FUZZ_ASSERT(strlen(release) < sizeof(release));
	return 0;
}
