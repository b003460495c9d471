# SPDX-License-Identifier: GPL-2.0
# DESC: bench: the upstream-style minimal KHO cycle (boot, test_kho, kexec, grep)
# CMDLINE: kho=on
# HOPS: 1
#
# What upstream's tools/testing/selftests/kho/vmtest.sh checks, in our
# runner: figure 4 compares its wall time with the full khotrace cycle
# (the cycle scenario: status, record, report, snapshot, kexec, verify).

scenario_hop()
{
	[ "$HOP" -gt 0 ] && kt_check "test_kho: KHO restore succeeded" \
		dmesg_has "test_kho: KHO restore succeeded"
	return 0
}
