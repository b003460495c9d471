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

TEST(bad_option)
{
	char err[256];

	EXPECT_EQ(2, run("--bogus", err, sizeof(err)));
	EXPECT_EQ(2, run("", err, sizeof(err)));
}

TEST(unknown_command)
{
	char err[256];

	EXPECT_EQ(2, run("frobnicate", err, sizeof(err)));
	EXPECT_STREQ("khotrace: unknown command 'frobnicate' (try --help)", err);
}

TEST(command_bad_values)
{
	char err[256];

	EXPECT_EQ(2, run("live -e bogus", err, sizeof(err)));
	EXPECT_STREQ("khotrace: invalid event list 'bogus'", err);
	EXPECT_EQ(2, run("live -d -1", err, sizeof(err)));
	EXPECT_EQ(2, run("live --ringbuf-size 12", err, sizeof(err)));
	EXPECT_EQ(2, run("report --sort size", err, sizeof(err)));
	EXPECT_STREQ("khotrace: invalid sort key 'size' (bytes, calls, ranges, name)", err);
	EXPECT_EQ(2, run("status extra", err, sizeof(err)));
}

TEST(help_per_command)
{
	char err[256];

	EXPECT_EQ(0, run("live --help", err, sizeof(err)));
	EXPECT_EQ(0, run("record --help", err, sizeof(err)));
	EXPECT_EQ(0, run("report --help", err, sizeof(err)));
	EXPECT_EQ(0, run("status --help", err, sizeof(err)));
	EXPECT_EQ(0, run("preflight --help", err, sizeof(err)));
	EXPECT_EQ(0, run("export --help", err, sizeof(err)));
	EXPECT_EQ(0, run("diff --help", err, sizeof(err)));
}

TEST(fleet_commands_bad_values)
{
	char err[256];

	EXPECT_EQ(2, run("export -d /tmp -o /tmp/x", err, sizeof(err)));
	EXPECT_STREQ("khotrace: export: --textfile-dir and --output exclude each other", err);
	EXPECT_EQ(2, run("export -d /tmp --json", err, sizeof(err)));
	EXPECT_EQ(1, run("export -d /nonexistent", err, sizeof(err)));
	EXPECT_STREQ("khotrace: export: /nonexistent: not a directory", err);
	EXPECT_EQ(1, run("export -r /etc/hostname", err, sizeof(err)));
	EXPECT_EQ(1, run("export -i /etc/hostname -r /nonexistent", err, sizeof(err)));
	EXPECT_EQ(2, run("preflight --manifest x --no-snapshot", err, sizeof(err)));
	EXPECT_EQ(2, run("preflight extra", err, sizeof(err)));
	EXPECT_EQ(2, run("preflight --initrd /boot/initrd.img", err, sizeof(err)));
	EXPECT_STREQ("khotrace: preflight: --initrd goes with --kernel", err);
	EXPECT_EQ(2, run("diff a", err, sizeof(err)));
	EXPECT_STREQ("khotrace: diff: want two files, BASELINE and NEW (try --help)", err);
	EXPECT_EQ(2, run("diff --threshold x a b", err, sizeof(err)));
	EXPECT_EQ(2, run("verify --output", err, sizeof(err)));
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
