# SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
# Quiet rules, libbpf-tools style, for every Makefile of the tree:
#   $(Q)CMD            hides CMD unless V=1
#   $(call msg,TAG,F)  prints "  TAG      F" instead (F without $(OUTPUT)'s
#                      absolute prefix, for a sub-make's OUTPUT=$(abspath ..))
ifeq ($(V),1)
	Q =
	msg =
else
	Q = @
	msg = @printf '  %-8s %s\n' "$(1)" "$(patsubst $(abspath $(OUTPUT))/%,%,$(2))";
endif
