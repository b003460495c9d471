# SPDX-License-Identifier: GPL-2.0
#
# khotrace: Linux Kexec HandOver built, traced and verified end to end.
#
#   make run     set up, build the kernel, run one full KHO cycle in QEMU
#   make check   set up and run every test suite (what CI runs)
#
# See README.md for the rest. Every target names what it needs, so -jN
# works from an empty cache; each stage prints one line with its time
# (scripts/stage.sh), its output is in .output/logs/STAGE.log.

KHOTRACE_CACHE ?= $(shell scripts/cache-dir.sh)
export KHOTRACE_CACHE
# when make started, for the stage lines' elapsed time
KHOTRACE_T0 := $(shell date +%s)
export KHOTRACE_T0

ifeq ($(V),1)
Q :=
else
Q := @
endif

TOOLS_DIR := tools/khotrace
STAGE := scripts/stage.sh

.PHONY: all help packages deps deps-chromium deps-prometheus kernel kernel-upstream kernel-debug \
	tools tools-static guest-tests run check check-full bench fuzz install clean

all: tools

help:
	@sed -n 's/^#   //p' Makefile
	@echo "  make deps            install missing Debian packages, fetch the kernel source"
	@echo "  make kernel          build the patched kernel (cached in \$$KHOTRACE_CACHE)"
	@echo "  make kernel-upstream build the kernel without the series"
	@echo "  make kernel-debug    build the series with KASAN, lockdep, kmemleak, UBSAN"
	@echo "  make tools           build khotrace and its BPF objects (needs only packages)"
	@echo "  make check-full      every vmtest scenario at full size"
	@echo "  make bench           performance figures (bench/results.json)"
	@echo "  make fuzz            libFuzzer targets (FUZZ_SECONDS each, default 60)"
	@echo "  make install         binary, man pages, completion, systemd units (PREFIX, DESTDIR)"

packages:
	$(Q)$(STAGE) packages scripts/deps.sh

deps: packages
	$(Q)$(STAGE) source kernel/scripts/fetch-source.sh

# Chromium and xmllint for the rendering test of the HTML report; the test
# skips (saying why) when they cannot be installed. After packages: one
# apt-get at a time.
deps-chromium: packages
	$(Q)$(STAGE) chromium scripts/deps-chromium.sh || \
		echo "deps: chromium unavailable, the rendering test will skip" >&2

# promtool and node_exporter for the dist checks of khotrace export; they
# skip (saying why) when these cannot be installed.
deps-prometheus: packages deps-chromium
	$(Q)$(STAGE) prometheus scripts/deps-prometheus.sh || \
		echo "deps: prometheus unavailable, the export checks will skip" >&2

kernel: deps
	$(Q)$(STAGE) kernel kernel/scripts/build-kernel.sh khotrace

kernel-upstream: deps
	$(Q)$(STAGE) kernel-upstream kernel/scripts/build-kernel.sh upstream

# the series under KASAN, debug_pagealloc, lockdep, kmemleak and UBSAN
kernel-debug: deps
	$(Q)$(STAGE) kernel-debug kernel/scripts/build-kernel.sh debug

# The tools compile with the Debian packages alone (tools/include/uapi
# holds the kernel headers they need); run and check install those first.
tools:
	$(Q)$(MAKE) -C $(TOOLS_DIR)

tools-static: packages
	$(Q)$(STAGE) tools $(MAKE) -C $(TOOLS_DIR) static

# Test programs that run inside the vmtest guest (static binaries); the
# in-VM tests and upstream's selftests need the kernel source. The in-VM
# tests link the tool's libkhotrace.a: after tools-static, so that a
# parallel make never builds the tool's objects twice at once.
guest-tests: deps tools-static
	$(Q)$(STAGE) guest-tests sh -c '$(MAKE) -C selftests/upstream && \
		$(MAKE) -C selftests/vm && $(MAKE) -C bench'

run: deps kernel tools-static guest-tests
	$(Q)scripts/run.sh

check: deps deps-chromium deps-prometheus kernel kernel-upstream kernel-debug tools-static guest-tests
	$(Q)selftests/run.sh

check-full: deps deps-chromium deps-prometheus kernel kernel-upstream kernel-debug tools-static \
	guest-tests
	$(Q)selftests/run.sh --full

# libFuzzer targets of every parser of untrusted bytes, FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
fuzz: packages
	$(Q)$(MAKE) -s -C selftests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

# Performance figures as ratios (bench/results.json); never pass/fail.
bench: deps kernel kernel-upstream tools-static guest-tests
	$(Q)bench/run.sh

# What a host needs: the binary, man pages, bash completion (tools'
# install) and the systemd units of dist/systemd with the binary's path.
PREFIX ?= /usr/local
DESTDIR ?=
UNITDIR ?= $(PREFIX)/lib/systemd/system
UNITS := $(wildcard dist/systemd/*.service)

install:
	$(Q)$(MAKE) -C $(TOOLS_DIR) install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	$(Q)install -d $(DESTDIR)$(UNITDIR)
	$(Q)for u in $(UNITS); do \
		sed 's|@BINDIR@|$(PREFIX)/bin|g' $$u > $(DESTDIR)$(UNITDIR)/$${u##*/} && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$${u##*/} || exit 1; \
	done

clean:
	$(Q)$(MAKE) -s -C selftests/upstream clean
	$(Q)$(MAKE) -s -C selftests/vm clean
	$(Q)$(MAKE) -s -C bench clean
	$(Q)$(MAKE) -C $(TOOLS_DIR) clean
