// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_h264_ps.c - SPS/PPS NAL units rebuilt from V4L2 controls, checked
 * by parsing them back with an independent reader (H.264 7.3.2.1/7.3.2.2).
 */
#include <errno.h>
#include <criterion/criterion.h>

#include "dd_h264_ps.h"
#include "dd_test_bitreader.h"

static uint8_t tps_out[DD_H264_PS_MAX];
static struct tbr tps_br;

static struct v4l2_ctrl_h264_sps tps_sps(void)
{
	struct v4l2_ctrl_h264_sps s;

	memset(&s, 0, sizeof(s));
	s.profile_idc = 100;
	s.constraint_set_flags = V4L2_H264_SPS_CONSTRAINT_SET1_FLAG |
				 V4L2_H264_SPS_CONSTRAINT_SET3_FLAG;
	s.level_idc = 40;
	s.seq_parameter_set_id = 3;
	s.chroma_format_idc = 1;
	s.log2_max_frame_num_minus4 = 5;
	s.pic_order_cnt_type = 0;
	s.log2_max_pic_order_cnt_lsb_minus4 = 6;
	s.max_num_ref_frames = 4;
	s.pic_width_in_mbs_minus1 = 79;
	s.pic_height_in_map_units_minus1 = 44;
	s.flags = V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY | V4L2_H264_SPS_FLAG_DIRECT_8X8_INFERENCE;
	return s;
}

static struct v4l2_ctrl_h264_pps tps_pps(void)
{
	struct v4l2_ctrl_h264_pps p;

	memset(&p, 0, sizeof(p));
	p.pic_parameter_set_id = 17;
	p.seq_parameter_set_id = 3;
	p.num_ref_idx_l0_default_active_minus1 = 2;
	p.num_ref_idx_l1_default_active_minus1 = 1;
	p.weighted_bipred_idc = 2;
	p.pic_init_qp_minus26 = -3;
	p.pic_init_qs_minus26 = 4;
	p.chroma_qp_index_offset = -2;
	p.second_chroma_qp_index_offset = -2;
	p.flags = V4L2_H264_PPS_FLAG_ENTROPY_CODING_MODE | V4L2_H264_PPS_FLAG_WEIGHTED_PRED |
		  V4L2_H264_PPS_FLAG_DEBLOCKING_FILTER_CONTROL_PRESENT;
	return p;
}

static void tps_load(long n, uint8_t nal_header)
{
	cr_assert_gt(n, 5);
	cr_assert_eq(tps_out[0], 0);
	cr_assert_eq(tps_out[1], 0);
	cr_assert_eq(tps_out[2], 0);
	cr_assert_eq(tps_out[3], 1);
	cr_assert_eq(tps_out[4], nal_header);
	tbr_init_nal(&tps_br, tps_out, n);
}

