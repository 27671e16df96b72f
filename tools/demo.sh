#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tools/demo.sh [--front kernel|cuse] [CLIP.h264]: the main job.  Decodes an
# H.264 clip through the daedalus-v4l2 device with daedalus-decode and
# checks every frame against libavcodec's own decode (ffmpeg -f framemd5).
# Without a CLIP, a 1280x720 High-profile clip is made with ffmpeg.
#
# Where the running kernel can host the device (it can load modules and
# has videodev), the demo runs right here; otherwise (a container or a CI
# host without V4L2) it boots Debian's 6.12 kernel under QEMU with
# tests/vm/run and runs inside it.  The decoded pictures are written to
# build/demo/decoded.nv12 (raw NV12, visible area) either way.
set -euo pipefail

cd "$(dirname "$0")/.."
front=kernel
while [ $# -gt 0 ]; do
	case $1 in
	--front) front=${2:?}; shift 2 ;;
	--inside) inside=1; shift ;;
	*) break ;;
	esac
done
clip=${1:-build/demo/clip-1280x720.h264}
mkdir -p build/demo

if [ ! -s "$clip" ]; then
	ffmpeg -nostdin -hide_banner -loglevel error -y \
		-f lavfi -i "testsrc2=size=1280x720:rate=25" -frames:v 50 \
		-pix_fmt yuv420p -c:v libx264 -profile:v high \
		-x264-params "bframes=3:b-pyramid=normal" \
		-bsf:v h264_mp4toannexb -f h264 "$clip"
fi

if [ "${inside:-0}" = 1 ]; then
	ffmpeg -nostdin -hide_banner -loglevel error -i "$clip" -f framemd5 \
		-pix_fmt nv12 - | awk -F, '!/^#/ { gsub(/ /, "", $6); print $6 }' \
		>build/demo/reference.md5
	tests/vm/with-device "$front" -- build/daedalus-decode --framemd5 \
		-o build/demo/decoded.nv12 "$clip" |
		awk -F, '!/^#/ { gsub(/ /, "", $6); print $6 }' >build/demo/decoded.md5
	total=$(wc -l <build/demo/reference.md5)
	same=$(paste -d' ' build/demo/reference.md5 build/demo/decoded.md5 |
		awk '$1 == $2' | wc -l)
	echo "demo: $clip through the $front front end: $same/$total frames identical to libavcodec"
	[ "$total" -gt 0 ] && [ "$same" -eq "$total" ]
	exit
fi

host_can_run() {
	[ "$(id -u)" = 0 ] && [ -d /sys/module ] &&
		modprobe -q videodev 2>/dev/null && modprobe -q cuse 2>/dev/null
}

if host_can_run; then
	export DAEDALUS_GUEST=1
	DAEDALUS_KVER=$(uname -r)
	export DAEDALUS_KVER
	exec "$0" --inside --front "$front" "$clip"
fi
echo "demo: this kernel cannot host the device; running in a QEMU guest (Debian 6.12)"
exec tests/vm/run --kernel 6.12 -- tools/demo.sh --inside --front "$front" "$clip"
