// SPDX-License-Identifier: GPL-2.0
/*
 * dd_mpeg2_decode.c - daedalus-decode for MPEG-2 video elementary streams:
 * start codes found and headers parsed with GStreamer's mpegvideo parser;
 * each picture (or field picture) becomes one request carrying its slices,
 * start codes included, and the sequence (when it changed), picture and
 * quantisation controls, filled as v4l2codecs' v4l2slmpeg2dec fills them.
 *
 * Display order is the classic one: a B frame is output as soon as it is
 * decoded, an I or P frame when the next I or P frame arrives (or at the
 * end); at most two reference frames are held.  A field pair is two
 * requests into one CAPTURE buffer (dd_fdec_submit_field()).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gst/codecparsers/gstmpegvideoparser.h>

#include "dd_frame_dec.h"
#include "dd_mpeg2_decode.h"

#define NO_TS	(~0ull)

struct mpeg2_state {
	struct dd_fdec fd;
	const struct dd_tool_opts *o;
	const uint8_t *data;
	size_t size;

	GstMpegVideoSequenceHdr sh;
	GstMpegVideoSequenceExt se;
	bool have_sh, have_se;
	bool send_seq;			/* the sequence control changed */
	struct v4l2_ctrl_mpeg2_sequence seq;
	struct v4l2_ctrl_mpeg2_quantisation quant;

	/* The picture being gathered. */
	bool have_ph, have_pe;
	GstMpegVideoPictureHdr ph;
	GstMpegVideoPictureExt pe;
	size_t slice_start, slice_end;	/* byte range of its slices, start codes in */
	unsigned int pictures;		/* coded pictures (fields count one each) */

	bool second_field;		/* the next field completes a pair */
	uint64_t pair_ts;		/* the pair's frame, named by its first field */
	bool pair_ref;			/* the first field is I or P */
	uint64_t ref_old, ref_new;	/* the two reference frames, or NO_TS */
	bool ref_new_shown;
	struct dd_out_info info;
	unsigned int coded_w, coded_h;
};

static void fill_sequence(struct mpeg2_state *st)
{
	struct v4l2_ctrl_mpeg2_sequence seq = { 0 };
	const GstMpegVideoSequenceExt *se = &st->se;

	seq.horizontal_size = st->sh.width;
	seq.vertical_size = st->sh.height;
	seq.vbv_buffer_size = st->sh.vbv_buffer_size_value * 16 * 1024;
	seq.chroma_format = 1;
	if (st->have_se) {
		seq.horizontal_size |= se->horiz_size_ext << 12;
		seq.vertical_size |= se->vert_size_ext << 12;
		seq.vbv_buffer_size = (st->sh.vbv_buffer_size_value |
				       se->vbv_buffer_size_extension << 10) * 16 * 1024;
		seq.profile_and_level_indication = se->profile_level_escape_bit << 7 |
						   se->profile << 4 | se->level;
		seq.chroma_format = se->chroma_format;
		seq.flags = se->progressive ? V4L2_MPEG2_SEQ_FLAG_PROGRESSIVE : 0;
	}
	if (memcmp(&seq, &st->seq, sizeof(seq))) {
		st->seq = seq;
		st->send_seq = true;
	}
}

static void fill_picture(const struct mpeg2_state *st, struct v4l2_ctrl_mpeg2_picture *p)
{
	const GstMpegVideoPictureExt *pe = &st->pe;

	memset(p, 0, sizeof(*p));
	p->backward_ref_ts = NO_TS;
	p->forward_ref_ts = NO_TS;
	p->picture_coding_type = st->ph.pic_type;
	p->picture_structure = V4L2_MPEG2_PIC_FRAME;
	memcpy(p->f_code, st->ph.f_code, sizeof(p->f_code));
	if (!st->have_pe)
		return;
	memcpy(p->f_code, pe->f_code, sizeof(p->f_code));
	p->intra_dc_precision = pe->intra_dc_precision;
	p->picture_structure = pe->picture_structure;
	p->flags = (pe->top_field_first ? V4L2_MPEG2_PIC_FLAG_TOP_FIELD_FIRST : 0) |
		   (pe->frame_pred_frame_dct ? V4L2_MPEG2_PIC_FLAG_FRAME_PRED_DCT : 0) |
		   (pe->concealment_motion_vectors ? V4L2_MPEG2_PIC_FLAG_CONCEALMENT_MV : 0) |
		   (pe->q_scale_type ? V4L2_MPEG2_PIC_FLAG_Q_SCALE_TYPE : 0) |
		   (pe->intra_vlc_format ? V4L2_MPEG2_PIC_FLAG_INTRA_VLC : 0) |
		   (pe->alternate_scan ? V4L2_MPEG2_PIC_FLAG_ALT_SCAN : 0) |
		   (pe->repeat_first_field ? V4L2_MPEG2_PIC_FLAG_REPEAT_FIRST : 0) |
		   (pe->progressive_frame ? V4L2_MPEG2_PIC_FLAG_PROGRESSIVE : 0);
}