/* Parse the SPS head common to every test; returns profile_idc. */
static void tps_check_sps_tail(const struct v4l2_ctrl_h264_sps *s)
{
	struct tbr *br = &tps_br;

	cr_assert_eq(tbr_ue(br), s->log2_max_frame_num_minus4);
	cr_assert_eq(tbr_ue(br), s->pic_order_cnt_type);
	if (s->pic_order_cnt_type == 0) {
		cr_assert_eq(tbr_ue(br), s->log2_max_pic_order_cnt_lsb_minus4);
	} else if (s->pic_order_cnt_type == 1) {
		unsigned int i, n;

		cr_assert_eq(tbr_u(br, 1),
			     !!(s->flags & V4L2_H264_SPS_FLAG_DELTA_PIC_ORDER_ALWAYS_ZERO));
		cr_assert_eq(tbr_se(br), s->offset_for_non_ref_pic);
		cr_assert_eq(tbr_se(br), s->offset_for_top_to_bottom_field);
		n = tbr_ue(br);
		cr_assert_eq(n, s->num_ref_frames_in_pic_order_cnt_cycle);
		for (i = 0; i < n; i++)
			cr_assert_eq(tbr_se(br), s->offset_for_ref_frame[i]);
	}
	cr_assert_eq(tbr_ue(br), s->max_num_ref_frames);
	cr_assert_eq(tbr_u(br, 1),
		     !!(s->flags & V4L2_H264_SPS_FLAG_GAPS_IN_FRAME_NUM_VALUE_ALLOWED));
	cr_assert_eq(tbr_ue(br), s->pic_width_in_mbs_minus1);
	cr_assert_eq(tbr_ue(br), s->pic_height_in_map_units_minus1);
	cr_assert_eq(tbr_u(br, 1), !!(s->flags & V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY));
	if (!(s->flags & V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY))
		cr_assert_eq(tbr_u(br, 1),
			     !!(s->flags & V4L2_H264_SPS_FLAG_MB_ADAPTIVE_FRAME_FIELD));
	cr_assert_eq(tbr_u(br, 1), !!(s->flags & V4L2_H264_SPS_FLAG_DIRECT_8X8_INFERENCE));
	cr_assert_eq(tbr_u(br, 1), 0, "frame_cropping_flag must be 0");
	cr_assert_eq(tbr_u(br, 1), 0, "vui_parameters_present_flag must be 0");
	cr_assert(tbr_at_trailing(br));
}

Test(h264_ps, sps_high_profile_fields)
{
	struct v4l2_ctrl_h264_sps s = tps_sps();
	struct tbr *br = &tps_br;

	s.bit_depth_luma_minus8 = 2;
	s.bit_depth_chroma_minus8 = 1;
	s.flags |= V4L2_H264_SPS_FLAG_QPPRIME_Y_ZERO_TRANSFORM_BYPASS;
	tps_load(dd_h264_build_sps(&s, tps_out, sizeof(tps_out)), 0x67);
	cr_assert_eq(tbr_u(br, 8), 100);
	/* constraint_set0..5 flags, MSB first: set1 and set3. */
	cr_assert_eq(tbr_u(br, 8), 0x50);
	cr_assert_eq(tbr_u(br, 8), 40);
	cr_assert_eq(tbr_ue(br), 3);
	cr_assert_eq(tbr_ue(br), 1);		/* chroma_format_idc */
	cr_assert_eq(tbr_ue(br), 2);
	cr_assert_eq(tbr_ue(br), 1);
	cr_assert_eq(tbr_u(br, 1), 1);		/* qpprime_y_zero_transform_bypass */
	cr_assert_eq(tbr_u(br, 1), 0);		/* seq_scaling_matrix_present */
	tps_check_sps_tail(&s);
}

Test(h264_ps, sps_baseline_has_no_chroma_fields)
{
	struct v4l2_ctrl_h264_sps s = tps_sps();
	struct tbr *br = &tps_br;

	s.profile_idc = 66;
	s.constraint_set_flags = V4L2_H264_SPS_CONSTRAINT_SET0_FLAG;
	s.chroma_format_idc = 1;
	s.pic_order_cnt_type = 2;
	tps_load(dd_h264_build_sps(&s, tps_out, sizeof(tps_out)), 0x67);
	cr_assert_eq(tbr_u(br, 8), 66);
	cr_assert_eq(tbr_u(br, 8), 0x80);
	cr_assert_eq(tbr_u(br, 8), 40);
	cr_assert_eq(tbr_ue(br), 3);
	tps_check_sps_tail(&s);
}

