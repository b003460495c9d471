#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run: one full KHO cycle in QEMU — khotrace records the handover,
# snapshots it, the kernel kexecs, khotrace verifies it — then print the
# report, the verdict and where the HTML picture of the cycle is.

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${RUN_DIR:-$ROOT/.output/run}
files=$RUN_DIR/cycle/files

"$ROOT/vmtest/vmtest.sh" -s cycle --run-dir "$RUN_DIR"
rc=$?

for f in report.txt verify.txt; do
	if [[ -f $files/$f ]]; then
		echo
		echo "### $f (from the guest)"
		cat "$files/$f"
	fi
done
echo
if [[ -f $files/cycle.html ]]; then
	echo "HTML report of the cycle: $files/cycle.html"
fi
echo "console logs and records: $RUN_DIR/cycle"
exit $rc
