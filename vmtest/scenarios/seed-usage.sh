# SPDX-License-Identifier: GPL-2.0
# DESC: the seed's KHO usage (kho_scratch=G,P, /sys/kernel/kho/active and dt) and the memory maps across kexec
# CMDLINE: kho=on kho_crc=on kho_scratch=64M,64M reserve_mem=4M:4096:khotrace_rm
# HOPS: 2
#
# The seed's commands, scaled to a 2G VM (512M,512M -> 64M,64M):
#
#   hop 0: echo 1 > /sys/kernel/kho/active; cat /sys/kernel/kho/dt > /state/dt;
#          kexec -l ... -s; kexec -e           (a kexec in the active phase)
#   hop 1: dt == in/fdt, memory map and subtrees received == handed over;
#          then a kexec without the active phase
#   hop 2: that kexec handed over too
#
# Every hop also checks the two-value kho_scratch sizes, and hop 0 the
# state machine of /sys/kernel/kho/active: enter, abort, re-enter,
# same-state writes, garbage and unprivileged writes.

RM_NAME=khotrace_rm
SCRATCH_SIZE=0x4000000
TRACE=/sys/kernel/tracing

# write_active VALUE: write VALUE and a newline to active as root, as
# echo does; prints the error
# text of a failed write, nothing on success.
write_active()
{
	sh -c "echo '$1' > $KHO_SYS/active" 2>&1 | sed 's/.*: //'
}

# nobody_error CMD: run CMD as nobody; prints the error text.
nobody_error()
{
	as_nobody "$1" 2>&1 | sed 's/.*: //'
}

# subtrees_cmp FILE: the subtrees lines that must not change across kexec
subtrees_cmp()
{
	grep -v 'name=LUO$' "$1" | sed '/ name=kho-\(blackout\|crc\)$/s/ crc32c=[^ ]*//'
}

