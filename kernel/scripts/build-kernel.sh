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
#   debug     khotrace with KASAN, debug_pagealloc, lockdep, kmemleak,
#             UBSAN and DEBUG_VM (kernel/config/debug.config)
#
# -n COUNT applies only the first COUNT patches of the series (used to
# check that every prefix of the series builds). The cover letter
# (0000-cover-letter.patch) is not a patch of the series.
#
# All use tinyconfig + kernel/config/khotrace.config (+ debug.config for
# debug), and every option of the fragments must survive olddefconfig.
# Nothing is rebuilt when the source version, the series, the fragments
# and BUILD_PROCEDURE are unchanged.
# Prints the build directory (bzImage at arch/x86/boot/bzImage) on stdout.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KDIR=$(dirname "$HERE")
CACHE=$("$HERE/../../scripts/cache-dir.sh")
FRAGMENTS=("$KDIR/config/khotrace.config")
JOBS=${JOBS:-$(nproc)}
# Part of the build key: raise it when a change to this script changes
# what a build produces (not for messages, locks or progress lines).
BUILD_PROCEDURE=2

# The kernel build is a make of its own, with its own -j: a parent make's
# jobserver (make -jN run/check) is not passed down to it, and would only
# make kbuild fall back to -j1.
unset MAKEFLAGS MFLAGS MAKELEVEL

log() { echo "build-kernel: $*" >&2; }
die() { echo "build-kernel: error: $*" >&2; exit 1; }

usage()
{
	cat >&2 <<EOF
usage: $0 [-n COUNT] khotrace|upstream|debug
EOF
	exit 2
}

series()
{
	local count=$1

	[[ -d $KDIR/patches && $count -ne 0 ]] || return 0
	if [[ $count -lt 0 ]]; then
		find "$KDIR/patches" -maxdepth 1 -name '[0-9]*.patch' ! -name '0000-*' | sort
	else
		# sed reads all its input: head would exit early and, with
		# pipefail, turn sort's SIGPIPE into a failure
		find "$KDIR/patches" -maxdepth 1 -name '[0-9]*.patch' ! -name '0000-*' | sort |
			sed -n "1,${count}p"
	fi
}

# Reset the flavour's worktree to the pristine source and apply the series.
prepare_tree()
{
	local pristine=$1 tree=$2 count=$3 p

	if [[ ! -e $tree/.git ]]; then
		rm -rf "$tree"
		# flavours built at once share the pristine repository
		(
			flock 8
			git -C "$pristine" worktree prune
			git -C "$pristine" worktree add -q --detach "$tree" pristine
		) 8>"$pristine/.git/khotrace-worktree.lock"
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

# tinyconfig + fragments; fail naming every option that did not survive.
configure()
{
	local tree=$1 obj=$2 line sym val missing=0

	make -s -C "$tree" O="$obj" tinyconfig >/dev/null
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "${FRAGMENTS[@]}" >/dev/null
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
	done < <(cat "${FRAGMENTS[@]}")
	[[ $missing -eq 0 ]] || die "config fragments ${FRAGMENTS[*]} not satisfied"
}

# build_progress LOG TOTALFILE: while the build runs, one line every 30 s
# with the objects compiled so far (and the share of the last build's count)
build_progress()
{
	local log=$1 totalfile=$2 total=0 n start=$SECONDS

	[[ -s $totalfile ]] && total=$(cat "$totalfile")
	while sleep 30; do
		n=$(grep -cE '^  (CC|AS)  ' "$log" 2>/dev/null || true)
		if [[ $total -gt 0 && $n -lt $total ]]; then
			log "  $((SECONDS - start)) s: $n of ~$total objects ($((n * 100 / total))%)"
		else
			log "  $((SECONDS - start)) s: $n objects compiled (no earlier build to compare)"
		fi
	done
}

main()
{
	local count=-1 flavour pristine version key root tree obj stamp start objcount progress

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
	debug) FRAGMENTS+=("$KDIR/config/debug.config") ;;
	*) usage ;;
	esac
	[[ $flavour == upstream ]] && count=0

	# make deps fetched it; fetch only when this runs on its own
	pristine=$("$HERE/fetch-source.sh" --cached 2>/dev/null) || pristine=$("$HERE/fetch-source.sh")
	version=$(basename "$(dirname "$pristine")")
	root=$CACHE/build/$flavour
	[[ $count -ge 0 && $flavour == khotrace ]] && root=$CACHE/build/prefix
	tree=$root/src
	obj=$root/obj
	stamp=$root/stamp
	mkdir -p "$obj"
	# one build of a flavour at a time (make -j, vmtest and bench share it)
	exec 9>"$root/.lock"
	flock 9

	key=$({
		echo "$version"
		echo "procedure $BUILD_PROCEDURE"
		cat "${FRAGMENTS[@]}"
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
	mkdir -p "$CCACHE_DIR"
	# the last build's object count, beside ccache: it lives as long as
	# the speed-up it describes
	objcount=$CCACHE_DIR/khotrace-$flavour.objects
	log "building $flavour kernel with $JOBS jobs (log: $root/build.log)"
	: >"$root/build.log"
	build_progress "$root/build.log" "$objcount" &
	progress=$!
	# shellcheck disable=SC2064 # the pid, now: main's locals are gone at exit
	trap "kill $progress 2>/dev/null || true" EXIT
	if ! make -C "$tree" O="$obj" -j"$JOBS" \
		CC="ccache gcc" HOSTCC="ccache gcc" \
		LOCALVERSION="-$flavour" KBUILD_BUILD_USER=khotrace KBUILD_BUILD_HOST=khotrace \
		KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 1970" \
		bzImage >"$root/build.log" 2>&1; then
		tail -n 40 "$root/build.log" >&2
		die "$flavour kernel build failed (log: $root/build.log)"
	fi
	kill "$progress" 2>/dev/null || true
	trap - EXIT
	# every object of the tree, not only those this build compiled
	find "$obj" -name '*.o' | wc -l >"$objcount"
	echo "$key" > "$stamp"
	echo "$(($(date +%s) - start))" > "$root/build-seconds"
	log "$flavour kernel built in $(($(date +%s) - start)) s: $obj/arch/x86/boot/bzImage"
	echo "$obj"
}

main "$@"
