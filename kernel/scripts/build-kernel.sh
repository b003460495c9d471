#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a khotrace kernel out of tree, with ccache, from Debian's
# linux-source-7.3:
#
#   build-kernel.sh [-n COUNT] FLAVOUR
#
#   khotrace  the source with kernel/patches/*.patch applied in order
#   upstream  the same source without the series (fallback-mode tests)
#
# -n COUNT applies only the first COUNT patches of the series (used to
# check that every prefix of the series builds).
#
# Both use tinyconfig + kernel/config/khotrace.config, and every option
# of the fragment must survive olddefconfig. Nothing is rebuilt when the
# source version, the series, the fragment and this script are unchanged.
# Prints the build directory (bzImage at arch/x86/boot/bzImage) on stdout.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KDIR=$(dirname "$HERE")
CACHE=${KHOTRACE_CACHE:-/var/cache/khotrace}
FRAGMENT=$KDIR/config/khotrace.config
JOBS=${JOBS:-$(nproc)}

log() { echo "build-kernel: $*" >&2; }
die() { echo "build-kernel: error: $*" >&2; exit 1; }

usage()
{
	cat >&2 <<EOF
usage: $0 [-n COUNT] khotrace|upstream
EOF
	exit 2
}

series()
{
	local count=$1

	[[ -d $KDIR/patches && $count -ne 0 ]] || return 0
	if [[ $count -lt 0 ]]; then
		find "$KDIR/patches" -maxdepth 1 -name '*.patch' | sort
	else
		# sed reads all its input: head would exit early and, with
		# pipefail, turn sort's SIGPIPE into a failure
		find "$KDIR/patches" -maxdepth 1 -name '*.patch' | sort | sed -n "1,${count}p"
	fi
}

# Reset the flavour's worktree to the pristine source and apply the series.
prepare_tree()
{
	local pristine=$1 tree=$2 count=$3 p

	if [[ ! -e $tree/.git ]]; then
		rm -rf "$tree"
		git -C "$pristine" worktree prune
		git -C "$pristine" worktree add -q --detach "$tree" pristine
	fi
	git -C "$tree" am --abort >/dev/null 2>&1 || true
	git -C "$tree" reset -q --hard pristine
	git -C "$tree" clean -q -f -d -x
	while read -r p; do
		[[ -n $p ]] || continue
		if ! git -C "$tree" -c user.name=khotrace -c user.email=khotrace@localhost \
			am -q --keep-cr "$p" >"$tree.am.log" 2>&1; then
			git -C "$tree" am --abort >/dev/null 2>&1 || true
			cat "$tree.am.log" >&2
			die "patch $(basename "$p") does not apply"
		fi
	done < <(series "$count")
}

# tinyconfig + fragment; fail naming every option that did not survive.
configure()
{
	local tree=$1 obj=$2 line sym val missing=0

	make -s -C "$tree" O="$obj" tinyconfig >/dev/null
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$FRAGMENT" >/dev/null
	make -s -C "$tree" O="$obj" olddefconfig >/dev/null

	while read -r line; do
		case $line in
		CONFIG_*=*)
			sym=${line%%=*}
			val=${line#*=}
			if [[ $val == n ]]; then
				grep -qx "# $sym is not set" "$obj/.config" ||
					grep -qx "$sym=n" "$obj/.config" && continue
			else
				grep -qx "$line" "$obj/.config" && continue
			fi
			log "config option $line did not survive olddefconfig (now: $(grep -E "^$sym=|^# $sym is not set" "$obj/.config" || echo unset))"
			missing=1
			;;
		esac
	done < "$FRAGMENT"
	[[ $missing -eq 0 ]] || die "config fragment $FRAGMENT not satisfied"
}

main()
{
	local count=-1 flavour pristine version key root tree obj stamp start

	while getopts "n:h" opt; do
		case $opt in
		n) count=$OPTARG ;;
		*) usage ;;
		esac
	done
	shift $((OPTIND - 1))
	[[ $# -eq 1 ]] || usage
	flavour=$1
	case $flavour in
	khotrace|upstream) ;;
	*) usage ;;
	esac
	[[ $flavour == upstream ]] && count=0

	pristine=$("$HERE/fetch-source.sh")
	version=$(basename "$(dirname "$pristine")")
	root=$CACHE/build/$flavour
	[[ $count -ge 0 && $flavour == khotrace ]] && root=$CACHE/build/prefix
	tree=$root/src
	obj=$root/obj
	stamp=$root/stamp
	mkdir -p "$obj"

	key=$({
		echo "$version"
		cat "$FRAGMENT" "$HERE/build-kernel.sh"
		series "$count" | xargs -r cat
	} | sha256sum | cut -d' ' -f1)

	if [[ -f $stamp && $(cat "$stamp") == "$key" && -f $obj/arch/x86/boot/bzImage ]]; then
		log "$flavour kernel up to date ($obj)"
		echo "$obj"
		return
	fi

	start=$(date +%s)
	log "preparing $flavour source ($(series "$count" | wc -l) patches on $version)"
	prepare_tree "$pristine" "$tree" "$count"
	configure "$tree" "$obj"

	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	export CCACHE_BASEDIR=$CACHE/build
	export CCACHE_NOHASHDIR=1
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
	log "building $flavour kernel with $JOBS jobs (log: $root/build.log)"
	if ! make -C "$tree" O="$obj" -j"$JOBS" \
		CC="ccache gcc" HOSTCC="ccache gcc" \
		LOCALVERSION="-$flavour" KBUILD_BUILD_USER=khotrace KBUILD_BUILD_HOST=khotrace \
		KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 1970" \
		bzImage >"$root/build.log" 2>&1; then
		tail -n 40 "$root/build.log" >&2
		die "$flavour kernel build failed (log: $root/build.log)"
	fi
	echo "$key" > "$stamp"
	echo "$(($(date +%s) - start))" > "$root/build-seconds"
	log "$flavour kernel built in $(($(date +%s) - start)) s: $obj/arch/x86/boot/bzImage"
	echo "$obj"
}

main "$@"
