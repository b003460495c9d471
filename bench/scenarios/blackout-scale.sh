# SPDX-License-Identifier: GPL-2.0
# DESC: bench: the kexec blackout and its phases vs preserved memory (0, 256 MiB, 1 GiB, 4 GiB memfd)
# CMDLINE: kho=on liveupdate=on
# MEM: 8G
# HOPS: 4
#
# Hop N holds a Live Update memfd of SIZES[N] MiB across the kexec
# (kho_preserve_bench -H); hop N+1 prints the blackout timeline of that
# kexec from /sys/kernel/debug/kho/blackout as diagnostics:
#   bench: blackout mib=M phase=NAME side=S tsc=T ns=N ...

SIZES="0 256 1024 4096"

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
