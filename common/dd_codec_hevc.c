// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_codec_hevc.c - the HEVC entry of the codec table: OUTPUT format
 * V4L2_PIX_FMT_HEVC_SLICE, frame-size limits, and the stateless HEVC
 * controls: frame-based decoding with Annex B start codes only (the daemon
 * hands whole frames to libavcodec, which finds the slices by their start
 * codes), SLICE_PARAMS and ENTRY_POINT_OFFSETS as dynamic arrays (one
 * element per slice segment / entry point of the frame), and the profile
 * and level menus.  Validation of the payloads is in dd_hevc_validate.c.
 */
#include "dd_codec.h"
#include "dd_hevc.h"
#include "dd_proto.h"

static const char * const dd_hevc_decode_mode_menu[] = {
	"Slice-Based",
	"Frame-Based",
	NULL,
};

static const char * const dd_hevc_start_code_menu[] = {
	"No Start Code",
	"Annex B Start Code",
	NULL,
};

/* Indexed by enum v4l2_mpeg_video_hevc_profile (names as the kernel's). */
static const char * const dd_hevc_profile_menu[] = {
	"Main",
	"Main Still Picture",
	"Main 10",
	NULL,
};

/* Indexed by enum v4l2_mpeg_video_hevc_level. */
static const char * const dd_hevc_level_menu[] = {
	"1", "2", "2.1", "3", "3.1", "4", "4.1",
	"5", "5.1", "5.2", "6", "6.1", "6.2",
	NULL,
};

/* Flat_16 lists: what applies when the SPS enables no scaling lists. */
static void dd_hevc_init_scaling_matrix(void *payload)
{
	memset(payload, 16, sizeof(struct v4l2_ctrl_hevc_scaling_matrix));
}

/*
 * The kernel's SPS and slice defaults are all zeroes, which this device's
 * validation refuses (4:2:0 only, CTBs of 16..64, nuh_temporal_id_plus1
 * >= 1).  A small valid Main picture instead, so a default can be read and
 * tried back unchanged (v4l2-compliance does).
 */
static void dd_hevc_init_sps(void *payload)
{
	struct v4l2_ctrl_hevc_sps *sps = payload;

	memset(sps, 0, sizeof(*sps));
	sps->chroma_format_idc = 1;
	sps->pic_width_in_luma_samples = DD_HEVC_MIN_WIDTH;
	sps->pic_height_in_luma_samples = DD_HEVC_MIN_HEIGHT;
	sps->log2_diff_max_min_luma_coding_block_size = 1;	/* 8x8 CBs, 16x16 CTBs */
	sps->log2_diff_max_min_luma_transform_block_size = 1;	/* 4x4 to 8x8 */
}

static void dd_hevc_init_slice_params(void *payload)
{
	struct v4l2_ctrl_hevc_slice_params *sp = payload;

	memset(sp, 0, sizeof(*sp));
	sp->nuh_temporal_id_plus1 = 1;
	sp->slice_type = V4L2_HEVC_SLICE_TYPE_I;
}

/* 8 or 10 (the validation refuses other depths and luma != chroma). */
static u32 dd_hevc_depth(const void *payload)
{
	const struct v4l2_ctrl_hevc_sps *sps = payload;

	return 8U + sps->bit_depth_luma_minus8;
}

