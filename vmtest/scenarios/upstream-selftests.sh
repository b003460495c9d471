# SPDX-License-Identifier: GPL-2.0
# DESC: upstream's Live Update selftests (built from the same source) across a KHO kexec
# CMDLINE: kho=on liveupdate=on
# HOPS: 1
#
# Hop 0 runs the liveupdate harness and stage 1 of luo_kexec_simple and
# luo_multi_session (each leaves a holder process with its sessions open);
# hop 1 runs their stage 2 in the new kernel. The upstream KHO selftest's
# own check (test_kho: "KHO restore succeeded" after kexec_file_load of the
# same kernel) is made on every hop of the chain scenario.

scenario_hop()
{
	local t

	for t in liveupdate luo_kexec_simple luo_multi_session; do
		if [ ! -x /usr/bin/$t ]; then
			kt_fail "$t present" "not in the initramfs (make -C selftests/upstream)"
			return 0
		fi
	done
	if [ ! -e /dev/liveupdate ]; then
		kt_fail "/dev/liveupdate present" "Live Update not enabled (liveupdate=on)"
		return 0
	fi

	if [ "$HOP" -eq 0 ]; then
		kt_run liveupdate liveupdate
		kt_run luo_kexec_simple:stage1 luo_kexec_simple -s 1
		kt_run luo_multi_session:stage1 luo_multi_session -s 1
	else
		kt_check "KHO data found" dmesg_has "KHO: found kexec handover data."
		kt_run luo_kexec_simple:stage2 luo_kexec_simple -s 2
		kt_run luo_multi_session:stage2 luo_multi_session -s 2
	fi
}
