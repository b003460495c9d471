# SPDX-License-Identifier: GPL-2.0
# DESC: bench: cost of tracing a 256 MiB memfd preservation, and khotrace's event throughput
# CMDLINE: kho=on liveupdate=on
# HOPS: 0
#
# One boot, all modes side by side: untraced, khotrace live (ring buffer
# + aggregation), khotrace live -e none (aggregation only), an ftrace
# kprobe event on kho_preserve_folio, the function tracer filtered to
# kho_*; then khotrace live --raw (one event per folio) with several ring
# buffer sizes for the throughput figure. Results leave as diagnostics:
#   bench: mode=M round=N preserve_us=T unpreserve_us=T
#   bench: live mode=M events=E lost=L

SIZE=$(cmdline_param khotrace.bench_mib 256)
MODES=$(cmdline_param khotrace.bench_modes all)
ROUNDS=$(cmdline_param khotrace.bench_rounds 5)
TR=/sys/kernel/tracing

bench_rounds()
{
	kho_preserve_bench -s "$SIZE" -r "$ROUNDS" > /tmp/bench.out 2>&1
	kt_eq "bench $1 ran" 0 "$?"
	while read -r l; do kt_diag "bench: mode=$1 $l"; done < /tmp/bench.out
}

live_stop()
{
	kill -INT $LIVE
	wait $LIVE
	kt_diag "bench: live mode=$1 $(tail -n1 /tmp/live.err | sed -E 's/([0-9]+) events, ([0-9]+) lost/events=\1 lost=\2/')"
}

scenario_hop()
{
	local rb

	bench_rounds untraced
	# the disabled-tracepoint figure needs only this, on two kernels
	[ "$MODES" = untraced ] && return 0

	if live_start; then
		bench_rounds live
		live_stop live
	fi
	if live_start -e none; then
		bench_rounds aggregate
		live_stop aggregate
	fi

	echo 'p:khobench kho_preserve_folio' >> $TR/kprobe_events
	echo 1 > $TR/events/kprobes/khobench/enable
	bench_rounds kprobe
	echo 0 > $TR/events/kprobes/khobench/enable
	echo '-:khobench' >> $TR/kprobe_events

	echo 'kho_*' > $TR/set_ftrace_filter
	echo function > $TR/current_tracer
	bench_rounds function
	echo nop > $TR/current_tracer
	echo > $TR/set_ftrace_filter

	for rb in 256K 4M 64M; do
		if live_start --raw --ringbuf-size=$rb; then
			ROUNDS=1 bench_rounds "raw-$rb"
			live_stop "raw-$rb"
		fi
	done
}

scenario_kexec()
{
	:
}
