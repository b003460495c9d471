# SPDX-License-Identifier: GPL-2.0
#
# Guest-side helpers for vmtest scenarios (sourced by /init, busybox sh).
#
# Results leave the guest as marker lines on a port of their own, the
# second serial port (/dev/ttyS1; vmtest.sh gives QEMU two), never on the
# kernel console, where a kernel message can land in the middle of a line
# and where anything a test prints could pass for a result:
#   @@KT@@ ok <desc>
#   @@KT@@ not ok <desc> # <reason>
#   @@KT@@ ok <desc> # SKIP <reason>
#   @@KT@@ # <diagnostic>
#   @@KT@@ done
# The host (vmtest.sh) numbers them into one KTAP stream. A run that never
# prints "done" failed: the host says which boot it died in. The console
# (ttyS0) keeps the kernel's messages and what the tests print, for
# diagnosis and for the host's check of kernel errors.
#
# State that must reach the next kernel independently of KHO (expected
# values, the hop number) travels in /state, which is part of the initramfs
# the guest rebuilds from its own root before each kexec.

KT=@@KT@@
KT_PORT=/dev/ttyS1
KHO_DBG=/sys/kernel/debug/kho
KHO_SYS=/sys/kernel/kho
STATE=/state

# cmdline_param NAME DEFAULT: value of NAME= on the kernel command line
cmdline_param()
{
	local p

	for p in $(cat /proc/cmdline); do
		case $p in
		"$1="*) echo "${p#*=}"; return ;;
		esac
	done
	echo "$2"
}

# kt_emit TEXT: one line on the result port. The port is opened for each
# line: its last close waits until the UART has sent the line, so a kexec
# or a power off right after it cannot cut it. Under vmtest.sh --shell
# (KT_ECHO=1) the line shows on the console too.
kt_emit()
{
	echo "$KT $*" > $KT_PORT
	[ -z "${KT_ECHO:-}" ] || echo "$KT $*" > /dev/console
}

kt_ok() { kt_emit "ok hop$HOP: $1"; }
kt_fail() { kt_emit "not ok hop$HOP: $1 # $2"; }
kt_skip() { kt_emit "ok hop$HOP: $1 # SKIP $2"; }
kt_diag() { kt_emit "# hop$HOP: $*"; }

# kt_check DESC CMD...: ok when CMD succeeds, else not ok with CMD's
# last line of output (or the command itself) as the reason.
kt_check()
{
	local desc=$1 out

	shift
	if out=$("$@" 2>&1); then
		kt_ok "$desc"
	else
		out=$(echo "$out" | tail -n1)
		kt_fail "$desc" "${out:-$* failed}"
	fi
}

# has_bytes FILE: FILE exists and has content (debugfs blobs report size 0)
has_bytes()
{
	[ -e "$1" ] && [ "$(wc -c < "$1")" -gt 0 ]
}

# kt_eq DESC EXPECTED ACTUAL (an empty EXPECTED is a failure: nothing to
# compare with means the state did not get here)
kt_eq()
{
	if [ -z "$2" ]; then
		kt_fail "$1" "no expected value (got '$3')"
	elif [ "$2" = "$3" ]; then
		kt_ok "$1"
	else
		kt_fail "$1" "expected '$2', got '$3'"
	fi
}

# kt_none NAME FOUND: ok when FOUND (the offending lines of a check) is empty
kt_none()
{
	if [ -z "$2" ]; then
		kt_ok "$1"
	else
		kt_fail "$1" "$2"
	fi
}

dmesg_has() { dmesg | grep -q -- "$1"; }

# active_is 0|1: /sys/kernel/kho/active reads that (the seed's active phase)
active_is() { [ "$(cat $KHO_SYS/active)" = "$1" ]; }

# as_nobody CMD: run the shell command CMD as user nobody
as_nobody() { su nobody -s /bin/sh -c "$1"; }

