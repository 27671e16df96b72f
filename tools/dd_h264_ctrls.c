// SPDX-License-Identifier: GPL-2.0
/*
 * dd_h264_ctrls.c - GstH264 syntax + DPB model -> V4L2 stateless H.264
 * controls, as Documentation/userspace-api/media/v4l/
 * ext-ctrls-codec-stateless.rst specifies them.
 */
#include <string.h>

#include "dd_h264_ctrls.h"
#include "dd_h264_reflist.h"

void dd_h264_fill_sps(struct v4l2_ctrl_h264_sps *o, const GstH264SPS *s)
{
	unsigned int i;

	memset(o, 0, sizeof(*o));
	o->profile_idc = s->profile_idc;
	o->constraint_set_flags = (s->constraint_set0_flag ? V4L2_H264_SPS_CONSTRAINT_SET0_FLAG : 0) |
		(s->constraint_set1_flag ? V4L2_H264_SPS_CONSTRAINT_SET1_FLAG : 0) |
		(s->constraint_set2_flag ? V4L2_H264_SPS_CONSTRAINT_SET2_FLAG : 0) |
		(s->constraint_set3_flag ? V4L2_H264_SPS_CONSTRAINT_SET3_FLAG : 0) |
		(s->constraint_set4_flag ? V4L2_H264_SPS_CONSTRAINT_SET4_FLAG : 0) |
		(s->constraint_set5_flag ? V4L2_H264_SPS_CONSTRAINT_SET5_FLAG : 0);
	o->level_idc = s->level_idc;
	o->seq_parameter_set_id = s->id;
	o->chroma_format_idc = s->chroma_format_idc;
	o->bit_depth_luma_minus8 = s->bit_depth_luma_minus8;
	o->bit_depth_chroma_minus8 = s->bit_depth_chroma_minus8;
	o->log2_max_frame_num_minus4 = s->log2_max_frame_num_minus4;
	o->pic_order_cnt_type = s->pic_order_cnt_type;
	o->log2_max_pic_order_cnt_lsb_minus4 = s->log2_max_pic_order_cnt_lsb_minus4;
	o->max_num_ref_frames = s->num_ref_frames;
	o->num_ref_frames_in_pic_order_cnt_cycle = s->num_ref_frames_in_pic_order_cnt_cycle;
	for (i = 0; i < s->num_ref_frames_in_pic_order_cnt_cycle; i++)
		o->offset_for_ref_frame[i] = s->offset_for_ref_frame[i];
	o->offset_for_non_ref_pic = s->offset_for_non_ref_pic;
	o->offset_for_top_to_bottom_field = s->offset_for_top_to_bottom_field;
	o->pic_width_in_mbs_minus1 = s->pic_width_in_mbs_minus1;
	o->pic_height_in_map_units_minus1 = s->pic_height_in_map_units_minus1;
	o->flags = (s->separate_colour_plane_flag ? V4L2_H264_SPS_FLAG_SEPARATE_COLOUR_PLANE : 0) |
		(s->qpprime_y_zero_transform_bypass_flag ?
		 V4L2_H264_SPS_FLAG_QPPRIME_Y_ZERO_TRANSFORM_BYPASS : 0) |
		(s->delta_pic_order_always_zero_flag ?
		 V4L2_H264_SPS_FLAG_DELTA_PIC_ORDER_ALWAYS_ZERO : 0) |
		(s->gaps_in_frame_num_value_allowed_flag ?
		 V4L2_H264_SPS_FLAG_GAPS_IN_FRAME_NUM_VALUE_ALLOWED : 0) |
		(s->frame_mbs_only_flag ? V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY : 0) |
		(s->mb_adaptive_frame_field_flag ? V4L2_H264_SPS_FLAG_MB_ADAPTIVE_FRAME_FIELD : 0) |
		(s->direct_8x8_inference_flag ? V4L2_H264_SPS_FLAG_DIRECT_8X8_INFERENCE : 0);
}

/*
 * The parser already resolved the effective lists (flat defaults, SPS lists
 * and fall-back rules A and B of Table 7-2) into pps->scaling_lists_*, in
 * zig-zag order; V4L2 wants them after inverse scanning, i.e. raster order.
 */
static void fill_scaling(struct v4l2_ctrl_h264_scaling_matrix *m, const GstH264PPS *pps)
{
	unsigned int i, n8;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < 6; i++)
		gst_h264_quant_matrix_4x4_get_raster_from_zigzag(m->scaling_list_4x4[i],
								 pps->scaling_lists_4x4[i]);
	/* 8x8 lists: Y intra/inter, plus Cb/Cr for 4:4:4 (Table 7-2) */
	n8 = pps->sequence->chroma_format_idc == 3 ? 6 : 2;
	for (i = 0; i < n8; i++)
		gst_h264_quant_matrix_8x8_get_raster_from_zigzag(m->scaling_list_8x8[i],
								 pps->scaling_lists_8x8[i]);
}

