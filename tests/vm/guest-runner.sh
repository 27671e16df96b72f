#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/vm/guest-runner.sh [NAME...]: run guest tests inside ONE guest boot
# (booting costs seconds under TCG, a test usually much less).  Started by
# tests/vm/check.sh through tests/vm/run; never run it on the host.
#
# Adding a test: create tests/vm/t-<name>.sh.  It runs with bash as root at
# the repository root in the guest, sources tests/vm/lib.sh for helpers,
# prints what it checks, and exits 0 for pass, 77 to skip (say why), any
# other status for fail.  It must undo what it did (rmmod what it loaded,
# stop daemons it started) so later tests start clean.  It is picked up by
# the glob below; `make check-vm VM_TESTS="t-<name> ..."` runs a subset.
# Each test gets VM_TEST_TIMEOUT seconds (default 300).  A kernel warning,
# BUG or oops logged while a test runs fails that test.
#
# Prints "PASS name", "FAIL name (...)" or "SKIP name" per test and finally
# "vm-kernel <kver>: N passed, N failed, N skipped".  Exit status 0 only if
# nothing failed.

set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
[ "${DAEDALUS_GUEST:-}" = 1 ] || { echo "guest-runner: not inside the VM" >&2; exit 1; }

tests=()
if [ $# -gt 0 ]; then
	for n in "$@"; do
		n=${n%.sh}
		n=${n#tests/vm/}
		[ -f "tests/vm/$n.sh" ] || { echo "FAIL $n (no tests/vm/$n.sh)"; tests+=("!$n"); continue; }
		tests+=("$n")
	done
else
	for f in tests/vm/t-*.sh; do
		[ -e "$f" ] || continue
		n=${f##*/}
		tests+=("${n%.sh}")
	done
fi

pass=0 fail=0 skip=0
for n in "${tests[@]}"; do
	case $n in '!'*) fail=$((fail + 1)); continue ;; esac
	echo "---- $n"
	# A marker in the kernel log (survives ring-buffer wrap, unlike a count).
	mark="daedalus-vm: start $n $RANDOM$RANDOM"
	echo "$mark" >/dev/kmsg
	# Indented, so a test's own output cannot forge a PASS/FAIL line.
	timeout -k 5 "${VM_TEST_TIMEOUT:-300}" bash "tests/vm/$n.sh" </dev/null 2>&1 |
		sed -u 's/^/    /'
	st=${PIPESTATUS[0]}
	since=$(dmesg | awk -v m="$mark" 'f; index($0, m) { f = 1 }')
	bad=$(grep -E 'BUG:|WARNING:|Oops|Call Trace' <<<"$since" || true)
	if [ -n "$bad" ]; then
		sed 's/^/    /' <<<"$since"
		echo "FAIL $n (kernel problem in dmesg)"
		fail=$((fail + 1))
	elif [ $st = 0 ]; then
		echo "PASS $n"
		pass=$((pass + 1))
	elif [ $st = 77 ]; then
		echo "SKIP $n"
		skip=$((skip + 1))
	elif [ $st = 124 ] || [ $st = 137 ]; then
		echo "FAIL $n (timeout after ${VM_TEST_TIMEOUT:-300}s)"
		fail=$((fail + 1))
	else
		echo "FAIL $n (exit $st)"
		fail=$((fail + 1))
	fi
done

echo "vm-kernel $DAEDALUS_KVER: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
