// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* the BPF object opens and loads on this host */
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "khotrace.h"
#include "khotrace.skel.h"

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

/* all programs whose target exists here; the rest with autoload off */
TEST_F(skel, load_available)
{
	struct bpf_program *prog;
	int loaded = 0;

	if (geteuid())
		SKIP(return, "loading BPF needs root");
	bpf_object__for_each_program(prog, self->skel->obj) {
		const char *sec = bpf_program__section_name(prog);
		const char *target = strchr(sec, '/') + 1;
		char name[128];
		int kind = BTF_KIND_FUNC;

		if (!strncmp(sec, "tp_btf/", 7)) {
			snprintf(name, sizeof(name), "btf_trace_%s", target);
			kind = BTF_KIND_TYPEDEF;
		} else {
			snprintf(name, sizeof(name), "%s", target);
		}
		if (btf__find_by_name_kind(self->btf, name, kind) < 0) {
			bpf_program__set_autoload(prog, false);
			continue;
		}
		loaded++;
	}
	bpf_map__set_max_entries(self->skel->maps.events, 1 << 16);
	ASSERT_EQ(0, khotrace_bpf__load(self->skel));
	EXPECT_LE(0, bpf_map__fd(self->skel->maps.events));
	EXPECT_LE(0, bpf_map__fd(self->skel->maps.pending));
	EXPECT_LE(0, bpf_map__fd(self->skel->maps.totals));
	if (!loaded)
		SKIP(return, "no KHO on this host: maps load, KHO programs cannot be attached here");
}

TEST_F(skel, tracepoint_programs_present)
{
	EXPECT_NE(NULL, self->skel->progs.tp_preserve_folio);
	EXPECT_NE(NULL, self->skel->progs.fexit_preserve_folio);
	EXPECT_EQ(BPF_TRACE_RAW_TP, bpf_program__expected_attach_type(self->skel->progs.tp_preserve_folio));
	EXPECT_EQ(BPF_TRACE_FEXIT, bpf_program__expected_attach_type(self->skel->progs.fexit_preserve_folio));
}

TEST_HARNESS_MAIN
