# SPDX-License-Identifier: GPL-2.0
# DESC: damage in the handover itself, injected by the kernel after its last checksum pass (debug flavour): verify names every kind, the new kernel survives
# CMDLINE: kho=on kho_crc=on liveupdate=on kho_scratch=16M,64M,32M khotrace.kept_kib=unclaimed
# HOPS: 9
#
# One fault a kexec, armed through /sys/kernel/debug/kho/fault/inject
# (CONFIG_KEXEC_HANDOVER_FAULT_INJECTION, the debug flavour), fired by the
# old kernel right after its last checksum pass (kho_crc=on's sent pass);
# each hop verifies the fault of the kexec that started it and arms the
# next. The manifest travels in /state (the initramfs), out of reach of the
# faults, except for the last one, which damages the manifest's own Live
# Update carrier. The victim ranges belong to a 1 MiB memfd that
# kho_preserve_bench holds in a Live Update session nobody retrieves.
#
#   hop 0 arms flip      hop 1: checksum: range V: changed in the handover
#   hop 1 arms drop      hop 2: missing: range V: handed over, not received
#   hop 2 arms shift     hop 3: range V not received + range V+4K not listed
#   hop 3 arms resize    hop 4: range V not received + the resized range
#   hop 4 arms subtree   hop 5: subtree kexec-metadata + the range holding it
#   hop 5 arms truncate  hop 6: the kho-crc list was rejected
#   hop 6 arms link      hop 7: the kho-crc list was rejected, its damaged
#                        link reported without being followed, its block
#                        kept reserved (an extra range)
#   hop 7 arms fdt       hop 8: KHO data rejected (boot log: fdt_header)
#   hop 8 arms a flip of the manifest's carrier (snapshot into Live Update)
#                        hop 9: the manifest was damaged, and where
#
# Every verify must exit 1 and print exactly the expected mismatch lines;
# the last hop prints the figure: injected, detected, misattributed, missed.

INJECT=$KHO_DBG/fault/inject
MANIFEST=$STATE/kho.manifest
FAULTS=$STATE/faults
KINDS="flip drop shift resize subtree truncate link fdt carrier"

# the fault armed on hop N
fault_of() { echo $KINDS | cut -d' ' -f$(($1 + 1)); }

hex() { printf "0x%x" "$(($1))"; }

# map_phys FILE: "PHYS ORDER" of every range line of a memory map
map_phys()
{
	sed -n 's/^phys=\(0x[0-9a-f]*\) order=\([0-9]*\) .*/\1 \2/p' "$1"
}

# in_map PHYS FILE: a range of FILE starts at PHYS
in_map() { map_phys "$2" | grep -q "^$(hex "$1") "; }

# victim: hold a 1 MiB memfd in a Live Update session; the ranges of its
# data (order 0 expected: shmem without large folios) in /tmp/victims,
# "PHYS ORDER". Only the data: the session also preserves Live Update's
# own metadata (its file set's block list), which the next kernel follows
# when it sets the session up: a bit flipped there loses the session's
# data in the next kernel (the link kind tests that a damaged link is
# rejected, not followed), which is not what flip measures.
# kho_preserve_bench fills every page alike, with a non-zero byte: the
# data pages are the new ranges with the most frequent checksum, which the
# zeroed block pages of Live Update's metadata do not share.
victim()
{
	local crc

	map_phys $KHO_DBG/out/memory_map > /tmp/map.before
	if ! kho_preserve_bench -s 1 -H > /tmp/bench.out 2>&1; then
		kt_fail "victim memfd held in a Live Update session" "$(tail -n1 /tmp/bench.out)"
		return 1
	fi
	cp $KHO_DBG/out/memory_map /tmp/map.after
	sed -n 's/^phys=\(0x[0-9a-f]*\) order=\([0-9]*\) size=0x[0-9a-f]* crc32c=\(0x[0-9a-f]*\).*/\1 \2 \3/p' \
		/tmp/map.after > /tmp/after
	sed 's/^/^/; s/$/ /' /tmp/map.before > /tmp/map.before.re
	grep -v -f /tmp/map.before.re /tmp/after > /tmp/new
	crc=$(cut -d' ' -f3 /tmp/new | sort | uniq -c | sort -rn | head -n1 | awk '{ print $2 }')
	grep " $crc\$" /tmp/new | cut -d' ' -f1,2 > /tmp/victims
	kt_diag "victim: $(wc -l < /tmp/victims) data ranges (crc32c $crc) of $(wc -l < /tmp/new) new ranges"
	kt_check "victim memfd held in a Live Update session: its ranges are handed over" \
		test "$(wc -l < /tmp/victims)" -ge 200
}

