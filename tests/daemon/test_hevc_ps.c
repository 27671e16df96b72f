// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_hevc_ps.c - HEVC VPS/SPS/PPS NAL units rebuilt from V4L2 controls,
 * checked by parsing them back with an independent reader (H.265 7.3.2.1-3,
 * 7.3.4 scaling lists), and the check that refuses slices referring to
 * SPS-level RPS data the controls lack.
 */
#include <errno.h>
#include <criterion/criterion.h>

#include "dd_bitwriter.h"
#include "dd_hevc_ps.h"
#include "dd_test_bitreader.h"

static uint8_t thp_out[DD_HEVC_PS_MAX];
static struct tbr thp_br;

static struct v4l2_ctrl_hevc_sps thp_sps(void)
{
	struct v4l2_ctrl_hevc_sps s;

	memset(&s, 0, sizeof(s));
	s.video_parameter_set_id = 2;
	s.seq_parameter_set_id = 5;
	s.pic_width_in_luma_samples = 328;
	s.pic_height_in_luma_samples = 184;
	s.log2_max_pic_order_cnt_lsb_minus4 = 4;
	s.sps_max_dec_pic_buffering_minus1 = 5;
	s.sps_max_num_reorder_pics = 3;
	s.sps_max_latency_increase_plus1 = 7;
	s.log2_diff_max_min_luma_coding_block_size = 3;
	s.log2_diff_max_min_luma_transform_block_size = 3;
	s.max_transform_hierarchy_depth_inter = 2;
	s.max_transform_hierarchy_depth_intra = 1;
	s.chroma_format_idc = 1;
	s.flags = V4L2_HEVC_SPS_FLAG_SCALING_LIST_ENABLED | V4L2_HEVC_SPS_FLAG_AMP_ENABLED |
		  V4L2_HEVC_SPS_FLAG_SAMPLE_ADAPTIVE_OFFSET |
		  V4L2_HEVC_SPS_FLAG_SPS_TEMPORAL_MVP_ENABLED;
	return s;
}

static void thp_load(long len, unsigned int type)
{
	cr_assert_gt(len, 6);
	cr_assert_eq(thp_out[0] | thp_out[1] | thp_out[2], 0);
	cr_assert_eq(thp_out[3], 1);
	cr_assert_eq(thp_out[4], type << 1, "NAL type");
	tbr_init_nal(&thp_br, thp_out, (size_t)len);
	cr_assert_eq(tbr_u(&thp_br, 8), 1, "nuh_temporal_id_plus1");
}

/* profile_tier_level(1, 0): Main, level 6.2. */
static void thp_ptl(void)
{
	cr_assert_eq(tbr_u(&thp_br, 2), 0);
	cr_assert_eq(tbr_u(&thp_br, 1), 0);
	cr_assert_eq(tbr_u(&thp_br, 5), 1, "general_profile_idc");
	tbr_u(&thp_br, 32);
	tbr_u(&thp_br, 4);
	cr_assert_eq(tbr_u(&thp_br, 32), 0);
	cr_assert_eq(tbr_u(&thp_br, 12), 0);
	cr_assert_eq(tbr_u(&thp_br, 8), 186, "general_level_idc");
}

Test(hevc_ps, vps)
{
	struct v4l2_ctrl_hevc_sps s = thp_sps();

	thp_load(dd_hevc_build_vps(&s, thp_out, sizeof(thp_out)), 32);
	cr_assert_eq(tbr_u(&thp_br, 4), 2, "vps_video_parameter_set_id");
	cr_assert_eq(tbr_u(&thp_br, 2), 3, "base layer flags");
	cr_assert_eq(tbr_u(&thp_br, 6), 0);
	cr_assert_eq(tbr_u(&thp_br, 3), 0, "vps_max_sub_layers_minus1");
	cr_assert_eq(tbr_u(&thp_br, 1), 1);
	cr_assert_eq(tbr_u(&thp_br, 16), 0xffff);
	thp_ptl();
	cr_assert_eq(tbr_u(&thp_br, 1), 0);
	cr_assert_eq(tbr_ue(&thp_br), 5);
	cr_assert_eq(tbr_ue(&thp_br), 3);
	cr_assert_eq(tbr_ue(&thp_br), 7);
	cr_assert_eq(tbr_u(&thp_br, 6), 0);
	cr_assert_eq(tbr_ue(&thp_br), 0);
	cr_assert_eq(tbr_u(&thp_br, 2), 0);
	cr_assert(tbr_at_trailing(&thp_br));
}

