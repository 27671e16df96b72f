#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/vm/gen-mpeg2-vp8.sh [DIR]: generate the MPEG-2 and VP8 test streams
# of t-mpeg2 and t-vp8 with Debian's ffmpeg into DIR (default
# build/streams).  Idempotent: a stream is only made when missing or older
# than this script (or its field-picture writer).
#
# Streams (name: what it exercises):
#   mpeg2-ibp.m2v        320x240 progressive, I/P/B (2 B frames), 2 GOPs
#   mpeg2-cqm.m2v        custom intra and inter matrices (quantisation control)
#   mpeg2-interlaced.m2v 352x288 interlaced frame pictures: progressive_frame=0,
#                        top_field_first, field DCT/prediction, alternate scan
#   mpeg2-fields.m2v     field pictures (I/P field pairs, both parities first):
#                        ffmpeg's encoder makes none, tests/vm/gen-mpeg2-fields.py
#                        writes them
#   vp8-altref.ivf       libvpx two-pass with auto-alt-ref: hidden altref frames
#   vp8-resize.ivf       176x144 then 160x96 from a key frame: resolution change
set -euo pipefail

dir=${1:-build/streams}
mkdir -p "$dir"
self=$(readlink -f "${BASH_SOURCE[0]}")
fields=$(dirname "$self")/gen-mpeg2-fields.py

fresh() {
	[ -s "$1" ] && [ "$1" -nt "$self" ] && { [ ! -f "$fields" ] || [ "$1" -nt "$fields" ]; }
}

ff() {
	ffmpeg -nostdin -hide_banner -loglevel error -y "$@"
}

# m2v NAME SIZE FRAMES OPTIONS...
m2v() {
	local name=$1 size=$2 frames=$3; shift 3
	local out=$dir/$name.m2v
	fresh "$out" && return 0
	ff -f lavfi -i "testsrc2=size=$size:rate=25" -frames:v "$frames" -pix_fmt yuv420p \
		-c:v mpeg2video "$@" -f mpeg2video "$out.tmp"
	mv "$out.tmp" "$out"
}

m2v mpeg2-ibp 320x240 14 -bf 2 -g 7 -b:v 600k
m2v mpeg2-cqm 320x240 10 -bf 2 -g 10 -qscale:v 6 \
	-intra_matrix "8,10,12,14,16,18,20,22,10,12,14,16,18,20,22,24,12,14,16,18,20,22,24,26,14,16,18,20,22,24,26,28,16,18,20,22,24,26,28,30,18,20,22,24,26,28,30,32,20,22,24,26,28,30,32,34,22,24,26,28,30,32,34,36" \
	-inter_matrix "16,17,18,19,20,21,22,23,17,18,19,20,21,22,23,24,18,19,20,21,22,23,24,25,19,20,21,22,23,24,25,26,20,21,22,23,24,25,26,27,21,22,23,24,25,26,27,28,22,23,24,25,26,27,28,29,23,24,25,26,27,28,29,30"
m2v mpeg2-interlaced 352x288 12 -bf 2 -g 6 -b:v 900k -flags +ildct+ilme -top 1 \
	-alternate_scan 1

if [ -f "$fields" ] && ! fresh "$dir/mpeg2-fields.m2v"; then
	python3 "$fields" "$dir/mpeg2-fields.m2v.tmp"
	mv "$dir/mpeg2-fields.m2v.tmp" "$dir/mpeg2-fields.m2v"
fi

if ! fresh "$dir/vp8-altref.ivf"; then
	tmp=$(mktemp -d)
	for pass in 1 2; do
		ff -f lavfi -i testsrc2=size=176x144:rate=25 -frames:v 40 -pix_fmt yuv420p \
			-c:v libvpx -auto-alt-ref 1 -lag-in-frames 16 -g 40 -b:v 300k \
			-pass $pass -passlogfile "$tmp/log" -f ivf "$tmp/a.ivf"
	done
	mv "$tmp/a.ivf" "$dir/vp8-altref.ivf"
	rm -rf "$tmp"
fi

if ! fresh "$dir/vp8-resize.ivf"; then
	tmp=$(mktemp -d)
	ff -f lavfi -i testsrc2=size=176x144:rate=25 -frames:v 8 -pix_fmt yuv420p \
		-c:v libvpx -g 4 -b:v 300k -f ivf "$tmp/a.ivf"
	ff -f lavfi -i "testsrc2=size=160x96:rate=25" -frames:v 8 -pix_fmt yuv420p \
		-c:v libvpx -g 4 -b:v 200k -f ivf "$tmp/b.ivf"
	# One IVF file: the first header (frame count summed), then every frame.
	python3 - "$tmp/a.ivf" "$tmp/b.ivf" "$tmp/c.ivf" <<'PY'
import struct, sys
a, b = (open(p, 'rb').read() for p in sys.argv[1:3])
frames = [], []
for n, d in enumerate((a, b)):
    pos = 32
    while pos < len(d):
        size, = struct.unpack('<I', d[pos:pos + 4])
        frames[n].append(d[pos + 12:pos + 12 + size])
        pos += 12 + size
out = bytearray(a[:24] + struct.pack('<I', len(frames[0]) + len(frames[1])) + a[28:32])
for pts, f in enumerate(frames[0] + frames[1]):
    out += struct.pack('<IQ', len(f), pts) + f
open(sys.argv[3], 'wb').write(out)
PY
	mv "$tmp/c.ivf" "$dir/vp8-resize.ivf"
	rm -rf "$tmp"
fi