# pick_victim KIND: the victim range for KIND (see the header) in VICTIM,
# and what its fault should do to it in TARGET (shift, resize)
pick_victim()
{
	local phys order

	VICTIM= TARGET=
	while read -r phys order; do
		[ "$order" -eq 0 ] || continue
		case $1 in
		flip|drop)
			VICTIM=$phys ;;
		shift)
			# the kernel moves it one page up when that page is free
			in_map $((phys + 4096)) /tmp/map.after && continue
			VICTIM=$phys TARGET=$(hex $((phys + 4096))) ;;
		resize)
			# order 0 becomes order 1 when its buddy is free
			in_map $((phys ^ 4096)) /tmp/map.after && continue
			VICTIM=$phys TARGET=$(hex $((phys & ~8191))) ;;
		esac
		break
	done < /tmp/victims
	[ -n "$VICTIM" ]
}

# arm CMD: write CMD into the fault file and read it back
arm()
{
	echo "$1" > $INJECT
	kt_check "armed: $1" grep -qE "^armed ${1%% *}( |$)" $INJECT
}

# expect KIND PATTERN...: one fault's verdict. verify (in /tmp/kt.out,
# exit code $rc) must exit 1 and print one mismatch line matching each
# PATTERN and no other. Records detected / misattributed / missed.
expect()
{
	local kind=$1 p n want=0 named=0 got lines

	shift
	got=$(grep -cE '^(missing|extra|moved|resized|checksum|value): ' /tmp/kt.out)
	kt_eq "$kind: verify exits 1" 1 "$rc"
	for p in "$@"; do
		want=$((want + 1))
		n=$(grep -cE "$p" /tmp/kt.out)
		if [ "$n" -ge 1 ]; then
			named=$((named + 1))
			kt_ok "$kind: verify names it: $p"
		else
			kt_fail "$kind: verify names it: $p" "no such line"
		fi
	done
	# a rejected handover is one error line, with no mismatch line
	lines=$want
	[ "$kind" = fdt ] && lines=0
	kt_eq "$kind: nothing else (mismatch lines)" "$lines" "$got"
	if [ "$rc" -ne 1 ]; then
		echo "$kind missed" >> $FAULTS
	elif [ "$named" -eq "$want" ] && [ "$got" -eq "$lines" ]; then
		echo "$kind detected" >> $FAULTS
	else
		echo "$kind misattributed" >> $FAULTS
	fi
}

# check_fault KIND: verify the fault that the previous hop armed
check_fault()
{
	local kind=$1 v t

	v=$(cat $STATE/victim 2>/dev/null)
	t=$(cat $STATE/target 2>/dev/null)
	kt_diag "fault $kind: victim ${v:--} target ${t:--}"
	if [ "$kind" = carrier ]; then
		run_kt verify verify
	else
		run_kt verify verify --manifest "$MANIFEST"
	fi
	case $kind in
	flip)
		expect flip "^checksum: range $v: size 0x1000 changed in the handover: " ;;
	drop)
		expect drop "^missing: range $v: size 0x1000 handed over .*, not received$" ;;
	shift)
		expect shift "^missing: range $v: size 0x1000 handed over .*, not received$" \
			"^extra: range $t: size 0x1000 .*not listed by the previous kernel$" ;;
	resize)
		expect resize "^missing: range $v: size 0x1000 handed over .*, not received$" \
			"^(extra: range $t: size 0x2000 .*not listed by the previous kernel|resized: range $v: size 0x1000 -> 0x2000 .*)$" ;;
	subtree)
		expect subtree "^checksum: subtree kexec-metadata: " \
			"^checksum: range $t: size 0x[0-9a-f]* changed in the handover: " ;;
	truncate)
		expect truncate "^value: handover checksums: .*this kernel rejected them"
		kt_check "truncate: the kernel says why it rejected the list" \
			dmesg_has "kho_crc: cannot read the kho-crc subtree" ;;
	link)
		# the list's block stays reserved: received, listed by nobody
		t=$(dmesg | sed -n 's/.*Block set at \(0x[0-9a-f]*\) rejected: its blocks stay reserved.*/\1/p')
		kt_diag "link: the rejected list's block: ${t:-none}"
		expect link "^value: handover checksums: .*this kernel rejected them" \
			"^extra: range ${t:-none}: size 0x1000 "
		kt_check "link: the kernel reports the damaged link, not following it" \
			dmesg_has "Block set is corrupted: no preserved block at 0x" ;;
	fdt)
		expect fdt "KHO data was rejected: .*event=populate result=fdt_header"
		kt_check "fdt: the boot log says the handover FDT was rejected" \
			grep -q "event=populate result=fdt_header" $KHO_DBG/bootlog
		kt_check "fdt: this kernel has no incoming handover" test ! -e $KHO_DBG/in ;;
	carrier)
		expect carrier "^checksum: manifest: Live Update session 'khotrace' damaged in the handover .*changed: $v" \
			"^checksum: range $v: size 0x1000 changed in the handover: " ;;
	esac
}