void dd_h264_fill_pps(struct dd_h264_ctrls *c, const GstH264PPS *p)
{
	struct v4l2_ctrl_h264_pps *o = &c->pps;

	c->scaling_present = p->sequence->scaling_matrix_present_flag ||
			     p->pic_scaling_matrix_present_flag;
	memset(o, 0, sizeof(*o));
	o->pic_parameter_set_id = p->id;
	o->seq_parameter_set_id = p->sequence->id;
	o->num_slice_groups_minus1 = p->num_slice_groups_minus1;
	o->num_ref_idx_l0_default_active_minus1 = p->num_ref_idx_l0_active_minus1;
	o->num_ref_idx_l1_default_active_minus1 = p->num_ref_idx_l1_active_minus1;
	o->weighted_bipred_idc = p->weighted_bipred_idc;
	o->pic_init_qp_minus26 = p->pic_init_qp_minus26;
	o->pic_init_qs_minus26 = p->pic_init_qs_minus26;
	o->chroma_qp_index_offset = p->chroma_qp_index_offset;
	o->second_chroma_qp_index_offset = (int8_t)p->second_chroma_qp_index_offset;
	o->flags = (p->entropy_coding_mode_flag ? V4L2_H264_PPS_FLAG_ENTROPY_CODING_MODE : 0) |
		(p->pic_order_present_flag ?
		 V4L2_H264_PPS_FLAG_BOTTOM_FIELD_PIC_ORDER_IN_FRAME_PRESENT : 0) |
		(p->weighted_pred_flag ? V4L2_H264_PPS_FLAG_WEIGHTED_PRED : 0) |
		(p->deblocking_filter_control_present_flag ?
		 V4L2_H264_PPS_FLAG_DEBLOCKING_FILTER_CONTROL_PRESENT : 0) |
		(p->constrained_intra_pred_flag ? V4L2_H264_PPS_FLAG_CONSTRAINED_INTRA_PRED : 0) |
		(p->redundant_pic_cnt_present_flag ?
		 V4L2_H264_PPS_FLAG_REDUNDANT_PIC_CNT_PRESENT : 0) |
		(p->transform_8x8_mode_flag ? V4L2_H264_PPS_FLAG_TRANSFORM_8X8_MODE : 0) |
		(c->scaling_present ? V4L2_H264_PPS_FLAG_SCALING_MATRIX_PRESENT : 0);
	if (c->scaling_present)
		fill_scaling(&c->scaling, p);
}

void dd_h264_fill_decode(struct v4l2_ctrl_h264_decode_params *d,
			 const struct dd_h264_picture *pic, const struct dd_dpb *dpb)
{
	const GstH264SliceHdr *h = &pic->hdr;
	struct dd_dpb_ref refs[DD_DPB_MAX_FRAMES];
	unsigned int i, n;

	memset(d, 0, sizeof(*d));
	d->nal_ref_idc = pic->nalu.ref_idc;
	d->frame_num = h->frame_num;
	d->idr_pic_id = h->idr_pic_id;
	d->pic_order_cnt_lsb = h->pic_order_cnt_lsb;
	d->delta_pic_order_cnt_bottom = h->delta_pic_order_cnt_bottom;
	d->delta_pic_order_cnt0 = h->delta_pic_order_cnt[0];
	d->delta_pic_order_cnt1 = h->delta_pic_order_cnt[1];
	d->dec_ref_pic_marking_bit_size = h->dec_ref_pic_marking.bit_size;
	d->pic_order_cnt_bit_size = h->pic_order_cnt_bit_size;
	d->slice_group_change_cycle = h->slice_group_change_cycle;
	d->flags = (pic->nalu.idr_pic_flag ? V4L2_H264_DECODE_PARAM_FLAG_IDR_PIC : 0) |
		   (h->field_pic_flag ? V4L2_H264_DECODE_PARAM_FLAG_FIELD_PIC : 0) |
		   (h->bottom_field_flag ? V4L2_H264_DECODE_PARAM_FLAG_BOTTOM_FIELD : 0);
	/* B if any slice is B, else P if any slice is P or SP (tegra-vde uses these) */
	if (pic->slice_types & (1u << GST_H264_B_SLICE))
		d->flags |= V4L2_H264_DECODE_PARAM_FLAG_BFRAME;
	else if (pic->slice_types & ((1u << GST_H264_P_SLICE) | (1u << GST_H264_SP_SLICE)))
		d->flags |= V4L2_H264_DECODE_PARAM_FLAG_PFRAME;
	if (!h->field_pic_flag || !h->bottom_field_flag)
		d->top_field_order_cnt = dpb->cur_poc[0];
	if (!h->field_pic_flag || h->bottom_field_flag)
		d->bottom_field_order_cnt = dpb->cur_poc[1];
	/* a second field also carries its first field's count (as GStreamer does) */
	if (h->field_pic_flag && dd_dpb_is_second_field(dpb)) {
		if (h->bottom_field_flag)
			d->top_field_order_cnt = dpb->cur->poc[0];
		else
			d->bottom_field_order_cnt = dpb->cur->poc[1];
	}

	n = dd_dpb_refs(dpb, refs);
	for (i = 0; i < n && i < V4L2_H264_NUM_DPB_ENTRIES; i++) {
		struct v4l2_h264_dpb_entry *e = &d->dpb[i];

		e->reference_ts = refs[i].ts;
		e->pic_num = refs[i].pic_num;
		e->frame_num = refs[i].frame_num;
		e->fields = refs[i].fields;
		e->top_field_order_cnt = refs[i].top_poc;
		e->bottom_field_order_cnt = refs[i].bottom_poc;
		e->flags = V4L2_H264_DPB_ENTRY_FLAG_VALID | V4L2_H264_DPB_ENTRY_FLAG_ACTIVE |
			   (refs[i].long_term ? V4L2_H264_DPB_ENTRY_FLAG_LONG_TERM : 0) |
			   (refs[i].field_coded ? V4L2_H264_DPB_ENTRY_FLAG_FIELD : 0);
	}
}

