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

RM_NAME=khotrace_rm

check_incoming()
{
	local addr size sum count want

	kt_check "KHO data found" dmesg_has "KHO: found kexec handover data."
	kt_check "incoming FDT present" has_bytes $KHO_DBG/in/fdt
	# test_kho saves on a boot without its subtree and restores (without
	# saving again) on a boot with it, so it alternates along a chain.
	if [ "$(cat $STATE/test_kho 2>/dev/null)" = saved ]; then
		if dmesg_has "test_kho: KHO restore failed"; then
			kt_fail "test_kho restore" "test_kho: KHO restore failed"
		else
			kt_check "test_kho restore" dmesg_has "test_kho: KHO restore succeeded"
		fi
	else
		kt_skip "test_kho restore" "test_kho restored on the previous hop and saved nothing"
	fi

	read -r addr size sum < $STATE/reserve_mem || addr=
	if [ -z "$addr" ]; then
		kt_fail "reserve_mem revived" "no state from the previous hop"
	else
		kt_check "reserve_mem revived" dmesg_has "Revived memory reservation '$RM_NAME' from KHO"
		kt_eq "reserve_mem at the same address" "$addr" \
			"$(fdt_u64 $KHO_DBG/in/sub_fdts/memblock /$RM_NAME start)"
		kt_eq "reserve_mem bytes unchanged" "$sum" "$(phys_sha256 "$addr" "$size")"
	fi

	want=$(cat $STATE/kexec_count 2>/dev/null)
	count=$(metadata_count $KHO_DBG/in/sub_fdts/kexec-metadata)
	kt_eq "kexec count handed over" "$want" "$count"
	kt_eq "previous release" "$(cat $STATE/release 2>/dev/null)" \
		"$(metadata_release $KHO_DBG/in/sub_fdts/kexec-metadata)"
}

prepare_outgoing()
{
	local addr size count

	kt_check "KHO enabled" test -d $KHO_DBG/out
	if [ "$HOP" -gt 0 ] && [ "$(cat $STATE/test_kho 2>/dev/null)" = saved ]; then
		kt_check "test_kho saved nothing after restoring" \
			test ! -e $KHO_DBG/out/sub_fdts/kho_test
		echo restored > $STATE/test_kho
	else
		kt_check "test_kho subtree" has_bytes $KHO_DBG/out/sub_fdts/kho_test
		echo saved > $STATE/test_kho
	fi

	addr=$(fdt_u64 $KHO_DBG/out/sub_fdts/memblock /$RM_NAME start)
	size=$(fdt_u64 $KHO_DBG/out/sub_fdts/memblock /$RM_NAME size)
	if [ -z "$addr" ] || [ -z "$size" ]; then
		kt_fail "reserve_mem in memblock subtree" "no /$RM_NAME start/size"
	else
		kt_ok "reserve_mem in memblock subtree"
		kt_check "reserve_mem filled" phys_fill_random "$addr" "$size"
		echo "$addr $size $(sha256sum < /tmp/pattern | cut -d' ' -f1)" > $STATE/reserve_mem
		kt_diag "reserve_mem $RM_NAME at $addr size $size"
	fi

	count=$(metadata_count $KHO_DBG/out/sub_fdts/kexec-metadata)
	kt_eq "outgoing kexec count" "$((HOP + 1))" "$count"
	echo "$count" > $STATE/kexec_count
	uname -r > $STATE/release
}

# The series' own in-VM test (selftests/vm/kho_trace.c): events, boot log,
# boot-time trace records.
check_tracing()
{
	kt_check "kho tracepoints present" test -d /sys/kernel/tracing/events/kho
	kt_check "early-boot log present" has_bytes $KHO_DBG/bootlog
	kt_run kho_trace kho_trace
}

# The Live Update memfds: filled and held before each kexec, every byte
# checked (and the sessions finished) after it.
LUO_ARGS="-n 1 -m 2 -s 2048"

check_luo()
{
	local out

	if [ "$(cat $STATE/luo 2>/dev/null)" != held ]; then
		kt_fail "Live Update memfds: every byte" "nothing was held on the previous hop"
		return
	fi
	out=$(luo_integrity check $LUO_ARGS 2>&1)
	kt_eq "Live Update memfds: every byte ($(echo "$out" | tail -n1))" 0 "$?"
}

hold_luo()
{
	local out

	out=$(luo_integrity fill $LUO_ARGS 2>&1)
	kt_eq "Live Update memfds held ($(echo "$out" | tail -n1))" 0 "$?"
	echo held > $STATE/luo
}

# khotrace's own proof: snapshot last before each kexec, verify first after
check_verify()
{
	local line n

	verify_passes "khotrace verify" verify
	line=$(grep "^verify: range bytes followed" /tmp/kt.out)
	if [ -z "$line" ]; then
		kt_fail "khotrace verify: bytes followed through the handover" \
			"$(grep '^skip:\|^verify: range bytes' /tmp/kt.out)"
		return
	fi
	kt_ok "khotrace verify: bytes followed through the handover"
	n=$(echo "$line" | sed -n 's/.*handover: \([0-9]*\) rewritten.*/\1/p')
	kt_check "khotrace verify: Live Update's rewrites at reboot told apart ($n ranges)" \
		test "${n:-0}" -gt 0
}

take_snapshot()
{
	run_kt snapshot snapshot
	kt_eq "khotrace snapshot exits 0" 0 "$rc"
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

scenario_kexec()
{
	kho_kexec
}