# The guest rebuilds its own initramfs (everything on the root file system
# except the virtual file systems and /tmp) so that a chain of kexecs can
# go on for as long as the scenario wants.
make_initrd()
{
	(cd / && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev \
		-o -path ./tmp \) -prune -o -print | cpio -o -H newc 2>/dev/null) \
		> /tmp/initrd.cpio
}

# next_cmdline: this boot's command line with khotrace.hop incremented
next_cmdline()
{
	local p out=

	for p in $(cat /proc/cmdline); do
		case $p in
		khotrace.hop=*) ;;
		*) out="$out $p" ;;
		esac
	done
	echo "${out# } khotrace.hop=$((HOP + 1))"
}

# hop_flavour N: the kernel flavour of boot N, from the scenario's
# "# KERNELS:" header (/vmtest/kernels; the last flavour repeats)
hop_flavour()
{
	local n=$1 f last=khotrace

	for f in $(cat /vmtest/kernels 2>/dev/null); do
		last=$f
		[ "$n" -eq 0 ] && break
		n=$((n - 1))
	done
	echo "$last"
}

# hop_kernel N: the bzImage of boot N (vmtest.sh puts the first boot's
# flavour in /boot/bzImage, any other in /boot/bzImage-FLAVOUR)
hop_kernel()
{
	local f

	f=$(hop_flavour "$1")
	if [ "$f" != "$(hop_flavour 0)" ] && [ -e "/boot/bzImage-$f" ]; then
		echo "/boot/bzImage-$f"
	else
		echo /boot/bzImage
	fi
}

# kho_kexec [CMDLINE]: load the next hop's kernel (this one again, unless
# the scenario switches flavours) with kexec_file_load and jump. Returns
# only on failure.
kho_kexec()
{
	local cmdline=${1:-$(next_cmdline)} kernel

	kernel=$(hop_kernel $((HOP + 1)))
	make_initrd
	kt_diag "kexec -l $kernel --initrd=/tmp/initrd.cpio -s --append='$cmdline'"
	if ! kexec -l "$kernel" --initrd=/tmp/initrd.cpio -s --append="$cmdline"; then
		kt_fail "kexec load" "kexec -l failed"
		return 1
	fi
	kt_ok "kexec load"
	kt_diag "kexec -e (leaving hop $HOP)"
	sync
	kexec -e
	kt_fail "kexec exec" "kexec -e returned"
	return 1
}

# kexec_with ADD DROP: kho_kexec with the next command line, with ADD and
# without DROP (switching a boot parameter between hops)
kexec_with()
{
	local p out=

	for p in $(next_cmdline); do
		[ "$p" = "$2" ] || out="$out $p"
	done
	kho_kexec "${out# } $1"
}

# kmemleak_check: on a kernel with kmemleak (the debug flavour), scan
# once the boot's work is done and print what it suspects; the host fails
# the scenario on any report. Objects younger than 5 s are never reported,
# so the second scan after a pause catches the boot's last allocations.
kmemleak_check()
{
	local f=/sys/kernel/debug/kmemleak

	[ -e $f ] || return 0
	echo scan > $f 2>/dev/null || { kt_skip "kmemleak: no leak suspected" "kmemleak is off"; return 0; }
	sleep 5
	echo scan > $f
	if grep -q . $f; then
		cat $f
		kt_fail "kmemleak: no leak suspected" "$(grep -c '^unreferenced object' $f) object(s)"
	else
		kt_ok "kmemleak: no leak suspected"
	fi
}

# The memory a KHO boot keeps reserved, against the cold boot of the chain
# (hop 0): MemTotal once the boot's work is done, when the owners of what
# was handed over have restored or freed it. What may stay on purpose is
# small: the incoming radix tree's nodes (kept for in/memory_map), the
# kexec metadata page (kept by upstream) and what test_kho holds;
# khotrace.kept_kib (default 1024) bounds it, so that a subtree's pages
# never freed by the receiver show. memory_cold runs first thing on hop 0,
# before any initramfs for the next hop is built.
memory_cold()
{
	[ "$HOP" -eq 0 ] || return 0
	echo "$(memtotal_kib) $(uname -r)" > $STATE/memtotal.cold
}

