// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_codec_mpeg2.c - the MPEG-2 entry of the codec table: OUTPUT format
 * V4L2_PIX_FMT_MPEG2_SLICE (the slices of one picture, start codes
 * included), frame-size limits, and the three stateless MPEG-2 controls.
 * A request must carry (or have carried before) the sequence and the
 * picture; the quantisation matrices default to the specification's.
 * Validation is in dd_mpeg2_validate.c.
 */
#include "dd_codec.h"
#include "dd_mpeg2.h"
#include "dd_proto.h"

/* Sorted by id. */
static const struct dd_ctrl_desc dd_mpeg2_ctrls[] = {
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_MPEG2_SEQUENCE, V4L2_CTRL_TYPE_MPEG2_SEQUENCE,
			 "MPEG-2 Sequence Header", struct v4l2_ctrl_mpeg2_sequence, true,
			 dd_mpeg2_init_sequence, dd_mpeg2_validate_sequence),
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_MPEG2_PICTURE, V4L2_CTRL_TYPE_MPEG2_PICTURE,
			 "MPEG-2 Picture Header", struct v4l2_ctrl_mpeg2_picture, true,
			 dd_mpeg2_init_picture, dd_mpeg2_validate_picture),
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_MPEG2_QUANTISATION,
			 V4L2_CTRL_TYPE_MPEG2_QUANTISATION, "MPEG-2 Quantisation Matrices",
			 struct v4l2_ctrl_mpeg2_quantisation, false,
			 dd_mpeg2_init_quantisation, dd_mpeg2_validate_quantisation),
};

const struct dd_codec dd_codec_mpeg2 = {
	.name = "mpeg2",
	.description = "MPEG-2 Parsed Slice Data",
	.output_fourcc = V4L2_PIX_FMT_MPEG2_SLICE,
	.proto_codec = DD_CODEC_MPEG2,
	.min_width = DD_MPEG2_MIN_WIDTH,
	.max_width = DD_MPEG2_MAX_WIDTH,
	.step_width = 16,
	.min_height = DD_MPEG2_MIN_HEIGHT,
	.max_height = DD_MPEG2_MAX_HEIGHT,
	.step_height = 16,
	.mb_size = 16,
	.ctrls = dd_mpeg2_ctrls,
	.num_ctrls = ARRAY_SIZE(dd_mpeg2_ctrls),
};