# arm_fault KIND: set up the victim, snapshot and arm KIND for this kexec
arm_fault()
{
	local kind=$1 meta line

	rm -f $STATE/victim $STATE/target
	case $kind in
	flip|drop|shift|resize)
		victim || return 1
		if ! pick_victim $kind; then
			kt_fail "$kind: a victim range" "no order-0 victim range fits (/tmp/victims)"
			return 1
		fi
		echo "$VICTIM" > $STATE/victim
		[ -n "$TARGET" ] && echo "$TARGET" > $STATE/target ;;
	esac
	if [ "$kind" = carrier ]; then
		run_kt snapshot snapshot
	else
		run_kt snapshot snapshot --manifest "$MANIFEST"
	fi
	kt_eq "$kind: snapshot exits 0" 0 "$rc"
	case $kind in
	flip)	arm "flip $VICTIM 3" ;;
	drop|shift|resize)
		arm "$kind $VICTIM" ;;
	subtree)
		# release[64] of the kexec metadata: after the release's NUL,
		# read by nobody but the checksums
		meta=$(sed -n 's/^subtree name=kexec-metadata phys=\(0x[0-9a-f]*\) .*/\1/p' "$MANIFEST")
		sed -n 's/^range phys=\(0x[0-9a-f]*\) order=[0-9]* size=\(0x[0-9a-f]*\) .*/\1 \2/p' \
			"$MANIFEST" | while read -r line size; do
			if [ $((meta)) -ge $((line)) ] && [ $((meta)) -lt $((line + size)) ]; then
				echo "$line" > $STATE/target
			fi
		done
		arm "subtree kexec-metadata 68" ;;
	truncate|link|fdt)
		arm "$kind$([ $kind = fdt ] && echo ' 0')" ;;
	carrier)
		# the memfd page that holds the manifest's text
		for line in $(sed -n 's/^carrier phys=\(0x[0-9a-f]*\) size=\(0x[0-9a-f]*\)$/\1:\2/p' \
				/run/khotrace/manifest); do
			if [ "$(dd if=/dev/mem bs=4096 skip=$((${line%:*} / 4096)) count=1 2>/dev/null |
				head -c 19)" = "khotrace-manifest 1" ]; then
				echo "${line%:*}" > $STATE/victim
				break
			fi
		done
		if [ ! -s $STATE/victim ]; then
			kt_fail "carrier: the manifest's page among the carrier ranges" "not found"
			return 1
		fi
		# a byte of the text after the header: the manifest's checksum
		arm "flip $(hex $(($(cat $STATE/victim) + 100))) 0" ;;
	esac
}

# the figure, from /state/faults
figure()
{
	local injected detected mis missed

	injected=$(wc -l < $FAULTS)
	detected=$(grep -c ' detected$' $FAULTS)
	mis=$(grep -c ' misattributed$' $FAULTS)
	missed=$(grep -c ' missed$' $FAULTS)
	kt_diag "faults: kind result"
	while read -r line; do kt_diag "faults:   $line"; done < $FAULTS
	kt_diag "faults: injected=$injected detected=$detected misattributed=$mis missed=$missed"
	kt_eq "every fault injected is detected and attributed" \
		"$injected/$injected/0/0" "$injected/$detected/$mis/$missed"
}

scenario_hop()
{
	if ! command -v khotrace >/dev/null; then
		kt_fail "khotrace in the initramfs" "make -C tools/khotrace static"
		return 0
	fi
	if [ "$HOP" -eq 0 ] && [ ! -e $INJECT ]; then
		kt_skip "faults injected into the handover" \
			"no $INJECT: the kernel lacks CONFIG_KEXEC_HANDOVER_FAULT_INJECTION (run with --flavour debug)"
		echo skip > $STATE/skip
		return 0
	fi
	[ -e $STATE/skip ] && return 0
	if [ "$HOP" -gt 0 ]; then
		check_fault "$(fault_of $((HOP - 1)))"
	fi
	if [ "$HOP" -lt "$(echo $KINDS | wc -w)" ]; then
		arm_fault "$(fault_of "$HOP")"
	else
		figure
	fi
	return 0
}

scenario_kexec()
{
	kho_kexec
}