memory_account()
{
	local total cold kernel bound

	# scenarios with "# COLD: yes" compare each hop with a cold boot of
	# its own flavour (handover.sh's reserved_vs_cold)
	ls $STATE/cold_memtotal.* >/dev/null 2>&1 && return 0
	total=$(memtotal_kib)
	if [ "$HOP" -eq 0 ]; then
		kt_diag "memory: MemTotal $total kB (cold boot)"
		return 0
	fi
	read -r cold kernel < $STATE/memtotal.cold
	if [ -z "$cold" ]; then
		kt_skip "memory kept reserved after the handover" "no cold-boot figure in /state"
		return 0
	fi
	if [ "$kernel" != "$(uname -r)" ]; then
		kt_skip "memory kept reserved after the handover" "the cold boot ran $kernel"
		return 0
	fi
	bound=$(cmdline_param khotrace.kept_kib 1024)
	if [ "$bound" = unclaimed ]; then
		kt_diag "memory: MemTotal $total kB, $((cold - total)) kB less than the cold boot of $kernel ($cold kB)"
		kt_skip "memory kept reserved after the handover" \
			"the scenario leaves what it handed over unclaimed on purpose"
		return 0
	fi
	kt_diag "memory: MemTotal $total kB, $((cold - total)) kB less than the cold boot of $kernel ($cold kB)"
	if [ "$((cold - total))" -le "$bound" ]; then
		kt_ok "memory kept reserved after the handover: $((cold - total)) kB (at most $bound)"
	else
		kt_fail "memory kept reserved after the handover: at most $bound kB" \
			"$((cold - total)) kB less than the cold boot of $kernel"
	fi
}

# shell_run: vmtest.sh --shell: an interactive shell on the console, with
# the console's tty as its controlling terminal (^C reaches what it runs),
# set up by /vmtest/shellrc; returns when it exits, after reporting its
# exit status, which becomes vmtest.sh's
shell_run()
{
	local rc tty

	# the console's tty (the last of /sys/class/tty/console/active):
	# /dev/console itself never becomes a controlling terminal
	tty=/dev/$(sed 's/.* //' /sys/class/tty/console/active)
	ENV=/vmtest/shellrc setsid -c sh -i <> "$tty" >&0 2>&0
	rc=$?
	kt_emit "# hop$HOP: shell exit $rc"
}

finish()
{
	kt_emit done
	sync
	reboot -f
}

# FDT property helpers (libfdt's fdtget): a little-endian u64 property,
# as KHO writes them, printed in hex.
fdt_u64()
{
	fdtget -t bx "$1" "$2" "$3" 2>/dev/null |
		awk '{ s = ""; for (i = NF; i >= 1; i--) s = s (length($i) == 1 ? "0" : "") $i; print "0x" s }'
}

# kexec count from a kexec-metadata blob (struct kho_kexec_metadata:
# u32 version, char release[65], u32 count; packed, little endian).
metadata_count()
{
	od -An -tu4 -j69 -N4 "$1" 2>/dev/null | tr -d ' '
}

metadata_release()
{
	dd if="$1" bs=1 skip=4 count=65 2>/dev/null | tr -d '\000'
}

# sha256 of SIZE bytes of physical memory at ADDR (page aligned)
phys_sha256()
{
	dd if=/dev/mem bs=4096 skip=$(($1 / 4096)) count=$(($2 / 4096)) 2>/dev/null |
		sha256sum | cut -d' ' -f1
}

# fill SIZE bytes of physical memory at ADDR with random bytes
phys_fill_random()
{
	dd if=/dev/urandom of=/tmp/pattern bs=4096 count=$(($2 / 4096)) 2>/dev/null &&
	dd if=/tmp/pattern of=/dev/mem bs=4096 seek=$(($1 / 4096)) conv=notrunc 2>/dev/null
}

