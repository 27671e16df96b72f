// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_h264_validate.c - the H.264 payload validators: real encoder
 * parameter sets pass untouched, the kernel's normalisations happen, every
 * out-of-range or unsupported field is refused with one log line naming it.
 */
#include <stddef.h>
#include <criterion/criterion.h>

#include "dd_codec.h"
#include "dd_h264.h"
#include "tlog.h"

/* x264 --profile high, 1280x720 progressive. */
static void th_sps_720p(struct v4l2_ctrl_h264_sps *sps)
{
	memset(sps, 0, sizeof(*sps));
	sps->profile_idc = 100;
	sps->level_idc = 31;
	sps->chroma_format_idc = 1;
	sps->log2_max_frame_num_minus4 = 0;
	sps->pic_order_cnt_type = 0;
	sps->log2_max_pic_order_cnt_lsb_minus4 = 2;
	sps->max_num_ref_frames = 4;
	sps->pic_width_in_mbs_minus1 = 79;
	sps->pic_height_in_map_units_minus1 = 44;
	sps->flags = V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY |
		     V4L2_H264_SPS_FLAG_DIRECT_8X8_INFERENCE;
}

static void th_pps(struct v4l2_ctrl_h264_pps *pps)
{
	memset(pps, 0, sizeof(*pps));
	pps->num_ref_idx_l0_default_active_minus1 = 2;
	pps->weighted_bipred_idc = 2;
	pps->pic_init_qp_minus26 = -3;
	pps->chroma_qp_index_offset = -2;
	pps->second_chroma_qp_index_offset = -2;
	pps->flags = V4L2_H264_PPS_FLAG_ENTROPY_CODING_MODE |
		     V4L2_H264_PPS_FLAG_WEIGHTED_PRED |
		     V4L2_H264_PPS_FLAG_DEBLOCKING_FILTER_CONTROL_PRESENT |
		     V4L2_H264_PPS_FLAG_TRANSFORM_8X8_MODE;
}

static void th_slice(struct v4l2_ctrl_h264_slice_params *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->slice_type = V4L2_H264_SLICE_TYPE_B;
	sp->num_ref_idx_l0_active_minus1 = 1;
	sp->num_ref_idx_l1_active_minus1 = 0;
	sp->slice_alpha_c0_offset_div2 = -1;
	sp->slice_beta_offset_div2 = 1;
	sp->cabac_init_idc = 2;
	sp->flags = V4L2_H264_SLICE_FLAG_DIRECT_SPATIAL_MV_PRED;
}

static void th_decode(struct v4l2_ctrl_h264_decode_params *dp)
{
	memset(dp, 0, sizeof(*dp));
	dp->nal_ref_idc = 3;
	dp->frame_num = 1;
	dp->dpb[0].flags = V4L2_H264_DPB_ENTRY_FLAG_VALID | V4L2_H264_DPB_ENTRY_FLAG_ACTIVE;
	dp->dpb[0].fields = V4L2_H264_FRAME_REF;
	dp->dpb[0].reference_ts = 1000;
	dp->flags = V4L2_H264_DECODE_PARAM_FLAG_PFRAME;
}

/* Expect a rejection with exactly one log line containing every needle. */
static void th_rejects(int (*fn)(void *), void *p, const char *n1, const char *n2)
{
	tlog_start();
	cr_assert_eq(fn(p), -EINVAL, "expected rejection naming %s", n1);
	cr_assert_eq(tlog_lines, 1, "one log line, got: %s", tlog_buf);
	cr_assert(tlog_has(n1), "log '%s' lacks '%s'", tlog_buf, n1);
	if (n2)
		cr_assert(tlog_has(n2), "log '%s' lacks '%s'", tlog_buf, n2);
}

static void th_accepts(int (*fn)(void *), void *p)
{
	tlog_start();
	cr_assert_eq(fn(p), 0, "unexpected rejection: %s", tlog_buf);
	cr_assert_eq(tlog_lines, 0);
}

