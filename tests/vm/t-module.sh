#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-module: daedalus_v4l2.ko loads on this Debian kernel without
# v4l2-mem2mem.ko, shows up as one card with a video and a media node,
# presents a multiplanar M2M streaming node and the decoder media graph
# GStreamer looks for, honours its parameters, refuses rmmod while open
# and unloads cleanly.
. tests/vm/lib.sh

# The tools' output is shown only when a check fails.
list= all= topo=
trap 'st=$?; [ $st = 0 ] || printf "%s\n" "$list" "$all" "$topo" >&2' EXIT

# Debian kernels do not ship v4l2-mem2mem.ko: we must not need it.
deps=$(modinfo -F depends "$VM_KO") || vm_fail "modinfo $VM_KO failed"
case ",$deps," in
*,v4l2-mem2mem,*|*,v4l2_mem2mem,*) vm_fail "module depends on v4l2-mem2mem ($deps)" ;;
esac

mark=$(vm_dmesg_mark)
vm_load_module

list=$(v4l2-ctl --list-devices) || vm_fail "v4l2-ctl --list-devices failed"
card=$(awk '/^daedalus-v4l2 \(platform:daedalus-v4l2\):$/ { f = 1; next }
	    /^[^ \t]/ { f = 0 } f' <<<"$list")
video=$(grep -o '/dev/video[0-9]*' <<<"$card" | head -n1 || true)
media=$(grep -o '/dev/media[0-9]*' <<<"$card" | head -n1 || true)
[ -n "$video" ] || vm_fail "no video node listed for our card"
[ -n "$media" ] || vm_fail "no media node listed for our card"
[ "$(vm_dev_node video)" = "$video" ] || vm_fail "$video is not our platform device's"
[ "$(vm_dev_node media)" = "$media" ] || vm_fail "$media is not our platform device's"

all=$(v4l2-ctl -d "$video" --all) || vm_fail "v4l2-ctl -d $video --all failed"
grep -Eq '^[[:space:]]*Driver name *: daedalus-v4l2$' <<<"$all" || vm_fail "driver name"
caps=$(sed -n 's/^[[:space:]]*Device Caps *: 0x\([0-9a-f]*\)$/\1/p' <<<"$all")
[ -n "$caps" ] || vm_fail "no Device Caps in v4l2-ctl --all"
# M2M_MPLANE (0x4000) and STREAMING (0x04000000) set; no capture/output/
# single-plane M2M/read-write caps.
(( (0x$caps & 0x04004000) == 0x04004000 )) ||
	vm_fail "device caps 0x$caps lack M2M_MPLANE|STREAMING"
(( (0x$caps & 0x01009003) == 0 )) || vm_fail "device caps 0x$caps have unexpected bits"
grep -q "entity 'daedalus-v4l2-dec-proc' (Video Decoder)" <<<"$all" ||
	vm_fail "video node's entity is not linked to a Video Decoder entity"

topo=$(media-ctl -p -d "$media") || vm_fail "media-ctl -p -d $media failed"
grep -q 'entity [0-9]*: daedalus-v4l2-dec-proc (2 pads, 2 links)' <<<"$topo" ||
	vm_fail "no decoder entity with 2 pads and 2 links"
[ "$(grep -c "device node name $video\$" <<<"$topo")" = 2 ] ||
	vm_fail "want two IO entities on $video"
grep -q -- '-> "daedalus-v4l2-dec-proc":0 \[ENABLED,IMMUTABLE\]' <<<"$topo" ||
	vm_fail "source -> decoder link missing"
grep -q -- '-> "daedalus-v4l2-dec-sink":0 \[ENABLED,IMMUTABLE\]' <<<"$topo" ||
	vm_fail "decoder -> sink link missing"

# An open node pins the module.
exec 3<"$video"
if rmmod daedalus_v4l2 2>/dev/null; then
	vm_fail "rmmod succeeded with $video open"
fi
exec 3<&-

vm_unload_module
[ ! -e "$video" ] || vm_fail "$video still exists after rmmod"
[ ! -e "$media" ] || vm_fail "$media still exists after rmmod"
# Parameters: node number and job timeout.
vm_load_module video_nr=5 timeout_ms=1234 debug=0
[ "$(vm_dev_node video)" = /dev/video5 ] || vm_fail "video_nr=5 gave $(vm_dev_node video)"
[ "$(cat /sys/module/daedalus_v4l2/parameters/timeout_ms)" = 1234 ] ||
	vm_fail "timeout_ms parameter not applied"
v4l2-ctl -d /dev/video5 --list-devices | grep -q '^daedalus-v4l2 ' ||
	vm_fail "/dev/video5 not listed as daedalus-v4l2"
vm_unload_module

vm_dmesg_clean_since "$mark"
vm_note "module loaded, topology verified, unloaded cleanly"
