// SPDX-License-Identifier: GPL-2.0
/*
 * dd_vp8_decode.c - daedalus-decode for VP8: IVF frames parsed with
 * GStreamer's VP8 parser, one request per frame with the frame control
 * filled as v4l2codecs' v4l2slvp8dec fills it, the last/golden/altref
 * references named by timestamp, shown frames output at once (VP8 does not
 * reorder), hidden (altref) frames only kept as references.  A key frame
 * of another size reconfigures the device (resolution change).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gst/codecparsers/gstvp8parser.h>

#include "dd_frame_dec.h"
#include "dd_ivf.h"
#include "dd_vp8_decode.h"

enum { REF_LAST, REF_GOLDEN, REF_ALT, REF_N };

struct vp8_state {
	struct dd_fdec fd;
	GstVp8Parser parser;
	GstVp8FrameHdr hdr;
	struct v4l2_ctrl_vp8_frame ctrl;
	uint64_t ref[REF_N];
	bool have_refs;
	unsigned int width, height;	/* of the last key frame */
	struct dd_out_info info;
};

static void fill_ctrl(struct vp8_state *st)
{
	const GstVp8FrameHdr *h = &st->hdr;
	const GstVp8Segmentation *seg = &st->parser.segmentation;
	const GstVp8MbLfAdjustments *lfa = &st->parser.mb_lf_adjust;
	struct v4l2_ctrl_vp8_frame *f = &st->ctrl;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->segment.flags = (seg->segmentation_enabled ? V4L2_VP8_SEGMENT_FLAG_ENABLED : 0) |
		(seg->update_mb_segmentation_map ? V4L2_VP8_SEGMENT_FLAG_UPDATE_MAP : 0) |
		(seg->update_segment_feature_data ?
		 V4L2_VP8_SEGMENT_FLAG_UPDATE_FEATURE_DATA : 0) |
		(seg->segment_feature_mode ? 0 : V4L2_VP8_SEGMENT_FLAG_DELTA_VALUE_MODE);
	for (i = 0; i < 4; i++) {
		f->segment.quant_update[i] = seg->quantizer_update_value[i];
		f->segment.lf_update[i] = seg->lf_update_value[i];
		f->lf.ref_frm_delta[i] = lfa->ref_frame_delta[i];
		f->lf.mb_mode_delta[i] = lfa->mb_mode_delta[i];
	}
	for (i = 0; i < 3; i++)
		f->segment.segment_probs[i] = seg->segment_prob[i];
	f->lf.sharpness_level = h->sharpness_level;
	f->lf.level = h->loop_filter_level;
	f->lf.flags = (h->filter_type == 1 ? V4L2_VP8_LF_FILTER_TYPE_SIMPLE : 0) |
		      (lfa->loop_filter_adj_enable ? V4L2_VP8_LF_ADJ_ENABLE : 0) |
		      (lfa->mode_ref_lf_delta_update ? V4L2_VP8_LF_DELTA_UPDATE : 0);
	f->quant.y_ac_qi = h->quant_indices.y_ac_qi;
	f->quant.y_dc_delta = h->quant_indices.y_dc_delta;
	f->quant.y2_dc_delta = h->quant_indices.y2_dc_delta;
	f->quant.y2_ac_delta = h->quant_indices.y2_ac_delta;
	f->quant.uv_dc_delta = h->quant_indices.uv_dc_delta;
	f->quant.uv_ac_delta = h->quant_indices.uv_ac_delta;
	memcpy(f->entropy.coeff_probs, h->token_probs.prob, sizeof(f->entropy.coeff_probs));
	memcpy(f->entropy.y_mode_probs, h->mode_probs.y_prob, sizeof(f->entropy.y_mode_probs));
	memcpy(f->entropy.uv_mode_probs, h->mode_probs.uv_prob,
	       sizeof(f->entropy.uv_mode_probs));
	memcpy(f->entropy.mv_probs, h->mv_probs.prob, sizeof(f->entropy.mv_probs));
	f->coder_state.range = h->rd_range;
	f->coder_state.value = h->rd_value;
	f->coder_state.bit_count = h->rd_count;
	f->width = st->width;
	f->height = st->height;
	f->horizontal_scale = h->horiz_scale_code;
	f->vertical_scale = h->vert_scale_code;
	f->version = h->version;
	f->prob_skip_false = h->prob_skip_false;
	f->prob_intra = h->prob_intra;
	f->prob_last = h->prob_last;
	f->prob_gf = h->prob_gf;
	f->num_dct_parts = 1 << h->log2_nbr_of_dct_partitions;
	f->first_part_size = h->first_part_size;
	f->first_part_header_bits = h->header_size;
	for (i = 0; i < 8; i++)
		f->dct_part_sizes[i] = h->partition_size[i];
	if (st->have_refs) {
		f->last_frame_ts = st->ref[REF_LAST];
		f->golden_frame_ts = st->ref[REF_GOLDEN];
		f->alt_frame_ts = st->ref[REF_ALT];
	}
	f->flags = (h->key_frame ? V4L2_VP8_FRAME_FLAG_KEY_FRAME : 0) |
		   (h->show_frame ? V4L2_VP8_FRAME_FLAG_SHOW_FRAME : 0) |
		   (h->mb_no_skip_coeff ? V4L2_VP8_FRAME_FLAG_MB_NO_SKIP_COEFF : 0) |
		   (h->sign_bias_golden ? V4L2_VP8_FRAME_FLAG_SIGN_BIAS_GOLDEN : 0) |
		   (h->sign_bias_alternate ? V4L2_VP8_FRAME_FLAG_SIGN_BIAS_ALT : 0);
}

