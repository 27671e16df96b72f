// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_h264_ps.c - SPS/PPS NAL units from V4L2 H.264 stateless controls
 * (syntax of ITU-T H.264 7.3.2.1.1 and 7.3.2.2).
 */
#include "dd_os.h"
#include "dd_bitwriter.h"
#include "dd_h264_ps.h"

/* Raster index of the n-th coefficient in frame zig-zag scan order. */
const uint8_t dd_h264_zigzag4x4[16] = {
	0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15,
};

const uint8_t dd_h264_zigzag8x8[64] = {
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
};

static bool dd_h264_has_chroma_format(uint8_t profile_idc)
{
	switch (profile_idc) {
	case 100: case 110: case 122: case 244: case 44: case 83:
	case 86: case 118: case 128: case 138: case 139: case 134: case 135:
		return true;
	default:
		return false;
	}
}

static long dd_h264_finish(struct dd_bw *bw, uint8_t nal_header, uint8_t *out, size_t cap)
{
	long n;

	dd_bw_trailing(bw);
	if (bw->overflow)
		return -ENOSPC;
	n = dd_nal_wrap(out, cap, nal_header, bw->buf, dd_bw_bytes(bw));
	return n < 0 ? -ENOSPC : n;
}

long dd_h264_build_sps(const struct v4l2_ctrl_h264_sps *sps, uint8_t *out, size_t cap)
{
	uint8_t rbsp[DD_H264_PS_MAX];
	struct dd_bw bw;
	unsigned int i;

	if (sps->seq_parameter_set_id > 31 || sps->chroma_format_idc > 3 ||
	    sps->bit_depth_luma_minus8 > 6 || sps->bit_depth_chroma_minus8 > 6 ||
	    sps->log2_max_frame_num_minus4 > 12 || sps->pic_order_cnt_type > 2 ||
	    sps->log2_max_pic_order_cnt_lsb_minus4 > 12) {
		dd_err("h264: SPS control has out-of-range fields");
		return -EINVAL;
	}
	dd_bw_init(&bw, rbsp, sizeof(rbsp));
	dd_bw_u(&bw, 8, sps->profile_idc);
	for (i = 0; i < 6; i++)
		dd_bw_u(&bw, 1, (sps->constraint_set_flags >> i) & 1);
	dd_bw_u(&bw, 2, 0);			/* reserved_zero_2bits */
	dd_bw_u(&bw, 8, sps->level_idc);
	dd_bw_ue(&bw, sps->seq_parameter_set_id);
	if (dd_h264_has_chroma_format(sps->profile_idc)) {
		dd_bw_ue(&bw, sps->chroma_format_idc);
		if (sps->chroma_format_idc == 3)
			dd_bw_u(&bw, 1, !!(sps->flags & V4L2_H264_SPS_FLAG_SEPARATE_COLOUR_PLANE));
		dd_bw_ue(&bw, sps->bit_depth_luma_minus8);
		dd_bw_ue(&bw, sps->bit_depth_chroma_minus8);
		dd_bw_u(&bw, 1,
			!!(sps->flags & V4L2_H264_SPS_FLAG_QPPRIME_Y_ZERO_TRANSFORM_BYPASS));
		dd_bw_u(&bw, 1, 0);		/* seq_scaling_matrix_present_flag */
	}
	dd_bw_ue(&bw, sps->log2_max_frame_num_minus4);
	dd_bw_ue(&bw, sps->pic_order_cnt_type);
	if (sps->pic_order_cnt_type == 0) {
		dd_bw_ue(&bw, sps->log2_max_pic_order_cnt_lsb_minus4);
	} else if (sps->pic_order_cnt_type == 1) {
		dd_bw_u(&bw, 1, !!(sps->flags & V4L2_H264_SPS_FLAG_DELTA_PIC_ORDER_ALWAYS_ZERO));
		dd_bw_se(&bw, sps->offset_for_non_ref_pic);
		dd_bw_se(&bw, sps->offset_for_top_to_bottom_field);
		dd_bw_ue(&bw, sps->num_ref_frames_in_pic_order_cnt_cycle);
		for (i = 0; i < sps->num_ref_frames_in_pic_order_cnt_cycle; i++)
			dd_bw_se(&bw, sps->offset_for_ref_frame[i]);
	}
	dd_bw_ue(&bw, sps->max_num_ref_frames);
	dd_bw_u(&bw, 1, !!(sps->flags & V4L2_H264_SPS_FLAG_GAPS_IN_FRAME_NUM_VALUE_ALLOWED));
	dd_bw_ue(&bw, sps->pic_width_in_mbs_minus1);
	dd_bw_ue(&bw, sps->pic_height_in_map_units_minus1);
	dd_bw_u(&bw, 1, !!(sps->flags & V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY));
	if (!(sps->flags & V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY))
		dd_bw_u(&bw, 1, !!(sps->flags & V4L2_H264_SPS_FLAG_MB_ADAPTIVE_FRAME_FIELD));
	dd_bw_u(&bw, 1, !!(sps->flags & V4L2_H264_SPS_FLAG_DIRECT_8X8_INFERENCE));
	dd_bw_u(&bw, 1, 0);			/* frame_cropping_flag */
	dd_bw_u(&bw, 1, 0);			/* vui_parameters_present_flag */
	return dd_h264_finish(&bw, 0x67, out, cap);	/* nal_ref_idc 3, type 7 */
}

