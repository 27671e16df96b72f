// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_dec_mpeg2.c - MPEG-2 in the daemon: the stateless client sends the
 * slices of one picture (start codes included); the headers libavcodec's
 * mpeg2video decoder needs are rebuilt from the controls in front of them:
 * sequence header + sequence extension (when they differ from what this
 * decoder was last fed), then for every picture its picture header,
 * picture coding extension and a quant matrix extension carrying the
 * current intra and non-intra matrices (4:2:0: chroma uses the same).
 *
 * A field picture is one job.  The second field of a pair allocates no
 * picture in libavcodec: it completes the frame of the first field, so its
 * job's picture is that frame, whole.
 */
#include "dd_bitwriter.h"
#include "dd_dec_priv.h"

#define DD_MPEG2_SEQ_MAX	32	/* sequence header + extension: 18 bytes */
#define DD_MPEG2_PIC_MAX	192	/* picture + coding ext + quant ext: 158 */

#define DD_MPEG2_SC_PICTURE	0x00
#define DD_MPEG2_SC_SLICE_MAX	0xaf
#define DD_MPEG2_SC_SEQUENCE	0xb3
#define DD_MPEG2_SC_EXTENSION	0xb5

#define DD_MPEG2_EXT_SEQUENCE	1
#define DD_MPEG2_EXT_QUANT	3
#define DD_MPEG2_EXT_PIC_CODING	8

struct dd_dec_mpeg2 {
	u8 seq[DD_MPEG2_SEQ_MAX];	/* headers last fed to libavcodec */
	size_t seq_len;
	u8 pending_field;		/* parity of an unpaired first field, or 0 */
};

static void dd_mpeg2_start_code(struct dd_bw *bw, u8 code)
{
	dd_bw_u(bw, 24, 1);
	dd_bw_u(bw, 8, code);
}

/* next_start_code(): zero bits up to the byte boundary. */
static void dd_mpeg2_align(struct dd_bw *bw)
{
	if (bw->bitpos & 7)
		dd_bw_u(bw, 8 - (bw->bitpos & 7), 0);
}

static size_t dd_mpeg2_build_seq(const struct v4l2_ctrl_mpeg2_sequence *seq, u8 *out,
				 size_t cap)
{
	u32 vbv = seq->vbv_buffer_size / (16 * 1024);
	struct dd_bw bw;

	dd_bw_init(&bw, out, cap);
	dd_mpeg2_start_code(&bw, DD_MPEG2_SC_SEQUENCE);
	dd_bw_u(&bw, 12, seq->horizontal_size & 0xfff);
	dd_bw_u(&bw, 12, seq->vertical_size & 0xfff);
	dd_bw_u(&bw, 4, 1);		/* aspect_ratio_information: square */
	dd_bw_u(&bw, 4, 5);		/* frame_rate_code: 30 (not in the controls) */
	dd_bw_u(&bw, 18, 0x3ffff);	/* bit_rate_value: variable */
	dd_bw_u(&bw, 1, 1);		/* marker_bit */
	dd_bw_u(&bw, 10, vbv & 0x3ff);
	dd_bw_u(&bw, 1, 0);		/* constrained_parameters_flag */
	dd_bw_u(&bw, 1, 0);		/* load_intra_quantiser_matrix: in the quant ext */
	dd_bw_u(&bw, 1, 0);		/* load_non_intra_quantiser_matrix */

	dd_mpeg2_start_code(&bw, DD_MPEG2_SC_EXTENSION);
	dd_bw_u(&bw, 4, DD_MPEG2_EXT_SEQUENCE);
	dd_bw_u(&bw, 8, seq->profile_and_level_indication & 0xff);
	dd_bw_u(&bw, 1, !!(seq->flags & V4L2_MPEG2_SEQ_FLAG_PROGRESSIVE));
	dd_bw_u(&bw, 2, seq->chroma_format);
	dd_bw_u(&bw, 2, seq->horizontal_size >> 12);
	dd_bw_u(&bw, 2, seq->vertical_size >> 12);
	dd_bw_u(&bw, 12, 0xfff);	/* bit_rate_extension */
	dd_bw_u(&bw, 1, 1);		/* marker_bit */
	dd_bw_u(&bw, 8, (vbv >> 10) & 0xff);
	dd_bw_u(&bw, 1, 0);		/* low_delay: B pictures may follow */
	dd_bw_u(&bw, 2, 0);		/* frame_rate_extension_n */
	dd_bw_u(&bw, 5, 0);		/* frame_rate_extension_d */
	dd_mpeg2_align(&bw);
	return bw.overflow ? 0 : dd_bw_bytes(&bw);
}

