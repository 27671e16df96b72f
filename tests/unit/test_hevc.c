// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_hevc.c - the HEVC codec table and payload validators: x265-like
 * parameter sets pass, the kernel's normalisations happen, out-of-range
 * and unsupported fields are refused with a log line naming them.
 */
#include <criterion/criterion.h>

#include "dd_codec.h"
#include "dd_ctrl.h"
#include "dd_hevc.h"
#include "dd_proto.h"
#include "tlog.h"

/* libx265 --preset medium, 320x240, 8-bit 4:2:0. */
static void tv_sps(struct v4l2_ctrl_hevc_sps *sps)
{
	memset(sps, 0, sizeof(*sps));
	sps->pic_width_in_luma_samples = 320;
	sps->pic_height_in_luma_samples = 240;
	sps->log2_max_pic_order_cnt_lsb_minus4 = 4;
	sps->sps_max_dec_pic_buffering_minus1 = 4;
	sps->sps_max_num_reorder_pics = 2;
	sps->log2_min_luma_coding_block_size_minus3 = 0;
	sps->log2_diff_max_min_luma_coding_block_size = 3;
	sps->log2_min_luma_transform_block_size_minus2 = 0;
	sps->log2_diff_max_min_luma_transform_block_size = 3;
	sps->max_transform_hierarchy_depth_inter = 1;
	sps->max_transform_hierarchy_depth_intra = 1;
	sps->chroma_format_idc = 1;
	sps->flags = V4L2_HEVC_SPS_FLAG_AMP_ENABLED | V4L2_HEVC_SPS_FLAG_SAMPLE_ADAPTIVE_OFFSET |
		     V4L2_HEVC_SPS_FLAG_SPS_TEMPORAL_MVP_ENABLED |
		     V4L2_HEVC_SPS_FLAG_STRONG_INTRA_SMOOTHING_ENABLED;
}

static void tv_pps(struct v4l2_ctrl_hevc_pps *pps)
{
	memset(pps, 0, sizeof(*pps));
	pps->init_qp_minus26 = 0;
	pps->diff_cu_qp_delta_depth = 1;
	pps->flags = V4L2_HEVC_PPS_FLAG_SIGN_DATA_HIDING_ENABLED |
		     V4L2_HEVC_PPS_FLAG_CU_QP_DELTA_ENABLED |
		     V4L2_HEVC_PPS_FLAG_WEIGHTED_PRED |
		     V4L2_HEVC_PPS_FLAG_PPS_LOOP_FILTER_ACROSS_SLICES_ENABLED |
		     V4L2_HEVC_PPS_FLAG_DEBLOCKING_FILTER_CONTROL_PRESENT;
}

Test(hevc, table)
{
	const struct dd_codec *c = dd_codec_by_fourcc(V4L2_PIX_FMT_HEVC_SLICE);
	const struct dd_ctrl_desc *d;
	unsigned int i;

	cr_assert_eq(c, &dd_codec_hevc);
	cr_assert_eq(c->proto_codec, DD_CODEC_HEVC);
	for (i = 1; i < c->num_ctrls; i++)
		cr_assert_gt(c->ctrls[i].id, c->ctrls[i - 1].id);
	/* Frame-based, Annex B: the only menu entries offered. */
	d = dd_codec_find_ctrl(c, V4L2_CID_STATELESS_HEVC_DECODE_MODE);
	cr_assert_eq(d->min, V4L2_STATELESS_HEVC_DECODE_MODE_FRAME_BASED);
	cr_assert_eq(d->max, V4L2_STATELESS_HEVC_DECODE_MODE_FRAME_BASED);
	d = dd_codec_find_ctrl(c, V4L2_CID_STATELESS_HEVC_START_CODE);
	cr_assert_eq(d->min, V4L2_STATELESS_HEVC_START_CODE_ANNEX_B);
	cr_assert_eq(d->max, V4L2_STATELESS_HEVC_START_CODE_ANNEX_B);
	/* Dynamic arrays fit one job control each. */
	d = dd_codec_find_ctrl(c, V4L2_CID_STATELESS_HEVC_SLICE_PARAMS);
	cr_assert(d->flags & V4L2_CTRL_FLAG_DYNAMIC_ARRAY);
	cr_assert_leq(d->elem_size * dd_ctrl_elems(d), DD_PROTO_MAX_CTRL_SIZE);
	d = dd_codec_find_ctrl(c, V4L2_CID_STATELESS_HEVC_ENTRY_POINT_OFFSETS);
	cr_assert(d->flags & V4L2_CTRL_FLAG_DYNAMIC_ARRAY);
	cr_assert_leq(d->elem_size * dd_ctrl_elems(d), DD_PROTO_MAX_CTRL_SIZE);
	cr_assert(dd_codec_find_ctrl(c, V4L2_CID_STATELESS_HEVC_SPS)->required);
	cr_assert(dd_codec_find_ctrl(c, V4L2_CID_STATELESS_HEVC_PPS)->required);
	cr_assert(dd_codec_find_ctrl(c, V4L2_CID_STATELESS_HEVC_DECODE_PARAMS)->required);
	cr_assert_not(dd_codec_find_ctrl(c, V4L2_CID_STATELESS_HEVC_SCALING_MATRIX)->required);
}

