# SPDX-License-Identifier: GPL-2.0
#
# apt_install_missing TAG PACKAGE...: install, non-interactively, those of
# the Debian PACKAGEs that are not installed; messages are prefixed with
# TAG. Returns non-zero, with one error line naming the packages, when
# they cannot be installed. Sourced by deps.sh and deps-chromium.sh.

apt_install_missing()
{
	local tag=$1 p log missing=()

	shift
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	if [[ ${#missing[@]} -eq 0 ]]; then
		echo "$tag: all $# packages present" >&2
		return 0
	fi
	if [[ $(id -u) -ne 0 ]]; then
		echo "$tag: error: missing ${missing[*]}; run as root to install them" >&2
		return 1
	fi
	echo "$tag: installing ${missing[*]}" >&2
	log=/tmp/khotrace-$tag.log
	export DEBIAN_FRONTEND=noninteractive
	apt-get -q update >/dev/null 2>&1 || echo "$tag: warning: apt-get update failed" >&2
	if ! apt-get -q install -y --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
		tail -n 5 "$log" >&2
		echo "$tag: error: could not install ${missing[*]} (log: $log)" >&2
		return 1
	fi
}
