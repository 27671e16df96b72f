#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-kernel-daemon: the module's side of the job protocol, driven by a
# scripted daemon instead of daedalusd: /dev/daedalus-v4l2 is 0600, one
# daemon at a time (EBUSY), HELLO comes first, a JOB names a CAPTURE buffer
# the daemon can mmap; malformed messages (bad magic, version, size field,
# truncated, unknown type, bad status or reserved field), oversized ones
# (64 KiB, 4 MiB), DONE messages with an unknown cookie, a foreign
# context, a replayed cookie or out of order (for a job not yet sent) are
# each refused with EINVAL (EPROTO for the version) and leave the job
# intact for its real DONE; a job left
# unanswered fails after timeout_ms (watchdog), and once the daemon closes
# the device jobs fail at once with a log line, so the client finishes
# instead of hanging.  debugfs counts all of it.
. tests/vm/lib.sh

[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
tests/vm/gen-streams.sh build/streams || vm_fail "cannot generate test streams"

mark=$(vm_dmesg_mark)
vm_load_module timeout_ms=400
trap 'vm_unload_module' EXIT
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
stats=/sys/kernel/debug/daedalus-v4l2/stats
stat() { awk -v k="$1:" '$1 == k { print $2 }' $stats; }
mode=$(command stat -c %a /dev/daedalus-v4l2)
[ "$mode" = 600 ] || vm_fail "/dev/daedalus-v4l2 has mode $mode, want 600"
video=$(vm_dev_node video) || vm_fail "no video node"
media=$(vm_dev_node media) || vm_fail "no media node"

tmp=$(mktemp -d)
cat >"$tmp/fake.py" <<'PY'
import errno, mmap, os, select, struct, subprocess, sys, time

DEV = "/dev/daedalus-v4l2"
MAGIC, VERSION = 0x32564444, 1
HELLO, JOB, DONE = 1, 2, 3
video, media, stream = sys.argv[1:4]

def fail(msg):
    print("fake daemon: " + msg, file=sys.stderr)
    sys.exit(1)

def read_msg(fd, timeout):
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return None
    buf = os.read(fd, 32 << 20)
    magic, ver, typ, size, ctx, cookie = struct.unpack_from("<IHHIIQ", buf)
    if magic != MAGIC or ver != VERSION or size != len(buf):
        fail("bad header %x %u size %u/%u" % (magic, ver, size, len(buf)))
    return typ, ctx, cookie, buf

def raw(fd, data):
    try:
        os.write(fd, data)
        return 0
    except OSError as e:
        return e.errno

def done(fd, ctx, cookie, status=0, used=0):
    msg = struct.pack("<IHHIIQIIQII", MAGIC, VERSION, DONE, 48, ctx, cookie,
                      status, 1, 0, used, 0)
    try:
        os.write(fd, msg)
        return 0
    except OSError as e:
        return e.errno

fd = os.open(DEV, os.O_RDWR)
try:
    os.open(DEV, os.O_RDWR)
    fail("second open succeeded")
except OSError as e:
    if e.errno != errno.EBUSY:
        fail("second open: %s" % e)
m = read_msg(fd, 1)
if not m or m[0] != HELLO:
    fail("first message is not HELLO")

client = subprocess.Popen(["build/daedalus-decode", "-d", video, "-m", media,
                           "--memory", "mmap", "--inflight", "1", "--framemd5", stream],
                          stdout=subprocess.DEVNULL, stderr=open(sys.argv[4], "w"))
m = read_msg(fd, 30)
if not m or m[0] != JOB:
    fail("no JOB from the client")
typ, ctx, cookie, buf = m
kind, _, off, size = struct.unpack_from("<IIQI", buf, 112)
if kind != 2 or size == 0:
    fail("capture kind %u size %u, want MMAP" % (kind, size))
mm = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE, offset=off)
mm[0:size] = b"\x10" * size
mm.close()
try:
    mmap.mmap(fd, size, mmap.MAP_SHARED, offset=off + (1 << 40))
    fail("mmap of an offset no job named succeeded")
except OSError:
    pass
def hdr(magic=MAGIC, ver=VERSION, typ=DONE, size=48):
    return struct.pack("<IHHIIQ", magic, ver, typ, size, ctx, cookie)
body = struct.pack("<IIQII", 0, 1, 0, 0, 0)
bad = [
    ("bad magic", hdr(magic=0x12345678) + body, errno.EINVAL),
    ("bad version", hdr(ver=9) + body, errno.EPROTO),
    ("size field below the length", hdr(size=40) + body, errno.EINVAL),
    ("size field above the length", hdr(size=56) + body, errno.EINVAL),
    ("truncated DONE", hdr(size=40) + body[:16], errno.EINVAL),
    ("header alone", hdr(size=24), errno.EINVAL),
    ("shorter than a header", hdr()[:10], errno.EINVAL),
    ("empty write", b"", errno.EINVAL),
    ("unknown type", hdr(typ=77) + body, errno.EINVAL),
    ("a JOB from the daemon", hdr(typ=JOB) + body, errno.EINVAL),
    ("status out of range", hdr() + struct.pack("<IIQII", 9, 1, 0, 0, 0), errno.EINVAL),
    ("reserved field set", hdr() + struct.pack("<IIQII", 0, 1, 0, 0, 1), errno.EINVAL),
    ("oversized 64 KiB", hdr(size=65536) + bytes(65536 - 24), errno.EINVAL),
    ("oversized 4 MiB", hdr(size=4 << 20) + bytes((4 << 20) - 24), errno.EINVAL),
]
for name, data, want in bad:
    got = raw(fd, data)
    if got != want:
        fail("%s: write gave %s, want %s" % (name, errno.errorcode.get(got, got),
                                             errno.errorcode[want]))
