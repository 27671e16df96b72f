#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/soak/gen-streams.sh DIR: the soak's H.264 streams with several IDRs
# (closed GOPs every few frames), so daedalus-decode --seek-random has later
# IDRs to restart at, plus ffmpeg's framemd5 reference (NAME.ref) of each.
# Idempotent: a stream is made only when missing or older than this script.
#
#   soak-baseline  Constrained Baseline, CAVLC, 4 slices, IDR every 8
#   soak-main      Main, CABAC, 2 B-frames, IDR every 12
#   soak-high      High, 8x8, B-pyramid, weighted P/B, 4 refs, IDR every 15
#   soak-cqm       High, JVT scaling matrices, IDR every 10
#   soak-odd       642x362 (cropping), IDR every 6
#   soak-mbaff     interlaced MBAFF (frame pictures), IDR every 12

set -euo pipefail

dir=${1:?usage: gen-streams.sh DIR}
mkdir -p "$dir"
self=$(readlink -f "${BASH_SOURCE[0]}")

# gen NAME SIZE FRAMES KEYINT X264-PARAMS [FFMPEG OPTIONS...]
gen() {
	local name=$1 size=$2 frames=$3 keyint=$4 params=$5 out=$dir/$1.h264
	shift 5
	if [ ! -s "$out" ] || [ "$self" -nt "$out" ]; then
		ffmpeg -nostdin -hide_banner -loglevel error -y \
			-f lavfi -i "testsrc2=size=$size:rate=25" -frames:v "$frames" \
			-pix_fmt yuv420p -c:v libx264 "$@" \
			-x264-params "keyint=$keyint:min-keyint=$keyint:scenecut=0:open-gop=0:$params" \
			-bsf:v h264_mp4toannexb -f h264 "$out.tmp"
		mv "$out.tmp" "$out"
	fi
	if [ ! -s "$dir/$name.ref" ] || [ "$out" -nt "$dir/$name.ref" ]; then
		ffmpeg -nostdin -hide_banner -loglevel error -i "$out" -f framemd5 \
			-pix_fmt nv12 - >"$dir/$name.ref.tmp"
		mv "$dir/$name.ref.tmp" "$dir/$name.ref"
	fi
}

gen soak-baseline 320x240 40 8 "slices=4:cabac=0:bframes=0:ref=2" -profile:v baseline
gen soak-main 320x240 48 12 "bframes=2:ref=3:b-pyramid=none" -profile:v main
gen soak-high 320x240 60 15 "cabac=1:8x8dct=1:bframes=3:b-pyramid=normal:weightp=2:weightb=1:ref=4" \
	-profile:v high
gen soak-cqm 320x240 40 10 "cqm=jvt:8x8dct=1:bframes=2" -profile:v high
gen soak-odd 642x362 24 6 "bframes=2" -profile:v high
gen soak-mbaff 320x240 36 12 "interlaced=1:tff=1:bframes=2" -profile:v high -flags +ildct+ilme
