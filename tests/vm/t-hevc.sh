#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-hevc: HEVC (V4L2_PIX_FMT_HEVC_SLICE) end to end: libx265 streams with
# B-pyramids and weighted prediction, open-GOP CRA/RASL pictures, several
# slices per picture with wavefront entry points (dynamic-array SLICE_PARAMS
# and ENTRY_POINT_OFFSETS), default scaling lists and a cropped size,
# decoded by daedalus-decode through CUSE and the kernel module, and by
# GStreamer's v4l2slh265dec through the kernel module, framemd5-exact
# (tests/vm/codec-lib.sh; streams: tests/vm/gen-hevc.sh).
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh
. tests/vm/codec-lib.sh

[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }

STREAMS="hevc-b.h265 hevc-slices.h265 hevc-sl.h265 hevc-crop.h265"

# Four requests in flight; one too through the kernel module on the stream
# with the deepest reordering (guest time).  GStreamer 1.22's v4l2slh265dec
# takes the streams without entry points only (slices, scaling lists,
# cropped): on a slice with num_entry_point_offsets > 0 (WPP, libx265's
# default: hevc-b) it dies of SIGSEGV before queuing any request, through
# visl just the same.  GStreamer's bug: 1.22.0's GstH265Decoder frees the
# parsed slice header's entry_point_offset_minus1 (NULL, count kept) and
# v4l2codecs' fill_slice_params reads it (gdb backtrace, docs/hevc.md).
case ${1:-} in
cuse)	codec_decode cuse 4 $STREAMS ;;
kernel)	codec_decode kernel "1 4" hevc-b.h265
	codec_decode kernel 4 hevc-slices.h265 hevc-sl.h265 hevc-crop.h265
	codec_gst "h265parse ! v4l2slh265dec" videoparsersbad hevc-slices.h265 hevc-sl.h265 \
		hevc-crop.h265 ;;
*)	tests/vm/gen-hevc.sh "$VM_STREAMS" || vm_fail "cannot generate the streams"
	CODEC_REFS=$(mktemp -d)
	export CODEC_REFS
	codec_fronts "$0" cuse kernel ;;
esac
