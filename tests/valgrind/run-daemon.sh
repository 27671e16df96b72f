#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# run-daemon.sh BUILD [DAEMON] - memcheck over daedalusd through full decodes on the
# host: the plain (non-ASan) daemon runs under valgrind on a private socket,
# dd-feed decodes a few small streams through it (NV12 over memfds, planar
# into process memory, two contexts with a FLUSH pass, a corrupt picture,
# an unsupported profile), then SIGTERM.  Passes only with 0 memcheck
# errors and 0 bytes definitely lost; suppressions (daedalusd.supp) cover
# libavcodec/glibc/dlopen internals only, each documented there.
set -eu

BUILD=${1:-build}
DAEMON=${2:-$BUILD/daedalusd}
FEED=$BUILD/tests/dd-feed
DIR=$BUILD/tests/valgrind
SUPP=$(dirname "$0")/daedalusd.supp
RUN=$(mktemp -d "${TMPDIR:-/tmp}/daedalusd-vg.XXXXXX")
SOCK=$RUN/daedalusd.sock
VLOG=$DIR/memcheck.$$.log
DLOG=$DIR/daedalusd.$$.log
DPID=
mkdir -p "$DIR"
trap '[ -z "$DPID" ] || kill $DPID 2>/dev/null; rm -rf "$RUN"' EXIT INT TERM

gen() { # name size frames x264-args...
	name=$1 size=$2 n=$3
	shift 3
	[ -s "$DIR/$name.h264" ] && [ -s "$DIR/$name.nv12.md5" ] && return 0
	ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=$size:rate=25" \
		-frames:v "$n" -pix_fmt yuv420p -c:v libx264 "$@" -f h264 "$RUN/$name.h264"
	for fmt in nv12 yuv420p; do
		ffmpeg -nostdin -loglevel error -y -i "$RUN/$name.h264" -fps_mode passthrough \
			-f framemd5 -pix_fmt $fmt "$RUN/$name.$fmt.md5"
		mv "$RUN/$name.$fmt.md5" "$DIR/$name.$fmt.md5"
	done
	mv "$RUN/$name.h264" "$DIR/$name.h264"
}

gen baseline-slices 320x240 12 -profile:v baseline -x264-params slices=4
gen high-bframes 320x240 12 -profile:v high \
	-x264-params cabac=1:8x8dct=1:bframes=3:b-pyramid=normal:weightp=2:ref=4:cqm=jvt
gen mbaff 320x240 8 -profile:v high -x264-params interlaced=1:tff=1:bframes=2
if ! [ -s "$DIR/high422.h264" ]; then
	ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=160x96:rate=25" \
		-frames:v 2 -pix_fmt yuv422p -c:v libx264 -profile:v high422 -f h264 \
		"$RUN/high422.h264"
	mv "$RUN/high422.h264" "$DIR/high422.h264"
fi

valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --error-exitcode=99 --track-origins=yes \
	--suppressions="$SUPP" --log-file="$VLOG" \
	"$DAEMON" --no-device --socket "$SOCK" --hash 2>"$DLOG" &
DPID=$!
# The socket appears once the daemon (slow under memcheck) is listening.
i=0
while ! [ -S "$SOCK" ]; do
	i=$((i + 1))
	if [ $i -gt 300 ] || ! kill -0 $DPID 2>/dev/null; then
		echo "check-valgrind: daedalusd did not come up"; cat "$VLOG"; exit 1
	fi
	sleep 0.1
done

fail=0
run() {
	if ! "$FEED" "$@" >/dev/null; then
		echo "FAILED: dd-feed $*"
		fail=1
	fi
}
run "$SOCK" "$DIR/baseline-slices.h264" "$DIR/baseline-slices.nv12.md5"
run --yuv420 --process "$SOCK" "$DIR/high-bframes.h264" "$DIR/high-bframes.yuv420p.md5"
run --contexts 2 --loops 2 --buffers 3 --close "$SOCK" "$DIR/mbaff.h264" "$DIR/mbaff.nv12.md5"
run --corrupt 5 "$SOCK" "$DIR/high-bframes.h264"
run --expect-unsupported "$SOCK" "$DIR/high422.h264"

kill -TERM $DPID
rc=0
wait $DPID || rc=$?
DPID=
errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$VLOG" | tail -n 1)
lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$VLOG" | tail -n 1 | tr -d ,)
jobs=$(grep -c ' h264 [A-Z]* hash ' "$DLOG" || true)
echo "check-valgrind: daedalusd answered $jobs jobs; memcheck: ${errs:-?} errors," \
	"${lost:-0} bytes definitely lost, exit status $rc"
grep -E 'in use at exit|suppressed:' "$VLOG" | sed 's/^==[0-9]*== */  /'
if [ $rc != 0 ] || [ "${errs:-1}" != 0 ] || [ "${lost:-0}" != 0 ] || [ $fail != 0 ]; then
	echo "check-valgrind: FAILED, memcheck log kept in $VLOG, daemon log in $DLOG"
	exit 1
fi
rm -f "$VLOG" "$DLOG"
echo "check-valgrind: daedalusd clean under memcheck"