# kt_run NAME CMD...: run a test program that prints KTAP (a kselftest
# harness binary or any program using kselftest.h) and turn its top-level
# test points into ours, prefixed with NAME; its exit code becomes one
# more test point (kselftest codes: 0 pass, 4 skip, anything else fail).
kt_run()
{
	local name=$1 rc

	shift
	"$@" > /tmp/kt_run.out 2>&1
	rc=$?
	# the program's own log only when something went wrong
	if { [ $rc -ne 0 ] && [ $rc -ne 4 ]; } || grep -q '^not ok' /tmp/kt_run.out; then
		sed 's/^/  /' /tmp/kt_run.out | while IFS= read -r line; do kt_diag "$name:$line"; done
	fi
	grep -E '^(not )?ok [0-9]+ ' /tmp/kt_run.out | while IFS= read -r line; do
		case $line in
		"not ok "*) line=${line#not ok }; line=${line#* }
			kt_fail "$name: ${line%% # *}" "${line#* # }" ;;
		*"# SKIP"*) line=${line#ok }; line=${line#* }
			kt_skip "$name: ${line%% # SKIP*}" "${line#*# SKIP}" ;;
		*) line=${line#ok }; line=${line#* }
			kt_ok "$name: $line" ;;
		esac
	done
	case $rc in
	0) kt_ok "$name exits 0" ;;
	4) kt_skip "$name exits 4" "skipped by the test itself" ;;
	*) kt_fail "$name exits 0" "exit code $rc" ;;
	esac
}

# kt_export FILE NAME: send FILE to the host, which writes it into the
# scenario's run directory as files/NAME (one line on the result port,
# base64). khotrace.export=0 (make bench) sends nothing: a few hundred
# KiB through the emulated serial port take seconds, which are the test
# harness's, not the cycle's.
kt_export()
{
	# read once: a scenario exports several files, each read of the
	# command line cost a few milliseconds of the cycle bench measures
	KT_EXPORT=${KT_EXPORT:-$(cmdline_param khotrace.export 1)}
	[ "$KT_EXPORT" = 0 ] && return 0
	echo "@@KF@@ $2 $(base64 -w0 "$1")" > $KT_PORT
}

# live_start ARGS...: start `khotrace live ARGS` in the background (stdout
# in /tmp/live.out, stderr in /tmp/live.err) and return once its programs
# are attached — BPF verification takes seconds under TCG. LIVE holds the
# pid, LIVE_ATTACH_MS the time it took (polled every 20 ms). Fails (with a
# diagnostic) when live exits or does not attach in 300 s.
live_start()
{
	local t0

	# empty the files first: the child truncates them only once it runs,
	# and a previous instance's "Tracing KHO" must not pass for this one's
	: > /tmp/live.out
	: > /tmp/live.err
	now_ms t0
	khotrace live "$@" > /tmp/live.out 2> /tmp/live.err &
	LIVE=$!
	for _ in $(seq 15000); do
		if grep -q "Tracing KHO" /tmp/live.err; then
			now_ms LIVE_ATTACH_MS
			LIVE_ATTACH_MS=$((LIVE_ATTACH_MS - t0))
			return 0
		fi
		kill -0 $LIVE 2>/dev/null || break
		sleep 0.02
	done
	kt_diag "khotrace live did not attach: $(tail -n1 /tmp/live.err)"
	return 1
}

# run_kt NAME ARGS...: khotrace ARGS; its output in /tmp/kt.out and as
# diagnostics prefixed with NAME, its exit code in $rc
run_kt()
{
	local name=$1

	shift
	khotrace "$@" > /tmp/kt.out 2>&1
	rc=$?
	sed "s/^/$name: /" /tmp/kt.out | while IFS= read -r l; do kt_diag "$l"; done
}

