#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What make install puts on a host, checked with the tools a fleet runs
# (KTAP): the installed man pages render with man -l, the systemd units
# pass systemd-analyze verify, the completion knows every command, and
# khotrace export's output passes promtool check metrics and reads back
# through Debian's prometheus-node-exporter (textfile collector) on
# 127.0.0.1. A missing tool is a SKIP with the package to install
# (make deps-prometheus), never a pass.
#
# The export is made from a real cycle: the blackout timeline, verify
# result and recording that vmtest's fleet scenario exported
# (selftests/host/fixtures).

set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
FIX=$HERE/host/fixtures
TMP=$(mktemp -d /tmp/khotrace-dist.XXXXXX)
NODE_PID=
# shellcheck source=selftests/ktap.sh
. "$HERE/ktap.sh"

cleanup()
{
	[[ -n $NODE_PID ]] && kill "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

ok() { result 0 "$1"; }
not_ok() { result 1 "$1" "$2"; }
diag() { sed 's/^/# /' "$@"; }

# check DESC CMD...: ok when CMD succeeds, else not ok with its last line
check()
{
	local desc=$1 out

	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc" "$(echo "$out" | tail -n1 | cut -c1-200)"
		echo "$out" | tail -n 20 | sed 's/^/#   /'
	fi
}

# covers DESC NONE WORDS MISSING: ok "DESC (N words)" when there are WORDS
# and none of them is MISSING, else not ok with NONE or the missing ones
covers()
{
	local desc=$1 none=$2 words=$3 missing=$4

	if [[ -z $words ]]; then
		not_ok "$desc" "$none"
	elif [[ -n $missing ]]; then
		not_ok "$desc" "missing:$missing"
	else
		ok "$desc ($(echo $words | wc -w))"
	fi
}

# fails DESC CMD...: ok when CMD fails (a check that must be able to fail)
fails()
{
	local desc=$1

	shift
	if "$@" > /dev/null 2>&1; then
		not_ok "$desc" "$* succeeded"
	else
		ok "$desc"
	fi
}

PREFIX=$TMP/usr
BIN=$PREFIX/bin/khotrace

test_install()
{
	local out

	if ! out=$(make -s -C "$ROOT" install PREFIX="$PREFIX" 2>&1); then
		not_ok "make install PREFIX=... exits 0" "$(echo "$out" | tail -n1)"
		return 1
	fi
	ok "make install PREFIX=... exits 0"
	check "the binary is installed and runs" "$BIN" --version
	check "the bash completion is installed" \
		test -f "$PREFIX/share/bash-completion/completions/khotrace"
	check "the systemd units are installed, with the binary's path" \
		grep -q "^ExecStart=$BIN verify" "$PREFIX/lib/systemd/system/khotrace-verify.service"
	check "no AsciiDoc source installed in place of a man page" \
		test ! -e "$PREFIX/share/doc/khotrace"
}

# renders PAGE NAME: man -l formats PAGE without a complaint, with a NAME
# section that names NAME
renders()
{
	local out

	out=$(MANWIDTH=80 man -l "$1" 2>&1 >/dev/null) && [[ -z $out ]] &&
		MANWIDTH=80 man -l "$1" 2>/dev/null | grep -q "^NAME" &&
		MANWIDTH=80 man -l "$1" 2>/dev/null | grep -q "^ *$2 - "
}

test_man()
{
	local page name src

	if ! command -v man > /dev/null; then
		ktap_skip "man -l renders the installed pages" "no man (Debian package man-db)"
		return
	fi
	for src in "$ROOT"/tools/khotrace/Documentation/khotrace*.txt; do
		name=$(basename "$src" .txt)
		page=$PREFIX/share/man/man8/$name.8
		if [[ ! -f $page ]]; then
			not_ok "man -l $name.8 renders" "not installed"
		elif renders "$page" "$name"; then
			ok "man -l $name.8 renders"
		else
			not_ok "man -l $name.8 renders" "$(man -l "$page" 2>&1 >/dev/null | head -n1)"
		fi
	done
	# the check must see a page cut before its NAME section
	head -n 12 "$PREFIX/share/man/man8/khotrace.8" | grep -v '^\.SH "NAME"' > "$TMP/cut.8"
	fails "a page without its NAME section does not pass" renders "$TMP/cut.8" khotrace
}

test_units()
{
	local units=("$PREFIX"/lib/systemd/system/khotrace-*.service) bad=$TMP/bad

	if ! command -v systemd-analyze > /dev/null; then
		ktap_skip "systemd-analyze verify the units" "no systemd-analyze (Debian package systemd)"
		return
	fi
	# Documentation=man: must resolve to the installed pages
	check "systemd-analyze verify ${units[*]##*/}" \
		env MANPATH="$PREFIX/share/man" systemd-analyze verify "${units[@]}"
	mkdir -p "$bad"
	sed 's|^ExecStart=.*|ExecStart=/nonexistent/khotrace verify|' \
		"$PREFIX/lib/systemd/system/khotrace-verify.service" > "$bad/khotrace-verify.service"
	fails "systemd-analyze verify fails on a unit whose binary is missing" \
		env MANPATH="$PREFIX/share/man" systemd-analyze verify "$bad/khotrace-verify.service"
	check "the snapshot unit runs before systemd-kexec.service, for kexec.target" \
		grep -qx 'Before=systemd-kexec.service kexec.target' "${units[0]%/*}/khotrace-snapshot.service"
}

test_completion()
{
	local cmds words c missing=

	cmds=$("$BIN" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
	words=$(sed -n 's/^\tlocal commands="\(.*\)"/\1/p' "$PREFIX/share/bash-completion/completions/khotrace")
	for c in $cmds; do
		[[ " $words " == *" $c "* ]] || missing="$missing $c"
	done
	covers "the completion knows every command of --help" "no commands in --help" \
		"$cmds" "$missing"
	check "the completion is valid bash" bash -n "$PREFIX/share/bash-completion/completions/khotrace"
}

# the long options of COMMAND as --help (made from its table), the man page
# and the completion name them, one a line, sorted; --help itself left out
opts_help()
{
	"$BIN" "$1" --help | sed -n '/^Options:/,/^$/p' |
		grep -oE '^  (-[a-zA-Z], |    )--[a-z-]+' | grep -oE -- '--[a-z-]+' | grep -vx -- --help | sort
}

opts_man()
{
	grep -oE '^--[a-z-]+(\[?=[A-Z]+\]?)?::$' "$ROOT/tools/khotrace/Documentation/khotrace-$1.txt" |
		grep -oE -- '^--[a-z-]+' | grep -vx -- --help | sort
}

opts_completion()
{
	# the command's line in "case $cmd in", up to its ';;'
	awk -v cmd="$1" '/^\tcase \$cmd in/ { on = 1 }
		on && index($1, cmd ")") == 1 { p = 1 }
		p { print } p && /;;/ { exit }' "$PREFIX/share/bash-completion/completions/khotrace" |
		grep -oE -- '--[a-z-]+' | grep -vx -- --help | sort -u
}

# options are declared once, in the command's table: what cannot be made
# from it (the man page, the completion) must name the same ones
test_options_agree()
{
	local c h m comp

	for c in $("$BIN" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
		h=$(opts_help "$c")
		m=$(opts_man "$c")
		comp=$(opts_completion "$c")
		if [[ -z $h ]]; then
			not_ok "$c: --help, man page and completion name the same options" \
				"no options in $c --help"
		elif [[ $h != "$m" || $h != "$comp" ]]; then
			not_ok "$c: --help, man page and completion name the same options" \
				"--help: $(echo $h); man: $(echo $m); completion: $(echo $comp)"
		else
			ok "$c: --help, man page and completion name the same options ($(echo $h | wc -w))"
		fi
	done
}

# the export of the recorded cycle, from a copy of its debugfs file
EXPORT_DIR=$TMP/textfile
make_export()
{
	mkdir -p "$TMP/kho" "$EXPORT_DIR"
	cp "$FIX/blackout1.txt" "$TMP/kho/blackout"
	check "khotrace export of the recorded cycle into a textfile directory" \
		"$BIN" export --root "$TMP/kho" --verify-result "$FIX/verify1.json" \
		--record "$FIX/record0.rec" --textfile-dir "$EXPORT_DIR"
	check "export leaves no temporary file" \
		test "$(ls -A "$EXPORT_DIR")" = khotrace.prom
}

test_promtool()
{
	local f

	if ! command -v promtool > /dev/null; then
		ktap_skip "promtool check metrics" "no promtool (Debian package prometheus: make deps-prometheus)"
		return
	fi
	for f in "$EXPORT_DIR/khotrace.prom" "$FIX/cycle1.prom" "$FIX/cycle2.prom"; do
		check "promtool check metrics < ${f##*/} (${f%/*})" sh -c "promtool check metrics < '$f'"
	done
	if [[ ! -s $EXPORT_DIR/khotrace.prom ]]; then
		not_ok "promtool check metrics catches a bad exposition" "no export to alter"
		return
	fi
	# one # HELP per family: a repeated one must be caught
	sed '0,/^# HELP/{s/^\(# HELP .*\)$/\1\n\1/}' "$EXPORT_DIR/khotrace.prom" > "$TMP/dup.prom"
	fails "promtool check metrics fails on a repeated # HELP" \
		sh -c "promtool check metrics < '$TMP/dup.prom'"
	sed 's/^khotrace_kexecs_total /khotrace_kexecs /; s/^\(# [A-Z]* khotrace_kexecs\)_total/\1/' \
		"$EXPORT_DIR/khotrace.prom" > "$TMP/counter.prom"
	fails "promtool check metrics fails on a counter without _total" \
		sh -c "promtool check metrics < '$TMP/counter.prom'"
}

# scrape PORT: GET /metrics over bash's /dev/tcp, body on stdout
scrape()
{
	local line

	exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
	printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
	# headers, then the body
	while IFS= read -r line <&3; do
		[[ $line == $'\r' || -z $line ]] && break
	done
	cat <&3
	exec 3<&-
}

test_node_exporter()
{
	local ne port out=$TMP/scrape.txt fam fams missing= i

	ne=$(command -v prometheus-node-exporter || command -v node_exporter)
	if [[ -z $ne ]]; then
		ktap_skip "node_exporter serves the export" \
			"no node_exporter (Debian package prometheus-node-exporter: make deps-prometheus)"
		return
	fi
	port=$((20000 + RANDOM % 20000))
	"$ne" --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$EXPORT_DIR" \
		> "$TMP/ne.log" 2>&1 &
	NODE_PID=$!
	for i in $(seq 50); do
		scrape "$port" > "$out" 2>/dev/null && [[ -s $out ]] && break
		kill -0 "$NODE_PID" 2>/dev/null || break
		sleep 0.2
	done
	if [[ ! -s $out ]]; then
		not_ok "node_exporter serves the export on 127.0.0.1:$port" "$(tail -n1 "$TMP/ne.log")"
		return
	fi
	ok "node_exporter serves the export on 127.0.0.1:$port"
	check "node_exporter read the textfile without error" \
		grep -qx 'node_textfile_scrape_error 0' "$out"
	fams=$(sed -n 's/^# TYPE \(khotrace_[a-z_]*\) .*/\1/p' "$EXPORT_DIR/khotrace.prom")
	for fam in $fams; do
		grep -q "^$fam[{ ]" "$out" || missing="$missing $fam"
	done
	covers "every khotrace family reads back over HTTP" "the export has no family" \
		"$fams" "$missing"
	check "the scraped verify outcome is the exported one" \
		grep -qx 'khotrace_verify_outcome{outcome="ok"} 1' "$out"
	grep '^khotrace_' "$out" | head -n 12 | diag
	kill "$NODE_PID" 2>/dev/null
	wait "$NODE_PID" 2>/dev/null
	NODE_PID=
}

echo "TAP version 13"
if test_install; then
	test_man
	test_units
	test_completion
	test_options_agree
	make_export
	test_promtool
	test_node_exporter
fi
ktap_totals
