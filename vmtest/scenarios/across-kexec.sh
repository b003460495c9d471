# SPDX-License-Identifier: GPL-2.0
# DESC: one trace across the kexec: the old kernel's KHO events reach the new kernel in a persistent trace instance, joined with the blackout stamps
# CMDLINE: kho=on kho_crc=on liveupdate=on reserve_mem=12M:4096:trace trace_instance=boot_map^traceoff@trace khotrace.kept_kib=5120
# HOPS: 2
# CONSOLE: kho_crc: boot pass: .*; [0-9]+ ranges \(12[0-9]{3} KiB\) checksummed earlier
#
# The instance takes its 12 MiB region at trace_init(), before SMP and
# kho_crc's boot pass: the region's ranges are checksummed then, as
# received, with Live Update's state page (hop 1's console).
# The 4 MiB memfd of hop 0 is left unclaimed in hop 1 (kept_kib: 4 MiB
# more than the default bound).
#
# hop 0: a cold boot: report --cycle says there is no previous kernel's
#        trace. khotrace record --across-kexec arms the persistent
#        instance (x86-tsc clock, kho events) beside the BPF recording;
#        a Live Update session holds a 4 MiB memfd; khotrace snapshot
#        (into a file: the memfd's holder has /dev/liveupdate);
#        kexec -l and -e.
# hop 1: report --cycle reads the old kernel's events from the instance
#        and joins them with the blackout stamps: every stamp of the way
#        out is a kho_blackout event with the same TSC, the events are in
#        order, none after the jump, the kexec load's events are there,
#        and no gap between the reboot and the jump is wider than the
#        longest phase of the way out; khotrace verify passes with
#        kho_crc=on, saying that the instance's region and its ranges
#        (written until the jump) are not compared. Then a kexec into a
#        kernel booted without the instance.
# hop 2: report --cycle says this kernel has no persistent instance.

INSTANCE=/sys/kernel/tracing/instances/boot_map
NO_INSTANCE=trace_instance=boot_map^traceoff@trace

# diag_file FILE: FILE as diagnostics
diag_file()
{
	sed 's/^/  /' "$1" | while IFS= read -r line; do kt_diag "$line"; done
}

# cycle_report FILE [ARGS]: khotrace report --cycle into FILE; its exit code
cycle_report()
{
	local f=$1 rc

	shift
	khotrace report --cycle "$@" > "$f" 2> "$f.err"
	rc=$?
	diag_file "$f"
	diag_file "$f.err"
	return $rc
}

# longest_out_ms FILE: the longest phase from the reboot to the jump in ms
# (the report --cycle table; the jump phase itself lasts into the new kernel)
longest_out_ms()
{
	awk '$2 == "out" && $1 != "jump" && $4 != "end" { if ($4 + 0 > m) m = $4 + 0 }
	     END { print m + 0 }' "$1"
}

hop0()
{
	local out rc

	cycle_report /tmp/cycle0.txt
	rc=$?
	kt_eq "a cold boot: report --cycle exits 4" 4 "$rc"
	kt_check "a cold boot: no previous kernel's trace" \
		grep -q "^no previous kernel's trace: a cold boot" /tmp/cycle0.txt

	khotrace record --across-kexec=nosuch -o /tmp/nosuch.rec -- true 2> /tmp/nosuch.err
	kt_eq "record --across-kexec=nosuch exits 4" 4 "$?"
	diag_file /tmp/nosuch.err

	khotrace record --across-kexec -o /state/across.rec -- \
		kho_preserve_bench -s 4 -H > /tmp/record.out 2>&1
	rc=$?
	diag_file /tmp/record.out
	kt_eq "khotrace record --across-kexec exits 0" 0 "$rc"
	kt_eq "the instance runs on the blackout's clock" x86-tsc \
		"$(sed -n 's/.*\[\(.*\)\].*/\1/p' $INSTANCE/trace_clock)"
	kt_eq "the kho events are enabled in the instance" 1 "$(cat $INSTANCE/events/kho/enable)"
	kt_eq "tracing is on in the instance" 1 "$(cat $INSTANCE/tracing_on)"
	kt_check "the preservation was traced into the instance" \
		grep -q "kho_preserve_folio\|kho_preserve_pages\|kho_alloc_preserve" $INSTANCE/trace
	# the instance's region is written until the jump: verify must cope.
	# The memfd's holder has /dev/liveupdate: the manifest goes in a file.
	khotrace snapshot --manifest $STATE/manifest > /tmp/snapshot.out 2>&1
	rc=$?
	diag_file /tmp/snapshot.out
	kt_eq "khotrace snapshot with the instance armed exits 0" 0 "$rc"
}

