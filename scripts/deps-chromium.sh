#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the rendering test of khotrace's HTML report needs (only the
# missing packages): headless Chromium for the screenshot and xmllint for
# well-formedness. Only selftests/host/test_svg.c uses them; without them it
# skips, so this is separate from scripts/deps.sh.

set -euo pipefail

PACKAGES=(chromium libxml2-utils)

main()
{
	local p missing=()

	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	if [[ ${#missing[@]} -eq 0 ]]; then
		echo "deps-chromium: ${PACKAGES[*]} present" >&2
		return 0
	fi
	if [[ $(id -u) -ne 0 ]]; then
		echo "deps-chromium: error: missing ${missing[*]}; run as root to install them" >&2
		return 1
	fi
	echo "deps-chromium: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get -q update >/dev/null 2>&1 || echo "deps-chromium: warning: apt-get update failed" >&2
	if ! apt-get -q install -y --no-install-recommends "${missing[@]}" \
		>/tmp/khotrace-deps-chromium.log 2>&1; then
		tail -n 5 /tmp/khotrace-deps-chromium.log >&2
		echo "deps-chromium: error: could not install ${missing[*]} (log: /tmp/khotrace-deps-chromium.log)" >&2
		return 1
	fi
}

main "$@"