Test(h264_ps, sps_poc_type1_and_interlace)
{
	struct v4l2_ctrl_h264_sps s = tps_sps();
	struct tbr *br = &tps_br;
	unsigned int i;

	s.pic_order_cnt_type = 1;
	s.offset_for_non_ref_pic = -5;
	s.offset_for_top_to_bottom_field = 7;
	s.num_ref_frames_in_pic_order_cnt_cycle = 255;
	for (i = 0; i < 255; i++)
		s.offset_for_ref_frame[i] = (int32_t)(i * 1000) - 100000;
	s.flags = V4L2_H264_SPS_FLAG_MB_ADAPTIVE_FRAME_FIELD |
		  V4L2_H264_SPS_FLAG_DELTA_PIC_ORDER_ALWAYS_ZERO |
		  V4L2_H264_SPS_FLAG_GAPS_IN_FRAME_NUM_VALUE_ALLOWED;
	tps_load(dd_h264_build_sps(&s, tps_out, sizeof(tps_out)), 0x67);
	tbr_u(br, 24);
	tbr_ue(br);
	cr_assert_eq(tbr_ue(br), 1);
	tbr_ue(br);
	tbr_ue(br);
	tbr_u(br, 2);
	tps_check_sps_tail(&s);
}

Test(h264_ps, sps_444_separate_colour_plane)
{
	struct v4l2_ctrl_h264_sps s = tps_sps();
	struct tbr *br = &tps_br;

	s.profile_idc = 244;
	s.chroma_format_idc = 3;
	s.flags |= V4L2_H264_SPS_FLAG_SEPARATE_COLOUR_PLANE;
	tps_load(dd_h264_build_sps(&s, tps_out, sizeof(tps_out)), 0x67);
	tbr_u(br, 24);
	tbr_ue(br);
	cr_assert_eq(tbr_ue(br), 3);
	cr_assert_eq(tbr_u(br, 1), 1);
	tbr_ue(br);
	tbr_ue(br);
	tbr_u(br, 2);
	tps_check_sps_tail(&s);
}

Test(h264_ps, sps_out_of_range_rejected)
{
	struct v4l2_ctrl_h264_sps s = tps_sps();

	s.pic_order_cnt_type = 3;
	cr_assert_eq(dd_h264_build_sps(&s, tps_out, sizeof(tps_out)), -EINVAL);
	s = tps_sps();
	s.seq_parameter_set_id = 32;
	cr_assert_eq(dd_h264_build_sps(&s, tps_out, sizeof(tps_out)), -EINVAL);
	s = tps_sps();
	s.log2_max_frame_num_minus4 = 13;
	cr_assert_eq(dd_h264_build_sps(&s, tps_out, sizeof(tps_out)), -EINVAL);
	s = tps_sps();
	cr_assert_eq(dd_h264_build_sps(&s, tps_out, 8), -ENOSPC);
}

/* Parse the PPS up to redundant_pic_cnt_present_flag. */
static void tps_check_pps_head(const struct v4l2_ctrl_h264_pps *p)
{
	struct tbr *br = &tps_br;

	cr_assert_eq(tbr_ue(br), p->pic_parameter_set_id);
	cr_assert_eq(tbr_ue(br), p->seq_parameter_set_id);
	cr_assert_eq(tbr_u(br, 1), !!(p->flags & V4L2_H264_PPS_FLAG_ENTROPY_CODING_MODE));
	cr_assert_eq(tbr_u(br, 1),
		     !!(p->flags & V4L2_H264_PPS_FLAG_BOTTOM_FIELD_PIC_ORDER_IN_FRAME_PRESENT));
	cr_assert_eq(tbr_ue(br), 0);
	cr_assert_eq(tbr_ue(br), p->num_ref_idx_l0_default_active_minus1);
	cr_assert_eq(tbr_ue(br), p->num_ref_idx_l1_default_active_minus1);
	cr_assert_eq(tbr_u(br, 1), !!(p->flags & V4L2_H264_PPS_FLAG_WEIGHTED_PRED));
	cr_assert_eq(tbr_u(br, 2), p->weighted_bipred_idc);
	cr_assert_eq(tbr_se(br), p->pic_init_qp_minus26);
	cr_assert_eq(tbr_se(br), p->pic_init_qs_minus26);
	cr_assert_eq(tbr_se(br), p->chroma_qp_index_offset);
	cr_assert_eq(tbr_u(br, 1),
		     !!(p->flags & V4L2_H264_PPS_FLAG_DEBLOCKING_FILTER_CONTROL_PRESENT));
	cr_assert_eq(tbr_u(br, 1), !!(p->flags & V4L2_H264_PPS_FLAG_CONSTRAINED_INTRA_PRED));
	cr_assert_eq(tbr_u(br, 1), !!(p->flags & V4L2_H264_PPS_FLAG_REDUNDANT_PIC_CNT_PRESENT));
}

