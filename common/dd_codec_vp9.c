// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_codec_vp9.c - the VP9 entry of the codec table: OUTPUT format
 * V4L2_PIX_FMT_VP9_FRAME (one frame per buffer, uncompressed and
 * compressed header included, superframes split by the client), the
 * frame-size limits, the stateless VP9 controls (FRAME required on every
 * request, COMPRESSED_HDR accepted for clients that always send it: the
 * daemon parses the compressed header from the bitstream) and the profile
 * menu that tells clients which profiles decode (0, and 2 at 10 bits: the
 * 4:2:0 ones).  The FRAME control's bit_depth sets the CAPTURE formats.
 * Validation of the payloads is in dd_vp9_validate.c.
 */
#include "dd_codec.h"
#include "dd_proto.h"
#include "dd_vp9.h"

static const char * const dd_vp9_profile_menu[] = {
	"0", "1", "2", "3",
	NULL,
};

/* The kernel's default: profile 0, 8 bits, 4:2:0. */
static void dd_vp9_init_frame(void *payload)
{
	struct v4l2_ctrl_vp9_frame *f = payload;

	memset(f, 0, sizeof(*f));
	f->profile = 0;
	f->bit_depth = 8;
	f->flags = V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING | V4L2_VP9_FRAME_FLAG_Y_SUBSAMPLING;
}

/* 8 (profile 0) or 10 (profile 2): the validation refuses the others. */
static u32 dd_vp9_depth(const void *payload)
{
	const struct v4l2_ctrl_vp9_frame *f = payload;

	return f->bit_depth;
}

/* Sorted by id. */
static const struct dd_ctrl_desc dd_vp9_ctrls[] = {
	{
		.id = V4L2_CID_MPEG_VIDEO_VP9_PROFILE,
		.type = V4L2_CTRL_TYPE_MENU,
		.name = "VP9 Profile",
		.min = V4L2_MPEG_VIDEO_VP9_PROFILE_0,
		.max = V4L2_MPEG_VIDEO_VP9_PROFILE_2,
		.step = 1,
		.def = V4L2_MPEG_VIDEO_VP9_PROFILE_0,
		.elem_size = sizeof(s32),
		/* Profile 1 is 4:2:2/4:4:0/4:4:4. */
		.menu_skip_mask = BIT(V4L2_MPEG_VIDEO_VP9_PROFILE_1),
		.menu = dd_vp9_profile_menu,
	},
	{
		.id = V4L2_CID_STATELESS_VP9_FRAME,
		.type = V4L2_CTRL_TYPE_VP9_FRAME,
		.name = "VP9 Frame Decode Parameters",
		.elem_size = sizeof(struct v4l2_ctrl_vp9_frame),
		.flags = V4L2_CTRL_FLAG_HAS_PAYLOAD,
		.required = true,
		.per_request = true,
		.init = dd_vp9_init_frame,
		.validate = dd_vp9_validate_frame,
	},
	{
		.id = V4L2_CID_STATELESS_VP9_COMPRESSED_HDR,
		.type = V4L2_CTRL_TYPE_VP9_COMPRESSED_HDR,
		.name = "VP9 Probabilities Updates",
		.elem_size = sizeof(struct v4l2_ctrl_vp9_compressed_hdr),
		.flags = V4L2_CTRL_FLAG_HAS_PAYLOAD,
		/* libavcodec reads the compressed header from the bitstream. */
		.per_request = false,
		.validate = dd_vp9_validate_compressed_hdr,
	},
};

const struct dd_codec dd_codec_vp9 = {
	.name = "vp9",
	.description = "VP9 Frame",
	.output_fourcc = V4L2_PIX_FMT_VP9_FRAME,
	.proto_codec = DD_CODEC_VP9,
	.min_width = DD_VP9_MIN_WIDTH,
	.max_width = DD_VP9_MAX_WIDTH,
	.step_width = 1,
	.min_height = DD_VP9_MIN_HEIGHT,
	.max_height = DD_VP9_MAX_HEIGHT,
	.step_height = 1,
	.mb_size = 8,
	.ctrls = dd_vp9_ctrls,
	.num_ctrls = ARRAY_SIZE(dd_vp9_ctrls),
	.depth_ctrl = V4L2_CID_STATELESS_VP9_FRAME,
	.depth = dd_vp9_depth,
};
