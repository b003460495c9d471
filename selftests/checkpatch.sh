#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every patch of the kernel series is checkpatch --strict clean and applies
# in order on the pristine source (KTAP, one test point per patch and check).

set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
KSRC=${KSRC:-$("$ROOT/kernel/scripts/fetch-source.sh" --cached)}
# shellcheck source=selftests/ktap.sh
. "$HERE/ktap.sh"

echo "TAP version 13"
# the cover letter is checked by hand, not applied
patches=()
for p in "$ROOT"/kernel/patches/[0-9]*.patch; do
	[[ -e $p && $(basename "$p") != 0000-* ]] && patches+=("$p")
done
echo "1..$((2 * ${#patches[@]}))"

tree=$(mktemp -d)
trap 'git -C "$KSRC" worktree remove --force "$tree" >/dev/null 2>&1; rm -rf "$tree"' EXIT
git -C "$KSRC" worktree add -q --detach "$tree" pristine 2>/dev/null

for p in "${patches[@]}"; do
	name=$(basename "$p")
	total=$(cd "$KSRC" && ./scripts/checkpatch.pl --strict "$p" 2>/dev/null | grep '^total:')
	echo "# $name: $total"
	[[ $total == "total: 0 errors, 0 warnings, 0 checks"* ]]
	result $? "checkpatch --strict $name"
	git -C "$tree" -c user.name=khotrace -c user.email=khotrace@localhost am -q "$p" >/dev/null 2>&1
	rc=$?
	[[ $rc -eq 0 ]] || git -C "$tree" am --abort >/dev/null 2>&1
	result $rc "applies in order: $name"
done
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
[[ $fail -eq 0 ]]
