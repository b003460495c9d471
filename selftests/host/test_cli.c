// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* option parsing and exit codes of the khotrace binary */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "helpers.h"

/* run khotrace with args; exit code, first line of stderr in err */
static int run(const char *args, char *err, size_t size)
{
	return khotrace_run(err, size, RUN_STDERR | RUN_FIRST_LINE, "%s", args);
}

static int kernel_has_kho(void)
{
	struct stat st;

	return !system("grep -q ' kho_is_enabled$' /proc/kallsyms") ||
	       !stat("/sys/kernel/debug/kho", &st);
}

TEST(version)
{
	char err[256];

	EXPECT_EQ(0, run("--version", err, sizeof(err)));
}

/* a command line, its exit code and (unless NULL) the first line of its stderr */
struct cli_case {
	const char *args;
	int exit;
	const char *err;
};

static void check_cases(struct __test_metadata *_metadata, const struct cli_case *c, size_t n)
{
	char err[256];

	for (; n--; c++) {
		EXPECT_EQ(c->exit, run(c->args, err, sizeof(err))) TH_LOG("khotrace %s", c->args);
		if (c->err)
			EXPECT_STREQ(c->err, err);
	}
}

#define CHECK_CASES(...) do {							\
	static const struct cli_case cases[] = { __VA_ARGS__ };		\
	check_cases(_metadata, cases, sizeof(cases) / sizeof(cases[0]));	\
} while (0)

TEST(bad_option)
{
	CHECK_CASES({ "--bogus", 2 }, { "", 2 });
}

TEST(unknown_command)
{
	CHECK_CASES({ "frobnicate", 2, "khotrace: unknown command 'frobnicate' (try --help)" });
}

TEST(command_bad_values)
{
	CHECK_CASES({ "live -e bogus", 2, "khotrace: invalid event list 'bogus'" },
		    { "live -d -1", 2 },
		    { "live --ringbuf-size 12", 2 },
		    { "report --sort size", 2,
		      "khotrace: invalid sort key 'size' (bytes, calls, ranges, name)" },
		    { "status extra", 2 });
}

TEST(help_per_command)
{
	CHECK_CASES({ "live --help", 0 }, { "record --help", 0 }, { "report --help", 0 },
		    { "status --help", 0 }, { "preflight --help", 0 }, { "export --help", 0 },
		    { "diff --help", 0 });
}

TEST(fleet_commands_bad_values)
{
	CHECK_CASES({ "export -d /tmp -o /tmp/x", 2,
		      "khotrace: export: --textfile-dir and --output exclude each other" },
		    { "export -d /tmp --json", 2 },
		    { "export -d /nonexistent", 1,
		      "khotrace: export: /nonexistent: not a directory" },
		    { "export -r /etc/hostname", 1 },
		    { "export -i /etc/hostname -r /nonexistent", 1 },
		    { "preflight --manifest x --no-snapshot", 2 },
		    { "preflight extra", 2 },
		    { "preflight --initrd /boot/initrd.img", 2,
		      "khotrace: preflight: --initrd goes with --kernel" },
		    { "diff a", 2,
		      "khotrace: diff: want two files, BASELINE and NEW (try --help)" },
		    { "diff --threshold x a b", 2 },
		    { "verify --output", 2 });
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* exit 4 and, with --json, still one JSON object on stdout */
TEST(fleet_commands_without_kho)
{
	char out[512];

	if (kernel_has_kho())
		SKIP(return, "this kernel has KHO: the no-KHO path is not reachable");
	EXPECT_EQ(4, run("preflight", out, sizeof(out)));
	EXPECT_EQ(4, run("verify", out, sizeof(out)));
	EXPECT_EQ(4, khotrace_run(out, sizeof(out), RUN_STDOUT | RUN_FIRST_LINE, "preflight --json"));
	EXPECT_TRUE(starts(out, "{\"verdict\":\"not_applicable\"")) TH_LOG("%s", out);
	EXPECT_EQ(4, khotrace_run(out, sizeof(out), RUN_STDOUT | RUN_FIRST_LINE, "verify --json"));
	EXPECT_TRUE(starts(out, "{\"outcome\":\"not_applicable\"")) TH_LOG("%s", out);
}

/* run khotrace with args; exit code, the whole of stdout in out */
static int run_stdout(const char *args, char *out, size_t size)
{
	return khotrace_run(out, size, RUN_STDOUT, "%s", args);
}

/* under --json an error is JSON on stdout too: never an empty stdout */
TEST(json_errors_on_stdout)
{
	char out[512];

	EXPECT_EQ(1, run_stdout("--json report -i /nonexistent/kho.rec", out, sizeof(out)));
	EXPECT_STREQ("{\"error\":\"cannot open /nonexistent/kho.rec: No such file or directory\"}\n",
		     out);
	EXPECT_EQ(2, run_stdout("--json bogus", out, sizeof(out)));
	EXPECT_STREQ("{\"error\":\"unknown command 'bogus' (try --help)\"}\n", out);
	/* without --json, stdout stays empty */
	EXPECT_EQ(1, run_stdout("report -i /nonexistent/kho.rec", out, sizeof(out)));
	EXPECT_STREQ("", out);
}

TEST(report_missing_file)
{
	char err[256];

	EXPECT_EQ(1, run("report -i /nonexistent/kho.rec", err, sizeof(err)));
	EXPECT_STREQ("khotrace: cannot open /nonexistent/kho.rec: No such file or directory", err);
}

TEST(status_without_kho)
{
	char err[256];

	if (kernel_has_kho())
		SKIP(return, "this kernel has KHO: the no-KHO path is not reachable");
	EXPECT_EQ(4, run("status", err, sizeof(err)));
	EXPECT_STREQ("khotrace: kho: not supported by this kernel (no CONFIG_KEXEC_HANDOVER)", err);
	EXPECT_EQ(4, run("live -d 1", err, sizeof(err)));
	EXPECT_EQ(4, run("record -d 1 -o /dev/null", err, sizeof(err)));
}

TEST(live_not_root)
{
	char err[256];

	if (geteuid())
		SKIP(return, "needs root to drop privileges");
	if (system("command -v setpriv >/dev/null"))
		SKIP(return, "no setpriv");
	{
		char cmd[512];
		int status;

		snprintf(cmd, sizeof(cmd),
			 "setpriv --reuid=65534 --regid=65534 --clear-groups %s live -d 1 "
			 "2>/tmp/khotrace-nonroot.err >/dev/null", KHOTRACE_BIN);
		status = system(cmd);
		EXPECT_EQ(1, WEXITSTATUS(status));
	}
	{
		FILE *f = fopen("/tmp/khotrace-nonroot.err", "r");

		ASSERT_NE(NULL, f);
		ASSERT_NE(NULL, fgets(err, sizeof(err), f));
		fclose(f);
		unlink("/tmp/khotrace-nonroot.err");
		err[strcspn(err, "\n")] = '\0';
		EXPECT_STREQ("khotrace: must be run as root (loads BPF programs)", err);
	}
}

TEST_HARNESS_MAIN
