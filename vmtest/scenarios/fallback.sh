# SPDX-License-Identifier: GPL-2.0
# DESC: khotrace on the kernel without the series (same source): fentry mode is chosen and traces a Live Update memfd
# CMDLINE: kho=on liveupdate=on
# KERNEL: upstream
# HOPS: 0
#
# The kernel is the same Debian source and config without kernel/patches.
# khotrace must say so (no tracepoints, no boot log), pick the fentry/fexit
# program set on its own, and account a 64 MiB memfd preserved and
# unpreserved through Live Update. That the fentry set gives exactly the
# totals of the tracepoint set is checked in the trace scenario, where
# both run in one boot on the same workload.

MIB=1048576

scenario_hop()
{
	local pres unpres

	kt_check "no kho tracepoints (kernel without the series)" \
		test ! -d /sys/kernel/tracing/events/kho
	khotrace status > /tmp/status.txt 2>&1
	kt_eq "khotrace status exits 0" 0 "$?"
	kt_check "status: tracing mode fentry" grep -q "Tracing: *fentry" /tmp/status.txt
	kt_check "status: no boot log, says why" grep -q "Boot log: *not available" /tmp/status.txt

	khotrace record -o /tmp/f.rec -- kho_preserve_bench -s 64 -r 1 > /tmp/record.txt 2>&1
	kt_eq "khotrace record exits 0" 0 "$?"
	khotrace --json report -i /tmp/f.rec > /tmp/f.json 2>&1
	kt_eq "khotrace report --json exits 0" 0 "$?"
	kt_check "record made in fentry mode" grep -q '"mode": *"fentry"' /tmp/f.json
	pres=$(json_u64 preserved_bytes /tmp/f.json)
	unpres=$(json_u64 unpreserved_bytes /tmp/f.json)
	kt_diag "fentry: preserved_bytes=$pres unpreserved_bytes=$unpres"
	kt_check "the 64 MiB memfd is preserved ($pres)" test "${pres:-0}" -ge $((64 * MIB))
	kt_check "and unpreserved again ($unpres)" test "${unpres:-0}" -ge $((64 * MIB))
	khotrace report -i /tmp/f.rec > /tmp/report.txt 2>&1
	kt_check "report names the Live Update memfd producer" grep -q "luo" /tmp/report.txt
}

scenario_kexec()
{
	:
}