/* scaling_list() with every value explicit (never the "use default" escape). */
static void dd_h264_write_list(struct dd_bw *bw, const uint8_t *raster, const uint8_t *zigzag,
			       unsigned int n)
{
	int last = 8;
	unsigned int j;

	dd_bw_u(bw, 1, 1);			/* scaling_list_present_flag */
	for (j = 0; j < n; j++) {
		int next = raster[zigzag[j]];
		int delta = ((next - last + 128) & 255) - 128;

		dd_bw_se(bw, delta);
		last = next;
	}
}

long dd_h264_build_pps(const struct v4l2_ctrl_h264_pps *pps,
		       const struct v4l2_ctrl_h264_sps *sps,
		       const struct v4l2_ctrl_h264_scaling_matrix *scaling,
		       uint8_t *out, size_t cap)
{
	bool t8x8 = pps->flags & V4L2_H264_PPS_FLAG_TRANSFORM_8X8_MODE;
	bool matrix = (pps->flags & V4L2_H264_PPS_FLAG_SCALING_MATRIX_PRESENT) && scaling;
	uint8_t rbsp[DD_H264_PS_MAX];
	struct dd_bw bw;
	unsigned int i, n8;

	if (pps->num_slice_groups_minus1) {
		dd_err("h264: slice groups (FMO) are not supported");
		return -ENOTSUP;
	}
	if (pps->weighted_bipred_idc > 2) {
		dd_err("h264: PPS weighted_bipred_idc %u out of range", pps->weighted_bipred_idc);
		return -EINVAL;
	}
	dd_bw_init(&bw, rbsp, sizeof(rbsp));
	dd_bw_ue(&bw, pps->pic_parameter_set_id);
	dd_bw_ue(&bw, pps->seq_parameter_set_id);
	dd_bw_u(&bw, 1, !!(pps->flags & V4L2_H264_PPS_FLAG_ENTROPY_CODING_MODE));
	dd_bw_u(&bw, 1,
		!!(pps->flags & V4L2_H264_PPS_FLAG_BOTTOM_FIELD_PIC_ORDER_IN_FRAME_PRESENT));
	dd_bw_ue(&bw, 0);			/* num_slice_groups_minus1 */
	dd_bw_ue(&bw, pps->num_ref_idx_l0_default_active_minus1);
	dd_bw_ue(&bw, pps->num_ref_idx_l1_default_active_minus1);
	dd_bw_u(&bw, 1, !!(pps->flags & V4L2_H264_PPS_FLAG_WEIGHTED_PRED));
	dd_bw_u(&bw, 2, pps->weighted_bipred_idc);
	dd_bw_se(&bw, pps->pic_init_qp_minus26);
	dd_bw_se(&bw, pps->pic_init_qs_minus26);
	dd_bw_se(&bw, pps->chroma_qp_index_offset);
	dd_bw_u(&bw, 1, !!(pps->flags & V4L2_H264_PPS_FLAG_DEBLOCKING_FILTER_CONTROL_PRESENT));
	dd_bw_u(&bw, 1, !!(pps->flags & V4L2_H264_PPS_FLAG_CONSTRAINED_INTRA_PRED));
	dd_bw_u(&bw, 1, !!(pps->flags & V4L2_H264_PPS_FLAG_REDUNDANT_PIC_CNT_PRESENT));
	/*
	 * The High-profile extension only when something in it differs from
	 * its inferred value: decoders skip it for Baseline/Main streams.
	 */
	if (t8x8 || matrix || pps->second_chroma_qp_index_offset != pps->chroma_qp_index_offset) {
		dd_bw_u(&bw, 1, t8x8);
		dd_bw_u(&bw, 1, matrix);
		if (matrix) {
			for (i = 0; i < 6; i++)
				dd_h264_write_list(&bw, scaling->scaling_list_4x4[i],
						   dd_h264_zigzag4x4, 16);
			n8 = t8x8 ? (sps && sps->chroma_format_idc == 3 ? 6 : 2) : 0;
			for (i = 0; i < n8; i++)
				dd_h264_write_list(&bw, scaling->scaling_list_8x8[i],
						   dd_h264_zigzag8x8, 64);
		}
		dd_bw_se(&bw, pps->second_chroma_qp_index_offset);
	}
	return dd_h264_finish(&bw, 0x68, out, cap);	/* nal_ref_idc 3, type 8 */
}