Test(h264_validate, table_hooks)
{
	static const u32 ids[] = {
		V4L2_CID_STATELESS_H264_SPS, V4L2_CID_STATELESS_H264_PPS,
		V4L2_CID_STATELESS_H264_PRED_WEIGHTS,
		V4L2_CID_STATELESS_H264_SLICE_PARAMS,
		V4L2_CID_STATELESS_H264_DECODE_PARAMS,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ids); i++)
		cr_assert_not_null(dd_codec_find_ctrl(&dd_codec_h264, ids[i])->validate);
	cr_assert_eq(dd_codec_find_ctrl(&dd_codec_h264, V4L2_CID_STATELESS_H264_SPS)->validate,
		     dd_h264_validate_sps);
}

Test(h264_validate, sps_x264_720p_ok_unchanged)
{
	struct v4l2_ctrl_h264_sps sps, ref;

	th_sps_720p(&sps);
	ref = sps;
	th_accepts(dd_h264_validate_sps, &sps);
	cr_assert_eq(memcmp(&sps, &ref, sizeof(sps)), 0);
}

Test(h264_validate, sps_default_ok)
{
	struct v4l2_ctrl_h264_sps sps;

	dd_codec_find_ctrl(&dd_codec_h264, V4L2_CID_STATELESS_H264_SPS)->init(&sps);
	th_accepts(dd_h264_validate_sps, &sps);
}

Test(h264_validate, sps_1080i_and_limits_ok)
{
	struct v4l2_ctrl_h264_sps sps;

	th_sps_720p(&sps);
	sps.profile_idc = 77;
	sps.pic_width_in_mbs_minus1 = 119;
	sps.pic_height_in_map_units_minus1 = 33;	/* 34 * 2 * 16 = 1088 */
	sps.flags = V4L2_H264_SPS_FLAG_MB_ADAPTIVE_FRAME_FIELD;
	th_accepts(dd_h264_validate_sps, &sps);
	cr_assert(sps.flags & V4L2_H264_SPS_FLAG_MB_ADAPTIVE_FRAME_FIELD);

	th_sps_720p(&sps);
	sps.pic_width_in_mbs_minus1 = 255;		/* 4096 */
	sps.pic_height_in_map_units_minus1 = 143;	/* 2304 */
	th_accepts(dd_h264_validate_sps, &sps);

	th_sps_720p(&sps);
	sps.flags = 0;
	sps.pic_height_in_map_units_minus1 = 71;	/* 72 * 2 * 16 = 2304 */
	th_accepts(dd_h264_validate_sps, &sps);
}

