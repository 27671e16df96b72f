#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-fault-daemon-stop: daedalusd SIGSTOPped (stalled) while a client decodes
# with --inflight 4, on the kernel module and on the CUSE server.  The
# watchdog fails the held jobs within timeout_ms (+ a margin for TCG; a
# log line, a timeout counted, the client ends on an ERROR buffer); after
# SIGCONT the daemon answers the jobs it was holding and each late DONE is
# refused (log line, counter) while a new client decodes a stream exactly,
# so no late answer lands on another buffer; nothing is left behind in
# the front end or the daemon.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh
. tests/vm/fault-lib.sh

[ -x build/daedalus-decode ] && [ -x build/daedalusd ] && [ -x build/daedalus-cuse ] ||
	{ echo "programs not built"; exit 77; }
trap fault_cleanup EXIT
fault_streams
TIMEOUT_MS=3000

# counter FRONT NAME: the front end's timeout / refused-DONE counter.
counter() {
	case $1/$2 in
	kernel/timeouts) fault_dbg timeouts ;;
	kernel/rejected) fault_dbg bad_done ;;
	cuse/*) fault_cuse_stats; fault_cuse_stat "$2" ;;
	esac
}

# at_daemon FRONT: jobs the daemon has read and not answered.  Jobs still
# queued in the front end do not count: the watchdog fails them too, but
# the daemon never saw them, so no late DONE would follow.
at_daemon() {
	case $1 in
	kernel)	fault_dbg jobs_running ;;
	cuse)	fault_cuse_stats; fault_cuse_stat jobs_running ;;
	esac
}

# wait_counter FRONT NAME SECS: until the counter is >= 1; prints the ms taken.
wait_counter() {
	local t0 i
	t0=$(date +%s%N)
	for i in $(seq $(($3 * 5))); do
		[ "$(counter "$1" "$2")" -ge 1 ] && break
		sleep 0.2
	done
	if [ "$(counter "$1" "$2")" -lt 1 ] 2>/dev/null || [ -z "$(counter "$1" "$2")" ]; then
		# What the server was doing, for the next person to read.
		[ "$1" = cuse ] && tail -n 30 "$fault_tmp/cuse.log" | sed 's/^/      cuse.log: /' >&2
		vm_fail "$1: $2 still 0 after $3 polls"
	fi
	echo $((($(date +%s%N) - t0) / 1000000))
}

# stall FRONT PRELOAD: stop the daemon under client a (stopped too, so its
# context stays open and the daemon's answers come for jobs of a live
# context), let the watchdog fail a's jobs, resume the daemon: its answers
# are refused; a new client b decodes exactly meanwhile; a, resumed, ends
# on an ERROR buffer.
stall() {
	local front=$1 pre=$2 dt
	fault_client a "$FAULT_STREAM" mmap "$pre"
	fault_wait_progress 8
	# Stop both while the daemon holds a job of a's: stopped between two
	# requests, a leaves the watchdog nothing to fail (seen through CUSE);
	# stopped with its jobs only queued, the daemon has nothing to answer
	# late (seen on the module).
	for try in $(seq 30); do
		fault_kill_daemon STOP
		kill -STOP "${fault_pid[a]}"
		[ "$(at_daemon "$front")" -ge 1 ] && break
		kill -CONT "${fault_pid[a]}"
		kill -CONT "$fault_daemon_pid"
		sleep 0.1
	done
	[ "$(at_daemon "$front")" -ge 1 ] || vm_fail "$front: no job at the daemon in 30 tries"
	vm_note "$front: daemon stopped holding a job (try $try)"
	dt=$(wait_counter "$front" timeouts $((TIMEOUT_MS / 1000 + 10))) || exit 1
	# The margin covers TCG on a busy host, where each poll of the CUSE
	# stats (a signal, a log line, a few forks) takes a second or more.
	[ $dt -le $((TIMEOUT_MS + 20000)) ] || vm_fail "$front: watchdog fired ${dt} ms after SIGSTOP"
	vm_note "$front: the watchdog failed the stalled jobs ${dt} ms after SIGSTOP (timeout_ms $TIMEOUT_MS)"
	kill -CONT "$fault_daemon_pid"
	dt=$(wait_counter "$front" rejected 20) || exit 1
	vm_note "$front: the resumed daemon's late DONE refused ${dt} ms after SIGCONT"
	fault_client b "$FAULT_STREAM" userptr "$pre"
	kill -CONT "${fault_pid[a]}"
	fault_wait a 10
	[ "$fault_st" != 0 ] || vm_fail "$front: client a succeeded through a stalled daemon"
	fault_expect_error a
	vm_note "$front: client a, resumed, ended on an ERROR buffer"
	fault_exact b "$FAULT_STREAM.ref"
}

# ---- kernel module -------------------------------------------------------
mark=$(vm_dmesg_mark)
fault_kernel_start timeout_ms=$TIMEOUT_MS
fault_kernel_daemon --no-socket
stall kernel ""
log=$(dmesg | awk -v m="$mark" 'f; index($0, m) { f = 1 }')
grep -q "not answered by the daemon in $TIMEOUT_MS ms" <<<"$log" || vm_fail "no watchdog log line"
[ "$(fault_dbg timeouts)" -ge 1 ] || vm_fail "debugfs: no timeout counted"
[ "$(fault_dbg bad_done)" -ge 1 ] || vm_fail "debugfs: no late DONE refused"
grep -Eq 'done: .*(unknown or completed cookie|unknown context)' <<<"$log" ||
	vm_fail "no log line refusing a late DONE"
vm_note "kernel: timeouts $(fault_dbg timeouts), late DONEs refused $(fault_dbg bad_done):" \
	"$(grep -Eo 'done: .*(unknown or completed cookie|unknown context).*' <<<"$log" | head -1)"
fault_kernel_clean 0
fault_daemon_idle 1
kill "$fault_daemon_pid"; wait "$fault_daemon_pid" 2>/dev/null || true
fault_daemon_pid=
vm_unload_module
vm_dmesg_clean_since "$mark"

# ---- CUSE ----------------------------------------------------------------
fault_cuse_daemon
fault_cuse_server --timeout-ms $TIMEOUT_MS
stall cuse "$FAULT_PRELOAD"
fault_cuse_clean 0
grep -q "not answered by the daemon in $TIMEOUT_MS ms" "$fault_tmp/cuse.log" ||
	vm_fail "cuse: no watchdog log line"
grep -q 'cuse: DONE for job .* rejected' "$fault_tmp/cuse.log" ||
	vm_fail "cuse: no log line refusing a late DONE"
[ "$(fault_cuse_stat timeouts)" -ge 1 ] || vm_fail "cuse: no timeout counted"
[ "$(fault_cuse_stat rejected)" -ge 1 ] || vm_fail "cuse: no late DONE counted"
vm_note "cuse: timeouts $(fault_cuse_stat timeouts), late DONEs refused $(fault_cuse_stat rejected):" \
	"$(grep -o 'cuse: DONE for job .* rejected.*' "$fault_tmp/cuse.log" | head -1)"
fault_daemon_idle 1
