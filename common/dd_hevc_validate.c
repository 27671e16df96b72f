// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_hevc_validate.c - validation of the stateless HEVC control payloads.
 *
 * First the rules of the kernel's std_validate_compound() for HEVC (the
 * same in 6.1 and 6.12 but for the tile-count bound 6.12 adds): PCM fields
 * cleared without PCM, num_long_term_ref_pics_sps cleared without long-term
 * references, diff_cu_qp_delta_depth without cu_qp_delta, tile fields
 * without tiles, deblocking offsets when deblocking is disabled; at most 16
 * DPB entries and 16 active references per list.  Then the ranges of
 * H.265 section 7.4 the kernel leaves open, and what this decoder does not
 * implement: chroma formats other than 4:2:0, bit depths other than 8 and
 * 10 (luma and chroma alike), frames beyond the codec limits.  Each
 * rejection is -EINVAL with one log line.  dd_hevc_check_request() adds
 * the rule between the SPS and PPS of one request that depends on the bit
 * depth (the lowest init_qp_minus26).
 */
#include "dd_hevc.h"

#define DD_HEVC_DPB	V4L2_HEVC_DPB_ENTRIES_NUM_MAX

static bool dd_hevc_bad(const char *ctl, const char *field, s64 v, s64 lo, s64 hi)
{
	if (v >= lo && v <= hi)
		return false;
	dd_err("hevc %s: %s=%lld out of range [%lld, %lld]", ctl, field,
	       (long long)v, (long long)lo, (long long)hi);
	return true;
}

static bool dd_hevc_unsupported(bool cond, const char *ctl, const char *field,
				s64 v, const char *why)
{
	if (!cond)
		return false;
	dd_err("hevc %s: %s=%lld unsupported (%s)", ctl, field, (long long)v, why);
	return true;
}

static void dd_hevc_normalise_sps(struct v4l2_ctrl_hevc_sps *sps)
{
	if (!(sps->flags & V4L2_HEVC_SPS_FLAG_PCM_ENABLED)) {
		sps->pcm_sample_bit_depth_luma_minus1 = 0;
		sps->pcm_sample_bit_depth_chroma_minus1 = 0;
		sps->log2_min_pcm_luma_coding_block_size_minus3 = 0;
		sps->log2_diff_max_min_pcm_luma_coding_block_size = 0;
		sps->flags &= ~V4L2_HEVC_SPS_FLAG_PCM_LOOP_FILTER_DISABLED;
	}
	if (!(sps->flags & V4L2_HEVC_SPS_FLAG_LONG_TERM_REF_PICS_PRESENT))
		sps->num_long_term_ref_pics_sps = 0;
	/* separate_colour_plane_flag only exists for 4:4:4. */
	if (sps->chroma_format_idc != 3)
		sps->flags &= ~V4L2_HEVC_SPS_FLAG_SEPARATE_COLOUR_PLANE;
	memset(sps->reserved, 0, sizeof(sps->reserved));
}

/* Block sizes (7.4.3.2.1): CtbLog2SizeY 4..6, transform blocks inside. */
static bool dd_hevc_bad_blocks(const struct v4l2_ctrl_hevc_sps *sps)
{
	u32 min_cb = sps->log2_min_luma_coding_block_size_minus3 + 3U;
	u32 ctb = min_cb + sps->log2_diff_max_min_luma_coding_block_size;
	u32 min_tb = sps->log2_min_luma_transform_block_size_minus2 + 2U;
	u32 max_tb = min_tb + sps->log2_diff_max_min_luma_transform_block_size;

	if (dd_hevc_bad("sps", "log2_min_luma_coding_block_size_minus3",
			sps->log2_min_luma_coding_block_size_minus3, 0, 3) ||
	    dd_hevc_bad("sps", "CtbLog2SizeY", ctb, 4, 6) ||
	    dd_hevc_bad("sps", "log2_min_luma_transform_block_size_minus2",
			sps->log2_min_luma_transform_block_size_minus2, 0, min_cb - 3) ||
	    dd_hevc_bad("sps", "MaxTbLog2SizeY", max_tb, min_tb, min_t(u32, ctb, 5)) ||
	    dd_hevc_bad("sps", "max_transform_hierarchy_depth_inter",
			sps->max_transform_hierarchy_depth_inter, 0, ctb - min_tb) ||
	    dd_hevc_bad("sps", "max_transform_hierarchy_depth_intra",
			sps->max_transform_hierarchy_depth_intra, 0, ctb - min_tb))
		return true;
	if (!(sps->flags & V4L2_HEVC_SPS_FLAG_PCM_ENABLED))
		return false;
	min_cb = sps->log2_min_pcm_luma_coding_block_size_minus3 + 3U;
	return dd_hevc_bad("sps", "pcm_sample_bit_depth_luma_minus1",
			   sps->pcm_sample_bit_depth_luma_minus1, 0,
			   sps->bit_depth_luma_minus8 + 7) ||
	       dd_hevc_bad("sps", "pcm_sample_bit_depth_chroma_minus1",
			   sps->pcm_sample_bit_depth_chroma_minus1, 0,
			   sps->bit_depth_chroma_minus8 + 7) ||
	       dd_hevc_bad("sps", "log2_min_pcm_luma_coding_block_size_minus3",
			   sps->log2_min_pcm_luma_coding_block_size_minus3, 0, 2) ||
	       dd_hevc_bad("sps", "Log2MaxIpcmCbSizeY",
			   min_cb + sps->log2_diff_max_min_pcm_luma_coding_block_size,
			   min_cb, min_t(u32, ctb, 5));
}

