#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-cuse-decode-sizes: picture sizes and interlace (642x362 with cropping, 1280x720,
# MBAFF, PAFF field pictures)
# decoded through the CUSE device by build/daedalus-decode (USERPTR) with 1
# and 4 requests in flight; each frame's md5 must equal
# `ffmpeg -f framemd5 -pix_fmt nv12`.  Streams: tests/vm/gen-streams.sh.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

[ -x build/daedalus-cuse ] || { echo "build/daedalus-cuse not built"; exit 77; }
[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }

if [ "${1:-}" != inner ]; then
	cuse_streams
	exec tests/vm/with-device cuse -- bash "$0" inner
fi
cuse_decode_test odd-642x362 hd-1280x720 mbaff paff