print("fake daemon: %d malformed or oversized messages refused" % len(bad))
for name, c, k in (("unknown cookie", ctx, cookie + 1000),
                   ("foreign context", ctx + 1000, cookie)):
    if done(fd, c, k) != errno.EINVAL:
        fail("DONE with an %s was not refused with EINVAL" % name)
if done(fd, ctx, cookie, 0, size + 1) != errno.EINVAL:
    fail("DONE with bytesused above the buffer was not refused")
if done(fd, ctx, cookie, 0, size) != 0:
    fail("the real DONE was refused")
if done(fd, ctx, cookie, 0, size) != errno.EINVAL:
    fail("a replayed DONE was not refused")
# The next job is never answered: the watchdog (400 ms) fails it.
m = read_msg(fd, 30)
if not m or m[0] != JOB:
    fail("no second JOB")
# Out of order: a DONE for the job after it, which was never sent.
if done(fd, m[1], m[2] + 1, 0, 0) != errno.EINVAL:
    fail("a DONE for a job not yet sent was not refused")
time.sleep(1.5)
if done(fd, m[1], m[2], 0, 0) != errno.EINVAL:
    fail("DONE of a timed-out job was accepted")
os.close(fd)
try:
    client.wait(timeout=60)
except subprocess.TimeoutExpired:
    client.kill()
    fail("the client hung after its job failed")
print("fake daemon: client exit status %d" % client.returncode)
PY

timeout 120 python3 "$tmp/fake.py" "$video" "$media" build/streams/main.h264 "$tmp/client.err" ||
	{ cat "$tmp/client.err" >&2; vm_fail "scripted daemon run failed"; }
# No daemon at all now: decode jobs fail at once, the client does not hang.
t0=$(date +%s)
st=0
timeout 60 build/daedalus-decode -d "$video" -m "$media" --memory mmap --framemd5 \
	build/streams/main.h264 >/dev/null 2>"$tmp/client2.err" || st=$?
[ $st != 0 ] || vm_fail "a decode without a daemon succeeded"
[ $st != 124 ] || vm_fail "the client hung without a daemon"
vm_note "without a daemon the client failed after $(( $(date +%s) - t0 )) s"
# A daemon that comes back serves new jobs: exact frames again.
build/daedalusd --device /dev/daedalus-v4l2 --no-socket >"$tmp/daemon.log" 2>&1 &
dpid=$!
for i in $(seq 50); do [ "$(stat daemon)" = connected ] && break; sleep 0.1; done
ffmpeg -nostdin -hide_banner -loglevel error -i build/streams/main.h264 -f framemd5 \
	-pix_fmt nv12 - | grep -v '^#' | awk -F, '{ gsub(/ /, "", $6); print $6 }' >"$tmp/ref"
build/daedalus-decode -d "$video" -m "$media" --memory mmap --framemd5 \
	build/streams/main.h264 2>"$tmp/client3.err" |
	grep -v '^#' | awk -F, '{ gsub(/ /, "", $6); print $6 }' >"$tmp/got" ||
	{ cat "$tmp/client3.err" >&2; vm_fail "decode with the returned daemon failed"; }
kill "$dpid"; wait "$dpid" 2>/dev/null || true
[ -s "$tmp/ref" ] && cmp -s "$tmp/ref" "$tmp/got" ||
	vm_fail "decode with the returned daemon is not exact"
vm_note "a daemon that returns decodes exactly again ($(wc -l <"$tmp/got") frames)"
cat $stats
[ "$(stat timeouts)" -ge 1 ] || vm_fail "debugfs: no timeout counted"
[ "$(stat bad_done)" -ge 8 ] || vm_fail "debugfs: $(stat bad_done) DONE refused, want >= 8"
[ "$(stat done)" -ge 1 ] || vm_fail "debugfs: the answered job is not counted done"
[ "$(stat no_daemon)" -ge 1 ] || vm_fail "debugfs: no job failed for want of a daemon"
log=$(dmesg | awk -v m="$mark" 'f; index($0, m) { f = 1 }')
grep -q 'not answered by the daemon in 400 ms' <<<"$log" || vm_fail "no watchdog log line"
grep -q 'no daemon on /dev/daedalus-v4l2: [1-9]' <<<"$log" ||
	vm_fail "no log line about jobs failed without a daemon"
vm_unload_module
trap - EXIT
vm_dmesg_clean_since "$mark"
vm_note "protocol checks, watchdog and daemon loss behave"
