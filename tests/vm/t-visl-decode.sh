#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# t-visl-decode: build/daedalus-decode against the kernel's visl stateless
# test decoder (built out of tree by tests/vm/build-visl.sh).  visl decodes
# nothing but checks and traces every control, so per stream this checks:
#  - --inflight 1 and 4 (visl slowed down so requests really queue) both
#    succeed, output as many frames as ffmpeg, and send identical controls;
#  - the DECODE_PARAMS + DPB that daedalus-decode sends equal, picture by
#    picture, what GStreamer's v4l2slh264dec sends for the same stream;
#  - --mode slice sends the same DECODE_PARAMS + DPB, and SLICE_PARAMS with
#    reference lists equal to GStreamer's slice by slice (GStreamer decodes
#    slice-based on visl, whose default mode that is);
# (for frame num gaps, except the timestamps of non-existing frames, see
# below); and once: device auto-probing, dmabuf memory, -o raw output, clean
# failures (userptr on a driver without it, a missing device, a file with no
# H.264).
# VISL_STREAMS="path ..." picks the streams; VISL_MISC=0 skips the once-only
# checks; VISL_KEEP=DIR keeps the normalized traces.
. tests/vm/lib.sh

K=build/visl/$DAEDALUS_KVER
[ -f "$K/visl.ko" ] || { echo "no $K/visl.ko (tests/vm/build-visl.sh $DAEDALUS_KVER)"; exit 77; }
[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }

T=/sys/kernel/tracing
EV=$T/events/visl_h264_controls
tmp=$(mktemp -d)
mounted_trace=0
cleanup() {
	[ -d "$EV" ] && echo 0 >"$EV/enable" 2>/dev/null
	[ -d /sys/module/visl ] && rmmod visl
	[ -d /sys/module/v4l2_mem2mem ] && rmmod v4l2_mem2mem
	[ "$mounted_trace" = 1 ] && umount "$T"
	rm -rf "$tmp"
}
trap cleanup EXIT

# a previous test killed on its timeout may have left them loaded
[ -d /sys/module/visl ] && rmmod visl
[ -d /sys/module/v4l2_mem2mem ] && rmmod v4l2_mem2mem
modprobe -a videodev mc videobuf2-vmalloc videobuf2-v4l2 v4l2-tpg || vm_fail "modprobe failed"
insmod "$K/v4l2-mem2mem.ko" || vm_fail "insmod v4l2-mem2mem failed"
insmod "$K/visl.ko" || vm_fail "insmod visl failed"
if [ ! -e "$T/trace" ]; then
	mount -t tracefs nodev "$T" || vm_fail "cannot mount tracefs"
	mounted_trace=1
