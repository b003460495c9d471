/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* /proc/kallsyms lookups */
#ifndef __KHOTRACE_KSYMS_H
#define __KHOTRACE_KSYMS_H

struct ksyms;

struct ksyms *ksyms__load(const char *path);
void ksyms__free(struct ksyms *ksyms);
/* the function containing addr, NULL if none */
const char *ksyms__map_addr(const struct ksyms *ksyms, unsigned long addr);

#endif /* __KHOTRACE_KSYMS_H */