Test(h264_ps, pps_main_profile_has_no_extension)
{
	struct v4l2_ctrl_h264_pps p = tps_pps();
	struct v4l2_ctrl_h264_sps s = tps_sps();

	s.profile_idc = 77;
	tps_load(dd_h264_build_pps(&p, &s, NULL, tps_out, sizeof(tps_out)), 0x68);
	tps_check_pps_head(&p);
	cr_assert(tbr_at_trailing(&tps_br));
}

Test(h264_ps, pps_extension_for_second_chroma_offset)
{
	struct v4l2_ctrl_h264_pps p = tps_pps();
	struct v4l2_ctrl_h264_sps s = tps_sps();
	struct tbr *br = &tps_br;

	p.second_chroma_qp_index_offset = 5;
	p.flags |= V4L2_H264_PPS_FLAG_CONSTRAINED_INTRA_PRED |
		   V4L2_H264_PPS_FLAG_BOTTOM_FIELD_PIC_ORDER_IN_FRAME_PRESENT;
	tps_load(dd_h264_build_pps(&p, &s, NULL, tps_out, sizeof(tps_out)), 0x68);
	tps_check_pps_head(&p);
	cr_assert_eq(tbr_u(br, 1), 0);		/* transform_8x8_mode_flag */
	cr_assert_eq(tbr_u(br, 1), 0);		/* pic_scaling_matrix_present_flag */
	cr_assert_eq(tbr_se(br), 5);
	cr_assert(tbr_at_trailing(br));
}

/* Read one scaling_list() back into zig-zag order; 8 is the start value. */
static void tps_read_list(struct tbr *br, uint8_t *zz, unsigned int n)
{
	int last = 8;
	unsigned int j;

	cr_assert_eq(tbr_u(br, 1), 1, "every list is explicitly present");
	for (j = 0; j < n; j++) {
		int delta = tbr_se(br);

		cr_assert(delta >= -128 && delta <= 127);
		last = (last + delta + 256) % 256;
		cr_assert_neq(last, 0, "nextScale 0 would mean 'use default'/'repeat'");
		zz[j] = (uint8_t)last;
	}
}

static void tps_scaling_case(bool t8x8, uint8_t chroma_format_idc, unsigned int expect_8x8)
{
	struct v4l2_ctrl_h264_scaling_matrix sm;
	struct v4l2_ctrl_h264_pps p = tps_pps();
	struct v4l2_ctrl_h264_sps s = tps_sps();
	struct tbr *br = &tps_br;
	uint8_t zz[64];
	unsigned int i, j;

	/* Distinct values per list and position, wrapping past 255 deltas. */
	for (i = 0; i < 6; i++)
		for (j = 0; j < 16; j++)
			sm.scaling_list_4x4[i][j] = (uint8_t)(1 + i * 40 + j * 13 % 37);
	for (i = 0; i < 6; i++)
		for (j = 0; j < 64; j++)
			sm.scaling_list_8x8[i][j] = (uint8_t)(1 + (i * 31 + j * 7) % 255);
	s.chroma_format_idc = chroma_format_idc;
	p.flags |= V4L2_H264_PPS_FLAG_SCALING_MATRIX_PRESENT;
	if (t8x8)
		p.flags |= V4L2_H264_PPS_FLAG_TRANSFORM_8X8_MODE;
	tps_load(dd_h264_build_pps(&p, &s, &sm, tps_out, sizeof(tps_out)), 0x68);
	tps_check_pps_head(&p);
	cr_assert_eq(tbr_u(br, 1), t8x8);
	cr_assert_eq(tbr_u(br, 1), 1);
	for (i = 0; i < 6; i++) {
		tps_read_list(br, zz, 16);
		/* The control is raster order: coefficient j of the scan is raster[zigzag[j]]. */
		for (j = 0; j < 16; j++)
			cr_assert_eq(zz[j], sm.scaling_list_4x4[i][dd_h264_zigzag4x4[j]],
				     "4x4 list %u pos %u", i, j);
	}
	for (i = 0; i < expect_8x8; i++) {
		tps_read_list(br, zz, 64);
		for (j = 0; j < 64; j++)
			cr_assert_eq(zz[j], sm.scaling_list_8x8[i][dd_h264_zigzag8x8[j]],
				     "8x8 list %u pos %u", i, j);
	}
	cr_assert_eq(tbr_se(br), p.second_chroma_qp_index_offset);
	cr_assert(tbr_at_trailing(br));
}

