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
# BUG or oops logged while a test runs fails that test.  So does leaving
# something behind: after each test the runner kills every process the
# test started that still runs (SIGCONT, then SIGKILL) and unloads
# daedalus_v4l2 if it is still loaded, naming both in the FAIL line.  If
# the module cannot be unloaded, the tests after it are not run (each is
# reported as a FAIL naming the test that left the guest unusable), so one
# hung test does not show up as a dozen unrelated failures.
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

# cleanup_after NAME TAG: kill what the test left running (every process
# whose environment carries DAEDALUS_VM_TEST=TAG, which all it starts
# inherit), unload the module.  Sets $left to what it found ("" when the
# test cleaned up after itself) and $dirty when the guest cannot be made
# clean again.
cleanup_after() {
	local f p pids=() names=() i
	left=
	# One grep over every environment: forks are slow under TCG.
	for f in $(grep -lzx -F "DAEDALUS_VM_TEST=$2" /proc/[0-9]*/environ 2>/dev/null); do
		p=${f#/proc/}
		p=${p%/environ}
		pids+=("$p")
		names+=("$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-50 | sed 's/ *$//')")
	done
	if [ ${#pids[@]} -gt 0 ]; then
		kill -CONT "${pids[@]}" 2>/dev/null
		kill -KILL "${pids[@]}" 2>/dev/null
		for i in $(seq 50); do
			kill -0 "${pids[@]}" 2>/dev/null || break
			sleep 0.1
		done
		left="left running: $(IFS=,; echo "${names[*]}"); "
	fi
	[ -d /sys/module/daedalus_v4l2 ] || return 0
	for i in $(seq 20); do
		rmmod daedalus_v4l2 2>/dev/null && break
		sleep 0.25
	done
	if [ -d /sys/module/daedalus_v4l2 ]; then
		dirty="$1 left daedalus_v4l2 loaded and in use (refcnt $(cat /sys/module/daedalus_v4l2/refcnt))"
		left+="$dirty; "
	else
		left+="left daedalus_v4l2 loaded; "
	fi
}

pass=0 fail=0 skip=0 dirty=
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for n in "${tests[@]}"; do
	case $n in '!'*) fail=$((fail + 1)); continue ;; esac
	if [ -n "$dirty" ]; then
		echo "---- $n"
		echo "FAIL $n (not run: $dirty)"
		fail=$((fail + 1))
		continue
	fi
	echo "---- $n"
	# A marker in the kernel log (survives ring-buffer wrap, unlike a count).
	mark="daedalus-vm: start $n $RANDOM$RANDOM"
	echo "$mark" >/dev/kmsg
	# Indented, so a test's own output cannot forge a PASS/FAIL line.
	# Through a file, not a pipe: a process the test leaves behind keeps
	# a pipe open, and the runner would wait for it forever.
	tag=$n.$RANDOM$RANDOM
	DAEDALUS_VM_TEST=$tag timeout -k 5 "${VM_TEST_TIMEOUT:-300}" \
		bash "tests/vm/$n.sh" </dev/null >"$out" 2>&1 &
	tpid=$!
	tail -n +1 -s 0.2 -f --pid=$tpid "$out" | sed -u 's/^/    /'
	wait $tpid
	st=$?
	cleanup_after "$n" "$tag"
	since=$(dmesg | awk -v m="$mark" 'f; index($0, m) { f = 1 }')
	bad=$(grep -E 'BUG:|WARNING:|Oops|Call Trace' <<<"$since" || true)
	if [ -n "$bad" ]; then
		sed 's/^/    /' <<<"$since"
		echo "FAIL $n (kernel problem in dmesg)"
		fail=$((fail + 1))
	elif { [ $st = 0 ] || [ $st = 77 ]; } && [ -n "$left" ]; then
		echo "FAIL $n (${left%; })"
		fail=$((fail + 1))
	elif [ $st = 0 ]; then
		echo "PASS $n"
		pass=$((pass + 1))
	elif [ $st = 77 ]; then
		echo "SKIP $n"
		skip=$((skip + 1))
	elif [ $st = 124 ] || [ $st = 137 ]; then
		echo "FAIL $n (timeout after ${VM_TEST_TIMEOUT:-300}s${left:+; ${left%; }})"
		fail=$((fail + 1))
	else
		echo "FAIL $n (exit $st${left:+; ${left%; }})"
		fail=$((fail + 1))
	fi
done

echo "vm-kernel $DAEDALUS_KVER: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
