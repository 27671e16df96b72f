// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_h264_validate.c - validation of the stateless H.264 control payloads.
 *
 * First the rules of the kernel's std_validate_compound() (identical in
 * 6.1 and 6.12): the same in-place normalisation of conditionally present
 * syntax elements and reserved bytes, the same range checks.  Then the
 * ranges the specification sets that the kernel leaves open, and what this
 * decoder does not implement: anything but 4:2:0 8-bit, slice groups (FMO),
 * SP/SI slices, coded frames larger than the codec limits.  Each rejection
 * is -EINVAL with one log line "h264 <control>: <field>=<value> ...".
 *
 * dd_h264_check_request() adds the rules between the controls of one
 * decode request and the OUTPUT format: values each valid alone that
 * contradict each other (a PPS naming another SPS, a frame_num or POC lsb
 * wider than the SPS allows, a field picture of a frames-only sequence, a
 * picture larger than the buffers, a scaling list entry of 0 where the PPS
 * says the matrix is coded).
 */
#include "dd_h264.h"

#define DD_H264_MAX_SPS_ID	31
#define DD_H264_MB		16U
#define DD_H264_SE32_MAX	0x7fffffffLL

static bool dd_h264_bad_range(const char *ctl, const char *field, s64 v,
			      s64 lo, s64 hi)
{
	if (v >= lo && v <= hi)
		return false;
	dd_err("h264 %s: %s=%lld out of range [%lld, %lld]", ctl, field,
	       (long long)v, (long long)lo, (long long)hi);
	return true;
}

static bool dd_h264_unsupported(bool cond, const char *ctl, const char *field,
				s64 v, const char *why)
{
	if (!cond)
		return false;
	dd_err("h264 %s: %s=%lld unsupported (%s)", ctl, field, (long long)v, why);
	return true;
}

/*
 * Clear what only exists for other syntax paths, like the kernel does --
 * and a little more: the kernel clears the POC type 1 fields only for
 * type 0 (an else-if in std_validate_compound()), we for type 2 as well.
 */
static void dd_h264_normalise_sps(struct v4l2_ctrl_h264_sps *sps)
{
	if (sps->pic_order_cnt_type != 0)
		sps->log2_max_pic_order_cnt_lsb_minus4 = 0;
	if (sps->pic_order_cnt_type != 1) {
		sps->num_ref_frames_in_pic_order_cnt_cycle = 0;
		sps->offset_for_non_ref_pic = 0;
		sps->offset_for_top_to_bottom_field = 0;
		memset(sps->offset_for_ref_frame, 0, sizeof(sps->offset_for_ref_frame));
	}
	if (!V4L2_H264_SPS_HAS_CHROMA_FORMAT(sps)) {
		sps->chroma_format_idc = 1;
		sps->bit_depth_luma_minus8 = 0;
		sps->bit_depth_chroma_minus8 = 0;
		sps->flags &= ~V4L2_H264_SPS_FLAG_QPPRIME_Y_ZERO_TRANSFORM_BYPASS;
	}
	if (sps->chroma_format_idc < 3)
		sps->flags &= ~V4L2_H264_SPS_FLAG_SEPARATE_COLOUR_PLANE;
	if (sps->flags & V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY)
		sps->flags &= ~V4L2_H264_SPS_FLAG_MB_ADAPTIVE_FRAME_FIELD;
}

/*
 * se(v) values of the SPS whose range is -2^31+1 .. 2^31-1 (7.4.2.1.1):
 * -2^31 has no Exp-Golomb code a 32-bit reader takes back.
 */