Test(hevc, scaling_matrix_default_is_flat)
{
	struct dd_ctrls c;
	const struct v4l2_ctrl_hevc_scaling_matrix *sm;

	cr_assert_eq(dd_ctrls_init(&c, &dd_codec_hevc), 0);
	sm = dd_ctrls_find(&c, V4L2_CID_STATELESS_HEVC_SCALING_MATRIX)->p;
	cr_assert_eq(sm->scaling_list_4x4[0][0], 16);
	cr_assert_eq(sm->scaling_list_dc_coef_32x32[1], 16);
	dd_ctrls_free(&c);
}

Test(hevc, main10_sps_accepted)
{
	struct v4l2_ctrl_hevc_sps sps;
	struct v4l2_ctrl_hevc_pps pps;

	tv_sps(&sps);
	sps.bit_depth_luma_minus8 = 2;
	sps.bit_depth_chroma_minus8 = 2;
	/* 10-bit PCM samples fit a 10-bit picture. */
	sps.flags |= V4L2_HEVC_SPS_FLAG_PCM_ENABLED;
	sps.pcm_sample_bit_depth_luma_minus1 = 9;
	sps.pcm_sample_bit_depth_chroma_minus1 = 9;
	tlog_start();
	cr_assert_eq(dd_hevc_validate_sps(&sps), 0, "%s", tlog_buf);
	cr_assert_eq(dd_codec_ctrl_depth(&dd_codec_hevc, V4L2_CID_STATELESS_HEVC_SPS, &sps), 10);
	sps.bit_depth_luma_minus8 = 0;
	cr_assert_eq(dd_codec_ctrl_depth(&dd_codec_hevc, V4L2_CID_STATELESS_HEVC_SPS, &sps), 8);
	cr_assert_eq(dd_codec_ctrl_depth(&dd_codec_hevc, V4L2_CID_STATELESS_HEVC_PPS, &sps), 0);
	/* QpBdOffsetY 12: init_qp_minus26 down to -38. */
	tv_pps(&pps);
	pps.init_qp_minus26 = -38;
	cr_assert_eq(dd_hevc_validate_pps(&pps), 0, "%s", tlog_buf);
}