Test(hevc_ps, sps_fields_and_placeholder_rps)
{
	struct v4l2_ctrl_hevc_sps s = thp_sps();
	unsigned int i;

	s.num_short_term_ref_pic_sets = 3;
	s.flags |= V4L2_HEVC_SPS_FLAG_PCM_ENABLED | V4L2_HEVC_SPS_FLAG_LONG_TERM_REF_PICS_PRESENT;
	s.pcm_sample_bit_depth_luma_minus1 = 6;
	s.pcm_sample_bit_depth_chroma_minus1 = 5;
	s.log2_diff_max_min_pcm_luma_coding_block_size = 1;
	s.num_long_term_ref_pics_sps = 2;
	thp_load(dd_hevc_build_sps(&s, thp_out, sizeof(thp_out)), 33);
	cr_assert_eq(tbr_u(&thp_br, 4), 2);
	cr_assert_eq(tbr_u(&thp_br, 3), 0);
	cr_assert_eq(tbr_u(&thp_br, 1), 1);
	thp_ptl();
	cr_assert_eq(tbr_ue(&thp_br), 5, "sps id");
	cr_assert_eq(tbr_ue(&thp_br), 1, "chroma_format_idc");
	cr_assert_eq(tbr_ue(&thp_br), 328);
	cr_assert_eq(tbr_ue(&thp_br), 184);
	cr_assert_eq(tbr_u(&thp_br, 1), 0, "conformance_window_flag");
	cr_assert_eq(tbr_ue(&thp_br), 0);
	cr_assert_eq(tbr_ue(&thp_br), 0);
	cr_assert_eq(tbr_ue(&thp_br), 4);
	cr_assert_eq(tbr_u(&thp_br, 1), 0);
	cr_assert_eq(tbr_ue(&thp_br), 5);
	cr_assert_eq(tbr_ue(&thp_br), 3);
	cr_assert_eq(tbr_ue(&thp_br), 7);
	cr_assert_eq(tbr_ue(&thp_br), 0);
	cr_assert_eq(tbr_ue(&thp_br), 3);
	cr_assert_eq(tbr_ue(&thp_br), 0);
	cr_assert_eq(tbr_ue(&thp_br), 3);
	cr_assert_eq(tbr_ue(&thp_br), 2);
	cr_assert_eq(tbr_ue(&thp_br), 1);
	cr_assert_eq(tbr_u(&thp_br, 1), 1, "scaling_list_enabled_flag");
	cr_assert_eq(tbr_u(&thp_br, 1), 0, "sps_scaling_list_data_present_flag");
	cr_assert_eq(tbr_u(&thp_br, 1), 1, "amp");
	cr_assert_eq(tbr_u(&thp_br, 1), 1, "sao");
	cr_assert_eq(tbr_u(&thp_br, 1), 1, "pcm");
	cr_assert_eq(tbr_u(&thp_br, 4), 6);
	cr_assert_eq(tbr_u(&thp_br, 4), 5);
	cr_assert_eq(tbr_ue(&thp_br), 0);
	cr_assert_eq(tbr_ue(&thp_br), 1);
	cr_assert_eq(tbr_u(&thp_br, 1), 0);
	cr_assert_eq(tbr_ue(&thp_br), 3, "num_short_term_ref_pic_sets");
	for (i = 0; i < 3; i++) {
		if (i)
			cr_assert_eq(tbr_u(&thp_br, 1), 0, "inter_ref_pic_set_prediction_flag");
		cr_assert_eq(tbr_ue(&thp_br), 0);
		cr_assert_eq(tbr_ue(&thp_br), 0);
	}
	cr_assert_eq(tbr_u(&thp_br, 1), 1, "long_term_ref_pics_present_flag");
	cr_assert_eq(tbr_ue(&thp_br), 2);
	for (i = 0; i < 2; i++)
		cr_assert_eq(tbr_u(&thp_br, 9), 0);
	cr_assert_eq(tbr_u(&thp_br, 1), 1, "temporal mvp");
	cr_assert_eq(tbr_u(&thp_br, 1), 0, "strong intra smoothing");
	cr_assert_eq(tbr_u(&thp_br, 2), 0, "vui, extension");
	cr_assert(tbr_at_trailing(&thp_br));
}

