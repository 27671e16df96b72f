# SPDX-License-Identifier: GPL-2.0-only
# tests/vm/fault-lib.sh: helpers of the fault tests (t-fault-*.sh): a
# longer stream to interrupt, the kernel module with its daemon, the CUSE
# server with its daemon, clients that must end within a bound, the stats
# of debugfs / daedalus-cuse / daedalusd, and a holder that keeps a video
# fd open across a fault and checks it still answers.
# Source after tests/vm/lib.sh and tests/vm/cuse-lib.sh.

FAULT_STREAM=$VM_STREAMS/fault-640x480.h264
FAULT_SOCK=/run/daedalus-v4l2/fault-test.sock
FAULT_DBG=/sys/kernel/debug/daedalus-v4l2/stats
FAULT_PRELOAD=$PWD/build/libdaedalus-preload.so
fault_tmp=$(mktemp -d)
fault_daemon_pid= fault_cuse_pid= fault_holder_pid=
declare -A fault_pid=()

fault_cleanup() {
	local p
	for p in "${fault_pid[@]}"; do
		kill -9 "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	fault_pid=()
	for p in $fault_holder_pid $fault_cuse_pid $fault_daemon_pid; do
		kill -CONT "$p" 2>/dev/null || true
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	fault_holder_pid= fault_cuse_pid= fault_daemon_pid=
	for p in 1 2 3 4 5; do
		[ -d /sys/module/daedalus_v4l2 ] || break
		rmmod daedalus_v4l2 2>/dev/null || sleep 0.5
	done
	rm -rf "$fault_tmp"
	true
}

# The streams, plus one long enough to interrupt mid-way (about 10 s of
# decoding under TCG, where the test shell itself is slow: every fork
# costs a good fraction of a second), and its ffmpeg reference (both
# cached in $VM_STREAMS).
fault_streams() {
	cuse_streams
	if [ ! -s "$FAULT_STREAM" ]; then
		ffmpeg -nostdin -hide_banner -loglevel error -y \
			-f lavfi -i "testsrc2=size=640x480:rate=25" -frames:v 120 \
			-pix_fmt yuv420p -c:v libx264 -profile:v main \
			-x264-params "bframes=2:ref=3:keyint=32" -bsf:v h264_mp4toannexb \
			-f h264 "$FAULT_STREAM.tmp" || vm_fail "cannot make $FAULT_STREAM"
		mv "$FAULT_STREAM.tmp" "$FAULT_STREAM"
	fi
	if [ ! -s "$FAULT_STREAM.ref" ] || [ "$FAULT_STREAM" -nt "$FAULT_STREAM.ref" ]; then
		cuse_ref "$FAULT_STREAM" "$FAULT_STREAM.ref.tmp"
		mv "$FAULT_STREAM.ref.tmp" "$FAULT_STREAM.ref"
	fi
	cuse_ref "$VM_STREAMS/main.h264" "$fault_tmp/main.ref"
}

# ---- kernel module -------------------------------------------------------

fault_dbg() {
	awk -v k="$1:" '$1 == k { print $2 }' $FAULT_DBG
}

fault_kernel_start() {
	vm_load_module "$@"
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
	DAEDALUS_VIDEO=$(vm_dev_node video) || vm_fail "no video node"
	DAEDALUS_MEDIA=$(vm_dev_node media) || vm_fail "no media node"
	export DAEDALUS_VIDEO DAEDALUS_MEDIA
}

# fault_kernel_daemon [DAEMON-ARGS...]: daedalusd on the module, connected.
fault_kernel_daemon() {
	local i
	build/daedalusd --device /dev/daedalus-v4l2 "$@" >>"$fault_tmp/daemon.log" 2>&1 &
	fault_daemon_pid=$!
	for i in $(seq 100); do
		[ "$(fault_dbg daemon)" = connected ] && return 0
		sleep 0.1
	done
	vm_fail "the daemon did not connect to /dev/daedalus-v4l2"
}

