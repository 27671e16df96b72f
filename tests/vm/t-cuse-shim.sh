#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-cuse-shim: what libdaedalus-preload.so adds to the CUSE nodes, driven
# from Python (its fcntl.ioctl and mmap go through libc, like a C client):
# mmap of MMAP buffers, EXPBUF, MEDIA_IOC_REQUEST_ALLOC and the request fd
# (REINIT, QUEUE of an empty request, poll), token theft refused, and what
# a client without the shim gets.
. tests/vm/lib.sh

[ -x build/daedalus-cuse ] || { echo "build/daedalus-cuse not built"; exit 77; }

if [ "${1:-}" != inner ]; then
	DD_ALLOW_ERRORS='request: queued without an OUTPUT buffer' exec tests/vm/with-device cuse -- bash "$0" inner
fi

python3 - "$DAEDALUS_VIDEO" "$DAEDALUS_MEDIA" <<'PY' || vm_fail "shim checks failed"
import ctypes, errno, fcntl, mmap, os, select, socket, struct, sys

video, media = sys.argv[1], sys.argv[2]

def IOC(d, t, nr, size):
    return (d << 30) | (size << 16) | (ord(t) << 8) | nr

R, W = 2, 1
VIDIOC_REQBUFS = IOC(R | W, 'V', 8, 20)
VIDIOC_QUERYBUF = IOC(R | W, 'V', 9, 88)
VIDIOC_EXPBUF = IOC(R | W, 'V', 16, 64)
MEDIA_IOC_REQUEST_ALLOC = IOC(R, '|', 5, 4)
MEDIA_REQUEST_IOC_QUEUE = IOC(0, '|', 0x80, 0)
MEDIA_REQUEST_IOC_REINIT = IOC(0, '|', 0x81, 0)
DD_CUSE_IOC_BUF_TOKEN = IOC(R | W, 'd', 0xd2, 40)
CAP_MPLANE, MEMORY_MMAP = 9, 1

def expect_errno(e, fn):
    try:
        fn()
    except OSError as x:
        assert x.errno == e, (x, e)
        return
    raise AssertionError("expected errno %d" % e)

fd = os.open(video, os.O_RDWR | os.O_NONBLOCK)
rb = bytearray(struct.pack("=IIIIB3x", 2, CAP_MPLANE, MEMORY_MMAP, 0, 0))
fcntl.ioctl(fd, VIDIOC_REQBUFS, rb)
count = struct.unpack_from("=I", rb)[0]
assert count >= 2, count

planes = ctypes.create_string_buffer(64)
b = bytearray(88)
struct.pack_into("=II", b, 0, 0, CAP_MPLANE)
struct.pack_into("=I", b, 60, MEMORY_MMAP)
struct.pack_into("=Q", b, 64, ctypes.addressof(planes))
struct.pack_into("=I", b, 72, 1)
fcntl.ioctl(fd, VIDIOC_QUERYBUF, b)
length, = struct.unpack_from("=I", planes.raw, 4)
offset, = struct.unpack_from("=I", planes.raw, 8)
assert length > 0 and offset >= (1 << 30), (length, offset)
print("  QUERYBUF(CAPTURE 0): %u bytes at offset %#x (planes array via ioctl retry)" % (length, offset))

m1 = mmap.mmap(fd, length, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE, offset=offset)
m1[0:8] = b"daedalus"
m2 = mmap.mmap(fd, length, mmap.MAP_SHARED, mmap.PROT_READ, offset=offset)
assert m2[0:8] == b"daedalus"
print("  mmap: two mappings of one buffer share memory")

