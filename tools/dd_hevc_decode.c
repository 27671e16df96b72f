// SPDX-License-Identifier: GPL-2.0
/*
 * dd_hevc_decode.c - daedalus-decode for HEVC Annex-B streams: NAL units
 * and headers parsed with GStreamer's h265 parser; each picture becomes one
 * request carrying its slice NAL units (3-byte start codes) and the SPS,
 * PPS, scaling matrix, decode parameters, slice parameters (one element
 * per slice segment) and entry point offsets, filled as v4l2codecs'
 * v4l2slh265dec fills them in its frame-based mode.
 *
 * The client side of the decoding process is this file's: picture order
 * count (H.265 8.3.1), reference picture set and marking (8.3.2), the
 * reference picture lists of each slice (8.3.4), and output in POC order by
 * the DPB bumping process of C.5.2 (sps_max_num_reorder_pics,
 * SpsMaxLatencyPictures, sps_max_dec_pic_buffering).  References are named
 * by the timestamp of the request that produced them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/codecparsers/gsth265parser.h>

#include "dd_frame_dec.h"
#include "dd_hevc_decode.h"

#define HV_DPB		16
#define HV_MAX_SLICES	200
#define HV_MAX_EPO	4096

struct hv_pic {
	bool used;
	bool ref;		/* short- or long-term reference */
	bool lt;
	bool output;		/* needed for output */
	int32_t poc;
	unsigned int latency;
	uint64_t ts;
};

struct hv_state {
	struct dd_fdec fd;
	const struct dd_tool_opts *o;
	GstH265Parser *parser;
	struct dd_out_info info;
	unsigned int crop_x, crop_y;
	unsigned int coded_w, coded_h, dpb_size, depth;
	const GstH265SPS *sps;		/* active, owned by the parser */

	struct hv_pic dpb[HV_DPB + 1];
	bool first_pic;			/* nothing decoded yet in this stream */
	bool eos;			/* an end of sequence came before */
	bool no_rasl_output;		/* of the last IRAP */
	int32_t prev_tid0_poc;

	/* The picture being gathered. */
	bool in_pic, skip_pic;
	bool cur_output;
	bool cur_irap_reset;
	int32_t poc;
	uint8_t *bits;
	size_t len, cap;
	struct v4l2_ctrl_hevc_sps c_sps;
	struct v4l2_ctrl_hevc_pps c_pps;
	struct v4l2_ctrl_hevc_scaling_matrix c_sm;
	struct v4l2_ctrl_hevc_decode_params c_dp;
	struct v4l2_ctrl_hevc_slice_params sp[HV_MAX_SLICES];
	unsigned int nsp;
	uint32_t epo[HV_MAX_EPO];
	unsigned int nepo;
	uint64_t dpb_ts[HV_DPB];	/* c_dp.dpb[] as DPB slots */
	int dpb_slot[HV_DPB];
	/* RefPicSetStCurrBefore/After, LtCurr as c_dp.dpb indices (0xff: missing). */
	unsigned int pictures;
};

static int hv_err(struct hv_state *st, const char *what)
{
	fprintf(stderr, "daedalus-decode: %s: %s\n", st->o->path, what);
	return -EINVAL;
}

/* Output the needed-for-output picture with the smallest POC (C.5.2.4). */
static int hv_bump(struct hv_state *st)
{
	struct hv_pic *best = NULL;
	unsigned int i;
	int ret;

	for (i = 0; i < DD_ARRAY_SIZE(st->dpb); i++) {
		struct hv_pic *p = &st->dpb[i];

		if (p->used && p->output && (!best || p->poc < best->poc))
			best = p;
	}
	if (!best)
		return 0;
	best->output = false;
	ret = dd_fdec_output(&st->fd, best->ts, &st->info, st->crop_x, st->crop_y);
	if (!best->ref)
		best->used = false;
	return ret ? ret : 1;
}

static unsigned int hv_count(const struct hv_state *st, bool output_only)
{
	unsigned int i, n = 0;

	for (i = 0; i < DD_ARRAY_SIZE(st->dpb); i++)
		if (st->dpb[i].used && (!output_only || st->dpb[i].output))
			n++;
	return n;
}

static bool hv_latency_hit(const struct hv_state *st)
{
	const GstH265SPS *sps = st->sps;
	unsigned int i, max_latency;

	if (!sps->max_latency_increase_plus1[sps->max_sub_layers_minus1])
		return false;
	max_latency = sps->max_num_reorder_pics[sps->max_sub_layers_minus1] +
		      sps->max_latency_increase_plus1[sps->max_sub_layers_minus1] - 1;
	for (i = 0; i < DD_ARRAY_SIZE(st->dpb); i++)
		if (st->dpb[i].used && st->dpb[i].output && st->dpb[i].latency >= max_latency)
			return true;
	return false;
}

/* Mark a picture unused for reference: the device may recycle its buffer. */
static int hv_unref(struct hv_state *st, struct hv_pic *p)
{
	if (!p->ref)
		return 0;
	p->ref = false;
	p->lt = false;
	if (!p->output)
		p->used = false;
	return dd_fdec_release(&st->fd, p->ts);
}

/* Output everything in POC order (or drop it), unreference everything. */
static int hv_flush_dpb(struct hv_state *st, bool output)
{
	unsigned int i;
	int ret = 0;

	while (output && !ret && (ret = hv_bump(st)) == 1)
		ret = 0;
	for (i = 0; !ret && i < DD_ARRAY_SIZE(st->dpb); i++) {
		struct hv_pic *p = &st->dpb[i];

		if (!p->used)
			continue;
		if (p->output) {
			p->output = false;
			ret = dd_fdec_hide(&st->fd, p->ts);
		}
		if (!ret)
			ret = hv_unref(st, p);
		p->used = false;
	}
	return ret;
}

