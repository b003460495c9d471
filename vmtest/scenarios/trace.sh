# SPDX-License-Identifier: GPL-2.0
# DESC: khotrace status/live/record/report across a KHO cycle; the report lists every producer
# CMDLINE: kho=on liveupdate=on kho_scratch=16M,64M,32M reserve_mem=4M:4096:khotrace_rm
# HOPS: 1
#
# Hop 0: khotrace status, then khotrace record around a Live Update memfd
# preservation (upstream's luo_kexec_simple stage 1) and the kexec load;
# the report must list the memfd producer with the bytes preserved.
# Hop 1: status in the new kernel; luo_kexec_simple stage 2 restores.

# check_exact BEFORE: what khotrace recorded (preserved - unpreserved) is
# exactly what the kernel's preserved-memory map grew by
check_exact()
{
	local after pres unpres

	after=$(map_bytes out)
	khotrace --json report -i /state/cycle.rec > /tmp/cycle.json 2>&1
	pres=$(json_u64 preserved_bytes /tmp/cycle.json)
	unpres=$(json_u64 unpreserved_bytes /tmp/cycle.json)
	kt_diag "memory_map grew by $((after - $1)) bytes; recorded preserved $pres - unpreserved $unpres"
	kt_eq "recorded bytes == growth of the kernel's preserved-memory map" \
		"$((after - $1))" "$((pres - unpres))"
}

# The same workload traced with the tracepoint set, with the fentry
# fallback set and with totals only (-e none: no event, so the folio
# programs skip reading the folio's address) gives exactly the same totals.
compare_modes()
{
	local m k

	for m in tracepoints fentry none; do
		case $m in
		none) set -- -e none ;;
		*) set -- --mode=$m ;;
		esac
		khotrace record "$@" -o /tmp/$m.rec -- kho_preserve_bench -s 16 -r 1 \
			> /tmp/$m.out 2>&1
		kt_eq "record $* exits 0" 0 "$?"
		khotrace --json report -i /tmp/$m.rec > /tmp/$m.json 2>&1
	done
	for k in preserved_bytes unpreserved_bytes; do
		kt_diag "$k: tracepoints $(json_u64 $k /tmp/tracepoints.json) fentry $(json_u64 $k /tmp/fentry.json) -e none $(json_u64 $k /tmp/none.json)"
		kt_eq "$k: fentry == tracepoints" "$(json_u64 $k /tmp/tracepoints.json)" \
			"$(json_u64 $k /tmp/fentry.json)"
		kt_eq "$k: -e none == tracepoints" "$(json_u64 $k /tmp/tracepoints.json)" \
			"$(json_u64 $k /tmp/none.json)"
	done
	# -e none: the totals without a single event
	kt_eq "record -e none holds no events" 0 "$(json_u64 events /tmp/none.json)"
}

scenario_hop()
{
	if ! command -v khotrace >/dev/null; then
		kt_fail "khotrace in the initramfs" "make -C tools/khotrace static"
		return 0
	fi

	khotrace status > /tmp/status.out 2>&1
	kt_eq "khotrace status exits 0" 0 "$?"
	sed 's/^/status: /' /tmp/status.out | while IFS= read -r l; do kt_diag "$l"; done

	if [ "$HOP" -eq 0 ]; then
		map_before=$(map_bytes out)
		khotrace record -o /state/cycle.rec -- luo_kexec_simple -s 1 > /tmp/record.out 2>&1
		kt_eq "khotrace record exits 0" 0 "$?"
		check_exact "$map_before"
		sed 's/^/record: /' /tmp/record.out | while IFS= read -r l; do kt_diag "$l"; done
		khotrace report -i /state/cycle.rec > /tmp/report.out 2>&1
		kt_eq "khotrace report exits 0" 0 "$?"
		sed 's/^/report: /' /tmp/report.out | while IFS= read -r l; do kt_diag "$l"; done
		kt_check "report lists the memfd producer" grep -qi "memfd\|luo" /tmp/report.out
		compare_modes
	else
		kt_run luo_kexec_simple:stage2 luo_kexec_simple -s 2
	fi
}
