// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_hevc_ps.c - HEVC VPS/SPS/PPS NAL units from the stateless controls
 * (H.265 sections 7.3.2.1-7.3.2.3, 7.3.3, 7.3.4), and the check that the
 * slices of a frame need no SPS-level RPS data the controls lack.  See
 * dd_hevc_ps.h for what is rebuilt and what cannot be.
 */
#include <errno.h>
#include <string.h>

#include "dd_bitwriter.h"
#include "dd_hevc_ps.h"
#include "dd_os.h"

enum {
	DD_HEVC_NAL_IDR_W_RADL = 19,
	DD_HEVC_NAL_IDR_N_LP = 20,
	DD_HEVC_NAL_VPS = 32,
	DD_HEVC_NAL_SPS = 33,
	DD_HEVC_NAL_PPS = 34,
};

const uint8_t dd_hevc_diag4x4[16] = {
	0, 4, 1, 8, 5, 2, 12, 9, 6, 3, 13, 10, 7, 14, 11, 15,
};

const uint8_t dd_hevc_diag8x8[64] = {
	0, 8, 1, 16, 9, 2, 24, 17, 10, 3, 32, 25, 18, 11, 4, 40,
	33, 26, 19, 12, 5, 48, 41, 34, 27, 20, 13, 6, 56, 49, 42, 35,
	28, 21, 14, 7, 57, 50, 43, 36, 29, 22, 15, 58, 51, 44, 37, 30,
	23, 59, 52, 45, 38, 31, 60, 53, 46, 39, 61, 54, 47, 62, 55, 63,
};

/*
 * The RBSP starts with the second NAL header byte (nuh_layer_id 0,
 * nuh_temporal_id_plus1 1); dd_nal_wrap() adds the first and the start
 * code.
 */
static void dd_hevc_begin(struct dd_bw *bw, uint8_t *rbsp, size_t cap)
{
	dd_bw_init(bw, rbsp, cap);
	dd_bw_u(bw, 8, 1);
}

static long dd_hevc_finish(struct dd_bw *bw, unsigned int type, uint8_t *out, size_t cap)
{
	long n;

	dd_bw_trailing(bw);
	if (bw->overflow)
		return -ENOSPC;
	n = dd_nal_wrap(out, cap, (uint8_t)(type << 1), bw->buf, dd_bw_bytes(bw));
	return n < 0 ? -ENOSPC : n;
}

/*
 * profile_tier_level(1, max_sub_layers_minus1), level 6.2: Main (also
 * compatible with Main 10) for 8 bits, Main 10 when the SPS control says
 * 10 bits.
 */
static void dd_hevc_ptl(struct dd_bw *bw, const struct v4l2_ctrl_hevc_sps *sps)
{
	unsigned int i, max_sub_layers_minus1 = sps->sps_max_sub_layers_minus1;
	bool main10 = sps->bit_depth_luma_minus8 || sps->bit_depth_chroma_minus8;

	dd_bw_u(bw, 2, 0);		/* general_profile_space */
	dd_bw_u(bw, 1, 0);		/* general_tier_flag */
	dd_bw_u(bw, 5, main10 ? 2 : 1);	/* general_profile_idc */
	/* general_profile_compatibility_flag[j]: bit 31 - j */
	dd_bw_u(bw, 32, main10 ? 0x20000000 : 0x60000000);
	dd_bw_u(bw, 1, 1);		/* general_progressive_source_flag */
	dd_bw_u(bw, 1, 0);		/* general_interlaced_source_flag */
	dd_bw_u(bw, 1, 0);		/* general_non_packed_constraint_flag */
	dd_bw_u(bw, 1, 1);		/* general_frame_only_constraint_flag */
	dd_bw_u(bw, 32, 0);		/* general_reserved_zero_43bits... */
	dd_bw_u(bw, 11, 0);
	dd_bw_u(bw, 1, 0);		/* general_inbld_flag */
	dd_bw_u(bw, 8, 186);		/* general_level_idc: 6.2 */
	for (i = 0; i < max_sub_layers_minus1; i++) {
		dd_bw_u(bw, 1, 0);	/* sub_layer_profile_present_flag */
		dd_bw_u(bw, 1, 0);	/* sub_layer_level_present_flag */
	}
	if (max_sub_layers_minus1)
		for (i = max_sub_layers_minus1; i < 8; i++)
			dd_bw_u(bw, 2, 0);	/* reserved_zero_2bits */
}