/* Output the newest reference frame if it is still waiting. */
static int flush_ref(struct mpeg2_state *st)
{
	if (st->ref_new == NO_TS || st->ref_new_shown)
		return 0;
	st->ref_new_shown = true;
	return dd_fdec_output(&st->fd, st->ref_new, &st->info, 0, 0);
}

/* Output and drop every reference (end of stream, new coded size). */
static int drop_refs(struct mpeg2_state *st)
{
	int ret = flush_ref(st);

	if (!ret && st->ref_old != NO_TS)
		ret = dd_fdec_release(&st->fd, st->ref_old);
	if (!ret && st->ref_new != NO_TS)
		ret = dd_fdec_release(&st->fd, st->ref_new);
	st->ref_old = st->ref_new = NO_TS;
	return ret;
}

static int configure(struct mpeg2_state *st)
{
	unsigned int w = st->seq.horizontal_size, h = st->seq.vertical_size;
	int ret;

	if (st->fd.configured && w == st->coded_w && h == st->coded_h)
		return 0;
	ret = drop_refs(st);
	if (ret)
		return ret;
	ret = dd_fdec_configure(&st->fd, w, h, 2);
	if (ret)
		return ret;
	st->coded_w = w;
	st->coded_h = h;
	st->info.width = w;
	st->info.height = h;
	st->send_seq = true;
	return 0;
}

/* Queue the gathered picture and do the display/reference bookkeeping. */
static int submit_picture(struct mpeg2_state *st)
{
	struct v4l2_ctrl_mpeg2_picture pic;
	struct v4l2_ext_control ctl[3];
	const uint8_t *bits = st->data + st->slice_start;
	size_t len = st->slice_end - st->slice_start;
	unsigned int n = 0;
	bool field, ref;
	uint64_t ts;
	int ret;

	if (!st->have_ph || !st->slice_end)
		goto done;
	if (!st->have_sh) {
		fprintf(stderr, "daedalus-decode: %s: picture before any sequence header\n",
			st->o->path);
		return -EINVAL;
	}
	fill_sequence(st);
	ret = configure(st);
	if (ret)
		return ret;
	fill_picture(st, &pic);
	field = pic.picture_structure != V4L2_MPEG2_PIC_FRAME;
	ref = pic.picture_coding_type != V4L2_MPEG2_PIC_CODING_TYPE_B;
	if (st->second_field && !field) {
		fprintf(stderr, "daedalus-decode: %s: picture %u: frame picture after a lone "
			"field\n", st->o->path, st->pictures);
		return -EINVAL;
	}
	/* As libavcodec: B frames without two references are skipped. */
	if (!ref && !st->second_field && st->ref_old == NO_TS) {
		if (st->o->verbose)
			fprintf(stderr, "daedalus-decode: picture %u: B without references, "
				"skipped\n", st->pictures);
		goto done;
	}
	if (pic.picture_coding_type == V4L2_MPEG2_PIC_CODING_TYPE_B) {
		pic.forward_ref_ts = st->ref_old;
		pic.backward_ref_ts = st->ref_new;
	} else if (pic.picture_coding_type == V4L2_MPEG2_PIC_CODING_TYPE_P) {
		/* A P second field may predict from its own first field. */
		pic.forward_ref_ts = st->second_field ? dd_fdec_next_ts(&st->fd) - 1000 :
							st->ref_new;
	}
	if (st->send_seq) {
		ctl[n].id = V4L2_CID_STATELESS_MPEG2_SEQUENCE;
		ctl[n].size = sizeof(st->seq);
		ctl[n].ptr = &st->seq;
		n++;
	}
	ctl[n].id = V4L2_CID_STATELESS_MPEG2_PICTURE;
	ctl[n].size = sizeof(pic);
	ctl[n].ptr = &pic;
	n++;
	ctl[n].id = V4L2_CID_STATELESS_MPEG2_QUANTISATION;
	ctl[n].size = sizeof(st->quant);
	ctl[n].ptr = &st->quant;
	n++;
	if (field)
		ret = dd_fdec_submit_field(&st->fd, ctl, n, bits, len, st->second_field, &ts);
	else
		ret = dd_fdec_submit(&st->fd, ctl, n, bits, len, &ts);
	if (ret)
		return ret;
	st->send_seq = false;
	if (field && !st->second_field) {
		/* Its CAPTURE buffer comes back with the second field. */
		st->second_field = true;
		st->pair_ts = ts;
		st->pair_ref = ref;
		goto done;
	}
	if (st->second_field) {
		st->second_field = false;
		ts = st->pair_ts;
		ref = st->pair_ref;
	}
	if (ref) {
		ret = flush_ref(st);
		if (!ret && st->ref_old != NO_TS)
			ret = dd_fdec_release(&st->fd, st->ref_old);
		st->ref_old = st->ref_new;
		st->ref_new = ts;
		st->ref_new_shown = false;
	} else {
		ret = dd_fdec_output(&st->fd, ts, &st->info, 0, 0);
		if (!ret)
			ret = dd_fdec_release(&st->fd, ts);
	}
	if (ret)
		return ret;
done:
	st->pictures += st->have_ph && st->slice_end;
	st->have_ph = false;
	st->have_pe = false;
	st->slice_start = st->slice_end = 0;
	return 0;
}