e = bytearray(struct.pack("=IIIIi44x", CAP_MPLANE, 0, 0, os.O_CLOEXEC, -1))
fcntl.ioctl(fd, VIDIOC_EXPBUF, e)
xfd = struct.unpack_from("=i", e, 16)[0]
assert xfd >= 0 and fcntl.fcntl(xfd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC
m3 = mmap.mmap(xfd, length, mmap.MAP_SHARED, mmap.PROT_READ)
assert m3[0:8] == b"daedalus"
print("  EXPBUF: fd %d maps the same memory, O_CLOEXEC set" % xfd)

expect_errno(errno.EINVAL, lambda: mmap.mmap(fd, length, mmap.MAP_SHARED, mmap.PROT_READ, offset=offset + 4096 * 4096))
expect_errno(errno.EINVAL, lambda: mmap.mmap(fd, length, mmap.MAP_PRIVATE, mmap.PROT_READ, offset=offset))
expect_errno(errno.EINVAL, lambda: mmap.mmap(fd, length * 2, mmap.MAP_SHARED, mmap.PROT_READ, offset=offset))
print("  mmap: unknown offset, MAP_PRIVATE and oversize refused")

# A token is only good for the process that asked for it.
t = bytearray(struct.pack("=IIIIQQQ", 1, 0, 0, 0, offset, length, 0))
fcntl.ioctl(fd, DD_CUSE_IOC_BUF_TOKEN, t)
token = struct.unpack_from("=Q", t, 32)[0]
path = "/run/daedalus-v4l2/cuse-fd-%s.sock" % os.path.basename(video)
pid = os.fork()
if pid == 0:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    s.send(struct.pack("=IIQ", 0x44434e31, 0, token))
    msg, anc, flags, addr = s.recvmsg(16, socket.CMSG_SPACE(4))
    magic, status, _ = struct.unpack("=IiQ", msg)
    os._exit(0 if status == -errno.EPERM and not anc else 1)
_, st = os.waitpid(pid, 0)
assert st == 0, "another process redeemed our token"
print("  fd socket: a token presented by another process is refused (EPERM)")

mfd = os.open(media, os.O_RDWR)
a = bytearray(4)
fcntl.ioctl(mfd, MEDIA_IOC_REQUEST_ALLOC, a)
rfd = struct.unpack("=i", a)[0]
assert rfd > 2 and rfd not in (fd, mfd, xfd), rfd
fcntl.ioctl(rfd, MEDIA_REQUEST_IOC_REINIT)
expect_errno(errno.ENOENT, lambda: fcntl.ioctl(rfd, MEDIA_REQUEST_IOC_QUEUE))
p = select.poll()
p.register(rfd, select.POLLPRI)
assert p.poll(0) == [], "an idle request polls complete"
a2 = bytearray(4)
fcntl.ioctl(mfd, MEDIA_IOC_REQUEST_ALLOC, a2)
rfd2 = struct.unpack("=i", a2)[0]
assert rfd2 != rfd
os.close(rfd)
os.close(rfd2)
print("  MEDIA_IOC_REQUEST_ALLOC: request fds %d, %d; REINIT ok, empty QUEUE -> ENOENT, no POLLPRI" % (rfd, rfd2))
m1.close(); m2.close(); m3.close()
os.close(xfd); os.close(mfd); os.close(fd)
PY

# Without the shim CUSE cannot do these, and says so.
env -u LD_PRELOAD python3 - "$DAEDALUS_VIDEO" "$DAEDALUS_MEDIA" <<'PY' || vm_fail "no-shim checks failed"
import errno, fcntl, mmap, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ, offset=1 << 30)
    raise SystemExit("mmap on the CUSE node worked without the shim?")
except OSError as e:
    assert e.errno == errno.ENODEV, e
mfd = os.open(sys.argv[2], os.O_RDWR)
try:
    fcntl.ioctl(mfd, (2 << 30) | (4 << 16) | (ord('|') << 8) | 5, bytearray(4))
    raise SystemExit("REQUEST_ALLOC worked without the shim?")
except OSError as e:
    assert e.errno == errno.ENOTTY, e
print("  without the shim: mmap -> ENODEV, MEDIA_IOC_REQUEST_ALLOC -> ENOTTY")
PY
