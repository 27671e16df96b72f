#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# t-visl-synth: t-visl-decode's checks (frame counts, --inflight 1 = 4,
# DECODE_PARAMS + DPB equal to GStreamer's v4l2slh264dec, through visl) for
# the streams libx264 cannot make (tests/tools/gen-synth.py: PAFF with
# long-term fields, POC type 1, MMCO 5, frame num gaps, unpaired fields)
# and two MMCO-heavy
# x264 streams; all made on the host by `make check-tools`.
d=build/tests/tools/streams
streams=
for s in paff poc1 mmco5 gaps unpaired; do
	[ -f "$d/$s.h264" ] || { echo "no $d/$s.h264 (make check-tools)"; exit 77; }
	streams="$streams $d/$s.h264"
done
VISL_STREAMS=${VISL_STREAMS:-$streams} VISL_MISC=0 exec bash tests/vm/t-visl-decode.sh