static bool dd_hevc_bad_size(const struct v4l2_ctrl_hevc_sps *sps)
{
	u32 min_cb = 1U << (sps->log2_min_luma_coding_block_size_minus3 + 3U);
	u32 w = sps->pic_width_in_luma_samples, h = sps->pic_height_in_luma_samples;

	if (dd_hevc_bad("sps", "pic_width_in_luma_samples", w, DD_HEVC_MIN_WIDTH,
			DD_HEVC_MAX_WIDTH) ||
	    dd_hevc_bad("sps", "pic_height_in_luma_samples", h, DD_HEVC_MIN_HEIGHT,
			DD_HEVC_MAX_HEIGHT))
		return true;
	if (w % min_cb || h % min_cb) {
		dd_err("hevc sps: %ux%u is not a multiple of MinCbSizeY %u", w, h, min_cb);
		return true;
	}
	return false;
}

int dd_hevc_validate_sps(void *payload)
{
	struct v4l2_ctrl_hevc_sps *sps = payload;

	dd_hevc_normalise_sps(sps);
	if (dd_hevc_bad("sps", "video_parameter_set_id", sps->video_parameter_set_id, 0, 15) ||
	    dd_hevc_bad("sps", "seq_parameter_set_id", sps->seq_parameter_set_id, 0, 15) ||
	    dd_hevc_bad("sps", "chroma_format_idc", sps->chroma_format_idc, 0, 3) ||
	    dd_hevc_bad("sps", "bit_depth_luma_minus8", sps->bit_depth_luma_minus8, 0, 8) ||
	    dd_hevc_bad("sps", "bit_depth_chroma_minus8", sps->bit_depth_chroma_minus8, 0, 8) ||
	    dd_hevc_bad("sps", "log2_max_pic_order_cnt_lsb_minus4",
			sps->log2_max_pic_order_cnt_lsb_minus4, 0, 12) ||
	    dd_hevc_bad("sps", "sps_max_dec_pic_buffering_minus1",
			sps->sps_max_dec_pic_buffering_minus1, 0, DD_HEVC_DPB - 1) ||
	    dd_hevc_bad("sps", "sps_max_num_reorder_pics", sps->sps_max_num_reorder_pics,
			0, sps->sps_max_dec_pic_buffering_minus1) ||
	    dd_hevc_bad("sps", "num_short_term_ref_pic_sets",
			sps->num_short_term_ref_pic_sets, 0, 64) ||
	    dd_hevc_bad("sps", "num_long_term_ref_pics_sps",
			sps->num_long_term_ref_pics_sps, 0, 32) ||
	    dd_hevc_bad("sps", "sps_max_sub_layers_minus1", sps->sps_max_sub_layers_minus1,
			0, 6))
		return -EINVAL;
	if (dd_hevc_unsupported(sps->chroma_format_idc != 1, "sps", "chroma_format_idc",
				sps->chroma_format_idc, "4:2:0 only") ||
	    dd_hevc_unsupported(sps->bit_depth_luma_minus8 != 0 &&
				sps->bit_depth_luma_minus8 != 2, "sps",
				"bit_depth_luma_minus8", sps->bit_depth_luma_minus8,
				"8 or 10 bits only") ||
	    dd_hevc_unsupported(sps->bit_depth_chroma_minus8 != sps->bit_depth_luma_minus8,
				"sps", "bit_depth_chroma_minus8", sps->bit_depth_chroma_minus8,
				"chroma depth must equal luma depth"))
		return -EINVAL;
	if (dd_hevc_bad_blocks(sps) || dd_hevc_bad_size(sps))
		return -EINVAL;
	return 0;
}