long dd_hevc_build_vps(const struct v4l2_ctrl_hevc_sps *sps, uint8_t *out, size_t cap)
{
	uint8_t rbsp[256];
	struct dd_bw bw;

	if (sps->sps_max_sub_layers_minus1 > 6)
		return -EINVAL;
	dd_hevc_begin(&bw, rbsp, sizeof(rbsp));
	dd_bw_u(&bw, 4, sps->video_parameter_set_id);
	dd_bw_u(&bw, 1, 1);		/* vps_base_layer_internal_flag */
	dd_bw_u(&bw, 1, 1);		/* vps_base_layer_available_flag */
	dd_bw_u(&bw, 6, 0);		/* vps_max_layers_minus1 */
	dd_bw_u(&bw, 3, sps->sps_max_sub_layers_minus1);
	dd_bw_u(&bw, 1, sps->sps_max_sub_layers_minus1 == 0);	/* temporal_id_nesting */
	dd_bw_u(&bw, 16, 0xffff);	/* vps_reserved_0xffff_16bits */
	dd_hevc_ptl(&bw, sps);
	dd_bw_u(&bw, 1, 0);		/* vps_sub_layer_ordering_info_present_flag */
	dd_bw_ue(&bw, sps->sps_max_dec_pic_buffering_minus1);
	dd_bw_ue(&bw, sps->sps_max_num_reorder_pics);
	dd_bw_ue(&bw, sps->sps_max_latency_increase_plus1);
	dd_bw_u(&bw, 6, 0);		/* vps_max_layer_id */
	dd_bw_ue(&bw, 0);		/* vps_num_layer_sets_minus1 */
	dd_bw_u(&bw, 1, 0);		/* vps_timing_info_present_flag */
	dd_bw_u(&bw, 1, 0);		/* vps_extension_flag */
	return dd_hevc_finish(&bw, DD_HEVC_NAL_VPS, out, cap);
}

