# SPDX-License-Identifier: GPL-2.0
# DESC: khotrace under stress (4K ring buffer, signals, two instances) and Live Update data integrity across a kexec
# CMDLINE: kho=on liveupdate=on
# HOPS: 1
#
# hop 0: coalesced live at the default ring buffer size under
#        kho_preserve_bench -s 256 -r 1: 0 lost, every event printed;
#        live --raw with a 4 KiB ring buffer under kho_preserve_bench -s 64
#        -r 3: lost events are counted and printed at exit; record + report
#        --json: preserved bytes >= 3 x 64 MiB and every preserved byte
#        unpreserved again (the bench closes its sessions); SIGINT, SIGTERM
#        and SIGKILL during load and while tracing leave no BPF program or
#        link behind (bpf_progs); two instances at once; then luo_integrity
#        fills N sessions x M memfds (64 MiB; khotrace.integrity_kib= per
#        memfd for more) and holds them across the kexec.
# hop 1: every byte of every memfd retrieved and compared: zero mismatches.

MIB=1048576
INTEG_N=8
INTEG_M=8
INTEG_KIB=$(cmdline_param khotrace.integrity_kib 1024)

# The kernel frees detached tracing programs after an RCU tasks-trace
# grace period, which takes a while after the process is gone: give it
# up to 20 s before calling a program left behind.
no_bpf_left()
{
	for _ in $(seq 40); do
		[ "$(bpf_progs)" = "progs=0 links=0" ] && return 0
		usleep 500000
	done
	return 1
}

check_overload()
{
	local lost

	if ! live_start --raw --ringbuf-size=4K; then
		kt_fail "live --ringbuf-size=4K attaches" "$(tail -n1 /tmp/live.err)"
		return 0
	fi
	kho_preserve_bench -s 64 -r 3 > /dev/null 2>&1
	kt_eq "kho_preserve_bench -s 64 -r 3 under live" 0 "$?"
	kill -INT $LIVE
	wait $LIVE
	kt_eq "live --ringbuf-size=4K exits 0 on SIGINT" 0 "$?"
	kt_diag "live: $(tail -n1 /tmp/live.err)"
	lost=$(sed -n 's/^[0-9]* events, \([0-9]*\) lost$/\1/p' /tmp/live.err)
	kt_check "live prints the lost count at exit" test -n "$lost"
	kt_check "a 4 KiB ring buffer under 3 x 64 MiB loses events (lost=$lost)" test "${lost:-0}" -gt 0
}

# Coalesced live, at the default ring buffer size, keeps up with a 256
# MiB memfd preservation (about 65 k folio calls, each way): nothing
# lost, and every event it counted is a line of its output (the lines are
# buffered, written when the ring buffer drains and at exit), some of
# them before it exits.
# khotrace.keepup_args= gives live more options, e.g.
# --ringbuf-size=4K to see the check fail.
check_keeps_up()
{
	local args line ev lost lines running

	args=$(cmdline_param khotrace.keepup_args "")
	# shellcheck disable=SC2086 # the options are words
	if ! live_start $args; then
		kt_fail "live ${args:-(defaults)} attaches" "$(tail -n1 /tmp/live.err)"
		return 0
	fi
	kho_preserve_bench -s 256 -r 1 > /dev/null 2>&1
	kt_eq "kho_preserve_bench -s 256 -r 1 under live" 0 "$?"
	# idle now: what live has read is written within a poll (100 ms)
	sleep 1
	running=$(($(wc -l < /tmp/live.out) - 1))
	kill -INT $LIVE
	wait $LIVE
	kt_eq "live ${args:-(defaults)} exits 0 on SIGINT" 0 "$?"
	line=$(tail -n1 /tmp/live.err)
	kt_diag "live ${args:-(coalesced, default ring buffer)}: $line"
	ev=$(echo "$line" | sed -n 's/^\([0-9]*\) events, [0-9]* lost$/\1/p')
	lost=$(echo "$line" | sed -n 's/^[0-9]* events, \([0-9]*\) lost$/\1/p')
	kt_check "coalesced live keeps up with 256 MiB: 0 lost ($line)" test "${lost:-none}" = 0
	# the column header, then one line per event
	lines=$(($(wc -l < /tmp/live.out) - 1))
	kt_check "every event live counted is a line of its output ($ev events, $lines lines)" \
		test "${ev:-0}" -gt 0 -a "$lines" -eq "${ev:-0}"
	# the last coalesced ranges wait in BPF's per-CPU slots until exit
	kt_check "lines are written while live runs, not only at exit ($running of $lines)" \
		test "$running" -gt 0
	# kho_alloc_preserve()'s folio is an event of its own, printed before
	# the alloc event (same phys): the caller's next folios, adjacent or
	# not, never merge into it (a merge gave them its producer)
	kt_check "each alloc's folio is its own event, just before the alloc's" \
		awk '{ pid = $4 }
		/ preserve +kind=/ {
			k = $0
			sub(/.* preserve +kind=/, "", k)
			split(k, f, " ")
			if (f[1] == "alloc") { n++; if (last[pid] != "folio " f[2] " 1") bad++ }
			last[pid] = f[1] " " f[2] " " (k !~ / calls=/)
		}
		END { exit !(n > 0 && bad == 0) }' /tmp/live.out
}

