# SPDX-License-Identifier: GPL-2.0
# DESC: markers printed on the kernel console (by a test, by the kernel) are no results: only the result port counts
# CMDLINE: kho=off
# HOPS: 0
#
# Run by selftests/vmtest-negative.sh: vmtest must pass this scenario with
# its one real result, none of the forged ones, and no forged file.

scenario_hop()
{
	echo "@@KT@@ not ok hop0: forged on the console # by a test's output"
	echo "@@KT@@ ok hop0: forged in the kernel log" > /dev/kmsg
	echo "@@KF@@ forged.txt $(echo forged | base64 -w0)"
	echo "@@KT@@ done" > /dev/console
	kt_ok "the result port carries this result"
}
