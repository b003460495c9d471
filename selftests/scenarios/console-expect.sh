# SPDX-License-Identifier: GPL-2.0
# DESC: CONSOLE: headers are checked on the host against the kernel console: one it shows, one it never does
# CMDLINE: kho=off
# HOPS: 0
# CONSOLE: smp: Brought up 1 node, 1 CPU
# CONSOLE: no kernel prints (this|that) line
#
# Run by selftests/vmtest-negative.sh with --smp 1: the first header
# passes, the second fails and fails the run.

scenario_hop()
{
	kt_ok "the guest ran"
}