check_totals()
{
	local pres unpres

	khotrace record -o /tmp/stress.rec -- kho_preserve_bench -s 64 -r 3 > /dev/null 2>&1
	kt_eq "record -- kho_preserve_bench -s 64 -r 3" 0 "$?"
	khotrace --json report -i /tmp/stress.rec > /tmp/stress.json
	kt_eq "report --json" 0 "$?"
	pres=$(json_u64 preserved_bytes /tmp/stress.json)
	kt_diag "preserved_bytes=$pres lost=$(json_u64 lost /tmp/stress.json)"
	kt_check "preserved bytes >= 3 x 64 MiB ($pres)" test "${pres:-0}" -ge $((3 * 64 * MIB))
	unpres=$(json_u64 unpreserved_bytes /tmp/stress.json)
	kt_diag "unpreserved_bytes=$unpres"
	# the bench's 3 x 64 MiB come back; preservations by others (Live
	# Update's own metadata) may stay
	kt_check "the bench's bytes unpreserved again ($unpres)" test "${unpres:-0}" -ge $((3 * 64 * MIB))
	check_coalesced
}

# The coalesced events add up to the exact totals: every call merged
# into an event is counted once, by BPF's totals and by its event.
check_coalesced()
{
	local lost events totals

	khotrace report -i /tmp/stress.rec > /tmp/stress.txt
	lost=$(json_u64 lost /tmp/stress.json)
	# the producer rows, summed: bytes and calls of the events
	events=$(awk '/^# Preserved by producer/ { on = 1; next } /^#/ { on = 0 }
		on && $1 ~ /^[0-9]+$/ { b += $1; c += $3 } END { print b + 0, c + 0 }' /tmp/stress.txt)
	totals=$(sed -n 's/^# preserved: \([0-9]*\) bytes in \([0-9]*\) calls.*/\1 \2/p' /tmp/stress.txt)
	kt_diag "coalesced events: bytes calls = $events; exact totals: $totals; lost $lost"
	if [ "${lost:-1}" != 0 ]; then
		kt_skip "coalesced events add up to the exact totals" "$lost events lost"
		return 0
	fi
	kt_check "coalesced events add up to the exact totals ($events vs $totals)" \
		test "$events" = "$totals"
}

# kill_at SIG DELAY_US: khotrace live killed with SIG after DELAY_US
kill_at()
{
	local pid

	khotrace live -d 60 > /dev/null 2>&1 &
	pid=$!
	usleep "$2"
	kill -"$1" $pid
	wait $pid
	kt_check "SIG$1 after $(($2 / 1000)) ms: no BPF program or link left ($(bpf_progs))" no_bpf_left
}

check_signals()
{
	local sig

	if ! command -v bpf_progs > /dev/null; then
		kt_skip "signals leave no BPF program" "selftests/vm/bpf_progs not built"
		return 0
	fi
	kt_check "no BPF program before ($(bpf_progs))" no_bpf_left
	for sig in INT TERM KILL; do
		kill_at $sig 200000
		kill_at $sig 3000000
	done
	khotrace live -d 3 > /tmp/a.out 2>&1 &
	a=$!
	khotrace live -d 3 > /tmp/b.out 2>&1 &
	b=$!
	wait $a
	kt_eq "two instances: first exits 0" 0 "$?"
	wait $b
	kt_eq "two instances: second exits 0" 0 "$?"
	kt_check "two instances: nothing left ($(bpf_progs))" no_bpf_left
}

scenario_hop()
{
	local out rc

	if [ "$HOP" -eq 0 ]; then
		check_keeps_up
		check_overload
		check_totals
		check_signals
		if ! command -v luo_integrity > /dev/null; then
			kt_skip "luo_integrity fill" "selftests/vm/luo_integrity not built"
			return 0
		fi
		out=$(luo_integrity fill -n $INTEG_N -m $INTEG_M -s "$INTEG_KIB" 2>&1)
		rc=$?
		kt_eq "luo_integrity fill ($out)" 0 "$rc"
		echo yes > $STATE/integrity
		return 0
	fi
	if [ ! -e $STATE/integrity ]; then
		kt_skip "luo_integrity check" "nothing held in hop 0"
		return 0
	fi
	out=$(luo_integrity check -n $INTEG_N -m $INTEG_M -s "$INTEG_KIB" 2>&1)
	rc=$?
	kt_eq "luo_integrity check: every byte ($(echo "$out" | tail -n1))" 0 "$rc"
	kt_check "zero mismatches" sh -c "echo '$out' | grep -q 'mismatches=0$'"
}
