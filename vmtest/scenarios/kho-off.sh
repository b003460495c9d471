# SPDX-License-Identifier: GPL-2.0
# DESC: kho=off: khotrace status says KHO is disabled, snapshot and verify exit 4 with their messages; no handover
# CMDLINE: kho=off liveupdate=on
# HOPS: 0

scenario_hop()
{
	if ! command -v khotrace >/dev/null; then
		kt_fail "khotrace in the initramfs" "make -C tools/khotrace static"
		return 0
	fi
	kt_check "no KHO debugfs" test ! -e $KHO_DBG

	# status describes the state (exit 0); 4 is for commands that need KHO
	run_kt status status
	kt_eq "status exits 0" 0 "$rc"
	kt_check "status says disabled (kho=off)" grep -q "^KHO: *disabled (kho=off)" /tmp/kt.out

	run_kt verify verify
	kt_eq "verify exits 4" 4 "$rc"
	kt_check "verify says KHO is disabled" \
		grep -qx "khotrace: verify: KHO is disabled (kho=off): nothing to verify" /tmp/kt.out

	run_kt verify-file verify --manifest /nonexistent
	kt_eq "verify --manifest exits 4" 4 "$rc"

	run_kt snapshot snapshot
	kt_eq "snapshot exits 4" 4 "$rc"
	kt_check "snapshot says KHO is disabled" \
		grep -qx "khotrace: snapshot: KHO is disabled (kho=off): nothing to hand over" /tmp/kt.out
	return 0
}

scenario_kexec()
{
	kt_fail "no kexec with kho=off" "scenario_kexec called"
}