# verify_passes DESC ARGS...: khotrace ARGS (a verify) exits 0 and reports
# no mismatch; its output stays in /tmp/kt.out for more checks
verify_passes()
{
	local desc=$1

	shift
	run_kt verify "$@"
	verify_checks "$desc"
}

# verify_checks DESC: the verify that just ran (exit code $rc, output in
# /tmp/kt.out) exited 0 and reported no mismatch
verify_checks()
{
	kt_eq "$1: exits 0" 0 "$rc"
	kt_check "$1: no mismatches" \
		grep -q "^verify: [0-9]* items, [0-9]* ok, 0 mismatches$" /tmp/kt.out
}

# json_u64 KEY FILE: the first number value of "KEY" in a JSON file
json_u64()
{
	sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" "$2" | head -n1
}

# map_bytes SIDE: bytes listed in the kernel's SIDE (out or in) memory_map
map_bytes()
{
	local line sz total=0

	while read -r line; do
		case $line in '#'*) continue ;; esac
		sz=${line#*size=}
		sz=${sz%% *}
		total=$((total + sz))
	done < $KHO_DBG/$1/memory_map
	echo $total
}

# memtotal_kib: MemTotal of /proc/meminfo (kB): the memory the kernel
# manages; what stays reserved (handed over and never claimed) is not in it
memtotal_kib()
{
	sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo
}

# now_ms VAR: milliseconds since boot into VAR (/proc/uptime has
# centiseconds; busybox date no %N), in this shell: a $(...) forks one,
# about 4 ms under TCG, which a timed step would count as its own
now_ms()
{
	local up

	read -r up _ < /proc/uptime
	eval "$1=$(( ${up%.*} * 1000 + (1${up#*.} - 100) * 10 ))"
}

# scale_report MIB [KEY=VALUE...]: the bench's blackout scaling: print
# the blackout timeline of the kexec that brought this boot, which held a
# MIB MiB memfd (scale_hold), from /sys/kernel/debug/kho/blackout as
#   bench: blackout mib=M [KEY=VALUE...] phase=NAME side=S tsc=T ns=N ...
scale_report()
{
	local mib=$1 tags l

	shift
	tags="$*"
	if [ "$(cat $STATE/held 2>/dev/null)" != yes ]; then
		kt_fail "blackout timeline after $mib MiB${tags:+ ($tags)}" "the $mib MiB memfd was not held"
	elif [ -r $KHO_DBG/blackout ]; then
		kt_ok "blackout timeline after $mib MiB${tags:+ ($tags)}"
		while read -r l; do kt_diag "bench: blackout mib=$mib${tags:+ $tags} $l"; done < $KHO_DBG/blackout
	else
		kt_fail "blackout timeline after $mib MiB${tags:+ ($tags)}" "no $KHO_DBG/blackout"
	fi
}

# scale_hold MIB: hold a Live Update memfd of MIB MiB (none for 0) across
# the next kexec (kho_preserve_bench -H), for scale_report in the next boot
scale_hold()
{
	echo yes > $STATE/held
	[ "$1" -gt 0 ] || return 0
	kho_preserve_bench -s "$1" -H > /tmp/hold.out 2>&1 || echo no > $STATE/held
	kt_eq "hold a $1 MiB memfd" yes "$(cat $STATE/held)"
	kt_diag "hold: $(tail -n1 /tmp/hold.out)"
}

# scale_hop "MIB MIB ...": hop N holds a memfd of the Nth size (from 0)
# across the kexec, and hop N+1 prints that kexec's blackout
# (bench/scenarios/blackout-scale.sh)
scale_hop()
{
	[ "$HOP" -gt 0 ] && scale_report "$(echo $1 | cut -d' ' -f$HOP)"
	[ "$HOP" -lt "$HOPS" ] && scale_hold "$(echo $1 | cut -d' ' -f$((HOP + 1)))"
	return 0
}
