# SPDX-License-Identifier: GPL-2.0
# DESC: fleet: preflight go and no-go, export of real cycles, diff of two cycles
# CMDLINE: kho=on kho_crc=on liveupdate=on kho_scratch=16M,64M,32M reserve_mem=4M:4096:khotrace_rm
# HOPS: 2
#
# hop 0 (cold boot): preflight says no-go with no image loaded, and with an
#        image loaded by kexec_load (no -s): the loader, and its segments
#        outside the scratch areas; --kernel says the image would fit
#        (tight-scratch has the no-go of an image that would not). Then khotrace record around a 16 MiB
#        Live Update memfd preservation, the kexec -s load, snapshot, and
#        preflight says go (no earlier cycle: no blackout expectation); a
#        memfd preserved after the snapshot makes it stale (no-go).
# hop 1: verify --json --output, export (Prometheus text and JSON, with the
#        recording of hop 0 and --history) agrees with the kernel and with
#        verify; then the same with 64 MiB: preflight go, now expecting a
#        blackout from hop 1's cycle.
# hop 2: verify, export, and diff of the two real cycles: the producer's
#        bytes grew by 48 MiB, --threshold gates, --json rows.
#
# The files land in the run directory (files/) for the host side of the
# fleet checks (selftests/dist.sh fixtures come from here).

STATE_DIR=/var/lib/khotrace
HISTORY=$STATE_DIR/cycles
MIB=1048576
CLOCKSOURCE=/sys/devices/system/clocksource/clocksource0/current_clocksource

# pf NAME ARGS...: khotrace preflight ARGS into /tmp/pf-NAME.txt, rc in $rc
pf()
{
	local name=$1

	shift
	khotrace preflight "$@" > /tmp/pf-"$name".txt 2>&1
	rc=$?
	sed "s/^/preflight $name: /" /tmp/pf-"$name".txt | while IFS= read -r l; do kt_diag "$l"; done
}

# load_and_snapshot MIB REC: record the preservation of a MIB MiB memfd
# into REC (in /state before the initramfs is made: it reaches the next
# hop), load the kernel with kexec -s, then snapshot
load_and_snapshot()
{
	# fentry programs: they time each call (latency histograms for diff)
	khotrace record --mode fentry -o "$2" -- kho_preserve_bench -s "$1" -r 1 > /tmp/record.txt 2>&1
	kt_eq "record the preservation of $1 MiB exits 0" 0 "$?"
	make_initrd
	kexec -l /boot/bzImage --initrd=/tmp/initrd.cpio -s --append="$(next_cmdline)" \
		> /tmp/kexec.out 2>&1
	kt_eq "kexec -l -s loads" 0 "$?"
	khotrace snapshot > /tmp/snapshot.txt 2>&1
	kt_eq "snapshot exits 0" 0 "$?"
}

check_go()
{
	local holder

	pf go
	kt_eq "preflight with a snapshot and an image loaded with -s: go (exit 0)" 0 "$rc"
	kt_check "preflight says go" grep -q '^preflight: go$' /tmp/pf-go.txt
	kt_check "preflight: the loader is kexec_file_load" grep -q '^ok  *loader ' /tmp/pf-go.txt
	kt_check "preflight: every segment in the scratch areas" grep -q '^ok  *scratch ' /tmp/pf-go.txt
	kt_check "preflight: the snapshot is current" grep -q '^ok  *snapshot .*, current: ' /tmp/pf-go.txt
	kt_check "preflight: the khotrace session and its holder" \
		grep -q "^info  *sessions  *1 Live Update session: 'khotrace' held by pid [0-9]* (khotrace-hold)" /tmp/pf-go.txt
	kt_check "preflight: the reserve_mem region goes along" \
		grep -q '^info  *reserve_mem  *1 region goes along: khotrace_rm at 0x[0-9a-f]* (4194304 bytes)' /tmp/pf-go.txt
	holder=$(sed -n "s/^info .*'khotrace' held by pid \([0-9]*\).*/\1/p" /tmp/pf-go.txt)
	kt_eq "the holder's argv[0] starts with '@' (spared by systemd-shutdown)" \
		"@khotrace-hold" "$(tr '\0' '\n' < /proc/"$holder"/cmdline | head -n1)"
	khotrace preflight --json > /tmp/pf-go.json 2>&1
	kt_check "preflight --json: verdict go" grep -q '"verdict":"go"' /tmp/pf-go.json
}

