#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-fault-client-kill: a client SIGKILLed with four requests in flight
# while another client decodes, on the kernel module and on the CUSE
# server.  The other client's frames stay exact; once it is done, the
# front end holds no context, request, buffer memory or job (debugfs, the
# CUSE server's SIGUSR1 stats) and the daemon no context or worker (its
# SIGUSR1 stats).
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh
. tests/vm/fault-lib.sh

[ -x build/daedalus-decode ] && [ -x build/daedalusd ] && [ -x build/daedalus-cuse ] ||
	{ echo "programs not built"; exit 77; }
trap fault_cleanup EXIT
fault_streams

# victim FRONT PRELOAD MEMORY: kill one client mid-stream beside another.
victim() {
	local front=$1 pre=$2 mem=$3
	fault_client survivor "$FAULT_STREAM" mmap "$pre"
	fault_client victim "$FAULT_STREAM" "$mem" "$pre"
	fault_wait_progress 16
	kill -9 "${fault_pid[victim]}"
	wait "${fault_pid[victim]}" 2>/dev/null || true
	vm_note "$front: $mem client killed mid-stream (the daemon has decoded $(fault_progress) pictures in this test)"
	fault_exact survivor "$FAULT_STREAM.ref"
}

# ---- kernel module -------------------------------------------------------
mark=$(vm_dmesg_mark)
fault_kernel_start
fault_kernel_daemon --no-socket
victim kernel "" mmap
fault_kernel_clean 0
fault_daemon_idle 1
victim kernel "" userptr
fault_kernel_clean 0
fault_daemon_idle 1
kill "$fault_daemon_pid"; wait "$fault_daemon_pid" 2>/dev/null || true
fault_daemon_pid=
vm_unload_module
vm_dmesg_clean_since "$mark"

# ---- CUSE ----------------------------------------------------------------
fault_cuse_daemon
fault_cuse_server
victim cuse "$FAULT_PRELOAD" mmap
fault_cuse_clean 0
fault_daemon_idle 1
victim cuse "$FAULT_PRELOAD" userptr
fault_cuse_clean 0
fault_daemon_idle 1