# Every job ended, no context, request or buffer memory left (the holder,
# if any, is one context without buffers: pass 1).
fault_kernel_clean() {
	local want_ctx=${1:-0} i k
	for i in $(seq 50); do
		[ "$(fault_dbg contexts)" = "$want_ctx" ] && [ "$(fault_dbg requests)" = 0 ] &&
			[ "$(fault_dbg buffers)" = 0 ] && [ "$(fault_dbg jobs_ready)" = 0 ] &&
			[ "$(fault_dbg jobs_running)" = 0 ] && break
		sleep 0.1
	done
	for k in contexts requests buffers jobs_ready jobs_running; do
		case $k in contexts) w=$want_ctx ;; *) w=0 ;; esac
		[ "$(fault_dbg $k)" = "$w" ] || { cat $FAULT_DBG >&2; vm_fail "debugfs: $k $(fault_dbg $k), want $w"; }
	done
	vm_note "debugfs: contexts $want_ctx, requests 0, buffers 0, no job queued or at the daemon"
}

# ---- CUSE ------------------------------------------------------------------

# fault_cuse_daemon [DAEMON-ARGS...]: daedalusd on the test socket.
fault_cuse_daemon() {
	local i
	rm -f "$FAULT_SOCK"
	build/daedalusd --no-device --socket "$FAULT_SOCK" "$@" >>"$fault_tmp/daemon.log" 2>&1 &
	fault_daemon_pid=$!
	for i in $(seq 100); do [ -S "$FAULT_SOCK" ] && return 0; sleep 0.1; done
	vm_fail "the daemon did not listen on $FAULT_SOCK"
}

# fault_cuse_server [SERVER-ARGS...]: /dev/video93 + /dev/media93, linked
# to the daemon (waits for "daemon socket ... connected" when one runs).
fault_cuse_server() {
	local i n
	modprobe cuse || vm_fail "modprobe cuse"
	mkdir -p /run/daedalus-v4l2
	n=$(grep -c 'daemon socket .* connected' "$fault_tmp/cuse.log" 2>/dev/null || true)
	build/daedalus-cuse --name video93 --media-name media93 --socket "$FAULT_SOCK" "$@" \
		>>"$fault_tmp/cuse.log" 2>&1 &
	fault_cuse_pid=$!
	for i in $(seq 100); do [ -c /dev/video93 ] && [ -c /dev/media93 ] && break; sleep 0.1; done
	[ -c /dev/video93 ] || vm_fail "CUSE nodes did not appear"
	export DAEDALUS_VIDEO=/dev/video93 DAEDALUS_MEDIA=/dev/media93
	[ -n "$fault_daemon_pid" ] || return 0
	for i in $(seq 100); do
		[ "$(grep -c 'daemon socket .* connected' "$fault_tmp/cuse.log")" -gt "${n:-0}" ] &&
			return 0
		sleep 0.1
	done
	vm_fail "daedalus-cuse did not connect to the daemon"
}

# fault_cuse_stat KEY: from a fresh SIGUSR1 stats line of daedalus-cuse.
fault_cuse_stats() {
	local n i
	n=$(grep -c 'cuse: stats:' "$fault_tmp/cuse.log" || true)
	kill -USR1 "$fault_cuse_pid"
	for i in $(seq 50); do
		[ "$(grep -c 'cuse: stats:' "$fault_tmp/cuse.log")" -gt "$n" ] && break
		sleep 0.1
	done
	grep 'cuse: stats:' "$fault_tmp/cuse.log" | tail -1 >"$fault_tmp/cuse.stats"
	[ -s "$fault_tmp/cuse.stats" ] || vm_fail "daedalus-cuse printed no stats line"
}

fault_cuse_stat() {
	awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' \
		"$fault_tmp/cuse.stats"
}

# Like fault_kernel_clean, from the server's stats (holder: 1 file/context).
fault_cuse_clean() {
	local want=${1:-0} i k w ok
	for i in $(seq 30); do
		fault_cuse_stats
		ok=1
		for k in files contexts requests request_fds buffers jobs_ready jobs_running; do
			case $k in files|contexts) w=$want ;; *) w=0 ;; esac
			[ "$(fault_cuse_stat $k)" = "$w" ] || ok=0
		done
		[ $ok = 1 ] && break
		sleep 0.2
	done
	[ $ok = 1 ] || { cat "$fault_tmp/cuse.stats" >&2; vm_fail "daedalus-cuse kept objects"; }
	vm_note "cuse stats: $(sed 's/.*cuse: stats: //' "$fault_tmp/cuse.stats")"
}

