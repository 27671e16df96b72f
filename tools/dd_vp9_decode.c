// SPDX-License-Identifier: GPL-2.0
/*
 * dd_vp9_decode.c - daedalus-decode for VP9: IVF frames, superframes split
 * here (one request per frame, as the uAPI wants), uncompressed headers
 * parsed with GStreamer's GstVp9Parser (1.22 installs no header for the
 * stateful parser v4l2slvp9dec uses) and the compressed header with
 * dd_vp9_probs.c; the FRAME and COMPRESSED_HDR controls are filled as
 * v4l2slvp9dec fills them.  The eight reference slots hold
 * picture timestamps; last/golden/alt are the slots the frame header
 * names.  Shown frames are output at once (VP9 does not reorder), hidden
 * frames only kept as references, and a show_existing_frame outputs the
 * slot's picture again without a request (what GStreamer does).  A key
 * frame of another size or bit depth reconfigures the device (resolution
 * change); its FRAME control is set outside any request before the CAPTURE
 * format is chosen, as v4l2slvp9dec does, so a profile 2 stream gets P010.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gst/codecparsers/gstvp9parser.h>

#include "dd_frame_dec.h"
#include "dd_ivf.h"
#include "dd_vp9_decode.h"
#include "dd_vp9_probs.h"

#define VP9_SLOTS	8

struct vp9_state {
	struct dd_fdec fd;
	GstVp9Parser *parser;
	GstVp9FrameHdr hdr;
	struct v4l2_ctrl_vp9_frame ctrl;
	struct v4l2_ctrl_vp9_compressed_hdr probs;
	uint8_t reference_mode;
	uint64_t slot[VP9_SLOTS];
	uint8_t slot_valid;		/* bit i: slot[i] names a live picture */
	/* State the uncompressed header only updates (spec 7.2: persists). */
	int8_t lf_ref[4], lf_mode[2];
	struct v4l2_vp9_segmentation seg;
	unsigned int width, height;	/* configured coded size */
	unsigned int depth;		/* configured bit depth (8, 10) */
	struct dd_out_info info;
};

/* setup_past_independence(): loop filter deltas and segment features reset. */
static void past_independence(struct vp9_state *st)
{
	static const int8_t ref_def[4] = { 1, 0, -1, -1 };

	memcpy(st->lf_ref, ref_def, sizeof(st->lf_ref));
	memset(st->lf_mode, 0, sizeof(st->lf_mode));
	memset(st->seg.feature_data, 0, sizeof(st->seg.feature_data));
	memset(st->seg.feature_enabled, 0, sizeof(st->seg.feature_enabled));
	st->seg.flags &= ~V4L2_VP9_SEGMENTATION_FLAG_ABS_OR_DELTA_UPDATE;
}

static void fill_lf(struct vp9_state *st)
{
	const GstVp9LoopFilter *lf = &st->hdr.loopfilter;
	struct v4l2_vp9_loop_filter *l = &st->ctrl.lf;
	unsigned int i;

	if (lf->mode_ref_delta_enabled && lf->mode_ref_delta_update) {
		for (i = 0; i < 4; i++)
			if (lf->update_ref_deltas[i])
				st->lf_ref[i] = lf->ref_deltas[i];
		for (i = 0; i < 2; i++)
			if (lf->update_mode_deltas[i])
				st->lf_mode[i] = lf->mode_deltas[i];
	}
	memcpy(l->ref_deltas, st->lf_ref, sizeof(l->ref_deltas));
	memcpy(l->mode_deltas, st->lf_mode, sizeof(l->mode_deltas));
	l->level = lf->filter_level;
	l->sharpness = lf->sharpness_level;
	l->flags = (lf->mode_ref_delta_enabled ? V4L2_VP9_LOOP_FILTER_FLAG_DELTA_ENABLED : 0) |
		   (lf->mode_ref_delta_update ? V4L2_VP9_LOOP_FILTER_FLAG_DELTA_UPDATE : 0);
}

