# SPDX-License-Identifier: GPL-2.0
# DESC: kho_crc=on in only one of the two kernels: the handover works and verify compares what it can, saying what it cannot
# CMDLINE: kho=on kho_crc=on kho_scratch=16M,64M,32M reserve_mem=4M:4096:khotrace_rm
# HOPS: 2
# SMP: 2
# CONSOLE: kho_crc: sent pass: .* on 2 CPUs \(busiest [1-8]?[0-9]%\)
#
# hop 0 (kho_crc=on) lists what it hands over and kexecs into a kernel
#        without kho_crc, which frees that list unread; both CPUs share
#        the checksum pass of its reboot, neither reading 90 % of the
#        bytes (its console; see cycle.sh);
# hop 1 (kho_crc off): verify passes, places and sizes compared, the bytes
#        a SKIP-worthy line with its reason; then it kexecs into a kernel
#        with kho_crc=on, with nothing listed;
# hop 2 (kho_crc=on): verify passes and compares every range's bytes from
#        the snapshot to the boot, saying there were no handover checksums.

MANIFEST=$STATE/kho.manifest

scenario_hop()
{
	if ! command -v khotrace >/dev/null; then
		kt_fail "khotrace in the initramfs" "make -C tools/khotrace static"
		return 0
	fi
	run_kt status status
	case $HOP in
	0)
		kt_check "status: this kernel lists what it hands over" \
			grep -q "^Checksums: *kho_crc=on: this kernel lists what it hands over$" \
			/tmp/kt.out
		;;
	1)
		kt_check "status: nothing checksummed at boot, nothing listed read" grep -q \
			"^Checksums: *kho_crc=off: this kernel does not list what it hands over; received bytes not checksummed at boot (verify cannot compare them); the previous kernel listed none$" \
			/tmp/kt.out
		kt_check "the previous kernel's list is not shown" \
			sh -c "! grep -q '^# sent=' $KHO_DBG/in/memory_map"
		verify_passes verify verify --manifest "$MANIFEST"
		kt_check "verify says why the bytes were not compared" \
			grep -q "^skip: preserved range bytes not compared: this kernel did not checksum what it received at boot (boot it with kho_crc=on)" \
			/tmp/kt.out
		;;
	2)
		kt_check "status: received bytes checksummed, nothing listed" grep -q \
			"^Checksums: *kho_crc=on: this kernel lists what it hands over; received bytes checksummed at boot; the previous kernel listed none$" \
			/tmp/kt.out
		verify_passes verify verify --manifest "$MANIFEST"
		kt_check "verify compared the bytes, without handover checksums" \
			grep -q "^verify: range bytes compared from the snapshot to the boot (no handover checksums" \
			/tmp/kt.out
		;;
	esac
	[ "$HOP" -lt "$HOPS" ] || return 0
	run_kt snapshot snapshot --manifest "$MANIFEST"
	kt_eq "snapshot --manifest exits 0" 0 "$rc"
	return 0
}

scenario_kexec()
{
	case $HOP in
	0) kexec_with "" kho_crc=on ;;
	*) kexec_with kho_crc=on "" ;;
	esac
}