Test(h264_validate, sps_normalises_like_kernel)
{
	struct v4l2_ctrl_h264_sps sps;

	/* poc type 2: no lsb size, no cycle. */
	th_sps_720p(&sps);
	sps.pic_order_cnt_type = 2;
	sps.num_ref_frames_in_pic_order_cnt_cycle = 3;
	sps.offset_for_ref_frame[2] = 7;
	sps.offset_for_non_ref_pic = -2;
	th_accepts(dd_h264_validate_sps, &sps);
	cr_assert_eq(sps.log2_max_pic_order_cnt_lsb_minus4, 0);
	cr_assert_eq(sps.num_ref_frames_in_pic_order_cnt_cycle, 0);
	cr_assert_eq(sps.offset_for_ref_frame[2], 0);
	cr_assert_eq(sps.offset_for_non_ref_pic, 0);

	/* poc type 1 keeps its cycle. */
	th_sps_720p(&sps);
	sps.pic_order_cnt_type = 1;
	sps.num_ref_frames_in_pic_order_cnt_cycle = 2;
	sps.offset_for_ref_frame[1] = 4;
	sps.offset_for_top_to_bottom_field = 1;
	th_accepts(dd_h264_validate_sps, &sps);
	cr_assert_eq(sps.num_ref_frames_in_pic_order_cnt_cycle, 2);
	cr_assert_eq(sps.offset_for_ref_frame[1], 4);
	cr_assert_eq(sps.offset_for_top_to_bottom_field, 1);
	cr_assert_eq(sps.log2_max_pic_order_cnt_lsb_minus4, 0);

	/* Main profile has no chroma_format_idc: 4:2:0 8-bit implied. */
	th_sps_720p(&sps);
	sps.profile_idc = 77;
	sps.chroma_format_idc = 0;
	sps.bit_depth_luma_minus8 = 2;
	sps.flags |= V4L2_H264_SPS_FLAG_QPPRIME_Y_ZERO_TRANSFORM_BYPASS |
		     V4L2_H264_SPS_FLAG_SEPARATE_COLOUR_PLANE |
		     V4L2_H264_SPS_FLAG_MB_ADAPTIVE_FRAME_FIELD;
	th_accepts(dd_h264_validate_sps, &sps);
	cr_assert_eq(sps.chroma_format_idc, 1);
	cr_assert_eq(sps.bit_depth_luma_minus8, 0);
	cr_assert_not(sps.flags & V4L2_H264_SPS_FLAG_QPPRIME_Y_ZERO_TRANSFORM_BYPASS);
	cr_assert_not(sps.flags & V4L2_H264_SPS_FLAG_SEPARATE_COLOUR_PLANE);
	cr_assert_not(sps.flags & V4L2_H264_SPS_FLAG_MB_ADAPTIVE_FRAME_FIELD);
	cr_assert(sps.flags & V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY);
}

struct th_u8_case {
	size_t off;
	u8 value;
	u8 profile;
	const char *field;
	const char *why;
};


Test(h264_validate, sps_each_field_rejected)
{
	static const struct th_u8_case cases[] = {
		{ offsetof(struct v4l2_ctrl_h264_sps, seq_parameter_set_id), 32, 100,
		  "seq_parameter_set_id=32", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_sps, chroma_format_idc), 4, 244,
		  "chroma_format_idc=4", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_sps, chroma_format_idc), 2, 100,
		  "chroma_format_idc=2", "profile_idc=100" },
		{ offsetof(struct v4l2_ctrl_h264_sps, chroma_format_idc), 3, 122,
		  "chroma_format_idc=3", "profile_idc=122" },
		{ offsetof(struct v4l2_ctrl_h264_sps, chroma_format_idc), 2, 122,
		  "chroma_format_idc=2", "4:2:0 only" },
		{ offsetof(struct v4l2_ctrl_h264_sps, chroma_format_idc), 3, 244,
		  "chroma_format_idc=3", "4:2:0 only" },
		{ offsetof(struct v4l2_ctrl_h264_sps, chroma_format_idc), 0, 100,
		  "chroma_format_idc=0", "4:2:0 only" },
		{ offsetof(struct v4l2_ctrl_h264_sps, bit_depth_luma_minus8), 7, 100,
		  "bit_depth_luma_minus8=7", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_sps, bit_depth_chroma_minus8), 7, 100,
		  "bit_depth_chroma_minus8=7", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_sps, bit_depth_luma_minus8), 2, 110,
		  "bit_depth_luma_minus8=2", "8-bit only" },
		{ offsetof(struct v4l2_ctrl_h264_sps, bit_depth_chroma_minus8), 1, 110,
		  "bit_depth_chroma_minus8=1", "8-bit only" },
		{ offsetof(struct v4l2_ctrl_h264_sps, log2_max_frame_num_minus4), 13, 100,
		  "log2_max_frame_num_minus4=13", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_sps, pic_order_cnt_type), 3, 100,
		  "pic_order_cnt_type=3", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_sps, log2_max_pic_order_cnt_lsb_minus4), 13,
		  100, "log2_max_pic_order_cnt_lsb_minus4=13", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_sps, max_num_ref_frames), 17, 100,
		  "max_num_ref_frames=17", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_sps, max_num_ref_frames), 33, 100,
		  "max_num_ref_frames=33", "out of range" },
	};
	struct v4l2_ctrl_h264_sps sps;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		th_sps_720p(&sps);
		sps.profile_idc = cases[i].profile;
		((u8 *)&sps)[cases[i].off] = cases[i].value;
		th_rejects(dd_h264_validate_sps, &sps, cases[i].field, cases[i].why);
		cr_assert(tlog_has("h264 sps:"), "%s", tlog_buf);
	}
}

