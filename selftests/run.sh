#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every test suite of `make check` (or `make check-full` with --full),
# show their KTAP, and end with one line summing them all:
#   N passed, N failed, N skipped
# Each suite prints KTAP with a "# Totals: pass:P fail:F ... skip:S" line;
# a suite that exits non-zero without such a line counts as one failure.

set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
FULL=0
[[ ${1:-} == --full ]] && FULL=1

PASS=0
FAIL=0
SKIP=0
SUITES=()

# run_suite NAME CMD...: run CMD, echo its output, add its totals
run_suite()
{
	local name=$1 out rc totals p f s start

	shift
	echo "# suite $name: $*"
	start=$(date +%s)
	out=$(mktemp)
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	totals=$(grep -E '^# Totals: pass:[0-9]+ fail:[0-9]+' "$out" |
		 sed -E 's/.*pass:([0-9]+) fail:([0-9]+).*skip:([0-9]+).*/\1 \2 \3/')
	p=0 f=0 s=0
	if [[ -n $totals ]]; then
		while read -r tp tf ts; do
			p=$((p + tp)) f=$((f + tf)) s=$((s + ts))
		done <<< "$totals"
	fi
	if [[ $rc -ne 0 && $f -eq 0 ]]; then
		echo "# suite $name exited $rc without a failing test point: counted as a failure"
		f=$((f + 1))
	fi
	rm -f "$out"
	PASS=$((PASS + p)) FAIL=$((FAIL + f)) SKIP=$((SKIP + s))
	SUITES+=("$(printf '%-24s %4d passed %4d failed %4d skipped %5d s' "$name" "$p" "$f" "$s" "$(($(date +%s) - start))")")
}

cycles=2
[[ $FULL -eq 1 ]] && cycles=
KSRC=$("$ROOT/kernel/scripts/fetch-source.sh" --cached)

run_suite host make -s -C "$ROOT/tools/khotrace" test KSRC="$KSRC"
run_suite host-sanitizers make -s -C "$ROOT/tools/khotrace" test SANITIZE=1 KSRC="$KSRC"
run_suite fuzz make -s -C "$HERE/fuzz" run FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
run_suite checkpatch env KSRC="$KSRC" "$HERE/checkpatch.sh"
run_suite tree "$HERE/tree.sh"
run_suite bench-report python3 "$ROOT/bench/test_report.py"
run_suite dist "$HERE/dist.sh"
run_suite vmtest-negative "$HERE/vmtest-negative.sh"
if [[ -n $cycles ]]; then
	run_suite vmtest "$ROOT/vmtest/vmtest.sh" -q -n "$cycles" \
		-s chain -s seed-usage -s abort -s upstream-selftests \
		-s tight-scratch -s trace -s verify -s tamper -s crc-mixed -s kho-off -s cycle \
		-s blackout -s hostile -s stress -s fallback -s read-all -s fleet \
		-s rollout -s rollback -s limits -s across-kexec -s ftrace-again
	# the series' code under KASAN, debug_pagealloc, lockdep, kmemleak:
	# every KHO file read on a cold and two KHO boots, a Live Update
	# chain with verify, hostile input, faults injected into the
	# handover (only the debug flavour has the injection points), and
	# the function tracer enabled again and again (series patch 1)
	run_suite vmtest-debug "$ROOT/vmtest/vmtest.sh" -q --flavour debug -n "$cycles" \
		-s read-all -s chain -s hostile -s faults -s ftrace-again
else
	# full size: Live Update integrity over 8 x 8 memfds of 16 MiB (1 GiB);
	# limits with upstream's 2000 sessions and 500 files
	run_suite vmtest "$ROOT/vmtest/vmtest.sh" -q \
		--append "khotrace.integrity_kib=16384 khotrace.limits=full"
	run_suite vmtest-debug "$ROOT/vmtest/vmtest.sh" -q --flavour debug
fi

echo "# summary"
for s in "${SUITES[@]}"; do echo "#   $s"; done
echo "$PASS passed, $FAIL failed, $SKIP skipped"
[[ $FAIL -eq 0 ]]
