#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages khotrace needs (only the missing ones) and
# fetch the kernel source (Debian linux-source-7.3) into the cache.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

PACKAGES=(
	build-essential bc flex bison cpio rsync xz-utils zstd perl
	libelf-dev libssl-dev dwarves ccache clang llvm libclang-rt-14-dev
	libbpf-dev bpftool libfdt-dev device-tree-compiler
	zlib1g-dev libzstd-dev
	qemu-system-x86 busybox-static kexec-tools
	python3-ply
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done

if [[ ${#missing[@]} -gt 0 ]]; then
	[[ $(id -u) -eq 0 ]] || { echo "deps: error: missing packages (${missing[*]}); run as root to install them" >&2; exit 1; }
	echo "deps: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get -q update >/dev/null 2>&1 || echo "deps: warning: apt-get update failed" >&2
	if ! apt-get -q install -y --no-install-recommends "${missing[@]}" >/tmp/khotrace-deps.log 2>&1; then
		tail -n 5 /tmp/khotrace-deps.log >&2
		echo "deps: error: could not install: ${missing[*]} (log: /tmp/khotrace-deps.log)" >&2
		exit 1
	fi
else
	echo "deps: all ${#PACKAGES[@]} packages present" >&2
fi

ksrc=$("$HERE/../kernel/scripts/fetch-source.sh")
echo "deps: kernel source at $ksrc" >&2
