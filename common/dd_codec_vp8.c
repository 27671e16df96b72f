// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_codec_vp8.c - the VP8 entry of the codec table: OUTPUT format
 * V4L2_PIX_FMT_VP8_FRAME (one whole frame, its header included), frame-size
 * limits, and the one stateless VP8 control every request carries.
 * Validation is in dd_vp8_validate.c.
 */
#include "dd_codec.h"
#include "dd_proto.h"
#include "dd_vp8.h"

static const struct dd_ctrl_desc dd_vp8_ctrls[] = {
	{
		.id = V4L2_CID_STATELESS_VP8_FRAME,
		.type = V4L2_CTRL_TYPE_VP8_FRAME,
		.name = "VP8 Frame Parameters",
		.elem_size = sizeof(struct v4l2_ctrl_vp8_frame),
		.flags = V4L2_CTRL_FLAG_HAS_PAYLOAD,
		.required = true,
		.per_request = true,
		.init = dd_vp8_init_frame,
		.validate = dd_vp8_validate_frame,
	},
};

const struct dd_codec dd_codec_vp8 = {
	.name = "vp8",
	.description = "VP8 Frame",
	.output_fourcc = V4L2_PIX_FMT_VP8_FRAME,
	.proto_codec = DD_CODEC_VP8,
	.min_width = DD_VP8_MIN_WIDTH,
	.max_width = DD_VP8_MAX_WIDTH,
	.step_width = 16,
	.min_height = DD_VP8_MIN_HEIGHT,
	.max_height = DD_VP8_MAX_HEIGHT,
	.step_height = 16,
	.mb_size = 16,
	.ctrls = dd_vp8_ctrls,
	.num_ctrls = ARRAY_SIZE(dd_vp8_ctrls),
};
