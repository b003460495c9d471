/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* shared by the libFuzzer targets: one entry point each, crash on a lie */
#ifndef __KHOTRACE_FUZZ_H
#define __KHOTRACE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a property the parser promised is broken: report it as a crash */
#define FUZZ_ASSERT(cond)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: property violated: %s\n",	\
				__FILE__, __LINE__, #cond);			\
			abort();						\
		}								\
	} while (0)

/* the input as a NUL-terminated string (malloc'ed), NULL when out of memory */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
	}
	return text;
}

/* where printers write: output is exercised, not kept */
static inline FILE *fuzz_sink(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "we");
	if (!f)
		abort();
	return f;
}

#endif /* __KHOTRACE_FUZZ_H */
