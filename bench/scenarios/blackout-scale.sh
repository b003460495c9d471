# SPDX-License-Identifier: GPL-2.0
# DESC: bench: the kexec blackout and its phases vs preserved memory (0, 256 MiB, 1 GiB, 4 GiB memfd)
# CMDLINE: kho=on liveupdate=on
# MEM: 8G
# HOPS: 4
#
# Hop N holds a Live Update memfd of the Nth size (from 0) across the
# kexec; hop N+1 prints the blackout timeline of that kexec (scale_hop in
# vmtest/guest/lib.sh).

scenario_hop() { scale_hop "0 256 1024 4096"; }
