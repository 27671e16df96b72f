#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/vm/gen-vp9.sh [DIR]: generate the VP9 test streams of t-vp9
# (libvpx-vp9, profile 0, 8-bit 4:2:0) and t-10bit (profile 2, 10-bit
# 4:2:0) with Debian's ffmpeg into DIR (default build/streams).  Idempotent:
# a stream is only made when missing or older than this script.
#
# Streams (name: what it exercises):
#   vp9-altref.ivf   256x144, libvpx two-pass with auto-alt-ref and a 25-frame
#                    lag: hidden altref frames in superframes (split by the
#                    client), golden/altref references, sign bias
#   vp9-tiles.ivf    642x202 (odd size, width >= 512): 2 tile columns,
#                    segmentation (aq-mode 1), key frame every 3 frames
#   vp9-resize.ivf   176x144 then 160x96 from a key frame: resolution change
#   vp9-showex.ivf   176x144 with two show_existing_frame headers inserted (libvpx
#                    makes none): slot 0 (the last frame) after frame 2, slot 1
#                    (golden: the key frame) after frame 5; ffmpeg outputs both again
#   vp9p2-altref.ivf 256x144 profile 2 (10-bit), two-pass with altref frames in
#                    superframes, like vp9-altref
#   vp9p2-odd.ivf    175x97 profile 2: odd size, P010 rows of odd width
#   vp9p2-switch.ivf 176x144, 6 frames profile 0 (8-bit) then 6 frames profile 2
#                    from a key frame: the CAPTURE format goes NV12 -> P010
#                    (its halves stay as vp9p2-switch-a.ivf, vp9p2-switch-b.ivf
#                    for the reference)
set -euo pipefail

dir=${1:-build/streams}
mkdir -p "$dir"
self=$(readlink -f "${BASH_SOURCE[0]}")

fresh() {
	[ -s "$1" ] && [ "$1" -nt "$self" ]
}

ff() {
	ffmpeg -nostdin -hide_banner -loglevel error -y "$@"
}

if ! fresh "$dir/vp9-altref.ivf"; then
	tmp=$(mktemp -d)
	for pass in 1 2; do
		ff -f lavfi -i testsrc2=size=256x144:rate=25 -frames:v 30 -pix_fmt yuv420p \
			-c:v libvpx-vp9 -auto-alt-ref 1 -lag-in-frames 25 -g 60 -b:v 200k \
			-cpu-used 4 -pass $pass -passlogfile "$tmp/log" -f ivf "$tmp/a.ivf"
	done
	mv "$tmp/a.ivf" "$dir/vp9-altref.ivf"
	rm -rf "$tmp"
fi

if ! fresh "$dir/vp9-tiles.ivf"; then
	ff -f lavfi -i testsrc2=size=642x202:rate=25 -frames:v 6 -pix_fmt yuv420p \
		-c:v libvpx-vp9 -tile-columns 1 -aq-mode 1 -g 3 -b:v 400k \
		-cpu-used 8 -deadline realtime -f ivf "$dir/vp9-tiles.ivf.tmp"
	mv "$dir/vp9-tiles.ivf.tmp" "$dir/vp9-tiles.ivf"
fi

# ivf_cat A B OUT: one IVF file, A's header (frame count summed), every frame.
ivf_cat() {
	python3 - "$1" "$2" "$3" <<'PY'
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
}

if ! fresh "$dir/vp9-resize.ivf"; then
	tmp=$(mktemp -d)
	ff -f lavfi -i testsrc2=size=176x144:rate=25 -frames:v 8 -pix_fmt yuv420p \
		-c:v libvpx-vp9 -g 4 -b:v 300k -cpu-used 8 -f ivf "$tmp/a.ivf"
	ff -f lavfi -i testsrc2=size=160x96:rate=25 -frames:v 8 -pix_fmt yuv420p \
		-c:v libvpx-vp9 -g 4 -b:v 200k -cpu-used 8 -f ivf "$tmp/b.ivf"
	ivf_cat "$tmp/a.ivf" "$tmp/b.ivf" "$tmp/c.ivf"
	mv "$tmp/c.ivf" "$dir/vp9-resize.ivf"
	rm -rf "$tmp"