Test(hevc, sps_ok_and_normalised)
{
	struct v4l2_ctrl_hevc_sps sps, ref;

	tv_sps(&sps);
	ref = sps;
	cr_assert_eq(dd_hevc_validate_sps(&sps), 0);
	cr_assert_eq(memcmp(&sps, &ref, sizeof(sps)), 0);
	/* Without PCM / long-term refs their fields are cleared (kernel rule). */
	sps.pcm_sample_bit_depth_luma_minus1 = 7;
	sps.log2_diff_max_min_pcm_luma_coding_block_size = 2;
	sps.num_long_term_ref_pics_sps = 3;
	sps.reserved[2] = 9;
	cr_assert_eq(dd_hevc_validate_sps(&sps), 0);
	cr_assert_eq(sps.pcm_sample_bit_depth_luma_minus1, 0);
	cr_assert_eq(sps.log2_diff_max_min_pcm_luma_coding_block_size, 0);
	cr_assert_eq(sps.num_long_term_ref_pics_sps, 0);
	cr_assert_eq(sps.reserved[2], 0);
	/* With them they stay. */
	sps.flags |= V4L2_HEVC_SPS_FLAG_PCM_ENABLED | V4L2_HEVC_SPS_FLAG_LONG_TERM_REF_PICS_PRESENT;
	sps.pcm_sample_bit_depth_luma_minus1 = 7;
	sps.num_long_term_ref_pics_sps = 3;
	cr_assert_eq(dd_hevc_validate_sps(&sps), 0);
	cr_assert_eq(sps.pcm_sample_bit_depth_luma_minus1, 7);
	cr_assert_eq(sps.num_long_term_ref_pics_sps, 3);
}

