// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_mpeg2.c - the MPEG-2 codec table and payload validators: what a
 * real stream's headers give passes, the kernel's defaults and
 * normalisations happen, every invalid or unsupported field is refused
 * with one log line naming it.
 */
#include <criterion/criterion.h>

#include "dd_codec.h"
#include "dd_mpeg2.h"
#include "tlog.h"

/* ffmpeg -c:v mpeg2video, 352x288 progressive, a B picture. */
static void tm_seq(struct v4l2_ctrl_mpeg2_sequence *seq)
{
	memset(seq, 0, sizeof(*seq));
	seq->horizontal_size = 352;
	seq->vertical_size = 288;
	seq->vbv_buffer_size = 112 * 16 * 1024;
	seq->profile_and_level_indication = 0x48;
	seq->chroma_format = 1;
	seq->flags = V4L2_MPEG2_SEQ_FLAG_PROGRESSIVE;
}

static void tm_pic_b(struct v4l2_ctrl_mpeg2_picture *pic)
{
	memset(pic, 0, sizeof(*pic));
	pic->backward_ref_ts = 3000;
	pic->forward_ref_ts = 1000;
	pic->flags = V4L2_MPEG2_PIC_FLAG_FRAME_PRED_DCT | V4L2_MPEG2_PIC_FLAG_PROGRESSIVE;
	pic->f_code[0][0] = 2;
	pic->f_code[0][1] = 2;
	pic->f_code[1][0] = 2;
	pic->f_code[1][1] = 2;
	pic->picture_coding_type = V4L2_MPEG2_PIC_CODING_TYPE_B;
	pic->picture_structure = V4L2_MPEG2_PIC_FRAME;
}

Test(mpeg2, table)
{
	const struct dd_codec *c = dd_codec_by_fourcc(V4L2_PIX_FMT_MPEG2_SLICE);
	const struct dd_ctrl_desc *d;

	cr_assert_eq(c, &dd_codec_mpeg2);
	d = dd_codec_find_ctrl(c, V4L2_CID_STATELESS_MPEG2_SEQUENCE);
	cr_assert(d && d->required && d->per_request);
	cr_assert_eq(d->elem_size, sizeof(struct v4l2_ctrl_mpeg2_sequence));
	d = dd_codec_find_ctrl(c, V4L2_CID_STATELESS_MPEG2_PICTURE);
	cr_assert(d && d->required);
	d = dd_codec_find_ctrl(c, V4L2_CID_STATELESS_MPEG2_QUANTISATION);
	cr_assert(d && !d->required && d->per_request);
	for (unsigned int i = 1; i < c->num_ctrls; i++)
		cr_assert_lt(c->ctrls[i - 1].id, c->ctrls[i].id);
}

Test(mpeg2, defaults_are_the_kernels_and_valid)
{
	struct v4l2_ctrl_mpeg2_sequence seq;
	struct v4l2_ctrl_mpeg2_picture pic;
	struct v4l2_ctrl_mpeg2_quantisation q;

	dd_mpeg2_init_sequence(&seq);
	cr_assert_eq(seq.chroma_format, 1);
	dd_mpeg2_init_picture(&pic);
	cr_assert_eq(pic.picture_structure, V4L2_MPEG2_PIC_TOP_FIELD);
	cr_assert_eq(pic.picture_coding_type, V4L2_MPEG2_PIC_CODING_TYPE_I);
	cr_assert_eq(dd_mpeg2_validate_picture(&pic), 0);
	dd_mpeg2_init_quantisation(&q);
	cr_assert_eq(q.intra_quantiser_matrix[0], 8);
	cr_assert_eq(q.intra_quantiser_matrix[63], 83);
	cr_assert_eq(q.non_intra_quantiser_matrix[17], 16);
	cr_assert_eq(q.chroma_intra_quantiser_matrix[5], 0);
	cr_assert_eq(dd_mpeg2_validate_quantisation(&q), 0);
}