fi
video=
for d in /sys/bus/platform/devices/visl*/video4linux/video*; do
	[ -e "$d" ] && video=/dev/${d##*/}
done
[ -n "$video" ] || vm_fail "visl registered no video node"
echo 1 >"$EV/v4l2_ctrl_h264_decode_params/enable"
echo 1 >"$EV/v4l2_h264_dpb_entry/enable"
# slice params and the 2 x 32 list entries only when slices are compared
slice_events() {
	for e in v4l2_ctrl_h264_slice_params v4l2_h264_ref_pic_list0 v4l2_h264_ref_pic_list1; do
		echo "$1" >"$EV/$e/enable"
	done
}
echo 16384 >"$T/buffer_size_kb"
# one registry for all visl tests of a boot: building it costs ~20 s under TCG
export GST_REGISTRY=/tmp/daedalus-visl-gst-registry.bin

if [ -z "${VISL_STREAMS:-}" ]; then
	# a few x264 streams here; t-visl-x264 and t-visl-synth run the others
	# (each test must stay well inside its time under TCG)
	tests/vm/gen-streams.sh build/streams >/dev/null || vm_fail "cannot generate streams"
	VISL_STREAMS=
	for s in baseline-slices cqm-jvt high; do
		VISL_STREAMS="$VISL_STREAMS build/streams/$s.h264"
	done
fi

# traced NAME CMD...: run CMD with a fresh trace, normalized into $tmp/NAME.norm
traced() {
	local name=$1 rc
	shift
	echo >"$T/trace"
	"$@"
	rc=$?
	python3 tests/vm/visl-trace-norm.py "$T/trace" >"$tmp/$name.norm"
	if [ "$(cat "$EV/v4l2_ctrl_h264_slice_params/enable")" = 1 ]; then
		python3 tests/vm/visl-trace-norm.py --slices "$T/trace" >"$tmp/$name.snorm"
	fi
	return $rc
}

frames() { grep -vc '^#' "$1" || true; }

gst_ok=1
gst-inspect-1.0 v4l2slh264dec >/dev/null 2>&1 || { gst_ok=0; vm_note "no v4l2slh264dec: GStreamer comparison skipped"; }

for f in $VISL_STREAMS; do
	s=$(basename "$f" .h264)
	slice_events 0
	nref=$(ffmpeg -nostdin -v error -i "$f" -f framemd5 -pix_fmt nv12 - | grep -vc '^#')
	traced "$s.1" build/daedalus-decode -d "$video" --framemd5 --inflight 1 "$f" \
		>"$tmp/$s.1.md5" || vm_fail "$s: --inflight 1 failed"
	echo 3 >/sys/module/visl/parameters/visl_transtime_ms
	traced "$s.4" build/daedalus-decode -d "$video" --framemd5 --inflight 4 "$f" \
		>"$tmp/$s.4.md5" || vm_fail "$s: --inflight 4 failed"
	echo 0 >/sys/module/visl/parameters/visl_transtime_ms
	n1=$(frames "$tmp/$s.1.md5")
	n4=$(frames "$tmp/$s.4.md5")
	[ "$n1" = "$nref" ] && [ "$n4" = "$nref" ] ||
		vm_fail "$s: frames: ffmpeg $nref, --inflight 1: $n1, --inflight 4: $n4"
	slice_events 1
	traced "$s.slice" build/daedalus-decode -d "$video" --framemd5 --mode slice "$f" \
		>"$tmp/$s.slice.md5" || vm_fail "$s: --mode slice failed"
	[ "$(frames "$tmp/$s.slice.md5")" = "$nref" ] || vm_fail "$s: --mode slice: wrong frame count"
	cmp -s "$tmp/$s.1.norm" "$tmp/$s.slice.norm" ||
		vm_fail "$s: DECODE_PARAMS/DPB differ between frame and slice mode"
	pics=$(wc -l <"$tmp/$s.1.norm")
	[ "$pics" -gt 0 ] || vm_fail "$s: visl traced no picture"
	cmp -s "$tmp/$s.1.norm" "$tmp/$s.4.norm" ||
		vm_fail "$s: controls differ between --inflight 1 and 4: $(diff "$tmp/$s.1.norm" "$tmp/$s.4.norm" | head -3)"
	msg="$s: $nref frames, $pics pictures, inflight 1 = 4"
	if [ "$s" = unpaired ]; then
		# GStreamer 1.22's v4l2slh264dec stops decoding at an unpaired field
		vm_note "$msg (no GStreamer comparison: it stops at unpaired fields)"
		continue
	fi
	if [ "$gst_ok" = 1 ]; then
		traced "$s.gst" timeout 120 gst-launch-1.0 -q filesrc location="$f" ! h264parse ! \
			v4l2slh264dec ! fakesink || vm_fail "$s: gst-launch failed"
		slice_events 0
		if [ "$s" = gaps ]; then
			# By design: a frame num gap's non-existing frames get a timestamp
			# no buffer has; GStreamer gives them the first frame's (0).
			# Compare without timestamps and without POC 0/0 entries.
			for n in 1 gst; do
				sed -E 's/ \{ts[0-9]+ [^}]* 0 0 [A-Z_|]*\}//g; s/\{ts[0-9]+ /{/g' \
					"$tmp/$s.$n.norm" >"$tmp/$s.$n.x" && mv "$tmp/$s.$n.x" "$tmp/$s.$n.norm"
			done
			msg="$msg (non-existing frames aside)"
		fi
		same=$(paste -d '\n' "$tmp/$s.1.norm" "$tmp/$s.gst.norm" | paste - - |
			awk -F '\t' '$1 == $2' | wc -l)
		gpics=$(wc -l <"$tmp/$s.gst.norm")
		if [ "$same" != "$pics" ] || [ "$gpics" != "$pics" ]; then
			[ -n "${VISL_KEEP:-}" ] && mkdir -p "$VISL_KEEP" && cp "$tmp"/*.norm "$VISL_KEEP"/
			diff "$tmp/$s.gst.norm" "$tmp/$s.1.norm" | head -6 | cut -c1-400 >&2
			vm_fail "$s: DECODE_PARAMS/DPB equal GStreamer's for $same of $pics pictures (GStreamer: $gpics)"
		fi
		msg="$msg, DECODE_PARAMS+DPB = GStreamer for $same/$pics"
		# slice mode (GStreamer's choice on visl): slice params + reference lists too
		if [ "$s" != gaps ]; then
			nsl=$(wc -l <"$tmp/$s.slice.snorm")
			cmp -s "$tmp/$s.gst.snorm" "$tmp/$s.slice.snorm" || {
				diff "$tmp/$s.gst.snorm" "$tmp/$s.slice.snorm" | head -4 | cut -c1-600 >&2
				vm_fail "$s: --mode slice SLICE_PARAMS/lists/DPB differ from GStreamer's"
			}
			msg="$msg, slice mode = GStreamer for $nsl slices"
		fi
	fi
	vm_note "$msg"
done
[ -n "${VISL_KEEP:-}" ] && mkdir -p "$VISL_KEEP" && cp "$tmp"/*.norm "$VISL_KEEP"/

[ "${VISL_MISC:-1}" = 1 ] || exit 0
f=$(echo $VISL_STREAMS | cut -d' ' -f1)
n=$(frames "$tmp/$(basename "$f" .h264).1.md5")
# auto-probe: no -d/-m, no env
env -u DAEDALUS_VIDEO -u DAEDALUS_MEDIA build/daedalus-decode --framemd5 "$f" >"$tmp/probe.md5" ||
	vm_fail "auto-probed device failed"
[ "$(frames "$tmp/probe.md5")" = "$n" ] || vm_fail "auto-probe: wrong frame count"
vm_note "auto-probe found $video and its media node"
build/daedalus-decode -d "$video" --memory dmabuf --framemd5 "$f" >"$tmp/dmabuf.md5" ||
	vm_fail "--memory dmabuf failed"
[ "$(frames "$tmp/dmabuf.md5")" = "$n" ] || vm_fail "dmabuf: wrong frame count"
vm_note "--memory dmabuf: $n frames"
# -o: the raw pictures are exactly what the framemd5 lines hashed
build/daedalus-decode -d "$video" --framemd5 -o "$tmp/out.yuv" "$f" >"$tmp/raw.md5" ||
	vm_fail "-o failed"
python3 - "$tmp/out.yuv" "$tmp/raw.md5" <<'PY' || vm_fail "-o output does not match the framemd5 lines"
import hashlib, sys
raw = open(sys.argv[1], 'rb').read()
rows = [l.split(',') for l in open(sys.argv[2]) if not l.startswith('#')]
pos = 0
for r in rows:
    size = int(r[4])
    assert hashlib.md5(raw[pos:pos + size]).hexdigest() == r[5].strip(), r
    pos += size
assert pos == len(raw), (pos, len(raw))
print("  -o: %d pictures, %d bytes, each matching its framemd5 line" % (len(rows), pos))
PY

# failures: non-zero exit and a message naming the problem
expect_fail() {	# what pattern cmd...
	local what=$1 pat=$2 rc
	shift 2
	"$@" >/dev/null 2>"$tmp/err" && vm_fail "$what: succeeded"
	grep -q "$pat" "$tmp/err" || vm_fail "$what: message was: $(cat "$tmp/err")"
	vm_note "$what: exit non-zero, \"$(head -1 "$tmp/err")\""
}
expect_fail "userptr on visl" "does not support userptr" \
	build/daedalus-decode -d "$video" --memory userptr "$f"
expect_fail "missing device" "cannot open /dev/video99" \
	build/daedalus-decode -d /dev/video99 "$f"
head -c 4096 /dev/urandom | tr -d '\000\001' >"$tmp/noise.h264"
expect_fail "no H.264 in file" "no decodable H.264 picture" \
	build/daedalus-decode -d "$video" "$tmp/noise.h264"
