# SPDX-License-Identifier: GPL-2.0
# DESC: the main job: one full KHO cycle traced, snapshotted and verified by khotrace, with a report
# CMDLINE: kho=on kho_crc=on liveupdate=on kho_scratch=16M,64M,32M reserve_mem=4M:4096:khotrace_rm
# HOPS: 1
# SMP: 2
# CONSOLE: kho_crc: reboot pass: .* on 2 CPUs \(busiest [1-8]?[0-9]%\)
# CONSOLE: kho_crc: sent pass: .* on 2 CPUs \(busiest [1-8]?[0-9]%\)
# CONSOLE: kho_crc: boot pass: .* on 2 CPUs \(busiest [1-8]?[0-9]%\)
#
# hop 0: khotrace status; khotrace record around a 16 MiB Live Update
#        memfd preserved and unpreserved (kho_preserve_bench) and the kexec
#        load; report as text and HTML in one run (both exported to the host);
#        khotrace snapshot; kexec -e. Both CPUs share each of kho_crc's
#        passes of its reboot, neither reading 90 % of the bytes (its
#        console). The ~12 MiB of ranges hold one of 4 MiB: claimed in
#        address order, the busiest CPU reads at most 67 % of them when
#        both run alike; a claim that took every range gave 98-100 %.
# hop 1: khotrace verify (the manifest arrives in the Live Update session
#        'khotrace'). Both CPUs share kho_crc's boot pass too.
#
# No other Live Update session is held across this kexec: Live Update
# writes the metadata of every held session into preserved pages at
# reboot, after the snapshot, and verify cannot yet tell those pages from
# corrupted ones (upstream-selftests covers sessions held across kexec).

# run_kt_out NAME FILE ARGS...: khotrace ARGS into FILE, rc in $rc; its
# wall time as a diagnostic (make bench breaks the cycle down by step)
run_kt_out()
{
	local name=$1 out=$2 t0 t1

	shift 2
	now_ms t0
	khotrace "$@" > "$out" 2>&1
	rc=$?
	now_ms t1
	kt_diag "step: $name ms=$((t1 - t0))"
	kt_eq "khotrace $name exits 0" 0 "$rc"
}

scenario_hop()
{
	if [ "$HOP" -eq 0 ]; then
		run_kt_out status /tmp/status.txt status
		make_initrd
		run_kt_out record /tmp/record.txt record -o /state/cycle.rec -- sh -c \
			"kho_preserve_bench -s 16 -r 1 && kexec -l /boot/bzImage --initrd=/tmp/initrd.cpio -s --append='$(next_cmdline)'"
		# of which khotrace's start: "Tracing KHO (..., attached in T ms)"
		kt_diag "step: record_start ms=$(sed -n 's/^Tracing KHO (.*attached in \([0-9]*\) ms).*/\1/p' /tmp/record.txt)"
		# one run for the text and the HTML page ("Wrote FILE" on stderr)
		run_kt_out report /tmp/report.txt report -i /state/cycle.rec --html /tmp/cycle.html
		sed -i '/^Wrote \/tmp\/cycle.html$/d' /tmp/report.txt
		kt_check "report --html wrote the page" grep -q "</html>" /tmp/cycle.html
		kt_check "report lists the Live Update memfd" grep -q "luo" /tmp/report.txt
		kt_check "report shows the kexec segments in scratch" \
			grep -q "fdt_finalize\|SEGMENTS" /tmp/report.txt
		run_kt_out snapshot /tmp/snapshot.txt snapshot
		cat /tmp/status.txt /tmp/record.txt /tmp/snapshot.txt > /tmp/before.txt
		kt_export /tmp/before.txt before.txt
		kt_export /tmp/report.txt report.txt
		kt_export /tmp/cycle.html cycle.html
		kt_export /state/cycle.rec cycle.rec
	else
		run_kt_out verify /tmp/verify.txt verify
		kt_check "verify: no mismatches" grep -q "^verify: .* 0 mismatches" /tmp/verify.txt
		kt_export /tmp/verify.txt verify.txt
	fi
}

scenario_kexec()
{
	# loaded under khotrace record above
	kt_diag "kexec -e (leaving hop $HOP)"
	sync
	kexec -e
	kt_fail "kexec exec" "kexec -e returned"
}