static void fill_seg(struct vp9_state *st)
{
	const GstVp9SegmentationInfo *si = &st->hdr.segmentation;
	struct v4l2_vp9_segmentation *s = &st->seg;
	unsigned int i;

	s->flags &= V4L2_VP9_SEGMENTATION_FLAG_ABS_OR_DELTA_UPDATE;
	if (!si->enabled) {
		s->flags = 0;
		st->ctrl.seg = *s;
		return;
	}
	s->flags |= V4L2_VP9_SEGMENTATION_FLAG_ENABLED |
		    (si->update_map ? V4L2_VP9_SEGMENTATION_FLAG_UPDATE_MAP : 0) |
		    (si->temporal_update ? V4L2_VP9_SEGMENTATION_FLAG_TEMPORAL_UPDATE : 0) |
		    (si->update_data ? V4L2_VP9_SEGMENTATION_FLAG_UPDATE_DATA : 0);
	if (si->update_map) {
		for (i = 0; i < 7; i++)
			s->tree_probs[i] = si->update_tree_probs[i] ? si->tree_probs[i] : 255;
		for (i = 0; i < 3; i++)
			s->pred_probs[i] = si->temporal_update && si->update_pred_probs[i] ?
					   si->pred_probs[i] : 255;
	}
	if (si->update_data) {
		s->flags &= ~V4L2_VP9_SEGMENTATION_FLAG_ABS_OR_DELTA_UPDATE;
		if (si->abs_delta)
			s->flags |= V4L2_VP9_SEGMENTATION_FLAG_ABS_OR_DELTA_UPDATE;
		memset(s->feature_data, 0, sizeof(s->feature_data));
		memset(s->feature_enabled, 0, sizeof(s->feature_enabled));
		for (i = 0; i < 8; i++) {
			const GstVp9SegmentationInfoData *d = &si->data[i];

			if (d->alternate_quantizer_enabled) {
				s->feature_enabled[i] |=
					V4L2_VP9_SEGMENT_FEATURE_ENABLED(V4L2_VP9_SEG_LVL_ALT_Q);
				s->feature_data[i][V4L2_VP9_SEG_LVL_ALT_Q] = d->alternate_quantizer;
			}
			if (d->alternate_loop_filter_enabled) {
				s->feature_enabled[i] |=
					V4L2_VP9_SEGMENT_FEATURE_ENABLED(V4L2_VP9_SEG_LVL_ALT_L);
				s->feature_data[i][V4L2_VP9_SEG_LVL_ALT_L] =
					d->alternate_loop_filter;
			}
			if (d->reference_frame_enabled) {
				s->feature_enabled[i] |=
					V4L2_VP9_SEGMENT_FEATURE_ENABLED(V4L2_VP9_SEG_LVL_REF_FRAME);
				s->feature_data[i][V4L2_VP9_SEG_LVL_REF_FRAME] =
					d->reference_frame;
			}
			if (d->reference_skip)
				s->feature_enabled[i] |=
					V4L2_VP9_SEGMENT_FEATURE_ENABLED(V4L2_VP9_SEG_LVL_SKIP);
		}
	}
	st->ctrl.seg = *s;
}

static uint64_t slot_ts(const struct vp9_state *st, int idx)
{
	if (idx < 0 || idx >= VP9_SLOTS || !(st->slot_valid & (1u << idx)))
		return 0;
	return st->slot[idx];
}

