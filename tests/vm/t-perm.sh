#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-perm: who may reach the daemon's channels.  An unprivileged user
# (nobody, no capabilities) cannot open /dev/daedalus-v4l2, neither with
# the module's own mode (0600 root) nor with the packaged udev mode
# (0660 root:<daemon group>); cannot connect to the daemon's CUSE socket
# (0660, the daemon's user and group, daemon/dd_transport_sock.c); cannot
# open the CUSE server's nodes; and gets no buffer from the CUSE server's
# fd socket (world-connectable by design, token-checked).  The daemon needs
# no root: run as the unprivileged user "daemon" with no capabilities and
# no_new_privs, it serves the kernel module and the CUSE server, and both
# decode framemd5-exact.  The systemd unit runs it as a non-root user with
# an empty capability set.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

command -v setpriv >/dev/null || { echo "no setpriv"; exit 77; }
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
[ -x build/daedalusd ] || { echo "build/daedalusd not built"; exit 77; }
[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }
id daemon >/dev/null 2>&1 || { echo "no user 'daemon' in the guest"; exit 77; }
cuse_streams

tmp=$(mktemp -d)
chmod 0755 "$tmp"	# the probe runs as nobody
dpid= cpid=
cleanup() {
	[ -z "$cpid" ] || { kill "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null || true; }
	[ -z "$dpid" ] || { kill "$dpid" 2>/dev/null; wait "$dpid" 2>/dev/null || true; }
	vm_unload_module 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# Run as a user with no capabilities, no supplementary groups.
as_user() {	# as_user USER GROUP CMD...
	local u=$1 g=$2
	shift 2
	setpriv --reuid="$u" --regid="$g" --clear-groups --inh-caps=-all \
		--bounding-set=-all --no-new-privs "$@"
}

# probe open PATH | probe connect PATH | probe token PATH: prints OK or the
# errno name (token: "refused <errno>" when the fd socket gives nothing).
cat >"$tmp/probe.py" <<'PY'
import errno, os, socket, struct, sys
what, path = sys.argv[1:3]
try:
    if what == "open":
        os.close(os.open(path, os.O_RDWR))
    elif what == "connect":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.connect(path)
        s.close()
    elif what == "token":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.connect(path)
        s.send(struct.pack("<IIQ", 0x44434e31, 0, 0x1234567887654321))
        msg, anc, _, _ = s.recvmsg(16, socket.CMSG_SPACE(4))
        magic, status, length = struct.unpack("<IiQ", msg)
        if anc or status == 0:
            print("GOT-FD")
            sys.exit(0)
        print("refused", errno.errorcode.get(-status, str(status)))
        sys.exit(0)
    print("OK")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e.errno)))
PY
probe() { as_user nobody nogroup python3 "$tmp/probe.py" "$@"; }
expect_denied() {	# expect_denied WHAT PATH DESCRIPTION
	local r
	r=$(probe "$1" "$2")
	[ "$r" = EACCES ] || [ "$r" = EPERM ] || vm_fail "nobody: $3: got $r, want EACCES"
	vm_note "nobody: $3: $r"
}

# --- packaging: the unit never runs the daemon as root --------------------
unit=packaging/daedalusd.service
user=$(sed -n 's/^User=//p' $unit)
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] ||
	vm_fail "$unit: User= is '${user:-unset}', want a non-root user"
grep -qx 'NoNewPrivileges=yes' $unit || vm_fail "$unit: no NoNewPrivileges=yes"
grep -qx 'CapabilityBoundingSet=' $unit || vm_fail "$unit: capabilities not emptied"
grep -q '^SUBSYSTEM=="misc", KERNEL=="daedalus-v4l2"' packaging/60-daedalus-v4l2.rules ||
	vm_fail "udev rules lost the job channel rule"
grep -A1 'KERNEL=="daedalus-v4l2"' packaging/60-daedalus-v4l2.rules | grep -q 'MODE="0660"' ||
	vm_fail "udev rule for the job channel is not mode 0660"
vm_note "$unit runs daedalusd as $user with no capabilities"

# --- kernel module: the job channel ---------------------------------------
mark=$(vm_dmesg_mark)
vm_load_module
dev=/dev/daedalus-v4l2
for i in $(seq 50); do [ -c $dev ] && break; sleep 0.1; done
[ "$(stat -c '%a %u' $dev)" = "600 0" ] || vm_fail "$dev is $(stat -c '%a %U:%G' $dev), want 600 root"
expect_denied open $dev "open $dev (0600 root)"
# What the packaged udev rule makes of it: root:<daemon group> 0660.
chgrp daemon $dev
chmod 0660 $dev
expect_denied open $dev "open $dev (0660 root:daemon)"
video=$(vm_dev_node video) || vm_fail "no video node"
media=$(vm_dev_node media) || vm_fail "no media node"