fi

if ! fresh "$dir/vp9-showex.ivf"; then
	tmp=$(mktemp -d)
	ff -f lavfi -i testsrc2=size=176x144:rate=25 -frames:v 8 -pix_fmt yuv420p \
		-c:v libvpx-vp9 -g 60 -b:v 300k -cpu-used 8 -f ivf "$tmp/a.ivf"
	# A one-byte frame: frame_marker 2, profile 0, show_existing_frame, slot.
	python3 - "$tmp/a.ivf" "$tmp/b.ivf" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
frames, pos = [], 32
while pos < len(d):
    size, = struct.unpack('<I', d[pos:pos + 4])
    frames.append(d[pos + 12:pos + 12 + size])
    pos += 12 + size
out_frames = []
for i, f in enumerate(frames):
    out_frames.append(f)
    if i == 2:
        out_frames.append(bytes([0x88 | 0]))
    if i == 5:
        out_frames.append(bytes([0x88 | 1]))
out = bytearray(d[:24] + struct.pack('<I', len(out_frames)) + d[28:32])
for pts, f in enumerate(out_frames):
    out += struct.pack('<IQ', len(f), pts) + f
open(sys.argv[2], 'wb').write(out)
PY
	mv "$tmp/b.ivf" "$dir/vp9-showex.ivf"
	rm -rf "$tmp"
fi

# Profile 2: 10-bit 4:2:0 (yuv420p10le input, -profile:v 2).
if ! fresh "$dir/vp9p2-altref.ivf"; then
	tmp=$(mktemp -d)
	for pass in 1 2; do
		ff -f lavfi -i testsrc2=size=256x144:rate=25 -frames:v 20 -pix_fmt yuv420p10le \
			-c:v libvpx-vp9 -profile:v 2 -auto-alt-ref 1 -lag-in-frames 16 -g 60 \
			-b:v 300k -cpu-used 4 -pass $pass -passlogfile "$tmp/log" -f ivf "$tmp/a.ivf"
	done
	mv "$tmp/a.ivf" "$dir/vp9p2-altref.ivf"
	rm -rf "$tmp"
fi

if ! fresh "$dir/vp9p2-odd.ivf"; then
	# testsrc2 itself rounds odd sizes down: scale to the odd size.
	ff -f lavfi -i testsrc2=size=176x98:rate=25 -vf scale=175:97 -frames:v 6 \
		-pix_fmt yuv420p10le -c:v libvpx-vp9 -profile:v 2 -g 3 -b:v 300k -cpu-used 8 \
		-deadline realtime -f ivf "$dir/vp9p2-odd.ivf.tmp"
	mv "$dir/vp9p2-odd.ivf.tmp" "$dir/vp9p2-odd.ivf"
fi

if ! fresh "$dir/vp9p2-switch.ivf"; then
	ff -f lavfi -i testsrc2=size=176x144:rate=25 -frames:v 6 -pix_fmt yuv420p \
		-c:v libvpx-vp9 -g 60 -b:v 300k -cpu-used 8 -f ivf "$dir/vp9p2-switch-a.ivf"
	ff -f lavfi -i testsrc2=size=176x144:rate=25 -frames:v 6 -pix_fmt yuv420p10le \
		-c:v libvpx-vp9 -profile:v 2 -g 60 -b:v 300k -cpu-used 8 \
		-f ivf "$dir/vp9p2-switch-b.ivf"
	ivf_cat "$dir/vp9p2-switch-a.ivf" "$dir/vp9p2-switch-b.ivf" "$dir/vp9p2-switch.ivf.tmp"
	mv "$dir/vp9p2-switch.ivf.tmp" "$dir/vp9p2-switch.ivf"
fi
