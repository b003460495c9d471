# SPDX-License-Identifier: GPL-2.0
#
# KTAP for the shell suites (sourced): result STATUS DESC [REASON] numbers
# a test point (STATUS 0: ok; else not ok, with REASON after '#'),
# ktap_skip DESC REASON one that could not run (SKIP, never a pass), and
# ktap_totals ends the stream with the plan and the totals line
# selftests/run.sh reads, and exits 0 when nothing failed.

pass=0 fail=0 skip=0 n=0

result()
{
	n=$((n + 1))
	if [[ $1 -eq 0 ]]; then
		echo "ok $n $2"; pass=$((pass + 1))
	else
		echo "not ok $n $2${3:+ # $3}"; fail=$((fail + 1))
	fi
}

ktap_skip()
{
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"; skip=$((skip + 1))
}

ktap_totals()
{
	echo "1..$n"
	echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
	[[ $fail -eq 0 ]]
}