Test(h264_validate, sps_boundaries_accepted)
{
	struct v4l2_ctrl_h264_sps sps;

	th_sps_720p(&sps);
	sps.seq_parameter_set_id = 31;
	sps.log2_max_frame_num_minus4 = 12;
	sps.log2_max_pic_order_cnt_lsb_minus4 = 12;
	sps.max_num_ref_frames = 16;
	th_accepts(dd_h264_validate_sps, &sps);
}

Test(h264_validate, sps_sizes_beyond_limits)
{
	struct v4l2_ctrl_h264_sps sps;

	th_sps_720p(&sps);
	sps.pic_width_in_mbs_minus1 = 256;
	th_rejects(dd_h264_validate_sps, &sps, "pic_width_in_mbs_minus1=256", "4112");

	th_sps_720p(&sps);
	sps.pic_height_in_map_units_minus1 = 144;
	th_rejects(dd_h264_validate_sps, &sps, "pic_height_in_map_units_minus1=144",
		   "2320");

	/* Field coding doubles the map units. */
	th_sps_720p(&sps);
	sps.flags = 0;
	sps.pic_height_in_map_units_minus1 = 72;
	th_rejects(dd_h264_validate_sps, &sps, "pic_height_in_map_units_minus1=72",
		   "2336");

	th_sps_720p(&sps);
	sps.pic_width_in_mbs_minus1 = 0xffff;
	th_rejects(dd_h264_validate_sps, &sps, "pic_width_in_mbs_minus1=65535", NULL);
}

Test(h264_validate, pps_ok)
{
	struct v4l2_ctrl_h264_pps pps, ref;

	th_pps(&pps);
	ref = pps;
	th_accepts(dd_h264_validate_pps, &pps);
	cr_assert_eq(memcmp(&pps, &ref, sizeof(pps)), 0);

	pps.seq_parameter_set_id = 31;
	pps.pic_parameter_set_id = 255;
	pps.num_ref_idx_l0_default_active_minus1 = 31;
	pps.num_ref_idx_l1_default_active_minus1 = 31;
	pps.pic_init_qp_minus26 = -26;
	pps.pic_init_qs_minus26 = 25;
	pps.chroma_qp_index_offset = 12;
	pps.second_chroma_qp_index_offset = -12;
	th_accepts(dd_h264_validate_pps, &pps);
}

struct th_s8_case {
	size_t off;
	s8 value;
	const char *field;
	const char *why;
};

Test(h264_validate, pps_each_field_rejected)
{
	static const struct th_s8_case cases[] = {
		{ offsetof(struct v4l2_ctrl_h264_pps, seq_parameter_set_id), 32,
		  "seq_parameter_set_id=32", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_pps, num_slice_groups_minus1), 8,
		  "num_slice_groups_minus1=8", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_pps, num_slice_groups_minus1), 1,
		  "num_slice_groups_minus1=1", "FMO" },
		{ offsetof(struct v4l2_ctrl_h264_pps, num_ref_idx_l0_default_active_minus1), 32,
		  "num_ref_idx_l0_default_active_minus1=32", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_pps, num_ref_idx_l1_default_active_minus1), 32,
		  "num_ref_idx_l1_default_active_minus1=32", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_pps, weighted_bipred_idc), 3,
		  "weighted_bipred_idc=3", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_pps, pic_init_qp_minus26), 26,
		  "pic_init_qp_minus26=26", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_pps, pic_init_qp_minus26), -63,
		  "pic_init_qp_minus26=-63", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_pps, pic_init_qp_minus26), -27,
		  "pic_init_qp_minus26=-27", "8-bit only" },
		{ offsetof(struct v4l2_ctrl_h264_pps, pic_init_qs_minus26), -27,
		  "pic_init_qs_minus26=-27", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_pps, pic_init_qs_minus26), 26,
		  "pic_init_qs_minus26=26", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_pps, chroma_qp_index_offset), 13,
		  "chroma_qp_index_offset=13", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_pps, chroma_qp_index_offset), -13,
		  "chroma_qp_index_offset=-13", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_pps, second_chroma_qp_index_offset), 13,
		  "second_chroma_qp_index_offset=13", "out of range" },
	};
	struct v4l2_ctrl_h264_pps pps;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		th_pps(&pps);
		((s8 *)&pps)[cases[i].off] = cases[i].value;
		th_rejects(dd_h264_validate_pps, &pps, cases[i].field, cases[i].why);
		cr_assert(tlog_has("h264 pps:"), "%s", tlog_buf);
	}
}