check_scratch()
{
	local lens

	lens=$(cat $KHO_DBG/out/scratch_len 2>/dev/null | tr '\n' ' ')
	kt_diag "scratch_len: $lens"
	set -- $lens
	if [ $# -lt 3 ]; then
		kt_fail "kho_scratch=64M,64M: lowmem, global and node areas" "scratch_len: '$lens'"
		return
	fi
	kt_ok "kho_scratch=64M,64M: lowmem, global and node areas"
	kt_check "lowmem area sized by the default scale" test $(($1)) -gt 0
	kt_eq "global area is 64M" "$(printf 0x%x $SCRATCH_SIZE)" "$2"
	kt_eq "node 0 area is 64M" "$(printf 0x%x $SCRATCH_SIZE)" "$3"
	kt_check "no malformed kho_scratch message" sh -c '! dmesg | grep -q "malformed kho_scratch"'
}

# range_lines MAP ADDR SIZE: the lines of MAP inside [ADDR, ADDR + SIZE)
range_lines()
{
	local line p

	while read -r line; do
		case $line in '#'*) continue ;; esac
		p=${line%% *}
		p=$((${p#phys=}))
		[ "$p" -ge $(($2)) ] && [ "$p" -lt $(($2 + $3)) ] && echo "$line"
	done < "$1"
	return 0
}

check_state_machine()
{
	kt_check "/sys/kernel/kho exists" test -d $KHO_SYS
	kt_check "active reads 0 at boot" active_is 0
	kt_check "no dt before the active phase" test ! -e $KHO_SYS/dt
	kt_eq "active is 0600" "-rw-------" "$(ls -l $KHO_SYS/active | cut -c1-10)"

	if [ -d $TRACE/events/kho/kho_active ]; then
		echo 1 > $TRACE/events/kho/kho_active/enable
		echo 1 > $TRACE/events/kho/kho_fdt_finalize/enable
	fi

	kt_eq "unprivileged write: EACCES" "Permission denied" \
		"$(nobody_error "echo 1 > $KHO_SYS/active")"
	kt_check "unprivileged write changed nothing" active_is 0
	kt_eq "0 while inactive: EALREADY" "Operation already in progress" "$(write_active 0)"
	kt_eq "garbage 'yes': EINVAL" "Invalid argument" "$(write_active yes)"
	kt_eq "garbage '2': EINVAL" "Invalid argument" "$(write_active 2)"
	kt_eq "garbage '': EINVAL" "Invalid argument" "$(write_active '')"
	kt_check "garbage changed nothing" active_is 0

	kt_check "enter: echo 1" test -z "$(write_active 1)"
	kt_check "active reads 1" active_is 1
	kt_check "dt appears" has_bytes $KHO_SYS/dt
	kt_eq "dt is 0400" "-r--------" "$(ls -l $KHO_SYS/dt | cut -c1-10)"
	kt_eq "unprivileged dt read: EACCES" "Permission denied" \
		"$(nobody_error "cat $KHO_SYS/dt > /dev/null")"
	kt_eq "1 while active: EBUSY" "Device or resource busy" "$(write_active 1)"
	kt_check "still active" active_is 1
	kt_check "abort: echo 0" test -z "$(write_active 0)"
	kt_check "active reads 0 after abort" active_is 0
	kt_check "dt gone after abort" test ! -e $KHO_SYS/dt
	kt_check "re-enter: echo 1" test -z "$(write_active 1)"
	kt_check "dt back after re-enter" has_bytes $KHO_SYS/dt

	if [ -d $TRACE/events/kho/kho_active ]; then
		echo 0 > $TRACE/events/kho/kho_active/enable
		echo 0 > $TRACE/events/kho/kho_fdt_finalize/enable
		grep -o 'kho_[a-z_]*: .*' $TRACE/trace > /tmp/kho_trace
		while read -r l; do kt_diag "trace: $l"; done < /tmp/kho_trace
		kt_eq "kho_active events" \
			"old=0 new=0 ret=-114,old=0 new=1 ret=0,old=1 new=1 ret=-16,old=1 new=0 ret=0,old=0 new=1 ret=0" \
			"$(grep kho_active: /tmp/kho_trace | sed 's/.*kho_active: //' | paste -sd,)"
		kt_eq "kho_fdt_finalize at each activation" 2 \
			"$(grep -c 'kho_fdt_finalize: .*scratch_mem=0x0 ' /tmp/kho_trace)"
	else
		kt_skip "kho_active events" "no kho:kho_active trace event"
	fi
}

# Before the kexec in the active phase: capture what is handed over.
prepare_active()
{
	local addr size

	check_state_machine

	addr=$(fdt_u64 $KHO_DBG/out/sub_fdts/memblock /$RM_NAME start)
	size=$(fdt_u64 $KHO_DBG/out/sub_fdts/memblock /$RM_NAME size)
	if [ -z "$addr" ] || [ -z "$size" ]; then
		kt_fail "reserve_mem in memblock subtree" "no /$RM_NAME start/size"
	else
		kt_check "reserve_mem filled" phys_fill_random "$addr" "$size"
		echo "$addr $size" > $STATE/reserve_mem
		kt_diag "reserve_mem $RM_NAME at $addr size $size"
	fi

	# the seed's command
	cat $KHO_SYS/dt > $STATE/dt
	kt_check "dt captured" has_bytes $STATE/dt
	kt_diag "dt: $(wc -c < $STATE/dt) bytes, debugfs out/fdt: $(wc -c < $KHO_DBG/out/fdt) bytes"
	# the series serves debugfs out/fdt as it is now, not as it was at init
	kt_check "debugfs out/fdt == dt, byte for byte" cmp $KHO_DBG/out/fdt $STATE/dt

	if cat $KHO_DBG/out/memory_map > $STATE/out_memory_map 2>/tmp/err; then
		kt_ok "out/memory_map readable"
		kt_diag "out/memory_map: $(grep -vc '^#' $STATE/out_memory_map) ranges"
		range_lines $STATE/out_memory_map "$addr" "$size" > $STATE/out_rm_map
		kt_check "reserve_mem region in out/memory_map" test -s $STATE/out_rm_map
		check_out_ranges
	else
		kt_fail "out/memory_map readable" "$(cat /tmp/err)"
	fi
	if cat $KHO_DBG/out/subtrees > $STATE/out_subtrees 2>/tmp/err; then
		kt_ok "out/subtrees readable"
		while read -r l; do kt_diag "out: $l"; done < $STATE/out_subtrees
	else
		kt_fail "out/subtrees readable" "$(cat /tmp/err)"
	fi
	echo active > $STATE/mode
}

# out/ranges: the places of out/memory_map (just read) without checksums
check_out_ranges()
{
	if ! cat $KHO_DBG/out/ranges > /tmp/out_ranges 2>/tmp/err; then
		kt_fail "out/ranges readable" "$(cat /tmp/err)"
		return
	fi
	kt_eq "out/ranges format line" "# kho ranges - version: 1" "$(head -n1 /tmp/out_ranges)"
	grep -v '^#' $STATE/out_memory_map | cut -d' ' -f1-3 > /tmp/map_places
	grep -v '^#' /tmp/out_ranges > /tmp/range_places
	# the same lines in the same order, and some: an empty list is a failure
	if [ -s /tmp/range_places ] && cmp -s /tmp/map_places /tmp/range_places; then
		kt_ok "out/ranges lists the ranges of out/memory_map"
	else
		kt_fail "out/ranges lists the ranges of out/memory_map" \
			"$(wc -l < /tmp/map_places) map lines, $(wc -l < /tmp/range_places) range lines; $(
			{ grep -vxFf /tmp/range_places /tmp/map_places | sed 's/^/map only: /'
			  grep -vxFf /tmp/map_places /tmp/range_places | sed 's/^/ranges only: /'
			} | head -n 4 | tr '\n' ' ')"
	fi
}

check_after_active()
{
	local addr size

	kt_check "KHO data found after an active-phase kexec" dmesg_has "KHO: found kexec handover data."
	kt_check "active reads 0 in the new kernel" active_is 0
	if cmp $STATE/dt $KHO_DBG/in/fdt > /tmp/err 2>&1; then
		kt_ok "dt before the kexec == in/fdt after it"
	else
		kt_fail "dt before the kexec == in/fdt after it" "$(cat /tmp/err)"
	fi

	read -r addr size < $STATE/reserve_mem || addr=
	if [ -z "$addr" ] || ! cat $KHO_DBG/in/memory_map > /tmp/in_map 2>/tmp/err; then
		kt_fail "in/memory_map readable" "$(cat /tmp/err 2>/dev/null)"
	else
		kt_ok "in/memory_map readable"
		kt_diag "in/memory_map: $(grep -vc '^#' /tmp/in_map) ranges"
		range_lines /tmp/in_map "$addr" "$size" | sed 's/ sent=.*//' > /tmp/in_rm_map
		while read -r l; do kt_diag "rm: $l"; done < /tmp/in_rm_map
		if cmp $STATE/out_rm_map /tmp/in_rm_map > /tmp/err 2>&1; then
			kt_ok "reserve_mem ranges and crc32c: out map == in map"
		else
			kt_fail "reserve_mem ranges and crc32c: out map == in map" "$(cat /tmp/err)"
		fi
		# (the blocks of the kernel's own handover checksums, allocated
		# at reboot after out/memory_map was read, are not shown in it)
		grep -v '^#' $STATE/out_memory_map | cut -d' ' -f1-3 > /tmp/out_places
		grep -v '^#' /tmp/in_map | cut -d' ' -f1-3 > /tmp/in_places
		kt_none "every handed over range received" \
			"$(grep -vxFf /tmp/in_places /tmp/out_places | tr '\n' ' ')"
		kt_none "no range received that was not handed over" \
			"$(grep -vxFf /tmp/out_places /tmp/in_places | tr '\n' ' ')"
		kt_check "the previous kernel listed what it handed over" \
			grep -q '^# sent=[1-9]' /tmp/in_map
		# but the page of kho-blackout, stamped until the jump
		bo=$(sed -n 's/^phys=\(0x[0-9a-f]*\) .* name=kho-blackout$/\1/p' \
			$STATE/out_subtrees)
		kt_none "every listed range received as handed over (crc32c == sent)" \
			"$(grep ' sent=0x' /tmp/in_map | grep -v "^phys=$bo " |
			   awk '{ if ($4 != "crc32c=" substr($5, 6)) print }')"
	fi

	# LUO rewrites its blob at reboot, after the capture; the kernel
	# writes its blackout stamps into kho-blackout (same place and size).
	if cat $KHO_DBG/in/subtrees > /tmp/in_subtrees 2>/tmp/err; then
		while read -r l; do kt_diag "in: $l"; done < /tmp/in_subtrees
		kt_eq "subtrees (but LUO) and their crc32c (but kho-blackout's): out == in" \
			"$(subtrees_cmp $STATE/out_subtrees | md5sum)" \
			"$(subtrees_cmp /tmp/in_subtrees | md5sum)"
	else
		kt_fail "in/subtrees readable" "$(cat /tmp/err)"
	fi
}

scenario_hop()
{
	check_scratch
	case $HOP in
	0)
		prepare_active
		;;
	1)
		check_after_active
		# next: a kexec without the active phase
		kt_check "no dt without the active phase" test ! -e $KHO_SYS/dt
		echo plain > $STATE/mode
		;;
	*)
		kt_check "KHO data found after a kexec without the active phase" \
			dmesg_has "KHO: found kexec handover data."
		kt_check "memblock subtree handed over" has_bytes $KHO_DBG/in/sub_fdts/memblock
		;;
	esac
	return 0
}
