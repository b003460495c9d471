# SPDX-License-Identifier: GPL-2.0
# DESC: bench: bytes checksummed per second by khotrace snapshot and verify (256 MiB reserve_mem) vs memcpy
# CMDLINE: kho=on kho_crc=on reserve_mem=256M:4096:khotrace_big
# HOPS: 1
#
# snapshot reads out/memory_map, whose crc32c the kernel computes on
# every byte to be handed over when the file is read: its time is the
# time to checksum them. With kho_crc=on the new kernel checksums what
# it received at KHO init, and verify compares. Prints
#   bench: snapshot bytes=N us=T
#   bench: verify bytes=N us=T
#   bench: memcpy_bytes=N memcpy_us=T

scenario_hop()
{
	local t0 t1 rc

	if [ "$HOP" -eq 0 ]; then
		now_ms t0
		khotrace snapshot --manifest $STATE/m > /tmp/snap.out 2>&1
		rc=$?
		now_ms t1
		kt_eq "snapshot to a file" 0 "$rc"
		kt_diag "bench: snapshot bytes=$(map_bytes out) us=$(((t1 - t0) * 1000))"
		return 0
	fi
	now_ms t0
	khotrace verify --manifest $STATE/m > /tmp/verify.out 2>&1
	now_ms t1
	kt_diag "verify: $(tail -n1 /tmp/verify.out)"
	kt_check "verify compared bytes" sh -c '! grep -q "bytes not compared" /tmp/verify.out'
	kt_diag "bench: verify bytes=$(map_bytes in) us=$(((t1 - t0) * 1000))"
	kt_diag "bench: $(memcpy_bench 256 3)"
}