long dd_hevc_build_sps(const struct v4l2_ctrl_hevc_sps *sps, uint8_t *out, size_t cap)
{
	unsigned int i, lsb_bits = sps->log2_max_pic_order_cnt_lsb_minus4 + 4U;
	uint64_t f = sps->flags;
	uint8_t rbsp[512];
	struct dd_bw bw;

	if (sps->sps_max_sub_layers_minus1 > 6 || sps->num_short_term_ref_pic_sets > 64 ||
	    sps->num_long_term_ref_pics_sps > 32 || lsb_bits > 16)
		return -EINVAL;
	dd_hevc_begin(&bw, rbsp, sizeof(rbsp));
	dd_bw_u(&bw, 4, sps->video_parameter_set_id);
	dd_bw_u(&bw, 3, sps->sps_max_sub_layers_minus1);
	dd_bw_u(&bw, 1, sps->sps_max_sub_layers_minus1 == 0);	/* temporal_id_nesting */
	dd_hevc_ptl(&bw, sps);
	dd_bw_ue(&bw, sps->seq_parameter_set_id);
	dd_bw_ue(&bw, sps->chroma_format_idc);
	if (sps->chroma_format_idc == 3)
		dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_SPS_FLAG_SEPARATE_COLOUR_PLANE));
	dd_bw_ue(&bw, sps->pic_width_in_luma_samples);
	dd_bw_ue(&bw, sps->pic_height_in_luma_samples);
	dd_bw_u(&bw, 1, 0);		/* conformance_window_flag */
	dd_bw_ue(&bw, sps->bit_depth_luma_minus8);
	dd_bw_ue(&bw, sps->bit_depth_chroma_minus8);
	dd_bw_ue(&bw, sps->log2_max_pic_order_cnt_lsb_minus4);
	dd_bw_u(&bw, 1, 0);		/* sps_sub_layer_ordering_info_present_flag */
	dd_bw_ue(&bw, sps->sps_max_dec_pic_buffering_minus1);
	dd_bw_ue(&bw, sps->sps_max_num_reorder_pics);
	dd_bw_ue(&bw, sps->sps_max_latency_increase_plus1);
	dd_bw_ue(&bw, sps->log2_min_luma_coding_block_size_minus3);
	dd_bw_ue(&bw, sps->log2_diff_max_min_luma_coding_block_size);
	dd_bw_ue(&bw, sps->log2_min_luma_transform_block_size_minus2);
	dd_bw_ue(&bw, sps->log2_diff_max_min_luma_transform_block_size);
	dd_bw_ue(&bw, sps->max_transform_hierarchy_depth_inter);
	dd_bw_ue(&bw, sps->max_transform_hierarchy_depth_intra);
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_SPS_FLAG_SCALING_LIST_ENABLED));
	if (f & V4L2_HEVC_SPS_FLAG_SCALING_LIST_ENABLED)
		dd_bw_u(&bw, 1, 0);	/* sps_scaling_list_data_present_flag: PPS has them */
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_SPS_FLAG_AMP_ENABLED));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_SPS_FLAG_SAMPLE_ADAPTIVE_OFFSET));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_SPS_FLAG_PCM_ENABLED));
	if (f & V4L2_HEVC_SPS_FLAG_PCM_ENABLED) {
		dd_bw_u(&bw, 4, sps->pcm_sample_bit_depth_luma_minus1);
		dd_bw_u(&bw, 4, sps->pcm_sample_bit_depth_chroma_minus1);
		dd_bw_ue(&bw, sps->log2_min_pcm_luma_coding_block_size_minus3);
		dd_bw_ue(&bw, sps->log2_diff_max_min_pcm_luma_coding_block_size);
		dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_SPS_FLAG_PCM_LOOP_FILTER_DISABLED));
	}
	/* The sets themselves are not in the control: empty ones (see .h). */
	dd_bw_ue(&bw, sps->num_short_term_ref_pic_sets);
	for (i = 0; i < sps->num_short_term_ref_pic_sets; i++) {
		if (i)
			dd_bw_u(&bw, 1, 0);	/* inter_ref_pic_set_prediction_flag */
		dd_bw_ue(&bw, 0);		/* num_negative_pics */
		dd_bw_ue(&bw, 0);		/* num_positive_pics */
	}
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_SPS_FLAG_LONG_TERM_REF_PICS_PRESENT));
	if (f & V4L2_HEVC_SPS_FLAG_LONG_TERM_REF_PICS_PRESENT) {
		dd_bw_ue(&bw, sps->num_long_term_ref_pics_sps);
		for (i = 0; i < sps->num_long_term_ref_pics_sps; i++) {
			dd_bw_u(&bw, lsb_bits, 0);	/* lt_ref_pic_poc_lsb_sps */
			dd_bw_u(&bw, 1, 0);		/* used_by_curr_pic_lt_sps_flag */
		}
	}
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_SPS_FLAG_SPS_TEMPORAL_MVP_ENABLED));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_SPS_FLAG_STRONG_INTRA_SMOOTHING_ENABLED));
	dd_bw_u(&bw, 1, 0);		/* vui_parameters_present_flag */
	dd_bw_u(&bw, 1, 0);		/* sps_extension_present_flag */
	return dd_hevc_finish(&bw, DD_HEVC_NAL_SPS, out, cap);
}

/* One list, explicitly (scaling_list_pred_mode_flag = 1), DPCM in diagonal order. */
static void dd_hevc_list(struct dd_bw *bw, const uint8_t *raster, const uint8_t *scan,
			 unsigned int n, int dc)
{
	int next = 8, i;

	dd_bw_u(bw, 1, 1);			/* scaling_list_pred_mode_flag */
	if (dc >= 0) {
		dd_bw_se(bw, dc - 8);		/* scaling_list_dc_coef_minus8 */
		next = dc;
	}
	for (i = 0; i < (int)n; i++) {
		int coef = raster[scan[i]];
		int delta = ((coef - next + 256 + 128) & 255) - 128;

		dd_bw_se(bw, delta);		/* scaling_list_delta_coef */
		next = coef;
	}
}