static bool ref_held(const uint64_t *ref, uint64_t ts)
{
	for (unsigned int i = 0; i < REF_N; i++)
		if (ref[i] == ts)
			return true;
	return false;
}

/*
 * The reference slots after frame `ts` (RFC 6386 9.7, 9.8): copies take
 * the slots as they were before this frame, as libvpx and libavcodec do.
 * Pictures no slot holds any more are released.
 */
static int update_refs(struct vp8_state *st, uint64_t ts)
{
	const GstVp8FrameHdr *h = &st->hdr;
	uint64_t old[REF_N], *ref = st->ref;
	int ret = 0;

	memcpy(old, ref, sizeof(old));
	if (h->key_frame || !st->have_refs) {
		ref[REF_LAST] = ref[REF_GOLDEN] = ref[REF_ALT] = ts;
	} else {
		if (h->refresh_golden_frame)
			ref[REF_GOLDEN] = ts;
		else if (h->copy_buffer_to_golden == 1)
			ref[REF_GOLDEN] = old[REF_LAST];
		else if (h->copy_buffer_to_golden == 2)
			ref[REF_GOLDEN] = old[REF_ALT];
		if (h->refresh_alternate_frame)
			ref[REF_ALT] = ts;
		else if (h->copy_buffer_to_alternate == 1)
			ref[REF_ALT] = old[REF_LAST];
		else if (h->copy_buffer_to_alternate == 2)
			ref[REF_ALT] = old[REF_GOLDEN];
		if (h->refresh_last)
			ref[REF_LAST] = ts;
	}
	if (st->have_refs) {
		for (unsigned int i = 0; i < REF_N && !ret; i++) {
			bool dup = false;

			for (unsigned int j = 0; j < i; j++)
				dup |= old[j] == old[i];
			if (!dup && !ref_held(ref, old[i]))
				ret = dd_fdec_release(&st->fd, old[i]);
		}
	}
	st->have_refs = true;
	if (!ret && !ref_held(ref, ts))
		ret = dd_fdec_release(&st->fd, ts);
	return ret;
}

static int decode_frame(struct vp8_state *st, const struct dd_ivf_frame *fr)
{
	struct v4l2_ext_control ctl = { 0 };
	GstVp8ParserResult res;
	uint64_t ts;
	int ret;

	res = gst_vp8_parser_parse_frame_header(&st->parser, &st->hdr, fr->data, fr->size);
	if (res != GST_VP8_PARSER_OK) {
		fprintf(stderr, "daedalus-decode: %s: IVF frame %u: VP8 frame header does not "
			"parse\n", st->fd.o->path, fr->index);
		return -EINVAL;
	}
	if (st->hdr.key_frame && (st->hdr.width != st->width ||
				  st->hdr.height != st->height)) {
		if (st->fd.o->verbose)
			fprintf(stderr, "daedalus-decode: VP8 key frame %u: %ux%u\n", fr->index,
				st->hdr.width, st->hdr.height);
		/* The old pictures go with the old buffers. */
		ret = dd_fdec_configure(&st->fd, st->hdr.width, st->hdr.height, REF_N);
		if (ret)
			return ret;
		st->width = st->hdr.width;
		st->height = st->hdr.height;
		st->have_refs = false;
		st->info.width = st->width;
		st->info.height = st->height;
	}
	if (!st->width) {
		fprintf(stderr, "daedalus-decode: %s: IVF frame %u: inter frame before any "
			"key frame\n", st->fd.o->path, fr->index);
		return -EINVAL;
	}
	fill_ctrl(st);
	ctl.id = V4L2_CID_STATELESS_VP8_FRAME;
	ctl.size = sizeof(st->ctrl);
	ctl.ptr = &st->ctrl;
	ret = dd_fdec_submit(&st->fd, &ctl, 1, fr->data, fr->size, &ts);
	if (ret)
		return ret;
	if (st->hdr.show_frame)
		ret = dd_fdec_output(&st->fd, ts, &st->info, 0, 0);
	else
		ret = dd_fdec_hide(&st->fd, ts);
	if (ret)
		return ret;
	return update_refs(st, ts);
}

int dd_vp8_decode(const struct dd_tool_opts *o, const uint8_t *data, size_t size)
{
	static struct vp8_state st;
	struct dd_ivf_frame fr;
	struct dd_ivf ivf;
	int ret;

	memset(&st, 0, sizeof(st));
	ret = dd_ivf_open_fourcc(&ivf, o->path, data, size, "VP80");
	if (ret)
		return ret;
	gst_vp8_parser_init(&st.parser);
	dd_ivf_time_base(&ivf, &st.info.tb_num, &st.info.tb_den);
	st.info.sar_num = 1;
	st.info.sar_den = 1;
	ret = dd_fdec_open(&st.fd, o, V4L2_PIX_FMT_VP8_FRAME);
	while (!ret && (ret = dd_ivf_next(&ivf, &fr)) > 0)
		ret = decode_frame(&st, &fr);
	if (!ret)
		ret = dd_fdec_drain(&st.fd);
	dd_fdec_close(&st.fd);
	if (!ret && o->verbose)
		fprintf(stderr, "daedalus-decode: %s: %u VP8 frames decoded\n", o->path,
			st.fd.pictures);
	return ret;
}