static void hv_fill_sps(struct hv_state *st, const GstH265SPS *sps)
{
	struct v4l2_ctrl_hevc_sps *c = &st->c_sps;
	unsigned int hl = sps->max_sub_layers_minus1;

	memset(c, 0, sizeof(*c));
	c->video_parameter_set_id = sps->vps ? sps->vps->id : sps->vps_id;
	c->seq_parameter_set_id = sps->id;
	c->pic_width_in_luma_samples = sps->pic_width_in_luma_samples;
	c->pic_height_in_luma_samples = sps->pic_height_in_luma_samples;
	c->bit_depth_luma_minus8 = sps->bit_depth_luma_minus8;
	c->bit_depth_chroma_minus8 = sps->bit_depth_chroma_minus8;
	c->log2_max_pic_order_cnt_lsb_minus4 = sps->log2_max_pic_order_cnt_lsb_minus4;
	c->sps_max_dec_pic_buffering_minus1 = sps->max_dec_pic_buffering_minus1[hl];
	c->sps_max_num_reorder_pics = sps->max_num_reorder_pics[hl];
	c->sps_max_latency_increase_plus1 = sps->max_latency_increase_plus1[hl];
	c->log2_min_luma_coding_block_size_minus3 = sps->log2_min_luma_coding_block_size_minus3;
	c->log2_diff_max_min_luma_coding_block_size =
		sps->log2_diff_max_min_luma_coding_block_size;
	c->log2_min_luma_transform_block_size_minus2 = sps->log2_min_transform_block_size_minus2;
	c->log2_diff_max_min_luma_transform_block_size =
		sps->log2_diff_max_min_transform_block_size;
	c->max_transform_hierarchy_depth_inter = sps->max_transform_hierarchy_depth_inter;
	c->max_transform_hierarchy_depth_intra = sps->max_transform_hierarchy_depth_intra;
	c->num_short_term_ref_pic_sets = sps->num_short_term_ref_pic_sets;
	c->num_long_term_ref_pics_sps = sps->num_long_term_ref_pics_sps;
	c->chroma_format_idc = sps->chroma_format_idc;
	c->sps_max_sub_layers_minus1 = sps->max_sub_layers_minus1;
	c->flags = (sps->separate_colour_plane_flag ? V4L2_HEVC_SPS_FLAG_SEPARATE_COLOUR_PLANE : 0) |
		   (sps->scaling_list_enabled_flag ? V4L2_HEVC_SPS_FLAG_SCALING_LIST_ENABLED : 0) |
		   (sps->amp_enabled_flag ? V4L2_HEVC_SPS_FLAG_AMP_ENABLED : 0) |
		   (sps->sample_adaptive_offset_enabled_flag ?
			V4L2_HEVC_SPS_FLAG_SAMPLE_ADAPTIVE_OFFSET : 0) |
		   (sps->long_term_ref_pics_present_flag ?
			V4L2_HEVC_SPS_FLAG_LONG_TERM_REF_PICS_PRESENT : 0) |
		   (sps->temporal_mvp_enabled_flag ?
			V4L2_HEVC_SPS_FLAG_SPS_TEMPORAL_MVP_ENABLED : 0) |
		   (sps->strong_intra_smoothing_enabled_flag ?
			V4L2_HEVC_SPS_FLAG_STRONG_INTRA_SMOOTHING_ENABLED : 0);
	if (sps->pcm_enabled_flag) {
		c->pcm_sample_bit_depth_luma_minus1 = sps->pcm_sample_bit_depth_luma_minus1;
		c->pcm_sample_bit_depth_chroma_minus1 = sps->pcm_sample_bit_depth_chroma_minus1;
		c->log2_min_pcm_luma_coding_block_size_minus3 =
			sps->log2_min_pcm_luma_coding_block_size_minus3;
		c->log2_diff_max_min_pcm_luma_coding_block_size =
			sps->log2_diff_max_min_pcm_luma_coding_block_size;
		c->flags |= V4L2_HEVC_SPS_FLAG_PCM_ENABLED |
			    (sps->pcm_loop_filter_disabled_flag ?
				V4L2_HEVC_SPS_FLAG_PCM_LOOP_FILTER_DISABLED : 0);
	}
}