static void dd_hevc_scaling_list_data(struct dd_bw *bw,
				      const struct v4l2_ctrl_hevc_scaling_matrix *sm)
{
	unsigned int m;

	for (m = 0; m < 6; m++)
		dd_hevc_list(bw, sm->scaling_list_4x4[m], dd_hevc_diag4x4, 16, -1);
	for (m = 0; m < 6; m++)
		dd_hevc_list(bw, sm->scaling_list_8x8[m], dd_hevc_diag8x8, 64, -1);
	for (m = 0; m < 6; m++)
		dd_hevc_list(bw, sm->scaling_list_16x16[m], dd_hevc_diag8x8, 64,
			     sm->scaling_list_dc_coef_16x16[m]);
	/* sizeId 3 has matrixId 0 and 3 (4:2:0): the control's [0] and [1]. */
	for (m = 0; m < 2; m++)
		dd_hevc_list(bw, sm->scaling_list_32x32[m], dd_hevc_diag8x8, 64,
			     sm->scaling_list_dc_coef_32x32[m]);
}

static bool dd_hevc_bad_scaling(const struct v4l2_ctrl_hevc_scaling_matrix *sm)
{
	const uint8_t *p = (const uint8_t *)sm;
	size_t i;

	/* ScalingFactor values are 1..255: a zero cannot be coded. */
	for (i = 0; i < sizeof(*sm); i++)
		if (!p[i])
			return true;
	return false;
}

long dd_hevc_build_pps(const struct v4l2_ctrl_hevc_pps *pps,
		       const struct v4l2_ctrl_hevc_sps *sps,
		       const struct v4l2_ctrl_hevc_scaling_matrix *sm,
		       uint8_t *out, size_t cap)
{
	struct v4l2_ctrl_hevc_scaling_matrix flat;
	uint8_t rbsp[DD_HEVC_PS_MAX];
	uint64_t f = pps->flags;
	struct dd_bw bw;
	unsigned int i;

	if (pps->num_tile_columns_minus1 >= 20 || pps->num_tile_rows_minus1 >= 22)
		return -EINVAL;
	dd_hevc_begin(&bw, rbsp, sizeof(rbsp));
	dd_bw_ue(&bw, pps->pic_parameter_set_id);
	dd_bw_ue(&bw, sps->seq_parameter_set_id);
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_DEPENDENT_SLICE_SEGMENT_ENABLED));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_OUTPUT_FLAG_PRESENT));
	dd_bw_u(&bw, 3, pps->num_extra_slice_header_bits);
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_SIGN_DATA_HIDING_ENABLED));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_CABAC_INIT_PRESENT));
	dd_bw_ue(&bw, pps->num_ref_idx_l0_default_active_minus1);
	dd_bw_ue(&bw, pps->num_ref_idx_l1_default_active_minus1);
	dd_bw_se(&bw, pps->init_qp_minus26);
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_CONSTRAINED_INTRA_PRED));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_TRANSFORM_SKIP_ENABLED));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_CU_QP_DELTA_ENABLED));
	if (f & V4L2_HEVC_PPS_FLAG_CU_QP_DELTA_ENABLED)
		dd_bw_ue(&bw, pps->diff_cu_qp_delta_depth);
	dd_bw_se(&bw, pps->pps_cb_qp_offset);
	dd_bw_se(&bw, pps->pps_cr_qp_offset);
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_PPS_SLICE_CHROMA_QP_OFFSETS_PRESENT));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_WEIGHTED_PRED));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_WEIGHTED_BIPRED));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_TRANSQUANT_BYPASS_ENABLED));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_TILES_ENABLED));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_ENTROPY_CODING_SYNC_ENABLED));
	if (f & V4L2_HEVC_PPS_FLAG_TILES_ENABLED) {
		dd_bw_ue(&bw, pps->num_tile_columns_minus1);
		dd_bw_ue(&bw, pps->num_tile_rows_minus1);
		dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_UNIFORM_SPACING));
		if (!(f & V4L2_HEVC_PPS_FLAG_UNIFORM_SPACING)) {
			for (i = 0; i < pps->num_tile_columns_minus1; i++)
				dd_bw_ue(&bw, pps->column_width_minus1[i]);
			for (i = 0; i < pps->num_tile_rows_minus1; i++)
				dd_bw_ue(&bw, pps->row_height_minus1[i]);
		}
		dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_LOOP_FILTER_ACROSS_TILES_ENABLED));
	}
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_PPS_LOOP_FILTER_ACROSS_SLICES_ENABLED));
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_DEBLOCKING_FILTER_CONTROL_PRESENT));
	if (f & V4L2_HEVC_PPS_FLAG_DEBLOCKING_FILTER_CONTROL_PRESENT) {
		dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_DEBLOCKING_FILTER_OVERRIDE_ENABLED));
		dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_PPS_DISABLE_DEBLOCKING_FILTER));
		if (!(f & V4L2_HEVC_PPS_FLAG_PPS_DISABLE_DEBLOCKING_FILTER)) {
			dd_bw_se(&bw, pps->pps_beta_offset_div2);
			dd_bw_se(&bw, pps->pps_tc_offset_div2);
		}
	}
	/* The lists in force for the picture, whatever the stream coded. */
	if (sps->flags & V4L2_HEVC_SPS_FLAG_SCALING_LIST_ENABLED) {
		if (!sm || dd_hevc_bad_scaling(sm)) {
			memset(&flat, 16, sizeof(flat));
			sm = &flat;
		}
		dd_bw_u(&bw, 1, 1);	/* pps_scaling_list_data_present_flag */
		dd_hevc_scaling_list_data(&bw, sm);
	} else {
		dd_bw_u(&bw, 1, 0);
	}
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_LISTS_MODIFICATION_PRESENT));
	dd_bw_ue(&bw, pps->log2_parallel_merge_level_minus2);
	dd_bw_u(&bw, 1, !!(f & V4L2_HEVC_PPS_FLAG_SLICE_SEGMENT_HEADER_EXTENSION_PRESENT));
	dd_bw_u(&bw, 1, 0);		/* pps_extension_present_flag */
	return dd_hevc_finish(&bw, DD_HEVC_NAL_PPS, out, cap);
}