static bool dd_h264_bad_poc_offsets(const struct v4l2_ctrl_h264_sps *sps)
{
	const char *c = "sps";
	char field[32];
	unsigned int i;

	if (sps->pic_order_cnt_type != 1)
		return false;
	if (dd_h264_bad_range(c, "offset_for_non_ref_pic", sps->offset_for_non_ref_pic,
			      -DD_H264_SE32_MAX, DD_H264_SE32_MAX) ||
	    dd_h264_bad_range(c, "offset_for_top_to_bottom_field",
			      sps->offset_for_top_to_bottom_field,
			      -DD_H264_SE32_MAX, DD_H264_SE32_MAX))
		return true;
	for (i = 0; i < sps->num_ref_frames_in_pic_order_cnt_cycle; i++) {
		snprintf(field, sizeof(field), "offset_for_ref_frame[%u]", i);
		if (dd_h264_bad_range(c, field, sps->offset_for_ref_frame[i],
				      -DD_H264_SE32_MAX, DD_H264_SE32_MAX))
			return true;
	}
	return false;
}

static bool dd_h264_bad_chroma_profile(const struct v4l2_ctrl_h264_sps *sps)
{
	/* 4:2:2 needs High 4:2:2 (122) or above, 4:4:4 High 4:4:4 (244). */
	if ((sps->profile_idc < 122 && sps->chroma_format_idc > 1) ||
	    (sps->profile_idc < 244 && sps->chroma_format_idc > 2)) {
		dd_err("h264 sps: chroma_format_idc=%u not allowed with profile_idc=%u",
		       sps->chroma_format_idc, sps->profile_idc);
		return true;
	}
	return false;
}

static bool dd_h264_bad_size(const struct v4l2_ctrl_h264_sps *sps)
{
	u32 width = (sps->pic_width_in_mbs_minus1 + 1U) * DD_H264_MB;
	u32 height = (sps->pic_height_in_map_units_minus1 + 1U) * DD_H264_MB;

	if (!(sps->flags & V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY))
		height *= 2;
	if (width > DD_H264_MAX_WIDTH) {
		dd_err("h264 sps: pic_width_in_mbs_minus1=%u unsupported (width %u > %u)",
		       sps->pic_width_in_mbs_minus1, width, DD_H264_MAX_WIDTH);
		return true;
	}
	if (height > DD_H264_MAX_HEIGHT) {
		dd_err("h264 sps: pic_height_in_map_units_minus1=%u unsupported (height %u > %u)",
		       sps->pic_height_in_map_units_minus1, height, DD_H264_MAX_HEIGHT);
		return true;
	}
	return false;
}

int dd_h264_validate_sps(void *payload)
{
	struct v4l2_ctrl_h264_sps *sps = payload;
	const char *c = "sps";

	dd_h264_normalise_sps(sps);
	if (dd_h264_bad_range(c, "seq_parameter_set_id", sps->seq_parameter_set_id,
			      0, DD_H264_MAX_SPS_ID) ||
	    dd_h264_bad_range(c, "chroma_format_idc", sps->chroma_format_idc, 0, 3) ||
	    dd_h264_bad_chroma_profile(sps) ||
	    dd_h264_bad_range(c, "bit_depth_luma_minus8", sps->bit_depth_luma_minus8, 0, 6) ||
	    dd_h264_bad_range(c, "bit_depth_chroma_minus8", sps->bit_depth_chroma_minus8,
			      0, 6) ||
	    dd_h264_bad_range(c, "log2_max_frame_num_minus4",
			      sps->log2_max_frame_num_minus4, 0, 12) ||
	    dd_h264_bad_range(c, "pic_order_cnt_type", sps->pic_order_cnt_type, 0, 2) ||
	    dd_h264_bad_range(c, "log2_max_pic_order_cnt_lsb_minus4",
			      sps->log2_max_pic_order_cnt_lsb_minus4, 0, 12) ||
	    /* The kernel allows V4L2_H264_REF_LIST_LEN; MaxDpbFrames is 16. */
	    dd_h264_bad_range(c, "max_num_ref_frames", sps->max_num_ref_frames,
			      0, V4L2_H264_NUM_DPB_ENTRIES) ||
	    dd_h264_bad_poc_offsets(sps))
		return -EINVAL;
	/* The decoder hands out 8-bit 4:2:0 frames only. */
	if (dd_h264_unsupported(sps->chroma_format_idc != 1, c, "chroma_format_idc",
				sps->chroma_format_idc, "4:2:0 only") ||
	    dd_h264_unsupported(sps->bit_depth_luma_minus8 != 0, c,
				"bit_depth_luma_minus8", sps->bit_depth_luma_minus8,
				"8-bit only") ||
	    dd_h264_unsupported(sps->bit_depth_chroma_minus8 != 0, c,
				"bit_depth_chroma_minus8", sps->bit_depth_chroma_minus8,
				"8-bit only") ||
	    dd_h264_bad_size(sps))
		return -EINVAL;
	return 0;
}