static size_t dd_mpeg2_build_pic(const struct v4l2_ctrl_mpeg2_picture *pic,
				 const struct v4l2_ctrl_mpeg2_quantisation *q, u8 *out,
				 size_t cap)
{
	u8 type = pic->picture_coding_type;
	u32 fl = pic->flags;
	struct dd_bw bw;
	unsigned int i;

	dd_bw_init(&bw, out, cap);
	dd_mpeg2_start_code(&bw, DD_MPEG2_SC_PICTURE);
	dd_bw_u(&bw, 10, 0);		/* temporal_reference: unused by the decoder */
	dd_bw_u(&bw, 3, type);
	dd_bw_u(&bw, 16, 0xffff);	/* vbv_delay */
	if (type == V4L2_MPEG2_PIC_CODING_TYPE_P || type == V4L2_MPEG2_PIC_CODING_TYPE_B) {
		dd_bw_u(&bw, 1, 0);	/* full_pel_forward_vector */
		dd_bw_u(&bw, 3, 7);	/* forward_f_code: MPEG-2 uses the extension's */
	}
	if (type == V4L2_MPEG2_PIC_CODING_TYPE_B) {
		dd_bw_u(&bw, 1, 0);
		dd_bw_u(&bw, 3, 7);
	}
	dd_bw_u(&bw, 1, 0);		/* extra_bit_picture */
	dd_mpeg2_align(&bw);

	dd_mpeg2_start_code(&bw, DD_MPEG2_SC_EXTENSION);
	dd_bw_u(&bw, 4, DD_MPEG2_EXT_PIC_CODING);
	dd_bw_u(&bw, 4, pic->f_code[0][0]);
	dd_bw_u(&bw, 4, pic->f_code[0][1]);
	dd_bw_u(&bw, 4, pic->f_code[1][0]);
	dd_bw_u(&bw, 4, pic->f_code[1][1]);
	dd_bw_u(&bw, 2, pic->intra_dc_precision);
	dd_bw_u(&bw, 2, pic->picture_structure);
	dd_bw_u(&bw, 1, !!(fl & V4L2_MPEG2_PIC_FLAG_TOP_FIELD_FIRST));
	dd_bw_u(&bw, 1, !!(fl & V4L2_MPEG2_PIC_FLAG_FRAME_PRED_DCT));
	dd_bw_u(&bw, 1, !!(fl & V4L2_MPEG2_PIC_FLAG_CONCEALMENT_MV));
	dd_bw_u(&bw, 1, !!(fl & V4L2_MPEG2_PIC_FLAG_Q_SCALE_TYPE));
	dd_bw_u(&bw, 1, !!(fl & V4L2_MPEG2_PIC_FLAG_INTRA_VLC));
	dd_bw_u(&bw, 1, !!(fl & V4L2_MPEG2_PIC_FLAG_ALT_SCAN));
	dd_bw_u(&bw, 1, !!(fl & V4L2_MPEG2_PIC_FLAG_REPEAT_FIRST));
	/* chroma_420_type equals progressive_frame for 4:2:0. */
	dd_bw_u(&bw, 1, !!(fl & V4L2_MPEG2_PIC_FLAG_PROGRESSIVE));
	dd_bw_u(&bw, 1, !!(fl & V4L2_MPEG2_PIC_FLAG_PROGRESSIVE));
	dd_bw_u(&bw, 1, 0);		/* composite_display_flag */
	dd_mpeg2_align(&bw);

	/* Zigzag order in the control as in the bitstream; no zero entries. */
	dd_mpeg2_start_code(&bw, DD_MPEG2_SC_EXTENSION);
	dd_bw_u(&bw, 4, DD_MPEG2_EXT_QUANT);
	dd_bw_u(&bw, 1, 1);
	for (i = 0; i < 64; i++)
		dd_bw_u(&bw, 8, q->intra_quantiser_matrix[i]);
	dd_bw_u(&bw, 1, 1);
	for (i = 0; i < 64; i++)
		dd_bw_u(&bw, 8, q->non_intra_quantiser_matrix[i]);
	dd_bw_u(&bw, 1, 0);		/* chroma matrices: the luma ones (4:2:0) */
	dd_bw_u(&bw, 1, 0);
	dd_mpeg2_align(&bw);
	return bw.overflow ? 0 : dd_bw_bytes(&bw);
}

/* The spec's defaults when the job (and the context) never carried any. */
static void dd_mpeg2_default_quant(struct v4l2_ctrl_mpeg2_quantisation *q)
{
	static const u8 intra[64] = {
		8,  16, 16, 19, 16, 19, 22, 22, 22, 22, 22, 22, 26, 24, 26, 27,
		27, 27, 26, 26, 26, 26, 27, 27, 27, 29, 29, 29, 34, 34, 34, 29,
		29, 29, 27, 27, 29, 29, 32, 32, 34, 34, 37, 38, 37, 35, 35, 34,
		35, 38, 38, 40, 40, 40, 48, 48, 46, 46, 56, 56, 58, 69, 69, 83,
	};

	memset(q, 0, sizeof(*q));
	memcpy(q->intra_quantiser_matrix, intra, sizeof(intra));
	memset(q->non_intra_quantiser_matrix, 16, 64);
}

