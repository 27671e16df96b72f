// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_mpeg2_vp8.c - the MPEG-2 and VP8 packet builders of the daemon:
 * a hand-coded MPEG-2 intra slice decodes through the rebuilt headers to
 * the picture the syntax says (flat grey), a second field reuses the
 * first field's frame, and jobs whose controls disagree with their
 * bitstream are answered ERROR or UNSUPPORTED, never decoded.
 */
#include <criterion/criterion.h>

#include "dd_av.h"
#include "dd_decoder.h"

#define TMV_W	16
#define TMV_H	16

static u8 tmv_cap[TMV_W * TMV_H * 3 / 2];

static void tmv_setup(void)
{
	cr_assert_eq(dd_av_load(NULL, NULL), 0);
}

TestSuite(mpeg2_vp8, .init = tmv_setup);

/*
 * One 16x16 intra macroblock: slice 1, quantiser_scale_code 1, macroblock
 * increment 1, type intra, every block dc size 0 then end of block.
 */
static const u8 tmv_slice[] = { 0x00, 0x00, 0x01, 0x01, 0x0b, 0x94, 0xa5, 0x22, 0x20 };

static void tmv_job(struct dd_proto_job *job, u32 codec, const void *bits, u32 size)
{
	memset(job, 0, sizeof(*job));
	job->ctx_id = 1;
	job->codec = codec;
	job->width = TMV_W;
	job->height = TMV_H;
	job->cap_fourcc = V4L2_PIX_FMT_NV12;
	job->cap_num_planes = 2;
	job->cap_stride[0] = TMV_W;
	job->cap_offset[1] = TMV_W * TMV_H;
	job->cap_stride[1] = TMV_W;
	job->bitstream.kind = DD_BUF_INLINE;
	job->bitstream.size = size;
	job->bitstream_data = bits;
	job->capture.kind = DD_BUF_MMAP;
	job->capture.size = sizeof(tmv_cap);
}

static void tmv_ctrl(struct dd_proto_job *job, u32 id, const void *p, u32 size)
{
	job->ctrls[job->num_ctrls].id = id;
	job->ctrls[job->num_ctrls].size = size;
	job->ctrls[job->num_ctrls].data = p;
	job->num_ctrls++;
}

static void tmv_mpeg2_ctrls(struct v4l2_ctrl_mpeg2_sequence *seq,
			    struct v4l2_ctrl_mpeg2_picture *pic)
{
	memset(seq, 0, sizeof(*seq));
	seq->horizontal_size = TMV_W;
	seq->vertical_size = TMV_H;
	seq->vbv_buffer_size = 112 * 16 * 1024;
	seq->profile_and_level_indication = 0x48;
	seq->chroma_format = 1;
	seq->flags = V4L2_MPEG2_SEQ_FLAG_PROGRESSIVE;
	memset(pic, 0, sizeof(*pic));
	memset(pic->f_code, 15, sizeof(pic->f_code));
	pic->picture_coding_type = V4L2_MPEG2_PIC_CODING_TYPE_I;
	pic->picture_structure = V4L2_MPEG2_PIC_FRAME;
	pic->flags = V4L2_MPEG2_PIC_FLAG_FRAME_PRED_DCT | V4L2_MPEG2_PIC_FLAG_PROGRESSIVE;
}