/* A 10-bit SPS: Main 10 in both PTLs, the depths in the SPS. */
Test(hevc_ps, main10_profile_and_depth)
{
	struct v4l2_ctrl_hevc_sps s = thp_sps();
	unsigned int i;

	s.bit_depth_luma_minus8 = 2;
	s.bit_depth_chroma_minus8 = 2;
	for (i = 0; i < 2; i++) {
		if (i) {
			thp_load(dd_hevc_build_sps(&s, thp_out, sizeof(thp_out)), 33);
			tbr_u(&thp_br, 8);		/* sps_video_parameter_set_id... */
		} else {
			thp_load(dd_hevc_build_vps(&s, thp_out, sizeof(thp_out)), 32);
			tbr_u(&thp_br, 32);		/* ...vps_reserved_0xffff_16bits */
		}
		cr_assert_eq(tbr_u(&thp_br, 3), 0);
		cr_assert_eq(tbr_u(&thp_br, 5), 2, "general_profile_idc: Main 10");
		cr_assert_eq(tbr_u(&thp_br, 32), 0x20000000, "compatible with Main 10 only");
	}
	/* The rest of the SPS's PTL, then the fields up to the depths. */
	tbr_u(&thp_br, 4);
	cr_assert_eq(tbr_u(&thp_br, 32), 0);
	cr_assert_eq(tbr_u(&thp_br, 12), 0);
	cr_assert_eq(tbr_u(&thp_br, 8), 186, "general_level_idc");
	cr_assert_eq(tbr_ue(&thp_br), 5, "sps id");
	cr_assert_eq(tbr_ue(&thp_br), 1, "chroma_format_idc");
	cr_assert_eq(tbr_ue(&thp_br), 328);
	cr_assert_eq(tbr_ue(&thp_br), 184);
	cr_assert_eq(tbr_u(&thp_br, 1), 0, "conformance_window_flag");
	cr_assert_eq(tbr_ue(&thp_br), 2, "bit_depth_luma_minus8");
	cr_assert_eq(tbr_ue(&thp_br), 2, "bit_depth_chroma_minus8");
}

static void thp_pps_head(const struct v4l2_ctrl_hevc_pps *p)
{
	cr_assert_eq(tbr_ue(&thp_br), p->pic_parameter_set_id);
	cr_assert_eq(tbr_ue(&thp_br), 5, "pps_seq_parameter_set_id");
	cr_assert_eq(tbr_u(&thp_br, 2), 0);
	cr_assert_eq(tbr_u(&thp_br, 3), p->num_extra_slice_header_bits);
	cr_assert_eq(tbr_u(&thp_br, 2), 2);	/* sign data hiding, no cabac_init_present */
	cr_assert_eq(tbr_ue(&thp_br), p->num_ref_idx_l0_default_active_minus1);
	cr_assert_eq(tbr_ue(&thp_br), p->num_ref_idx_l1_default_active_minus1);
	cr_assert_eq(tbr_se(&thp_br), p->init_qp_minus26);
	cr_assert_eq(tbr_u(&thp_br, 2), 0);
	cr_assert_eq(tbr_u(&thp_br, 1), 1, "cu_qp_delta_enabled_flag");
	cr_assert_eq(tbr_ue(&thp_br), p->diff_cu_qp_delta_depth);
	cr_assert_eq(tbr_se(&thp_br), p->pps_cb_qp_offset);
	cr_assert_eq(tbr_se(&thp_br), p->pps_cr_qp_offset);
	cr_assert_eq(tbr_u(&thp_br, 4), 0);
	cr_assert_eq(tbr_u(&thp_br, 1), 1, "tiles_enabled_flag");
	cr_assert_eq(tbr_u(&thp_br, 1), 1, "entropy_coding_sync_enabled_flag");
	cr_assert_eq(tbr_ue(&thp_br), 2);
	cr_assert_eq(tbr_ue(&thp_br), 1);
	cr_assert_eq(tbr_u(&thp_br, 1), 0, "uniform_spacing_flag");
	cr_assert_eq(tbr_ue(&thp_br), 3);
	cr_assert_eq(tbr_ue(&thp_br), 4);
	cr_assert_eq(tbr_ue(&thp_br), 1);
	cr_assert_eq(tbr_u(&thp_br, 1), 1, "loop_filter_across_tiles");
	cr_assert_eq(tbr_u(&thp_br, 1), 0, "loop filter across slices");
	cr_assert_eq(tbr_u(&thp_br, 1), 1, "deblocking_filter_control_present_flag");
	cr_assert_eq(tbr_u(&thp_br, 2), 0);
	cr_assert_eq(tbr_se(&thp_br), p->pps_beta_offset_div2);
	cr_assert_eq(tbr_se(&thp_br), p->pps_tc_offset_div2);
}

