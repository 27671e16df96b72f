#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-fault-daemon-kill: daedalusd SIGKILLed while two clients (--inflight 4,
# MMAP and USERPTR) decode, on the kernel module and on the CUSE server.
# Every pending job fails at once: both clients end on an ERROR buffer
# within timeout_ms (none waits for its own 10 s timeout or blocks), no
# job, request or buffer is left in the front end, an fd opened before the
# kill still works, and a restarted daemon serves two new streams exactly
# without reloading the module or restarting the CUSE server.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh
. tests/vm/fault-lib.sh

[ -x build/daedalus-decode ] && [ -x build/daedalusd ] && [ -x build/daedalus-cuse ] ||
	{ echo "programs not built"; exit 77; }
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
trap fault_cleanup EXIT
fault_streams
# Generous for TCG on a loaded host: a decode job must never hit it; the
# kill itself fails jobs at once.
TIMEOUT_MS=3000

# kill_and_check FRONT PRELOAD: the common part of both front ends.
kill_and_check() {
	local front=$1 pre=$2 t0 dt n
	fault_holder_start
	fault_client a "$FAULT_STREAM" mmap "$pre"
	fault_client b "$FAULT_STREAM" userptr "$pre"
	fault_wait_progress 12
	t0=$(date +%s%N)
	fault_kill_daemon KILL
	for n in a b; do
		fault_wait $n $((TIMEOUT_MS / 1000 + 10))
		dt=$((($(date +%s%N) - t0) / 1000000))
		[ "$fault_st" != 0 ] || vm_fail "$front: client $n succeeded without its daemon"
		fault_expect_error $n
		[ $dt -le $((TIMEOUT_MS + 10000)) ] ||
			vm_fail "$front: client $n ended ${dt} ms after the kill (timeout_ms $TIMEOUT_MS)"
		vm_note "$front: client $n ended on an ERROR buffer ${dt} ms after the kill"
	done
}

restart_and_check() {
	local front=$1 pre=$2
	fault_client c "$VM_STREAMS/main.h264" mmap "$pre"
	fault_client d "$VM_STREAMS/main.h264" userptr "$pre"
	fault_exact c "$fault_tmp/main.ref"
	fault_exact d "$fault_tmp/main.ref"
	vm_note "$front: the restarted daemon decodes exactly"
}

# ---- kernel module -------------------------------------------------------
mark=$(vm_dmesg_mark)
fault_kernel_start timeout_ms=$TIMEOUT_MS
fault_kernel_daemon --no-socket
kill_and_check kernel ""
fault_kernel_clean 1
[ "$(fault_dbg daemon)" = none ] || vm_fail "debugfs: daemon still connected"
log=$(dmesg | awk -v m="$mark" 'f; index($0, m) { f = 1 }')
grep -Eq 'daemon closed /dev/daedalus-v4l2: [1-9][0-9]* job' <<<"$log" ||
	vm_fail "no log line failing the jobs the daemon held"
vm_note "kernel: $(grep -o 'daemon closed .*' <<<"$log" | tail -1)"
[ "$(fault_dbg errors)" -ge 2 ] || vm_fail "debugfs: errors $(fault_dbg errors)"
fault_holder_check
fault_kernel_daemon --no-socket
restart_and_check kernel ""
fault_kernel_clean 0
kill "$fault_daemon_pid"; wait "$fault_daemon_pid" 2>/dev/null || true
fault_daemon_pid=
vm_unload_module
vm_dmesg_clean_since "$mark"

# ---- CUSE ----------------------------------------------------------------
fault_cuse_daemon
fault_cuse_server --timeout-ms $TIMEOUT_MS
kill_and_check cuse "$FAULT_PRELOAD"
fault_cuse_clean 1
grep -Eq 'daemon connection lost: [1-9][0-9]* jobs failed' "$fault_tmp/cuse.log" ||
	{ cat "$fault_tmp/cuse.log" >&2; vm_fail "cuse: no log line failing the daemon's jobs"; }
vm_note "cuse: $(grep -o 'daemon connection lost.*' "$fault_tmp/cuse.log" | tail -1)"
fault_holder_check
fault_cuse_daemon
for i in $(seq 50); do
	[ "$(grep -c 'daemon socket .* connected' "$fault_tmp/cuse.log")" -ge 2 ] && break
	sleep 0.1
done
restart_and_check cuse "$FAULT_PRELOAD"
fault_cuse_clean 0
fault_daemon_idle 1
kill -0 "$fault_cuse_pid" || vm_fail "daedalus-cuse died"