Test(h264_validate, pred_weights)
{
	struct v4l2_ctrl_h264_pred_weights pw;

	memset(&pw, 0, sizeof(pw));
	pw.luma_log2_weight_denom = 7;
	pw.chroma_log2_weight_denom = 7;
	pw.weight_factors[0].luma_weight[0] = 128;	/* inferred 1 << 7 */
	pw.weight_factors[1].chroma_offset[3][1] = -128;
	th_accepts(dd_h264_validate_pred_weights, &pw);

	pw.luma_log2_weight_denom = 8;
	th_rejects(dd_h264_validate_pred_weights, &pw, "h264 pred_weights:",
		   "luma_log2_weight_denom=8");
	pw.luma_log2_weight_denom = 0;
	pw.chroma_log2_weight_denom = 0xffff;
	th_rejects(dd_h264_validate_pred_weights, &pw, "h264 pred_weights:",
		   "chroma_log2_weight_denom=65535");
}

Test(h264_validate, slice_params_ok_and_normalised)
{
	struct v4l2_ctrl_h264_slice_params sp;

	th_slice(&sp);
	sp.reserved = 0x5a;
	th_accepts(dd_h264_validate_slice_params, &sp);
	cr_assert_eq(sp.reserved, 0);
	cr_assert(sp.flags & V4L2_H264_SLICE_FLAG_DIRECT_SPATIAL_MV_PRED, "kept for B");
	cr_assert_eq(sp.num_ref_idx_l0_active_minus1, 1);

	/* P: no list 1, no direct mode. */
	th_slice(&sp);
	sp.slice_type = V4L2_H264_SLICE_TYPE_P;
	sp.num_ref_idx_l1_active_minus1 = 40;
	th_accepts(dd_h264_validate_slice_params, &sp);
	cr_assert_not(sp.flags & V4L2_H264_SLICE_FLAG_DIRECT_SPATIAL_MV_PRED);
	cr_assert_eq(sp.num_ref_idx_l1_active_minus1, 0);
	cr_assert_eq(sp.num_ref_idx_l0_active_minus1, 1);

	/* I: no lists at all. */
	th_slice(&sp);
	sp.slice_type = V4L2_H264_SLICE_TYPE_I;
	sp.num_ref_idx_l0_active_minus1 = 200;
	sp.num_ref_idx_l1_active_minus1 = 200;
	th_accepts(dd_h264_validate_slice_params, &sp);
	cr_assert_eq(sp.num_ref_idx_l0_active_minus1, 0);
	cr_assert_eq(sp.num_ref_idx_l1_active_minus1, 0);

	th_slice(&sp);
	sp.num_ref_idx_l0_active_minus1 = 31;
	sp.num_ref_idx_l1_active_minus1 = 31;
	sp.slice_alpha_c0_offset_div2 = -6;
	sp.slice_beta_offset_div2 = 6;
	sp.disable_deblocking_filter_idc = 2;
	sp.colour_plane_id = 2;
	th_accepts(dd_h264_validate_slice_params, &sp);
}