int dd_h264_validate_pps(void *payload)
{
	struct v4l2_ctrl_h264_pps *pps = payload;
	const u32 max_idx = V4L2_H264_REF_LIST_LEN - 1;
	const char *c = "pps";

	if (dd_h264_bad_range(c, "seq_parameter_set_id", pps->seq_parameter_set_id,
			      0, DD_H264_MAX_SPS_ID) ||
	    dd_h264_bad_range(c, "num_slice_groups_minus1", pps->num_slice_groups_minus1,
			      0, 7) ||
	    dd_h264_bad_range(c, "num_ref_idx_l0_default_active_minus1",
			      pps->num_ref_idx_l0_default_active_minus1, 0, max_idx) ||
	    dd_h264_bad_range(c, "num_ref_idx_l1_default_active_minus1",
			      pps->num_ref_idx_l1_default_active_minus1, 0, max_idx) ||
	    dd_h264_bad_range(c, "weighted_bipred_idc", pps->weighted_bipred_idc, 0, 2) ||
	    /* -(26 + QpBdOffsetY) with the largest bit depth (14). */
	    dd_h264_bad_range(c, "pic_init_qp_minus26", pps->pic_init_qp_minus26, -62, 25) ||
	    dd_h264_bad_range(c, "pic_init_qs_minus26", pps->pic_init_qs_minus26, -26, 25) ||
	    dd_h264_bad_range(c, "chroma_qp_index_offset", pps->chroma_qp_index_offset,
			      -12, 12) ||
	    dd_h264_bad_range(c, "second_chroma_qp_index_offset",
			      pps->second_chroma_qp_index_offset, -12, 12))
		return -EINVAL;
	if (dd_h264_unsupported(pps->num_slice_groups_minus1 != 0, c,
				"num_slice_groups_minus1", pps->num_slice_groups_minus1,
				"no slice groups/FMO") ||
	    /* 8-bit: QpBdOffsetY is 0. */
	    dd_h264_unsupported(pps->pic_init_qp_minus26 < -26, c, "pic_init_qp_minus26",
				pps->pic_init_qp_minus26, "8-bit only, min -26"))
		return -EINVAL;
	return 0;
}

int dd_h264_validate_pred_weights(void *payload)
{
	struct v4l2_ctrl_h264_pred_weights *pw = payload;
	const char *c = "pred_weights";

	if (dd_h264_bad_range(c, "luma_log2_weight_denom", pw->luma_log2_weight_denom,
			      0, 7) ||
	    dd_h264_bad_range(c, "chroma_log2_weight_denom", pw->chroma_log2_weight_denom,
			      0, 7))
		return -EINVAL;
	return 0;
}

