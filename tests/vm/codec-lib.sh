# SPDX-License-Identifier: GPL-2.0-only
# tests/vm/codec-lib.sh: the body of the per-codec guest tests (t-mpeg2,
# t-vp8): streams from tests/vm/gen-mpeg2-vp8.sh decoded by daedalus-decode
# through CUSE and through the kernel module, and by the GStreamer v4l2codecs
# element through the kernel module; every frame's md5 must equal
# `ffmpeg -autoscale 0 -f framemd5 -pix_fmt nv12` (autoscale off: a stream
# that changes resolution is compared at its own sizes).
# Source after tests/vm/lib.sh and tests/vm/cuse-lib.sh.

# CODEC_PIX: the CAPTURE layout compared, nv12 (8-bit streams) or p010le
# (10-bit streams: P010 CAPTURE, GStreamer's P010_10LE).
CODEC_PIX=${CODEC_PIX:-nv12}

# codec_ref STREAM: ffmpeg's reference framemd5 in $CODEC_PIX, made once per
# test run in $CODEC_REFS; prints its path.
codec_ref() {
	local out=$CODEC_REFS/${1##*/}.$CODEC_PIX.ref opts=
	# 10-bit: the reference the P010 contract names (every frame, p010le).
	[ "$CODEC_PIX" = nv12 ] || opts="-fps_mode passthrough"
	# shellcheck disable=SC2086
	[ -s "$out" ] || ffmpeg -nostdin -hide_banner -loglevel error -i "$1" -autoscale 0 \
		$opts -f framemd5 -pix_fmt "$CODEC_PIX" - >"$out" ||
		vm_fail "ffmpeg reference for $1 failed"
	echo "$out"
}

# codec_fronts SCRIPT FRONT...: SCRIPT's inner part under each front end
# (cuse, kernel), the kernel log clean meanwhile; $CODEC_REFS (made by
# the caller) is removed after.
codec_fronts() {
	local mark script=$1 front
	shift
	mark=$(vm_dmesg_mark)
	for front in "$@"; do
		tests/vm/with-device "$front" -- bash "$script" "$front" || exit 1
	done
	vm_dmesg_clean_since "$mark"
	rm -rf "$CODEC_REFS"
}

# codec_main SCRIPT FRONT...: the outer part of t-mpeg2 and t-vp8: their
# streams, then codec_fronts.
codec_main() {
	tests/vm/gen-mpeg2-vp8.sh "$VM_STREAMS" || vm_fail "cannot generate the streams"
	CODEC_REFS=$(mktemp -d)
	export CODEC_REFS
	codec_fronts "$@"
}

# The daemon connects to /dev/daedalus-v4l2 some time after with-device
# starts it (dlopen of libavcodec over 9p under TCG can take seconds on the
# first start of a boot); a job before that fails "no daemon".
codec_wait_daemon() {
	local stats=/sys/kernel/debug/daedalus-v4l2/stats i
	[ -r $stats ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
	[ -r $stats ] || return 0
	for i in $(seq 300); do
		grep -q '^daemon: connected' $stats && return 0
		sleep 0.1
	done
	vm_fail "daedalusd did not connect to /dev/daedalus-v4l2 within 30 s"
}

# codec_decode FRONT "INFLIGHT..." STREAM...: daedalus-decode with each
# number of requests in flight (USERPTR through CUSE, MMAP through the
# kernel module).
codec_decode() {
	local front=$1 runs=$2 mem=mmap tmp s f n t0 t1 ref
	shift 2
	[ "$front" = cuse ] && mem=userptr
	[ "$front" = kernel ] && codec_wait_daemon
	tmp=$(mktemp -d)
	for s in "$@"; do
		f=$VM_STREAMS/$s
		[ -f "$f" ] || vm_fail "missing stream $f"
		ref=$(codec_ref "$f")
		for n in $runs; do
			t0=$(date +%s.%N)
			build/daedalus-decode --memory $mem --framemd5 --inflight $n "$f" \
				>"$tmp/$s.$n.md5" 2>"$tmp/err" ||
				{ cat "$tmp/err" >&2; vm_fail "$s: daedalus-decode ($front, $mem," \
					"--inflight $n) failed"; }
			t1=$(date +%s.%N)
			cuse_compare "$s $front $mem --inflight $n ($(echo "$t1 - $t0" | bc | cut -c1-4) s)" \
				"$ref" "$tmp/$s.$n.md5"
		done
	done
	rm -rf "$tmp"
}

# codec_gst "PARSER ! ELEMENT" PLUGINS STREAM...: GStreamer through the kernel
# module, NV12 (P010_10LE when CODEC_PIX=p010le) to an unbuffered filesink
# (see t-kernel-gst.sh), rows padded to 4 bytes removed before hashing.
codec_gst() {
	local chain=$1 plugins=$2 tmp gstdir p s f size w h stride ref gfmt=NV12 sb=1
	shift 2
	[ "$CODEC_PIX" = p010le ] && gfmt=P010_10LE sb=2
	command -v gst-launch-1.0 >/dev/null || { vm_note "no gst-launch-1.0: GStreamer skipped"; return 0; }
	codec_wait_daemon
	tmp=$(mktemp -d)
	gstdir=$(dirname "$(ls /usr/lib/*/gstreamer-1.0/libgstcoreelements.so | head -n1)")
	mkdir -p "$tmp/plugins"
	for p in coreelements $plugins v4l2codecs; do
		ln -s "$gstdir/libgst$p.so" "$tmp/plugins/" || vm_fail "GStreamer plugin $p missing"
	done
	export GST_PLUGIN_SYSTEM_PATH_1_0=$tmp/plugins GST_PLUGIN_PATH_1_0= \
		GST_REGISTRY_1_0=$tmp/registry.bin GST_REGISTRY=$tmp/registry.bin
	for s in "$@"; do
		f=$VM_STREAMS/$s
		ref=$(codec_ref "$f")
		size=$(awk '/^#dimensions 0:/ { print $3 }' "$ref")
		w=${size%x*} h=${size#*x}
		# shellcheck disable=SC2086
		timeout 60 gst-launch-1.0 -q filesrc location="$f" ! $chain ! \
			video/x-raw,format=$gfmt ! filesink buffer-mode=unbuffered \
			location="$tmp/$s.raw" >"$tmp/gst.log" 2>&1 ||
			{ cat "$tmp/gst.log" >&2; vm_fail "$s: gst-launch ... $chain failed"; }
		# GStreamer's default rows: w samples rounded up to 4 bytes, the
		# chroma rows as wide (ffmpeg reads them as a picture stride/sb wide).
		stride=$(( (w * sb + 3) / 4 * 4 ))
		ffmpeg -nostdin -hide_banner -loglevel error -f rawvideo -pix_fmt "$CODEC_PIX" \
			-s "$((stride / sb))x$h" -i "$tmp/$s.raw" -vf "crop=$w:$h:0:0" \
			-f framemd5 -pix_fmt "$CODEC_PIX" - >"$tmp/$s.gst" ||
			vm_fail "$s: framemd5 of GStreamer's output"
		cuse_compare "$s GStreamer ${chain##* } $gfmt" "$ref" "$tmp/$s.gst"
	done
	rm -rf "$tmp"
}
