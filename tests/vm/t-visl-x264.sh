#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# t-visl-x264: t-visl-decode's checks (frame counts, --inflight 1 = 4, frame
# and slice mode, controls equal to GStreamer's v4l2slh264dec, through visl)
# for the remaining x264 streams of tests/vm/gen-streams.sh: MBAFF and frame
# cropping (t-visl-refs has the MMCO-heavy ones).
streams="build/streams/mbaff.h264 build/streams/odd-642x362.h264"
tests/vm/gen-streams.sh build/streams >/dev/null || { echo "cannot generate streams"; exit 1; }
VISL_STREAMS=${VISL_STREAMS:-$streams} VISL_MISC=0 exec bash tests/vm/t-visl-decode.sh
