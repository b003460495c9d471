# SPDX-License-Identifier: GPL-2.0
# DESC: abort the KHO active phase (echo 0), then kexec; a malformed kho_scratch falls back to the default
# CMDLINE: kho=on kho_scratch=64M,junk reserve_mem=4M:4096:khotrace_rm
# HOPS: 1
#
# hop 0: the malformed kho_scratch= is reported and the default scale
#        used; the kho_abi selftest (errno of every write, as root and as
#        nobody); enter the active phase, capture dt, abort with echo 0
#        (the seed documents abort as echo 1: that is a mistake), kexec
#        without the active phase
# hop 1: the handover arrived, its FDT equals the dt captured before the
#        abort (nothing changed the subtrees in between), reserve_mem
#        bytes unchanged

RM_NAME=khotrace_rm

check_malformed_scratch()
{
	local lens

	kt_check "malformed kho_scratch reported" \
		dmesg_has "KHO: malformed kho_scratch=64M,junk"
	lens=$(cat $KHO_DBG/out/scratch_len 2>/dev/null | tr '\n' ' ')
	kt_diag "scratch_len: $lens"
	set -- $lens
	kt_check "default scale: lowmem, global and node areas" test $# -ge 3
	kt_check "default scale: global area is not 64M" test "$2" != 0x4000000
}

scenario_hop()
{
	local addr size

	check_malformed_scratch
	if [ "$HOP" -eq 0 ]; then
		if command -v kho_abi > /dev/null; then
			kt_run kho_abi kho_abi
		else
			kt_skip "kho_abi" "selftests/vm/kho_abi not built"
		fi

		addr=$(fdt_u64 $KHO_DBG/out/sub_fdts/memblock /$RM_NAME start)
		size=$(fdt_u64 $KHO_DBG/out/sub_fdts/memblock /$RM_NAME size)
		kt_check "reserve_mem filled" phys_fill_random "$addr" "$size"
		echo "$addr $size $(sha256sum < /tmp/pattern | cut -d' ' -f1)" > $STATE/reserve_mem

		echo 1 > $KHO_SYS/active
		kt_check "entered the active phase" active_is 1
		cat $KHO_SYS/dt > $STATE/dt
		kt_check "dt captured" has_bytes $STATE/dt
		echo 0 > $KHO_SYS/active
		kt_check "aborted with echo 0" active_is 0
		kt_check "dt gone after abort" test ! -e $KHO_SYS/dt
		return 0
	fi

	kt_check "KHO data found after an aborted active phase" \
		dmesg_has "KHO: found kexec handover data."
	kt_check "dt captured before the abort == in/fdt" cmp $STATE/dt $KHO_DBG/in/fdt
	read -r addr size sum < $STATE/reserve_mem
	kt_check "reserve_mem revived" dmesg_has "Revived memory reservation '$RM_NAME' from KHO"
	kt_eq "reserve_mem bytes unchanged" "$sum" "$(phys_sha256 "$addr" "$size")"
	return 0
}
