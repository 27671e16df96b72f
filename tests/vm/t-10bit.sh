#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-10bit: 10-bit 4:2:0 to P010 CAPTURE end to end: HEVC Main 10 (libx265
# B-pyramid with weighted prediction and CRA/RASL; a cropped size) and VP9
# profile 2 (libvpx altref superframes; an odd size), decoded by
# daedalus-decode through CUSE and the kernel module and by GStreamer's
# v4l2slh265dec / v4l2slvp9dec (video/x-raw,format=P010_10LE) through the
# kernel module, every frame equal to `ffmpeg -f framemd5 -pix_fmt p010le`
# (tests/vm/codec-lib.sh with CODEC_PIX=p010le; streams: tests/vm/gen-hevc.sh,
# tests/vm/gen-vp9.sh); at the odd width, to the exact conversion of
# libavcodec's pictures (tests/vm/p010-ref.py: ffmpeg's own p010le is not
# exact there).  Both clients set the SPS / FRAME control outside a
# request before choosing the CAPTURE format, and the device then offers
# P010 only.  Also: -o writes the exact raw p010le, and a VP9 stream that goes
# from 8-bit to 10-bit at a key frame decodes to NV12 then P010 (the CAPTURE
# format follows the FRAME control once the buffers are freed).
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh
CODEC_PIX=p010le
. tests/vm/codec-lib.sh

[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }

HEVC="hevc10-b.h265 hevc10-crop.h265"
VP9="vp9p2-altref.ivf vp9p2-odd.ivf"

# ten_exact STREAM W H [RAW_OUT]: the exact P010 reference of a stream
# (tests/vm/p010-ref.py from libavcodec's yuv420p10le pictures) as
# $CODEC_REFS/STREAM.p010le.ref, which codec_ref then uses.  For odd widths:
# FFmpeg 5.1's swscale leaves the last Cb/Cr pair of each row 0 in p010le.
ten_exact() {
	local f=$VM_STREAMS/$1
	ffmpeg -nostdin -hide_banner -loglevel error -i "$f" -fps_mode passthrough \
		-f rawvideo -pix_fmt yuv420p10le "$CODEC_REFS/$1.yuv10" &&
	python3 tests/vm/p010-ref.py "$2" "$3" "$CODEC_REFS/$1.yuv10" ${4:+"$4"} \
		>"$CODEC_REFS/$1.p010le.ref" || vm_fail "exact P010 reference of $1 failed"
}

# ten_raw FRONT STREAM: daedalus-decode -o equals the exact p010le pictures
# (made by ten_exact as $CODEC_REFS/STREAM.p010).
ten_raw() {
	local f=$VM_STREAMS/$2 tmp
	tmp=$(mktemp -d)
	build/daedalus-decode --inflight 4 -o "$tmp/out.p010" "$f" 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2; vm_fail "$2: daedalus-decode -o ($1) failed"; }
	cmp -s "$CODEC_REFS/$2.p010" "$tmp/out.p010" ||
		vm_fail "$2 $1: -o output ($(stat -c %s "$tmp/out.p010") bytes) differs from" \
			"the exact p010le ($(stat -c %s "$CODEC_REFS/$2.p010") bytes)"
	vm_note "$2 $1 -o: $(stat -c %s "$tmp/out.p010") bytes of p010le identical"
	rm -rf "$tmp"
}

# ten_switch FRONT: vp9p2-switch.ivf (8-bit then 10-bit from a key frame):
# the first half's frames against nv12, the second half's against p010le.
ten_switch() {
	local s=vp9p2-switch.ivf tmp
	tmp=$(mktemp -d)
	ffmpeg -nostdin -hide_banner -loglevel error -i "$VM_STREAMS/vp9p2-switch-a.ivf" \
		-f framemd5 -pix_fmt nv12 - >"$tmp/ref" &&
	ffmpeg -nostdin -hide_banner -loglevel error -i "$VM_STREAMS/vp9p2-switch-b.ivf" \
		-fps_mode passthrough -f framemd5 -pix_fmt p010le - >>"$tmp/ref" ||
		vm_fail "ffmpeg reference for $s failed"
	build/daedalus-decode --framemd5 --inflight 4 "$VM_STREAMS/$s" >"$tmp/got" 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2; vm_fail "$s: daedalus-decode ($1) failed"; }
	cuse_compare "$s $1 (NV12 then P010)" "$tmp/ref" "$tmp/got"
	rm -rf "$tmp"
}

case ${1:-} in
cuse)	codec_decode cuse 4 $HEVC $VP9
	ten_switch cuse ;;
kernel)	codec_decode kernel "1 4" hevc10-b.h265 vp9p2-altref.ivf
	codec_decode kernel 4 hevc10-crop.h265 vp9p2-odd.ivf
	ten_raw kernel vp9p2-odd.ivf
	ten_switch kernel
	codec_gst "h265parse ! v4l2slh265dec" videoparsersbad $HEVC
	codec_gst "ivfparse ! vp9parse ! v4l2slvp9dec" "ivfparse videoparsersbad" \
		vp9p2-altref.ivf ;;
*)	tests/vm/gen-hevc.sh "$VM_STREAMS" || vm_fail "cannot generate the HEVC streams"
	tests/vm/gen-vp9.sh "$VM_STREAMS" || vm_fail "cannot generate the VP9 streams"
	CODEC_REFS=$(mktemp -d)
	export CODEC_REFS
	ten_exact vp9p2-odd.ivf 175 97 "$CODEC_REFS/vp9p2-odd.ivf.p010"
	codec_fronts "$0" cuse kernel ;;
esac
