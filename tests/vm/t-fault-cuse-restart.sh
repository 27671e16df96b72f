#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-fault-cuse-restart: one daedalusd serves the kernel module and the CUSE
# server; the CUSE server is SIGKILLed while a client decodes through it
# and another through the module.  The daemon frees the CUSE front end's
# contexts (log line, SIGUSR1 stats) and keeps serving the module: the
# module's client stays exact, the CUSE client ends within a bound, and
# after the server restarts both front ends decode exactly again.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh
. tests/vm/fault-lib.sh

[ -x build/daedalus-decode ] && [ -x build/daedalusd ] && [ -x build/daedalus-cuse ] ||
	{ echo "programs not built"; exit 77; }
trap fault_cleanup EXIT
fault_streams

mark=$(vm_dmesg_mark)
fault_kernel_start
kvideo=$DAEDALUS_VIDEO kmedia=$DAEDALUS_MEDIA
rm -f "$FAULT_SOCK"
fault_kernel_daemon --socket "$FAULT_SOCK"
fault_cuse_server
cvideo=$DAEDALUS_VIDEO cmedia=$DAEDALUS_MEDIA

# Both front ends busy, then the CUSE server dies.
DAEDALUS_VIDEO=$kvideo DAEDALUS_MEDIA=$kmedia fault_client kern "$FAULT_STREAM" mmap
fault_client cuse "$FAULT_STREAM" mmap "$FAULT_PRELOAD"
fault_wait_progress 12
fault_daemon_stats
[ "$(fault_daemon_stat front_ends)" = 2 ] || vm_fail "daemon: not serving two front ends"
[ "$(fault_daemon_stat contexts)" -ge 2 ] || vm_fail "daemon: fewer than two contexts"
vm_note "both front ends decoding: $(sed 's/.*stats: //' "$fault_tmp/daemon.stats")"
kill -9 "$fault_cuse_pid"
wait "$fault_cuse_pid" 2>/dev/null || true
fault_cuse_pid=
t0=$(date +%s)
fault_wait cuse 15
[ "$fault_st" != 0 ] || vm_fail "the CUSE client succeeded without its server"
vm_note "the CUSE client ended $(($(date +%s) - t0)) s after its server died (status $fault_st)"
for i in $(seq 50); do
	grep -q 'daemon-sock.*front end gone, freeing its contexts\|front end gone, freeing its contexts' \
		"$fault_tmp/daemon.log" && break
	sleep 0.1
done
grep -q 'front end gone, freeing its contexts' "$fault_tmp/daemon.log" ||
	{ cat "$fault_tmp/daemon.log" >&2; vm_fail "the daemon did not drop the CUSE front end"; }
# The module's client is still decoding: the daemon holds its context only.
fault_daemon_stats
[ "$(fault_daemon_stat front_ends)" = 1 ] || vm_fail "daemon: front ends, want 1"
vm_note "after the kill: $(sed 's/.*stats: //' "$fault_tmp/daemon.stats")"
fault_exact kern "$FAULT_STREAM.ref"
vm_note "the module's client decoded exactly across the CUSE server's death"
fault_daemon_idle 1
[ "$(fault_dbg daemon)" = connected ] || vm_fail "the daemon left the module"

# Restarted server: both front ends exact at once.
for i in $(seq 50); do [ ! -e /dev/video93 ] && break; sleep 0.1; done
fault_cuse_server
DAEDALUS_VIDEO=$kvideo DAEDALUS_MEDIA=$kmedia fault_client kern2 "$VM_STREAMS/main.h264" userptr
fault_client cuse2 "$VM_STREAMS/main.h264" userptr "$FAULT_PRELOAD"
fault_exact kern2 "$fault_tmp/main.ref"
fault_exact cuse2 "$fault_tmp/main.ref"
fault_daemon_idle 2
fault_kernel_clean 0
fault_cuse_clean 0
fault_cleanup
vm_dmesg_clean_since "$mark"
