# SPDX-License-Identifier: GPL-2.0
# DESC: khotrace snapshot before each KHO kexec, khotrace verify after it; manifest in a Live Update session, then in a file
# CMDLINE: kho=on kho_crc=on liveupdate=on kho_scratch=16M,64M,32M reserve_mem=4M:4096:khotrace_rm init_on_free=1
# HOPS: 2
#
# init_on_free=1 zeroes a page as it is freed: Live Update frees its
# received state page in an early initcall, before kho_crc's boot pass,
# which must have checksummed it first (at its restore), or verify finds
# it changed.
#
# hop 0: verify on a cold boot exits 4; snapshot carries the manifest in the
#        Live Update session 'khotrace' (a holder process keeps it open)
# hop 1: verify retrieves the session, finds every item and finishes the
#        session (a second verify finds no manifest: 4); snapshot --manifest
#        into /state (the file fallback)
# hop 2: verify --manifest passes (kexec count 2)
# Without the khotrace series' memory_map the preserved ranges cannot be
# compared, and while its received checksums are computed when the map is
# read (after test_kho and others reused their restored memory) the ranges'
# bytes cannot: each is a SKIP with verify's reason, never a silent pass.

MANIFEST=$STATE/kho.manifest

# check_verify DESC ARGS...: verify passes, ranges compared or skipped
check_verify()
{
	local desc=$1 reason

	shift
	verify_passes "$desc" -v verify "$@"
	kt_check "$desc: kexec count checked" grep -q "kexec count" /tmp/kt.out
	reason=$(sed -n 's/^skip: preserved ranges not compared: //p' /tmp/kt.out)
	if [ -n "$reason" ]; then
		kt_skip "$desc: preserved ranges match" "$reason"
		kt_skip "$desc: preserved range bytes match" "$reason"
		return
	fi
	kt_check "$desc: preserved ranges match" grep -q "^ok: range " /tmp/kt.out
	reason=$(sed -n 's/^skip: preserved range bytes not compared: //p' /tmp/kt.out)
	if [ -n "$reason" ]; then
		kt_skip "$desc: preserved range bytes match" "$reason"
	else
		kt_ok "$desc: preserved range bytes match"
	fi
}

scenario_hop()
{
	if ! command -v khotrace >/dev/null; then
		kt_fail "khotrace in the initramfs" "make -C tools/khotrace static"
		return 0
	fi
	case $HOP in
	0)
		run_kt verify verify
		kt_eq "verify on a cold boot exits 4" 4 "$rc"
		kt_check "verify says cold boot" grep -q "cold boot" /tmp/kt.out
		run_kt dry-run snapshot --dry-run
		kt_eq "snapshot --dry-run exits 0" 0 "$rc"
		kt_check "manifest lists the kexec-metadata subtree" \
			grep -q "^subtree name=kexec-metadata " /tmp/kt.out
		run_kt snapshot snapshot
		kt_eq "snapshot into live update session exits 0" 0 "$rc"
		kt_check "holder keeps the session open" sh -c "ps | grep -v grep | grep -q khotrace-hold"
		run_kt snapshot-again snapshot
		kt_eq "a second snapshot is refused while the first is held" 1 "$rc"
		;;
	1)
		run_kt status status
		kt_check "status: both kernels list and checksum (kho_crc=on)" grep -q \
			"^Checksums: *kho_crc=on: this kernel lists what it hands over; received bytes checksummed at boot; the previous kernel listed [1-9][0-9]* ranges$" \
			/tmp/kt.out
		check_verify "verify (live update session)"
		run_kt verify-again verify
		kt_eq "verify after the session was finished: no manifest, exits 4" 4 "$rc"
		kt_check "verify says no manifest" grep -q "no manifest" /tmp/kt.out
		run_kt snapshot snapshot --manifest "$MANIFEST"
		kt_eq "snapshot --manifest exits 0" 0 "$rc"
		kt_check "manifest file written" has_bytes "$MANIFEST"
		;;
	2)
		check_verify "verify --manifest" --manifest "$MANIFEST"
		;;
	esac
	return 0
}
