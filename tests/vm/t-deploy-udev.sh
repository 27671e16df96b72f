#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-deploy-udev: the deployment files do what packaging/ promises, with no
# other udev rules in play: `udevadm test` on the module's three nodes
# applies packaging/60-daedalus-v4l2.rules (job channel root:daedalus 0660
# tagged for systemd with SYSTEMD_WANTS=daedalusd.service; video node group
# video 0660 with the /dev/video-dec0 link; media node group video 0660),
# the daedalus user comes from packaging/daedalus.sysusers, and then
# daedalusd runs as that user and an unprivileged client in group video
# decodes through /dev/video-dec0, frame-exact against ffmpeg.  The daemon
# also runs with no_new_privs and, on 6.3+ kernels, PR_SET_MDWE (the kernel's
# MemoryDenyWriteExecute), and every system call it makes (strace) must be
# one the unit's SystemCallFilter= allows.
# Runs in a private mount namespace: /etc/passwd, /etc/group and the udev
# rule directories are bind-mounted over only there.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

if [ "${1:-}" != inner ]; then
	command -v udevadm >/dev/null || { echo "no udevadm"; exit 77; }
	command -v systemd-sysusers >/dev/null || { echo "no systemd-sysusers"; exit 77; }
	command -v setpriv >/dev/null || { echo "no setpriv"; exit 77; }
	command -v python3 >/dev/null || { echo "no python3"; exit 77; }
	[ -x build/daedalusd ] || { echo "build/daedalusd not built"; exit 77; }
	[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }
	cuse_streams
	exec unshare --mount --propagation private bash "$0" inner
fi

tmp=$(mktemp -d)
daemon= dpid=
cleanup() {
	[ -z "$dpid" ] || kill "$dpid" 2>/dev/null
	[ -z "$daemon" ] || { kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null; }
	rm -f /dev/video-dec0
	vm_unload_module
}
trap cleanup EXIT

# The daedalus user and group, made by systemd-sysusers from our file on a
# copy of the guest's account database.
mkdir -p "$tmp/root/etc" "$tmp/root/usr/lib/sysusers.d"
cp /etc/passwd /etc/group "$tmp/root/etc/"
cp packaging/daedalus.sysusers "$tmp/root/usr/lib/sysusers.d/daedalus-v4l2.conf"
systemd-sysusers --root="$tmp/root" >"$tmp/sysusers.log" 2>&1 ||
	{ cat "$tmp/sysusers.log" >&2; vm_fail "systemd-sysusers failed"; }
grep -q '^daedalus:x:[0-9]*:[0-9]*:.*:/usr/sbin/nologin$' "$tmp/root/etc/passwd" ||
	vm_fail "sysusers made no daedalus user"
grep -q '^daedalus:x:[0-9]*:' "$tmp/root/etc/group" || vm_fail "sysusers made no daedalus group"
mount --bind "$tmp/root/etc/passwd" /etc/passwd
mount --bind "$tmp/root/etc/group" /etc/group
gid_daedalus=$(getent group daedalus | cut -d: -f3)
gid_video=$(getent group video | cut -d: -f3)
[ -n "$gid_video" ] || vm_fail "no video group"

# Only our rules: every other rule directory is emptied.
mkdir -p "$tmp/empty" /run/udev/rules.d
for d in /etc/udev/rules.d /usr/lib/udev/rules.d /lib/udev/rules.d /usr/local/lib/udev/rules.d; do
	[ -d "$d" ] && mount --bind "$tmp/empty" "$d"
done
mount -t tmpfs none /run/udev/rules.d
cp packaging/60-daedalus-v4l2.rules /run/udev/rules.d/

vm_load_module
video=$(vm_dev_node video) || vm_fail "no video node"
media=$(vm_dev_node media) || vm_fail "no media node"
chr=/dev/daedalus-v4l2
[ "$(stat -c '%a %g' $chr)" = "600 0" ] || vm_fail "$chr is $(stat -c '%a %g' $chr) before udev"

