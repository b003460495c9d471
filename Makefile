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

.PHONY: all deps kernel kernel-upstream tools tools-static guest-tests run check check-full clean help

all: tools

help:
	@sed -n 's/^#   //p' Makefile
	@echo "  make deps            install missing Debian packages, fetch the kernel source"
	@echo "  make kernel          build the patched kernel (cached in \$$KHOTRACE_CACHE)"
	@echo "  make kernel-upstream build the kernel without the series"
	@echo "  make tools           build khotrace and its BPF objects"
	@echo "  make check-full      every vmtest scenario at full size"

deps:
	$(Q)scripts/deps.sh

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
	$(Q)vmtest/vmtest.sh -s chain -n 1

check: deps kernel tools-static guest-tests
	$(Q)selftests/run.sh

check-full: deps kernel tools-static guest-tests
	$(Q)selftests/run.sh --full

clean:
	$(Q)$(MAKE) -s -C selftests/upstream clean
	$(Q)$(MAKE) -s -C selftests/vm clean
	$(Q)$(MAKE) -s -C bench clean
	$(Q)if [ -f $(TOOLS_DIR)/Makefile ]; then $(MAKE) -C $(TOOLS_DIR) clean; fi