/* A bit reader over an escaped NAL payload (skips emulation prevention). */
struct dd_hevc_br {
	const uint8_t *p;
	size_t size, pos;	/* bytes */
	unsigned int bit;	/* next bit in p[pos], 0 = MSB */
	unsigned int zeros;	/* zero bytes just read */
	bool bad;
};

static unsigned int dd_hevc_br_bit(struct dd_hevc_br *br)
{
	unsigned int v;

	if (br->bit == 0 && br->zeros >= 2 && br->pos < br->size && br->p[br->pos] == 3) {
		br->pos++;
		br->zeros = 0;
	}
	if (br->pos >= br->size) {
		br->bad = true;
		return 0;
	}
	v = (br->p[br->pos] >> (7 - br->bit)) & 1;
	if (++br->bit == 8) {
		br->zeros = br->p[br->pos] ? 0 : br->zeros + 1;
		br->bit = 0;
		br->pos++;
	}
	return v;
}

static uint32_t dd_hevc_br_u(struct dd_hevc_br *br, unsigned int n)
{
	uint32_t v = 0;

	while (n--)
		v = (v << 1) | dd_hevc_br_bit(br);
	return v;
}

static uint32_t dd_hevc_br_ue(struct dd_hevc_br *br)
{
	unsigned int lz = 0;

	while (!dd_hevc_br_bit(br) && !br->bad)
		if (++lz > 31) {
			br->bad = true;
			return 0;
		}
	return ((1u << lz) - 1) + dd_hevc_br_u(br, lz);
}

static unsigned int dd_hevc_ceil_log2(uint32_t v)
{
	unsigned int n = 0;

	while ((1u << n) < v)
		n++;
	return n;
}