static void fill_ctrl(struct vp9_state *st, bool intra)
{
	const GstVp9FrameHdr *h = &st->hdr;
	struct v4l2_ctrl_vp9_frame *f = &st->ctrl;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	fill_lf(st);
	fill_seg(st);
	f->quant.base_q_idx = h->quant_indices.y_ac_qi;
	f->quant.delta_q_y_dc = h->quant_indices.y_dc_delta;
	f->quant.delta_q_uv_dc = h->quant_indices.uv_dc_delta;
	f->quant.delta_q_uv_ac = h->quant_indices.uv_ac_delta;
	f->flags = (h->frame_type == GST_VP9_KEY_FRAME ? V4L2_VP9_FRAME_FLAG_KEY_FRAME : 0) |
		   (h->show_frame ? V4L2_VP9_FRAME_FLAG_SHOW_FRAME : 0) |
		   (h->error_resilient_mode ? V4L2_VP9_FRAME_FLAG_ERROR_RESILIENT : 0) |
		   (h->intra_only ? V4L2_VP9_FRAME_FLAG_INTRA_ONLY : 0) |
		   (h->allow_high_precision_mv ? V4L2_VP9_FRAME_FLAG_ALLOW_HIGH_PREC_MV : 0) |
		   (h->refresh_frame_context ? V4L2_VP9_FRAME_FLAG_REFRESH_FRAME_CTX : 0) |
		   (h->frame_parallel_decoding_mode ?
		    V4L2_VP9_FRAME_FLAG_PARALLEL_DEC_MODE : 0) |
		   (st->parser->subsampling_x ? V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING : 0) |
		   (st->parser->subsampling_y ? V4L2_VP9_FRAME_FLAG_Y_SUBSAMPLING : 0) |
		   (st->parser->color_range == GST_VP9_CR_FULL ?
		    V4L2_VP9_FRAME_FLAG_COLOR_RANGE_FULL_SWING : 0);
	/* Profile 0 intra-only frames code no colour config: 8-bit 4:2:0. */
	if (h->profile == 0)
		f->flags |= V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING | V4L2_VP9_FRAME_FLAG_Y_SUBSAMPLING;
	f->compressed_header_size = h->first_partition_size;
	f->uncompressed_header_size = h->frame_header_length_in_bytes;
	f->frame_width_minus_1 = h->width - 1;
	f->frame_height_minus_1 = h->height - 1;
	f->render_width_minus_1 = (h->display_size_enabled ? h->display_width : h->width) - 1;
	f->render_height_minus_1 =
		(h->display_size_enabled ? h->display_height : h->height) - 1;
	if (!intra) {
		f->last_frame_ts = slot_ts(st, h->ref_frame_indices[0]);
		f->golden_frame_ts = slot_ts(st, h->ref_frame_indices[1]);
		f->alt_frame_ts = slot_ts(st, h->ref_frame_indices[2]);
		for (i = 0; i < 3; i++)
			if (h->ref_frame_sign_bias[i])
				f->ref_frame_sign_bias |= 1u << i;
	}
	f->reset_frame_context = h->reset_frame_context > 0 ? h->reset_frame_context - 1 : 0;
	f->frame_context_idx = h->frame_context_idx;
	f->profile = h->profile;
	f->bit_depth = st->parser->bit_depth ? st->parser->bit_depth : 8;
	f->interpolation_filter = h->mcomp_filter_type;
	f->tile_cols_log2 = h->log2_tile_columns;
	f->tile_rows_log2 = h->log2_tile_rows;
	f->reference_mode = st->reference_mode;
}

/* The compressed header: COMPRESSED_HDR and the FRAME's reference_mode. */
static int parse_probs(struct vp9_state *st, const uint8_t *data, size_t size, bool intra,
		       unsigned int index)
{
	const GstVp9FrameHdr *h = &st->hdr;
	struct dd_vp9_ch_in in = { 0 };
	size_t off = h->frame_header_length_in_bytes;
	unsigned int i;
	int ret;

	if (off + h->first_partition_size > size) {
		fprintf(stderr, "daedalus-decode: %s: IVF frame %u: VP9 headers (%zu + %u "
			"bytes) past the frame (%zu)\n", st->fd.o->path, index, off,
			h->first_partition_size, size);
		return -EINVAL;
	}
	in.lossless = h->lossless_flag;
	in.intra = intra;
	in.switchable_interp = h->mcomp_filter_type == GST_VP9_INTERPOLATION_FILTER_SWITCHABLE;
	in.allow_high_precision_mv = h->allow_high_precision_mv;
	for (i = 0; i < 3; i++)
		if (h->ref_frame_sign_bias[i])
			in.sign_bias |= 1u << i;
	ret = dd_vp9_parse_compressed_header(data + off, h->first_partition_size, &in,
					     &st->probs, &st->reference_mode);
	if (ret < 0) {
		fprintf(stderr, "daedalus-decode: %s: IVF frame %u: VP9 compressed header "
			"does not parse\n", st->fd.o->path, index);
		return ret;
	}
	if (ret && st->fd.o->verbose)
		fprintf(stderr, "daedalus-decode: %s: IVF frame %u: VP9 compressed header "
			"padding is not zero\n", st->fd.o->path, index);
	return 0;
}

/*
 * The slots after frame `ts`: refresh_frame_flags (all eight for a key
 * frame) take it; pictures no slot holds any more are released.
 */
