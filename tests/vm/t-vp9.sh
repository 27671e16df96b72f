#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-vp9: VP9 (V4L2_PIX_FMT_VP9_FRAME) end to end, profile 0: hidden altref
# frames in superframes, two tile columns at an odd size with segmentation,
# a resolution change at a key frame, and show_existing_frame (output again
# without a request), decoded by daedalus-decode through
# CUSE and the kernel module, and by GStreamer's v4l2slvp9dec through the
# kernel module, framemd5-exact (tests/vm/codec-lib.sh; streams:
# tests/vm/gen-vp9.sh).  GStreamer gets the streams of one size: its
# output is checked as one raw NV12 file of the first frame's size.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh
. tests/vm/codec-lib.sh

[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }

STREAMS="vp9-altref.ivf vp9-tiles.ivf vp9-resize.ivf vp9-showex.ivf"

case ${1:-} in
# --inflight 1 and 4 for the altref stream, 4 for the rest: modest guest time.
cuse)	codec_decode cuse "1 4" vp9-altref.ivf
	codec_decode cuse 4 vp9-tiles.ivf vp9-resize.ivf vp9-showex.ivf ;;
kernel)	codec_decode kernel 4 $STREAMS
	codec_gst "ivfparse ! vp9parse ! v4l2slvp9dec" "ivfparse videoparsersbad" \
		vp9-altref.ivf vp9-tiles.ivf vp9-showex.ivf ;;
*)	tests/vm/gen-vp9.sh "$VM_STREAMS" || vm_fail "cannot generate the streams"
	CODEC_REFS=$(mktemp -d)
	export CODEC_REFS
	codec_fronts "$0" cuse kernel ;;
esac
