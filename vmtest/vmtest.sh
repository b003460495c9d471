#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmtest.sh: run KHO kexec scenarios in QEMU and turn them into KTAP.
#
# Each scenario (vmtest/scenarios/NAME.sh) runs inside a busybox initramfs
# across one or more KHO kexecs; the guest reports results as marker lines
# on a serial port of their own (the second; the first is the kernel
# console) and the host numbers them into one KTAP stream. Every QEMU is
# tracked by its -pidfile and stopped when vmtest ends, however it ends.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
SCEN_DIR=$HERE/scenarios

SCENARIOS=()
CYCLES=
KEEP=0
JOBS=1
KERNEL=
UPSTREAM_KERNEL=
KERNEL_GIVEN=0
APPEND=
SMP=
BOOT_TIMEOUT=${VMTEST_BOOT_TIMEOUT:-}
RUN_DIR=
QUIET=0
ACCEL=tcg
FLAVOUR=khotrace
FLAVOUR_APPEND=
SHELL_MODE=0
QEMU_PID=
STAMP_PIDS=

usage()
{
	cat <<EOF
Usage: vmtest.sh [OPTIONS]
       vmtest.sh --shell [-s NAME] [OPTIONS]

Build (or reuse) the khotrace kernel and an initramfs, boot QEMU and run
KHO kexec scenarios; print KTAP and exit with the verdict (0 all passed,
1 a check failed or a boot died, 2 usage, 129, 130, 143 on HUP, INT, TERM;
every QEMU it started is stopped then). The guest reports on a serial
port of its own (its ttyS1); the kernel console (ttyS0) is kept in the
run directory (console.log) and fails a scenario on any kernel error.

With --shell: boot one guest (scenario NAME's command line, memory and
kernels, its hop's checks first; without -s a KHO setup with no checks)
and give an interactive shell on its console, this terminal, with
khotrace, kexec-tools, the next hop's kernel and lib.sh's helpers:
kho_kexec kexecs into the next kernel, whose guest gives a shell again.
Ctrl-A x quits QEMU, Ctrl-A c switches to its monitor; 'exit N' powers
off and vmtest exits N (1 when the guest stops otherwise). A stdin that
is not a terminal is typed in one line per prompt, across kexecs, and its
end is a Ctrl-D:
  printf '%s\n' 'khotrace status' kho_kexec 'khotrace status' | vmtest.sh --shell

Options:
  -s, --scenario NAME   run scenario NAME, or the scenario file at a path
                        (repeatable; default: all of vmtest/scenarios)
  -n, --cycles N        number of KHO kexecs for scenarios that chain
                        (those with a "# CHAIN: yes" header)
  -k, --keep            keep the run directory (console logs, initramfs)
      --run-dir DIR     use DIR as the run directory (implies --keep)
  -j, --jobs N          run N scenarios in parallel (default 1)
      --flavour F       build and boot kernel flavour F: khotrace (default)
                        or debug (KASAN, debug_pagealloc, lockdep, kmemleak,
                        UBSAN; booted with debug_pagealloc=on and scratch
                        large enough for KASAN's shadow, boot timeout x4)
      --kernel BZIMAGE  use this kernel for every flavour instead of building
      --append ARGS     append ARGS to the first boot's command line
      --smp N           boot every guest with N vCPUs (default: the
                        scenario's "# SMP:" header, else 2)
      --timeout SECS    per-boot timeout (default 120 under TCG, 60 with KVM)
  -q, --quiet           print only the KTAP stream and the summary
      --shell           an interactive shell in the guest (see above)
  -l, --list            list the scenarios and exit
  -h, --help            this help

Scenario headers ("# KEY: value" lines of vmtest/scenarios/NAME.sh): DESC,
CMDLINE, MEM (default 2G), HOPS (KHO kexecs, default 1), CHAIN: yes (-n
applies), KERNELS: F0 F1 ... (the kernel flavour of each boot, khotrace or
upstream, the last one repeating; default khotrace; KERNEL: is the same
for one flavour), COLD: yes (first boot each of those flavours cold once:
the guest gets their MemTotal in /state/cold_memtotal.FLAVOUR), SMP (vCPUs,
default 2), CONSOLE: ERE (a line the kernel console must show, checked on
the host; repeatable).

Environment: KHOTRACE_CACHE (default $("$ROOT/scripts/cache-dir.sh")), VMTEST_ACCEL
(kvm or tcg; default: KVM when QEMU can start a KVM vCPU here, else TCG).
EOF
}

log() { [[ $QUIET -eq 1 ]] || echo "vmtest: $*" >&2; }
die() { echo "vmtest: error: $*" >&2; exit 2; }

# scenario_path NAME: a scenario of vmtest/scenarios, or a path to one
# elsewhere (bench/scenarios/*.sh)
scenario_path()
{
	if [[ $1 == */* ]]; then
		echo "$1"
	else
		echo "$SCEN_DIR/$1.sh"
	fi
}

# scenario_field FILE KEY: the "# KEY: value" header line of a scenario
scenario_field()
{
	sed -n "/^# $2: /{s///p;q}" "$1"
}

# scenario_kernels FILE: the flavour of each boot ("# KERNELS:", or the
# older one-flavour "# KERNEL:"; khotrace when neither is given)
scenario_kernels()
{
	local k

	k=$(scenario_field "$1" KERNELS)
	[[ -n $k ]] || k=$(scenario_field "$1" KERNEL)
	echo "${k:-khotrace}"
}

# flavour_kernel FLAVOUR: the bzImage of a flavour
flavour_kernel()
{
	case $1 in
	khotrace) echo "$KERNEL" ;;
	upstream) echo "$UPSTREAM_KERNEL" ;;
	*) return 1 ;;
	esac
}

list_scenarios()
{
	local f

	for f in "$SCEN_DIR"/*.sh; do
		printf '%-20s %s\n' "$(basename "$f" .sh)" "$(scenario_field "$f" DESC)"
	done
}

# copy_bin DEST BINARY: a dynamically linked binary and its libraries
copy_bin()
{
	local dest=$1 bin=$2 lib

	mkdir -p "$dest$(dirname "$bin")"
	cp -L "$bin" "$dest$bin"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do
		mkdir -p "$dest$(dirname "$lib")"
		cp -L "$lib" "$dest$lib"
	done
}

# The part of the initramfs that all scenarios share.
build_base()
{
	local base=$1 f

	mkdir -p "$base"/{bin,sbin,usr/bin,boot,state,vmtest,etc}
	cp /bin/busybox "$base/bin/busybox"
	copy_bin "$base" "$(command -v kexec)"
	copy_bin "$base" "$(command -v fdtget)"
	cp "$HERE/guest/init" "$base/init"
	cp "$HERE/guest/lib.sh" "$HERE/guest/handover.sh" "$HERE/guest/shellrc" "$base/vmtest/"
	chmod +x "$base/init"
	echo "root:x:0:0:root:/:/bin/sh" > "$base/etc/passwd"
	echo "nobody:x:65534:65534:nobody:/:/bin/sh" >> "$base/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$base/etc/group"
	for f in "$ROOT"/tools/khotrace/.output/khotrace-static; do
		[[ -x $f ]] && cp "$f" "$base/usr/bin/khotrace"
	done
	# the guest's programs only: the host's fuzzers (selftests/fuzz, tens
	# of MB of ASan binaries) would crowd the kexec segments out of scratch
	for f in "$ROOT"/selftests/vm/.output/* "$ROOT"/selftests/upstream/.output/* \
		 "$ROOT"/bench/.output/*; do
		[[ -f $f && -x $f ]] && cp "$f" "$base/usr/bin/"
	done
	return 0
}

# KVM only when it really runs a guest: /dev/kvm can exist in a nested
# guest whose KVM creates a vCPU but never runs it (QEMU aborts setting an
# MSR, or the guest prints nothing at all), so boot the kernel under test
# with KVM and wait for its banner. The answer holds for this host boot and
# QEMU; it is kept in the cache under both.
detect_accel()
{
	local key file out

	case ${VMTEST_ACCEL:-auto} in
	kvm|tcg) ACCEL=$VMTEST_ACCEL; return ;;
	esac
	ACCEL=tcg
	[[ -r /dev/kvm && -w /dev/kvm ]] || return 0
	key=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)-$(qemu-system-x86_64 --version | head -n1 | tr -cd '0-9.')
	file=$("$ROOT/scripts/cache-dir.sh")/accel
	if [[ -f $file && $(head -n1 "$file") == "$key" ]]; then
		ACCEL=$(sed -n 2p "$file")
		return 0
	fi
	out=$(timeout 15 qemu-system-x86_64 -enable-kvm -cpu host -m 256M -display none \
		-monitor none -serial stdio -nic none -no-reboot -kernel "$KERNEL" \
		-append "console=ttyS0 panic=-1" </dev/null 2>&1 | head -c 65536) || true
	grep -q "Linux version" <<< "$out" && ACCEL=kvm
	log "accelerator: $ACCEL (KVM $([[ $ACCEL == kvm ]] && echo boots || echo does not boot) a guest here)"
	mkdir -p "$(dirname "$file")" && printf '%s\n%s\n' "$key" "$ACCEL" > "$file"
	return 0
}

accel_args()
{
	if [[ $ACCEL == kvm ]]; then
		echo "-enable-kvm -cpu host"
	else
		echo "-accel tcg -cpu max"
	fi
}

# stamp: each line of stdin with the host time since the start, no CR
stamp()
{
	perl -MTime::HiRes=time -ne \
		'BEGIN { $| = 1; $t0 = time } s/\r//g; printf "[%9.3f] %s", time - $t0, $_'
}

# qemu_start OUT KERNEL INITRD MEM CMDLINE: one guest in the background
# (with the caller's $smp vCPUs),
# QEMU's pid in QEMU_PID and in OUT.pid (-pidfile: stop_qemu, the EXIT
# trap and a scenario's TERM trap find it there). The console (first
# serial port) goes to OUT.log, the result port (second serial port, the
# guest's /dev/ttyS1) to OUT.results, both with host time stamps; QEMU's
# stderr to OUT.stderr. qemu_wait waits for it.
qemu_start()
{
	local out=$1

	rm -f "$out.pid" "$out.con" "$out.kt"
	mkfifo "$out.con" "$out.kt"
	stamp < "$out.con" > "$out.log" &
	STAMP_PIDS="$!"
	stamp < "$out.kt" > "$out.results" &
	STAMP_PIDS="$STAMP_PIDS $!"
	# shellcheck disable=SC2046
	qemu-system-x86_64 $(accel_args) -smp "$smp" -m "$4" \
		-display none -monitor none -nic none -no-reboot -pidfile "$out.pid" \
		-serial file:"$out.con" -serial file:"$out.kt" \
		-kernel "$2" -initrd "$3" -append "$5" </dev/null 2>"$out.stderr" &
	QEMU_PID=$!
}

# tick: wait 0.1 s, in bash itself (a read from a FIFO that nobody writes,
# opened by main as TICK_FD): the loops that watch a guest see it end
# within a tick, where a 'sleep 1' made each scenario's wall time a whole
# number of seconds and cost up to a second per boot, with no process a tick
tick()
{
	read -r -t 0.1 -u "$TICK_FD" _ || true
}

# qemu_wait OUT: wait for the guest qemu_start started, then for its time
# stampers (they end at the ports' EOF, or never if QEMU died before it
# opened them)
qemu_wait()
{
	local p

	wait "$QEMU_PID" 2>/dev/null || true
	for p in $STAMP_PIDS; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -f "$1.con" "$1.kt"
	QEMU_PID=
}

# stop_qemu PID: stop that QEMU (TERM, then KILL after 5 s); anything but
# a running QEMU is left alone (a pidfile may outlive its process)
stop_qemu()
{
	local pid=$1 t

	[[ $pid =~ ^[0-9]+$ ]] || return 0
	[[ $(cat "/proc/$pid/comm" 2>/dev/null) == qemu-system-* ]] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((t = 0; t < 50; t++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}

# stop_guests DIR: stop every QEMU whose pidfile is in DIR/*/ or DIR
stop_guests()
{
	local f

	[[ -n $1 ]] || return 0
	for f in "$1"/*.pid "$1"/*/*.pid; do
		[[ -f $f ]] && stop_qemu "$(cat "$f" 2>/dev/null)"
	done
	return 0
}

# cold_boot NAME DIR FLAVOUR MEM CMDLINE TIMEOUT: boot FLAVOUR cold with
# khotrace.cold=1 (the guest's init reports MemTotal and powers off) and
# leave the value in the scenario's /state/cold_memtotal.FLAVOUR (kB),
# the reference for the memory a KHO boot of that flavour leaves reserved
cold_boot()
{
	local name=$1 dir=$2 f=$3 kb t

	log "$name: cold boot of the $f kernel (MemTotal reference)"
	qemu_start "$dir/cold-$f" "$(flavour_kernel "$f")" "$dir/initrd.cpio" "$4" "$5 khotrace.cold=1"
	for ((t = 0; t < $6 * 10; t++)); do
		kill -0 "$QEMU_PID" 2>/dev/null || break
		tick
	done
	stop_qemu "$QEMU_PID"
	qemu_wait "$dir/cold-$f"
	kb=$(sed -n 's/^\[ *[0-9.]*\] @@KT@@ # cold: MemTotal \([0-9]*\) kB.*/\1/p' "$dir/cold-$f.results" | head -n1)
	if [[ -n $kb ]]; then
		echo "$kb" > "$dir/root/state/cold_memtotal.$f"
	else
		log "$name: the cold boot of $f reported no MemTotal (see $dir/cold-$f.log)"
	fi
}

# scenario_setup NAME [ARGS]: the guest of scenario NAME ready to boot,
# with ARGS on its command line: sets the caller's file, name, dir, hops,
# mem, smp, cmdline, kernel, flavours and timeout, fills DIR/root and builds
# DIR/initrd.cpio (after the cold boots of "# COLD: yes")
scenario_setup()
{
	local f

	file=$(scenario_path "$1")
	name=$(basename "$file" .sh)
	dir=$RUN_DIR/$name
	mkdir -p "$dir"
	hops=$(scenario_field "$file" HOPS)
	[[ $(scenario_field "$file" CHAIN) == yes && -n $CYCLES ]] && hops=$CYCLES
	hops=${hops:-1}
	mem=$(scenario_field "$file" MEM)
	mem=${mem:-2G}
	smp=${SMP:-$(scenario_field "$file" SMP)}
	smp=${smp:-2}
	cmdline="console=ttyS0 panic=-1 oops=panic $(scenario_field "$file" CMDLINE) $FLAVOUR_APPEND khotrace.hop=0 khotrace.hops=$hops $APPEND ${2:-}"
	cmdline=$(echo "$cmdline" | tr -s " ")

	cp -a "$RUN_DIR/base" "$dir/root"
	cp "$file" "$dir/root/vmtest/scenario.sh"
	# the first boot's flavour is /boot/bzImage, any other /boot/bzImage-F;
	# the guest kexecs into each hop's (vmtest/kernels, lib.sh hop_kernel)
	flavours=$(scenario_kernels "$file")
	echo "$flavours" > "$dir/root/vmtest/kernels"
	kernel=$(flavour_kernel "${flavours%% *}")
	cp "$kernel" "$dir/root/boot/bzImage"
	for f in $(printf '%s\n' $flavours | sort -u); do
		[[ $f == "${flavours%% *}" ]] || cp "$(flavour_kernel "$f")" "$dir/root/boot/bzImage-$f"
	done
	echo "$cmdline" > "$dir/cmdline"

	timeout=${BOOT_TIMEOUT:-120}
	[[ $ACCEL == kvm ]] && timeout=${BOOT_TIMEOUT:-60}
	[[ $FLAVOUR == debug && -z $BOOT_TIMEOUT ]] && timeout=$((timeout * 4))

	if [[ $(scenario_field "$file" COLD) == yes ]]; then
		(cd "$dir/root" && find . | cpio -o -H newc 2>/dev/null) > "$dir/initrd.cpio"
		for f in $(printf '%s\n' $flavours | sort -u); do
			cold_boot "$name" "$dir" "$f" "$mem" "$cmdline" "$timeout"
		done
	fi
	(cd "$dir/root" && find . | cpio -o -H newc 2>/dev/null) > "$dir/initrd.cpio"
}

# run_scenario NAME: boots the guest, leaves $dir/ktap and $dir/verdict
run_scenario()
{
	local file name dir kernel flavours hops cmdline mem smp timeout
	local last_n n last_t now start died= inits=0 i ticks

	# stopped by vmtest's EXIT trap: stop this scenario's guest with it
	trap 'stop_guests "${dir:-}"; stop_qemu "${QEMU_PID:-}"; exit 143' TERM
	scenario_setup "$1"
	log "$name: booting ($hops KHO kexec(s), $mem RAM, $smp vCPUs, $ACCEL, kernels: $flavours)"
	start=$(date +%s.%N)
	qemu_start "$dir/console" "$kernel" "$dir/initrd.cpio" "$mem" "$cmdline"

	# Watchdog: every boot must show progress (a marker line) within
	# the per-boot timeout, or the run is a failure.
	last_n=0
	last_t=$(date +%s)
	ticks=0
	while kill -0 "$QEMU_PID" 2>/dev/null; do
		tick
		((++ticks % 10 == 0)) || continue
		n=$(grep -c '@@KT@@' "$dir/console.results" || true)
		now=$(date +%s)
		i=$(grep -c '@@KT@@ # hop[0-9]*: init started' "$dir/console.results" || true)
		if [[ $i -gt $inits ]]; then
			inits=$i
			log "$name: boot $((i - 1)) of $hops reached init ($(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s)"
		fi
		if [[ $n -ne $last_n ]]; then
			last_n=$n
			last_t=$now
		elif ((now - last_t > timeout)); then
			died="no progress for ${timeout} s"
			stop_qemu "$QEMU_PID"
			break
		fi
	done
	qemu_wait "$dir/console"
	echo "$(date +%s.%N) - $start" | bc > "$dir/wall"
	collect "$name" "$dir" "$hops" "$died" "$file" "$smp"
}

# shell_feed RESULTS: stdin (not a terminal) to the guest's shell one
# line per prompt, as if typed after it (the guest reports each prompt on
# the result port, RESULTS); at its end a Ctrl-D at the next prompt, which
# ends the shell as at a terminal
shell_feed()
{
	local n=0 line

	while IFS= read -r line || [[ -n $line ]]; do
		n=$((n + 1))
		wait_prompt "$1" "$n"
		printf '%s\n' "$line"
	done
	wait_prompt "$1" $((n + 1))
	printf '\004'
}

# wait_prompt RESULTS N: until the guest's shell has shown its Nth prompt
wait_prompt()
{
	while [[ $(grep -c '^@@KT@@ prompt' "$1" 2>/dev/null) -lt $2 ]]; do
		sleep 0.2
	done
}

# run_shell NAME: vmtest.sh --shell. Boot scenario NAME (its command line,
# memory and kernels; vmtest/guest/shell.sh without -s) with
# khotrace.shell=1 and the console on this terminal: the guest runs the
# hop's checks, then an interactive shell instead of the kexec, at every
# hop. QEMU's stdio is multiplexed with its monitor (Ctrl-A x quits, Ctrl-A
# c switches) and passes Ctrl-C to the guest. A stdin that is not a
# terminal goes in one line per prompt (shell_feed). Returns the shell's
# exit status, 1 when the guest stopped without its shell exiting.
run_shell()
{
	local file name dir kernel flavours hops cmdline mem smp timeout feeder="" rc

	scenario_setup "$1" khotrace.shell=1
	log "$name: shell on the console ($mem RAM, $ACCEL, kernels: $flavours); Ctrl-A x quits QEMU"
	if [[ -t 0 ]]; then
		exec 3<&0
	else
		mkfifo "$dir/stdin"
		exec 4<&0
		shell_feed "$dir/console.results" <&4 > "$dir/stdin" &
		feeder=$!
		exec 3< "$dir/stdin" 4<&-
	fi
	# shellcheck disable=SC2046
	qemu-system-x86_64 $(accel_args) -smp "$smp" -m "$mem" \
		-display none -nic none -no-reboot -pidfile "$dir/console.pid" \
		-chardev stdio,id=con,mux=on,signal=off,logfile="$dir/console.log" \
		-serial chardev:con -mon chardev=con,mode=readline \
		-serial file:"$dir/console.results" \
		-kernel "$kernel" -initrd "$dir/initrd.cpio" -append "$cmdline" \
		<&3 2>"$dir/console.stderr" &
	QEMU_PID=$!
	exec 3<&-
	wait "$QEMU_PID" || true
	QEMU_PID=
	[[ -z $feeder ]] || kill "$feeder" 2>/dev/null || true
	rc=$(tr -d '\r' < "$dir/console.results" |
	     sed -n 's/^@@KT@@ # hop[0-9]*: shell exit \([0-9]*\)$/\1/p' | tail -n1)
	if [[ -z $rc ]]; then
		echo "vmtest: the guest stopped before its shell exited$(
			[[ -s $dir/console.stderr ]] && echo ": $(tail -n1 "$dir/console.stderr")")" >&2
		return 1
	fi
	log "$name: the shell exited with $rc"
	return "$rc"
}

# collect NAME DIR HOPS DIED FILE SMP: the result port's lines
# (console.results) → DIR/ktap (unnumbered lines); console.log only for
# kernel errors, scenario FILE's CONSOLE: headers and diagnosis. A marker
# on the console is not a result.
collect()
{
	local name=$1 dir=$2 hops=$3 died=$4 file=$5 smp=$6 boots

	sed -n "s/^\[ *\([0-9.]*\)\] @@KT@@ \(.*\)$/\1 \2/p" "$dir/console.results" > "$dir/markers"
	awk -v name="$name" '
		$2 == "done" { next }
		{ sub(/^[^ ]+ /, ""); sub(/^(not ok|ok) /, "&" name ": "); print }
	' "$dir/markers" > "$dir/ktap"
	# files the guest exported with kt_export
	{ grep -a '^\[ *[0-9.]*\] @@KF@@ ' "$dir/console.results" || true; } | sed 's/^[^]]*\] @@KF@@ //' |
	while read -r fname data; do
		[[ $fname =~ ^[A-Za-z0-9._-]+$ ]] || continue
		mkdir -p "$dir/files"
		echo "$data" | base64 -d > "$dir/files/$fname" 2>/dev/null ||
			echo "# $name: exported file $fname is corrupt" >> "$dir/ktap"
	done

	# a boot reached init if any of its markers arrived ("init started"
	# is its first)
	boots=$({ grep -o ' hop[0-9]*: ' "$dir/markers" || true; } | sort -u | wc -l)
	if ! grep -q ' done$' "$dir/markers"; then
		[[ -n $died ]] || died="guest stopped without reporting done"
		grep -q 'Kernel panic' "$dir/console.log" && died="$died (kernel panic)"
		echo "not ok $name: guest reported done # $died; $boots of $((hops + 1)) boots reached init" >> "$dir/ktap"
		{
			if [[ -s $dir/console.stderr ]]; then
				echo "# QEMU's stderr:"
				tail -n 5 "$dir/console.stderr" | sed 's/^/#   /'
			fi
			echo "# last 40 console lines of $name:"
			tail -n 40 "$dir/console.log" | sed 's/^/#   /'
		} >> "$dir/ktap"
	elif [[ $boots -ne $((hops + 1)) ]]; then
		echo "not ok $name: all boots reached init # $boots of $((hops + 1))" >> "$dir/ktap"
	else
		echo "ok $name: all $boots boots reached init" >> "$dir/ktap"
	fi
	console_errors "$name" "$dir" >> "$dir/ktap"
	console_expected "$name" "$dir" "$file" "$smp" >> "$dir/ktap"
	boot_times "$dir" >> "$dir/ktap"
}

# A kernel's own reports of trouble on any boot's console: warnings, bugs,
# oopses, ACPI errors, and the debug flavour's KASAN, UBSAN, lockdep and
# kmemleak reports. The first is printed with what follows it.
CONSOLE_ERRORS='WARNING:|BUG:|Oops|general protection fault|ACPI Error|UBSAN:|KASAN:|kmemleak: [0-9]+ new suspected|unreferenced object 0x|possible (recursive|circular) locking|inconsistent lock state|suspicious RCU usage'

console_errors()
{
	local name=$1 dir=$2 first

	first=$(grep -n -m1 -aE "$CONSOLE_ERRORS" "$dir/console.log" | cut -d: -f1 || true)
	if [[ -z $first ]]; then
		echo "ok $name: console free of kernel errors"
		return
	fi
	echo "not ok $name: console free of kernel errors # $(sed -n "${first}p" "$dir/console.log" | cut -c1-160)"
	echo "# $(grep -c -aE "$CONSOLE_ERRORS" "$dir/console.log") report line(s); the first with what follows it:"
	sed -n "${first},$((first + 40))p" "$dir/console.log" | sed 's/^/#   /'
}

# The scenario's "# CONSOLE: ERE" headers: a line some boot's kernel
# console must show, one check each. What a kernel logs on its way out
# (the kho_crc passes of the kexec reboot) is read nowhere else. With
# other vCPUs (--smp) than the scenario's SMP: header, they are skipped:
# such a line may count CPUs.
console_expected()
{
	local name=$1 dir=$2 file=$3 smp=$4 want re

	want=$(scenario_field "$file" SMP)
	while IFS= read -r re; do
		if [[ -z $re ]]; then
			echo "not ok $name: console shows // # empty CONSOLE: header"
		elif [[ -n $want && $smp != "$want" ]]; then
			echo "ok $name: console shows /$re/ # SKIP booted with $smp vCPUs, the scenario's SMP: is $want"
		elif grep -qaE -- "$re" "$dir/console.log"; then
			echo "ok $name: console shows /$re/"
		else
			echo "not ok $name: console shows /$re/ # no such line"
		fi
	done < <(sed -n 's/^# CONSOLE:[[:space:]]*//p' "$file")
}

# Wall time of each boot, from the host timestamps of the markers:
# boot 0 from QEMU start to init, boot i from kexec -e to init; then its
# user space, from init to the "kexec -e (leaving hop N)" diagnostic
# before the kexec out of it, or to "done".
boot_times()
{
	awk '
		/init started/ { printf "%s boot %d: %.2f s to init", (n ? "," : "# wall:"), n, $1 - from; n++; init = $1 }
		/kexec -e/ { from = $1 }
		/# hop[0-9]+: kexec -e \(leaving/ && n { printf ", %.2f s from init to kexec -e", $1 - init }
		$2 == "done" && n { printf ", %.2f s from init to done", $1 - init }
		END { if (n) print "" }
	' "$1/markers"
}

# The EXIT trap (HUP, INT and TERM exit through it, 129, 130, 143): stop what
# vmtest started (each scenario's job stops its own guest on TERM; then
# every QEMU whose pidfile is in the run directory, for one that a job
# could not stop), remove the run directory unless kept, and exit with
# the status vmtest was exiting with.
cleanup()
{
	local rc=$? p

	trap - EXIT INT TERM HUP
	for p in $(jobs -pr); do
		kill -TERM "$p" 2>/dev/null || true
	done
	wait 2>/dev/null
	stop_guests "$RUN_DIR"
	stop_qemu "${QEMU_PID:-}"
	[[ $KEEP -eq 1 ]] || rm -rf "$RUN_DIR"
	exit "$rc"
}

main()
{
	local f s kdir total=0 pass=0 fail=0 skip=0 n=0 line start

	while [[ $# -gt 0 ]]; do
		case $1 in
		-s|--scenario) SCENARIOS+=("${2:?}"); shift ;;
		-n|--cycles) CYCLES=${2:?}; shift ;;
		-k|--keep) KEEP=1 ;;
		--run-dir) RUN_DIR=${2:?}; KEEP=1; shift ;;
		-j|--jobs) JOBS=${2:?}; shift ;;
		--kernel) KERNEL=${2:?}; KERNEL_GIVEN=1; shift ;;
		--flavour) FLAVOUR=${2:?}; shift ;;
		--append) APPEND=${2:?}; shift ;;
		--smp) SMP=${2:?}; shift ;;
		--timeout) BOOT_TIMEOUT=${2:?}; shift ;;
		-q|--quiet) QUIET=1 ;;
		--shell) SHELL_MODE=1 ;;
		-l|--list) list_scenarios; exit 0 ;;
		-h|--help) usage; exit 0 ;;
		*) usage >&2; exit 2 ;;
		esac
		shift
	done
	[[ -z $CYCLES || $CYCLES =~ ^[1-9][0-9]*$ ]] || die "-n wants a positive number"
	[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "-j wants a positive number"
	[[ -z $SMP || $SMP =~ ^[1-9][0-9]*$ ]] || die "--smp wants a positive number"
	case $FLAVOUR in
	khotrace) ;;
	# KASAN's shadow (1/8 of RAM) is allocated early, from the scratch
	# areas alone on a KHO boot: the last kho_scratch= wins. no5lvl: with
	# 5-level paging (TCG's -cpu max has LA57), an interrupt that lands
	# while identify_cpu() rebuilds the boot CPU's feature bits sees
	# pgtable_l5_enabled() false for a moment, and KASAN reports the IRQ
	# descriptor's lock as a wild access (seen once in 8 kexec boots)
	debug) FLAVOUR_APPEND="debug_pagealloc=on kho_scratch=64M,512M,256M no5lvl" ;;
	*) die "--flavour wants khotrace or debug" ;;
	esac
	if [[ $SHELL_MODE -eq 1 ]]; then
		[[ ${#SCENARIOS[@]} -le 1 ]] || die "--shell boots one scenario (one -s)"
		[[ ${#SCENARIOS[@]} -eq 1 ]] || SCENARIOS=("$HERE/guest/shell.sh")
	elif [[ ${#SCENARIOS[@]} -eq 0 ]]; then
		for s in "$SCEN_DIR"/*.sh; do SCENARIOS+=("$(basename "$s" .sh)"); done
	fi
	for s in "${SCENARIOS[@]}"; do
		[[ -f $(scenario_path "$s") ]] || die "no scenario '$s' (see --list)"
	done
	for s in qemu-system-x86_64 kexec fdtget cpio perl bc; do
		command -v "$s" >/dev/null || die "$s not found (run 'make deps')"
	done

	if [[ -z $KERNEL ]]; then
		log "building the $FLAVOUR kernel (or reusing the cached build)"
		kdir=$("$ROOT/kernel/scripts/build-kernel.sh" "$FLAVOUR")
		KERNEL=$kdir/arch/x86/boot/bzImage
	fi
	[[ -f $KERNEL ]] || die "kernel $KERNEL not found"
	# boots of the upstream flavour run the kernel without the series
	# (same source and config), or --kernel when one is given
	UPSTREAM_KERNEL=$KERNEL
	for s in "${SCENARIOS[@]}"; do
		for f in $(scenario_kernels "$(scenario_path "$s")"); do
			[[ $f == khotrace || $f == upstream ]] ||
				die "scenario $s: unknown kernel flavour '$f' (khotrace or upstream)"
		done
	done
	for s in "${SCENARIOS[@]}"; do
		if [[ " $(scenario_kernels "$(scenario_path "$s")") " == *" upstream "* && $KERNEL_GIVEN -eq 0 ]]; then
			log "building the kernel without the series (or reusing it)"
			kdir=$("$ROOT/kernel/scripts/build-kernel.sh" upstream)
			UPSTREAM_KERNEL=$kdir/arch/x86/boot/bzImage
			break
		fi
	done

	if [[ -n $RUN_DIR ]]; then
		rm -rf "$RUN_DIR"
		mkdir -p "$RUN_DIR"
	else
		RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vmtest.XXXXXX")
	fi
	[[ $KEEP -eq 0 ]] || log "run directory: $RUN_DIR"
	trap cleanup EXIT
	# the FIFO is not needed once open: a kept run directory has none
	mkfifo "$RUN_DIR/tick"
	exec {TICK_FD}<>"$RUN_DIR/tick"
	rm -f "$RUN_DIR/tick"
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	build_base "$RUN_DIR/base"
	detect_accel
	if [[ $SHELL_MODE -eq 1 ]]; then
		run_shell "${SCENARIOS[0]}"
		return
	fi

	start=$(date +%s)
	for s in "${SCENARIOS[@]}"; do
		while [[ $(jobs -rp | wc -l) -ge $JOBS ]]; do wait -n || true; done
		run_scenario "$s" &
	done
	wait

	echo "TAP version 13"
	table=()
	for f in "${SCENARIOS[@]}"; do
		local p0=$pass f0=$fail s0=$skip
		f=$(scenario_path "$f")
		s=$(basename "$f" .sh)
		if [[ ! -f $RUN_DIR/$s/ktap ]]; then
			mkdir -p "$RUN_DIR/$s"
			echo "not ok $s: runner error # no results (see messages above)" > "$RUN_DIR/$s/ktap"
			echo 0 > "$RUN_DIR/$s/wall"
		fi
		echo "# $s: $(scenario_field "$f" DESC) ($(printf '%.1f' "$(cat "$RUN_DIR/$s/wall")") s)"
		while IFS= read -r line; do
			case $line in
			"not ok "*)
				n=$((n + 1)); fail=$((fail + 1))
				echo "not ok $n ${line#not ok }" ;;
			"ok "*"# SKIP"*)
				n=$((n + 1)); skip=$((skip + 1))
				echo "ok $n ${line#ok }" ;;
			"ok "*)
				n=$((n + 1)); pass=$((pass + 1))
				echo "ok $n ${line#ok }" ;;
			*) echo "$line" ;;
			esac
		done < "$RUN_DIR/$s/ktap"
		table+=("$(printf '# %-20s %5d %6d %7d %7.1f' "$s" $((pass - p0)) \
			$((fail - f0)) $((skip - s0)) "$(cat "$RUN_DIR/$s/wall")")")
	done
	total=$n
	printf '# %-20s %5s %6s %7s %7s\n' scenario pass fail skip seconds
	printf '%s\n' "${table[@]}"
	echo "1..$total"
	echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
	[[ $fail -eq 0 || $KEEP -eq 1 ]] || echo "# run directory removed; use -k to keep console logs"
	log "${#SCENARIOS[@]} scenario(s) in $(($(date +%s) - start)) s"
	echo "vmtest: $pass passed, $fail failed, $skip skipped"
	[[ $fail -eq 0 && $total -gt 0 ]]
}

main "$@"