Test(h264_ps, pps_scaling_lists_4x4_only)
{
	tps_scaling_case(false, 1, 0);
}

Test(h264_ps, pps_scaling_lists_with_8x8)
{
	tps_scaling_case(true, 1, 2);
}

Test(h264_ps, pps_scaling_lists_444_has_six_8x8)
{
	tps_scaling_case(true, 3, 6);
}

Test(h264_ps, zigzag_tables_are_permutations_in_scan_order)
{
	unsigned int seen4 = 0, i;
	uint64_t seen8 = 0;

	for (i = 0; i < 16; i++)
		seen4 |= 1u << dd_h264_zigzag4x4[i];
	for (i = 0; i < 64; i++)
		seen8 |= 1ull << dd_h264_zigzag8x8[i];
	cr_assert_eq(seen4, 0xffff);
	cr_assert_eq(seen8, ~0ull);
	/* Table 8-13 spot checks: scan idx 2 is (0,1) -> raster 4; 8x8 idx 2 -> raster 8. */
	cr_assert_eq(dd_h264_zigzag4x4[2], 4);
	cr_assert_eq(dd_h264_zigzag4x4[15], 15);
	cr_assert_eq(dd_h264_zigzag8x8[2], 8);
	cr_assert_eq(dd_h264_zigzag8x8[63], 63);
	cr_assert_eq(dd_h264_zigzag8x8[35], 56);
}

Test(h264_ps, pps_unsupported_and_invalid)
{
	struct v4l2_ctrl_h264_pps p = tps_pps();
	struct v4l2_ctrl_h264_sps s = tps_sps();

	p.num_slice_groups_minus1 = 1;
	cr_assert_eq(dd_h264_build_pps(&p, &s, NULL, tps_out, sizeof(tps_out)), -ENOTSUP);
	p = tps_pps();
	p.weighted_bipred_idc = 3;
	cr_assert_eq(dd_h264_build_pps(&p, &s, NULL, tps_out, sizeof(tps_out)), -EINVAL);
	p = tps_pps();
	cr_assert_eq(dd_h264_build_pps(&p, &s, NULL, tps_out, 6), -ENOSPC);
}

Test(h264_ps, emulation_prevention_applied_to_parameter_sets)
{
	struct v4l2_ctrl_h264_sps s = tps_sps();
	long n, i;

	/* profile 0, flags 0, level 0: the RBSP starts 00 00 00 -> needs an escape. */
	s.profile_idc = 0;
	s.constraint_set_flags = 0;
	s.level_idc = 0;
	n = dd_h264_build_sps(&s, tps_out, sizeof(tps_out));
	cr_assert_gt(n, 8);
	cr_assert_eq(tps_out[5], 0);
	cr_assert_eq(tps_out[6], 0);
	cr_assert_eq(tps_out[7], 3);
	for (i = 5; i + 2 < n; i++)
		cr_assert(!(tps_out[i] == 0 && tps_out[i + 1] == 0 && tps_out[i + 2] <= 2),
			  "start code emulation at %ld", i);
}