static void fill_weights(struct v4l2_ctrl_h264_pred_weights *pw, const GstH264SliceHdr *h)
{
	const GstH264PredWeightTable *t = &h->pred_weight_table;
	bool chroma = h->pps->sequence->chroma_array_type != 0;
	unsigned int i, j;

	memset(pw, 0, sizeof(*pw));
	pw->luma_log2_weight_denom = t->luma_log2_weight_denom;
	pw->chroma_log2_weight_denom = t->chroma_log2_weight_denom;
	for (i = 0; i <= h->num_ref_idx_l0_active_minus1 && i < 32; i++) {
		pw->weight_factors[0].luma_weight[i] = t->luma_weight_l0[i];
		pw->weight_factors[0].luma_offset[i] = t->luma_offset_l0[i];
		for (j = 0; chroma && j < 2; j++) {
			pw->weight_factors[0].chroma_weight[i][j] = t->chroma_weight_l0[i][j];
			pw->weight_factors[0].chroma_offset[i][j] = t->chroma_offset_l0[i][j];
		}
	}
	if (h->type % 5 != GST_H264_B_SLICE)
		return;
	for (i = 0; i <= h->num_ref_idx_l1_active_minus1 && i < 32; i++) {
		pw->weight_factors[1].luma_weight[i] = t->luma_weight_l1[i];
		pw->weight_factors[1].luma_offset[i] = t->luma_offset_l1[i];
		for (j = 0; chroma && j < 2; j++) {
			pw->weight_factors[1].chroma_weight[i][j] = t->chroma_weight_l1[i][j];
			pw->weight_factors[1].chroma_offset[i][j] = t->chroma_offset_l1[i][j];
		}
	}
}

void dd_h264_fill_slice(struct v4l2_ctrl_h264_slice_params *sp,
			struct v4l2_ctrl_h264_pred_weights *pw, const struct dd_h264_slice *s,
			const struct dd_dpb *dpb)
{
	const GstH264SliceHdr *h = &s->hdr;

	memset(sp, 0, sizeof(*sp));
	/* bits from the NAL unit header to slice_data(), emulation prevention excluded */
	sp->header_bit_size = 8 * s->nalu.header_bytes + h->header_size -
			      8 * h->n_emulation_prevention_bytes;
	sp->first_mb_in_slice = h->first_mb_in_slice;
	sp->slice_type = h->type % 5;
	sp->colour_plane_id = h->colour_plane_id;
	sp->redundant_pic_cnt = h->redundant_pic_cnt;
	sp->cabac_init_idc = h->cabac_init_idc;
	sp->slice_qp_delta = h->slice_qp_delta;
	sp->slice_qs_delta = h->slice_qs_delta;
	sp->disable_deblocking_filter_idc = h->disable_deblocking_filter_idc;
	sp->slice_alpha_c0_offset_div2 = h->slice_alpha_c0_offset_div2;
	sp->slice_beta_offset_div2 = h->slice_beta_offset_div2;
	sp->num_ref_idx_l0_active_minus1 = h->num_ref_idx_l0_active_minus1;
	sp->num_ref_idx_l1_active_minus1 = h->num_ref_idx_l1_active_minus1;
	sp->flags = (h->direct_spatial_mv_pred_flag ?
		     V4L2_H264_SLICE_FLAG_DIRECT_SPATIAL_MV_PRED : 0) |
		    (h->sp_for_switch_flag ? V4L2_H264_SLICE_FLAG_SP_FOR_SWITCH : 0);
	dd_h264_ref_lists(dpb, h, sp->ref_pic_list0, sp->ref_pic_list1);
	fill_weights(pw, h);
}

