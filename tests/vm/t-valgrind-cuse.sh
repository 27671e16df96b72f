#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-valgrind-cuse: memcheck over the CUSE server.  daedalus-cuse runs under
# valgrind (--leak-check=full, definite leaks are errors) next to a plain
# daedalusd; build/daedalus-decode decodes a 320x240 12-frame stream through
# it with USERPTR and with MMAP buffers (each frame's md5 must equal
# ffmpeg's); then SIGTERM.  Passes only with 0 memcheck errors and 0 bytes
# definitely lost.  DD_VALGRIND_CUSE names another server binary.
# Suppressions: tests/valgrind/daedalus-cuse.supp.
# About 70 s per kernel under TCG (22 s of it valgrind starting the server).
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
CUSE=${DD_VALGRIND_CUSE:-build/daedalus-cuse}
[ -x "$CUSE" ] || { echo "build/daedalus-cuse not built"; exit 77; }
[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }
[ -x build/daedalusd ] || { echo "build/daedalusd not built"; exit 77; }

cuse_streams
STREAM=$VM_STREAMS/baseline-slices.h264
tmp=$(mktemp -d)
VIDEO=video91 MEDIA=media91
dpid= cpid=

stop() { # stop PID SECONDS: SIGTERM, wait up to SECONDS; 0 if it exited 0
	local pid=$1 n=$(($2 * 10)) st=0
	kill -TERM "$pid" 2>/dev/null || return 1
	while kill -0 "$pid" 2>/dev/null && [ $n -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 1
	fi
	wait "$pid" || st=$?
	return $st
}
cleanup() {
	[ -z "$cpid" ] || kill -KILL "$cpid" 2>/dev/null
	[ -z "$dpid" ] || kill -KILL "$dpid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

modprobe cuse || vm_fail "modprobe cuse failed"
mkdir -p /run/daedalus-v4l2
build/daedalusd --no-device >"$tmp/daemon.log" 2>&1 &
dpid=$!
for i in $(seq 100); do [ -S /run/daedalus-v4l2/cuse.sock ] && break; sleep 0.1; done
[ -S /run/daedalus-v4l2/cuse.sock ] || vm_fail "daedalusd did not create its socket"

t0=$(date +%s)
valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --error-exitcode=99 --track-fds=no \
	--suppressions=tests/valgrind/daedalus-cuse.supp --log-file="$tmp/memcheck.log" \
	"$CUSE" --name $VIDEO --media-name $MEDIA >"$tmp/cuse.log" 2>&1 &
cpid=$!
for i in $(seq 1200); do
	[ -c /dev/$VIDEO ] && [ -c /dev/$MEDIA ] && break
	kill -0 $cpid 2>/dev/null || break
	sleep 0.1
done
[ -c /dev/$VIDEO ] && [ -c /dev/$MEDIA ] ||
	{ cat "$tmp/memcheck.log" "$tmp/cuse.log" >&2; vm_fail "CUSE nodes did not appear under valgrind"; }
vm_note "daedalus-cuse up under memcheck after $(($(date +%s) - t0)) s"

cuse_ref "$STREAM" "$tmp/ref.md5"
for mem in userptr mmap; do
	t1=$(date +%s)
	DAEDALUS_VIDEO=/dev/$VIDEO DAEDALUS_MEDIA=/dev/$MEDIA \
	LD_PRELOAD=build/libdaedalus-preload.so \
		build/daedalus-decode --memory $mem --framemd5 --inflight 2 "$STREAM" \
		>"$tmp/$mem.md5" 2>"$tmp/$mem.err" ||
		{ cat "$tmp/$mem.err" >&2; vm_fail "daedalus-decode --memory $mem failed"; }
	cuse_compare "baseline-slices $mem ($(($(date +%s) - t1)) s)" "$tmp/ref.md5" "$tmp/$mem.md5"
done

st=0
stop $cpid 300 || st=$?
cpid=
stop $dpid 10 || vm_fail "daedalusd did not exit cleanly"
dpid=
errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$tmp/memcheck.log" | tail -n 1)
lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$tmp/memcheck.log" | tail -n 1 | tr -d ,)
vm_note "memcheck: ${errs:-?} errors, ${lost:-0} bytes definitely lost, exit status $st," \
	"$(($(date +%s) - t0)) s in all"
if [ "$st" != 0 ] || [ "${errs:-1}" != 0 ] || [ "${lost:-0}" != 0 ]; then
	keep=build/tests/valgrind/cuse-memcheck.$DAEDALUS_KVER.log
	mkdir -p build/tests/valgrind
	cp "$tmp/memcheck.log" "$keep"
	grep -v -e '^==[0-9]*== *$' -e '^--[0-9]*--' "$tmp/memcheck.log" | sed -n 1,200p >&2
	vm_fail "daedalus-cuse not clean under memcheck (log: $keep)"
fi