static void load_quant_ext(struct mpeg2_state *st, const GstMpegVideoQuantMatrixExt *q)
{
	if (q->load_intra_quantiser_matrix)
		memcpy(st->quant.intra_quantiser_matrix, q->intra_quantiser_matrix, 64);
	if (q->load_non_intra_quantiser_matrix)
		memcpy(st->quant.non_intra_quantiser_matrix, q->non_intra_quantiser_matrix, 64);
	if (q->load_chroma_intra_quantiser_matrix)
		memcpy(st->quant.chroma_intra_quantiser_matrix,
		       q->chroma_intra_quantiser_matrix, 64);
	if (q->load_chroma_non_intra_quantiser_matrix)
		memcpy(st->quant.chroma_non_intra_quantiser_matrix,
		       q->chroma_non_intra_quantiser_matrix, 64);
}

static int parse_error(struct mpeg2_state *st, const char *what, size_t at)
{
	fprintf(stderr, "daedalus-decode: %s: %s at byte %zu does not parse\n", st->o->path,
		what, at);
	return -EINVAL;
}

static int handle_extension(struct mpeg2_state *st, const GstMpegVideoPacket *pkt)
{
	GstMpegVideoQuantMatrixExt q;
	unsigned int type;

	if (pkt->size < 1)
		return 0;
	type = pkt->data[pkt->offset] >> 4;
	switch (type) {
	case GST_MPEG_VIDEO_PACKET_EXT_SEQUENCE:
		if (!gst_mpeg_video_packet_parse_sequence_extension(pkt, &st->se))
			return parse_error(st, "sequence extension", pkt->offset);
		st->have_se = true;
		break;
	case GST_MPEG_VIDEO_PACKET_EXT_PICTURE:
		if (!gst_mpeg_video_packet_parse_picture_extension(pkt, &st->pe))
			return parse_error(st, "picture coding extension", pkt->offset);
		st->have_pe = true;
		break;
	case GST_MPEG_VIDEO_PACKET_EXT_QUANT_MATRIX:
		if (!gst_mpeg_video_packet_parse_quant_matrix_extension(pkt, &q))
			return parse_error(st, "quant matrix extension", pkt->offset);
		load_quant_ext(st, &q);
		break;
	default:
		break;
	}
	return 0;
}