Test(mpeg2, real_headers_pass)
{
	struct v4l2_ctrl_mpeg2_sequence seq;
	struct v4l2_ctrl_mpeg2_picture pic;

	tm_seq(&seq);
	cr_assert_eq(dd_mpeg2_validate_sequence(&seq), 0);
	tm_pic_b(&pic);
	pic.reserved[2] = 7;
	cr_assert_eq(dd_mpeg2_validate_picture(&pic), 0);
	cr_assert_eq(pic.reserved[2], 0, "reserved bytes are zeroed as the kernel does");
	/* I picture of an interlaced stream: f_codes 15, bottom field. */
	memset(&pic, 0, sizeof(pic));
	memset(pic.f_code, 15, sizeof(pic.f_code));
	pic.picture_coding_type = V4L2_MPEG2_PIC_CODING_TYPE_I;
	pic.picture_structure = V4L2_MPEG2_PIC_BOTTOM_FIELD;
	cr_assert_eq(dd_mpeg2_validate_picture(&pic), 0);
}

Test(mpeg2, sequence_refusals)
{
	struct v4l2_ctrl_mpeg2_sequence seq;

	tlog_start();
	tm_seq(&seq);
	seq.chroma_format = 0;
	cr_assert_eq(dd_mpeg2_validate_sequence(&seq), -EINVAL);
	cr_assert(tlog_has("chroma_format=0"));
	seq.chroma_format = 2;
	cr_assert_eq(dd_mpeg2_validate_sequence(&seq), -EINVAL);
	cr_assert(tlog_has("unsupported (4:2:0 only)"));
	tm_seq(&seq);
	seq.horizontal_size = 0;
	cr_assert_eq(dd_mpeg2_validate_sequence(&seq), -EINVAL);
	cr_assert(tlog_has("horizontal_size=0"));
	tm_seq(&seq);
	seq.vertical_size = 4097;
	cr_assert_eq(dd_mpeg2_validate_sequence(&seq), -EINVAL);
	cr_assert(tlog_has("vertical_size=4097"));
	tm_seq(&seq);
	seq.flags = 0x80;
	cr_assert_eq(dd_mpeg2_validate_sequence(&seq), -EINVAL);
	cr_assert(tlog_has("flags=128"));
}

Test(mpeg2, picture_refusals)
{
	struct v4l2_ctrl_mpeg2_picture pic;

	tlog_start();
	tm_pic_b(&pic);
	pic.intra_dc_precision = 4;
	cr_assert_eq(dd_mpeg2_validate_picture(&pic), -EINVAL);
	cr_assert(tlog_has("intra_dc_precision=4"));
	tm_pic_b(&pic);
	pic.picture_structure = 0;
	cr_assert_eq(dd_mpeg2_validate_picture(&pic), -EINVAL);
	cr_assert(tlog_has("picture_structure=0"));
	tm_pic_b(&pic);
	pic.picture_coding_type = V4L2_MPEG2_PIC_CODING_TYPE_D;
	cr_assert_eq(dd_mpeg2_validate_picture(&pic), -EINVAL);
	cr_assert(tlog_has("picture_coding_type=4"));
	tm_pic_b(&pic);
	pic.picture_structure = V4L2_MPEG2_PIC_TOP_FIELD;
	cr_assert_eq(dd_mpeg2_validate_picture(&pic), -EINVAL);
	cr_assert(tlog_has("progressive_frame"));
	tm_pic_b(&pic);
	pic.f_code[1][1] = 0;
	cr_assert_eq(dd_mpeg2_validate_picture(&pic), -EINVAL);
	cr_assert(tlog_has("f_code[1][1]=0"));
	tm_pic_b(&pic);
	pic.f_code[0][0] = 16;
	cr_assert_eq(dd_mpeg2_validate_picture(&pic), -EINVAL);
	cr_assert(tlog_has("f_code[0][0]=16"));
	/* A P picture has no backward vectors: 15 there is fine. */
	tm_pic_b(&pic);
	pic.picture_coding_type = V4L2_MPEG2_PIC_CODING_TYPE_P;
	pic.f_code[1][0] = 15;
	pic.f_code[1][1] = 15;
	cr_assert_eq(dd_mpeg2_validate_picture(&pic), 0);
	pic.f_code[0][1] = 10;
	cr_assert_eq(dd_mpeg2_validate_picture(&pic), -EINVAL);
	cr_assert(tlog_has("f_code[0][1]=10"));
}

Test(mpeg2, quantisation_refusals)
{
	struct v4l2_ctrl_mpeg2_quantisation q;

	tlog_start();
	dd_mpeg2_init_quantisation(&q);
	q.non_intra_quantiser_matrix[9] = 0;
	cr_assert_eq(dd_mpeg2_validate_quantisation(&q), -EINVAL);
	cr_assert(tlog_has("non_intra_quantiser_matrix[9]=0"));
}