static void dd_hevc_normalise_pps(struct v4l2_ctrl_hevc_pps *pps)
{
	if (!(pps->flags & V4L2_HEVC_PPS_FLAG_CU_QP_DELTA_ENABLED))
		pps->diff_cu_qp_delta_depth = 0;
	if (!(pps->flags & V4L2_HEVC_PPS_FLAG_TILES_ENABLED)) {
		pps->num_tile_columns_minus1 = 0;
		pps->num_tile_rows_minus1 = 0;
		memset(pps->column_width_minus1, 0, sizeof(pps->column_width_minus1));
		memset(pps->row_height_minus1, 0, sizeof(pps->row_height_minus1));
		pps->flags &= ~(V4L2_HEVC_PPS_FLAG_LOOP_FILTER_ACROSS_TILES_ENABLED |
				V4L2_HEVC_PPS_FLAG_UNIFORM_SPACING);
	}
	if (pps->flags & V4L2_HEVC_PPS_FLAG_PPS_DISABLE_DEBLOCKING_FILTER) {
		pps->pps_beta_offset_div2 = 0;
		pps->pps_tc_offset_div2 = 0;
	}
	pps->reserved = 0;
}

int dd_hevc_validate_pps(void *payload)
{
	struct v4l2_ctrl_hevc_pps *pps = payload;

	dd_hevc_normalise_pps(pps);
	if (dd_hevc_bad("pps", "num_tile_columns_minus1", pps->num_tile_columns_minus1,
			0, ARRAY_SIZE(pps->column_width_minus1) - 1) ||
	    dd_hevc_bad("pps", "num_tile_rows_minus1", pps->num_tile_rows_minus1,
			0, ARRAY_SIZE(pps->row_height_minus1) - 1) ||
	    dd_hevc_bad("pps", "pic_parameter_set_id", pps->pic_parameter_set_id, 0, 63) ||
	    dd_hevc_bad("pps", "num_extra_slice_header_bits",
			pps->num_extra_slice_header_bits, 0, 7) ||
	    dd_hevc_bad("pps", "num_ref_idx_l0_default_active_minus1",
			pps->num_ref_idx_l0_default_active_minus1, 0, 14) ||
	    dd_hevc_bad("pps", "num_ref_idx_l1_default_active_minus1",
			pps->num_ref_idx_l1_default_active_minus1, 0, 14) ||
	    /*
	     * -(26 + QpBdOffsetY): the PPS does not know the SPS's depth, so
	     * the 10-bit bound (QpBdOffsetY 12); libavcodec checks the rest.
	     */
	    dd_hevc_bad("pps", "init_qp_minus26", pps->init_qp_minus26, -38, 25) ||
	    dd_hevc_bad("pps", "diff_cu_qp_delta_depth", pps->diff_cu_qp_delta_depth, 0, 3) ||
	    dd_hevc_bad("pps", "pps_cb_qp_offset", pps->pps_cb_qp_offset, -12, 12) ||
	    dd_hevc_bad("pps", "pps_cr_qp_offset", pps->pps_cr_qp_offset, -12, 12) ||
	    dd_hevc_bad("pps", "pps_beta_offset_div2", pps->pps_beta_offset_div2, -6, 6) ||
	    dd_hevc_bad("pps", "pps_tc_offset_div2", pps->pps_tc_offset_div2, -6, 6) ||
	    dd_hevc_bad("pps", "log2_parallel_merge_level_minus2",
			pps->log2_parallel_merge_level_minus2, 0, 4))
		return -EINVAL;
	return 0;
}

