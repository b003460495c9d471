# SPDX-License-Identifier: GPL-2.0
#
# khotrace: Linux Kexec HandOver built, traced and verified end to end.
#
#   make run     set up, build the kernel, run one full KHO cycle in QEMU
#   make check   set up and run every test suite (what CI runs)
#
# See README.md for the rest.

KHOTRACE_CACHE ?= /var/cache/khotrace
export KHOTRACE_CACHE

ifeq ($(V),1)
Q :=
else
Q := @
endif

TOOLS_DIR := tools/khotrace

.PHONY: deps-chromium all deps kernel kernel-upstream tools tools-static guest-tests run check check-full bench fuzz clean help

all: tools

help:
	@sed -n 's/^#   //p' Makefile
	@echo "  make deps            install missing Debian packages, fetch the kernel source"
	@echo "  make kernel          build the patched kernel (cached in \$$KHOTRACE_CACHE)"
	@echo "  make kernel-upstream build the kernel without the series"
	@echo "  make tools           build khotrace and its BPF objects"
	@echo "  make check-full      every vmtest scenario at full size"
	@echo "  make bench           performance figures (bench/results.json)"
	@echo "  make fuzz            libFuzzer targets (FUZZ_SECONDS each, default 60)"

deps:
	$(Q)scripts/deps.sh

# Chromium and xmllint for the rendering test of the HTML report; the test
# skips (saying why) when they cannot be installed.
deps-chromium:
	$(Q)scripts/deps-chromium.sh || echo "deps: chromium unavailable, the rendering test will skip" >&2

kernel: deps
	$(Q)kernel/scripts/build-kernel.sh khotrace >/dev/null

kernel-upstream: deps
	$(Q)kernel/scripts/build-kernel.sh upstream >/dev/null

tools:
	$(Q)if [ -f $(TOOLS_DIR)/Makefile ]; then $(MAKE) -C $(TOOLS_DIR); fi

tools-static:
	$(Q)if [ -f $(TOOLS_DIR)/Makefile ]; then $(MAKE) -C $(TOOLS_DIR) static; fi

# Test programs that run inside the vmtest guest (static binaries).
guest-tests: deps
	$(Q)$(MAKE) -s -C selftests/upstream
	$(Q)$(MAKE) -s -C selftests/vm
	$(Q)$(MAKE) -s -C bench

run: deps kernel tools-static guest-tests
	$(Q)scripts/run.sh

check: deps deps-chromium kernel tools-static guest-tests
	$(Q)selftests/run.sh

check-full: deps deps-chromium kernel tools-static guest-tests
	$(Q)selftests/run.sh --full

# libFuzzer targets of every parser of untrusted bytes, FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
fuzz: deps
	$(Q)$(MAKE) -s -C selftests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

# Performance figures as ratios (bench/results.json); never pass/fail.
bench: deps kernel kernel-upstream tools-static guest-tests
	$(Q)bench/run.sh

clean:
	$(Q)$(MAKE) -s -C selftests/upstream clean
	$(Q)$(MAKE) -s -C selftests/vm clean
	$(Q)$(MAKE) -s -C bench clean
	$(Q)if [ -f $(TOOLS_DIR)/Makefile ]; then $(MAKE) -C $(TOOLS_DIR) clean; fi
