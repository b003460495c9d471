# SPDX-License-Identifier: GPL-2.0
# DESC: hostile input to /sys/kernel/kho (garbage, 1 MiB, partial, concurrent, racing Live Update, unprivileged); a kexec still hands over
# CMDLINE: kho=on liveupdate=on
# HOPS: 1
#
# hop 0: every write to active that is not "0" or "1" (+ newline) fails
#        with EINVAL and changes nothing, also 1 MiB long, NUL-embedded
#        or split into single bytes; eight concurrent writers leave a
#        consistent state (dt exists iff active is 1); dt reads at odd
#        offsets return exactly the bytes of a full read; a dt opened
#        before an abort reads nothing afterwards; activate/abort races
#        a Live Update preserve/unpreserve loop without breaking it;
#        user nobody can neither write active, read dt nor see a kernel
#        address in the KHO files, tracefs or kallsyms, and khotrace
#        status run by nobody fails naming the file it cannot read. The
#        runner fails the boot on any WARNING/BUG/Oops on the console.
# hop 1: the handover still arrived.

ACTIVE=$KHO_SYS/active
DT=$KHO_SYS/dt
RACE_SECONDS=$(cmdline_param khotrace.race_seconds 10)

state() { cat $ACTIVE; }

# write_errno VALUE [BS]: write VALUE (printf %b escapes) to active with
# dd (BS bytes per write, default all at once); prints the strerror text
# of the first failed write, or "ok"
write_errno()
{
	local out

	if out=$(printf '%b' "$1" | dd of=$ACTIVE bs="${2:-1048576}" 2>&1); then
		echo ok
	else
		echo "$out" | sed -n 's/^dd: .*: //p' | head -n1
	fi
}

# consistent: active is 0 without dt, or 1 with dt
consistent()
{
	case $(state) in
	0) [ ! -e $DT ] ;;
	1) [ -e $DT ] ;;
	*) false ;;
	esac
}

check_garbage()
{
	local v got

	for v in 2 -1 10 on yes true 0x1 ' 1' '1 ' '\n' '1\n\n' '1\r\n' 01 +1 00 '1\0junk' '0\0'; do
		got=$(write_errno "$v")
		kt_eq "write '$v' to active (inactive): EINVAL" "Invalid argument" "$got"
		kt_eq "state after '$v'" 0 "$(state)"
	done
	printf '' > $ACTIVE
	kt_eq "open active and write nothing: no state change" 0 "$(state)"
	kt_eq "0 while inactive: EALREADY" "Operation already in progress" "$(write_errno 0)"

	got=$(dd if=/dev/zero bs=1048576 count=1 2>/dev/null | tr '\0' 1 | dd of=$ACTIVE bs=1048576 2>&1)
	kt_check "1 MiB of '1' to active fails" test -n "$got"
	kt_diag "1 MiB of '1': ${got##*: }"
	kt_eq "state after 1 MiB of '1'" 0 "$(state)"
	got=$(dd if=/dev/zero bs=1048576 count=1 2>/dev/null | dd of=$ACTIVE bs=1048576 2>&1)
	kt_diag "1 MiB of NUL: ${got##*: }"
	kt_eq "state after 1 MiB of NUL" 0 "$(state)"
	kt_check "no dt after garbage" test ! -e $DT

	echo 1 > $ACTIVE
	for v in 2 on '1\0junk' 01; do
		kt_eq "write '$v' to active (active): EINVAL" "Invalid argument" "$(write_errno "$v")"
		kt_eq "still active after '$v'" 1 "$(state)"
	done
	kt_eq "1 while active: EBUSY" "Device or resource busy" "$(write_errno 1)"
	echo 0 > $ACTIVE
	kt_eq "aborted" 0 "$(state)"
}

# "1\n" one byte per write(): the first write enters, the lone newline is garbage
check_partial()
{
	kt_eq "'1\\n' in 1-byte writes: the newline alone is EINVAL" "Invalid argument" \
		"$(write_errno '1\n' 1)"
	kt_eq "active after the first byte" 1 "$(state)"
	kt_check "dt present after a partial write" test -e $DT
	kt_eq "'0\\n' in 1-byte writes" "Invalid argument" "$(write_errno '0\n' 1)"
	kt_eq "aborted by the first byte" 0 "$(state)"
}

check_concurrent()
{
	local i pids=

	for i in 1 2 3 4 5 6 7 8; do
		(
			end=$(($(date +%s) + 3))
			while [ "$(date +%s)" -lt $end ]; do
				echo 1 > $ACTIVE; echo 0 > $ACTIVE
				cat $DT > /dev/null
			done
		) 2>/dev/null &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086
	wait $pids
	kt_check "8 concurrent writers: state consistent" consistent
	kt_diag "after the writers: active=$(state)"
	echo 0 > $ACTIVE 2>/dev/null
	kt_eq "inactive after the writers" 0 "$(state)"
}