int dd_hevc_validate_slice_params(void *payload)
{
	struct v4l2_ctrl_hevc_slice_params *sp = payload;
	u32 nut = sp->nal_unit_type;

	/* The kernel's rules first (l1 only matters for B slices). */
	if (dd_hevc_bad("slice params", "num_ref_idx_l0_active_minus1",
			sp->num_ref_idx_l0_active_minus1, 0, DD_HEVC_DPB - 1) ||
	    (sp->slice_type == V4L2_HEVC_SLICE_TYPE_B &&
	     dd_hevc_bad("slice params", "num_ref_idx_l1_active_minus1",
			 sp->num_ref_idx_l1_active_minus1, 0, DD_HEVC_DPB - 1)))
		return -EINVAL;
	/* VCL NAL unit types: 0..9 and the IRAP range 16..21 (Table 7-1). */
	if (nut > 21 || (nut > 9 && nut < 16)) {
		dd_err("hevc slice params: nal_unit_type=%u is not a coded slice", nut);
		return -EINVAL;
	}
	if (dd_hevc_bad("slice params", "nuh_temporal_id_plus1", sp->nuh_temporal_id_plus1,
			1, 7) ||
	    dd_hevc_bad("slice params", "slice_type", sp->slice_type, 0, 2) ||
	    dd_hevc_bad("slice params", "colour_plane_id", sp->colour_plane_id, 0, 2) ||
	    dd_hevc_bad("slice params", "collocated_ref_idx", sp->collocated_ref_idx, 0,
			DD_HEVC_DPB - 1) ||
	    dd_hevc_bad("slice params", "five_minus_max_num_merge_cand",
			sp->five_minus_max_num_merge_cand, 0, 4) ||
	    dd_hevc_bad("slice params", "slice_cb_qp_offset", sp->slice_cb_qp_offset,
			-12, 12) ||
	    dd_hevc_bad("slice params", "slice_cr_qp_offset", sp->slice_cr_qp_offset,
			-12, 12) ||
	    dd_hevc_bad("slice params", "slice_beta_offset_div2", sp->slice_beta_offset_div2,
			-6, 6) ||
	    dd_hevc_bad("slice params", "slice_tc_offset_div2", sp->slice_tc_offset_div2,
			-6, 6) ||
	    dd_hevc_bad("slice params", "pic_struct", sp->pic_struct, 0, 12) ||
	    dd_hevc_bad("slice params", "data_byte_offset", sp->data_byte_offset, 0,
			sp->bit_size / 8))
		return -EINVAL;
	memset(sp->reserved0, 0, sizeof(sp->reserved0));
	memset(sp->reserved1, 0, sizeof(sp->reserved1));
	return 0;
}

static bool dd_hevc_bad_refs(const char *field, const u8 *idx, u32 n, u32 dpb)
{
	u32 i;

	/* 0xff marks a missing reference (GStreamer leaves the hole). */
	for (i = 0; i < n; i++) {
		if (idx[i] >= dpb && idx[i] != 0xff) {
			dd_err("hevc decode params: %s[%u]=%u, only %u DPB entries", field, i,
			       idx[i], dpb);
			return true;
		}
	}
	return false;
}

int dd_hevc_validate_decode_params(void *payload)
{
	struct v4l2_ctrl_hevc_decode_params *dp = payload;
	u32 n = dp->num_active_dpb_entries;

	if (dd_hevc_bad("decode params", "num_active_dpb_entries", n, 0, DD_HEVC_DPB) ||
	    dd_hevc_bad("decode params", "num_poc_st_curr_before",
			dp->num_poc_st_curr_before, 0, n) ||
	    dd_hevc_bad("decode params", "num_poc_st_curr_after",
			dp->num_poc_st_curr_after, 0, n) ||
	    dd_hevc_bad("decode params", "num_poc_lt_curr", dp->num_poc_lt_curr, 0, n) ||
	    dd_hevc_bad("decode params", "NumPicTotalCurr",
			dp->num_poc_st_curr_before + dp->num_poc_st_curr_after +
			dp->num_poc_lt_curr, 0, n))
		return -EINVAL;
	if (dd_hevc_bad_refs("poc_st_curr_before", dp->poc_st_curr_before,
			     dp->num_poc_st_curr_before, n) ||
	    dd_hevc_bad_refs("poc_st_curr_after", dp->poc_st_curr_after,
			     dp->num_poc_st_curr_after, n) ||
	    dd_hevc_bad_refs("poc_lt_curr", dp->poc_lt_curr, dp->num_poc_lt_curr, n))
		return -EINVAL;
	memset(dp->reserved, 0, sizeof(dp->reserved));
	return 0;
}

int dd_hevc_check_request(const void *(*get)(void *priv, u32 id), void *priv,
			  u32 width, u32 height)
{
	const struct v4l2_ctrl_hevc_sps *sps = get(priv, V4L2_CID_STATELESS_HEVC_SPS);
	const struct v4l2_ctrl_hevc_pps *pps = get(priv, V4L2_CID_STATELESS_HEVC_PPS);
	s32 min_qp;

	if (!sps || !pps)
		return 0;
	/* 7.4.3.3.1: init_qp_minus26 >= -(26 + QpBdOffsetY), 6 per extra bit. */
	min_qp = -(26 + 6 * (s32)sps->bit_depth_luma_minus8);
	if (pps->init_qp_minus26 < min_qp) {
		dd_err("hevc pps: init_qp_minus26=%d out of range [%d, 25] "
		       "(sps bit_depth_luma_minus8=%u)", pps->init_qp_minus26, min_qp,
		       sps->bit_depth_luma_minus8);
		return -EINVAL;
	}
	return 0;
}
