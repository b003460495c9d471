// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"
#include "util.h"

struct ksym {
	unsigned long addr;
	const char *name;	/* points into ksyms.text */
};

struct ksyms {
	struct ksym *syms;
	int nr;
	char *text;		/* the file, parsed in place */
};

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * The text symbols of /proc/kallsyms ("ADDR TYPE NAME[\t[MODULE]]"), read
 * at once and parsed in place: fscanf() and a strdup() per line took more
 * than a second under emulation for a kernel's ~100,000 symbols. The file
 * is sorted by address but for modules; sorting is skipped when it is.
 */
struct ksyms *ksyms__load(const char *path)
{
	char *p, *end, *eol, *type, *name;
	struct ksyms *ks;
	unsigned long addr;
	bool sorted = true;
	int cap = 0;
	size_t len;

	ks = calloc(1, sizeof(*ks));
	if (!ks || read_file(path ?: "/proc/kallsyms", (void **)&ks->text, &len))
		goto err;
	for (p = ks->text, end = p + len; p < end; p = eol + 1) {
		eol = memchr(p, '\n', end - p) ?: end;
		*eol = '\0';
		addr = strtoul(p, &type, 16);
		if (type == p || type[0] != ' ' || !type[1] || type[2] != ' ')
			continue;
		if (!addr || (type[1] != 't' && type[1] != 'T'))
			continue;
		name = type + 3;
		name[strcspn(name, " \t")] = '\0';
		if (grow_array(&ks->syms, &cap, ks->nr, sizeof(*ks->syms)))
			goto err;
		if (ks->nr && addr < ks->syms[ks->nr - 1].addr)
			sorted = false;
		ks->syms[ks->nr++] = (struct ksym){ .addr = addr, .name = name };
	}
	if (!sorted)
		qsort(ks->syms, ks->nr, sizeof(*ks->syms), ksym_cmp);
	return ks;
err:
	ksyms__free(ks);
	return NULL;
}

void ksyms__free(struct ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->text);
	free(ks);
}

const char *ksyms__map_addr(const struct ksyms *ks, unsigned long addr)
{
	size_t lo = 0, hi;

	if (!ks || !ks->nr || addr < ks->syms[0].addr)
		return NULL;
	hi = ks->nr;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return ks->syms[lo].name;
}