# udevadm test SYSPATH: runs the rules for an "add" event and applies
# owner, mode and links to /dev as udevd would.
utest() {
	local out=$tmp/udev-${1##*/}.log
	udevadm test --action=add "$1" >"$out" 2>&1 || { cat "$out" >&2; vm_fail "udevadm test $1 failed"; }
	if grep -Ei 'invalid|unknown|failed to|error' "$out" >&2; then
		vm_fail "udevadm test $1 complained about the rules"
	fi
	cat "$out"
}
want_node() {	# want_node NODE MODE GID
	[ "$(stat -c '%a %u %g' "$1")" = "$2 0 $3" ] ||
		vm_fail "$1 is $(stat -c '%a %u %g' "$1"), want $2 0 $3"
}

log=$(utest /sys/class/misc/daedalus-v4l2)
grep -q '^SYSTEMD_WANTS=daedalusd.service$' <<<"$log" || vm_fail "misc: no SYSTEMD_WANTS"
grep -Eq '^(CURRENT_)?TAGS=.*:systemd:' <<<"$log" || vm_fail "misc: no systemd tag"
want_node $chr 660 "$gid_daedalus"
vm_note "$chr: root:daedalus 0660, starts daedalusd.service"

log=$(utest "/sys/class/video4linux/${video#/dev/}")
grep -q '^DEVLINKS=.*/dev/video-dec0' <<<"$log" || vm_fail "video: no video-dec0 link"
[ "$(readlink -f /dev/video-dec0)" = "$video" ] ||
	vm_fail "/dev/video-dec0 -> $(readlink /dev/video-dec0), want $video"
want_node "$video" 660 "$gid_video"
vm_note "$video: root:video 0660, /dev/video-dec0 -> ${video#/dev/}"

log=$(utest "/sys/bus/media/devices/${media#/dev/}")
want_node "$media" 660 "$gid_video"
vm_note "$media: root:video 0660"

# A node of another driver is left alone by our rules.
if [ -e /sys/class/misc/cpu_dma_latency ]; then
	before=$(stat -c '%a %u %g' /dev/cpu_dma_latency)
	utest /sys/class/misc/cpu_dma_latency >/dev/null
	[ "$(stat -c '%a %u %g' /dev/cpu_dma_latency)" = "$before" ] ||
		vm_fail "our rules changed /dev/cpu_dma_latency"
fi

# The daemon as the daedalus user, no capabilities, no supplementary groups,
# no_new_privs, and - where the kernel has PR_SET_MDWE (6.3+) - refused any
# writable+executable memory, as the unit's MemoryDenyWriteExecute= does.
# Under strace, when there is one, to check the unit's SystemCallFilter=.
mdwe='import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(65, 1, 0, 0, 0):  # PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN
	print("no PR_SET_MDWE:", os.strerror(ctypes.get_errno()), file=sys.stderr)
os.execv(sys.argv[1], sys.argv[1:])'
trace=()
strace=$(command -v strace || true)
if [ -n "$strace" ]; then
	chmod 711 "$tmp"
	install -d -o daedalus -g daedalus "$tmp/strace"
	trace=("$strace" -f -qq -o "$tmp/strace/trace")
fi
mark=$(vm_dmesg_mark)
setpriv --reuid=daedalus --regid=daedalus --clear-groups --inh-caps=-all --no-new-privs \
	python3 -c "$mdwe" "${trace[@]}" "$PWD/build/daedalusd" --device $chr --no-socket \
	>"$tmp/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 50); do
	dmesg | awk -v m="$mark" 'f; index($0, m) { f = 1 }' | grep -q 'daemon ".*" speaks protocol' &&
		break
	kill -0 $daemon 2>/dev/null || { cat "$tmp/daemon.log" >&2; vm_fail "daedalusd as daedalus exited"; }
	sleep 0.2
done
dpid=$daemon
[ -z "$strace" ] || dpid=$(ps -o pid= --ppid "$daemon" | tr -d ' ')
[ "$(ps -o comm= -p "$dpid")" = daedalusd ] || vm_fail "no daedalusd process"
[ "$(ps -o user= -p "$dpid")" = daedalus ] || vm_fail "daedalusd does not run as daedalus"
dmesg | awk -v m="$mark" 'f; index($0, m) { f = 1 }' | grep -q 'speaks protocol' ||
	vm_fail "daedalusd (user daedalus) did not say HELLO on $chr"

# The client as nobody in group video, through the link.
s=main
cuse_ref "$VM_STREAMS/$s.h264" "$tmp/$s.ref"
setpriv --reuid=nobody --regid=nogroup --groups="$gid_video" --inh-caps=-all \
	build/daedalus-decode -d /dev/video-dec0 -m "$media" --framemd5 "$VM_STREAMS/$s.h264" \
	>"$tmp/$s.md5" 2>"$tmp/err" ||
	{ cat "$tmp/err" "$tmp/daemon.log" >&2; vm_fail "decode as nobody:video failed"; }
cuse_compare "$s via /dev/video-dec0, daemon as daedalus, client as nobody:video" \
	"$tmp/$s.ref" "$tmp/$s.md5"
# Nothing writable and executable, no anonymous code: libavcodec needs no
# exception from MemoryDenyWriteExecute=.
maps=$(cat /proc/$dpid/maps)
if grep -E '^[^ ]+ ..x' <<<"$maps" | grep -Eq '^[^ ]+ .wx|^[^ ]+ [^ ]+ [^ ]+ [^ ]+ 0 *$'; then
	grep -E '^[^ ]+ ..x' <<<"$maps" >&2
	vm_fail "daedalusd has writable or anonymous executable mappings"
fi
if grep -q 'no PR_SET_MDWE' "$tmp/daemon.log"; then
	vm_note "kernel without PR_SET_MDWE: W^X checked in /proc/pid/maps only"
else
	vm_note "daedalusd decoded under PR_SET_MDWE"
fi
if grep -q 'daedalus: error:' "$tmp/daemon.log"; then
	cat "$tmp/daemon.log" >&2
	vm_fail "daedalusd logged errors"
fi

# Every system call the daemon made, start to shutdown, is one the unit's
# SystemCallFilter=@system-service ~@privileged lets through.
[ -n "$strace" ] || { vm_note "no strace: system call filter not checked"; exit 0; }
kill -TERM "$dpid"
wait "$daemon" || true
daemon= dpid=
sc_expand() {
	local n
	systemd-analyze syscall-filter "$1" | sed 1d | awk '$1 !~ /^#/ { print $1 }' |
		while read -r n; do
			case $n in @*) sc_expand "$n" ;; *) echo "$n" ;; esac
		done
}
sc_expand @system-service | sort -u >"$tmp/allow"
sc_expand @privileged | sort -u >"$tmp/deny"
[ "$(wc -l <"$tmp/allow")" -gt 100 ] || vm_fail "cannot expand @system-service"
sed -En 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/p' "$tmp/strace/trace" | sort -u >"$tmp/used"
[ "$(wc -l <"$tmp/used")" -gt 10 ] || vm_fail "strace saw almost nothing"
comm -23 "$tmp/allow" "$tmp/deny" >"$tmp/allowed"
bad=$(comm -23 "$tmp/used" "$tmp/allowed" | tr '\n' ' ')
[ -z "$bad" ] || vm_fail "daedalusd used system calls the unit's filter refuses: $bad"
vm_note "daedalusd's $(wc -l <"$tmp/used") distinct system calls all pass the unit's filter"