check_dt_offsets()
{
	local size off ok=0 bad=

	echo 1 > $ACTIVE
	cat $DT > /tmp/dt.full
	size=$(wc -c < /tmp/dt.full)
	kt_check "dt is an FDT (fdtdump)" fdtget /tmp/dt.full / compatible
	for off in 0 1 7 13 63 4095 4096 4097 $((size - 1)) $size $((size + 1)) $((size + 4096)) 1048576; do
		dd if=$DT bs=1 skip=$off count=29 2>/dev/null > /tmp/dt.part
		dd if=/tmp/dt.full bs=1 skip=$off count=29 2>/dev/null > /tmp/dt.want
		if cmp -s /tmp/dt.part /tmp/dt.want; then
			ok=$((ok + 1))
		else
			bad="$bad $off"
		fi
	done
	kt_check "dt at 13 odd offsets == the full read (bad:$bad)" test -z "$bad"
	kt_check "dt read 3 bytes at a time == the full read" \
		sh -c "dd if=$DT bs=3 2>/dev/null | cmp - /tmp/dt.full"

	exec 3< $DT
	echo 0 > $ACTIVE
	kt_check "dt gone after abort" test ! -e $DT
	if dd bs=4096 count=1 <&3 2>/tmp/dt.err | cmp -s - /tmp/dt.full; then
		kt_diag "dt opened before the abort still reads the old FDT"
	else
		kt_diag "dt opened before the abort: $(tail -n1 /tmp/dt.err) ($(wc -c < /tmp/dt.err) bytes of error)"
	fi
	exec 3<&-
	kt_check "dt unreadable after abort" sh -c "! cat $DT 2>/dev/null"
}

# activate/abort while Live Update preserves and unpreserves 16 MiB in a loop
check_race_luo()
{
	local bench end n=0

	if ! command -v kho_preserve_bench > /dev/null; then
		kt_skip "activate/abort racing Live Update" "kho_preserve_bench not in the guest"
		return 0
	fi
	kho_preserve_bench -s 16 -r 20 > /tmp/bench.out 2>&1 &
	bench=$!
	end=$(($(date +%s) + RACE_SECONDS))
	while [ "$(date +%s)" -lt $end ] && kill -0 $bench 2>/dev/null; do
		echo 1 > $ACTIVE && n=$((n + 1))
		echo 0 > $ACTIVE
	done
	kt_diag "$n activate/abort cycles while kho_preserve_bench ran"
	wait $bench
	kt_eq "kho_preserve_bench -s 16 -r 20 exits 0 under activate/abort" 0 "$?"
	kt_eq "kho_preserve_bench: 20 rounds" 20 "$(grep -c '^round=' /tmp/bench.out)"
	kt_check "activate/abort cycles ran" test $n -gt 0
	kt_eq "inactive after the race" 0 "$(state)"
}

denied() { case $1 in *denied*) true ;; *) false ;; esac; }

check_unprivileged()
{
	local out f rc

	kt_eq "active is 0600" "-rw-------" "$(ls -l $ACTIVE | cut -c1-10)"
	out=$(as_nobody "echo 1 > $ACTIVE" 2>&1)
	kt_check "nobody: write 1 to active refused: $out" denied "$out"
	kt_eq "state after nobody's write" 0 "$(state)"

	echo 1 > $ACTIVE
	kt_eq "dt is 0400" "-r--------" "$(ls -l $DT | cut -c1-10)"
	kt_check "nobody: dt unreadable" sh -c "! su nobody -s /bin/sh -c 'cat $DT' > /dev/null 2>&1"
	out=$(as_nobody "echo 0 > $ACTIVE" 2>&1)
	kt_check "nobody: abort refused: $out" denied "$out"
	kt_eq "still active after nobody's abort" 1 "$(state)"
	echo 0 > $ACTIVE

	for f in $KHO_DBG/out/memory_map $KHO_DBG/out/subtrees $KHO_DBG/bootlog \
		 $KHO_DBG/out/scratch_phys /sys/kernel/tracing/trace /sys/kernel/debug/tracing/trace \
		 /sys/kernel/tracing/events/kho/kho_preserve/format; do
		out=$(as_nobody "cat $f" 2>/dev/null | head -c 256)
		kt_check "nobody reads nothing from $f" test -z "$out"
	done
	out=$(as_nobody "grep -E ' (kho_|kexec_handover)' /proc/kallsyms" 2>/dev/null |
		grep -v '^0000000000000000' | head -n1)
	kt_check "nobody: kallsyms shows no KHO address" test -z "$out"
	out=$(as_nobody "khotrace status" 2>&1)
	rc=$?
	kt_diag "nobody: khotrace status: $(echo "$out" | grep -E '0x[0-9a-f]{6,}' | head -n1)"
	kt_check "nobody: khotrace status prints no address" \
		test -z "$(echo "$out" | grep -E '0x[0-9a-f]{6,}' | head -n1)"
	# a KHO file it cannot read is an error naming the file, not "KHO disabled"
	kt_eq "nobody: khotrace status fails (exit 1)" 1 "$rc"
	echo "$out" > /tmp/status-nobody.txt
	kt_check "nobody: khotrace status names what it cannot read: $(head -n1 /tmp/status-nobody.txt)" \
		grep -q '^khotrace: status: /sys/kernel/[a-z/_]*: Permission denied$' /tmp/status-nobody.txt
	as_nobody "khotrace live -d 1" > /dev/null 2>&1
	kt_eq "nobody: khotrace live refuses (exit 1)" 1 "$?"
}

scenario_hop()
{
	if [ "$HOP" -eq 0 ]; then
		kt_eq "inactive at boot" 0 "$(state)"
		check_garbage
		check_partial
		check_concurrent
		check_dt_offsets
		check_race_luo
		check_unprivileged
		kt_check "consistent before the kexec" consistent
		return 0
	fi
	kt_check "KHO data found after the hostile writes" \
		dmesg_has "KHO: found kexec handover data"
	kt_eq "inactive after the kexec" 0 "$(state)"
}