static bool tmv_all(const u8 *p, size_t n, u8 v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/*
 * One intra slice, twice (the second job is fed without the unchanged
 * sequence header): flat grey each time; DONE.hash is the FNV-1a of the
 * buffer with opts->hash (daedalusd --hash), else 0.
 */
static void tmv_intra_twice(const struct dd_dec_opts *opts)
{
	struct dd_dec *dec = dd_dec_new(DD_CODEC_MPEG2, opts);
	struct dd_capture_dst dst = { .ptr = tmv_cap, .size = sizeof(tmv_cap) };
	struct v4l2_ctrl_mpeg2_sequence seq;
	struct v4l2_ctrl_mpeg2_picture pic;
	struct dd_proto_done done;
	struct dd_proto_job job;
	int i;

	cr_assert_not_null(dec);
	tmv_mpeg2_ctrls(&seq, &pic);
	for (i = 0; i < 2; i++) {
		memset(tmv_cap, 0, sizeof(tmv_cap));
		tmv_job(&job, DD_CODEC_MPEG2, tmv_slice, sizeof(tmv_slice));
		tmv_ctrl(&job, V4L2_CID_STATELESS_MPEG2_SEQUENCE, &seq, sizeof(seq));
		tmv_ctrl(&job, V4L2_CID_STATELESS_MPEG2_PICTURE, &pic, sizeof(pic));
		dd_dec_decode(dec, &job, &dst, &done);
		cr_assert_eq(done.status, DD_STATUS_OK, "job %d", i);
		cr_assert(tmv_all(tmv_cap, sizeof(tmv_cap), 128), "job %d: flat grey", i);
		cr_assert_eq(done.hash, opts && opts->hash ?
			     dd_fnv1a64(DD_FNV1A64_INIT, tmv_cap, sizeof(tmv_cap)) : 0);
	}
	dd_dec_free(dec);
}

Test(mpeg2_vp8, mpeg2_intra_slice_decodes_through_rebuilt_headers)
{
	static const struct dd_dec_opts hashing = { .hash = true };

	tmv_intra_twice(&hashing);
}

Test(mpeg2_vp8, no_hash_by_default_same_picture)
{
	tmv_intra_twice(NULL);
}

Test(mpeg2_vp8, mpeg2_second_field_completes_the_frame)
{
	struct dd_dec *dec = dd_dec_new(DD_CODEC_MPEG2, NULL);
	struct dd_capture_dst dst = { .ptr = tmv_cap, .size = sizeof(tmv_cap) };
	struct v4l2_ctrl_mpeg2_sequence seq;
	struct v4l2_ctrl_mpeg2_picture pic;
	struct dd_proto_done done;
	struct dd_proto_job job;

	/* A 16x32 frame of two 16x16 field pictures, one macroblock each. */
	tmv_mpeg2_ctrls(&seq, &pic);
	seq.vertical_size = 2 * TMV_H;
	seq.flags = 0;
	pic.flags = V4L2_MPEG2_PIC_FLAG_TOP_FIELD_FIRST;
	pic.picture_structure = V4L2_MPEG2_PIC_TOP_FIELD;
	tmv_job(&job, DD_CODEC_MPEG2, tmv_slice, sizeof(tmv_slice));
	job.height = TMV_H;	/* the capture buffer holds half of it: rows 0..15 */
	tmv_ctrl(&job, V4L2_CID_STATELESS_MPEG2_SEQUENCE, &seq, sizeof(seq));
	tmv_ctrl(&job, V4L2_CID_STATELESS_MPEG2_PICTURE, &pic, sizeof(pic));
	memset(tmv_cap, 0, sizeof(tmv_cap));
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_OK);
	/* Top field only: even rows grey, odd rows not decoded yet. */
	cr_assert(tmv_all(tmv_cap, TMV_W, 128));
	cr_assert_not(tmv_all(tmv_cap + TMV_W, TMV_W, 128));
	pic.picture_structure = V4L2_MPEG2_PIC_BOTTOM_FIELD;
	memset(tmv_cap, 0, sizeof(tmv_cap));
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_OK, "the second field allocates no picture");
	cr_assert(tmv_all(tmv_cap, TMV_W * TMV_H, 128), "whole frame after the second field");
	dd_dec_free(dec);
}

Test(mpeg2_vp8, mpeg2_refusals)
{
	static const u8 not_a_slice[] = { 0x00, 0x00, 0x01, 0xb3, 0x01, 0x00, 0x10 };
	struct dd_dec *dec = dd_dec_new(DD_CODEC_MPEG2, NULL);
	struct dd_capture_dst dst = { .ptr = tmv_cap, .size = sizeof(tmv_cap) };
	struct v4l2_ctrl_mpeg2_sequence seq;
	struct v4l2_ctrl_mpeg2_picture pic;
	struct dd_proto_done done;
	struct dd_proto_job job;

	tmv_mpeg2_ctrls(&seq, &pic);
	tmv_job(&job, DD_CODEC_MPEG2, not_a_slice, sizeof(not_a_slice));
	tmv_ctrl(&job, V4L2_CID_STATELESS_MPEG2_SEQUENCE, &seq, sizeof(seq));
	tmv_ctrl(&job, V4L2_CID_STATELESS_MPEG2_PICTURE, &pic, sizeof(pic));
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_ERROR);
	/* No picture control. */
	tmv_job(&job, DD_CODEC_MPEG2, tmv_slice, sizeof(tmv_slice));
	tmv_ctrl(&job, V4L2_CID_STATELESS_MPEG2_SEQUENCE, &seq, sizeof(seq));
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_ERROR);
	/* 4:2:2 is not what CAPTURE holds. */
	seq.chroma_format = 2;
	tmv_ctrl(&job, V4L2_CID_STATELESS_MPEG2_PICTURE, &pic, sizeof(pic));
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_UNSUPPORTED);
	dd_dec_free(dec);
}

Test(mpeg2_vp8, vp8_control_must_agree_with_the_frame_tag)
{
	/* Key frame tag: version 0, shown, first partition 16 bytes; 16x16. */
	static const u8 key[] = { 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x10, 0x00, 0x10, 0x00,
				  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct dd_dec *dec = dd_dec_new(DD_CODEC_VP8, NULL);
	struct dd_capture_dst dst = { .ptr = tmv_cap, .size = sizeof(tmv_cap) };
	struct v4l2_ctrl_vp8_frame f;
	struct dd_proto_done done;
	struct dd_proto_job job;

	cr_assert_not_null(dec);
	memset(&f, 0, sizeof(f));
	f.width = 16;
	f.height = 16;
	f.num_dct_parts = 1;
	f.first_part_size = 16;
	f.flags = V4L2_VP8_FRAME_FLAG_KEY_FRAME;	/* but the tag says shown */
	tmv_job(&job, DD_CODEC_VP8, key, sizeof(key));
	tmv_ctrl(&job, V4L2_CID_STATELESS_VP8_FRAME, &f, sizeof(f));
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_ERROR);
	f.flags |= V4L2_VP8_FRAME_FLAG_SHOW_FRAME;
	f.width = 32;
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_ERROR, "size differs from the key frame's");
	job.num_ctrls = 0;
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_ERROR, "no frame control");
	dd_dec_free(dec);
}