hop1()
{
	local f=/tmp/cycle1.txt rc gap longest

	kt_check "last_boot_info names the previous kernel" \
		grep -q "\[kernel\]" $INSTANCE/last_boot_info
	cycle_report $f --html /tmp/across.html
	rc=$?
	kt_eq "report --cycle --html exits 0" 0 "$rc"
	kt_export $f across.txt
	kt_export /tmp/across.html across.html
	# the raw files, for the host tests' fixtures
	cat $INSTANCE/trace > /tmp/pt.trace
	kt_export /tmp/pt.trace prevtrace.trace
	kt_export $INSTANCE/trace_clock prevtrace.trace_clock
	kt_export $INSTANCE/last_boot_info prevtrace.last_boot_info
	kt_export $KHO_DBG/blackout prevtrace.blackout
	kt_check "the html page has the timeline" grep -q "<svg" /tmp/across.html

	set -- $(sed -n 's/^# stamps of the way out traced: \([0-9]*\) of \([0-9]*\);.*/\1 \2/p' $f)
	kt_check "the way out has its five stamps" test "${2:-0}" -eq 5
	kt_eq "every stamp of the way out is a kho_blackout event with its TSC" "${2:-x}" "${1:-y}"
	set -- $(sed -n 's/^# old kernel: \([0-9]*\) events kept, \([0-9]*\) in its last \([0-9]*\) ms before the jump, \([0-9]*\) between.*/\1 \2 \3 \4/p' $f)
	kt_diag "old kernel: $1 events kept, $2 in the last $3 ms, $4 on the way out"
	kt_check "the old kernel's events between the reboot and the jump are kept" \
		test "${4:-0}" -ge 5
	kt_check "the events of the kexec load are kept" \
		sh -c "grep -q 'kho_fdt_finalize' $f || grep -q kho_fdt_finalize $INSTANCE/trace"
	kt_check "the new kernel's boot log is in the timeline, after retrieve" awk '
		/ stamp +retrieve phase begins/ { r = 1 }
		r && / boot log +seq=[0-9]+ event=retrieve / { ok = 1 }
		END { exit !ok }' $f
	kt_check "the rows are in time order" awk '
		/^ *-?[0-9]+\.[0-9]+ (old|new) / { if (n++ && $1 + 0 < last) exit 1; last = $1 + 0 }
		END { exit n < 10 }' $f
	kt_check "the old kernel's last event is the jump stamp's own" awk '
		!/^ *-?[0-9]+\.[0-9]+ (old|new) / { next }
		$2 == "old" { last = $0 }
		END { exit last !~ /kho_blackout .*phase=jump / }' $f
	kt_check "the old kernel's rows end before the new kernel's first" awk '
		!/^ *-?[0-9]+\.[0-9]+ (old|new) / { next }
		$2 == "new" { n = 1; next }
		n && $2 == "old" { exit 1 }' $f
	gap=$(sed -n 's/.*widest gap from the reboot to the jump: \([0-9.]*\) ms.*/\1/p' $f)
	longest=$(longest_out_ms $f)
	kt_diag "widest gap ${gap:-?} ms, longest phase of the way out $longest ms"
	kt_check "no gap wider than the longest phase of the way out" \
		awk -v g="${gap:-1e9}" -v l="$longest" 'BEGIN { exit !(g <= l) }'
	kt_check "the last user space event is the marker before kexec -e" \
		grep -q "^# last user space event of the old kernel: .*before kexec -e" $f

	khotrace verify --manifest $STATE/manifest > /tmp/verify.out 2>&1
	rc=$?
	diag_file /tmp/verify.out
	kt_eq "khotrace verify exits 0 beside the trace instance" 0 "$rc"
	kt_check "verify says the instance's region is not compared, and why" \
		grep -q "region trace is trace instance boot_map's ring buffer" /tmp/verify.out
}

hop2()
{
	local rc

	cycle_report /tmp/cycle2.txt
	rc=$?
	kt_eq "report --cycle exits 0 (the blackout is there)" 0 "$rc"
	kt_check "a kernel booted without the instance says so" \
		grep -q "booted without the persistent trace instance" /tmp/cycle2.txt
	cycle_report /tmp/cycle2h.txt --html /tmp/none.html
	kt_eq "report --cycle --html without the previous trace exits 4" 4 "$?"
}

scenario_hop()
{
	if ! [ -d /sys/kernel/tracing/instances ]; then
		kt_fail "tracefs instances" "not in this kernel"
		return
	fi
	case $HOP in
	0) hop0 ;;
	1) hop1 ;;
	*) hop2 ;;
	esac
}

scenario_kexec()
{
	if [ "$HOP" -eq 1 ]; then
		kexec_with "" "$NO_INSTANCE"
		return
	fi
	# the last user space event: the marker just before the reboot
	make_initrd
	kexec -l "$(hop_kernel $((HOP + 1)))" --initrd=/tmp/initrd.cpio -s \
		--append="$(next_cmdline)" || { kt_fail "kexec load" "kexec -l failed"; return 1; }
	kt_ok "kexec load"
	sync
	echo "khotrace: before kexec -e" > $INSTANCE/trace_marker
	kexec -e
	kt_fail "kexec exec" "kexec -e returned"
}