static void hv_fill_pps(struct hv_state *st, const GstH265PPS *pps)
{
	struct v4l2_ctrl_hevc_pps *c = &st->c_pps;
	int i;

	memset(c, 0, sizeof(*c));
	c->pic_parameter_set_id = pps->id;
	c->num_extra_slice_header_bits = pps->num_extra_slice_header_bits;
	c->num_ref_idx_l0_default_active_minus1 = pps->num_ref_idx_l0_default_active_minus1;
	c->num_ref_idx_l1_default_active_minus1 = pps->num_ref_idx_l1_default_active_minus1;
	c->init_qp_minus26 = pps->init_qp_minus26;
	c->diff_cu_qp_delta_depth = pps->diff_cu_qp_delta_depth;
	c->pps_cb_qp_offset = pps->cb_qp_offset;
	c->pps_cr_qp_offset = pps->cr_qp_offset;
	c->pps_beta_offset_div2 = pps->beta_offset_div2;
	c->pps_tc_offset_div2 = pps->tc_offset_div2;
	c->log2_parallel_merge_level_minus2 = pps->log2_parallel_merge_level_minus2;
#define F(cond, flag) ((cond) ? V4L2_HEVC_PPS_FLAG_##flag : 0)
	c->flags = F(pps->dependent_slice_segments_enabled_flag, DEPENDENT_SLICE_SEGMENT_ENABLED) |
		   F(pps->output_flag_present_flag, OUTPUT_FLAG_PRESENT) |
		   F(pps->sign_data_hiding_enabled_flag, SIGN_DATA_HIDING_ENABLED) |
		   F(pps->cabac_init_present_flag, CABAC_INIT_PRESENT) |
		   F(pps->constrained_intra_pred_flag, CONSTRAINED_INTRA_PRED) |
		   F(pps->transform_skip_enabled_flag, TRANSFORM_SKIP_ENABLED) |
		   F(pps->cu_qp_delta_enabled_flag, CU_QP_DELTA_ENABLED) |
		   F(pps->slice_chroma_qp_offsets_present_flag,
		     PPS_SLICE_CHROMA_QP_OFFSETS_PRESENT) |
		   F(pps->weighted_pred_flag, WEIGHTED_PRED) |
		   F(pps->weighted_bipred_flag, WEIGHTED_BIPRED) |
		   F(pps->transquant_bypass_enabled_flag, TRANSQUANT_BYPASS_ENABLED) |
		   F(pps->tiles_enabled_flag, TILES_ENABLED) |
		   F(pps->entropy_coding_sync_enabled_flag, ENTROPY_CODING_SYNC_ENABLED) |
		   F(pps->loop_filter_across_tiles_enabled_flag,
		     LOOP_FILTER_ACROSS_TILES_ENABLED) |
		   F(pps->loop_filter_across_slices_enabled_flag,
		     PPS_LOOP_FILTER_ACROSS_SLICES_ENABLED) |
		   F(pps->deblocking_filter_override_enabled_flag,
		     DEBLOCKING_FILTER_OVERRIDE_ENABLED) |
		   F(pps->deblocking_filter_disabled_flag, PPS_DISABLE_DEBLOCKING_FILTER) |
		   F(pps->lists_modification_present_flag, LISTS_MODIFICATION_PRESENT) |
		   F(pps->slice_segment_header_extension_present_flag,
		     SLICE_SEGMENT_HEADER_EXTENSION_PRESENT) |
		   F(pps->deblocking_filter_control_present_flag,
		     DEBLOCKING_FILTER_CONTROL_PRESENT) |
		   F(pps->uniform_spacing_flag, UNIFORM_SPACING);
#undef F
	if (pps->tiles_enabled_flag) {
		c->num_tile_columns_minus1 = pps->num_tile_columns_minus1;
		c->num_tile_rows_minus1 = pps->num_tile_rows_minus1;
		for (i = 0; i <= pps->num_tile_columns_minus1 && i < 20; i++)
			c->column_width_minus1[i] = pps->column_width_minus1[i];
		for (i = 0; i <= pps->num_tile_rows_minus1 && i < 22; i++)
			c->row_height_minus1[i] = pps->row_height_minus1[i];
	}
}

/* The lists in force: the PPS's, else the SPS's, else the defaults (in the PPS). */
static void hv_fill_scaling(struct hv_state *st, const GstH265PPS *pps)
{
	struct v4l2_ctrl_hevc_scaling_matrix *c = &st->c_sm;
	const GstH265ScalingList *sl;
	unsigned int i;

	if (!pps->sps->scaling_list_enabled_flag) {
		memset(c, 0, sizeof(*c));
		return;
	}
	if (pps->scaling_list_data_present_flag || !pps->sps->scaling_list_data_present_flag)
		sl = &pps->scaling_list;
	else
		sl = &pps->sps->scaling_list;
	for (i = 0; i < 6; i++) {
		gst_h265_quant_matrix_4x4_get_raster_from_uprightdiagonal(
			c->scaling_list_4x4[i], sl->scaling_lists_4x4[i]);
		gst_h265_quant_matrix_8x8_get_raster_from_uprightdiagonal(
			c->scaling_list_8x8[i], sl->scaling_lists_8x8[i]);
		gst_h265_quant_matrix_16x16_get_raster_from_uprightdiagonal(
			c->scaling_list_16x16[i], sl->scaling_lists_16x16[i]);
		c->scaling_list_dc_coef_16x16[i] = sl->scaling_list_dc_coef_minus8_16x16[i] + 8;
	}
	for (i = 0; i < 2; i++) {
		gst_h265_quant_matrix_32x32_get_raster_from_uprightdiagonal(
			c->scaling_list_32x32[i], sl->scaling_lists_32x32[i]);
		c->scaling_list_dc_coef_32x32[i] = sl->scaling_list_dc_coef_minus8_32x32[i] + 8;
	}
}

static bool hv_is_irap(unsigned int t)
{
	return t >= GST_H265_NAL_SLICE_BLA_W_LP && t <= 23;
}

static bool hv_is_idr(unsigned int t)
{
	return t == GST_H265_NAL_SLICE_IDR_W_RADL || t == GST_H265_NAL_SLICE_IDR_N_LP;
}

static bool hv_is_rasl(unsigned int t)
{
	return t == GST_H265_NAL_SLICE_RASL_N || t == GST_H265_NAL_SLICE_RASL_R;
}

/* Sub-layer non-reference, RADL or RASL: not a prevTid0Pic (8.3.1). */
static bool hv_not_tid0_anchor(unsigned int t)
{
	return (t <= 14 && !(t & 1)) || (t >= GST_H265_NAL_SLICE_RADL_N && t <= 9);
}

static struct hv_pic *hv_find_ref(struct hv_state *st, int32_t poc, int32_t mask, bool lt)
{
	unsigned int i;

	for (i = 0; i < DD_ARRAY_SIZE(st->dpb); i++) {
		struct hv_pic *p = &st->dpb[i];

		if (p->used && p->ref && (p->poc & mask) == (poc & mask) && (lt || !p->lt))
			return p;
	}
	return NULL;
}