int dd_h264_validate_slice_params(void *payload)
{
	struct v4l2_ctrl_h264_slice_params *sp = payload;
	const u32 max_idx = V4L2_H264_REF_LIST_LEN - 1;
	const char *c = "slice_params";

	if (sp->slice_type != V4L2_H264_SLICE_TYPE_B)
		sp->flags &= ~V4L2_H264_SLICE_FLAG_DIRECT_SPATIAL_MV_PRED;
	if (dd_h264_bad_range(c, "colour_plane_id", sp->colour_plane_id, 0, 2) ||
	    dd_h264_bad_range(c, "cabac_init_idc", sp->cabac_init_idc, 0, 2) ||
	    dd_h264_bad_range(c, "disable_deblocking_filter_idc",
			      sp->disable_deblocking_filter_idc, 0, 2) ||
	    dd_h264_bad_range(c, "slice_alpha_c0_offset_div2",
			      sp->slice_alpha_c0_offset_div2, -6, 6) ||
	    dd_h264_bad_range(c, "slice_beta_offset_div2", sp->slice_beta_offset_div2,
			      -6, 6))
		return -EINVAL;
	if (sp->slice_type == V4L2_H264_SLICE_TYPE_I ||
	    sp->slice_type == V4L2_H264_SLICE_TYPE_SI)
		sp->num_ref_idx_l0_active_minus1 = 0;
	if (sp->slice_type != V4L2_H264_SLICE_TYPE_B)
		sp->num_ref_idx_l1_active_minus1 = 0;
	if (dd_h264_bad_range(c, "num_ref_idx_l0_active_minus1",
			      sp->num_ref_idx_l0_active_minus1, 0, max_idx) ||
	    dd_h264_bad_range(c, "num_ref_idx_l1_active_minus1",
			      sp->num_ref_idx_l1_active_minus1, 0, max_idx) ||
	    dd_h264_bad_range(c, "slice_type", sp->slice_type, V4L2_H264_SLICE_TYPE_P,
			      V4L2_H264_SLICE_TYPE_SI) ||
	    dd_h264_unsupported(sp->slice_type == V4L2_H264_SLICE_TYPE_SP ||
				sp->slice_type == V4L2_H264_SLICE_TYPE_SI, c,
				"slice_type", sp->slice_type, "no SP/SI slices"))
		return -EINVAL;
	sp->reserved = 0;
	return 0;
}

int dd_h264_validate_decode_params(void *payload)
{
	struct v4l2_ctrl_h264_decode_params *dp = payload;
	const char *c = "decode_params";
	char field[24];
	unsigned int i;

	if (dd_h264_bad_range(c, "nal_ref_idc", dp->nal_ref_idc, 0, 3))
		return -EINVAL;
	if ((dp->flags & V4L2_H264_DECODE_PARAM_FLAG_BOTTOM_FIELD) &&
	    !(dp->flags & V4L2_H264_DECODE_PARAM_FLAG_FIELD_PIC)) {
		dd_err("h264 %s: flags=0x%x has BOTTOM_FIELD without FIELD_PIC", c,
		       dp->flags);
		return -EINVAL;
	}
	if ((dp->flags & V4L2_H264_DECODE_PARAM_FLAG_PFRAME) &&
	    (dp->flags & V4L2_H264_DECODE_PARAM_FLAG_BFRAME)) {
		dd_err("h264 %s: flags=0x%x has both PFRAME and BFRAME", c, dp->flags);
		return -EINVAL;
	}
	for (i = 0; i < V4L2_H264_NUM_DPB_ENTRIES; i++) {
		struct v4l2_h264_dpb_entry *e = &dp->dpb[i];

		memset(e->reserved, 0, sizeof(e->reserved));
		if (!(e->flags & V4L2_H264_DPB_ENTRY_FLAG_VALID))
			continue;
		snprintf(field, sizeof(field), "dpb[%u].fields", i);
		if (dd_h264_bad_range(c, field, e->fields, 0, V4L2_H264_FRAME_REF))
			return -EINVAL;
	}
	dp->reserved = 0;
	return 0;
}

/*
 * A scaling list the PPS will carry (7.3.2.1.1.1): every entry 1..255.  A 0
 * is the syntax's "stop here" escape, so the rebuilt PPS would not read
 * back (the rest of it would be parsed out of the list's deltas).  Only
 * the lists the daemon writes: all 4x4, the luma 8x8 with 8x8 transform.
 */