Test(h264_validate, slice_params_each_field_rejected)
{
	static const struct th_s8_case cases[] = {
		{ offsetof(struct v4l2_ctrl_h264_slice_params, colour_plane_id), 3,
		  "colour_plane_id=3", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_slice_params, cabac_init_idc), 3,
		  "cabac_init_idc=3", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_slice_params, disable_deblocking_filter_idc), 3,
		  "disable_deblocking_filter_idc=3", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_slice_params, slice_alpha_c0_offset_div2), 7,
		  "slice_alpha_c0_offset_div2=7", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_slice_params, slice_alpha_c0_offset_div2), -7,
		  "slice_alpha_c0_offset_div2=-7", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_slice_params, slice_beta_offset_div2), -7,
		  "slice_beta_offset_div2=-7", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_slice_params, num_ref_idx_l0_active_minus1), 32,
		  "num_ref_idx_l0_active_minus1=32", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_slice_params, num_ref_idx_l1_active_minus1), 32,
		  "num_ref_idx_l1_active_minus1=32", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_slice_params, slice_type), 5,
		  "slice_type=5", "out of range" },
		{ offsetof(struct v4l2_ctrl_h264_slice_params, slice_type),
		  V4L2_H264_SLICE_TYPE_SP, "slice_type=3", "SP/SI" },
		{ offsetof(struct v4l2_ctrl_h264_slice_params, slice_type),
		  V4L2_H264_SLICE_TYPE_SI, "slice_type=4", "SP/SI" },
	};
	struct v4l2_ctrl_h264_slice_params sp;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		th_slice(&sp);
		((s8 *)&sp)[cases[i].off] = cases[i].value;
		th_rejects(dd_h264_validate_slice_params, &sp, cases[i].field, cases[i].why);
		cr_assert(tlog_has("h264 slice_params:"), "%s", tlog_buf);
	}
}

Test(h264_validate, decode_params_ok_and_reserved_zeroed)
{
	struct v4l2_ctrl_h264_decode_params dp;

	th_decode(&dp);
	dp.reserved = 0xdead;
	memset(dp.dpb[0].reserved, 0x77, sizeof(dp.dpb[0].reserved));
	memset(dp.dpb[15].reserved, 0x77, sizeof(dp.dpb[15].reserved));
	/* An unused entry may hold anything in fields. */
	dp.dpb[3].fields = 0xff;
	th_accepts(dd_h264_validate_decode_params, &dp);
	cr_assert_eq(dp.reserved, 0);
	cr_assert_eq(dp.dpb[0].reserved[4], 0);
	cr_assert_eq(dp.dpb[15].reserved[0], 0);
	cr_assert_eq(dp.dpb[0].reference_ts, 1000);

	th_decode(&dp);
	dp.flags = V4L2_H264_DECODE_PARAM_FLAG_FIELD_PIC |
		   V4L2_H264_DECODE_PARAM_FLAG_BOTTOM_FIELD;
	dp.dpb[0].fields = V4L2_H264_TOP_FIELD_REF;
	th_accepts(dd_h264_validate_decode_params, &dp);
}

Test(h264_validate, decode_params_rejected)
{
	struct v4l2_ctrl_h264_decode_params dp;

	th_decode(&dp);
	dp.nal_ref_idc = 4;
	th_rejects(dd_h264_validate_decode_params, &dp, "h264 decode_params:",
		   "nal_ref_idc=4");

	th_decode(&dp);
	dp.flags = V4L2_H264_DECODE_PARAM_FLAG_BOTTOM_FIELD;
	th_rejects(dd_h264_validate_decode_params, &dp, "h264 decode_params:",
		   "BOTTOM_FIELD without FIELD_PIC");

	th_decode(&dp);
	dp.dpb[7].flags = V4L2_H264_DPB_ENTRY_FLAG_VALID;
	dp.dpb[7].fields = 4;
	th_rejects(dd_h264_validate_decode_params, &dp, "h264 decode_params:",
		   "dpb[7].fields=4");
}
