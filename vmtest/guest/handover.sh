# SPDX-License-Identifier: GPL-2.0
#
# Guest-side checks of one KHO handover, shared by the scenarios that hand
# the same payloads over at every hop (chain, rollout, rollback; sourced
# after lib.sh): test_kho's restore, the reserve_mem region's bytes at
# the same physical address, the kexec metadata, a Live Update memfd
# pattern held across the kexec, khotrace snapshot before and verify
# after it, and the memory a hop leaves reserved beyond a cold boot.
#
# The expected values of the next hop travel in /state.

RM_NAME=khotrace_rm

# What the previous kernel handed over arrived: KHO data, test_kho's own
# restore check, the reserve_mem bytes at the same address, the kexec count
# and the previous release.
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

# What this kernel will hand over: test_kho's subtree (every other hop),
# fresh random bytes in the reserve_mem region, the kexec count.
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

# khotrace's own proof between two kernels with the series and kho_crc=on:
# every preserved byte followed from the snapshot through the reboot and
# the handover, Live Update's rewrites at reboot told apart
check_verify()
{
	verify_passes "khotrace verify" verify
	check_bytes_followed
}

# check_bytes_followed: the verify that just ran (/tmp/kt.out) followed
# the bytes through the handover
check_bytes_followed()
{
	local line n

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

# khotrace snapshot, last before each kexec
take_snapshot()
{
	run_kt snapshot snapshot
	kt_eq "khotrace snapshot exits 0" 0 "$rc"
}

# reserved_vs_cold: MemTotal of this hop against a cold boot of the same
# flavour (vmtest.sh's "# COLD: yes" leaves it in /state): what stays
# reserved because it was handed over and nobody claimed it, in bytes, is
# printed and must be at most $1 bytes. Measured after this hop's checks
# have restored and released everything they were handed.
reserved_vs_cold()
{
	local max=$1 flavour cold now diff n

	flavour=$(hop_flavour "$HOP")
	cold=$(cat "$STATE/cold_memtotal.$flavour" 2>/dev/null)
	now=$(memtotal_kib)
	if [ -z "$cold" ]; then
		kt_fail "reserved memory vs a cold boot" "no cold-boot MemTotal of $flavour"
		return
	fi
	diff=$(((cold - now) * 1024))
	kt_diag "reserved beyond a cold boot of $flavour: $diff bytes (MemTotal $now kB, cold $cold kB)"
	if [ -e $KHO_DBG/in/memory_map ]; then
		kt_diag "received: $(grep -vc '^#' $KHO_DBG/in/memory_map) preserved ranges, $(map_bytes in) bytes"
	fi
	# the series' own subtrees, which a kernel without it has no owner for
	if [ "$flavour" = upstream ]; then
		for n in kho-blackout kho-crc; do
			[ -e "$KHO_DBG/in/sub_fdts/$n" ] || continue
			kt_diag "unclaimed here: subtree $n, $(wc -c < "$KHO_DBG/in/sub_fdts/$n") bytes at $(fdt_u64 $KHO_DBG/in/fdt /$n preserved-data) (one page$([ $n = kho-crc ] && echo ", plus the blocks of its checksum list"))"
		done
	fi
	kt_check "reserved beyond a cold boot of $flavour: $diff bytes, at most $max" \
		test "$diff" -le "$max"
}

# series_words FLAVOUR: how khotrace names a kernel of that flavour
series_words()
{
	if [ "$1" = khotrace ]; then
		echo "with the khotrace series"
	else
		echo "without the khotrace series"
	fi
}

# check_status: khotrace status names this kernel and, after a KHO kexec,
# the previous one: release and whether each had the series
check_status()
{
	local this prev want

	this=$(hop_flavour "$HOP")
	run_kt status status
	kt_eq "khotrace status exits 0" 0 "$rc"
	want="Kernel: *$(uname -r), $(series_words "$this")"
	kt_check "status names this kernel ($(uname -r), $this)" grep -q "^$want\$" /tmp/kt.out
	[ "$HOP" -gt 0 ] || return 0
	prev=$(hop_flavour $((HOP - 1)))
	want="previous release $(cat $STATE/release 2>/dev/null), $(series_words "$prev"))"
	kt_check "status names the previous kernel ($(cat $STATE/release 2>/dev/null), $prev)" \
		grep -q "^Boot: *KHO kexec (kexec count $HOP, $want\$" /tmp/kt.out
}

# check_verify_mixed PREV THIS: the verify that just ran (exit code $rc,
# output in /tmp/kt.out) after a kexec from a kernel of flavour PREV into
# this one (THIS): exit 0, no mismatch, the two sides named, and every gap
# a skip line with its reason
check_verify_mixed()
{
	local prev=$1 this=$2 sides

	verify_checks "khotrace verify"
	if [ "$prev" = khotrace ] && [ "$this" = khotrace ]; then
		check_bytes_followed
	fi
	sides="$(cat $STATE/release 2>/dev/null) ($(series_words "$prev")) to $(uname -r) ($(series_words "$this"))"
	kt_check "verify names both sides: $sides" grep -q "^verify: handover from $sides\$" /tmp/kt.out
	if [ "$prev" = upstream ]; then
		# what the upstream kernel could not show, said as skips
		kt_check "verify: subtrees compared by name, size and bytes, addresses skipped" \
			grep -q "^skip: subtree addresses not compared ([0-9]* subtrees: size and bytes were): manifest: .*/out/fdt: .*kernel without the khotrace series" /tmp/kt.out
		kt_check "verify: preserved ranges skipped: the manifest has none" \
			grep -q "^skip: preserved ranges not compared: manifest: no .*/out/memory_map (kernel without the khotrace series)" /tmp/kt.out
	fi
	if [ "$this" = upstream ]; then
		kt_check "verify: preserved ranges skipped: this kernel shows none" \
			grep -q "^skip: preserved ranges not compared: .*received: no .*/in/memory_map (kernel without the khotrace series)" /tmp/kt.out
		kt_check "verify: reserve_mem bytes skipped: this kernel cannot show them as received" \
			grep -q "^skip: reserve_mem region bytes not compared (1 of 1 regions): received: no .*/in/memory_map" /tmp/kt.out
	else
		kt_check "verify: reserve_mem region place, size and bytes as received" \
			grep -q "^verify: 1 reserve_mem regions: place, size and bytes as received compared\$" /tmp/kt.out
	fi
}

# mixed_hop MAX_SERIES MAX_UPSTREAM: one hop of a chain that switches
# kernel flavours (rollout, rollback): the previous kernel's handover
# checked as far as both kernels can show it, what stays reserved against
# a cold boot (at most MAX_UPSTREAM bytes in a kernel without the series,
# which cannot free what it does not understand; MAX_SERIES in one with
# it), then the same payloads handed over again and snapshotted.
mixed_hop()
{
	local this prev

	this=$(hop_flavour "$HOP")
	check_status
	if [ "$HOP" -gt 0 ]; then
		prev=$(hop_flavour $((HOP - 1)))
		kt_diag "handover $prev -> $this"
		run_kt verify verify
		check_verify_mixed "$prev" "$this"
		check_luo
		check_incoming
	fi
	if [ "$this" = upstream ]; then
		reserved_vs_cold "$2"
	else
		reserved_vs_cold "$1"
	fi
	if [ "$HOP" -lt "$HOPS" ]; then
		hold_luo
		prepare_outgoing
		take_snapshot
	fi
	return 0
}