static int handle_packet(struct mpeg2_state *st, const GstMpegVideoPacket *pkt, size_t end)
{
	int ret = 0;

	if (GST_MPEG_VIDEO_PACKET_IS_SLICE(pkt->type)) {
		if (!st->have_ph)
			return 0;	/* slices of a skipped or headerless picture */
		if (!st->slice_end)
			st->slice_start = pkt->offset - 4;
		st->slice_end = end;
		return 0;
	}
	switch (pkt->type) {
	case GST_MPEG_VIDEO_PACKET_SEQUENCE:
		ret = submit_picture(st);
		if (ret)
			return ret;
		if (!gst_mpeg_video_packet_parse_sequence_header(pkt, &st->sh))
			return parse_error(st, "sequence header", pkt->offset);
		st->have_sh = true;
		st->have_se = false;
		/* A sequence header resets every matrix (4:2:0: chroma = luma). */
		memcpy(st->quant.intra_quantiser_matrix, st->sh.intra_quantizer_matrix, 64);
		memcpy(st->quant.non_intra_quantiser_matrix,
		       st->sh.non_intra_quantizer_matrix, 64);
		memcpy(st->quant.chroma_intra_quantiser_matrix, st->sh.intra_quantizer_matrix,
		       64);
		memcpy(st->quant.chroma_non_intra_quantiser_matrix,
		       st->sh.non_intra_quantizer_matrix, 64);
		break;
	case GST_MPEG_VIDEO_PACKET_EXTENSION:
		ret = handle_extension(st, pkt);
		break;
	case GST_MPEG_VIDEO_PACKET_PICTURE:
		ret = submit_picture(st);
		if (ret)
			return ret;
		if (!gst_mpeg_video_packet_parse_picture_header(pkt, &st->ph))
			return parse_error(st, "picture header", pkt->offset);
		if (st->ph.pic_type < 1 || st->ph.pic_type > 3) {
			fprintf(stderr, "daedalus-decode: %s: picture_coding_type %u "
				"unsupported\n", st->o->path, st->ph.pic_type);
			return -EINVAL;
		}
		st->have_ph = true;
		st->have_pe = false;
		break;
	case GST_MPEG_VIDEO_PACKET_GOP:
	case GST_MPEG_VIDEO_PACKET_SEQUENCE_END:
		ret = submit_picture(st);
		break;
	default:
		break;
	}
	return ret;
}

int dd_mpeg2_decode(const struct dd_tool_opts *o, const uint8_t *data, size_t size)
{
	static struct mpeg2_state st;
	GstMpegVideoPacket pkt;
	size_t off = 0;
	int ret;

	memset(&st, 0, sizeof(st));
	st.o = o;
	st.data = data;
	st.size = size;
	st.ref_old = st.ref_new = NO_TS;
	st.info.tb_num = 1;
	st.info.tb_den = 25;
	st.info.sar_num = 1;
	st.info.sar_den = 1;
	ret = dd_fdec_open(&st.fd, o, V4L2_PIX_FMT_MPEG2_SLICE);
	while (!ret && off < size && gst_mpeg_video_parse(&pkt, data, size, off)) {
		size_t end = pkt.size < 0 ? size : pkt.offset + (size_t)pkt.size;

		if (pkt.type == GST_MPEG_VIDEO_PACKET_SEQUENCE && st.have_sh == false &&
		    o->verbose)
			fprintf(stderr, "daedalus-decode: %s: first sequence header at %u\n",
				o->path, pkt.offset - 4);
		ret = handle_packet(&st, &pkt, end);
		if (st.have_sh && st.sh.fps_n && st.sh.fps_d) {
			st.info.tb_num = st.sh.fps_d;
			st.info.tb_den = st.sh.fps_n;
		}
		off = end;
	}
	if (!ret)
		ret = submit_picture(&st);
	if (!ret && st.second_field) {
		fprintf(stderr, "daedalus-decode: %s: the stream ends after a lone field\n",
			o->path);
		ret = -EINVAL;
	}
	if (!ret)
		ret = drop_refs(&st);
	if (!ret)
		ret = dd_fdec_drain(&st.fd);
	dd_fdec_close(&st.fd);
	if (!ret && o->verbose)
		fprintf(stderr, "daedalus-decode: %s: %u MPEG-2 pictures decoded\n", o->path,
			st.pictures);
	return ret;
}
