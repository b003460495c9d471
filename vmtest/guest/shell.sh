# SPDX-License-Identifier: GPL-2.0
# DESC: the guest of vmtest.sh --shell without -s: the KHO setup of the chain, no checks
# CMDLINE: kho=on kho_crc=on liveupdate=on kho_scratch=16M,64M,32M reserve_mem=4M:4096:khotrace_rm
# HOPS: 1
#
# Nothing runs before the shell: the engineer at its prompt tries the
# seed's commands by hand (shellrc prints them).

scenario_hop()
{
	:
}
