// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* the BPF object opens and loads on this host */
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "bpfsize.h"
#include "khotrace.h"
#include "khotrace.skel.h"
#include "tracer.h"

FIXTURE(skel) {
	struct khotrace_bpf *skel;
	struct btf *btf;
};

FIXTURE_SETUP(skel)
{
	self->skel = NULL;
	self->btf = btf__load_vmlinux_btf();
	if (!self->btf)
		SKIP(return, "no vmlinux BTF on this host");
	self->skel = khotrace_bpf__open();
	ASSERT_NE(NULL, self->skel);
}

FIXTURE_TEARDOWN(skel)
{
	khotrace_bpf__destroy(self->skel);
	btf__free(self->btf);
}

/*
 * the tracer's own program selection (tracer__select_programs()), for the
 * set this kernel supports: what khotrace would load here, loads
 */
TEST_F(skel, load_available)
{
	char why[160];
	int mode, loaded;

	if (geteuid())
		SKIP(return, "loading BPF needs root");
	mode = tracer__probe_mode(why, sizeof(why));
	loaded = tracer__select_programs(self->skel->obj, self->btf, mode);
	bpf_map__set_max_entries(self->skel->maps.events, 1 << 16);
	ASSERT_EQ(0, khotrace_bpf__load(self->skel));
	EXPECT_LE(0, bpf_map__fd(self->skel->maps.events));
	EXPECT_LE(0, bpf_map__fd(self->skel->maps.pending));
	EXPECT_LE(0, bpf_map__fd(self->skel->maps.totals));
	if (!loaded)
		SKIP(return, "%s: maps load, KHO programs cannot be attached here", why);
}

/* each set selects only its own programs, never the other's */
TEST_F(skel, select_one_set)
{
	static const int modes[] = { KT_MODE_TRACEPOINT, KT_MODE_FENTRY };
	struct bpf_program *prog;
	int kept = 0;

	/* none: nothing kept */
	EXPECT_EQ(0, tracer__select_programs(self->skel->obj, self->btf, KT_MODE_NONE));
	for (int i = 0; i < 2; i++) {
		kept += tracer__select_programs(self->skel->obj, self->btf, modes[i]);
		bpf_object__for_each_program(prog, self->skel->obj) {
			const char *sec = bpf_program__section_name(prog);
			bool tp = !strncmp(sec, "tp_btf/", 7);

			if (bpf_program__autoload(prog))
				EXPECT_EQ(modes[i] == KT_MODE_TRACEPOINT, tp) TH_LOG("%s", sec);
		}
	}
	if (!kept)
		SKIP(return, "no KHO function or tracepoint in this kernel's BTF");
}

TEST_F(skel, tracepoint_programs_present)
{
	EXPECT_NE(NULL, self->skel->progs.tp_preserve_folio);
	EXPECT_NE(NULL, self->skel->progs.fexit_preserve_folio);
	EXPECT_EQ(BPF_TRACE_RAW_TP, bpf_program__expected_attach_type(self->skel->progs.tp_preserve_folio));
	EXPECT_EQ(BPF_TRACE_FEXIT, bpf_program__expected_attach_type(self->skel->progs.fexit_preserve_folio));
}

/*
 * bpf_linked_insn_cnts() counts each program as libbpf links it: libbpf's
 * gen_loader mode relocates the calls (and bpf_loop() callbacks) without
 * loading anything, as root or not
 */
TEST(linked_insn_cnts)
{
	LIBBPF_OPTS(gen_loader_opts, gen);
	struct bpf_object *mine, *linked;
	struct bpf_program *prog;
	size_t size, cnt[64];
	int nr, i = 0, calls = 0;
	const void *elf;

	elf = khotrace_bpf__elf_bytes(&size);
	mine = bpf_object__open_mem(elf, size, NULL);
	linked = bpf_object__open_mem(elf, size, NULL);
	ASSERT_NE(NULL, mine);
	ASSERT_NE(NULL, linked);
	nr = bpf_linked_insn_cnts(elf, size, mine, cnt, 64);
	ASSERT_LT(0, nr);
	ASSERT_EQ(0, bpf_object__gen_loader(linked, &gen));
	ASSERT_EQ(0, bpf_object__load(linked));
	bpf_object__for_each_program(prog, linked) {
		ASSERT_LT(i, nr);
		EXPECT_EQ(bpf_program__insn_cnt(prog), cnt[i]) TH_LOG("%s", bpf_program__name(prog));
		calls += cnt[i] > bpf_program__insn_cnt(bpf_object__find_program_by_name(mine,
							bpf_program__name(prog)));
		i++;
	}
	EXPECT_EQ(nr, i);
	/* the subprograms are counted at all */
	EXPECT_LT(0, calls);
	/* the ELF unreadable: each program's own count */
	EXPECT_GT(0, bpf_linked_insn_cnts("not an ELF", 10, mine, cnt, 64));
	i = 0;
	bpf_object__for_each_program(prog, mine)
		EXPECT_EQ(bpf_program__insn_cnt(prog), cnt[i++]);
	bpf_object__close(linked);
	bpf_object__close(mine);
}

TEST_HARNESS_MAIN