# check_export HOP REC: verify, then export with the recording REC
check_export()
{
	local prom=/tmp/cycle$1.prom json=/tmp/cycle$1.json total bytes i=0

	# The kernel converts its TSC stamps with tsc_khz, which the TSC's
	# refined calibration changes a few seconds into the boot (by 0.32 %
	# in a hop whose export read the blackout before it and report
	# --cycle after: 14 ms of 4.4 s). It switches the clocksource from
	# tsc-early to tsc: both reads come after that, or after 10 s.
	while [ $i -lt 100 ] && grep -qx tsc-early $CLOCKSOURCE; do
		sleep 0.1
		i=$((i + 1))
	done
	mkdir -p $HISTORY
	khotrace verify --json --output $STATE_DIR/verify.json > /tmp/verify.txt 2>&1
	kt_eq "verify --json --output exits 0" 0 "$?"
	kt_check "verify's JSON says ok" grep -q '"outcome":"ok"' $STATE_DIR/verify.json
	khotrace export --record "$2" --history $HISTORY -o $prom > /tmp/export.txt 2>&1
	kt_eq "export exits 0" 0 "$?"
	[ -s /tmp/export.txt ] && kt_diag "export: $(cat /tmp/export.txt)"
	khotrace export --record "$2" --json -o $json > /tmp/export.txt 2>&1
	kt_eq "export --json exits 0" 0 "$?"
	sed 's/^/  /' $prom | while IFS= read -r l; do kt_diag "$l"; done
	kt_check "export: verify outcome ok" grep -qx 'khotrace_verify_outcome{outcome="ok"} 1' $prom
	kt_check "export: no mismatch of any kind" \
		test "$(grep -c '^khotrace_verify_mismatches{kind="[a-z]*"} 0$' $prom)" -eq 6
	kt_check "export: the kexec count" grep -qx "khotrace_kexecs_total $1" $prom
	kt_check "export: previous and current release" \
		grep -qx "khotrace_kernel_info{release=\"$(uname -r)\",previous_release=\"$(uname -r)\"} 1" $prom
	kt_check "export: KHO, kho_crc and the series present" \
		test "$(grep -cE '^khotrace_kho_(enabled|crc_enabled|series_present|boot) 1$' $prom)" -eq 4
	khotrace report --cycle --json > /tmp/cycle.json 2>&1
	total=$(json_u64 total_ns /tmp/cycle.json)
	# past the TSC's refined calibration: the two reads agree to 0.1 %
	secs=$(sed -n 's/^khotrace_blackout_seconds //p' $prom)
	kt_check "export: the blackout total is report --cycle's ($total ns, exported $secs s)" \
		awk -v t="$total" -v s="$secs" \
		'BEGIN { d = s * 1e9 - t; if (d < 0) d = -d; exit !(s != "" && d <= t / 1000) }'
	kt_check "export: every phase but the last" \
		test "$(grep -c '^khotrace_blackout_phase_seconds{' $prom)" -eq \
		"$(($(grep -o '"phase"' /tmp/cycle.json | wc -l) - 1))"
	bytes=$(sed -n 's/^khotrace_preserved_bytes{producer="luo\/memfd"} //p' $prom)
	kt_check "export: luo/memfd preserved the recorded memfd ($bytes bytes)" \
		test "${bytes:-0}" -ge $((16 * MIB))
	kt_check "export --json reads as a cycle (diff of itself)" \
		khotrace diff $json $json
	kt_export $prom "cycle$1.prom"
	kt_export $json "cycle$1.json"
	kt_export $STATE_DIR/verify.json "verify$1.json"
	kt_export $KHO_DBG/blackout "blackout$1.txt"
	kt_export "$2" "record$(($1 - 1)).rec"
	# for hop 2's diff: in /state before load_and_snapshot makes the initramfs
	cp $json /state/
}

