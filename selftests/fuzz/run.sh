#!/bin/bash
# SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#
# Run each libFuzzer target for FUZZ_SECONDS over its seed corpus and print
# one KTAP test point per target. Crash inputs are kept in $OUTPUT/ as
# crash-<target>-*; fix the bug, then add the input to corpus/<target>/.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUTPUT=${OUTPUT:-.output}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

usage()
{
	cat <<USAGE
usage: $0 TARGET...
  runs $OUTPUT/fuzz_TARGET for FUZZ_SECONDS (now $FUZZ_SECONDS) seconds each
USAGE
}

# one target: prints the KTAP line, returns non-zero on a crash
fuzz_one()
{
	local n=$1 t=$2 bin="$OUTPUT/fuzz_$2" work="$OUTPUT/corpus/$2" log="$OUTPUT/fuzz_$2.log"
	local dict=() rc=0 execs crashes

	mkdir -p "$work"
	case $t in
	manifest|kho_map) dict=(-dict="$HERE/manifest.dict") ;;
	# the real p_err() says why each value is refused: not into the log
	cli) dict=(-close_fd_mask=2) ;;
	esac
	"$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$OUTPUT/crash-$t-" "${dict[@]}" \
		"$work" "$HERE/corpus/$t" >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	crashes=$(grep -c '^==[0-9]*== *ERROR\|^SUMMARY: \|property violated\|deadly signal' "$log" || true)
	if [[ $rc -eq 0 ]]; then
		echo "ok $n fuzz $t: ${execs:-0} execs, 0 crashes"
		return 0
	fi
	echo "not ok $n fuzz $t: ${execs:-?} execs, crash (exit $rc)"
	grep -m 20 'ERROR\|SUMMARY\|property violated\|#[0-9] \|Test unit written' "$log" |
		sed 's/^/# /'
	echo "# log: $log"
	return 1
}

main()
{
	local n=0 pass=0 fail=0 t

	[[ $# -gt 0 ]] || { usage >&2; exit 2; }
	export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
	echo "TAP version 13"
	echo "1..$#"
	for t in "$@"; do
		n=$((n + 1))
		if fuzz_one "$n" "$t"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
		fi
	done
	echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
	[[ $fail -eq 0 ]]
}

main "$@"
