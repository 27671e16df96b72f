// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_decoder.c - the dlopen() table and the decoder's error paths: a
 * daemon that meets a broken job answers it and keeps decoding.  (Exact
 * pictures are checked end to end by run-streams.sh.)
 */
#include <criterion/criterion.h>

#include "dd_av.h"
#include "dd_decoder.h"

static u8 tdec_cap[64 * 64 * 3 / 2];

static void tdec_setup(void)
{
	cr_assert_eq(dd_av_load(NULL, NULL), 0);
}

TestSuite(decoder, .init = tdec_setup);

static void tdec_job(struct dd_proto_job *job, const void *bits, u32 size)
{
	memset(job, 0, sizeof(*job));
	job->ctx_id = 1;
	job->codec = DD_CODEC_H264;
	job->width = 64;
	job->height = 64;
	job->cap_fourcc = V4L2_PIX_FMT_NV12;
	job->cap_num_planes = 2;
	job->cap_stride[0] = 64;
	job->cap_offset[1] = 64 * 64;
	job->cap_stride[1] = 64;
	job->bitstream.kind = DD_BUF_INLINE;
	job->bitstream.size = size;
	job->bitstream_data = bits;
	job->capture.kind = DD_BUF_MMAP;
	job->capture.size = sizeof(tdec_cap);
}

Test(decoder, library_load_names_missing_library)
{
	cr_assert_eq(dd_av_load("libdaedalus-no-such-avcodec.so.1", NULL), -1);
	cr_assert_eq(dd_av_load(NULL, "libdaedalus-no-such-avutil.so.1"), -1);
	/* The real table is still intact for the other tests. */
	cr_assert_eq(dd_av_load(NULL, NULL), 0);
	cr_assert_eq(dd_av.avcodec_version() >> 16, LIBAVCODEC_VERSION_MAJOR);
}

Test(decoder, codecs_offered)
{
	struct dd_dec *dec;
	u32 want = BIT(DD_CODEC_H264) | BIT(DD_CODEC_HEVC) | BIT(DD_CODEC_MPEG2) | BIT(DD_CODEC_VP8) |
		   BIT(DD_CODEC_VP9);

	cr_assert_eq(dd_dec_codecs() & want, want);
	cr_assert_null(dd_dec_new(DD_CODEC_AV1, NULL));
	cr_assert_null(dd_dec_new(0, NULL));
	dec = dd_dec_new(DD_CODEC_H264, NULL);
	cr_assert_not_null(dec);
	dd_dec_free(dec);
	dd_dec_free(NULL);
	cr_assert_str_eq(dd_dec_codec_name(DD_CODEC_H264), "h264");
	cr_assert_str_eq(dd_dec_codec_name(99), "unknown");
}

Test(decoder, garbage_slices_are_an_error_not_a_crash)
{
	static const u8 junk[] = { 0, 0, 0, 1, 0x65, 0xff, 0x12, 0x34, 0x00, 0x00, 0x01, 0x41,
				   0x9a, 0xbc };
	struct dd_dec *dec = dd_dec_new(DD_CODEC_H264, NULL);
	struct dd_capture_dst dst = { .ptr = tdec_cap, .size = sizeof(tdec_cap) };
	struct dd_proto_done done;
	struct dd_proto_job job;
	int i;

	tdec_job(&job, junk, sizeof(junk));
	for (i = 0; i < 3; i++) {
		memset(&done, 0xaa, sizeof(done));
		dd_dec_decode(dec, &job, &dst, &done);
		cr_assert_eq(done.status, DD_STATUS_ERROR);
		cr_assert_eq(done.hash, 0);
		cr_assert_eq(done.bytesused, 0);
	}
	job.flags = DD_JOB_FLAG_FLUSH;
	job.bitstream.size = 0;
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_ERROR);
	dd_dec_free(dec);
}

Test(decoder, malformed_controls_are_rejected)
{
	struct dd_dec *dec = dd_dec_new(DD_CODEC_H264, NULL);
	struct dd_capture_dst dst = { .ptr = tdec_cap, .size = sizeof(tdec_cap) };
	struct v4l2_ctrl_h264_sps sps = { .profile_idc = 66, .level_idc = 30,
					  .flags = V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY,
					  .pic_width_in_mbs_minus1 = 3,
					  .pic_height_in_map_units_minus1 = 3 };
	struct v4l2_ctrl_h264_pps pps = { 0 };
	struct dd_proto_done done;
	struct dd_proto_job job;

	tdec_job(&job, NULL, 0);
	job.num_ctrls = 1;
	job.ctrls[0] = (struct dd_proto_ctrl){ V4L2_CID_STATELESS_H264_SPS, sizeof(sps) - 4, &sps };
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_ERROR);

	job.num_ctrls = 2;
	job.ctrls[0].size = sizeof(sps);
	job.ctrls[1] = (struct dd_proto_ctrl){ V4L2_CID_STATELESS_H264_PPS, sizeof(pps), &pps };
	pps.num_slice_groups_minus1 = 2;
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_UNSUPPORTED);

	pps.num_slice_groups_minus1 = 0;
	sps.pic_order_cnt_type = 7;
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_ERROR);

	/* Valid parameter sets but no slices: still no picture. */
	sps.pic_order_cnt_type = 2;
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_ERROR);
	dd_dec_free(dec);
}

Test(decoder, codec_mismatch_is_unsupported)
{
	struct dd_dec *dec = dd_dec_new(DD_CODEC_H264, NULL);
	struct dd_capture_dst dst = { .ptr = tdec_cap, .size = sizeof(tdec_cap) };
	struct dd_proto_done done;
	struct dd_proto_job job;

	tdec_job(&job, NULL, 0);
	job.codec = DD_CODEC_VP9;
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.status, DD_STATUS_UNSUPPORTED);
	dd_dec_free(dec);
}
