#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# run-streams.sh BUILD [DAEMON] - end-to-end host test of daedalusd: generate H.264
# streams covering the stateless decoder's feature matrix with ffmpeg/x264
# (and a 10-bit VP9 stream for P010),
# take ffmpeg's own per-frame MD5s as the reference, start daedalusd on a
# private socket and let dd-feed decode every stream through it like a
# stateless client would.  Every frame of every stream must match exactly.
set -eu

BUILD=${1:-build}
DIR=$BUILD/tests/streams
# Private socket and log: several checkouts or make runs may test at once.
RUN=$(mktemp -d "${TMPDIR:-/tmp}/daedalusd-test.XXXXXX")
SOCK=$RUN/daedalusd.sock
LOG=$BUILD/tests/daedalusd-test.$$.log
DPID=
FEED=$BUILD/tests/dd-feed
DAEMON=${2:-$BUILD/daedalusd}
N=60
mkdir -p "$DIR"
# Streams are written under temporary names in $DIR and renamed (atomic on
# one file system), so concurrent runs never see half-written files.
GEN=$(mktemp -d "$DIR/.gen.XXXXXX")
trap '[ -z "$DPID" ] || kill $DPID 2>/dev/null; rm -rf "$RUN" "$GEN"' EXIT INT TERM

# Custom scaling lists (zig-zag order, all different) catch any list
# ordering or raster/zig-zag mix-up that the symmetric JVT lists hide.
seq4() { seq -s, "$1" "$2" "$(($1 + 15 * $2))"; }
seq8() { seq -s, "$1" 1 "$(($1 + 63))"; }
CQM="cqm4iy=$(seq4 6 3):cqm4ic=$(seq4 9 2):cqm4py=$(seq4 12 4):cqm4pc=$(seq4 7 5)"
CQM="$CQM:cqm8i=$(seq8 10):cqm8p=$(seq8 30)"

gen() { # name size x264-args...
	name=$1 size=$2
	shift 2
	[ -s "$DIR/$name.h264" ] && [ -s "$DIR/$name.nv12.md5" ] && return 0
	ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=$size:rate=25" \
		-frames:v $N -pix_fmt yuv420p -c:v libx264 "$@" -f h264 "$GEN/$name.h264"
	for fmt in nv12 yuv420p; do
		ffmpeg -nostdin -loglevel error -y -i "$GEN/$name.h264" -fps_mode passthrough \
			-f framemd5 -pix_fmt $fmt "$GEN/$name.$fmt.md5"
		mv "$GEN/$name.$fmt.md5" "$DIR/$name.$fmt.md5"
	done
	mv "$GEN/$name.h264" "$DIR/$name.h264"
}

gen baseline-slices 320x240 -profile:v baseline -x264-params slices=4
gen main 320x240 -profile:v main -bf 2
gen high-pyramid 352x288 -profile:v high \
	-x264-params cabac=1:8x8dct=1:bframes=3:b-pyramid=normal:weightp=2:weightb=1:ref=4
gen cqm-jvt 320x240 -profile:v high -x264-params cqm=jvt:bframes=2
gen cqm-custom 320x240 -profile:v high -x264-params "$CQM:bframes=2"
gen cqm-custom-no8x8 320x240 -profile:v high -x264-params "$CQM:8x8dct=0"
gen hd720 1280x720 -profile:v high -x264-params bframes=3:b-pyramid=normal
gen odd-642x362 642x362 -profile:v high -x264-params bframes=2
gen mbaff 320x240 -profile:v high -x264-params interlaced=1:tff=1:bframes=2
gen mbaff-ilme 352x288 -profile:v high -flags +ildct+ilme -x264-params bframes=2
gen fake-interlaced 320x240 -profile:v high -x264-params fake-interlaced=1:bframes=2
gen idr-every-10 320x240 -profile:v main -g 10 -bf 2