# ---- daemon ---------------------------------------------------------------

# fault_daemon_stats: the daemon's SIGUSR1 line into $fault_tmp/daemon.stats.
fault_daemon_stats() {
	local n i
	n=$(grep -c ' stats: front_ends' "$fault_tmp/daemon.log" || true)
	kill -USR1 "$fault_daemon_pid"
	for i in $(seq 50); do
		[ "$(grep -c ' stats: front_ends' "$fault_tmp/daemon.log")" -gt "$n" ] && break
		sleep 0.1
	done
	grep ' stats: front_ends' "$fault_tmp/daemon.log" | tail -1 >"$fault_tmp/daemon.stats"
	[ -s "$fault_tmp/daemon.stats" ] || vm_fail "daedalusd printed no stats line"
}

fault_daemon_stat() {
	awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' \
		"$fault_tmp/daemon.stats"
}

# fault_daemon_idle FRONT_ENDS: no context or worker left in the daemon.
fault_daemon_idle() {
	local i
	for i in $(seq 30); do
		fault_daemon_stats
		[ "$(fault_daemon_stat contexts)" = 0 ] && [ "$(fault_daemon_stat workers)" = 0 ] &&
			[ "$(fault_daemon_stat front_ends)" = "$1" ] && break
		sleep 0.2
	done
	[ "$(fault_daemon_stat contexts)" = 0 ] && [ "$(fault_daemon_stat workers)" = 0 ] ||
		{ cat "$fault_tmp/daemon.stats" >&2; vm_fail "daedalusd kept contexts"; }
	[ "$(fault_daemon_stat front_ends)" = "$1" ] ||
		{ cat "$fault_tmp/daemon.stats" >&2; vm_fail "daedalusd: front ends, want $1"; }
	vm_note "daemon: $(sed 's/.*stats: //' "$fault_tmp/daemon.stats")"
}

# fault_kill_daemon SIGNAL
fault_kill_daemon() {
	kill -"$1" "$fault_daemon_pid"
	if [ "$1" = KILL ]; then
		wait "$fault_daemon_pid" 2>/dev/null || true
		fault_daemon_pid=
	fi
}

# ---- clients -----------------------------------------------------------------

# fault_client NAME STREAM MEMORY [PRELOAD]: a background daedalus-decode
# --inflight 4; its pid in fault_pid[NAME], output in $fault_tmp/NAME.*.
declare -A fault_pid
fault_client() {
	local name=$1 stream=$2 mem=$3 pre=${4:-}
	env ${pre:+LD_PRELOAD=$pre} build/daedalus-decode --memory "$mem" --framemd5 \
		--inflight 4 "$stream" >"$fault_tmp/$name.md5" 2>"$fault_tmp/$name.err" &
	fault_pid[$name]=$!
}

