#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# t-visl-refs: t-visl-decode's checks (frame counts, --inflight 1 = 4, frame
# and slice mode, controls equal to GStreamer's v4l2slh264dec, through visl)
# for two MMCO-heavy x264 streams made by `make check-tools`: 16 references
# with a B-pyramid, and an open GOP.
streams=
for s in refs16 openGop; do
	f=build/tests/tools/streams/$s.h264
	[ -f "$f" ] || { echo "no $f (make check-tools)"; exit 77; }
	streams="$streams $f"
done
VISL_STREAMS=${VISL_STREAMS:-$streams} VISL_MISC=0 exec bash tests/vm/t-visl-decode.sh
