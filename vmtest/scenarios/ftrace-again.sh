# SPDX-License-Identifier: GPL-2.0
# DESC: the function tracer, alone and beside an ftrace kprobe, enabled three times in one boot: every round records the traced calls (x86 ftrace once made the call of a callback at an odd address a jmp)
# CMDLINE: kho=on liveupdate=on
# HOPS: 0

TR=/sys/kernel/tracing
FTR_FN=ksys_read

# ftr_odd SYMBOL: "SYMBOL odd" or "SYMBOL even" from its address in kallsyms
ftr_odd()
{
	local a

	a=$(awk -v s="$1" '$3 == s { print $1; exit }' /proc/kallsyms)
	case $a in
	'') echo "$1 absent" ;;
	*[13579bdf]) echo "$1 odd" ;;
	*) echo "$1 even" ;;
	esac
}

# ftr_calls PATTERN: how many lines of the trace match PATTERN, after a
# read(2) of a file, which goes through ksys_read(). The buffer stops
# while grep reads it, whose own reads would feed it as fast.
ftr_calls()
{
	cat /proc/version > /dev/null
	echo 0 > $TR/tracing_on
	grep -c "$1" $TR/trace
	echo 1 > $TR/tracing_on
}

ftr_off()
{
	echo nop > $TR/current_tracer
	echo 0 > $TR/events/kprobes/enable 2>/dev/null
	echo > $TR/kprobe_events
	echo > $TR/set_ftrace_filter
}

scenario_hop()
{
	local n calls odd

	# The bug needs a callback at an odd address, which GCC before 14 at
	# -Os gives; say whether this build has one, so that a pass on a build
	# without one is not read as proof of the fix.
	odd="$(ftr_odd function_trace_call), $(ftr_odd ftrace_ops_list_func)"
	kt_diag "callbacks: $odd"
	case $odd in
	*odd*) ;;
	*) kt_skip "a callback at an odd address in this build" \
		"none: the rounds below pass without the fix too" ;;
	esac
	for n in 1 2 3; do
		echo > $TR/trace
		echo $FTR_FN > $TR/set_ftrace_filter
		echo function > $TR/current_tracer
		calls=$(ftr_calls " $FTR_FN <-")
		kt_check "round $n: the function tracer records $FTR_FN ($calls calls)" \
			test "${calls:-0}" -gt 0

		# a second ftrace_ops on the same function: the call site goes
		# through ftrace_regs_caller (a kprobe saves the registers) and
		# ftrace_ops_list_func()
		echo "p:kprobes/khotrace_ftr $FTR_FN" > $TR/kprobe_events &&
			echo 1 > $TR/events/kprobes/khotrace_ftr/enable
		kt_diag "round $n: $(grep "^$FTR_FN " $TR/enabled_functions)"
		echo > $TR/trace
		calls=$(ftr_calls "khotrace_ftr:")
		kt_check "round $n: an ftrace kprobe beside it records $FTR_FN ($calls hits)" \
			test "${calls:-0}" -gt 0
		calls=$(ftr_calls " $FTR_FN <-")
		kt_check "round $n: the function tracer still records $FTR_FN beside the kprobe" \
			test "${calls:-0}" -gt 0
		ftr_off
	done
	return 0
}

scenario_kexec()
{
	kt_fail "no kexec in this scenario" "scenario_kexec called"
}