/* The slice header up to its RPS (7.3.6.1): what refers to SPS-level data. */
static int dd_hevc_check_slice(const struct v4l2_ctrl_hevc_sps *sps,
			       const struct v4l2_ctrl_hevc_pps *pps,
			       const uint8_t *nal, size_t len, unsigned int type)
{
	struct dd_hevc_br br = { .p = nal + 2, .size = len > 2 ? len - 2 : 0 };
	unsigned int ctb = sps->log2_min_luma_coding_block_size_minus3 + 3U +
			   sps->log2_diff_max_min_luma_coding_block_size;
	uint32_t wc = (sps->pic_width_in_luma_samples + (1u << ctb) - 1) >> ctb;
	uint32_t hc = (sps->pic_height_in_luma_samples + (1u << ctb) - 1) >> ctb;
	unsigned int i, n;
	bool first;

	first = dd_hevc_br_u(&br, 1);
	if (type >= 16 && type <= 23)
		dd_hevc_br_u(&br, 1);		/* no_output_of_prior_pics_flag */
	dd_hevc_br_ue(&br);			/* slice_pic_parameter_set_id */
	if (!first) {
		if ((pps->flags & V4L2_HEVC_PPS_FLAG_DEPENDENT_SLICE_SEGMENT_ENABLED) &&
		    dd_hevc_br_u(&br, 1))
			return 0;		/* dependent: the header is inherited */
		dd_hevc_br_u(&br, dd_hevc_ceil_log2(wc * hc));
	}
	dd_hevc_br_u(&br, pps->num_extra_slice_header_bits);
	dd_hevc_br_ue(&br);			/* slice_type */
	if (pps->flags & V4L2_HEVC_PPS_FLAG_OUTPUT_FLAG_PRESENT)
		dd_hevc_br_u(&br, 1);
	if (sps->flags & V4L2_HEVC_SPS_FLAG_SEPARATE_COLOUR_PLANE)
		dd_hevc_br_u(&br, 2);
	if (type == DD_HEVC_NAL_IDR_W_RADL || type == DD_HEVC_NAL_IDR_N_LP)
		return 0;
	dd_hevc_br_u(&br, sps->log2_max_pic_order_cnt_lsb_minus4 + 4U);
	if (dd_hevc_br_u(&br, 1)) {
		dd_err("hevc: a slice uses short-term RPS %s of the SPS, which the controls "
		       "do not carry", sps->num_short_term_ref_pic_sets > 1 ? "sets" : "set");
		return -ENOTSUP;
	}
	if (sps->num_short_term_ref_pic_sets && dd_hevc_br_u(&br, 1)) {
		dd_err("hevc: a slice predicts its RPS from an SPS set the controls do not carry");
		return -ENOTSUP;
	}
	if (!(sps->flags & V4L2_HEVC_SPS_FLAG_LONG_TERM_REF_PICS_PRESENT) ||
	    !sps->num_long_term_ref_pics_sps)
		return br.bad ? -EINVAL : 0;
	n = dd_hevc_br_ue(&br) + dd_hevc_br_ue(&br);	/* negative + positive pics */
	for (i = 0; i < n && i < 32; i++) {
		dd_hevc_br_ue(&br);		/* delta_poc_s*_minus1 */
		dd_hevc_br_u(&br, 1);		/* used_by_curr_pic_s*_flag */
	}
	if (dd_hevc_br_ue(&br)) {		/* num_long_term_sps */
		dd_err("hevc: a slice uses long-term candidates of the SPS, which the "
		       "controls do not carry");
		return -ENOTSUP;
	}
	return br.bad ? -EINVAL : 0;
}

int dd_hevc_check_slices(const struct v4l2_ctrl_hevc_sps *sps,
			 const struct v4l2_ctrl_hevc_pps *pps,
			 const uint8_t *data, size_t size)
{
	size_t i = 0, start, end;
	int ret;

	if (!sps->num_short_term_ref_pic_sets && !sps->num_long_term_ref_pics_sps)
		return 0;
	while (i + 3 <= size) {
		if (data[i] || data[i + 1] || data[i + 2] != 1) {
			i++;
			continue;
		}
		start = i + 3;
		for (end = start; end + 3 <= size; end++)
			if (!data[end] && !data[end + 1] && data[end + 2] <= 1)
				break;
		if (end + 3 > size)
			end = size;
		if (end - start >= 3) {
			unsigned int type = (data[start] >> 1) & 0x3f;

			if (type <= 21) {
				ret = dd_hevc_check_slice(sps, pps, data + start, end - start,
							  type);
				if (ret)
					return ret;
			}
		}
		i = end;
	}
	return 0;
}
