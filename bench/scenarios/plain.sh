# SPDX-License-Identifier: GPL-2.0
# DESC: bench: the cycle scenario's handover without khotrace (same command line, workload, kexec)
# CMDLINE: kho=on kho_crc=on liveupdate=on kho_scratch=16M,64M,32M reserve_mem=4M:4096:khotrace_rm
# HOPS: 1
#
# What vmtest/scenarios/cycle.sh does with no khotrace command around it:
# the same boot parameters, the 16 MiB Live Update memfd preserved and
# unpreserved, the kexec load and the kexec. Figure 4 shows the cycle's
# time over this one as khotrace's own share, and takes this command's
# time (step: command) out of record's.

scenario_hop()
{
	local t0 t1 rc append

	[ "$HOP" -gt 0 ] && return 0
	make_initrd
	# before the clock starts, as cycle.sh's arguments to record are
	append=$(next_cmdline)
	now_ms t0
	sh -c "kho_preserve_bench -s 16 -r 1 && kexec -l /boot/bzImage \
		--initrd=/tmp/initrd.cpio -s --append='$append'"
	rc=$?
	now_ms t1
	kt_eq "the workload and the kexec load exit 0" 0 "$rc"
	kt_diag "step: command ms=$((t1 - t0))"
}

scenario_kexec()
{
	kt_diag "kexec -e (leaving hop $HOP)"
	sync
	kexec -e
	kt_fail "kexec exec" "kexec -e returned"
}
