#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-kernel-gst: unmodified GStreamer (v4l2codecs' v4l2slh264dec, which finds
# the decoder through the media topology) decodes the gen-streams.sh streams
# through daedalus_v4l2.ko to NV12; every frame's md5, after removing
# GStreamer's row padding (stride rounded up to 4), must equal
# `ffmpeg -f framemd5 -pix_fmt nv12`.
# filesink runs unbuffered.  By default filesink keeps a reference to every
# buffer it is given until 64 KiB have accumulated (a GstBufferList written
# with writev), and v4l2slh264dec hands it its CAPTURE (picture pool)
# buffers without a copy.  With small pictures (the 64x96 paff stream:
# 9216 bytes each) filesink holds 7 of them, the decoder's fixed pool of 11
# (7 + its DPB) is exhausted and it waits forever for a free picture buffer
# with no ioctl pending; a 64x96 progressive stream stalls the same way.  The kernel's own visl driver (on
# v4l2-mem2mem) stalls at the same picture the same way; both decode every
# frame with buffer-mode=unbuffered.  v4l2codecs cannot grow its pool
# (gst_v4l2_codec_allocator_create_buffer() is a TODO returning FALSE, also
# upstream), so it waits on a condition variable.  See docs/kernel.md.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

STREAMS="baseline-slices main high cqm-jvt odd-642x362 hd-1280x720 mbaff paff"

if [ "${1:-}" != inner ]; then
	command -v gst-launch-1.0 >/dev/null || { echo "no gst-launch-1.0"; exit 77; }
	cuse_streams
	mark=$(vm_dmesg_mark)
	tests/vm/with-device kernel -- bash "$0" inner || exit 1
	vm_dmesg_clean_since "$mark"
	exit 0
fi

tmp=$(mktemp -d)
# Only the plugins the pipeline needs, registry in tmpfs: no 7 s scan.
gstdir=$(dirname "$(ls /usr/lib/*/gstreamer-1.0/libgstcoreelements.so | head -n1)")
mkdir -p "$tmp/plugins"
for p in coreelements videoparsersbad v4l2codecs; do
	ln -s "$gstdir/libgst$p.so" "$tmp/plugins/" || vm_fail "GStreamer plugin $p missing"
done
export GST_PLUGIN_SYSTEM_PATH_1_0=$tmp/plugins GST_PLUGIN_PATH_1_0= GST_REGISTRY_1_0=$tmp/registry.bin \
	GST_REGISTRY=$tmp/registry.bin
gst-inspect-1.0 v4l2slh264dec >"$tmp/inspect" 2>&1 ||
	{ cat "$tmp/inspect" >&2; vm_fail "GStreamer registered no v4l2slh264dec for our decoder"; }

total=0
for s in $STREAMS; do
	f=$VM_STREAMS/$s.h264
	[ -f "$f" ] || vm_fail "missing stream $f"
	cuse_ref "$f" "$tmp/$s.ref"
	size=$(awk '/^#dimensions 0:/ { print $3 }' "$tmp/$s.ref")
	w=${size%x*} h=${size#*x}
	t0=$(date +%s.%N)
	timeout 60 gst-launch-1.0 -q filesrc location="$f" ! h264parse ! v4l2slh264dec ! \
		video/x-raw,format=NV12 ! filesink buffer-mode=unbuffered location="$tmp/$s.nv12" >"$tmp/gst.log" 2>&1 ||
		{ cat "$tmp/gst.log" >&2; vm_fail "$s: gst-launch failed"; }
	t1=$(date +%s.%N)
	stride=$(( (w + 3) / 4 * 4 ))
	ffmpeg -nostdin -hide_banner -loglevel error -f rawvideo -pix_fmt nv12 \
		-s "${stride}x$h" -i "$tmp/$s.nv12" -vf "crop=$w:$h:0:0" \
		-f framemd5 -pix_fmt nv12 - >"$tmp/$s.gst" || vm_fail "$s: framemd5 of GStreamer's output"
	cuse_compare "$s GStreamer ($(echo "$t1 - $t0" | bc | cut -c1-4) s)" \
		"$tmp/$s.ref" "$tmp/$s.gst"
	total=$((total + $(wc -l <"$tmp/$s.gst.col")))
done
vm_note "GStreamer: $total frames exact"