static bool dd_mpeg2_is_slice(const u8 *p, size_t len)
{
	return len >= 4 && !p[0] && !p[1] && p[2] == 1 && p[3] >= 0x01 &&
	       p[3] <= DD_MPEG2_SC_SLICE_MAX;
}

static long dd_dec_mpeg2_packet(struct dd_dec *dec, const struct dd_proto_job *job)
{
	struct dd_dec_mpeg2 *st = dec->priv;
	const struct v4l2_ctrl_mpeg2_sequence *seq;
	const struct v4l2_ctrl_mpeg2_picture *pic;
	const struct v4l2_ctrl_mpeg2_quantisation *qc;
	struct v4l2_ctrl_mpeg2_quantisation qdef;
	u8 seq_bytes[DD_MPEG2_SEQ_MAX], pic_bytes[DD_MPEG2_PIC_MAX];
	size_t seq_len, pic_len, pos = 0;
	bool feed_seq;
	int err = 0;

	seq = dd_dec_ctrl_payload(job, V4L2_CID_STATELESS_MPEG2_SEQUENCE, sizeof(*seq),
				  "sequence", &err);
	pic = dd_dec_ctrl_payload(job, V4L2_CID_STATELESS_MPEG2_PICTURE, sizeof(*pic),
				  "picture", &err);
	qc = dd_dec_ctrl_payload(job, V4L2_CID_STATELESS_MPEG2_QUANTISATION, sizeof(*qc),
				 "quantisation", &err);
	if (err)
		return err;
	if (!seq || !pic) {
		dd_err("decoder: mpeg2 job without %s control", seq ? "picture" : "sequence");
		return -EINVAL;
	}
	if (seq->chroma_format != 1) {
		dd_err("decoder: mpeg2 chroma_format %u unsupported", seq->chroma_format);
		return -ENOTSUP;
	}
	if (!dd_mpeg2_is_slice(job->bitstream_data, job->bitstream.size)) {
		dd_err("decoder: mpeg2 bitstream (%u bytes) does not start with a slice "
		       "start code", job->bitstream.size);
		return -EINVAL;
	}
	if (!qc) {
		dd_mpeg2_default_quant(&qdef);
		qc = &qdef;
	}
	seq_len = dd_mpeg2_build_seq(seq, seq_bytes, sizeof(seq_bytes));
	pic_len = dd_mpeg2_build_pic(pic, qc, pic_bytes, sizeof(pic_bytes));
	if (!seq_len || !pic_len)
		return -EINVAL;
	feed_seq = dec->opts.ps_always || seq_len != st->seq_len ||
		   memcmp(seq_bytes, st->seq, seq_len);
	if (dd_dec_pkt_reserve(dec, seq_len + pic_len + job->bitstream.size))
		return -ENOMEM;
	if (feed_seq) {
		memcpy(dec->pkt_buf, seq_bytes, seq_len);
		pos = seq_len;
		memcpy(st->seq, seq_bytes, seq_len);
		st->seq_len = seq_len;
	}
	memcpy(dec->pkt_buf + pos, pic_bytes, pic_len);
	pos += pic_len;
	memcpy(dec->pkt_buf + pos, job->bitstream_data, job->bitstream.size);
	pos += job->bitstream.size;
	dd_dec_pkt_pad(dec, pos);

	/*
	 * libavcodec counts a frame's undecoded macroblocks as errors until
	 * both fields are in; fed one field per packet, AV_EF_EXPLODE would
	 * fail the second field's packet for rows counted in the first.
	 */
	if (pic->picture_structure == V4L2_MPEG2_PIC_FRAME)
		dec->avctx->err_recognition |= AV_EF_EXPLODE;
	else
		dec->avctx->err_recognition &= ~AV_EF_EXPLODE;

	/* The second field of a pair completes the first field's frame. */
	if (pic->picture_structure == V4L2_MPEG2_PIC_FRAME) {
		st->pending_field = 0;
	} else if (st->pending_field && st->pending_field != pic->picture_structure) {
		dec->reuse_picture = true;
		st->pending_field = 0;
	} else {
		st->pending_field = pic->picture_structure;
	}
	if (dd_log_debug)
		dd_dbg("decoder: mpeg2 packet %zu bytes (sequence %s, structure %u%s)", pos,
		       feed_seq ? "fed" : "kept", pic->picture_structure,
		       dec->reuse_picture ? ", second field" : "");
	return (long)pos;
}

static void dd_dec_mpeg2_flush(struct dd_dec *dec)
{
	struct dd_dec_mpeg2 *st = dec->priv;

	st->seq_len = 0;
	st->pending_field = 0;
}

const struct dd_dec_codec dd_dec_codec_mpeg2 = {
	.id = DD_CODEC_MPEG2,
	.name = "mpeg2",
	.av_id = AV_CODEC_ID_MPEG2VIDEO,
	.priv_size = sizeof(struct dd_dec_mpeg2),
	.packet = dd_dec_mpeg2_packet,
	.flush = dd_dec_mpeg2_flush,
};
