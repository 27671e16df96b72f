#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-mpeg2-gst: GStreamer's v4l2slmpeg2dec through the kernel module on the
# t-mpeg2 streams (I/P/B, custom matrices, interlaced frames, field pairs),
# framemd5-exact.  It sets the sequence and matrices outside requests at
# negotiation and queues field pairs with HOLD_CAPTURE_BUF.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh
. tests/vm/codec-lib.sh

command -v gst-launch-1.0 >/dev/null || { echo "no gst-launch-1.0"; exit 77; }

STREAMS="mpeg2-ibp.m2v mpeg2-cqm.m2v mpeg2-interlaced.m2v mpeg2-fields.m2v"

case ${1:-} in
kernel)	codec_gst "mpegvideoparse ! v4l2slmpeg2dec" videoparsersbad $STREAMS ;;
*)	codec_main "$0" kernel ;;
esac