static struct v4l2_ctrl_hevc_pps thp_pps(void)
{
	struct v4l2_ctrl_hevc_pps p;

	memset(&p, 0, sizeof(p));
	p.pic_parameter_set_id = 9;
	p.num_extra_slice_header_bits = 2;
	p.num_ref_idx_l0_default_active_minus1 = 3;
	p.num_ref_idx_l1_default_active_minus1 = 1;
	p.init_qp_minus26 = -5;
	p.diff_cu_qp_delta_depth = 2;
	p.pps_cb_qp_offset = -3;
	p.pps_cr_qp_offset = 4;
	p.num_tile_columns_minus1 = 2;
	p.num_tile_rows_minus1 = 1;
	p.column_width_minus1[0] = 3;
	p.column_width_minus1[1] = 4;
	p.row_height_minus1[0] = 1;
	p.pps_beta_offset_div2 = -2;
	p.pps_tc_offset_div2 = 3;
	p.log2_parallel_merge_level_minus2 = 1;
	p.flags = V4L2_HEVC_PPS_FLAG_SIGN_DATA_HIDING_ENABLED |
		  V4L2_HEVC_PPS_FLAG_CU_QP_DELTA_ENABLED | V4L2_HEVC_PPS_FLAG_TILES_ENABLED |
		  V4L2_HEVC_PPS_FLAG_ENTROPY_CODING_SYNC_ENABLED |
		  V4L2_HEVC_PPS_FLAG_LOOP_FILTER_ACROSS_TILES_ENABLED |
		  V4L2_HEVC_PPS_FLAG_DEBLOCKING_FILTER_CONTROL_PRESENT;
	return p;
}

/* Read one explicit list back into raster order. */
static void thp_list(uint8_t *raster, const uint8_t *scan, unsigned int n, int *dc)
{
	int next = 8, i;

	cr_assert_eq(tbr_u(&thp_br, 1), 1, "scaling_list_pred_mode_flag");
	if (dc) {
		*dc = tbr_se(&thp_br) + 8;
		next = *dc;
	}
	for (i = 0; i < (int)n; i++) {
		next = (next + tbr_se(&thp_br) + 256) % 256;
		raster[scan[i]] = (uint8_t)next;
	}
}

Test(hevc_ps, pps_with_scaling_lists)
{
	struct v4l2_ctrl_hevc_sps s = thp_sps();
	struct v4l2_ctrl_hevc_pps p = thp_pps();
	static struct v4l2_ctrl_hevc_scaling_matrix sm, back;
	uint8_t *b = (uint8_t *)&sm;
	unsigned int i, m;
	int dc;

	/* All different, steps both ways: catches scan or DPCM mix-ups. */
	for (i = 0; i < sizeof(sm); i++)
		b[i] = (uint8_t)(1 + (i * 37 + i / 7) % 255);
	thp_load(dd_hevc_build_pps(&p, &s, &sm, thp_out, sizeof(thp_out)), 34);
	thp_pps_head(&p);
	cr_assert_eq(tbr_u(&thp_br, 1), 1, "pps_scaling_list_data_present_flag");
	for (m = 0; m < 6; m++)
		thp_list(back.scaling_list_4x4[m], dd_hevc_diag4x4, 16, NULL);
	for (m = 0; m < 6; m++)
		thp_list(back.scaling_list_8x8[m], dd_hevc_diag8x8, 64, NULL);
	for (m = 0; m < 6; m++) {
		thp_list(back.scaling_list_16x16[m], dd_hevc_diag8x8, 64, &dc);
		back.scaling_list_dc_coef_16x16[m] = (uint8_t)dc;
	}
	for (m = 0; m < 2; m++) {
		thp_list(back.scaling_list_32x32[m], dd_hevc_diag8x8, 64, &dc);
		back.scaling_list_dc_coef_32x32[m] = (uint8_t)dc;
	}
	cr_assert_eq(memcmp(&sm, &back, sizeof(sm)), 0, "scaling lists round trip");
	cr_assert_eq(tbr_u(&thp_br, 1), 0, "lists_modification_present_flag");
	cr_assert_eq(tbr_ue(&thp_br), 1);
	cr_assert_eq(tbr_u(&thp_br, 2), 0);
	cr_assert(tbr_at_trailing(&thp_br));
}