/* Sorted by id. */
static const struct dd_ctrl_desc dd_hevc_ctrls[] = {
	/* 4:2:0 at 8 bits (NV12, YUV420) and 10 bits (P010). */
	DD_CTRL_MENU(V4L2_CID_MPEG_VIDEO_HEVC_PROFILE, "HEVC Profile",
		     V4L2_MPEG_VIDEO_HEVC_PROFILE_MAIN,
		     V4L2_MPEG_VIDEO_HEVC_PROFILE_MAIN_10,
		     V4L2_MPEG_VIDEO_HEVC_PROFILE_MAIN, 0, dd_hevc_profile_menu),
	DD_CTRL_MENU(V4L2_CID_MPEG_VIDEO_HEVC_LEVEL, "HEVC Level",
		     V4L2_MPEG_VIDEO_HEVC_LEVEL_1, V4L2_MPEG_VIDEO_HEVC_LEVEL_6_2,
		     V4L2_MPEG_VIDEO_HEVC_LEVEL_6_2, 0, dd_hevc_level_menu),
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_HEVC_SPS, V4L2_CTRL_TYPE_HEVC_SPS,
			 "HEVC Sequence Parameter Set",
			 struct v4l2_ctrl_hevc_sps, true, dd_hevc_init_sps,
			 dd_hevc_validate_sps),
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_HEVC_PPS, V4L2_CTRL_TYPE_HEVC_PPS,
			 "HEVC Picture Parameter Set",
			 struct v4l2_ctrl_hevc_pps, true, NULL, dd_hevc_validate_pps),
	{
		.id = V4L2_CID_STATELESS_HEVC_SLICE_PARAMS,
		.type = V4L2_CTRL_TYPE_HEVC_SLICE_PARAMS,
		.name = "HEVC Slice Parameters",
		.elem_size = sizeof(struct v4l2_ctrl_hevc_slice_params),
		.dims = { DD_HEVC_MAX_SLICES },
		.flags = V4L2_CTRL_FLAG_HAS_PAYLOAD | V4L2_CTRL_FLAG_DYNAMIC_ARRAY,
		.per_request = true,
		.init = dd_hevc_init_slice_params,
		.validate = dd_hevc_validate_slice_params,
	},
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_HEVC_SCALING_MATRIX,
			 V4L2_CTRL_TYPE_HEVC_SCALING_MATRIX, "HEVC Scaling Matrix",
			 struct v4l2_ctrl_hevc_scaling_matrix, false,
			 dd_hevc_init_scaling_matrix, NULL),
	DD_CTRL_COMPOUND(V4L2_CID_STATELESS_HEVC_DECODE_PARAMS,
			 V4L2_CTRL_TYPE_HEVC_DECODE_PARAMS, "HEVC Decode Parameters",
			 struct v4l2_ctrl_hevc_decode_params, true, NULL,
			 dd_hevc_validate_decode_params),
	/* The daemon decodes whole frames handed over in one buffer... */
	DD_CTRL_MENU(V4L2_CID_STATELESS_HEVC_DECODE_MODE, "HEVC Decode Mode",
		     V4L2_STATELESS_HEVC_DECODE_MODE_FRAME_BASED,
		     V4L2_STATELESS_HEVC_DECODE_MODE_FRAME_BASED,
		     V4L2_STATELESS_HEVC_DECODE_MODE_FRAME_BASED, 0,
		     dd_hevc_decode_mode_menu),
	/* ...whose slices it can only find by their Annex B start codes. */
	DD_CTRL_MENU(V4L2_CID_STATELESS_HEVC_START_CODE, "HEVC Start Code",
		     V4L2_STATELESS_HEVC_START_CODE_ANNEX_B,
		     V4L2_STATELESS_HEVC_START_CODE_ANNEX_B,
		     V4L2_STATELESS_HEVC_START_CODE_ANNEX_B, 0,
		     dd_hevc_start_code_menu),
	{
		.id = V4L2_CID_STATELESS_HEVC_ENTRY_POINT_OFFSETS,
		.type = V4L2_CTRL_TYPE_U32,
		.name = "HEVC Entry Point Offsets",
		.min = 0,
		.max = 0xffffffffLL,
		.step = 1,
		.elem_size = sizeof(u32),
		.dims = { DD_HEVC_MAX_ENTRY_POINTS },
		.flags = V4L2_CTRL_FLAG_HAS_PAYLOAD | V4L2_CTRL_FLAG_DYNAMIC_ARRAY,
		.per_request = true,
	},
};

const struct dd_codec dd_codec_hevc = {
	.name = "hevc",
	.description = "HEVC Parsed Slice Data",
	.output_fourcc = V4L2_PIX_FMT_HEVC_SLICE,
	.proto_codec = DD_CODEC_HEVC,
	.min_width = DD_HEVC_MIN_WIDTH,
	.max_width = DD_HEVC_MAX_WIDTH,
	.step_width = 8,
	.min_height = DD_HEVC_MIN_HEIGHT,
	.max_height = DD_HEVC_MAX_HEIGHT,
	.step_height = 8,
	.mb_size = 8,
	.ctrls = dd_hevc_ctrls,
	.num_ctrls = ARRAY_SIZE(dd_hevc_ctrls),
	.check_request = dd_hevc_check_request,
	.depth_ctrl = V4L2_CID_STATELESS_HEVC_SPS,
	.depth = dd_hevc_depth,
};
