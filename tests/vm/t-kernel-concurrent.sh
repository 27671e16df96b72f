#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-kernel-concurrent: four clients (separate processes, each its own
# stream) decode at once through daedalus_v4l2.ko, every frame exact, no
# EBUSY; rmmod is refused while a client or the daemon holds the device
# and succeeds, with a clean kernel log, once they are gone.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

STREAMS="baseline-slices main high cqm-jvt"

if [ "${1:-}" != inner ]; then
	[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }
	cuse_streams
	mark=$(vm_dmesg_mark)
	tests/vm/with-device kernel -- bash "$0" inner || exit 1
	# with-device stopped the daemon and unloaded the module.
	[ ! -d /sys/module/daedalus_v4l2 ] || vm_fail "rmmod after the daemon closed failed"
	vm_dmesg_clean_since "$mark"
	vm_note "rmmod succeeded once the daemon and clients were gone"
	exit 0
fi

tmp=$(mktemp -d)
pids=()
for s in $STREAMS; do
	cuse_ref "$VM_STREAMS/$s.h264" "$tmp/$s.ref"
done
for s in $STREAMS; do
	build/daedalus-decode --memory mmap --framemd5 --inflight 4 "$VM_STREAMS/$s.h264" \
		>"$tmp/$s.md5" 2>"$tmp/$s.err" &
	pids+=($!)
done
# While the clients run, the module must stay.
if rmmod daedalus_v4l2 2>"$tmp/rmmod.err"; then
	vm_fail "rmmod succeeded while four clients decode"
fi
i=0
for s in $STREAMS; do
	wait "${pids[$i]}" || { cat "$tmp/$s.err" >&2; vm_fail "$s: client failed"; }
	i=$((i + 1))
done
if grep -il 'busy' "$tmp"/*.err; then
	vm_fail "a client saw EBUSY"
fi
for s in $STREAMS; do
	cuse_compare "$s (one of 4 at once)" "$tmp/$s.ref" "$tmp/$s.md5"
done

# A client holding the video node pins the module.
exec 3<"$DAEDALUS_VIDEO"
rmmod daedalus_v4l2 2>"$tmp/rmmod.err" && vm_fail "rmmod succeeded with $DAEDALUS_VIDEO open"
grep -q 'in use' "$tmp/rmmod.err" || vm_fail "rmmod refusal not 'in use': $(cat "$tmp/rmmod.err")"
exec 3<&-
# The daemon holds /dev/daedalus-v4l2: still refused.
rmmod daedalus_v4l2 2>"$tmp/rmmod.err" && vm_fail "rmmod succeeded under the daemon"
grep -q 'in use' "$tmp/rmmod.err" || vm_fail "rmmod refusal not 'in use': $(cat "$tmp/rmmod.err")"
# One daemon at a time.
if (exec 4<>/dev/daedalus-v4l2) 2>"$tmp/open.err"; then
	vm_fail "a second open of /dev/daedalus-v4l2 succeeded"
fi
grep -qi 'busy' "$tmp/open.err" || vm_fail "second daemon open: $(cat "$tmp/open.err")"
vm_note "rmmod refused while a client or the daemon holds the device; second daemon gets EBUSY"
