# SPDX-License-Identifier: GPL-2.0
# DESC: bench: kho_crc's checksum passes (reboot, sent, boot) and the blackout vs preserved memory (0, 256 MiB, 1 GiB memfd)
# CMDLINE: kho=on liveupdate=on kho_crc=on khotrace.kept_kib=unclaimed
# MEM: 4G
# HOPS: 3
#
# blackout-scale with kho_crc=on and without its 4 GiB hop; run it with
# vmtest --smp 1 and --smp 2. Hop N holds a Live Update memfd of
# SIZES[N] MiB across the kexec; hop N+1 prints that kexec's blackout
#   bench: blackout mib=M phase=NAME side=S tsc=T ns=N ...
# The kernels' lines "kho_crc: reboot|sent|boot pass: ..." (each pass's
# ranges, bytes, time and CPUs) are on the console, where the passes of
# the way out are the last lines of their kernel: bench/report.py reads
# them from the run directory's console.log. Each hop's memfd is never
# claimed by the next (khotrace.kept_kib=unclaimed).

SIZES="0 256 1024"

size_of_hop()
{
	echo $SIZES | cut -d' ' -f$(($1 + 1))
}

scenario_hop()
{
	local mib

	if [ "$HOP" -gt 0 ]; then
		mib=$(size_of_hop $((HOP - 1)))
		if [ "$(cat $STATE/held 2>/dev/null)" != yes ]; then
			kt_fail "blackout timeline after $mib MiB" "the $mib MiB memfd was not held"
		elif [ -r $KHO_DBG/blackout ]; then
			kt_ok "blackout timeline after $mib MiB"
			while read -r l; do kt_diag "bench: blackout mib=$mib $l"; done < $KHO_DBG/blackout
		else
			kt_fail "blackout timeline after $mib MiB" "no $KHO_DBG/blackout"
		fi
		kt_check "boot pass logged after $mib MiB" sh -c 'dmesg | grep -q "kho_crc: boot pass: "'
	fi
	if [ "$HOP" -lt "$HOPS" ]; then
		mib=$(size_of_hop "$HOP")
		echo yes > $STATE/held
		if [ "$mib" -gt 0 ]; then
			kho_preserve_bench -s "$mib" -H > /tmp/hold.out 2>&1 ||
				echo no > $STATE/held
			kt_eq "hold a $mib MiB memfd" yes "$(cat $STATE/held)"
			kt_diag "hold: $(tail -n1 /tmp/hold.out)"
		fi
	fi
}
