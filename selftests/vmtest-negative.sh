#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Proof that vmtest's verdict can fail, and that vmtest itself behaves:
# - the chain scenario booted with kho=off must fail, naming the handover
#   checks that broke; the rollout scenario with the kernel without the
#   series at every boot (--kernel) must fail, naming the hop that should
#   have run the series kernel;
# - markers printed on the kernel console are no results (only the guest's
#   result port counts): selftests/scenarios/console-marker.sh forges some;
# - a vmtest stopped with TERM exits 143 and leaves no QEMU behind;
# - --smp sets the guest's vCPUs, and wants a positive number;
# - a scenario's CONSOLE: headers pass and fail on the kernel console;
# - vmtest --shell boots, runs the commands fed on its stdin, kexecs into
#   the next kernel from the shell, and exits with the shell's status.

set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VMTEST=$ROOT/vmtest/vmtest.sh
# shellcheck source=selftests/ktap.sh
. "$HERE/ktap.sh"

check()
{
	eval "$2"
	result $? "$1"
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "TAP version 13"
out=$("$VMTEST" -q --smp 0 -s chain 2>&1)
rc=$?
check "vmtest --smp 0 is a usage error" \
	'[[ $rc -eq 2 ]] && grep -q -- "--smp wants a positive number" <<< "$out"'
out=$("$VMTEST" -q -s chain -n 1 --append kho=off 2>&1)
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
out=$("$VMTEST" -q -s rollout --kernel "$kdir/arch/x86/boot/bzImage" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "vmtest exits 1 when rollout never boots the kernel with the series" '[[ $rc -eq 1 ]]'
check "status names the kernel that ran instead" \
	'grep -q "^not ok [0-9]* rollout: hop1: status names this kernel" <<< "$out"'
check "verify's view of the two sides says it too" \
	'grep -q "^not ok [0-9]* rollout: hop1: verify names both sides" <<< "$out"'

# markers on the console: written there (the console log has them), yet
# no result, no exported file; the one real result passes
run=$TMP/marker
out=$("$VMTEST" -q --smp 1 -s "$HERE/scenarios/console-marker.sh" --run-dir "$run" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "the forged markers reached the console" \
	'grep -q "@@KT@@ not ok hop0: forged on the console" "$run/console-marker/console.log" &&
	 grep -q "@@KT@@ ok hop0: forged in the kernel log" "$run/console-marker/console.log"'
check "vmtest exits 0: a 'not ok' on the console is no result" '[[ $rc -eq 0 ]]'
check "the result port's result counts" \
	'grep -q "^ok [0-9]* console-marker: hop0: the result port carries this result" <<< "$out"'
check "no forged result in the verdict" '! grep -q "forged" <<< "$out"'
check "no file exported from the console" '[[ ! -e $run/console-marker/files/forged.txt ]]'
check "--smp 1 booted the guest with one CPU" \
	'grep -q "smp: Brought up 1 node, 1 CPU$" "$run/console-marker/console.log"'

# CONSOLE: headers, checked on the host: the line the console shows
# passes, the one it does not show fails the run
out=$("$VMTEST" -q -s "$HERE/scenarios/console-expect.sh" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "vmtest exits 1 when the console lacks a CONSOLE: line" '[[ $rc -eq 1 ]]'
check "a CONSOLE: line the console shows passes" \
	'grep -q "^ok [0-9]* console-expect: console shows /smp: Brought up 1 node, 1 CPU/$" <<< "$out"'
check "a CONSOLE: line it does not show fails, named" \
	'grep -q "^not ok [0-9]* console-expect: console shows /no kernel prints (this|that) line/ # no such line" <<< "$out"'
out=$("$VMTEST" -q --smp 2 -s "$HERE/scenarios/console-expect.sh" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "with other vCPUs than its SMP:, a scenario's CONSOLE: lines are skipped" \
	'[[ $rc -eq 0 ]] && [[ $(grep -c "console shows .* # SKIP booted with 2 vCPUs" <<< "$out") -eq 2 ]]'

# TERM while a guest runs: the EXIT trap stops every QEMU it started
run=$TMP/killed
"$VMTEST" -q -s chain -n 1 --run-dir "$run" > "$TMP/killed.out" 2>&1 &
vm=$!
for _ in $(seq 600); do
	[[ -s $run/chain/console.pid ]] && break
	kill -0 "$vm" 2>/dev/null || break
	sleep 1
done
qemu=$(cat "$run/chain/console.pid" 2>/dev/null)
echo "# QEMU of the run: pid ${qemu:-none}"
sleep 5
kill -TERM "$vm"
wait "$vm"
rc=$?
sed 's/^/# /' "$TMP/killed.out"
check "vmtest stopped with TERM exits 143" '[[ $rc -eq 143 ]]'
check "its QEMU is gone" '[[ -n $qemu ]] && ! pgrep -f -- "$run/" > /dev/null'
# should the check above fail, stop the QEMU it names (by its pidfile)
[[ -n $qemu && $(cat "/proc/$qemu/comm" 2>/dev/null) == qemu-system-* ]] && kill "$qemu"

# the shell: commands on stdin, one per prompt, across a kexec
out=$(printf '%s\n' 'khotrace status' 'echo shell-ran-$((6 * 7))' kho_kexec \
	'cat /proc/cmdline' 'exit 3' | timeout 900 "$VMTEST" --shell 2>&1 | tr -d '\r')
rc=$?
# the boots' kernel messages only when the shell did not exit as told
if [[ $rc -eq 3 ]]; then
	sed -n '/^vmtest shell:/,$p' <<< "$out" | sed 's/^/# /'
else
	echo "$out" | sed 's/^/# /'
fi
check "vmtest --shell exits with the shell's status (exit 3)" '[[ $rc -eq 3 ]]'
check "the shell ran a command fed on stdin" 'grep -q "^shell-ran-42" <<< "$out"'
check "khotrace status ran in the shell" 'grep -q "^KHO: *enabled" <<< "$out"'
check "kho_kexec from the shell handed over to the next kernel" \
	'grep -q "KHO: found kexec handover data" <<< "$out"'
check "the next kernel's shell ran the next command" \
	'grep -q "^console=ttyS0 .*khotrace.shell=1.* khotrace.hop=1" <<< "$out"'
ktap_totals