# Formats the CAPTURE side cannot carry: answered UNSUPPORTED.
for f in yuv422p:high422 yuv420p10le:high10; do
	[ -s "$DIR/${f#*:}.h264" ] && continue
	ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=160x96:rate=25" \
		-frames:v 5 -pix_fmt ${f%:*} -c:v libx264 -profile:v ${f#*:} -f h264 "$GEN/${f#*:}.h264"
	mv "$GEN/${f#*:}.h264" "$DIR/${f#*:}.h264"
done

# 10-bit VP9 (profile 2, two-pass with hidden altref frames, odd width) to
# P010, reference in ffmpeg's p010le, and an 8-bit VP9 stream that a P010
# CAPTURE buffer cannot take.
if ! [ -s "$DIR/vp9-p2.ivf" ] || ! [ -s "$DIR/vp9-p2.p010le.md5" ]; then
	for pass in 1 2; do
		ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=202x122:rate=25" \
			-frames:v 20 -pix_fmt yuv420p10le -c:v libvpx-vp9 -profile:v 2 \
			-auto-alt-ref 1 -lag-in-frames 25 -b:v 200k -cpu-used 4 -pass $pass \
			-passlogfile "$GEN/vp9-p2" -f ivf "$GEN/vp9-p2.ivf"
	done
	ffmpeg -nostdin -loglevel error -y -i "$GEN/vp9-p2.ivf" -fps_mode passthrough \
		-f framemd5 -pix_fmt p010le "$GEN/vp9-p2.p010le.md5"
	mv "$GEN/vp9-p2.p010le.md5" "$DIR/vp9-p2.p010le.md5"
	mv "$GEN/vp9-p2.ivf" "$DIR/vp9-p2.ivf"
fi
if ! [ -s "$DIR/vp9-p0.ivf" ]; then
	ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=160x96:rate=25" \
		-frames:v 3 -pix_fmt yuv420p -c:v libvpx-vp9 -cpu-used 8 -f ivf "$GEN/vp9-p0.ivf"
	mv "$GEN/vp9-p0.ivf" "$DIR/vp9-p0.ivf"
fi

# PAFF: no host encoder writes field pictures, so half-height all-intra
# pictures are rewritten into top/bottom field pairs (make-paff.py); the
# reference is ffmpeg's decode of that same file.
if ! [ -s "$DIR/paff.h264" ] || ! [ -s "$DIR/paff.yuv420p.md5" ]; then
	ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=320x112:rate=50" \
		-frames:v $N -pix_fmt yuv420p -c:v libx264 -profile:v baseline -g 1 \
		-f h264 "$GEN/paff-fields.h264"
	python3 tests/daemon/make-paff.py "$GEN/paff-fields.h264" "$GEN/paff.h264"
	for fmt in nv12 yuv420p; do
		ffmpeg -nostdin -loglevel error -y -i "$GEN/paff.h264" -fps_mode passthrough \
			-f framemd5 -pix_fmt $fmt "$GEN/paff.$fmt.md5"
		mv "$GEN/paff.$fmt.md5" "$DIR/paff.$fmt.md5"
	done
	mv "$GEN/paff.h264" "$DIR/paff.h264"
fi

"$DAEMON" --no-device --socket "$SOCK" --hash 2>"$LOG" &
DPID=$!

fail=0
run() {
	if ! "$FEED" "$@"; then
		echo "FAILED: dd-feed $*"
		fail=1
	fi
}

for s in baseline-slices main high-pyramid cqm-jvt cqm-custom cqm-custom-no8x8 hd720 \
	 odd-642x362 mbaff mbaff-ilme fake-interlaced idr-every-10 paff; do
	run "$SOCK" "$DIR/$s.h264" "$DIR/$s.nv12.md5"
done
# Planar capture, capture in process memory, two parallel contexts each
# decoding the stream twice (the second pass starts with a FLUSH job).
run --yuv420 "$SOCK" "$DIR/high-pyramid.h264" "$DIR/high-pyramid.yuv420p.md5"
run --yuv420 --process "$SOCK" "$DIR/odd-642x362.h264" "$DIR/odd-642x362.yuv420p.md5"
run --process "$SOCK" "$DIR/mbaff.h264" "$DIR/mbaff.nv12.md5"
run --yuv420 --buffers 1 "$SOCK" "$DIR/paff.h264" "$DIR/paff.yuv420p.md5"
run --contexts 2 --loops 2 --buffers 3 --close "$SOCK" "$DIR/cqm-custom.h264" \
	"$DIR/cqm-custom.nv12.md5"
run --contexts 3 --buffers 1 "$SOCK" "$DIR/hd720.h264" "$DIR/hd720.nv12.md5"
run --expect-unsupported "$SOCK" "$DIR/high422.h264"
run --expect-unsupported "$SOCK" "$DIR/high10.h264"
# 10-bit to P010 through both capture paths and two contexts; a depth that
# differs from the CAPTURE format either way is UNSUPPORTED, not converted.
run --p010 "$SOCK" "$DIR/vp9-p2.ivf" "$DIR/vp9-p2.p010le.md5"
run --p010 --process "$SOCK" "$DIR/vp9-p2.ivf" "$DIR/vp9-p2.p010le.md5"
run --p010 --contexts 2 --loops 2 --buffers 3 "$SOCK" "$DIR/vp9-p2.ivf" \
	"$DIR/vp9-p2.p010le.md5"
run --expect-unsupported "$SOCK" "$DIR/vp9-p2.ivf"
run --p010 --expect-unsupported "$SOCK" "$DIR/vp9-p0.ivf"
# A corrupt picture is answered with ERROR and the daemon lives on...
run --corrupt 20 "$SOCK" "$DIR/high-pyramid.h264"
# Hostile bitstreams (tools/dd_corrupt.h): random bytes, noise in the slice
# data, truncated pictures, slices swapped or dropped, SPS/PPS controls that
# disagree with the slices, on 30% of the pictures of a multi-slice, a
# B-pyramid and a field stream.  Every job is answered OK (concealed) or
# ERROR, never anything else, and the daemon (ASan) lives on...
for m in random noise truncate swap drop sps pps; do
	for s in baseline-slices high-pyramid paff; do
		run --damage $m:7:30 "$SOCK" "$DIR/$s.h264" >/dev/null
	done
done
# ...and still decodes exactly afterwards.
run "$SOCK" "$DIR/main.h264" "$DIR/main.nv12.md5"
# A front end that dies with jobs in flight: its contexts are freed and
# the next front end is served exactly.
"$FEED" --contexts 3 --loops 5 "$SOCK" "$DIR/hd720.h264" "$DIR/hd720.nv12.md5" \
	>/dev/null 2>&1 &
FPID=$!
sleep 1
kill -KILL $FPID 2>/dev/null || true
wait $FPID 2>/dev/null || true
run --close "$SOCK" "$DIR/baseline-slices.h264" "$DIR/baseline-slices.nv12.md5"
if ! grep -q 'front end gone, freeing its contexts' "$LOG"; then
	echo "FAILED: daedalusd did not notice a front end going away"
	fail=1
fi

kill -TERM $DPID
if ! wait $DPID; then
	echo "FAILED: daedalusd did not exit cleanly on SIGTERM"
	fail=1
fi
DPID=
if [ -e "$SOCK" ]; then
	echo "FAILED: daedalusd left its socket behind"
	fail=1
fi
# Slice threading keeps the per-job completion guarantee (one job in flight).
# Without --hash (the default), DONE.hash is 0 and the pictures are the same.
"$DAEMON" --no-device --socket "$SOCK" --threads 2 2>>"$LOG" &
DPID=$!
run --buffers 1 --no-hash "$SOCK" "$DIR/baseline-slices.h264" "$DIR/baseline-slices.nv12.md5"
run --buffers 1 --no-hash --yuv420 "$SOCK" "$DIR/paff.h264" "$DIR/paff.yuv420p.md5"
run --process --no-hash "$SOCK" "$DIR/main.h264" "$DIR/main.nv12.md5"
run --p010 --no-hash "$SOCK" "$DIR/vp9-p2.ivf" "$DIR/vp9-p2.p010le.md5"
run --p010 --process --no-hash "$SOCK" "$DIR/vp9-p2.ivf" "$DIR/vp9-p2.p010le.md5"
kill -TERM $DPID
wait $DPID || { echo "FAILED: daedalusd --threads 2 did not exit cleanly"; fail=1; }
DPID=

jobs_ok=$(grep -c ' h264 OK hash ' "$LOG" || true)
jobs_err=$(grep -c ' h264 ERROR hash ' "$LOG" || true)
echo "check-daemon-streams: daedalusd answered $jobs_ok jobs OK, $jobs_err ERROR"
if [ $fail != 0 ]; then
	echo "check-daemon-streams: FAILED, daemon log kept in $LOG"
	exit 1
fi
rm -f "$LOG"
echo "check-daemon-streams: all streams exact"
