# SPDX-License-Identifier: GPL-2.0
# DESC: upstream's Live Update limits (thousands of sessions, hundreds of files) through KHO kexecs from a kernel without the series, with khotrace live, status, snapshot and verify timed against them
# CMDLINE: kho=on kho_crc=on liveupdate=on kho_scratch=16M,64M,32M reserve_mem=4M:4096:khotrace_rm
# KERNELS: upstream khotrace khotrace
# HOPS: 2
# MEM: 1G
#
# Full size (khotrace.limits=full on the command line, as make check-full
# runs it): upstream's own stress programs, built from the same source
# (selftests/upstream): luo_stress_sessions holds 2000 Live Update
# sessions, luo_stress_files 500 memfds in one session. CI size (make
# check): luo_integrity holds 100 sessions of 2 memfds each (200 files),
# with every byte checked. The output says which size ran.
#
# Every hop: khotrace live records while the load is held (stage 1) and
# while it is retrieved after the kexec (stage 2); status, snapshot and
# verify run against it. Each is timed (wall and peak RSS, busybox time
# -v; live's peak from VmHWM) and must stay within bounds that leave room
# for TCG: none of them may fail, lose events or take more than
# LIMIT_SECONDS or LIMIT_RSS_KB. verify after the upstream kernel compares
# the reserve_mem region's bytes, as received, with the snapshot.

. /vmtest/handover.sh

SIZE=$(cmdline_param khotrace.limits ci)
LIMIT_SECONDS=60
LIMIT_RSS_KB=65536
INTEGRITY_ARGS="-n 100 -m 2 -s 4"

# timed NAME CMD...: CMD (a khotrace command) timed: its output in
# /tmp/kt.out and as diagnostics, its exit code in $rc, its wall time
# (seconds) and peak RSS (kB) checked against the limits
timed()
{
	local name=$1 wall rss

	shift
	time -v -o /tmp/time.out "$@" > /tmp/kt.out 2>&1
	rc=$?
	sed "s/^/$name: /" /tmp/kt.out | tail -n 20 | while IFS= read -r l; do kt_diag "$l"; done
	wall=$(sed -n 's/.*Elapsed (wall clock) time.*: \([0-9]*\)m \([0-9.]*\)s/\1 \2/p' /tmp/time.out |
	       awk '{ printf "%.2f", $1 * 60 + $2 }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\)/\1/p' /tmp/time.out)
	kt_diag "limits ($SIZE): $name: wall $wall s, peak RSS $rss kB"
	within "$name" "$wall" "$rss"
}

# within NAME WALL RSS: the limits hold
within()
{
	kt_check "$1: wall ${2:-?} s <= $LIMIT_SECONDS s" \
		awk -v w="${2:--1}" -v l=$LIMIT_SECONDS 'BEGIN { exit !(w >= 0 && w <= l) }'
	kt_check "$1: peak RSS ${3:-?} kB <= $LIMIT_RSS_KB kB" test "${3:-999999999}" -le $LIMIT_RSS_KB
}

# load STAGE: hold the load (1) or retrieve and check it (2)
load()
{
	local t0 t1

	t0=$(cut -d' ' -f1 /proc/uptime)
	if [ "$SIZE" = full ]; then
		kt_run "luo_stress_sessions:stage$1" luo_stress_sessions -s "$1"
		kt_run "luo_stress_files:stage$1" luo_stress_files -s "$1"
	elif [ "$1" = 1 ]; then
		kt_check "luo_integrity fill $INTEGRITY_ARGS" luo_integrity fill $INTEGRITY_ARGS
	else
		kt_check "luo_integrity check $INTEGRITY_ARGS: every byte" \
			luo_integrity check $INTEGRITY_ARGS
	fi
	t1=$(cut -d' ' -f1 /proc/uptime)
	kt_diag "limits ($SIZE): load stage $1: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
}

# live_load STAGE: the load's stage with khotrace live recording it
live_load()
{
	local lost hwm

	if ! live_start; then
		kt_fail "khotrace live attaches" "$(tail -n1 /tmp/live.err)"
		load "$1"
		return
	fi
	load "$1"
	hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$LIVE/status)
	kill -INT $LIVE
	wait $LIVE
	kt_eq "khotrace live during stage $1 exits 0" 0 "$?"
	kt_diag "limits ($SIZE): live during stage $1: $(tail -n1 /tmp/live.err), $(wc -l < /tmp/live.out) lines, peak RSS $hwm kB"
	lost=$(sed -n 's/^[0-9]* events, \([0-9]*\) lost$/\1/p' /tmp/live.err)
	kt_eq "khotrace live during stage $1 loses no events" 0 "$lost"
	kt_check "live during stage $1: peak RSS ${hwm:-?} kB <= $LIMIT_RSS_KB kB" \
		test "${hwm:-999999999}" -le $LIMIT_RSS_KB
}

scenario_hop()
{
	local this prev t

	for t in luo_stress_sessions luo_stress_files luo_integrity; do
		kt_check "$t present" test -x /usr/bin/$t
	done
	[ "$HOP" -eq 0 ] && kt_diag "limits: $SIZE size: $(if [ "$SIZE" = full ]; then
		echo "2000 sessions (luo_stress_sessions), 500 files (luo_stress_files)"; else
		echo "100 sessions of 2 files (luo_integrity $INTEGRITY_ARGS); full size with khotrace.limits=full"; fi)"
	this=$(hop_flavour "$HOP")
	if [ "$HOP" -gt 0 ]; then
		prev=$(hop_flavour $((HOP - 1)))
		timed verify khotrace verify
		check_verify_mixed "$prev" "$this"
		live_load 2
		check_incoming
	fi
	[ "$HOP" -lt "$HOPS" ] && live_load 1
	timed status khotrace status
	kt_eq "khotrace status exits 0" 0 "$rc"
	if [ "$HOP" -lt "$HOPS" ]; then
		prepare_outgoing
		timed snapshot khotrace snapshot
		kt_eq "khotrace snapshot exits 0" 0 "$rc"
	fi
	return 0
}