/*
 * The reference picture set of the picture (8.3.2): mark the DPB, list
 * its references in the decode parameters.
 */
static int hv_rps(struct hv_state *st, const GstH265SliceHdr *sh, unsigned int type)
{
	const GstH265SPS *sps = sh->pps->sps;
	const GstH265ShortTermRefPicSet *rps = NULL;
	struct v4l2_ctrl_hevc_decode_params *dp = &st->c_dp;
	struct hv_pic *keep[HV_DPB * 3], *cb[HV_DPB], *ca[HV_DPB], *lc[HV_DPB];
	unsigned int nkeep = 0, ncb = 0, nca = 0, nlc = 0, i, j;
	int32_t max_lsb = 1 << (sps->log2_max_pic_order_cnt_lsb_minus4 + 4);
	int32_t prev_msb = 0;
	int ret;

	if (hv_is_idr(type)) {
		for (i = 0; i < DD_ARRAY_SIZE(st->dpb); i++)
			if ((ret = hv_unref(st, &st->dpb[i])))
				return ret;
		goto lists;
	}
	rps = sh->short_term_ref_pic_set_sps_flag ?
	      &sps->short_term_ref_pic_set[sh->short_term_ref_pic_set_idx] :
	      &sh->short_term_ref_pic_sets;
	/* Long-term first: they may not be taken as short-term ones. */
	for (i = 0; i < (unsigned int)sh->num_long_term_sps + sh->num_long_term_pics && i < 16;
	     i++) {
		int32_t poc, mask = max_lsb - 1;
		bool used;
		struct hv_pic *p;

		if (i < sh->num_long_term_sps) {
			poc = sps->lt_ref_pic_poc_lsb_sps[sh->lt_idx_sps[i]];
			used = sps->used_by_curr_pic_lt_sps_flag[sh->lt_idx_sps[i]];
		} else {
			poc = sh->poc_lsb_lt[i];
			used = sh->used_by_curr_pic_lt_flag[i];
		}
		if (sh->delta_poc_msb_present_flag[i]) {
			if (i && i != sh->num_long_term_sps)
				prev_msb += sh->delta_poc_msb_cycle_lt[i];
			else
				prev_msb = sh->delta_poc_msb_cycle_lt[i];
			poc += st->poc - prev_msb * max_lsb - (st->poc & (max_lsb - 1));
			mask = -1;
		}
		p = hv_find_ref(st, poc, mask, true);
		if (!p)
			continue;
		p->lt = true;
		keep[nkeep++] = p;
		if (used && nlc < HV_DPB)
			lc[nlc++] = p;
	}
	for (i = 0; i < (unsigned int)rps->NumNegativePics + rps->NumPositivePics && i < 32;
	     i++) {
		bool neg = i < rps->NumNegativePics;
		unsigned int k = neg ? i : i - rps->NumNegativePics;
		int32_t poc = st->poc + (neg ? rps->DeltaPocS0[k] : rps->DeltaPocS1[k]);
		bool used = neg ? rps->UsedByCurrPicS0[k] : rps->UsedByCurrPicS1[k];
		struct hv_pic *p = hv_find_ref(st, poc, -1, false);

		if (!p)
			continue;
		keep[nkeep++] = p;
		if (used && neg && ncb < HV_DPB)
			cb[ncb++] = p;
		else if (used && !neg && nca < HV_DPB)
			ca[nca++] = p;
	}
	for (i = 0; i < DD_ARRAY_SIZE(st->dpb); i++) {
		bool kept = false;

		for (j = 0; j < nkeep; j++)
			kept |= keep[j] == &st->dpb[i];
		if (!kept && (ret = hv_unref(st, &st->dpb[i])))
			return ret;
	}
lists:
	/* The decode parameters' DPB: every reference, by timestamp. */
	dp->num_active_dpb_entries = 0;
	for (i = 0; i < DD_ARRAY_SIZE(st->dpb) && dp->num_active_dpb_entries < HV_DPB; i++) {
		struct hv_pic *p = &st->dpb[i];

		if (!p->used || !p->ref)
			continue;
		st->dpb_slot[dp->num_active_dpb_entries] = (int)i;
		dp->dpb[dp->num_active_dpb_entries].timestamp = p->ts;
		dp->dpb[dp->num_active_dpb_entries].pic_order_cnt_val = p->poc;
		dp->dpb[dp->num_active_dpb_entries].flags =
			p->lt ? V4L2_HEVC_DPB_ENTRY_LONG_TERM_REFERENCE : 0;
		dp->num_active_dpb_entries++;
	}
	memset(dp->poc_st_curr_before, 0xff, sizeof(dp->poc_st_curr_before));
	memset(dp->poc_st_curr_after, 0xff, sizeof(dp->poc_st_curr_after));
	memset(dp->poc_lt_curr, 0xff, sizeof(dp->poc_lt_curr));
	for (j = 0; j < dp->num_active_dpb_entries; j++) {
		struct hv_pic *p = &st->dpb[st->dpb_slot[j]];

		for (i = 0; i < ncb; i++)
			if (cb[i] == p)
				dp->poc_st_curr_before[i] = j;
		for (i = 0; i < nca; i++)
			if (ca[i] == p)
				dp->poc_st_curr_after[i] = j;
		for (i = 0; i < nlc; i++)
			if (lc[i] == p)
				dp->poc_lt_curr[i] = j;
	}
	dp->num_poc_st_curr_before = ncb;
	dp->num_poc_st_curr_after = nca;
	dp->num_poc_lt_curr = nlc;
	dp->num_delta_pocs_of_ref_rps_idx = rps ? rps->NumDeltaPocsOfRefRpsIdx : 0;
	return 0;
}

