// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * ksyms: /proc/kallsyms parsed in place, from a captured-format file:
 * text symbols only, module names cut, unsorted module symbols sorted, a
 * last line without its newline
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksyms.h"

static const char kallsyms[] =
	"0000000000000000 A fixed_percpu_data\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81001000 t kho_preserve_folio\n"
	"ffffffff81002000 D some_data\n"
	"ffffffff81003000 T memfd_luo_preserve\n"
	"ffffffffc0002000 t mod_late\t[kho_test]\n"
	"ffffffffc0001000 T mod_early\t[kho_test]\n"
	"garbage line\n"
	"ffffffff81004000 T last_without_newline";

FIXTURE(ksyms) {
	char path[64];
	struct ksyms *ks;
};

FIXTURE_SETUP(ksyms)
{
	FILE *f;
	int fd;

	snprintf(self->path, sizeof(self->path), "/tmp/kt-ksyms-XXXXXX");
	fd = mkstemp(self->path);
	ASSERT_LE(0, fd);
	f = fdopen(fd, "w");
	ASSERT_NE(NULL, f);
	fputs(kallsyms, f);
	fclose(f);
	self->ks = ksyms__load(self->path);
	ASSERT_NE(NULL, self->ks);
}

FIXTURE_TEARDOWN(ksyms)
{
	ksyms__free(self->ks);
	unlink(self->path);
}

TEST_F(ksyms, text_symbols)
{
	EXPECT_STREQ("_stext", ksyms__map_addr(self->ks, 0xffffffff81000010));
	EXPECT_STREQ("kho_preserve_folio", ksyms__map_addr(self->ks, 0xffffffff81001000));
	/* data symbols are not functions: the text symbol before them */
	EXPECT_STREQ("kho_preserve_folio", ksyms__map_addr(self->ks, 0xffffffff81002010));
	EXPECT_STREQ("memfd_luo_preserve", ksyms__map_addr(self->ks, 0xffffffff81003fff));
	EXPECT_STREQ("last_without_newline", ksyms__map_addr(self->ks, 0xffffffff81004008));
	EXPECT_EQ(NULL, ksyms__map_addr(self->ks, 0xffffffff80000000));
}

TEST_F(ksyms, module_symbols_sorted_and_named)
{
	EXPECT_STREQ("mod_early", ksyms__map_addr(self->ks, 0xffffffffc0001010));
	EXPECT_STREQ("mod_late", ksyms__map_addr(self->ks, 0xffffffffc0002010));
}

TEST(missing_file)
{
	EXPECT_EQ(NULL, ksyms__load("/nonexistent/kallsyms"));
}

TEST_HARNESS_MAIN