#define TV_SPS_BAD(field, val, needle)					\
	do {								\
		struct v4l2_ctrl_hevc_sps s;				\
		tv_sps(&s);						\
		s.field = (val);					\
		tlog_start();						\
		cr_assert_eq(dd_hevc_validate_sps(&s), -EINVAL, #field); \
		cr_assert(tlog_has(needle), "%s", tlog_buf);		\
	} while (0)

Test(hevc, sps_refused)
{
	TV_SPS_BAD(chroma_format_idc, 2, "chroma_format_idc=2 unsupported");
	TV_SPS_BAD(chroma_format_idc, 4, "chroma_format_idc=4 out of range");
	TV_SPS_BAD(bit_depth_luma_minus8, 1, "bit_depth_luma_minus8=1 unsupported");
	TV_SPS_BAD(bit_depth_luma_minus8, 4, "bit_depth_luma_minus8=4 unsupported");
	/* Main 10 needs both at 10 bits. */
	TV_SPS_BAD(bit_depth_luma_minus8, 2, "bit_depth_chroma_minus8=0 unsupported");
	TV_SPS_BAD(bit_depth_chroma_minus8, 2, "bit_depth_chroma_minus8=2 unsupported");
	TV_SPS_BAD(seq_parameter_set_id, 16, "seq_parameter_set_id=16");
	TV_SPS_BAD(video_parameter_set_id, 16, "video_parameter_set_id=16");
	TV_SPS_BAD(log2_max_pic_order_cnt_lsb_minus4, 13, "log2_max_pic_order_cnt_lsb_minus4");
	TV_SPS_BAD(sps_max_dec_pic_buffering_minus1, 16, "sps_max_dec_pic_buffering_minus1");
	TV_SPS_BAD(sps_max_num_reorder_pics, 5, "sps_max_num_reorder_pics=5");
	TV_SPS_BAD(num_short_term_ref_pic_sets, 65, "num_short_term_ref_pic_sets=65");
	TV_SPS_BAD(sps_max_sub_layers_minus1, 7, "sps_max_sub_layers_minus1=7");
	TV_SPS_BAD(log2_diff_max_min_luma_coding_block_size, 4, "CtbLog2SizeY=7");
	TV_SPS_BAD(log2_min_luma_transform_block_size_minus2, 1,
		   "log2_min_luma_transform_block_size_minus2=1");
	TV_SPS_BAD(log2_diff_max_min_luma_transform_block_size, 4, "MaxTbLog2SizeY=6");
	TV_SPS_BAD(max_transform_hierarchy_depth_inter, 5, "max_transform_hierarchy_depth_inter");
	TV_SPS_BAD(max_transform_hierarchy_depth_intra, 5, "max_transform_hierarchy_depth_intra");
	TV_SPS_BAD(pic_width_in_luma_samples, 8200, "pic_width_in_luma_samples=8200");
	TV_SPS_BAD(pic_height_in_luma_samples, 8, "pic_height_in_luma_samples=8 ");
	TV_SPS_BAD(pic_width_in_luma_samples, 324, "324x240 is not a multiple of MinCbSizeY 8");
}

Test(hevc, sps_pcm_ranges)
{
	struct v4l2_ctrl_hevc_sps sps;

	tv_sps(&sps);
	sps.flags |= V4L2_HEVC_SPS_FLAG_PCM_ENABLED;
	sps.pcm_sample_bit_depth_luma_minus1 = 7;
	sps.pcm_sample_bit_depth_chroma_minus1 = 7;
	sps.log2_min_pcm_luma_coding_block_size_minus3 = 0;
	sps.log2_diff_max_min_pcm_luma_coding_block_size = 2;
	cr_assert_eq(dd_hevc_validate_sps(&sps), 0);
	sps.pcm_sample_bit_depth_chroma_minus1 = 8;
	tlog_start();
	cr_assert_eq(dd_hevc_validate_sps(&sps), -EINVAL);
	cr_assert(tlog_has("pcm_sample_bit_depth_chroma_minus1=8"));
	sps.pcm_sample_bit_depth_chroma_minus1 = 7;
	sps.log2_diff_max_min_pcm_luma_coding_block_size = 3;
	cr_assert_eq(dd_hevc_validate_sps(&sps), -EINVAL);
	cr_assert(tlog_has("Log2MaxIpcmCbSizeY=6"));
}

Test(hevc, pps_ok_and_normalised)
{
	struct v4l2_ctrl_hevc_pps pps, ref;

	tv_pps(&pps);
	ref = pps;
	cr_assert_eq(dd_hevc_validate_pps(&pps), 0);
	cr_assert_eq(memcmp(&pps, &ref, sizeof(pps)), 0);
	/* No tiles: tile fields cleared; deblocking disabled: offsets cleared. */
	pps.num_tile_columns_minus1 = 3;
	pps.column_width_minus1[1] = 4;
	pps.row_height_minus1[0] = 2;
	pps.flags |= V4L2_HEVC_PPS_FLAG_LOOP_FILTER_ACROSS_TILES_ENABLED |
		     V4L2_HEVC_PPS_FLAG_PPS_DISABLE_DEBLOCKING_FILTER;
	pps.flags &= ~V4L2_HEVC_PPS_FLAG_CU_QP_DELTA_ENABLED;
	pps.pps_beta_offset_div2 = 2;
	pps.pps_tc_offset_div2 = -2;
	cr_assert_eq(dd_hevc_validate_pps(&pps), 0);
	cr_assert_eq(pps.num_tile_columns_minus1, 0);
	cr_assert_eq(pps.column_width_minus1[1], 0);
	cr_assert_eq(pps.row_height_minus1[0], 0);
	cr_assert_not(pps.flags & V4L2_HEVC_PPS_FLAG_LOOP_FILTER_ACROSS_TILES_ENABLED);
	cr_assert_eq(pps.pps_beta_offset_div2, 0);
	cr_assert_eq(pps.pps_tc_offset_div2, 0);
	cr_assert_eq(pps.diff_cu_qp_delta_depth, 0);
	/* Tiles: the fields stay, the counts are bounded by the arrays. */
	pps.flags |= V4L2_HEVC_PPS_FLAG_TILES_ENABLED;
	pps.num_tile_columns_minus1 = 1;
	pps.column_width_minus1[0] = 4;
	cr_assert_eq(dd_hevc_validate_pps(&pps), 0);
	cr_assert_eq(pps.column_width_minus1[0], 4);
	pps.num_tile_columns_minus1 = 20;
	tlog_start();
	cr_assert_eq(dd_hevc_validate_pps(&pps), -EINVAL);
	cr_assert(tlog_has("num_tile_columns_minus1=20"));
	pps.num_tile_columns_minus1 = 1;
	pps.num_tile_rows_minus1 = 22;
	cr_assert_eq(dd_hevc_validate_pps(&pps), -EINVAL);
	cr_assert(tlog_has("num_tile_rows_minus1=22"));
}

#define TV_PPS_BAD(field, val, needle)					\
	do {								\
		struct v4l2_ctrl_hevc_pps p;				\
		tv_pps(&p);						\
		p.field = (val);					\
		tlog_start();						\
		cr_assert_eq(dd_hevc_validate_pps(&p), -EINVAL, #field); \
		cr_assert(tlog_has(needle), "%s", tlog_buf);		\
	} while (0)

Test(hevc, pps_refused)
{
	TV_PPS_BAD(pic_parameter_set_id, 64, "pic_parameter_set_id=64");
	TV_PPS_BAD(num_ref_idx_l0_default_active_minus1, 15, "num_ref_idx_l0_default");
	TV_PPS_BAD(num_ref_idx_l1_default_active_minus1, 15, "num_ref_idx_l1_default");
	TV_PPS_BAD(init_qp_minus26, 26, "init_qp_minus26=26");
	TV_PPS_BAD(init_qp_minus26, -39, "init_qp_minus26=-39");
	TV_PPS_BAD(pps_cb_qp_offset, 13, "pps_cb_qp_offset=13");
	TV_PPS_BAD(pps_cr_qp_offset, -13, "pps_cr_qp_offset=-13");
	TV_PPS_BAD(pps_beta_offset_div2, 7, "pps_beta_offset_div2=7");
	TV_PPS_BAD(pps_tc_offset_div2, -7, "pps_tc_offset_div2=-7");
	TV_PPS_BAD(log2_parallel_merge_level_minus2, 5, "log2_parallel_merge_level_minus2=5");
	TV_PPS_BAD(diff_cu_qp_delta_depth, 4, "diff_cu_qp_delta_depth=4");
	TV_PPS_BAD(num_extra_slice_header_bits, 8, "num_extra_slice_header_bits=8");
}

static void tv_slice(struct v4l2_ctrl_hevc_slice_params *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->bit_size = 8000;
	sp->data_byte_offset = 12;
	sp->nal_unit_type = 19;	/* IDR_W_RADL */
	sp->nuh_temporal_id_plus1 = 1;
	sp->slice_type = V4L2_HEVC_SLICE_TYPE_I;
}

#define TV_SLICE_BAD(field, val, needle)				\
	do {								\
		struct v4l2_ctrl_hevc_slice_params sp;			\
		tv_slice(&sp);						\
		sp.field = (val);					\
		tlog_start();						\
		cr_assert_eq(dd_hevc_validate_slice_params(&sp), -EINVAL, #field); \
		cr_assert(tlog_has(needle), "%s", tlog_buf);		\
	} while (0)

Test(hevc, slice_params)
{
	struct v4l2_ctrl_hevc_slice_params sp;

	tv_slice(&sp);
	sp.reserved0[1] = 3;
	sp.reserved1[0] = 1;
	cr_assert_eq(dd_hevc_validate_slice_params(&sp), 0);
	cr_assert_eq(sp.reserved0[1], 0);
	cr_assert_eq(sp.reserved1[0], 0);
	/* l1 only counts in B slices (the kernel's rule). */
	sp.num_ref_idx_l1_active_minus1 = 20;
	cr_assert_eq(dd_hevc_validate_slice_params(&sp), 0);
	sp.slice_type = V4L2_HEVC_SLICE_TYPE_B;
	cr_assert_eq(dd_hevc_validate_slice_params(&sp), -EINVAL);
	TV_SLICE_BAD(num_ref_idx_l0_active_minus1, 16, "num_ref_idx_l0_active_minus1=16");
	TV_SLICE_BAD(nal_unit_type, 12, "nal_unit_type=12 is not a coded slice");
	TV_SLICE_BAD(nal_unit_type, 32, "nal_unit_type=32 is not a coded slice");
	TV_SLICE_BAD(nuh_temporal_id_plus1, 0, "nuh_temporal_id_plus1=0");
	TV_SLICE_BAD(slice_type, 3, "slice_type=3");
	TV_SLICE_BAD(colour_plane_id, 3, "colour_plane_id=3");
	TV_SLICE_BAD(collocated_ref_idx, 16, "collocated_ref_idx=16");
	TV_SLICE_BAD(five_minus_max_num_merge_cand, 5, "five_minus_max_num_merge_cand=5");
	TV_SLICE_BAD(slice_cb_qp_offset, 13, "slice_cb_qp_offset=13");
	TV_SLICE_BAD(slice_cr_qp_offset, -13, "slice_cr_qp_offset=-13");
	TV_SLICE_BAD(slice_beta_offset_div2, 7, "slice_beta_offset_div2=7");
	TV_SLICE_BAD(slice_tc_offset_div2, 7, "slice_tc_offset_div2=7");
	TV_SLICE_BAD(pic_struct, 13, "pic_struct=13");
	TV_SLICE_BAD(data_byte_offset, 1001, "data_byte_offset=1001");
}

Test(hevc, decode_params)
{
	struct v4l2_ctrl_hevc_decode_params dp;

	memset(&dp, 0, sizeof(dp));
	dp.num_active_dpb_entries = 3;
	dp.num_poc_st_curr_before = 2;
	dp.num_poc_st_curr_after = 1;
	dp.poc_st_curr_before[0] = 0;
	dp.poc_st_curr_before[1] = 1;
	dp.poc_st_curr_after[0] = 2;
	dp.reserved[1] = 4;
	cr_assert_eq(dd_hevc_validate_decode_params(&dp), 0);
	cr_assert_eq(dp.reserved[1], 0);
	/* A hole GStreamer leaves for a missing reference passes. */
	dp.poc_st_curr_after[0] = 0xff;
	cr_assert_eq(dd_hevc_validate_decode_params(&dp), 0);
	dp.poc_st_curr_after[0] = 3;
	tlog_start();
	cr_assert_eq(dd_hevc_validate_decode_params(&dp), -EINVAL);
	cr_assert(tlog_has("poc_st_curr_after[0]=3, only 3 DPB entries"));
	dp.poc_st_curr_after[0] = 2;
	dp.num_poc_lt_curr = 1;
	cr_assert_eq(dd_hevc_validate_decode_params(&dp), -EINVAL);
	cr_assert(tlog_has("NumPicTotalCurr=4"));
	dp.num_poc_lt_curr = 0;
	dp.num_active_dpb_entries = 17;
	cr_assert_eq(dd_hevc_validate_decode_params(&dp), -EINVAL);
	cr_assert(tlog_has("num_active_dpb_entries=17"));
}

/* check_request's getter over a fixed SPS / PPS (NULL: not carried). */
struct th_req {
	const struct v4l2_ctrl_hevc_sps *sps;
	const struct v4l2_ctrl_hevc_pps *pps;
};

static const void *th_get(void *priv, u32 id)
{
	const struct th_req *r = priv;

	if (id == V4L2_CID_STATELESS_HEVC_SPS)
		return r->sps;
	if (id == V4L2_CID_STATELESS_HEVC_PPS)
		return r->pps;
	return NULL;
}

Test(hevc, init_qp_follows_sps_depth)
{
	struct v4l2_ctrl_hevc_sps sps;
	struct v4l2_ctrl_hevc_pps pps;
	struct th_req r = { &sps, &pps };

	cr_assert_eq(dd_codec_hevc.check_request, dd_hevc_check_request);
	tv_sps(&sps);
	tv_pps(&pps);
	pps.init_qp_minus26 = -26;
	cr_assert_eq(dd_hevc_check_request(th_get, &r, 320, 240), 0);
	/* QpBdOffsetY 0 at 8 bits: -27 is out of range... */
	pps.init_qp_minus26 = -27;
	tlog_start();
	cr_assert_eq(dd_hevc_check_request(th_get, &r, 320, 240), -EINVAL);
	cr_assert(tlog_has("init_qp_minus26=-27 out of range [-26, 25] "
			   "(sps bit_depth_luma_minus8=0)"), "%s", tlog_buf);
	/* ...and fine at 10 bits, down to -38. */
	sps.bit_depth_luma_minus8 = 2;
	sps.bit_depth_chroma_minus8 = 2;
	cr_assert_eq(dd_hevc_check_request(th_get, &r, 320, 240), 0);
	pps.init_qp_minus26 = -38;
	cr_assert_eq(dd_hevc_check_request(th_get, &r, 320, 240), 0);
	/* Without the SPS in the request there is nothing to compare. */
	r.sps = NULL;
	pps.init_qp_minus26 = -38;
	cr_assert_eq(dd_hevc_check_request(th_get, &r, 320, 240), 0);
}