/* Before decoding the picture: C.5.2.2 output and removal. */
static int hv_pre_output(struct hv_state *st, const GstH265SliceHdr *sh, unsigned int type)
{
	const GstH265SPS *sps = sh->pps->sps;
	unsigned int hl = sps->max_sub_layers_minus1, i;
	int ret;

	if (hv_is_irap(type) && st->no_rasl_output && !st->first_pic) {
		bool no_output = sh->no_output_of_prior_pics_flag ||
				 (type == GST_H265_NAL_SLICE_CRA_NUT && st->eos);

		return hv_flush_dpb(st, !no_output);
	}
	for (i = 0; i < DD_ARRAY_SIZE(st->dpb); i++)
		if (st->dpb[i].used && !st->dpb[i].ref && !st->dpb[i].output)
			st->dpb[i].used = false;
	while (hv_count(st, true) > sps->max_num_reorder_pics[hl] || hv_latency_hit(st) ||
	       hv_count(st, false) >= sps->max_dec_pic_buffering_minus1[hl] + 1U) {
		ret = hv_bump(st);
		if (ret < 0)
			return ret;
		if (!ret)
			break;
	}
	return 0;
}

/*
 * A new active SPS: reconfigure the device when the coded size, the bit
 * depth or the DPB needs it.  The SPS control is set outside any request
 * before the CAPTURE format is chosen (as v4l2slh265dec does), so the
 * driver offers P010 for a Main 10 stream.
 */
static int hv_configure(struct hv_state *st, const GstH265SPS *sps)
{
	unsigned int dpb = sps->max_dec_pic_buffering_minus1[sps->max_sub_layers_minus1] + 1;
	unsigned int depth = sps->bit_depth_luma_minus8 + 8;
	struct v4l2_ext_control ctl = { 0 };
	int ret;

	st->crop_x = sps->conformance_window_flag ? sps->crop_rect_x : 0;
	st->crop_y = sps->conformance_window_flag ? sps->crop_rect_y : 0;
	st->info.width = sps->conformance_window_flag ? sps->crop_rect_width : sps->width;
	st->info.height = sps->conformance_window_flag ? sps->crop_rect_height : sps->height;
	if (st->fd.configured && st->coded_w == (unsigned int)sps->width &&
	    st->coded_h == (unsigned int)sps->height && st->depth == depth &&
	    st->dpb_size >= dpb)
		return 0;
	ret = hv_flush_dpb(st, true);
	if (!ret) {
		hv_fill_sps(st, sps);
		ctl.id = V4L2_CID_STATELESS_HEVC_SPS;
		ctl.size = sizeof(st->c_sps);
		ctl.ptr = &st->c_sps;
		ret = dd_fdec_configure_seq(&st->fd, sps->width, sps->height, dpb + 1, depth,
					    &ctl, 1);
	}
	st->coded_w = sps->width;
	st->coded_h = sps->height;
	st->depth = depth;
	st->dpb_size = dpb;
	return ret;
}

/* The first slice of a picture: POC, RPS, output before decoding. */
static int hv_start_picture(struct hv_state *st, const GstH265NalUnit *nalu,
			    const GstH265SliceHdr *sh)
{
	const GstH265SPS *sps = sh->pps->sps;
	unsigned int type = nalu->type;
	int32_t max_lsb = 1 << (sps->log2_max_pic_order_cnt_lsb_minus4 + 4);
	int32_t lsb = sh->pic_order_cnt_lsb, prev_lsb, prev_msb, msb;
	int ret;

	if (hv_is_irap(type))
		st->no_rasl_output = hv_is_idr(type) || type <= GST_H265_NAL_SLICE_BLA_N_LP ||
				     st->first_pic || st->eos;
	if (hv_is_rasl(type) && st->no_rasl_output) {
		st->skip_pic = true;	/* not decodable: never decoded nor output */
		return 0;
	}
	st->skip_pic = false;
	if (sps->chroma_format_idc != 1 ||
	    sps->bit_depth_luma_minus8 != sps->bit_depth_chroma_minus8 ||
	    (sps->bit_depth_luma_minus8 != 0 && sps->bit_depth_luma_minus8 != 2))
		return hv_err(st, "only 8-bit (NV12) and 10-bit (P010) 4:2:0 HEVC is supported");
	if (!st->sps || st->sps != sps || !st->fd.configured) {
		st->sps = sps;
		ret = hv_configure(st, sps);
		if (ret)
			return ret;
	}
	if (hv_is_irap(type) && st->no_rasl_output) {
		msb = 0;
	} else {
		prev_lsb = st->prev_tid0_poc & (max_lsb - 1);
		prev_msb = st->prev_tid0_poc - prev_lsb;
		if (lsb < prev_lsb && prev_lsb - lsb >= max_lsb / 2)
			msb = prev_msb + max_lsb;
		else if (lsb > prev_lsb && lsb - prev_lsb > max_lsb / 2)
			msb = prev_msb - max_lsb;
		else
			msb = prev_msb;
	}
	st->poc = msb + lsb;
	if (nalu->temporal_id_plus1 == 1 && !hv_not_tid0_anchor(type))
		st->prev_tid0_poc = st->poc;
	memset(&st->c_dp, 0, sizeof(st->c_dp));
	ret = hv_rps(st, sh, type);
	if (!ret)
		ret = hv_pre_output(st, sh, type);
	if (ret)
		return ret;
	st->c_dp.pic_order_cnt_val = st->poc;
	st->c_dp.short_term_ref_pic_set_size = sh->short_term_ref_pic_set_size;
	st->c_dp.long_term_ref_pic_set_size = sh->long_term_ref_pic_set_size;
	st->c_dp.flags = (hv_is_irap(type) ? V4L2_HEVC_DECODE_PARAM_FLAG_IRAP_PIC : 0) |
			 (hv_is_idr(type) ? V4L2_HEVC_DECODE_PARAM_FLAG_IDR_PIC : 0) |
			 (sh->no_output_of_prior_pics_flag ?
				V4L2_HEVC_DECODE_PARAM_FLAG_NO_OUTPUT_OF_PRIOR : 0);
	st->cur_output = sh->pps->output_flag_present_flag ? sh->pic_output_flag : true;
	hv_fill_sps(st, sps);
	hv_fill_pps(st, sh->pps);
	hv_fill_scaling(st, sh->pps);
	st->first_pic = false;
	st->eos = false;
	st->in_pic = true;
	st->len = 0;
	st->nsp = 0;
	st->nepo = 0;
	return 0;
}

