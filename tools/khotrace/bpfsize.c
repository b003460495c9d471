// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * A BPF object's programs as libbpf will load them: each with the
 * subprograms of .text it calls, appended once each (libbpf's
 * bpf_object__relocate_calls()). libbpf 1.1 tells a program's own size
 * before the load only, so the calls are read from the ELF: a call is a
 * BPF_PSEUDO_CALL instruction, to the symbol of its relocation plus its
 * imm + 1 instructions, or, without a relocation, to its own position
 * plus imm + 1 in the same section; a callback's address (bpf_loop()) is
 * a 64-bit load whose relocation's symbol is in .text, plus imm bytes
 * (libbpf makes it a BPF_PSEUDO_FUNC load).
 *
 * Each table is read once: under emulation, a walk of the symbols and
 * relocations per call took longer than the verifier time it saved.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>

#include "bpfsize.h"
#include "util.h"

#define INSN_SZ		sizeof(struct bpf_insn)
#define MAX_SUBPROGS	64	/* a bit each in a walk's mask */

struct func {
	const char *name;
	size_t shndx;
	GElf_Addr start, end;	/* bytes in the section */
};

/* a call or callback address at @off of section @shndx, to subprogram @to */
struct edge {
	size_t shndx;
	GElf_Addr off;
	int to;
};

struct elf_obj {
	Elf *elf;		/* the names point into its tables */
	struct func *subs;	/* the functions of .text, the subprograms */
	struct func *progs;	/* the functions of the other sections */
	struct edge *edges;
	int nr_subs, nr_progs, nr_edges;
	int cap_subs, cap_progs, cap_edges;
};

static bool is_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL;
}

static int insn_at(Elf *elf, size_t shndx, GElf_Addr off, struct bpf_insn *insn)
{
	Elf_Data *data = elf_getdata(elf_getscn(elf, shndx), NULL);

	if (!data || !data->d_buf || off + INSN_SZ > data->d_size)
		return -EINVAL;
	memcpy(insn, (const char *)data->d_buf + off, sizeof(*insn));
	return 0;
}

/* the subprogram holding instruction @idx of .text, or -1 */
static int sub_at(const struct elf_obj *o, long idx)
{
	for (int i = 0; idx >= 0 && i < o->nr_subs; i++)
		if ((GElf_Addr)idx * INSN_SZ >= o->subs[i].start &&
		    (GElf_Addr)idx * INSN_SZ < o->subs[i].end)
			return i;
	return -1;
}

static int add_edge(struct elf_obj *o, size_t shndx, GElf_Addr off, long idx)
{
	int to = sub_at(o, idx);

	if (to < 0)
		return 0;
	if (grow_array(&o->edges, &o->cap_edges, o->nr_edges, sizeof(*o->edges)))
		return -ENOMEM;
	o->edges[o->nr_edges++] = (struct edge){ .shndx = shndx, .off = off, .to = to };
	return 0;
}