static bool dd_h264_bad_scaling(const struct v4l2_ctrl_h264_pps *pps,
				const struct v4l2_ctrl_h264_scaling_matrix *sm)
{
	unsigned int i, j, n8;

	if (!pps || !sm || !(pps->flags & V4L2_H264_PPS_FLAG_SCALING_MATRIX_PRESENT))
		return false;
	for (i = 0; i < ARRAY_SIZE(sm->scaling_list_4x4); i++)
		for (j = 0; j < ARRAY_SIZE(sm->scaling_list_4x4[0]); j++)
			if (!sm->scaling_list_4x4[i][j]) {
				dd_err("h264 scaling_matrix: scaling_list_4x4[%u][%u]=0 out of "
				       "range [1, 255]", i, j);
				return true;
			}
	n8 = (pps->flags & V4L2_H264_PPS_FLAG_TRANSFORM_8X8_MODE) ? 2 : 0;
	for (i = 0; i < n8; i++)
		for (j = 0; j < ARRAY_SIZE(sm->scaling_list_8x8[0]); j++)
			if (!sm->scaling_list_8x8[i][j]) {
				dd_err("h264 scaling_matrix: scaling_list_8x8[%u][%u]=0 out of "
				       "range [1, 255]", i, j);
				return true;
			}
	return false;
}

int dd_h264_check_request(const void *(*get)(void *priv, u32 id), void *priv,
			  u32 width, u32 height)
{
	const struct v4l2_ctrl_h264_sps *sps = get(priv, V4L2_CID_STATELESS_H264_SPS);
	const struct v4l2_ctrl_h264_pps *pps = get(priv, V4L2_CID_STATELESS_H264_PPS);
	const struct v4l2_ctrl_h264_decode_params *dp =
		get(priv, V4L2_CID_STATELESS_H264_DECODE_PARAMS);
	u32 w, h, max_frame_num, max_lsb;

	if (dd_h264_bad_scaling(pps, get(priv, V4L2_CID_STATELESS_H264_SCALING_MATRIX)))
		return -EINVAL;
	if (!sps)
		return 0;
	w = (sps->pic_width_in_mbs_minus1 + 1U) * DD_H264_MB;
	h = (sps->pic_height_in_map_units_minus1 + 1U) * DD_H264_MB;
	if (!(sps->flags & V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY))
		h *= 2;
	/* Like rkvdec and hantro: the picture must fit the buffers. */
	if (w > width || h > height) {
		dd_err("h264 sps: pic_width_in_mbs_minus1=%u pic_height_in_map_units_minus1=%u "
		       "(%ux%u) larger than the OUTPUT format %ux%u",
		       sps->pic_width_in_mbs_minus1, sps->pic_height_in_map_units_minus1,
		       w, h, width, height);
		return -EINVAL;
	}
	if (pps && pps->seq_parameter_set_id != sps->seq_parameter_set_id) {
		dd_err("h264 pps: seq_parameter_set_id=%u but the sps has seq_parameter_set_id=%u",
		       pps->seq_parameter_set_id, sps->seq_parameter_set_id);
		return -EINVAL;
	}
	if (!dp)
		return 0;
	max_frame_num = 1U << (sps->log2_max_frame_num_minus4 + 4);
	if (dp->frame_num >= max_frame_num) {
		dd_err("h264 decode_params: frame_num=%u out of range [0, %u] "
		       "(sps log2_max_frame_num_minus4=%u)", dp->frame_num, max_frame_num - 1,
		       sps->log2_max_frame_num_minus4);
		return -EINVAL;
	}
	max_lsb = 1U << (sps->log2_max_pic_order_cnt_lsb_minus4 + 4);
	if (sps->pic_order_cnt_type == 0 && dp->pic_order_cnt_lsb >= max_lsb) {
		dd_err("h264 decode_params: pic_order_cnt_lsb=%u out of range [0, %u] "
		       "(sps log2_max_pic_order_cnt_lsb_minus4=%u)", dp->pic_order_cnt_lsb,
		       max_lsb - 1, sps->log2_max_pic_order_cnt_lsb_minus4);
		return -EINVAL;
	}
	if ((dp->flags & V4L2_H264_DECODE_PARAM_FLAG_FIELD_PIC) &&
	    (sps->flags & V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY)) {
		dd_err("h264 decode_params: flags=0x%x has FIELD_PIC but the sps has "
		       "FRAME_MBS_ONLY", dp->flags);
		return -EINVAL;
	}
	return 0;
}