/* RefPicList0/1 (8.3.4) as indices into the decode parameters' DPB. */
static void hv_ref_lists(struct hv_state *st, const GstH265SliceHdr *sh,
			 struct v4l2_ctrl_hevc_slice_params *sp)
{
	const struct v4l2_ctrl_hevc_decode_params *dp = &st->c_dp;
	const GstH265RefPicListModification *m = &sh->ref_pic_list_modification;
	unsigned int total = dp->num_poc_st_curr_before + dp->num_poc_st_curr_after +
			     dp->num_poc_lt_curr;
	uint8_t tmp[32];
	unsigned int l, n, r, i;

	memset(sp->ref_idx_l0, 0xff, sizeof(sp->ref_idx_l0));
	memset(sp->ref_idx_l1, 0xff, sizeof(sp->ref_idx_l1));
	if (GST_H265_IS_I_SLICE(sh) || !total)
		return;
	for (l = 0; l < (GST_H265_IS_B_SLICE(sh) ? 2U : 1U); l++) {
		unsigned int active = (l ? sh->num_ref_idx_l1_active_minus1 :
				       sh->num_ref_idx_l0_active_minus1) + 1U;
		unsigned int want = active > total ? active : total;
		const uint8_t *first = l ? dp->poc_st_curr_after : dp->poc_st_curr_before;
		const uint8_t *second = l ? dp->poc_st_curr_before : dp->poc_st_curr_after;
		unsigned int nfirst = l ? dp->num_poc_st_curr_after : dp->num_poc_st_curr_before;
		unsigned int nsecond = l ? dp->num_poc_st_curr_before : dp->num_poc_st_curr_after;
		bool mod = l ? m->ref_pic_list_modification_flag_l1 :
			       m->ref_pic_list_modification_flag_l0;
		uint8_t *out = l ? sp->ref_idx_l1 : sp->ref_idx_l0;

		for (n = 0; n < want && n < DD_ARRAY_SIZE(tmp);) {
			for (i = 0; i < nfirst && n < want; i++)
				tmp[n++] = first[i];
			for (i = 0; i < nsecond && n < want; i++)
				tmp[n++] = second[i];
			for (i = 0; i < dp->num_poc_lt_curr && n < want; i++)
				tmp[n++] = dp->poc_lt_curr[i];
		}
		for (r = 0; r < active && r < 16; r++) {
			unsigned int e = mod ? (l ? m->list_entry_l1[r] : m->list_entry_l0[r]) : r;

			out[r] = e < n ? tmp[e] : 0xff;
		}
	}
}

static void hv_pred_weights(const GstH265SliceHdr *sh, struct v4l2_ctrl_hevc_slice_params *sp)
{
	const GstH265PredWeightTable *pw = &sh->pred_weight_table;
	struct v4l2_hevc_pred_weight_table *w = &sp->pred_weight_table;
	int denom = pw->luma_log2_weight_denom + pw->delta_chroma_log2_weight_denom;
	unsigned int l, i, j;

	w->luma_log2_weight_denom = pw->luma_log2_weight_denom;
	w->delta_chroma_log2_weight_denom = pw->delta_chroma_log2_weight_denom;
	if (GST_H265_IS_I_SLICE(sh) ||
	    (GST_H265_IS_P_SLICE(sh) && !sh->pps->weighted_pred_flag) ||
	    (GST_H265_IS_B_SLICE(sh) && !sh->pps->weighted_bipred_flag))
		return;
	for (l = 0; l < (GST_H265_IS_B_SLICE(sh) ? 2U : 1U); l++) {
		unsigned int n = (l ? sh->num_ref_idx_l1_active_minus1 :
				  sh->num_ref_idx_l0_active_minus1) + 1U;

		for (i = 0; i < n && i < 16; i++) {
			if (l ? pw->luma_weight_l1_flag[i] : pw->luma_weight_l0_flag[i]) {
				(l ? w->delta_luma_weight_l1 : w->delta_luma_weight_l0)[i] =
					l ? pw->delta_luma_weight_l1[i] : pw->delta_luma_weight_l0[i];
				(l ? w->luma_offset_l1 : w->luma_offset_l0)[i] =
					l ? pw->luma_offset_l1[i] : pw->luma_offset_l0[i];
			}
			if (!(l ? pw->chroma_weight_l1_flag[i] : pw->chroma_weight_l0_flag[i]))
				continue;
			for (j = 0; j < 2; j++) {
				int dw = l ? pw->delta_chroma_weight_l1[i][j] :
					     pw->delta_chroma_weight_l0[i][j];
				int doff = l ? pw->delta_chroma_offset_l1[i][j] :
					       pw->delta_chroma_offset_l0[i][j];
				int weight = (1 << denom) + dw;
				int off = 128 + doff - ((128 * weight) >> denom);

				off = off < -128 ? -128 : off > 127 ? 127 : off;
				(l ? w->delta_chroma_weight_l1 : w->delta_chroma_weight_l0)[i][j] = dw;
				(l ? w->chroma_offset_l1 : w->chroma_offset_l0)[i][j] = off;
			}
		}
	}
}

