#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-framemd5.sh - host self-test of daedalus-decode's picture output:
# NV12 and P010 pictures at an odd size, in a padded driver-like layout,
# cropped at an offset and in full, must hash (--framemd5) and write (-o)
# exactly as `ffmpeg -f framemd5 -pix_fmt nv12|p010le` and ffmpeg's raw
# output of the same crop.
#
# Usage: check-framemd5.sh DD_FRAMEMD5_CHECK_BIN DIR

set -eu
bin=$1
dir=$2
mkdir -p "$dir"
ff() {
	ffmpeg -nostdin -hide_banner -loglevel error -y "$@"
}
fail=0
# fmt ffmpeg-pix-fmt source-pix-fmt
for spec in "nv12 nv12 yuv420p" "p010 p010le yuv420p10le"; do
	set -- $spec
	fmt=$1 pf=$2 src=$3
	raw=$dir/pic-$fmt.raw
	ff -f lavfi -i testsrc2=size=176x98:rate=25 -vf scale=175:97 -frames:v 3 -pix_fmt "$src" \
		-f rawvideo -pix_fmt "$pf" "$raw"
	# crop: W H X Y VW VH
	for crop in "175 97 0 0 175 97" "175 97 6 4 161 81" "175 97 2 10 27 33"; do
		set -- $crop
		ff -f rawvideo -pix_fmt "$pf" -s "$1x$2" -i "$raw" -vf "crop=$5:$6:$3:$4:exact=1" \
			-f framemd5 -pix_fmt "$pf" "$dir/ref.md5"
		ff -f rawvideo -pix_fmt "$pf" -s "$1x$2" -i "$raw" -vf "crop=$5:$6:$3:$4:exact=1" \
			-f rawvideo -pix_fmt "$pf" "$dir/ref.raw"
		"$bin" "$fmt" "$raw" "$@" "$dir/out.raw" >"$dir/out.md5"
		if ! diff -q "$dir/ref.raw" "$dir/out.raw" >/dev/null ||
		   [ "$(grep -v '^#' "$dir/ref.md5" | cut -d, -f5-)" != \
		     "$(grep -v '^#' "$dir/out.md5" | cut -d, -f5-)" ] ||
		   [ "$(grep -c -v '^#' "$dir/out.md5")" != 3 ]; then
			echo "check-framemd5: $fmt crop $crop differs from ffmpeg"
			diff "$dir/ref.md5" "$dir/out.md5" || true
			fail=1
		else
			echo "check-framemd5: $fmt ${5}x$6+$3+$4 of $1x$2: 3 frames identical"
		fi
	done
done
exit $fail