static int update_slots(struct vp9_state *st, uint64_t ts, unsigned int refresh)
{
	uint64_t old[VP9_SLOTS];
	uint8_t old_valid = st->slot_valid;
	unsigned int i, j;
	int ret = 0;

	memcpy(old, st->slot, sizeof(old));
	for (i = 0; i < VP9_SLOTS; i++) {
		if (refresh & (1u << i)) {
			st->slot[i] = ts;
			st->slot_valid |= 1u << i;
		}
	}
	for (i = 0; i < VP9_SLOTS && !ret; i++) {
		bool held = false;

		if (!(old_valid & (1u << i)))
			continue;
		for (j = 0; j < i; j++)
			held |= (old_valid & (1u << j)) && old[j] == old[i];
		for (j = 0; j < VP9_SLOTS; j++)
			held |= (st->slot_valid & (1u << j)) && st->slot[j] == old[i];
		if (!held)
			ret = dd_fdec_release(&st->fd, old[i]);
	}
	if (!ret && !(refresh & 0xff))
		ret = dd_fdec_release(&st->fd, ts);
	return ret;
}

static int show_existing(struct vp9_state *st, unsigned int index)
{
	int idx = st->hdr.frame_to_show;

	if (idx < 0 || idx >= VP9_SLOTS || !(st->slot_valid & (1u << idx))) {
		fprintf(stderr, "daedalus-decode: %s: VP9 frame %u shows empty slot %d\n",
			st->fd.o->path, index, idx);
		return -EINVAL;
	}
	if (st->fd.o->verbose > 1)
		fprintf(stderr, "daedalus-decode: VP9 frame %u: show existing slot %d\n", index,
			idx);
	return dd_fdec_output(&st->fd, st->slot[idx], &st->info, 0, 0);
}

static int decode_one(struct vp9_state *st, const uint8_t *data, size_t size,
		      unsigned int index)
{
	const GstVp9FrameHdr *h = &st->hdr;
	struct v4l2_ext_control ctl[2] = { 0 };
	bool key, intra, reconfig;
	unsigned int refresh, depth;
	uint64_t ts;
	int ret;

	if (gst_vp9_parser_parse_frame_header(st->parser, &st->hdr, data, size) !=
	    GST_VP9_PARSER_OK) {
		fprintf(stderr, "daedalus-decode: %s: IVF frame %u: VP9 frame header does not "
			"parse\n", st->fd.o->path, index);
		return -EINVAL;
	}
	if (h->show_existing_frame)
		return show_existing(st, index);
	key = h->frame_type == GST_VP9_KEY_FRAME;
	intra = key || h->intra_only;
	depth = st->parser->bit_depth ? st->parser->bit_depth : 8;
	if (intra && (!st->parser->subsampling_x || !st->parser->subsampling_y ||
		      (depth != 8 && depth != 10))) {
		fprintf(stderr, "daedalus-decode: %s: IVF frame %u: VP9 profile %u %u-bit "
			"%s is not supported (4:2:0 8-bit to NV12, 10-bit to P010 only)\n",
			st->fd.o->path, index, h->profile, depth,
			st->parser->subsampling_x && st->parser->subsampling_y ? "4:2:0" :
			"non-4:2:0");
		return -ENOTSUP;
	}
	reconfig = key && (h->width != st->width || h->height != st->height ||
			   depth != st->depth);
	if (!st->width && !reconfig) {
		fprintf(stderr, "daedalus-decode: %s: IVF frame %u: VP9 frame before any key "
			"frame\n", st->fd.o->path, index);
		return -EINVAL;
	}
	if (!reconfig && (h->width != st->width || h->height != st->height)) {
		fprintf(stderr, "daedalus-decode: %s: IVF frame %u: %ux%u inter frame in a "
			"%ux%u sequence (reference scaling) is not supported\n", st->fd.o->path,
			index, h->width, h->height, st->width, st->height);
		return -ENOTSUP;
	}
	if (!reconfig && depth != st->depth) {
		fprintf(stderr, "daedalus-decode: %s: IVF frame %u: %u-bit intra-only frame in "
			"a %u-bit sequence is not supported\n", st->fd.o->path, index, depth,
			st->depth);
		return -ENOTSUP;
	}
	if (intra || h->error_resilient_mode)
		past_independence(st);
	ret = parse_probs(st, data, size, intra, index);
	if (ret)
		return ret;
	fill_ctrl(st, intra);
	ctl[0].id = V4L2_CID_STATELESS_VP9_FRAME;
	ctl[0].size = sizeof(st->ctrl);
	ctl[0].ptr = &st->ctrl;
	if (reconfig) {
		if (st->fd.o->verbose)
			fprintf(stderr, "daedalus-decode: VP9 key frame %u: %ux%u %u-bit\n", index,
				h->width, h->height, depth);
		/* The old pictures go with the old buffers. */
		ret = dd_fdec_configure_seq(&st->fd, h->width, h->height, VP9_SLOTS, depth,
					    ctl, 1);
		if (ret)
			return ret;
		st->width = h->width;
		st->height = h->height;
		st->depth = depth;
		st->slot_valid = 0;
	}
	st->info.width = h->width;
	st->info.height = h->height;
	ctl[1].id = V4L2_CID_STATELESS_VP9_COMPRESSED_HDR;
	ctl[1].size = sizeof(st->probs);
	ctl[1].ptr = &st->probs;
	ret = dd_fdec_submit(&st->fd, ctl, 2, data, size, &ts);
	if (ret)
		return ret;
	if (h->show_frame)
		ret = dd_fdec_output(&st->fd, ts, &st->info, 0, 0);
	else
		ret = dd_fdec_hide(&st->fd, ts);
	if (ret)
		return ret;
	refresh = key ? 0xff : (unsigned int)h->refresh_frame_flags & 0xff;
	return update_slots(st, ts, refresh);
}

