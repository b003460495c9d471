# SPDX-License-Identifier: GPL-2.0
# DESC: scratch areas too small for the kexec segments: kexec_file_load fails cleanly, KHO state intact
# CMDLINE: kho=on kho_scratch=1M,1M,1M
# HOPS: 0
#
# With 1 MiB lowmem/global/per-node scratch, KHO cannot place the kernel
# and initramfs segments (they must land in scratch): kexec -l must fail
# with EADDRNOTAVAIL, the failure must be visible in the kho tracepoints
# when the kernel has them, and a later kexec attempt must fail the same
# way (nothing half-loaded). khotrace preflight --kernel says so before
# the load: the kernel's init_size has no room in any scratch area.

scenario_hop()
{
	local rc ev=/sys/kernel/tracing/events/kho/kho_scratch_place

	kt_check "KHO enabled" test -d $KHO_DBG/out
	kt_diag "scratch: $(dmesg | grep -o 'scratch areas:.*' | head -n1)"

	if [ -d $ev ]; then
		echo 1 > $ev/enable
		echo > /sys/kernel/tracing/trace
	fi

	make_initrd
	if khotrace preflight --help > /dev/null 2>&1; then
		khotrace preflight --kernel /boot/bzImage --initrd /tmp/initrd.cpio --no-snapshot \
			> /tmp/preflight.out 2>&1
		rc=$?
		sed 's/^/preflight: /' /tmp/preflight.out | while IFS= read -r l; do kt_diag "$l"; done
		kt_eq "preflight --kernel: no-go before the load (exit 1)" 1 "$rc"
		kt_check "preflight names it: the kernel would not fit the scratch areas" \
			grep -q '^no-go  *scratch  */boot/bzImage would not fit .*kernel [0-9]* bytes (no room)' \
			/tmp/preflight.out
		kt_check "preflight: that is the only reason" \
			grep -q '^preflight: no-go (1 reason)$' /tmp/preflight.out
	else
		kt_skip "preflight --kernel: no-go before the load" "no khotrace in the guest"
	fi
	kexec -l /boot/bzImage --initrd=/tmp/initrd.cpio -s \
		--append="$(next_cmdline)" > /tmp/kexec.out 2>&1
	rc=$?
	kt_diag "kexec -l: rc=$rc: $(tail -n1 /tmp/kexec.out)"
	kt_check "kexec -l fails" test "$rc" -ne 0
	kt_check "failure is EADDRNOTAVAIL" grep -q "Cannot assign requested address" /tmp/kexec.out
	kt_check "no image loaded" test "$(cat /sys/kernel/kexec_loaded)" = 0

	if [ -d $ev ]; then
		kt_diag "trace: $(grep -m1 kho_scratch_place /sys/kernel/tracing/trace)"
		kt_check "kho_scratch_place traced the failure" \
			grep -q 'kho_scratch_place:.*ret=-99' /sys/kernel/tracing/trace
		echo 0 > $ev/enable
	else
		kt_skip "kho_scratch_place traced the failure" "kernel without kho tracepoints"
	fi

	kexec -l /boot/bzImage --initrd=/tmp/initrd.cpio -s > /tmp/kexec.out 2>&1
	kt_check "a second attempt fails the same way" \
		grep -q "Cannot assign requested address" /tmp/kexec.out
}

scenario_kexec()
{
	:
}
