# SPDX-License-Identifier: GPL-2.0
# DESC: read every KHO sysfs and debugfs file on a cold boot, after a KHO boot without kho_crc and after one with it (run it on the debug flavour)
# CMDLINE: kho=on kho_crc=on liveupdate=on reserve_mem=4M:4096:khotrace_rm
# HOPS: 2
#
# Every regular file under /sys/kernel/kho and /sys/kernel/debug/kho is
# read whole, twice, and once more at odd offsets, on each boot:
# hop 0: a cold boot with kho_crc=on; Live Update memfds are held, so the
#        next kernel receives sessions that Live Update restores and frees
#        early in its boot;
# hop 1: a KHO boot without kho_crc (the received ranges were handed back
#        to their owners, some already freed; the previous kernel's
#        checksum list arrived unread);
# hop 2: a KHO boot with kho_crc=on again.
# On the debug flavour a read of freed memory is a KASAN report or, with
# debug_pagealloc=on, a fault; the runner fails the boot on either.

LUO_ARGS="-n 1 -m 2 -s 1024"

# read_all DIR...: read every regular file below DIR; prints the files
# whose read failed with something else than EACCES/EPERM/EINVAL
read_all()
{
	local f

	find "$@" -type f 2>/dev/null | sort | while read -r f; do
		[ -r "$f" ] || continue
		cat "$f" > /dev/null 2>/tmp/read.err || {
			grep -qE 'Permission denied|Operation not permitted|Invalid argument' \
				/tmp/read.err || echo "$f: $(cat /tmp/read.err)"
		}
		cat "$f" > /dev/null 2>&1
		dd if="$f" of=/dev/null bs=7 skip=3 2>/dev/null
		echo "$f" >> /tmp/read.list
	done
}

scenario_hop()
{
	local bad n

	: > /tmp/read.list
	bad=$(read_all /sys/kernel/kho $KHO_DBG)
	n=$(wc -l < /tmp/read.list)
	kt_none "hop $HOP: $n KHO files read whole, twice and at odd offsets" "$bad"
	kt_check "hop $HOP: the KHO debugfs files were found" test "$n" -gt 3
	case $HOP in
	0)
		kt_check "cold boot: no incoming map" test ! -e $KHO_DBG/in/memory_map
		;;
	*)
		kt_check "KHO boot: the incoming map was read" grep -qx "$KHO_DBG/in/memory_map" \
			/tmp/read.list
		out=$(luo_integrity check $LUO_ARGS 2>&1)
		kt_eq "Live Update memfds: every byte ($(echo "$out" | tail -n1))" 0 "$?"
		;;
	esac
	if [ "$HOP" -lt "$HOPS" ]; then
		out=$(luo_integrity fill $LUO_ARGS 2>&1)
		kt_eq "Live Update memfds held ($(echo "$out" | tail -n1))" 0 "$?"
		# and once more, with the sessions and the memfd folios preserved
		bad=$(read_all /sys/kernel/kho $KHO_DBG)
		kt_none "hop $HOP: the KHO files read again with Live Update holding memfds" "$bad"
	fi
	return 0
}

scenario_kexec()
{
	case $HOP in
	0) kexec_with "" kho_crc=on ;;
	*) kexec_with kho_crc=on "" ;;
	esac
}
