// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_codec_h264.c - the H.264 entry of the codec table: OUTPUT format
 * V4L2_PIX_FMT_H264_SLICE, frame-size limits, and the stateless H.264
 * controls (frame-based decoding, Annex B start codes) plus the profile and
 * level menus that tell clients what the decoder handles.  Validation of
 * the compound payloads is in dd_h264_validate.c.
 */
#include "dd_codec.h"
#include "dd_h264.h"
#include "dd_proto.h"

static const char * const dd_h264_decode_mode_menu[] = {
	"Slice-Based",
	"Frame-Based",
	NULL,
};

static const char * const dd_h264_start_code_menu[] = {
	"No Start Code",
	"Annex B Start Code",
	NULL,
};

/* Indexed by enum v4l2_mpeg_video_h264_profile (names as the kernel's). */
static const char * const dd_h264_profile_menu[] = {
	"Baseline",
	"Constrained Baseline",
	"Main",
	"Extended",
	"High",
	NULL,
};

/* Indexed by enum v4l2_mpeg_video_h264_level. */
static const char * const dd_h264_level_menu[] = {
	"1", "1b", "1.1", "1.2", "1.3",
	"2", "2.1", "2.2",
	"3", "3.1", "3.2",
	"4", "4.1", "4.2",
	"5", "5.1", "5.2",
	"6.0", "6.1", "6.2",
	NULL,
};

/* The syntax default when the SPS has no chroma_format_idc: 4:2:0. */
static void dd_h264_init_sps(void *payload)
{
	struct v4l2_ctrl_h264_sps *sps = payload;

	memset(sps, 0, sizeof(*sps));
	sps->chroma_format_idc = 1;
}

/* Flat_4x4_16 / Flat_8x8_16: what applies when no matrix is coded. */
static void dd_h264_init_scaling_matrix(void *payload)
{
	memset(payload, 16, sizeof(struct v4l2_ctrl_h264_scaling_matrix));
}

/* Sorted by id. */
static const struct dd_ctrl_desc dd_h264_ctrls[] = {
	DD_CTRL_MENU(V4L2_CID_MPEG_VIDEO_H264_LEVEL, "H264 Level",
		     V4L2_MPEG_VIDEO_H264_LEVEL_1_0,
		     V4L2_MPEG_VIDEO_H264_LEVEL_6_2,
		     V4L2_MPEG_VIDEO_H264_LEVEL_6_2, 0, dd_h264_level_menu),
	/*
	 * Extended needs data partitioning and SP/SI slices, which the
	 * decoder does not implement; Baseline streams using FMO/ASO are
	 * refused per stream by the PPS validation.
	 */
	DD_CTRL_MENU(V4L2_CID_MPEG_VIDEO_H264_PROFILE, "H264 Profile",
		     V4L2_MPEG_VIDEO_H264_PROFILE_BASELINE,
		     V4L2_MPEG_VIDEO_H264_PROFILE_HIGH,
		     V4L2_MPEG_VIDEO_H264_PROFILE_HIGH,
		     BIT(V4L2_MPEG_VIDEO_H264_PROFILE_EXTENDED),
		     dd_h264_profile_menu),
	/* The daemon decodes whole frames handed over in one buffer... */
	DD_CTRL_MENU(V4L2_CID_STATELESS_H264_DECODE_MODE, "H264 Decode Mode",
		     V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED,
		     V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED,
		     V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED, 0,
		     dd_h264_decode_mode_menu),
	/* ...whose slices it can only find by their Annex B start codes. */
	DD_CTRL_MENU(V4L2_CID_STATELESS_H264_START_CODE, "H264 Start Code",
		     V4L2_STATELESS_H264_START_CODE_ANNEX_B,
		     V4L2_STATELESS_H264_START_CODE_ANNEX_B,
		     V4L2_STATELESS_H264_START_CODE_ANNEX_B, 0,
		     dd_h264_start_code_menu),
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_H264_SPS, V4L2_CTRL_TYPE_H264_SPS,
			 "H264 Sequence Parameter Set",
			 struct v4l2_ctrl_h264_sps, true,
			 dd_h264_init_sps, dd_h264_validate_sps),
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_H264_PPS, V4L2_CTRL_TYPE_H264_PPS,
			 "H264 Picture Parameter Set",
			 struct v4l2_ctrl_h264_pps, true,
			 NULL, dd_h264_validate_pps),
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_H264_SCALING_MATRIX,
			 V4L2_CTRL_TYPE_H264_SCALING_MATRIX,
			 "H264 Scaling Matrix",
			 struct v4l2_ctrl_h264_scaling_matrix, false,
			 dd_h264_init_scaling_matrix, NULL),
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_H264_PRED_WEIGHTS,
			 V4L2_CTRL_TYPE_H264_PRED_WEIGHTS,
			 "H264 Prediction Weight Table",
			 struct v4l2_ctrl_h264_pred_weights, false,
			 NULL, dd_h264_validate_pred_weights),
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_H264_SLICE_PARAMS,
			 V4L2_CTRL_TYPE_H264_SLICE_PARAMS,
			 "H264 Slice Parameters",
			 struct v4l2_ctrl_h264_slice_params, false,
			 NULL, dd_h264_validate_slice_params),
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_H264_DECODE_PARAMS,
			 V4L2_CTRL_TYPE_H264_DECODE_PARAMS,
			 "H264 Decode Parameters",
			 struct v4l2_ctrl_h264_decode_params, true,
			 NULL, dd_h264_validate_decode_params),
};

const struct dd_codec dd_codec_h264 = {
	.name = "h264",
	.description = "H.264 Parsed Slice Data",
	.output_fourcc = V4L2_PIX_FMT_H264_SLICE,
	.proto_codec = DD_CODEC_H264,
	.min_width = DD_H264_MIN_WIDTH,
	.max_width = DD_H264_MAX_WIDTH,
	.step_width = 16,
	.min_height = DD_H264_MIN_HEIGHT,
	.max_height = DD_H264_MAX_HEIGHT,
	.step_height = 16,
	.mb_size = 16,
	.ctrls = dd_h264_ctrls,
	.num_ctrls = ARRAY_SIZE(dd_h264_ctrls),
	.check_request = dd_h264_check_request,
};