# fault_wait NAME SECS: the client's exit status in fault_st; fails if it
# is still running after SECS (blocked in DQBUF or poll).
fault_wait() {
	local name=$1 secs=$2 pid=${fault_pid[$1]} i
	fault_st=0
	for i in $(seq $((secs * 10))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid"
		cat "$fault_tmp/$name.err" >&2
		vm_fail "$name: still running ${secs}s after the fault (blocked)"
	fi
	wait "$pid" || fault_st=$?
}

# fault_expect_error NAME: the client failed on a buffer with the ERROR flag,
# not on its own 10 s timeout or anything else.
fault_expect_error() {
	grep -q 'V4L2_BUF_FLAG_ERROR' "$fault_tmp/$1.err" ||
		{ cat "$fault_tmp/$1.err" >&2; vm_fail "$1: did not fail on an ERROR buffer"; }
	! grep -q 'did not complete within' "$fault_tmp/$1.err" ||
		vm_fail "$1: waited for its own timeout"
}

# fault_progress: frames decoded so far (DONE lines of the daemon's log).
fault_progress() {
	grep -c ' OK hash ' "$fault_tmp/daemon.log" 2>/dev/null || true
}

# fault_wait_progress N: until the daemon has decoded N more frames.
fault_wait_progress() {
	local start i
	start=$(fault_progress)
	for i in $(seq 300); do
		[ "$(fault_progress)" -ge $((start + $1)) ] && return 0
		sleep 0.1
	done
	vm_fail "no decoding progress (30 s)"
}

# ---- fd holder -----------------------------------------------------------

# fault_holder_start: a process with the video node open (no buffers) that,
# on SIGUSR1, checks the fd still answers QUERYCAP, G_FMT, REQBUFS and
# poll, and prints "holder: ok" or "holder: FAIL ..." to $fault_tmp/holder.
fault_holder_start() {
	cat >"$fault_tmp/holder.py" <<'PY'
import fcntl, os, select, signal, struct, sys, time
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
QUERYCAP, G_FMT, REQBUFS = 0x80685600, 0xc0d05604, 0xc0145608
CAP_MPLANE, OUT_MPLANE, MMAP = 9, 10, 1
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NONBLOCK)
def check():
    cap = bytearray(104)
    fcntl.ioctl(fd, QUERYCAP, cap)
    fmt = bytearray(208)
    struct.pack_into("<I", fmt, 0, OUT_MPLANE)
    fcntl.ioctl(fd, G_FMT, fmt)
    if fmt[16:20] != b"S264":
        raise Exception("G_FMT pixelformat %r" % bytes(fmt[16:20]))
    for n in (2, 0):
        rb = bytearray(20)
        struct.pack_into("<III", rb, 0, n, CAP_MPLANE, MMAP)
        fcntl.ioctl(fd, REQBUFS, rb)
        got = struct.unpack_from("<I", rb, 0)[0]
        if (n and not got) or (not n and got):
            raise Exception("REQBUFS %u gave %u" % (n, got))
    t = time.time()
    select.select([fd], [], [], 0.5)
    if time.time() - t > 2:
        raise Exception("poll blocked")
    return cap[16:48].rstrip(b"\0").decode()
try:
    card = check()
except Exception as e:
    print("holder: FAIL before the fault: %s" % e, flush=True)
    sys.exit(1)
print("holder: open (%s)" % card, flush=True)
signal.sigwait([signal.SIGUSR1])
try:
    check()
    print("holder: ok", flush=True)
except Exception as e:
    print("holder: FAIL %s" % e, flush=True)
    sys.exit(1)
PY
	python3 "$fault_tmp/holder.py" "$DAEDALUS_VIDEO" >"$fault_tmp/holder" 2>&1 &
	fault_holder_pid=$!
	for i in $(seq 100); do grep -q 'holder: ' "$fault_tmp/holder" && break; sleep 0.1; done
	grep -q 'holder: open' "$fault_tmp/holder" || { cat "$fault_tmp/holder" >&2; vm_fail "fd holder did not start"; }
}

# fault_holder_check: the fd opened before the fault still works.
fault_holder_check() {
	local i
	kill -USR1 "$fault_holder_pid"
	for i in $(seq 100); do kill -0 "$fault_holder_pid" 2>/dev/null || break; sleep 0.1; done
	wait "$fault_holder_pid" 2>/dev/null || true
	fault_holder_pid=
	grep -q 'holder: ok' "$fault_tmp/holder" ||
		{ cat "$fault_tmp/holder" >&2; vm_fail "an fd opened before the fault no longer works"; }
	vm_note "an fd opened before the fault still answers QUERYCAP, G_FMT, REQBUFS, poll"
}

# fault_exact NAME REF: the client exited 0 and its frames match REF.
fault_exact() {
	fault_wait "$1" 120
	[ "$fault_st" = 0 ] || { cat "$fault_tmp/$1.err" >&2; vm_fail "$1: exit $fault_st"; }
	cuse_compare "$1" "$2" "$fault_tmp/$1.md5"
}
