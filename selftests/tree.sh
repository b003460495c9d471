#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks of the repository itself (KTAP):
# - every copy of a kernel uapi header under tools/include/uapi equals the
#   header of the patched kernel source, so the copies cannot drift;
# - the cache's default path is spelled in one place (scripts/cache-dir.sh):
#   a second spelling lets a "clean" run read an old cache.
#
#   tree.sh [KERNEL_TREE]   (default: the khotrace flavour's patched tree)

set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
# shellcheck source=selftests/ktap.sh
. "$HERE/ktap.sh"

echo "TAP version 13"
tree=${1:-}
if [[ -z $tree ]]; then
	obj=$("$ROOT/kernel/scripts/build-kernel.sh" khotrace 2>/dev/null)
	tree=$(dirname "$obj")/src
fi

uapi=$ROOT/tools/include/uapi
copies=$(cd "$uapi" && find . -name '*.h' | sed 's|^\./||' | sort)
[[ -n $copies ]]
result $? "tools/include/uapi holds the headers the tools include"
for h in $copies; do
	if [[ ! -f $tree/include/uapi/$h ]]; then
		echo "# $tree/include/uapi/$h: no such header in the patched source"
		result 1 "uapi copy $h equals the patched source's"
		continue
	fi
	diff -u "$tree/include/uapi/$h" "$uapi/$h" | head -n 20 | sed 's/^/# /'
	cmp -s "$tree/include/uapi/$h" "$uapi/$h"
	result $? "uapi copy $h equals the patched source's"
done

# every tracked file but prose (README, man pages) and this check
default=$(KHOTRACE_CACHE= "$ROOT/scripts/cache-dir.sh")
others=$(cd "$ROOT" && git ls-files -co --exclude-standard 2>/dev/null |
	 grep -vE '(\.md|\.txt|\.rst)$' | grep -vxE 'scripts/cache-dir.sh|selftests/tree.sh' |
	 while read -r f; do [[ -f $f ]] && grep -lF -- "$default" "$f"; done)
for f in $others; do
	grep -nF -- "$default" "$ROOT/$f" | sed "s|^|# $f:|"
done
[[ -z $others ]]
result $? "the cache's default path ($default) is spelled only in scripts/cache-dir.sh"

ktap_totals
