// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"

struct ksym {
	unsigned long addr;
	char *name;
};

struct ksyms {
	struct ksym *syms;
	size_t nr;
};

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct ksyms *ksyms__load(const char *path)
{
	struct ksyms *ks;
	char name[256], type;
	unsigned long addr;
	size_t cap = 0;
	FILE *f;

	f = fopen(path ?: "/proc/kallsyms", "re");
	if (!f)
		return NULL;
	ks = calloc(1, sizeof(*ks));
	if (!ks)
		goto err;
	while (fscanf(f, "%lx %c %255s%*[^\n]", &addr, &type, name) == 3) {
		if (!addr || (type != 't' && type != 'T'))
			continue;
		if (ks->nr == cap) {
			struct ksym *tmp;

			cap = cap ? cap * 2 : 4096;
			tmp = realloc(ks->syms, cap * sizeof(*tmp));
			if (!tmp)
				goto err;
			ks->syms = tmp;
		}
		ks->syms[ks->nr].addr = addr;
		ks->syms[ks->nr].name = strdup(name);
		if (!ks->syms[ks->nr].name)
			goto err;
		ks->nr++;
	}
	fclose(f);
	qsort(ks->syms, ks->nr, sizeof(*ks->syms), ksym_cmp);
	return ks;
err:
	fclose(f);
	ksyms__free(ks);
	return NULL;
}

void ksyms__free(struct ksyms *ks)
{
	if (!ks)
		return;
	for (size_t i = 0; i < ks->nr; i++)
		free(ks->syms[i].name);
	free(ks->syms);
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
