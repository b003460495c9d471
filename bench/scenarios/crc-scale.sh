# SPDX-License-Identifier: GPL-2.0
# DESC: bench: kho_crc's checksum passes (reboot, sent, boot) and the blackout vs preserved memory (0, 256 MiB, 1 GiB memfd)
# CMDLINE: kho=on liveupdate=on kho_crc=on khotrace.kept_kib=unclaimed
# MEM: 4G
# HOPS: 3
#
# blackout-scale with kho_crc=on and without its 4 GiB hop; run it with
# vmtest --smp 1 and --smp 2. Hop N holds a Live Update memfd of the
# Nth size (from 0) across the kexec; hop N+1 prints that kexec's blackout
#   bench: blackout mib=M phase=NAME side=S tsc=T ns=N ...
# The kernels' lines "kho_crc: reboot|sent|boot pass: ..." (each pass's
# ranges, bytes, time and CPUs) are on the console, where the passes of
# the way out are the last lines of their kernel: bench/report.py reads
# them from the run directory's console.log. Each hop's memfd is never
# claimed by the next (khotrace.kept_kib=unclaimed).
# Hop 0 also prints the reference of the passes' speedup: how much faster
# this guest's vCPUs together checksum 64 MiB in user space, one thread
# per vCPU, with the loop of the kernel's generic crc32c (crc_threads):
#   bench: crc_threads threads=N bytes=B us=T

scenario_hop()
{
	local out

	if [ "$HOP" -eq 0 ]; then
		out=$(crc_threads 64 3 2>&1)
		kt_eq "crc_threads (the parallel reference) exits 0" 0 "$?"
		kt_diag "bench: ${out%%:*}${out#*:}"
	fi
	scale_hop "0 256 1024"
	[ "$HOP" -gt 0 ] && kt_check "boot pass logged after $(echo 0 256 1024 | cut -d' ' -f$HOP) MiB" \
		sh -c 'dmesg | grep -q "kho_crc: boot pass: "'
	return 0
}