Test(hevc_ps, pps_without_scaling_lists)
{
	struct v4l2_ctrl_hevc_sps s = thp_sps();
	struct v4l2_ctrl_hevc_pps p = thp_pps();

	s.flags &= ~V4L2_HEVC_SPS_FLAG_SCALING_LIST_ENABLED;
	thp_load(dd_hevc_build_pps(&p, &s, NULL, thp_out, sizeof(thp_out)), 34);
	thp_pps_head(&p);
	cr_assert_eq(tbr_u(&thp_br, 1), 0, "pps_scaling_list_data_present_flag");
	cr_assert_eq(tbr_u(&thp_br, 1), 0);
	cr_assert_eq(tbr_ue(&thp_br), 1);
	cr_assert_eq(tbr_u(&thp_br, 2), 0);
	cr_assert(tbr_at_trailing(&thp_br));
	cr_assert_eq(dd_hevc_build_pps(&p, &s, NULL, thp_out, 10), -ENOSPC);
}

/* A TRAIL_R slice NAL: first slice, pps 0, P, POC lsb 3, then `rps` bits. */
static size_t thp_slice(uint8_t *out, size_t cap, unsigned int sps_flag, unsigned int inter)
{
	uint8_t rbsp[64];
	struct dd_bw bw;
	long n;

	dd_bw_init(&bw, rbsp, sizeof(rbsp));
	dd_bw_u(&bw, 8, 1);
	dd_bw_u(&bw, 1, 1);		/* first_slice_segment_in_pic_flag */
	dd_bw_ue(&bw, 0);		/* slice_pic_parameter_set_id */
	dd_bw_ue(&bw, 1);		/* slice_type P */
	dd_bw_u(&bw, 8, 3);		/* slice_pic_order_cnt_lsb */
	dd_bw_u(&bw, 1, sps_flag);
	if (sps_flag) {
		dd_bw_u(&bw, 2, 1);	/* short_term_ref_pic_set_idx */
	} else {
		dd_bw_u(&bw, 1, inter);
		dd_bw_ue(&bw, 1);
		dd_bw_ue(&bw, 0);
		dd_bw_ue(&bw, 0);
		dd_bw_u(&bw, 1, 1);
	}
	dd_bw_u(&bw, 16, 0xabcd);
	dd_bw_trailing(&bw);
	n = dd_nal_wrap(out, cap, 1 << 1, rbsp, dd_bw_bytes(&bw));
	cr_assert_gt(n, 0);
	return (size_t)n;
}

Test(hevc_ps, slices_referring_to_sps_rps)
{
	struct v4l2_ctrl_hevc_sps s = thp_sps();
	struct v4l2_ctrl_hevc_pps p;
	uint8_t buf[256];
	size_t n;

	memset(&p, 0, sizeof(p));
	/* No SPS sets: nothing to look at, whatever the slices say. */
	n = thp_slice(buf, sizeof(buf), 1, 0);
	cr_assert_eq(dd_hevc_check_slices(&s, &p, buf, n), 0);
	s.num_short_term_ref_pic_sets = 3;
	cr_assert_eq(dd_hevc_check_slices(&s, &p, buf, n), -ENOTSUP);
	n = thp_slice(buf, sizeof(buf), 0, 1);
	cr_assert_eq(dd_hevc_check_slices(&s, &p, buf, n), -ENOTSUP);
	n = thp_slice(buf, sizeof(buf), 0, 0);
	cr_assert_eq(dd_hevc_check_slices(&s, &p, buf, n), 0);
	/* Two slices in one frame: the second is checked too. */
	n += thp_slice(buf + n, sizeof(buf) - n, 1, 0);
	cr_assert_eq(dd_hevc_check_slices(&s, &p, buf, n), -ENOTSUP);
}
