#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-vp8: VP8 (V4L2_PIX_FMT_VP8_FRAME) end to end: hidden altref frames and a
# resolution change at a key frame decoded by daedalus-decode through CUSE
# and the kernel module, and by GStreamer's v4l2slvp8dec through the kernel
# module (the altref stream), framemd5-exact (tests/vm/codec-lib.sh;
# streams: tests/vm/gen-mpeg2-vp8.sh).
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh
. tests/vm/codec-lib.sh

[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }

STREAMS="vp8-altref.ivf vp8-resize.ivf"

case ${1:-} in
cuse)	codec_decode cuse "1 4" $STREAMS ;;
kernel)	codec_decode kernel 4 $STREAMS
	codec_gst "ivfparse ! v4l2slvp8dec" ivfparse vp8-altref.ivf ;;
*)	codec_main "$0" cuse kernel ;;
esac
