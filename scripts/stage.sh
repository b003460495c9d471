#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stage.sh NAME CMD [ARG...]: one stage of make run / make check.
#
# Runs CMD with all its output in a log, passing through the lines meant
# for a person (those that start "tool: ", e.g. "build-kernel: ..."), and
# prints one line when the stage ends: its time and the time since make
# started (KHOTRACE_T0), or, on failure, the last lines of the log and one
# line naming the stage and the log. Exits with CMD's status.

set -uo pipefail

[[ $# -ge 2 ]] || { echo "usage: stage.sh NAME CMD [ARG...]" >&2; exit 2; }
name=$1
shift
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
logdir=${KHOTRACE_LOGS:-$ROOT/.output/logs}
mkdir -p "$logdir"
log=$logdir/$name.log
t0=${KHOTRACE_T0:-$(date +%s)}
start=$(date +%s)

elapsed() { printf '[%4d s]' $(($(date +%s) - t0)); }

echo "$(elapsed) $name ..." >&2
"$@" 2>&1 | tee "$log" | grep --line-buffered -E '^[a-z][a-z0-9-]*: ' >&2
rc=${PIPESTATUS[0]}
if [[ $rc -eq 0 ]]; then
	echo "$(elapsed) $name: done in $(($(date +%s) - start)) s" >&2
else
	tail -n 20 "$log" | sed 's/^/    /' >&2
	echo "$(elapsed) $name: FAILED after $(($(date +%s) - start)) s (exit $rc); read $log" >&2
fi
exit "$rc"