/* One slice segment: its NAL unit with a start code, its parameters. */
static int hv_add_slice(struct hv_state *st, const GstH265NalUnit *nalu,
			const GstH265SliceHdr *sh)
{
	struct v4l2_ctrl_hevc_slice_params *sp;
	size_t need = st->len + 3 + nalu->size;
	unsigned int i;

	if (st->nsp == HV_MAX_SLICES)
		return hv_err(st, "more slice segments in a picture than the tool handles");
	if (need > st->cap) {
		uint8_t *b = realloc(st->bits, need * 2);

		if (!b)
			return -ENOMEM;
		st->bits = b;
		st->cap = need * 2;
	}
	st->bits[st->len] = 0;
	st->bits[st->len + 1] = 0;
	st->bits[st->len + 2] = 1;
	memcpy(st->bits + st->len + 3, nalu->data + nalu->offset, nalu->size);
	st->len = need;

	sp = &st->sp[st->nsp];
	if (sh->dependent_slice_segment_flag && st->nsp) {
		*sp = st->sp[st->nsp - 1];	/* the header is the independent one's */
		sp->flags |= V4L2_HEVC_SLICE_PARAMS_FLAG_DEPENDENT_SLICE_SEGMENT;
	} else {
		memset(sp, 0, sizeof(*sp));
		sp->nal_unit_type = nalu->type;
		sp->nuh_temporal_id_plus1 = nalu->temporal_id_plus1;
		sp->slice_type = sh->type;
		sp->colour_plane_id = sh->colour_plane_id;
		sp->slice_pic_order_cnt = st->poc;
		sp->num_ref_idx_l0_active_minus1 = sh->num_ref_idx_l0_active_minus1;
		sp->num_ref_idx_l1_active_minus1 = sh->num_ref_idx_l1_active_minus1;
		sp->collocated_ref_idx = sh->collocated_ref_idx;
		sp->five_minus_max_num_merge_cand = sh->five_minus_max_num_merge_cand;
		sp->slice_qp_delta = sh->qp_delta;
		sp->slice_cb_qp_offset = sh->cb_qp_offset;
		sp->slice_cr_qp_offset = sh->cr_qp_offset;
		sp->slice_act_y_qp_offset = sh->slice_act_y_qp_offset;
		sp->slice_act_cb_qp_offset = sh->slice_act_cb_qp_offset;
		sp->slice_act_cr_qp_offset = sh->slice_act_cr_qp_offset;
		sp->slice_beta_offset_div2 = sh->beta_offset_div2;
		sp->slice_tc_offset_div2 = sh->tc_offset_div2;
		sp->short_term_ref_pic_set_size = sh->short_term_ref_pic_set_size;
		sp->long_term_ref_pic_set_size = sh->long_term_ref_pic_set_size;
#define F(cond, flag) ((cond) ? V4L2_HEVC_SLICE_PARAMS_FLAG_##flag : 0)
		sp->flags = F(sh->sao_luma_flag, SLICE_SAO_LUMA) |
			    F(sh->sao_chroma_flag, SLICE_SAO_CHROMA) |
			    F(sh->temporal_mvp_enabled_flag, SLICE_TEMPORAL_MVP_ENABLED) |
			    F(sh->mvd_l1_zero_flag, MVD_L1_ZERO) |
			    F(sh->cabac_init_flag, CABAC_INIT) |
			    F(sh->collocated_from_l0_flag, COLLOCATED_FROM_L0) |
			    F(sh->use_integer_mv_flag, USE_INTEGER_MV) |
			    F(sh->deblocking_filter_disabled_flag,
			      SLICE_DEBLOCKING_FILTER_DISABLED) |
			    F(sh->loop_filter_across_slices_enabled_flag,
			      SLICE_LOOP_FILTER_ACROSS_SLICES_ENABLED);
#undef F
		hv_ref_lists(st, sh, sp);
		hv_pred_weights(sh, sp);
	}
	sp->bit_size = (3 + nalu->size) * 8;
	sp->data_byte_offset = 3 + nalu->header_bytes + (sh->header_size + 7) / 8 -
			       sh->n_emulation_prevention_bytes;
	sp->num_entry_point_offsets = sh->num_entry_point_offsets;
	sp->slice_segment_addr = sh->segment_address;
	for (i = 0; i < sh->num_entry_point_offsets; i++) {
		if (st->nepo == HV_MAX_EPO)
			return hv_err(st, "more entry points in a picture than the tool handles");
		st->epo[st->nepo++] = sh->entry_point_offset_minus1[i] + 1;
	}
	st->nsp++;
	return 0;
}

