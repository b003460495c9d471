#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print khotrace's cache directory: $KHOTRACE_CACHE, else the default.
# The one place that spells the default; every Makefile and script asks
# this (selftests/tree.sh fails on a second spelling).
echo "${KHOTRACE_CACHE:-/var/cache/khotrace}"
