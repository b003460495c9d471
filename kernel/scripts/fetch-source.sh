#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Obtain Debian's linux-source-7.3 (suite trixie-backports) through a
# private apt state directory and extract it once into the cache, keyed by
# the package version. The archive URI is the one this machine's own apt
# configuration names: it is read from /etc/apt at run time, never stored.
#
# Prints the path of the pristine source tree (a git repository whose tag
# "pristine" is the unmodified source) on stdout; progress goes to stderr.
#
#   fetch-source.sh            ask the archive for the newest version, fetch
#                              and extract it unless it is in the cache
#   fetch-source.sh --cached   the newest extracted version, no network
#
# The downloaded .deb is kept in $KHOTRACE_DEB_CACHE (default
# $KHOTRACE_CACHE/debs) under its name and version: a pure speed-up, since
# a version names one signed package, which CI keeps across runs while it
# extracts the source anew (.ci/run).

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=$("$HERE/../../scripts/cache-dir.sh")
PKG=${KHOTRACE_SRC_PKG:-linux-source-7.3}
SUITE=${KHOTRACE_SRC_SUITE:-trixie-backports}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
APTDIR=$CACHE/apt
DEBS=${KHOTRACE_DEB_CACHE:-$CACHE/debs}

log() { echo "fetch-source: $*" >&2; }
die() { echo "fetch-source: error: $*" >&2; exit 1; }

# The first Debian archive URI of the machine's apt sources (deb822 or
# one-line format), skipping the security archive.
debian_uri()
{
	local f uri

	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -r $f ]] || continue
		uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$f" |
		      grep -E '/debian/?$' | head -n1 || true)
		[[ -n $uri ]] && { echo "$uri"; return; }
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -r $f ]] || continue
		uri=$(sed -E -n 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' "$f" |
		      grep -E '/debian/?$' | head -n1 || true)
		[[ -n $uri ]] && { echo "$uri"; return; }
	done
	return 1
}

apt_opts()
{
	echo "-o Dir::Etc::SourceList=$APTDIR/sources.list" \
	     "-o Dir::Etc::SourceParts=/dev/null" \
	     "-o Dir::State::Lists=$APTDIR/lists" \
	     "-o Dir::Cache=$APTDIR/cache" \
	     "-o Dir::State::status=/dev/null" \
	     "-o APT::Sandbox::User=root" \
	     "-o Debug::NoLocking=1"
}

# The newest extracted version, for when the archive cannot be reached.
cached_version()
{
	local d

	for d in "$CACHE"/src/*/.complete; do
		[[ -e $d ]] && basename "$(dirname "$d")"
	done | sort -V | tail -n1
}

main()
{
	local uri version dest deb opts tmp

	if [[ ${1:-} == --cached ]]; then
		version=$(cached_version)
		[[ -n $version ]] || die "no extracted $PKG in $CACHE/src (run 'make deps')"
		echo "$CACHE/src/$version/$PKG"
		return
	fi

	mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$CACHE/src" "$DEBS"
	# one fetch at a time: make -j runs several users of the source at once
	exec 9>"$CACHE/src/.lock"
	flock 9

	if uri=$(debian_uri); then
		echo "deb [signed-by=$KEYRING] $uri $SUITE main" > "$APTDIR/sources.list"
	else
		log "no Debian archive URI in /etc/apt"
	fi

	opts=$(apt_opts)
	version=
	# shellcheck disable=SC2086
	if [[ -s $APTDIR/sources.list ]] && apt-get $opts -q update >"$APTDIR/update.log" 2>&1; then
		version=$(apt-cache $opts show "$PKG" 2>/dev/null |
			  awk '/^Version:/ { print $2 }' | sort -V | tail -n1)
		[[ -n $version ]] || die "package $PKG not found in $SUITE (see $APTDIR/update.log)"
	else
		version=$(cached_version)
		[[ -n $version ]] || die "cannot reach the Debian archive for $SUITE and no cached $PKG (see $APTDIR/update.log)"
		log "archive unreachable, using cached $PKG $version"
	fi

	dest=$CACHE/src/$version
	if [[ -e $dest/.complete ]]; then
		echo "$dest/$PKG"
		return
	fi

	rm -rf "$dest"
	tmp=$(mktemp -d "$CACHE/src/.dl.XXXXXX")
	deb=$DEBS/${PKG}_${version//:/%3a}_all.deb
	if [[ -f $deb ]]; then
		log "using the downloaded $PKG $version ($deb)"
	else
		log "downloading $PKG $version"
		# shellcheck disable=SC2086
		(cd "$tmp" && apt-get $opts -q download "$PKG=$version" >"$tmp/download.log" 2>&1) ||
			die "apt-get download $PKG=$version failed: $(tail -n1 "$tmp/download.log")"
		[[ -f $(echo "$tmp"/*.deb) ]] || die "apt-get download produced no .deb"
		mv "$tmp"/*.deb "$deb"
	fi

	log "extracting $PKG $version"
	mkdir -p "$dest"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$PKG.tar.xz" |
		xz -dc -T0 | tar -x -C "$dest"
	[[ -f $dest/$PKG/Makefile ]] || die "$PKG.tar.xz did not contain a kernel tree"
	rm -rf "$tmp"

	# A git repository makes applying the series, resetting it and
	# checking each patch cheap. Debian's top-level .gitignore ignores
	# everything, hence -f.
	log "indexing the source tree"
	git -C "$dest/$PKG" init -q
	# worktrees and git am add objects; an automatic gc of 90k files
	# would stall every build that uses the repository meanwhile
	git -C "$dest/$PKG" config gc.auto 0
	git -C "$dest/$PKG" add -f -A
	git -C "$dest/$PKG" -c user.name=khotrace -c user.email=khotrace@localhost \
		commit -q -m "Debian $PKG $version"
	git -C "$dest/$PKG" tag pristine
	touch "$dest/.complete"
	echo "$dest/$PKG"
}

main "$@"
