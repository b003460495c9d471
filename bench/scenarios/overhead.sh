# SPDX-License-Identifier: GPL-2.0
# DESC: bench: cost of tracing a 256 MiB memfd preservation, and khotrace's event throughput
# CMDLINE: kho=on liveupdate=on
# HOPS: 0
#
# One boot, all modes side by side: untraced; the floors (empty programs
# on the same hooks, bench/floor.bpf.c) for the tracepoint and the fentry
# set; khotrace live (ring buffer + aggregation) and live -e none
# (aggregation only) in both modes; an ftrace kprobe event on
# kho_preserve_folio, the function tracer filtered to kho_*; then khotrace
# live --raw (one event per folio) with several ring buffer sizes for the
# throughput figure. Each BPF mode ends with one more round under the
# kernel's BPF run-time statistics: its programs' ns per call.
# Results leave as diagnostics:
#   bench: mode=M round=N preserve_us=T unpreserve_us=T
#   bench: live mode=M events=E lost=L
#   bench: attach mode=M ms=T            (start to attached, polled every 20 ms)
#   bench: stats mode=M bpfbench: prog name=P cnt=C ns=N ns_per_call=X

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

# timed_start MODE ARGS...: live_start ARGS, with the time to attach
timed_start()
{
	local mode=$1

	shift
	live_start "$@" || return 1
	kt_diag "bench: attach mode=$mode ms=$LIVE_ATTACH_MS"
}

# bpf_stats MODE: ns per call of each program attached now, from the
# kernel's own statistics. They cost two clock reads per program run, so
# they are on only for one extra round, after the timed ones.
bpf_stats()
{
	local pid

	bpfbench stats-on > /tmp/stats-on.out 2>&1 &
	pid=$!
	for _ in $(seq 500); do
		grep -q "stats on" /tmp/stats-on.out && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.02
	done
	kho_preserve_bench -s "$SIZE" -r 1 > /dev/null 2>&1
	bpfbench stats | while read -r l; do kt_diag "bench: stats mode=$1 $l"; done
	kill -INT $pid
	wait $pid
}

# floor_run SET: the rounds under the empty program set SET (tp|fentry)
floor_run()
{
	local mode=floor-$1 t0 t1

	now_ms t0
	bpfbench floor "$1" > /tmp/floor.out 2>&1 &
	FLOOR=$!
	for _ in $(seq 15000); do
		grep -q "bpfbench: floor" /tmp/floor.out && break
		kill -0 $FLOOR 2>/dev/null || break
		sleep 0.02
	done
	if ! grep -q "bpfbench: floor" /tmp/floor.out; then
		kt_diag "bench: $mode not attached: $(tail -n1 /tmp/floor.out)"
		return 0
	fi
	now_ms t1
	kt_diag "bench: attach mode=$mode ms=$((t1 - t0))"
	bench_rounds "$mode"
	bpf_stats "$mode"
	kill -INT $FLOOR
	wait $FLOOR
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

	kt_diag "bench: kernel release=$(uname -r)"
	bench_rounds untraced
	# the disabled-tracepoint figure needs only this, on two kernels
	[ "$MODES" = untraced ] && return 0

	floor_run tp
	if timed_start live; then
		bench_rounds live
		bpf_stats live
		live_stop live
	fi
	if timed_start aggregate -e none; then
		bench_rounds aggregate
		bpf_stats aggregate
		live_stop aggregate
	fi
	floor_run fentry
	if timed_start live-fentry --mode=fentry; then
		bench_rounds live-fentry
		bpf_stats live-fentry
		live_stop live-fentry
	fi
	if timed_start aggregate-fentry --mode=fentry -e none; then
		bench_rounds aggregate-fentry
		bpf_stats aggregate-fentry
		live_stop aggregate-fentry
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
		if timed_start "raw-$rb" --raw --ringbuf-size=$rb; then
			ROUNDS=1 bench_rounds "raw-$rb"
			live_stop "raw-$rb"
		fi
	done
}

scenario_kexec()
{
	:
}
