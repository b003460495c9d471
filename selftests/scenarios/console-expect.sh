# SPDX-License-Identifier: GPL-2.0
# DESC: CONSOLE: headers are checked on the host against the kernel console: one it shows, one it never does
# CMDLINE: kho=off
# HOPS: 0
# SMP: 1
# CONSOLE: smp: Brought up 1 node, 1 CPU
# CONSOLE: no kernel prints (this|that) line
#
# Run by selftests/vmtest-negative.sh: with one vCPU the first header
# passes, the second fails and fails the run; booted with two (--smp 2),
# both are skipped, the lines being those of one.

scenario_hop()
{
	kt_ok "the guest ran"
}
