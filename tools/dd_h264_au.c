// SPDX-License-Identifier: GPL-2.0
/*
 * dd_h264_au.c - Annex-B H.264 stream to coded pictures, using GStreamer's
 * GstH264NalParser for NAL, SPS, PPS and slice header parsing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd_h264_au.h"

int dd_h264_stream_init(struct dd_h264_stream *s, const uint8_t *data, size_t size)
{
	memset(s, 0, sizeof(*s));
	s->parser = gst_h264_nal_parser_new();
	if (!s->parser)
		return -ENOMEM;
	s->data = data;
	s->size = size;
	return 0;
}

void dd_h264_stream_fini(struct dd_h264_stream *s)
{
	if (s->parser)
		gst_h264_nal_parser_free(s->parser);
	s->parser = NULL;
}

void dd_h264_picture_free(struct dd_h264_picture *pic)
{
	free(pic->bits);
	free(pic->slices);
	memset(pic, 0, sizeof(*pic));
}

static bool is_slice(const GstH264NalUnit *n)
{
	return n->type == GST_H264_NAL_SLICE || n->type == GST_H264_NAL_SLICE_IDR;
}

/* NAL types that end an access unit when they follow its slices (7.4.1.2.3). */
static bool ends_au(const GstH264NalUnit *n)
{
	return n->type == GST_H264_NAL_SEI || n->type == GST_H264_NAL_SPS ||
	       n->type == GST_H264_NAL_PPS || n->type == GST_H264_NAL_AU_DELIMITER ||
	       n->type == GST_H264_NAL_SEQ_END || n->type == GST_H264_NAL_STREAM_END ||
	       (n->type >= 14 && n->type <= 18);
}

/* 7.4.1.2.4: does slice b start a new primary coded picture after slice a? */
static bool new_picture(const GstH264NalUnit *na, const GstH264SliceHdr *a,
			const GstH264NalUnit *nb, const GstH264SliceHdr *b)
{
	const GstH264SPS *sps = b->pps->sequence;

	if (b->first_mb_in_slice == 0)
		return true;
	if (a->frame_num != b->frame_num || a->pps->id != b->pps->id ||
	    a->field_pic_flag != b->field_pic_flag || a->bottom_field_flag != b->bottom_field_flag)
		return true;
	if ((na->ref_idc == 0) != (nb->ref_idc == 0))
		return true;
	if (sps->pic_order_cnt_type == 0 &&
	    (a->pic_order_cnt_lsb != b->pic_order_cnt_lsb ||
	     a->delta_pic_order_cnt_bottom != b->delta_pic_order_cnt_bottom))
		return true;
	if (sps->pic_order_cnt_type == 1 &&
	    (a->delta_pic_order_cnt[0] != b->delta_pic_order_cnt[0] ||
	     a->delta_pic_order_cnt[1] != b->delta_pic_order_cnt[1]))
		return true;
	if (na->idr_pic_flag != nb->idr_pic_flag)
		return true;
	if (na->idr_pic_flag && a->idr_pic_id != b->idr_pic_id)
		return true;
	return false;
}

static int append_slice(struct dd_h264_picture *pic, const GstH264NalUnit *n,
			const GstH264SliceHdr *h)
{
	size_t need = pic->len + 3 + n->size;
	struct dd_h264_slice *sl;

	if (pic->n_slices == pic->slices_cap) {
		unsigned int cap = pic->slices_cap ? 2 * pic->slices_cap : 8;

		sl = realloc(pic->slices, cap * sizeof(*sl));
		if (!sl)
			return -ENOMEM;
		pic->slices = sl;
		pic->slices_cap = cap;
	}
	sl = &pic->slices[pic->n_slices];
	sl->offset = pic->len;
	sl->size = 3 + n->size;
	sl->nalu = *n;
	sl->hdr = *h;

	if (need > pic->cap) {
		size_t cap = pic->cap ? pic->cap : 65536;
		uint8_t *p;

		while (cap < need)
			cap *= 2;
		p = realloc(pic->bits, cap);
		if (!p)
			return -ENOMEM;
		pic->bits = p;
		pic->cap = cap;
	}
	pic->bits[pic->len++] = 0;
	pic->bits[pic->len++] = 0;
	pic->bits[pic->len++] = 1;
	memcpy(pic->bits + pic->len, n->data + n->offset, n->size);
	pic->len += n->size;
	pic->n_slices++;
	pic->slice_types |= 1u << (h->type % 5);
	return 0;
}

static int start_picture(struct dd_h264_picture *pic, const GstH264NalUnit *n,
			 const GstH264SliceHdr *h)
{
	pic->len = 0;
	pic->n_slices = 0;
	pic->slice_types = 0;
	pic->nalu = *n;
	pic->hdr = *h;
	return append_slice(pic, n, h);
}

int dd_h264_next_picture(struct dd_h264_stream *s, struct dd_h264_picture *pic)
{
	bool have = false;
	int ret;

	if (s->have_pending) {
		s->have_pending = false;
		ret = start_picture(pic, &s->pending_nalu, &s->pending_hdr);
		if (ret)
			return ret;
		have = true;
	}

	while (s->pos < s->size) {
		GstH264NalUnit n;
		GstH264SliceHdr h;
		GstH264ParserResult r;

		r = gst_h264_parser_identify_nalu(s->parser, s->data, s->pos, s->size, &n);
		if (r == GST_H264_PARSER_NO_NAL_END)
			r = GST_H264_PARSER_OK;	/* last NAL of the file */
		if (r == GST_H264_PARSER_NO_NAL) {
			s->pos = s->size;
			break;
		}
		if (r != GST_H264_PARSER_OK) {
			/* skip a broken NAL: resume after its start code */
			if (n.offset > s->pos && n.offset < s->size) {
				s->pos = n.offset;
				continue;
			}
			s->pos = s->size;
			break;
		}

		if (have && ends_au(&n))
			return 1;	/* parse it on the next call, after the caller used pic */
		s->pos = n.offset + n.size;

		if (!is_slice(&n)) {
			if (n.type == GST_H264_NAL_SPS || n.type == GST_H264_NAL_PPS) {
				r = gst_h264_parser_parse_nal(s->parser, &n);
				if (r != GST_H264_PARSER_OK)
					fprintf(stderr, "daedalus-decode: warning: %s parse failed (%d)\n",
						n.type == GST_H264_NAL_SPS ? "SPS" : "PPS", r);
			}
			continue;
		}

		r = gst_h264_parser_parse_slice_hdr(s->parser, &n, &h, TRUE, TRUE);
		if (r != GST_H264_PARSER_OK) {
			s->n_skipped++;
			if (s->verbose)
				fprintf(stderr, "daedalus-decode: slice header parse failed (%d), skipped\n",
					r);
			continue;
		}
		if (h.redundant_pic_cnt > 0) {
			s->n_skipped++;
			continue;
		}
		if (have && new_picture(&pic->nalu, &pic->hdr, &n, &h)) {
			s->pending_nalu = n;
			s->pending_hdr = h;
			s->have_pending = true;
			return 1;
		}
		if (!have) {
			ret = start_picture(pic, &n, &h);
			have = true;
		} else {
			ret = append_slice(pic, &n, &h);
		}
		if (ret)
			return ret;
	}
	return have ? 1 : 0;
}
