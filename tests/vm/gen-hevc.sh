#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/vm/gen-hevc.sh [DIR]: generate the HEVC test streams of t-hevc with
# Debian's ffmpeg/libx265 into DIR (default build/streams).  Idempotent: a
# stream is only made when missing or older than this script.  libx265
# writes no short-term RPS sets in its SPS: every slice carries its own RPS,
# which is what the stateless controls can express (see daemon/dd_hevc_ps.h).
#
# Streams (name: what it exercises):
#   hevc-b.h265       320x240, 4 B frames with B-pyramid and weighted
#                     prediction, CRA pictures with RASL pictures (open GOP)
#   hevc-slices.h265  4 slices per picture, wavefront (entry points), 3 B frames
#   hevc-sl.h265      default scaling lists (scaling_list_enabled_flag), one slice,
#                     no WPP (so GStreamer 1.22 can decode it too, see t-hevc)
#   hevc-crop.h265    202x122: conformance window cropping, no WPP
#   hevc10-b.h265     Main 10 (t-10bit: P010): 320x240, 4 B frames with
#                     B-pyramid and weighted prediction, CRA/RASL, no WPP (so
#                     GStreamer 1.22 can decode it too)
#   hevc10-crop.h265  Main 10, 202x122: cropping of a P010 picture, no WPP
# Short streams: the guest runs under TCG.
set -euo pipefail

dir=${1:-build/streams}
mkdir -p "$dir"
self=$(readlink -f "${BASH_SOURCE[0]}")

# h265 NAME SIZE FRAMES X265_PARAMS [PIX_FMT]
h265() {
	local out=$dir/$1.h265
	[ -s "$out" ] && [ "$out" -nt "$self" ] && return 0
	ffmpeg -nostdin -hide_banner -loglevel error -y \
		-f lavfi -i "testsrc2=size=$2:rate=25" -frames:v "$3" -pix_fmt "${5:-yuv420p}" \
		-c:v libx265 -x265-params "log-level=error:$4" -f hevc "$out.tmp"
	mv "$out.tmp" "$out"
}

h265 hevc-b 320x240 20 "bframes=4:b-pyramid=1:keyint=8:min-keyint=8:weightp=1:weightb=1"
h265 hevc-slices 320x240 10 "bframes=3:slices=4:wpp=1"
h265 hevc-sl 256x144 10 "bframes=2:scaling-list=default:wpp=0"
h265 hevc-crop 202x122 10 "bframes=2:wpp=0"
# Main 10 (yuv420p10le makes libx265 write Main 10, bit depths 10/10).
h265 hevc10-b 320x240 16 \
	"bframes=4:b-pyramid=1:keyint=8:min-keyint=8:weightp=1:weightb=1:wpp=0" yuv420p10le
h265 hevc10-crop 202x122 8 "bframes=2:wpp=0" yuv420p10le
