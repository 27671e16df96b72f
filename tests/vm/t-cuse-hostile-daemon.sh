#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-cuse-hostile-daemon: the CUSE server's side of the job protocol, driven
# by a scripted daemon on its daemon socket instead of daedalusd.  DONE
# messages with an unknown cookie, a foreign context, bytesused above the
# buffer, for a job not yet sent (out of order) or replayed are refused
# (one log line each) and the job still takes its real DONE; an unknown
# message type is ignored.  Malformed messages (bad magic, version, size
# field, truncated DONE, status out of range) and an oversized one (64 KiB)
# make the server drop that daemon: the client's job fails, the client
# does not hang, and the server reconnects.  Afterwards the server is
# alive and, with a real daedalusd on the socket, decodes framemd5-exact.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

[ -x build/daedalus-cuse ] || { echo "build/daedalus-cuse not built"; exit 77; }
[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
modprobe cuse 2>/dev/null || { echo "no CUSE in this kernel"; exit 77; }
cuse_streams

run=/run/daedalus-v4l2
sock=$run/cuse.sock
tmp=$(mktemp -d)
cpid= dpid= fpid=
cleanup() {
	for p in $fpid $cpid $dpid; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p $run
rm -f $sock

cat >"$tmp/fake.py" <<'PY'
import errno, os, socket, struct, subprocess, sys

MAGIC, VERSION = 0x32564444, 1
HELLO, JOB, DONE = 1, 2, 3
sock_path, video, media, stream, errlog = sys.argv[1:6]

def fail(msg):
    print("fake daemon: " + msg, file=sys.stderr)
    sys.exit(1)

def recv_msg(c, timeout=30):
    c.settimeout(timeout)
    try:
        data, anc, _, _ = c.recvmsg(33 << 20, socket.CMSG_SPACE(4 * 8))
    except socket.timeout:
        return None
    except OSError:
        return b""
    for level, typ, fds in anc:
        if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
            for i in range(len(fds) // 4):
                os.close(struct.unpack_from("i", fds, 4 * i)[0])
    return data

def next_job(c):
    while True:
        m = recv_msg(c)
        if not m:
            fail("connection ended or timed out waiting for a JOB")
        magic, ver, typ, size, ctx, cookie = struct.unpack_from("<IHHIIQ", m)
        if typ == JOB:
            kind, _, off, cap = struct.unpack_from("<IIQI", m, 112)
            return ctx, cookie, cap

def msg(ctx, cookie, status=0, used=0, typ=DONE, size=48, magic=MAGIC, ver=VERSION,
        reserved=0, body=None):
    h = struct.pack("<IHHIIQ", magic, ver, typ, size, ctx, cookie)
    if body is None:
        body = struct.pack("<IIQII", status, 1, 0, used, reserved)
    return h + body

def client():
    return subprocess.Popen(["build/daedalus-decode", "-d", video, "-m", media,
                             "--memory", "mmap", "--inflight", "1", "--framemd5", stream],
                            stdout=subprocess.DEVNULL, stderr=open(errlog, "a"),
                            env=dict(os.environ, LD_PRELOAD="build/libdaedalus-preload.so"))

def wait_client(p, want_ok, what):
    try:
        st = p.wait(timeout=90)
    except subprocess.TimeoutExpired:
        p.kill()
        fail("%s: the client hung" % what)
    if want_ok and st != 0:
        fail("%s: client failed (%d)" % (what, st))
    if not want_ok and st == 0:
        fail("%s: client succeeded although its job was never answered" % what)

srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
srv.bind(sock_path)
srv.listen(4)
srv.settimeout(30)
print("fake daemon: listening", flush=True)

# 1: refused replies, then every job answered: the client completes.
c, _ = srv.accept()
c.sendmsg([struct.pack("<IHHIIQII32s", MAGIC, VERSION, HELLO, 64, 0, 0, 1, 2, b"fake")])
p = client()
ctx, cookie, cap = next_job(c)
for data in (msg(ctx, cookie + 1000),            # unknown cookie
             msg(ctx + 1000, cookie),            # foreign context
             msg(ctx, cookie, 0, cap + 1),       # bytesused above the buffer
             msg(ctx, cookie + 1),               # out of order: not yet sent
             msg(ctx, cookie, typ=77)):          # unknown type: ignored
    c.send(data)
c.send(msg(ctx, cookie, 0, cap))
c.send(msg(ctx, cookie, 0, cap))                 # replayed
n = 1
while p.poll() is None:
    m = recv_msg(c, 1)
    if m is None:
        continue
    if not m:
        fail("the server dropped the daemon over refusable replies")
    magic, ver, typ, size, ctx, cookie = struct.unpack_from("<IHHIIQ", m)
    if typ == JOB:
        kind, _, off, cap = struct.unpack_from("<IIQI", m, 112)
        c.send(msg(ctx, cookie, 0, cap))
        n += 1
wait_client(p, True, "refused replies")
print("fake daemon: refused replies left the link up, %d jobs answered" % n, flush=True)
c.close()

# 2: each malformed or oversized message drops the daemon.
bad = [
    ("bad magic", lambda x, k: msg(x, k, magic=0x12345678)),
    ("bad version", lambda x, k: msg(x, k, ver=7)),
    ("size field not the length", lambda x, k: msg(x, k, size=40)),
    ("truncated DONE", lambda x, k: msg(x, k, size=40, body=b"\0" * 16)),
    ("status out of range", lambda x, k: msg(x, k, status=9)),
    ("reserved field set", lambda x, k: msg(x, k, reserved=1)),
    ("oversized 64 KiB", lambda x, k: msg(x, k, size=65536, body=b"\0" * (65536 - 24))),
]
for name, make in bad:
    c, _ = srv.accept()
    p = client()
    ctx, cookie, cap = next_job(c)
    c.send(make(ctx, cookie))
    while True:
        m = recv_msg(c, 10)
        if m == b"":
            break
        if m is None:
            fail("%s: the server kept the daemon" % name)
    c.close()
    wait_client(p, False, name)
    print("fake daemon: %s: dropped, the client failed cleanly" % name, flush=True)
srv.close()
os.unlink(sock_path)
PY

# The fake daemon first: the server connects to whatever listens there.
python3 "$tmp/fake.py" $sock /dev/video92 /dev/media92 "$VM_STREAMS/main.h264" "$tmp/client.err" \
	>"$tmp/fake.out" 2>&1 &
fpid=$!
for i in $(seq 50); do grep -q listening "$tmp/fake.out" 2>/dev/null && break; sleep 0.1; done
build/daedalus-cuse --name video92 --media-name media92 >"$tmp/cuse.log" 2>&1 &
cpid=$!
for i in $(seq 100); do [ -c /dev/video92 ] && [ -c /dev/media92 ] && break; sleep 0.1; done
[ -c /dev/video92 ] || { cat "$tmp/cuse.log" >&2; vm_fail "CUSE nodes did not appear"; }
st=0
wait $fpid || st=$?
fpid=
sed 's/^/  /' "$tmp/fake.out"
[ $st = 0 ] || { tail -40 "$tmp/cuse.log" "$tmp/client.err" >&2; vm_fail "scripted daemon run failed"; }
kill -0 $cpid 2>/dev/null || vm_fail "the CUSE server died"
log=$tmp/cuse.log
for want in 'unknown or completed cookie' 'unknown context' 'above capture size' \
	    'unexpected message type 77' 'proto: bad magic' 'proto: version 7' \
	    'proto: header size' 'proto: done: unknown status' 'reserved field' \
	    'daemon disconnected, reconnecting'; do
	grep -q -- "$want" "$log" || { tail -40 "$log" >&2; vm_fail "no '$want' in the server's log"; }
done
replays=$(grep -c 'unknown or completed cookie' "$log")
[ "$replays" -ge 3 ] || vm_fail "unknown, out-of-order and replayed cookies: $replays refusals, want 3"
vm_note "every refusal and drop is in the server's log"

# The same server with a real daemon: exact again.
build/daedalusd --no-device --socket $sock >"$tmp/daemon.log" 2>&1 &
dpid=$!
cuse_ref "$VM_STREAMS/main.h264" "$tmp/ref"
ok=0
for i in $(seq 20); do
	if LD_PRELOAD=build/libdaedalus-preload.so build/daedalus-decode -d /dev/video92 -m /dev/media92 --memory mmap --framemd5 \
		"$VM_STREAMS/main.h264" >"$tmp/got" 2>"$tmp/err"; then
		ok=1
		break
	fi
	sleep 0.3	# the server retries its daemon connection every 200 ms
done
[ $ok = 1 ] || { cat "$tmp/err" "$tmp/cuse.log" >&2; vm_fail "decode with the real daemon failed"; }
cuse_compare "after the hostile daemon, real daedalusd" "$tmp/ref" "$tmp/got"
kill -0 $cpid 2>/dev/null || vm_fail "the CUSE server died"