static int read_funcs(struct elf_obj *o, Elf *elf, Elf_Data *syms, size_t nr_syms,
		      size_t strtab, size_t text)
{
	for (size_t i = 0; i < nr_syms; i++) {
		struct func f;
		GElf_Sym sym;
		bool sub;

		if (!gelf_getsym(syms, i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC)
			continue;
		f = (struct func){ .name = elf_strptr(elf, strtab, sym.st_name),
				   .shndx = sym.st_shndx, .start = sym.st_value,
				   .end = sym.st_value + sym.st_size };
		sub = text && sym.st_shndx == text;
		if (sub && o->nr_subs == MAX_SUBPROGS)
			continue;
		if (sub ? grow_array(&o->subs, &o->cap_subs, o->nr_subs, sizeof(f)) :
			  grow_array(&o->progs, &o->cap_progs, o->nr_progs, sizeof(f)))
			return -ENOMEM;
		if (sub)
			o->subs[o->nr_subs++] = f;
		else
			o->progs[o->nr_progs++] = f;
	}
	return 0;
}

/*
 * The edges: the relocations whose symbol is in .text, at a call or a
 * 64-bit load, then the calls within .text that have none.
 */
static int read_edges(struct elf_obj *o, Elf *elf, Elf_Data *syms, size_t text)
{
	Elf_Scn *scn = NULL;
	struct bpf_insn insn;
	GElf_Shdr sh;
	int err;

	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_REL || !sh.sh_entsize ||
		    !(data = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Rel rel;
			GElf_Sym sym;
			long idx;

			/* a symbol elsewhere: a map, a global variable */
			if (!gelf_getrel(data, i, &rel) ||
			    !gelf_getsym(syms, GELF_R_SYM(rel.r_info), &sym) ||
			    sym.st_shndx != text || insn_at(elf, sh.sh_info, rel.r_offset, &insn))
				continue;
			if (is_call(&insn))
				idx = sym.st_value / INSN_SZ + insn.imm + 1;
			else if (insn.code == (BPF_LD | BPF_IMM | BPF_DW))
				idx = (sym.st_value + insn.imm) / INSN_SZ;
			else
				continue;
			err = add_edge(o, sh.sh_info, rel.r_offset, idx);
			if (err)
				return err;
		}
	}
	for (GElf_Addr off = 0; text && !insn_at(elf, text, off, &insn); off += INSN_SZ) {
		bool relocated = false;

		if (!is_call(&insn))
			continue;
		for (int i = 0; i < o->nr_edges && !relocated; i++)
			relocated = o->edges[i].shndx == text && o->edges[i].off == off;
		if (!relocated) {
			err = add_edge(o, text, off, (long)(off / INSN_SZ) + insn.imm + 1);
			if (err)
				return err;
		}
	}
	return 0;
}

static int elf_obj_read(struct elf_obj *o, const void *image, size_t size)
{
	size_t shstrndx, text = 0, nr_syms = 0, strtab = 0;
	Elf_Data *syms = NULL;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf *elf;
	int err;

	memset(o, 0, sizeof(*o));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	/* read only: libelf's prototype takes no const */
	elf = o->elf = elf_memory((char *)image, size);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		return -EINVAL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, ".text"))
			text = elf_ndxscn(scn);
		if (sh.sh_type == SHT_SYMTAB && sh.sh_entsize) {
			syms = elf_getdata(scn, NULL);
			nr_syms = sh.sh_size / sh.sh_entsize;
			strtab = sh.sh_link;
		}
	}
	err = syms ? read_funcs(o, elf, syms, nr_syms, strtab, text) : -ENOENT;
	return err ?: read_edges(o, elf, syms, text);
}

static void elf_obj_free(struct elf_obj *o)
{
	free(o->subs);
	free(o->progs);
	free(o->edges);
	if (o->elf)
		elf_end(o->elf);
}

/* the instructions of the subprograms that @f calls, and that they call, once each */
static size_t callees(const struct elf_obj *o, const struct func *f, __u64 *seen)
{
	size_t n = 0;

	for (int i = 0; i < o->nr_edges; i++) {
		const struct edge *e = &o->edges[i];
		const struct func *to = &o->subs[e->to];

		if (e->shndx != f->shndx || e->off < f->start || e->off >= f->end ||
		    (*seen & (1ULL << e->to)))
			continue;
		*seen |= 1ULL << e->to;
		n += (to->end - to->start) / INSN_SZ + callees(o, to, seen);
	}
	return n;
}

int bpf_linked_insn_cnts(const void *image, size_t size, struct bpf_object *obj, size_t *cnt,
			 int nr)
{
	struct bpf_program *prog;
	struct elf_obj o;
	int i = 0, err;

	bpf_object__for_each_program(prog, obj) {
		if (i == nr)
			return -E2BIG;
		cnt[i++] = bpf_program__insn_cnt(prog);
	}
	err = elf_obj_read(&o, image, size);
	i = 0;
	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);

		for (int p = 0; !err && p < o.nr_progs; p++) {
			const struct func *f = &o.progs[p];
			__u64 seen = 0;

			if (f->name && !strcmp(f->name, name)) {
				cnt[i] = (f->end - f->start) / INSN_SZ + callees(&o, f, &seen);
				break;
			}
		}
		i++;
	}
	elf_obj_free(&o);
	return err ?: i;
}
