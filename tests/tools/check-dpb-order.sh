#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-dpb-order.sh - host self-test of daedalus-decode's stream splitting
# and DPB model: for x264-made streams covering B-pyramids, many refs, no
# VUI reorder hint, POC types 0, 1 and 2, MBAFF, PAFF field pairs with
# long-term fields, MMCO 5, frame_num gaps, multiple slices, IDR periods, the display order our DPB produces (decode index of each output
# frame) must equal FFmpeg's (ffprobe coded_picture_number).
#
# Usage: check-dpb-order.sh DD_DPB_ORDER_BIN STREAM_DIR

set -u
bin=$1
dir=$2
mkdir -p "$dir"

gen() {	# name x264-params [extra ffmpeg args]
	name=$1; params=$2; shift 2
	[ -s "$dir/$name.h264" ] && return 0
	ffmpeg -nostdin -hide_banner -loglevel error -y \
		-f lavfi -i testsrc2=size=176x144:rate=25 -frames:v 40 \
		-c:v libx264 -pix_fmt yuv420p -x264-params "$params" "$@" \
		"$dir/$name.h264"
}

gen bpyramid  "bframes=3:b-pyramid=normal:ref=4:keyint=12"
gen bstrict   "bframes=2:b-pyramid=strict:ref=3:keyint=20:scenecut=0"
gen noreorder "bframes=0:ref=1:keyint=250"
gen poctype2  "bframes=0:ref=2:keyint=15"
gen refs16    "bframes=5:b-pyramid=normal:ref=16:keyint=40:b-adapt=2"
gen slices    "bframes=2:slices=4:ref=3:keyint=10"
gen mbaff     "bframes=2:interlaced=1:ref=3:keyint=16" -flags +ildct
gen cavlc     "bframes=1:cabac=0:ref=2:keyint=8:weightp=2"
gen openGop   "bframes=3:open-gop=1:keyint=10:ref=3"
# what libx264 cannot make: PAFF fields with long-term fields, POC type 1,
# MMCO 5, frame_num gaps, unpaired fields (tests/tools/gen-synth.py)
here=$(dirname "$0")
for k in paff poc1 mmco5 gaps unpaired; do
	if [ ! -s "$dir/$k.h264" ] || [ "$here/gen-synth.py" -nt "$dir/$k.h264" ]; then
		python3 "$here/gen-synth.py" "$k" "$dir/$k.h264"
	fi
done

pass=0; fail=0
for f in "$dir"/*.h264; do
	want=$(ffprobe -v error -threads 1 -show_entries frame=coded_picture_number \
		-of default=nw=1:nk=1 "$f" | tr '\n' ' ')
	got=$("$bin" "$f" | tr '\n' ' ')
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $(basename "$f")"
		echo "  ffprobe: $want"
		echo "  ours:    $got"
	fi
done
echo "dpb-order: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
