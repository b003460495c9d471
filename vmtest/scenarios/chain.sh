# SPDX-License-Identifier: GPL-2.0
# DESC: recursive KHO kexecs; test_kho, a Live Update memfd pattern, reserve_mem bytes and kexec metadata verified after every hop
# CMDLINE: kho=on kho_crc=on liveupdate=on kho_scratch=16M,64M,32M reserve_mem=4M:4096:khotrace_rm trace_event=kho:*
# HOPS: 5
# CHAIN: yes
#
# Every hop: the previous kernel's handover is checked (KHO data found,
# incoming FDT, test_kho's own restore check, the reserve_mem region at the
# same physical address with the same bytes, kexec count + 1), then fresh
# random bytes go into the reserve_mem region, their checksum and the
# outgoing kexec count go into /state, a Live Update session with two
# 2 MiB memfds of a known pattern is held across the kexec and checked byte
# for byte in the next kernel (selftests/vm/luo_integrity), khotrace
# snapshot records all of it last, khotrace verify checks it after the kexec
# (with kho_crc=on, every preserved byte from the snapshot through the
# reboot and the handover: Live Update's rewrites of the held session's
# metadata at reboot are told apart from the handover), and the kernel
# kexecs into itself.

. /vmtest/handover.sh

# The series' own in-VM test (selftests/vm/kho_trace.c): events, boot log,
# boot-time trace records.
check_tracing()
{
	kt_check "kho tracepoints present" test -d /sys/kernel/tracing/events/kho
	kt_check "early-boot log present" has_bytes $KHO_DBG/bootlog
	kt_run kho_trace kho_trace
}

scenario_hop()
{
	check_tracing
	[ "$HOP" -gt 0 ] && check_verify
	[ "$HOP" -gt 0 ] && check_luo
	[ "$HOP" -lt "$HOPS" ] && hold_luo
	[ "$HOP" -gt 0 ] && check_incoming
	[ "$HOP" -lt "$HOPS" ] && prepare_outgoing
	[ "$HOP" -lt "$HOPS" ] && take_snapshot
	return 0
}
