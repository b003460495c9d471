#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the dist checks of khotrace export need (only the missing
# packages): promtool (Debian package prometheus) to check the Prometheus
# text, and prometheus-node-exporter to read it back through its textfile
# collector. Only selftests/dist.sh uses them; without them those checks
# skip, so this is separate from scripts/deps.sh. apt does not start the
# services here (no systemd as PID 1); the test starts its own
# node_exporter on 127.0.0.1.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/apt-install.sh
. "$HERE/apt-install.sh"

apt_install_missing deps-prometheus prometheus prometheus-node-exporter
