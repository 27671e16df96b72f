#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-cuse-daemon-restart: the CUSE server without a daemon fails jobs at
# once (ERROR buffers, a clear log line) instead of hanging the client,
# picks the daemon up when it appears, and again after it restarts.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

[ -x build/daedalus-cuse ] || { echo "build/daedalus-cuse not built"; exit 77; }
[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }
cuse_streams

tmp=$(mktemp -d)
sock=/run/daedalus-v4l2/restart-test.sock
cuse_pid= daemon_pid=
cleanup() {
	[ -z "$cuse_pid" ] || { kill "$cuse_pid"; wait "$cuse_pid"; } 2>/dev/null
	[ -z "$daemon_pid" ] || { kill "$daemon_pid"; wait "$daemon_pid"; } 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

start_daemon() {
	build/daedalusd --no-device --socket "$sock" >>"$tmp/daemon.log" 2>&1 &
	daemon_pid=$!
	for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
	[ -S "$sock" ] || vm_fail "daemon did not listen on $sock"
}

modprobe cuse || vm_fail "modprobe cuse"
mkdir -p /run/daedalus-v4l2
rm -f "$sock"
build/daedalus-cuse --name video91 --media-name media91 --socket "$sock" >"$tmp/cuse.log" 2>&1 &
cuse_pid=$!
for _ in $(seq 100); do [ -c /dev/video91 ] && [ -c /dev/media91 ] && break; sleep 0.1; done
[ -c /dev/video91 ] || vm_fail "CUSE nodes did not appear"
export DAEDALUS_VIDEO=/dev/video91 DAEDALUS_MEDIA=/dev/media91

f=$VM_STREAMS/main.h264
cuse_ref "$f" "$tmp/ref"

t0=$(date +%s)
if LD_PRELOAD=$PWD/build/libdaedalus-preload.so timeout 60 \
	build/daedalus-decode --memory userptr --framemd5 --inflight 1 "$f" >"$tmp/none.md5" 2>"$tmp/none.err"; then
	vm_fail "decode without a daemon succeeded"
fi
dt=$(($(date +%s) - t0))
[ $dt -lt 30 ] || vm_fail "decode without a daemon took $dt s (should fail fast)"
grep -q "error: cuse: no daemon at $sock: job" "$tmp/cuse.log" || { cat "$tmp/cuse.log"; vm_fail "no 'no daemon' log line"; }
vm_note "no daemon: the client failed in ${dt}s; server said: $(grep -m1 "no daemon at $sock: job" "$tmp/cuse.log")"

start_daemon
sleep 0.5	# the server retries its connection every 200 ms
LD_PRELOAD=$PWD/build/libdaedalus-preload.so cuse_decode "$f" 4 "$tmp/a.md5" ||
	vm_fail "decode after the daemon appeared failed"
cuse_compare "daemon started late" "$tmp/ref" "$tmp/a.md5"

kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null
daemon_pid=
start_daemon
sleep 0.5
LD_PRELOAD=$PWD/build/libdaedalus-preload.so cuse_decode "$f" 4 "$tmp/b.md5" ||
	vm_fail "decode after a daemon restart failed"
cuse_compare "daemon restarted" "$tmp/ref" "$tmp/b.md5"
grep -q "daemon disconnected" "$tmp/cuse.log" || vm_fail "the server did not notice the restart"
kill -0 "$cuse_pid" || vm_fail "daedalus-cuse died"
