#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/bench/make-stream.sh OUT: the benchmark stream, 640x368 High
# profile (CABAC, 8x8 transform, B-pyramid), 300 frames, made on the host
# (libx264 under TCG would take minutes).  Idempotent.
set -euo pipefail
out=$1
self=$(readlink -f "${BASH_SOURCE[0]}")
[ -s "$out" ] && [ "$out" -nt "$self" ] && exit 0
mkdir -p "$(dirname "$out")"
ffmpeg -nostdin -hide_banner -loglevel error -y \
	-f lavfi -i "testsrc2=size=640x368:rate=25" -frames:v 300 \
	-pix_fmt yuv420p -c:v libx264 -profile:v high \
	-x264-params "bframes=3:b-pyramid=normal:ref=4:8x8dct=1:cabac=1:keyint=120" \
	-bsf:v h264_mp4toannexb -f h264 "$out.tmp"
mv "$out.tmp" "$out"
