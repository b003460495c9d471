#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the rendering test of khotrace's HTML report needs (only the
# missing packages): headless Chromium for the screenshot and xmllint for
# well-formedness. Only selftests/host/test_svg.c uses them; without them it
# skips, so this is separate from scripts/deps.sh.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/apt-install.sh
. "$HERE/apt-install.sh"

apt_install_missing deps-chromium chromium libxml2-utils