/* Submit the gathered picture, then C.5.2.3: mark it, bump. */
static int hv_finish_picture(struct hv_state *st)
{
	struct v4l2_ext_control ctl[6];
	const GstH265SPS *sps = st->sps;
	unsigned int hl, n = 0, i;
	struct hv_pic *cur = NULL;
	uint64_t ts;
	int ret;

	if (!st->in_pic)
		return 0;
	st->in_pic = false;
	memset(ctl, 0, sizeof(ctl));
#define C(cid, p, sz) ctl[n++] = (struct v4l2_ext_control){ .id = (cid), .size = (sz), .ptr = (p) }
	C(V4L2_CID_STATELESS_HEVC_SPS, &st->c_sps, sizeof(st->c_sps));
	C(V4L2_CID_STATELESS_HEVC_PPS, &st->c_pps, sizeof(st->c_pps));
	C(V4L2_CID_STATELESS_HEVC_SCALING_MATRIX, &st->c_sm, sizeof(st->c_sm));
	C(V4L2_CID_STATELESS_HEVC_DECODE_PARAMS, &st->c_dp, sizeof(st->c_dp));
	C(V4L2_CID_STATELESS_HEVC_SLICE_PARAMS, st->sp, st->nsp * sizeof(st->sp[0]));
	if (st->nepo)
		C(V4L2_CID_STATELESS_HEVC_ENTRY_POINT_OFFSETS, st->epo,
		  st->nepo * sizeof(st->epo[0]));
#undef C
	ret = dd_fdec_submit(&st->fd, ctl, n, st->bits, st->len, &ts);
	if (ret)
		return ret;
	st->pictures++;
	for (i = 0; i < DD_ARRAY_SIZE(st->dpb) && !cur; i++)
		if (!st->dpb[i].used)
			cur = &st->dpb[i];
	if (!cur)
		return hv_err(st, "DPB overflow");
	for (i = 0; i < DD_ARRAY_SIZE(st->dpb); i++)
		if (st->dpb[i].used && st->dpb[i].output)
			st->dpb[i].latency++;
	*cur = (struct hv_pic){ .used = true, .ref = true, .output = st->cur_output,
				.poc = st->poc, .ts = ts };
	if (!st->cur_output) {
		ret = dd_fdec_hide(&st->fd, ts);
		if (ret)
			return ret;
	}
	hl = sps->max_sub_layers_minus1;
	while (hv_count(st, true) > sps->max_num_reorder_pics[hl] || hv_latency_hit(st)) {
		ret = hv_bump(st);
		if (ret <= 0)
			return ret;
	}
	return 0;
}

static int hv_slice(struct hv_state *st, GstH265NalUnit *nalu)
{
	GstH265SliceHdr sh;
	int ret;

	memset(&sh, 0, sizeof(sh));
	if (gst_h265_parser_parse_slice_hdr(st->parser, nalu, &sh) != GST_H265_PARSER_OK)
		return hv_err(st, "cannot parse a slice header");
	if (sh.first_slice_segment_in_pic_flag) {
		ret = hv_finish_picture(st);
		if (!ret)
			ret = hv_start_picture(st, nalu, &sh);
	} else if (!st->in_pic && !st->skip_pic) {
		ret = hv_err(st, "a slice segment without the first one of its picture");
	} else {
		ret = 0;
	}
	if (!ret && !st->skip_pic)
		ret = hv_add_slice(st, nalu, &sh);
	gst_h265_slice_hdr_free(&sh);
	return ret;
}

static int hv_nal(struct hv_state *st, GstH265NalUnit *nalu)
{
	GstH265VPS vps;
	GstH265SPS sps;
	GstH265PPS pps;

	if (nalu->layer_id)
		return 0;			/* base layer only */
	if (nalu->type <= GST_H265_NAL_SLICE_CRA_NUT)
		return hv_slice(st, nalu);
	switch (nalu->type) {
	case GST_H265_NAL_VPS:
		return gst_h265_parser_parse_vps(st->parser, nalu, &vps) == GST_H265_PARSER_OK ?
		       0 : hv_err(st, "cannot parse a VPS");
	case GST_H265_NAL_SPS:
		/* A new SPS may replace the active one: end the picture first. */
		if (hv_finish_picture(st))
			return -EIO;
		return gst_h265_parser_parse_sps(st->parser, nalu, &sps, TRUE) ==
		       GST_H265_PARSER_OK ? 0 : hv_err(st, "cannot parse an SPS");
	case GST_H265_NAL_PPS:
		if (hv_finish_picture(st))
			return -EIO;
		return gst_h265_parser_parse_pps(st->parser, nalu, &pps) == GST_H265_PARSER_OK ?
		       0 : hv_err(st, "cannot parse a PPS");
	case GST_H265_NAL_EOS:
		st->eos = true;
		return hv_finish_picture(st);
	default:
		return 0;
	}
}

int dd_hevc_decode(const struct dd_tool_opts *o, const uint8_t *data, size_t size)
{
	static struct hv_state st;
	GstH265NalUnit nalu;
	GstH265ParserResult pr;
	size_t off = 0;
	int ret;

	memset(&st, 0, sizeof(st));
	st.o = o;
	st.first_pic = true;
	st.info.tb_num = 1;
	st.info.tb_den = 25;
	st.info.sar_num = 1;
	st.info.sar_den = 1;
	st.parser = gst_h265_parser_new();
	if (!st.parser)
		return -ENOMEM;
	ret = dd_fdec_open(&st.fd, o, V4L2_PIX_FMT_HEVC_SLICE);
	while (!ret && off < size) {
		pr = gst_h265_parser_identify_nalu(st.parser, data, off, size, &nalu);
		if (pr == GST_H265_PARSER_NO_NAL_END)
			pr = gst_h265_parser_identify_nalu_unchecked(st.parser, data, off, size,
								      &nalu);
		if (pr != GST_H265_PARSER_OK)
			break;
		ret = hv_nal(&st, &nalu);
		off = nalu.offset + nalu.size;
	}
	if (!ret)
		ret = hv_finish_picture(&st);
	if (!ret && st.fd.configured)
		ret = hv_flush_dpb(&st, true);
	if (!ret)
		ret = dd_fdec_drain(&st.fd);
	dd_fdec_close(&st.fd);
	if (!ret && o->verbose)
		fprintf(stderr, "daedalus-decode: %s: %u HEVC pictures decoded\n", o->path,
			st.pictures);
	gst_h265_parser_free(st.parser);
	free(st.bits);
	st.bits = NULL;
	return ret;
}
