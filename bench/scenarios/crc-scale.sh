# SPDX-License-Identifier: GPL-2.0
# DESC: bench: kho_crc's checksum passes (reboot, sent, boot) on 1 and 2 CPUs, interleaved, and the blackout vs preserved memory (0, 256 MiB, 1 GiB memfd)
# CMDLINE: kho=on liveupdate=on kho_crc=on khotrace.kept_kib=unclaimed
# MEM: 4G
# SMP: 2
# HOPS: 30
#
# Five sets of six kexecs: a memfd of 0, 256 MiB and 1 GiB held across
# two kexecs each, one with CPU 1 offline (its passes on one CPU) and one
# with both CPUs online, back to back; which goes first alternates by
# set. The passes of a 1-CPU and a 2-CPU kexec of the same size run
# within seconds of each other in the same VM, on the same memory: the
# host's drift, which moved a pass by 15-20 % between two VMs run one
# after the other, falls on both alike. The way-out passes run on the
# CPUs online at the reboot; the boot pass after it on those the next
# kernel boots (maxcpus=1 for one), which this boot's user space then
# brings to the count its own kexec wants.
#
# The kernels' lines "kho_crc: reboot|sent|boot pass: ..." (each pass's
# ranges, bytes, time and CPUs) are on the console: bench/report.py reads
# them from the run directory's console.log, the Nth of each pass being
# kexec N's, which its hop names before it holds the memfd:
#   bench: crc kexec=N set=S mib=M cpus=C
# The next boot prints each kexec's blackout
#   bench: blackout mib=M cpus=N set=S phase=NAME side=S tsc=T ns=N ...
# Each hop's memfd is never claimed by the next (khotrace.kept_kib=
# unclaimed). The 0 MiB kexecs also print the passes' reference, how
# fast the online CPUs together checksum 64 MiB in user space, one thread
# per CPU, with the loop of the kernel's generic crc32c (crc_threads):
#   bench: crc_threads threads=N bytes=B us=T

CRC_MIB="0 256 1024"
CPU1=/sys/devices/system/cpu/cpu1/online

# crc_kexec N: "SET MIB CPUS" of kexec N (from 0, the one leaving hop N)
crc_kexec()
{
	local set=$(($1 / 6)) first

	# set 0 starts each size with 1 CPU, set 1 with 2, ...
	first=$(((set + $1 % 2) % 2 + 1))
	echo "$((set + 1)) $(echo $CRC_MIB | cut -d' ' -f$(($1 % 6 / 2 + 1))) $first"
}

scenario_hop()
{
	local set mib cpus n out

	if [ "$HOP" -gt 0 ]; then
		set -- $(crc_kexec $((HOP - 1)))
		set=$1 mib=$2 cpus=$3
		scale_report "$mib" "cpus=$cpus set=$set"
		# without a memfd, a few ranges: one CPU claims them all
		n=$cpus
		[ "$mib" -gt 0 ] || n=.
		kt_check "boot pass logged after $mib MiB, on $n CPU(s) of $cpus, set $set" \
			sh -c "dmesg | grep -qE 'kho_crc: boot pass: .* on $n CPUs? '"
	fi
	[ "$HOP" -lt "$HOPS" ] || return 0
	set -- $(crc_kexec "$HOP")
	set=$1 mib=$2 cpus=$3
	# CPU 1 is offline after a boot with maxcpus=1; bring it where this
	# kexec wants it
	[ "$(cat $CPU1)" = $((cpus - 1)) ] || echo $((cpus - 1)) > $CPU1
	kt_eq "CPU 1 online for kexec $HOP ($mib MiB, $cpus CPU(s), set $set)" \
		$((cpus - 1)) "$(cat $CPU1)"
	# bench/report.py: the passes of the Nth kexec are this one's
	kt_diag "bench: crc kexec=$HOP set=$set mib=$mib cpus=$cpus"
	if [ "$mib" -eq 0 ]; then
		out=$(crc_threads 64 3 2>&1)
		kt_eq "crc_threads (the parallel reference) exits 0" 0 "$?"
		kt_diag "bench: ${out%%:*}${out#*:} set=$set"
	fi
	scale_hold "$mib"
	return 0
}

scenario_kexec()
{
	set -- $(crc_kexec "$HOP")
	# the boot pass of this kexec on as many CPUs as its way-out passes
	if [ "$3" -eq 1 ]; then
		kexec_with maxcpus=1 maxcpus=1
	else
		kexec_with "" maxcpus=1
	fi
}