# The daemon as "daemon", nothing else: it serves the module.
(exec setpriv --reuid=daemon --regid=daemon --clear-groups --inh-caps=-all \
	--bounding-set=-all --no-new-privs build/daedalusd --device $dev --no-socket) \
	>"$tmp/kdaemon.log" 2>&1 &
dpid=$!
sleep 0.5
kill -0 $dpid 2>/dev/null || { cat "$tmp/kdaemon.log" >&2; vm_fail "unprivileged daemon exited"; }
u=$(id -u daemon)
uids=$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' /proc/$dpid/status)
[ "$uids" = "$u $u $u $u" ] || vm_fail "daemon runs with uids '$uids', want $u (daemon)"
caps=$(awk '$1 == "CapEff:" { print $2 }' /proc/$dpid/status)
[ "$caps" = 0000000000000000 ] || vm_fail "daemon has capabilities $caps"
f=$VM_STREAMS/main.h264
cuse_ref "$f" "$tmp/main.ref"
build/daedalus-decode -d "$video" -m "$media" --memory mmap --framemd5 "$f" >"$tmp/k.md5" ||
	{ cat "$tmp/kdaemon.log" >&2; vm_fail "decode with the unprivileged daemon failed"; }
cuse_compare "kernel module, daemon as user 'daemon'" "$tmp/main.ref" "$tmp/k.md5"
kill $dpid
wait $dpid 2>/dev/null || true
dpid=
vm_unload_module
vm_dmesg_clean_since "$mark"

# --- CUSE: the daemon's socket, the server's nodes and fd socket ----------
if ! modprobe cuse 2>/dev/null || ! [ -x build/daedalus-cuse ]; then
	vm_note "no CUSE: the CUSE half is skipped"
	exit 0
fi
run=/run/daedalus-v4l2
sock=$run/cuse.sock
rm -rf $run
# systemd's RuntimeDirectory= for a unit running as "daemon".
install -d -o daemon -g daemon -m 0755 $run
(umask 000; exec setpriv --reuid=daemon --regid=daemon --clear-groups --inh-caps=-all \
	--bounding-set=-all --no-new-privs build/daedalusd --no-device --socket $sock) \
	>"$tmp/cdaemon.log" 2>&1 &
dpid=$!
for i in $(seq 50); do [ -S $sock ] && break; sleep 0.1; done
[ -S $sock ] || { cat "$tmp/cdaemon.log" >&2; vm_fail "no $sock"; }
# Even under umask 000 the socket is the daemon's alone.
[ "$(stat -c '%a %U:%G' $sock)" = "660 daemon:daemon" ] ||
	vm_fail "$sock is $(stat -c '%a %U:%G' $sock), want 660 daemon:daemon"
expect_denied connect $sock "connect $sock"
build/daedalus-cuse --name video91 --media-name media91 >"$tmp/cuse.log" 2>&1 &
cpid=$!
for i in $(seq 100); do [ -c /dev/video91 ] && [ -c /dev/media91 ] && break; sleep 0.1; done
[ -c /dev/video91 ] || { cat "$tmp/cuse.log" >&2; vm_fail "CUSE nodes did not appear"; }
expect_denied open /dev/video91 "open the CUSE video node"
expect_denied open /dev/media91 "open the CUSE media node"
fdsock=$run/cuse-fd-video91.sock
r=$(probe token $fdsock)
case $r in "refused "*) vm_note "nobody: a made-up token on $fdsock is $r" ;;
*) vm_fail "nobody: a made-up buffer token on $fdsock gave '$r'" ;; esac
# Root's client through the unprivileged daemon.  MMAP: the CUSE server
# hands the daemon memfds; USERPTR would need the daemon to write into
# another user's process (process_vm_writev), which an unprivileged
# daemon may not do for root's clients.
DAEDALUS_VIDEO=/dev/video91 DAEDALUS_MEDIA=/dev/media91 LD_PRELOAD=build/libdaedalus-preload.so \
	build/daedalus-decode --memory mmap --framemd5 "$f" >"$tmp/c.md5" ||
	{ cat "$tmp/cdaemon.log" "$tmp/cuse.log" >&2; vm_fail "CUSE decode with the unprivileged daemon failed"; }
cuse_compare "CUSE, daemon as user 'daemon'" "$tmp/main.ref" "$tmp/c.md5"
kill $cpid
wait $cpid 2>/dev/null || true
cpid=
kill $dpid
wait $dpid 2>/dev/null || true
dpid=
! grep -E 'daedalus: error:' "$tmp/cdaemon.log" "$tmp/cuse.log" "$tmp/kdaemon.log" ||
	vm_fail "error lines in the daemon or CUSE server log"
rm -rf $run
