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
#
# A round runs untraced, every BPF mode and both peers once, each under
# programs or a tracer attached or enabled for that round alone, and all
# on one memfd: a single kho_preserve_bench (-i, bench_serve) preserves
# and unpreserves the same folios in every round of every mode. Where
# each round had a memfd of its own, where its folios landed moved the
# round: six untraced memfds of one boot took 36.4 to 38.3 ms apiece,
# a spread as large as the cost of counting each call (an empty program
# 47.2 ms, one per-CPU counter 49.1 ms). report.py takes each round's own
# ratio of a mode to untraced and to its floor, and their median.
#
# The workload runs on CPU 1 and every tracer's process, once attached,
# on CPU 0: the figure is what a mode's programs cost the preserving CPU;
# its consumer's own speed is figure 2b's. Unpinned, live's user space
# (its consumer, its read of the kernel's symbols) shared that CPU in
# some rounds: 3 of one bench's 9 live rounds took 72-78 ms, the others
# 54-60; pinned, 1 of 18 in two runs was slow (81 ms), the rest 49-62.
# Results leave as diagnostics:
#   bench: mode=M round=N preserve_us=T unpreserve_us=T
#   bench: live mode=M events=E lost=L
#   bench: attach mode=M ms=T            (start to attached, polled every 20 ms)
#   bench: stats mode=M bpfbench: prog name=P cnt=C ns=N ns_per_call=X

SIZE=$(cmdline_param khotrace.bench_mib 256)
MODES=$(cmdline_param khotrace.bench_modes all)
ROUNDS=$(cmdline_param khotrace.bench_rounds 5)
TR=/sys/kernel/tracing

# bench_rounds MODE N: round N (or the statistics round) under MODE, by
# the one kho_preserve_bench of every round (bench_serve)
bench_rounds()
{
	local l

	# once it has ended, a write to its fifo would kill this shell
	if [ -n "$SERVE_ENDED" ]; then
		kt_fail "bench $1 round $2 ran" "kho_preserve_bench -i had ended"
		return 0
	fi
	echo "mode=$1 round=$2" >&3
	read -r l <&4
	case $l in
	"mode=$1 round=$2 preserve_us="*)
		kt_diag "bench: $l"
		;;
	*)
		kt_fail "bench $1 round $2 ran" "${l:-kho_preserve_bench -i ended}"
		SERVE_ENDED=1
		;;
	esac
}

# bench_serve: the one kho_preserve_bench that runs every numbered round,
# a round for each line written to fd 3, its result read from fd 4: a
# blocking read, where a poll of a file would run on a vCPU meanwhile
bench_serve()
{
	mkfifo /tmp/kpb.in /tmp/kpb.out
	taskset -c 1 kho_preserve_bench -s "$SIZE" -i < /tmp/kpb.in > /tmp/kpb.out 2>&1 &
	exec 3> /tmp/kpb.in 4< /tmp/kpb.out
}

# off_bench_cpu PID: every thread of PID on CPU 0, once it has attached
# (its start keeps both CPUs), away from the workload on CPU 1
off_bench_cpu()
{
	taskset -a -p -c 0 "$1" > /dev/null 2>&1 ||
		kt_diag "bench: could not move $1 to CPU 0"
}

# timed_start MODE ARGS...: live_start ARGS, with the time to attach
timed_start()
{
	local mode=$1

	shift
	live_start "$@" || return 1
	kt_diag "bench: attach mode=$mode ms=$LIVE_ATTACH_MS"
	off_bench_cpu $LIVE
}

# bpf_stats MODE: ns per call of each program attached now, from the
# kernel's own statistics. They cost two clock reads per program run, so
# they are on only for one extra round, after the timed ones, on the
# same memfd (only one process at a time may open /dev/liveupdate).
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
	off_bench_cpu $pid
	bench_rounds "$1" stats
	bpfbench stats | while read -r l; do kt_diag "bench: stats mode=$1 $l"; done
	kill -INT $pid
	wait $pid
}

# floor_round SET N [STATS]: round N under the empty program set SET
# (tp|fentry), attached for it; with STATS, the statistics round after it
floor_round()
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
	off_bench_cpu $FLOOR
	bench_rounds "$mode" "$2"
	[ -n "$3" ] && bpf_stats "$mode"
	kill -INT $FLOOR
	wait $FLOOR
}

live_stop()
{
	kill -INT $LIVE
	wait $LIVE
	kt_diag "bench: live mode=$1 $(tail -n1 /tmp/live.err | sed -E 's/([0-9]+) events, ([0-9]+) lost/events=\1 lost=\2/')"
}

# live_round MODE N STATS ARGS...: round N under khotrace live ARGS,
# attached for it; with STATS non-empty, the statistics round after it
live_round()
{
	local mode=$1 n=$2 stats=$3

	shift 3
	timed_start "$mode" "$@" || return 0
	bench_rounds "$mode" "$n"
	[ -n "$stats" ] && bpf_stats "$mode"
	live_stop "$mode"
}

# peer_round MODE N: round N under the ftrace kprobe event (kprobe) or the
# function tracer (function), enabled for it
peer_round()
{
	case $1 in
	kprobe)
		echo 'p:khobench kho_preserve_folio' >> $TR/kprobe_events
		echo 1 > $TR/events/kprobes/khobench/enable
		bench_rounds kprobe "$2"
		echo 0 > $TR/events/kprobes/khobench/enable
		echo '-:khobench' >> $TR/kprobe_events
		;;
	function)
		echo 'kho_*' > $TR/set_ftrace_filter
		echo function > $TR/current_tracer
		bench_rounds function "$2"
		echo nop > $TR/current_tracer
		echo > $TR/set_ftrace_filter
		;;
	esac
}

scenario_hop()
{
	local rb n last=

	kt_diag "bench: kernel release=$(uname -r)"
	# the disabled-tracepoint figure needs only this, on two kernels
	bench_serve
	if [ "$MODES" = untraced ]; then
		for n in $(seq "$ROUNDS"); do
			bench_rounds untraced "$n"
		done
		exec 3>&- 4<&-
		wait
		return 0
	fi

	for n in $(seq "$ROUNDS"); do
		[ "$n" -eq "$ROUNDS" ] && last=1
		bench_rounds untraced "$n"
		floor_round tp "$n" $last
		live_round live "$n" "$last"
		live_round aggregate "$n" "$last" -e none
		floor_round fentry "$n" $last
		live_round live-fentry "$n" "$last" --mode=fentry
		live_round aggregate-fentry "$n" "$last" --mode=fentry -e none
		peer_round kprobe "$n"
		peer_round function "$n"
	done

	for rb in 256K 4M 64M; do
		live_round "raw-$rb" 1 "" --raw --ringbuf-size=$rb
	done
	exec 3>&- 4<&-
	wait
}

scenario_kexec()
{
	:
}
