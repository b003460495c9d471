#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Proof that vmtest's verdict can fail: the chain scenario booted with
# kho=off must fail, naming the handover checks that broke; the rollout
# scenario with the kernel without the series at every boot (--kernel)
# must fail, naming the hop that should have run the series kernel.

set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
pass=0 fail=0 n=0

check()
{
	n=$((n + 1))
	if eval "$2"; then
		echo "ok $n $1"; pass=$((pass + 1))
	else
		echo "not ok $n $1"; fail=$((fail + 1))
	fi
}

echo "TAP version 13"
echo "1..7"
out=$("$ROOT/vmtest/vmtest.sh" -q -s chain -n 1 --append kho=off 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "vmtest exits 1 when the kernel runs with kho=off" '[[ $rc -eq 1 ]]'
check "the verdict names the missing handover data" \
	'grep -q "^not ok [0-9]* chain: hop1: KHO data found" <<< "$out"'
check "the verdict names the reserve_mem region that was not revived" \
	'grep -q "^not ok [0-9]* chain: hop1: reserve_mem revived" <<< "$out"'
check "the summary line counts the failures" \
	'grep -Eq "^vmtest: [0-9]+ passed, [1-9][0-9]* failed" <<< "$out"'
kdir=$("$ROOT/kernel/scripts/build-kernel.sh" upstream 2>/dev/null)
out=$("$ROOT/vmtest/vmtest.sh" -q -s rollout --kernel "$kdir/arch/x86/boot/bzImage" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "vmtest exits 1 when rollout never boots the kernel with the series" '[[ $rc -eq 1 ]]'
check "status names the kernel that ran instead" \
	'grep -q "^not ok [0-9]* rollout: hop1: status names this kernel" <<< "$out"'
check "verify's view of the two sides says it too" \
	'grep -q "^not ok [0-9]* rollout: hop1: verify names both sides" <<< "$out"'
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
[[ $fail -eq 0 ]]