scenario_hop()
{
	case $HOP in
	0)
		pf none
		kt_eq "preflight with no image loaded: no-go (exit 1)" 1 "$rc"
		kt_check "preflight names it: no image" grep -q '^no-go  *image .*no kexec image loaded' /tmp/pf-none.txt
		kt_check "preflight names it: no snapshot" grep -q '^no-go  *snapshot .*none' /tmp/pf-none.txt
		kt_check "preflight lists every reason" grep -q '^preflight: no-go (2 reasons)$' /tmp/pf-none.txt
		kt_export /tmp/pf-none.txt preflight-none.txt

		make_initrd
		pf plan --kernel /boot/bzImage --initrd /tmp/initrd.cpio --no-snapshot
		kt_eq "preflight --kernel before loading: it would fit (exit 0)" 0 "$rc"
		kt_check "preflight names where: the kernel in a scratch area" \
			grep -q '^ok  *scratch  */boot/bzImage would fit the 3 scratch areas' /tmp/pf-plan.txt

		kexec -l -c /boot/bzImage --initrd=/tmp/initrd.cpio --append="$(next_cmdline)" > /tmp/kexec.out 2>&1
		kt_eq "kexec -l -c (kexec_load, no -s) loads" 0 "$?"
		pf syscall --no-snapshot
		kt_eq "preflight with an image loaded without -s: no-go (exit 1)" 1 "$rc"
		kt_check "preflight names it: the loader" grep -q '^no-go  *loader .*kexec_load' /tmp/pf-syscall.txt
		kt_check "preflight names it: segments outside the scratch areas" \
			grep -q '^no-go  *scratch .* segments outside the [0-9]* scratch areas (0x' /tmp/pf-syscall.txt
		kt_export /tmp/pf-syscall.txt preflight-syscall.txt
		kexec -u

		load_and_snapshot 16 /state/rec0.rec
		check_go
		kt_check "preflight: no earlier cycle, no blackout expectation" \
			grep -q '^info  *blackout  *no expectation: no earlier cycle' /tmp/pf-go.txt
		kt_export /tmp/pf-go.txt preflight-go0.txt

		kho_preserve_bench -s 1 -H > /tmp/late.txt 2>&1
		pf stale
		kt_eq "preflight after a later preservation: no-go (exit 1)" 1 "$rc"
		kt_check "preflight names it: the snapshot is stale" \
			grep -q '^no-go  *snapshot .*stale: [1-9][0-9]* ranges preserved' /tmp/pf-stale.txt
		kt_check "preflight: the stale snapshot is the only reason" grep -q '^preflight: no-go (1 reason)$' /tmp/pf-stale.txt
		kill "$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' /tmp/late.txt)" 2>/dev/null
		sleep 1
		;;
	1)
		check_export 1 /state/rec0.rec
		load_and_snapshot 64 /state/rec1.rec
		check_go
		kt_check "preflight: a blackout expected from hop 1's cycle" \
			grep -q '^info  *blackout  *expect [0-9.]* s: .* 1 earlier cycle cannot tell' /tmp/pf-go.txt
		kt_check "preflight --json: the slopes of hop 1's cycle" \
			grep -q '"slopes":{"cycles":1,' /tmp/pf-go.json
		kt_export /tmp/pf-go.txt preflight-go1.txt
		;;
	2)
		check_export 2 /state/rec1.rec
		khotrace diff /state/cycle1.json /tmp/cycle2.json > /tmp/diff.txt 2>&1
		rc=$?
		sed 's/^/  /' /tmp/diff.txt | while IFS= read -r l; do kt_diag "$l"; done
		kt_eq "diff of the two cycles exits 0" 0 "$rc"
		kt_check "diff: a row for the blackout total" grep -q ' total$' /tmp/diff.txt
		kt_check "diff: a row for the retrieve phase" grep -q ' retrieve (in)$' /tmp/diff.txt
		kt_check "diff: the latency histograms of both recordings" \
			grep -q '^ .* p99_ns  *preserve$' /tmp/diff.txt
		kt_check "diff: luo/memfd preserved 48 MiB more" \
			awk '$NF == "luo/memfd" && $(NF-1) == "bytes" { d = $3 } END { exit !(d >= 48 * 1048576) }' /tmp/diff.txt
		kt_export /tmp/diff.txt diff.txt
		khotrace diff --threshold 1000000 /state/cycle1.json /tmp/cycle2.json > /dev/null 2>&1
		kt_eq "diff --threshold 1000000: within (exit 0)" 0 "$?"
		khotrace diff --json /state/cycle1.json /tmp/cycle2.json > /tmp/diff.json 2>&1
		kt_check "diff --json: rows" grep -q '"section":"blackout","name":"total"' /tmp/diff.json
		;;
	esac
}

scenario_kexec()
{
	# loaded by load_and_snapshot
	kt_diag "kexec -e (leaving hop $HOP)"
	sync
	kexec -e
	kt_fail "kexec exec" "kexec -e returned"
}
