#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/vm/gen-streams.sh [DIR]: generate the H.264 test streams (Annex B)
# the guest decode tests use, with ffmpeg + libx264, into DIR (default
# build/streams).  Idempotent: a stream is only made when missing or when
# this script changed.  Prints nothing on success unless asked (-v).
#
# Streams (name: what it exercises):
#   baseline-slices  Constrained Baseline, CAVLC, 4 slices per picture
#   main             Main, CABAC, B-frames
#   high             High: CABAC, 8x8 transform, B-pyramid, weighted P and B
#   cqm-jvt          High with the JVT custom scaling matrices (SPS+PPS lists)
#   odd-642x362      642x362, not a multiple of 16 (frame cropping)
#   hd-1280x720      1280x720
#   mbaff            interlaced MBAFF (x264 --interlaced --tff)
#   paff             field pictures (PAFF), which libx264 cannot make: written
#                    by tests/tools/gen-synth.py (I_PCM / skipped fields, MMCO)

set -euo pipefail

dir=${1:-build/streams}
mkdir -p "$dir"
self=$(readlink -f "${BASH_SOURCE[0]}")

# gen NAME SIZE FRAMES X264-OPTIONS...
gen() {
	local name=$1 size=$2 frames=$3; shift 3
	local out=$dir/$name.h264
	[ -s "$out" ] && [ "$out" -nt "$self" ] && return 0
	ffmpeg -nostdin -hide_banner -loglevel error -y \
		-f lavfi -i "testsrc2=size=$size:rate=25" -frames:v "$frames" \
		-pix_fmt yuv420p -c:v libx264 "$@" -bsf:v h264_mp4toannexb \
		-f h264 "$out.tmp"
	mv "$out.tmp" "$out"
}

gen baseline-slices 320x240 12 -profile:v baseline \
	-x264-params "slices=4:cabac=0:bframes=0:ref=2"
gen main 320x240 16 -profile:v main -x264-params "bframes=2:ref=3:b-pyramid=none"
gen high 320x240 20 -profile:v high \
	-x264-params "cabac=1:8x8dct=1:bframes=3:b-pyramid=normal:weightp=2:weightb=1:ref=4"
gen cqm-jvt 320x240 12 -profile:v high -x264-params "cqm=jvt:8x8dct=1:bframes=2"
gen odd-642x362 642x362 8 -profile:v high -x264-params "bframes=2"
gen hd-1280x720 1280x720 6 -profile:v high -x264-params "bframes=2"
gen mbaff 320x240 12 -profile:v high -flags +ildct+ilme -x264-params "interlaced=1:tff=1:bframes=2"

# PAFF: no host encoder writes field pictures; tests/tools/gen-synth.py
# writes them (IDR/P/B field pairs, both parities first, long-term fields
# by MMCO) with I_PCM and skipped macroblocks.
paff=$(dirname "$self")/../tools/gen-synth.py
if [ ! -s "$dir/paff.h264" ] || [ "$paff" -nt "$dir/paff.h264" ] ||
   [ "$self" -nt "$dir/paff.h264" ]; then
	python3 "$paff" paff "$dir/paff.h264.tmp"
	mv "$dir/paff.h264.tmp" "$dir/paff.h264"
fi
