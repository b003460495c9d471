# SPDX-License-Identifier: GPL-2.0
# DESC: handed-over bytes changed after khotrace snapshot (reserve_mem, kexec metadata via /dev/mem) and a tampered manifest: verify fails naming the item
# CMDLINE: kho=on kho_crc=on kho_scratch=16M,64M,32M reserve_mem=4M:4096:khotrace_rm
# HOPS: 1
#
# hop 0: snapshot --manifest into /state, then change what is handed over:
#        random bytes into the reserve_mem region (a preserved range) and
#        one byte of the previous-release string in the kexec-metadata
#        subtree (its phys from the manifest); a copy of the manifest with
#        one value edited (checksum no longer matches)
# hop 1: verify names the kexec-metadata subtree (checksum) and the
#        previous release (value) and exits 1; with the khotrace series it
#        also names the reserve_mem range (checksum), without it that check
#        is a SKIP; the tampered manifest is rejected with its line

RM_NAME=khotrace_rm
MANIFEST=$STATE/kho.manifest
TAMPERED=$STATE/tampered.manifest

hop0()
{
	local addr size meta

	run_kt snapshot snapshot --manifest "$MANIFEST"
	kt_eq "snapshot --manifest exits 0" 0 "$rc"

	addr=$(fdt_u64 $KHO_DBG/out/sub_fdts/memblock /$RM_NAME start)
	size=$(fdt_u64 $KHO_DBG/out/sub_fdts/memblock /$RM_NAME size)
	if [ -n "$addr" ] && [ -n "$size" ]; then
		kt_check "reserve_mem bytes changed after the snapshot" phys_fill_random "$addr" "$size"
		printf "0x%x\n" "$((addr))" > $STATE/rm_addr
	else
		kt_fail "reserve_mem bytes changed after the snapshot" "no /$RM_NAME start/size"
	fi

	meta=$(sed -n 's/^subtree name=kexec-metadata phys=\(0x[0-9a-f]*\) .*/\1/p' "$MANIFEST")
	if [ -n "$meta" ]; then
		# previous_release[0] (offset 4): one byte that nothing else checks
		kt_check "kexec-metadata byte changed after the snapshot" \
			sh -c "printf X | dd of=/dev/mem bs=1 seek=$((meta + 4)) conv=notrunc 2>&1"
	else
		kt_fail "kexec-metadata byte changed after the snapshot" "no kexec-metadata subtree in the manifest"
	fi

	sed 's/^kexec_count=.*/kexec_count=41/' "$MANIFEST" > "$TAMPERED"
}

hop1()
{
	local addr reason

	run_kt verify verify --manifest "$MANIFEST"
	kt_eq "verify of tampered memory exits 1" 1 "$rc"
	kt_check "verify names the kexec-metadata subtree" \
		grep -q "^checksum: subtree kexec-metadata:" /tmp/kt.out
	kt_check "verify names the previous release" grep -q "^value: previous release:" /tmp/kt.out
	kt_check "verify summary counts the mismatches" \
		grep -q "^verify: [0-9]* items, [0-9]* ok, [1-9][0-9]* mismatches$" /tmp/kt.out
	reason=$(sed -n 's/^skip: preserved range.* not compared: //p' /tmp/kt.out)
	addr=$(cat $STATE/rm_addr 2>/dev/null)
	if [ -n "$reason" ]; then
		kt_skip "verify names the reserve_mem range" "$reason"
	else
		# the range holding the region's first page
		kt_check "verify names the reserve_mem range" \
			grep -q "^checksum: range $addr:" /tmp/kt.out
	fi

	run_kt tampered verify --manifest "$TAMPERED"
	kt_eq "verify of a tampered manifest exits 1" 1 "$rc"
	kt_check "tampered manifest rejected by its checksum" \
		grep -q "bad manifest (file:$TAMPERED): line [0-9]*: checksum mismatch" /tmp/kt.out
}

scenario_hop()
{
	if ! command -v khotrace >/dev/null; then
		kt_fail "khotrace in the initramfs" "make -C tools/khotrace static"
		return 0
	fi
	if [ "$HOP" -eq 0 ]; then
		hop0
	else
		hop1
	fi
	return 0
}
