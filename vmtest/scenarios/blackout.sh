# SPDX-License-Identifier: GPL-2.0
# DESC: the kexec blackout timeline (TSC stamps out and in) and how retrieve grows with preserved memory
# CMDLINE: kho=on liveupdate=on khotrace.kept_kib=unclaimed
# HOPS: 2
#
# hop 0: a cold boot: /sys/kernel/debug/kho/blackout says "no kexec";
#        a Live Update session holds a 16 MiB memfd (kho_preserve_bench -H)
#        across the kexec.
# hop 1: the timeline has every phase, out then in, in order; the total
#        equals the sum of the phases within the clock's resolution; the
#        retrieve phase walked the 16 MiB. Then 256 MiB across the next kexec.
# hop 2: the same checks; retrieve walked more than 256 MiB and took longer
#        than with 16 MiB. khotrace report --cycle, when built, agrees.

BLACKOUT=$KHO_DBG/blackout
PHASES="reboot luo_freeze dev_shutdown cpu_shutdown jump populate retrieve buddy alloc_up luo_restore initcalls kho_init rootfs init_wait userspace"
MIB=1048576

# field FILE PHASE KEY: the value of KEY= on PHASE's line
field()
{
	sed -n "s/^phase=$2 .* $3=\([0-9-]*\).*/\1/p" "$1"
}

# hold MIB: leave a holder process with a Live Update session that
# preserves a MIB MiB memfd until the kexec
hold()
{
	local out

	out=$(kho_preserve_bench -s "$1" -H 2>&1)
	kt_eq "kho_preserve_bench -s $1 -H holds the session" 0 "$?"
	kt_diag "$out"
}

# check_timeline FILE: order, completeness and the sum of the phases
check_timeline()
{
	local f=$1 names khz total sum

	names=$(sed -n 's/^phase=\([a-z_]*\) .*/\1/p' "$f" | tr '\n' ' ')
	kt_eq "every phase is stamped, out then in" "$PHASES" "${names% }"
	kt_check "stamps never go back" awk -F'[ =]' '
		/^phase=/ { for (i = 1; i < NF; i++) if ($i == "tsc") t = $(i + 1) + 0
			    if (t < last) exit 1; last = t }' "$f"
	kt_check "ns offsets start at 0 at reboot" test "$(field "$f" reboot ns)" = 0

	khz=$(sed -n 's/^clock=tsc tsc_khz=\([0-9]*\).*/\1/p' "$f")
	kt_check "the clock is the TSC with a calibrated frequency" test "${khz:-0}" -gt 0
	total=$(sed -n 's/^total tsc=[0-9]* ns=\([0-9]*\).*/\1/p' "$f")
	kt_check "a total from reboot to userspace" test -n "$total"
	# each phase converted on its own, rounded down: the sum may be short
	# of the total by less than 1 ns per phase
	sum=$(awk -F'[ =]' -v khz="$khz" '
		/^phase=/ { for (i = 1; i < NF; i++) if ($i == "tsc") t = $(i + 1)
			    if (n++) s += int((t - last) * 1000000 / khz); last = t }
		END { printf "%.0f\n", s }' "$f")
	kt_diag "total_ns=$total sum_of_phases_ns=$sum"
	kt_check "total equals the sum of the phases (within 1 ns a phase)" \
		test $((total - sum)) -ge 0 -a $((total - sum)) -le "$(echo $PHASES | wc -w)"
	kt_check "the way out ends where the way in starts" \
		test "$(field "$f" jump ns)" -lt "$(field "$f" populate ns)"
}

# retrieve_ns FILE: duration of the retrieve phase
retrieve_ns()
{
	echo $(($(field "$1" buddy ns) - $(field "$1" retrieve ns)))
}

scenario_hop()
{
	local f=/tmp/blackout.txt bytes dur

	if ! [ -r $BLACKOUT ]; then
		kt_fail "$BLACKOUT exists" "not in this kernel"
		return
	fi
	cat $BLACKOUT > $f
	sed 's/^/  /' $f | while IFS= read -r line; do kt_diag "$line"; done

	if [ "$HOP" -eq 0 ]; then
		kt_eq "a cold boot has no kexec" "no kexec" "$(grep -v '^#' $f)"
		hold 16
		return
	fi

	check_timeline $f
	bytes=$(field $f retrieve bytes)
	dur=$(retrieve_ns $f)
	kt_diag "retrieve: ranges=$(field $f retrieve ranges) bytes=$bytes ns=$dur"
	kt_export $f "blackout-hop$HOP.txt"

	if command -v khotrace > /dev/null && khotrace report --cycle > /tmp/cycle.txt 2>&1; then
		kt_ok "khotrace report --cycle"
		sed 's/^/  /' /tmp/cycle.txt | while IFS= read -r line; do kt_diag "$line"; done
		kt_check "report --cycle shows the retrieve phase" grep -q "retrieve" /tmp/cycle.txt
	else
		kt_skip "khotrace report --cycle" "$(head -1 /tmp/cycle.txt 2>/dev/null)"
	fi

	if [ "$HOP" -eq 1 ]; then
		kt_check "retrieve walked the 16 MiB memfd" test "$bytes" -ge $((16 * MIB))
		echo "$bytes $dur" > $STATE/blackout-hop1
		hold 256
		return
	fi

	set -- $(cat $STATE/blackout-hop1)
	kt_check "retrieve walked the 256 MiB memfd" test "$bytes" -ge $((256 * MIB))
	kt_check "retrieve grows with preserved memory ($1 -> $bytes bytes)" test "$bytes" -gt "$1"
	kt_check "retrieve takes longer with more memory ($2 -> $dur ns)" test "$dur" -gt "$2"
}
