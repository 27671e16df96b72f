#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-mpeg2: MPEG-2 (V4L2_PIX_FMT_MPEG2_SLICE) end to end with daedalus-decode:
# I/P/B, custom quantiser matrices, interlaced frame pictures and field
# pictures through CUSE (USERPTR) and the kernel module (MMAP), framemd5-exact
# (tests/vm/codec-lib.sh; streams: tests/vm/gen-mpeg2-vp8.sh).  GStreamer's
# element is t-mpeg2-gst.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh
. tests/vm/codec-lib.sh

[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }

STREAMS="mpeg2-ibp.m2v mpeg2-cqm.m2v mpeg2-interlaced.m2v mpeg2-fields.m2v"

case ${1:-} in
cuse)	codec_decode cuse "1 4" mpeg2-ibp.m2v
	codec_decode cuse 4 ${STREAMS#mpeg2-ibp.m2v } ;;
kernel)	codec_decode kernel 4 $STREAMS ;;
*)	codec_main "$0" cuse kernel ;;
esac