void dd_h264_dpb_seq(struct dd_dpb_seq *q, const GstH264SPS *s)
{
	unsigned int i, h_mbs;

	memset(q, 0, sizeof(*q));
	q->max_frame_num = 1u << (s->log2_max_frame_num_minus4 + 4);
	q->poc_type = s->pic_order_cnt_type;
	q->max_poc_lsb = 1u << (s->log2_max_pic_order_cnt_lsb_minus4 + 4);
	q->delta_pic_order_always_zero = s->delta_pic_order_always_zero_flag;
	q->offset_for_non_ref_pic = s->offset_for_non_ref_pic;
	q->offset_for_top_to_bottom_field = s->offset_for_top_to_bottom_field;
	q->num_ref_frames_in_poc_cycle = s->num_ref_frames_in_pic_order_cnt_cycle;
	for (i = 0; i < s->num_ref_frames_in_pic_order_cnt_cycle; i++)
		q->offset_for_ref_frame[i] = s->offset_for_ref_frame[i];
	q->max_num_ref_frames = s->num_ref_frames;
	q->gaps_allowed = s->gaps_in_frame_num_value_allowed_flag;

	h_mbs = (s->pic_height_in_map_units_minus1 + 1) * (s->frame_mbs_only_flag ? 1 : 2);
	q->dpb_size = dd_dpb_size_for_level(s->level_idc, s->constraint_set3_flag,
					    s->pic_width_in_mbs_minus1 + 1, h_mbs);
	q->num_reorder_frames = -1;
	if (s->vui_parameters_present_flag && s->vui_parameters.bitstream_restriction_flag) {
		unsigned int mdfb = s->vui_parameters.max_dec_frame_buffering;

		if (mdfb < 1)
			mdfb = 1;
		if (mdfb < q->dpb_size)
			q->dpb_size = mdfb;
		q->num_reorder_frames = s->vui_parameters.num_reorder_frames;
	}
	if (q->dpb_size < s->num_ref_frames)
		q->dpb_size = s->num_ref_frames;
	if (q->dpb_size > DD_DPB_MAX_FRAMES)
		q->dpb_size = DD_DPB_MAX_FRAMES;
}

void dd_h264_pic_info(struct dd_dpb_pic_info *pi, const struct dd_h264_picture *pic)
{
	const GstH264SliceHdr *h = &pic->hdr;
	const GstH264DecRefPicMarking *m = &h->dec_ref_pic_marking;
	unsigned int i;

	memset(pi, 0, sizeof(*pi));
	pi->idr = pic->nalu.idr_pic_flag;
	pi->nal_ref_idc = pic->nalu.ref_idc;
	pi->frame_num = h->frame_num;
	pi->structure = !h->field_pic_flag ? DD_FIELD_FRAME :
			h->bottom_field_flag ? DD_FIELD_BOTTOM : DD_FIELD_TOP;
	pi->poc_lsb = h->pic_order_cnt_lsb;
	pi->delta_poc_bottom = h->delta_pic_order_cnt_bottom;
	pi->delta_poc[0] = h->delta_pic_order_cnt[0];
	pi->delta_poc[1] = h->delta_pic_order_cnt[1];
	if (!pic->nalu.ref_idc)
		return;
	pi->no_output_of_prior_pics = m->no_output_of_prior_pics_flag;
	pi->long_term_reference_flag = m->long_term_reference_flag;
	pi->adaptive_marking = !pi->idr && m->adaptive_ref_pic_marking_mode_flag;
	if (!pi->adaptive_marking)
		return;
	for (i = 0; i < m->n_ref_pic_marking && i < DD_DPB_MAX_MMCO; i++) {
		const GstH264RefPicMarking *r = &m->ref_pic_marking[i];

		pi->mmco[i].op = r->memory_management_control_operation;
		pi->mmco[i].difference_of_pic_nums_minus1 = r->difference_of_pic_nums_minus1;
		pi->mmco[i].long_term_pic_num = r->long_term_pic_num;
		pi->mmco[i].long_term_frame_idx = r->long_term_frame_idx;
		pi->mmco[i].max_long_term_frame_idx_plus1 = r->max_long_term_frame_idx_plus1;
	}
	pi->n_mmco = i;
}

void dd_h264_visible(const GstH264SPS *s, unsigned int *x, unsigned int *y,
		     unsigned int *w, unsigned int *h)
{
	if (s->frame_cropping_flag) {
		*x = s->crop_rect_x;
		*y = s->crop_rect_y;
		*w = s->crop_rect_width;
		*h = s->crop_rect_height;
	} else {
		*x = 0;
		*y = 0;
		*w = s->width;
		*h = s->height;
	}
}
