#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages khotrace needs (only the missing ones); make
# deps then fetches the kernel source (kernel/scripts/fetch-source.sh).

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

PACKAGES=(
	build-essential bc flex bison cpio rsync xz-utils zstd perl
	libelf-dev libssl-dev dwarves ccache clang llvm libclang-rt-14-dev
	libbpf-dev bpftool libfdt-dev device-tree-compiler
	zlib1g-dev libzstd-dev libjson-c-dev
	asciidoc-base xmlto man-db systemd
	qemu-system-x86 busybox-static kexec-tools
	python3 python3-ply
)

# shellcheck source=scripts/apt-install.sh
. "$HERE/apt-install.sh"
apt_install_missing deps "${PACKAGES[@]}"