/* One IVF frame: a frame or a superframe of up to eight frames. */
static int decode_ivf_frame(struct vp9_state *st, const struct dd_ivf_frame *fr)
{
	GstVp9SuperframeInfo sf;
	size_t pos = 0;
	unsigned int i;
	int ret;

	if (gst_vp9_parser_parse_superframe_info(st->parser, &sf, fr->data, fr->size) !=
	    GST_VP9_PARSER_OK) {
		fprintf(stderr, "daedalus-decode: %s: IVF frame %u: bad VP9 superframe index\n",
			st->fd.o->path, fr->index);
		return -EINVAL;
	}
	if (sf.frames_in_superframe <= 1)
		return decode_one(st, fr->data, fr->size - sf.superframe_index_size, fr->index);
	for (i = 0; i < sf.frames_in_superframe; i++) {
		if (pos + sf.frame_sizes[i] > fr->size - sf.superframe_index_size) {
			fprintf(stderr, "daedalus-decode: %s: IVF frame %u: VP9 superframe frame "
				"%u runs past the index\n", st->fd.o->path, fr->index, i);
			return -EINVAL;
		}
		ret = decode_one(st, fr->data + pos, sf.frame_sizes[i], fr->index);
		if (ret)
			return ret;
		pos += sf.frame_sizes[i];
	}
	return 0;
}

int dd_vp9_decode(const struct dd_tool_opts *o, const uint8_t *data, size_t size)
{
	static struct vp9_state st;
	struct dd_ivf_frame fr;
	struct dd_ivf ivf;
	int ret;

	memset(&st, 0, sizeof(st));
	ret = dd_ivf_open_fourcc(&ivf, o->path, data, size, "VP90");
	if (ret)
		return ret;
	st.parser = gst_vp9_parser_new();
	if (!st.parser)
		return -ENOMEM;
	dd_ivf_time_base(&ivf, &st.info.tb_num, &st.info.tb_den);
	st.info.sar_num = 1;
	st.info.sar_den = 1;
	ret = dd_fdec_open(&st.fd, o, V4L2_PIX_FMT_VP9_FRAME);
	while (!ret && (ret = dd_ivf_next(&ivf, &fr)) > 0)
		ret = decode_ivf_frame(&st, &fr);
	if (!ret)
		ret = dd_fdec_drain(&st.fd);
	dd_fdec_close(&st.fd);
	gst_vp9_parser_free(st.parser);
	if (!ret && o->verbose)
		fprintf(stderr, "daedalus-decode: %s: %u VP9 frames decoded\n", o->path,
			st.fd.pictures);
	return ret;
}
