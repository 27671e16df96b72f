// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_vp9.c - the VP9 packet checks of the daemon: the inputs that have
 * no picture of their own (a superframe still carrying its index, a
 * show_existing_frame header) and jobs whose FRAME control is missing or
 * disagrees with the bitstream are answered ERROR and never decoded.
 * (Exact pictures, hidden frames included, are checked by tests/vm/t-vp9.sh.)
 */
#include <criterion/criterion.h>

#include "dd_av.h"
#include "dd_decoder.h"

#define TV9_W	16
#define TV9_H	16

static u8 tv9_cap[TV9_W * TV9_H * 3 / 2];
static struct v4l2_ctrl_vp9_frame tv9_frame;

static void tv9_setup(void)
{
	cr_assert_eq(dd_av_load(NULL, NULL), 0);
}

TestSuite(vp9_dec, .init = tv9_setup);

static void tv9_job(struct dd_proto_job *job, const void *bits, u32 size, bool ctrl)
{
	memset(job, 0, sizeof(*job));
	job->ctx_id = 1;
	job->codec = DD_CODEC_VP9;
	job->width = TV9_W;
	job->height = TV9_H;
	job->cap_fourcc = V4L2_PIX_FMT_NV12;
	job->cap_num_planes = 2;
	job->cap_stride[0] = TV9_W;
	job->cap_offset[1] = TV9_W * TV9_H;
	job->cap_stride[1] = TV9_W;
	job->bitstream.kind = DD_BUF_INLINE;
	job->bitstream.size = size;
	job->bitstream_data = bits;
	job->capture.kind = DD_BUF_MMAP;
	job->capture.size = sizeof(tv9_cap);
	memset(&tv9_frame, 0, sizeof(tv9_frame));
	tv9_frame.bit_depth = 8;
	tv9_frame.flags = V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING | V4L2_VP9_FRAME_FLAG_Y_SUBSAMPLING;
	tv9_frame.frame_width_minus_1 = TV9_W - 1;
	tv9_frame.frame_height_minus_1 = TV9_H - 1;
	if (ctrl) {
		job->ctrls[0].id = V4L2_CID_STATELESS_VP9_FRAME;
		job->ctrls[0].size = sizeof(tv9_frame);
		job->ctrls[0].data = &tv9_frame;
		job->num_ctrls = 1;
	}
}

static u32 tv9_run(const void *bits, u32 size, bool ctrl, void (*tweak)(void))
{
	struct dd_dec *dec = dd_dec_new(DD_CODEC_VP9, NULL);
	struct dd_capture_dst dst = { .ptr = tv9_cap, .size = sizeof(tv9_cap) };
	struct dd_proto_done done;
	struct dd_proto_job job;

	cr_assert_not_null(dec);
	tv9_job(&job, bits, size, ctrl);
	if (tweak)
		tweak();
	dd_dec_decode(dec, &job, &dst, &done);
	cr_assert_eq(done.bytesused, 0, "no picture was written");
	dd_dec_free(dec);
	return done.status;
}

Test(vp9_dec, offered)
{
	cr_assert(dd_dec_codecs() & BIT(DD_CODEC_VP9));
}

/* frame_marker 2, profile 0, show_existing_frame 1, frame_to_show_map_idx 3. */
static const u8 tv9_show_existing[] = { 0x8b };

Test(vp9_dec, show_existing_frame_is_error)
{
	cr_assert_eq(tv9_run(tv9_show_existing, sizeof(tv9_show_existing), true, NULL),
		     DD_STATUS_ERROR);
}

/* Profile 3: a reserved bit sits before show_existing_frame. */
static const u8 tv9_show_existing_p3[] = { 0xb4 };

Test(vp9_dec, show_existing_frame_profile3_is_error)
{
	cr_assert_eq(tv9_run(tv9_show_existing_p3, sizeof(tv9_show_existing_p3), true, NULL),
		     DD_STATUS_ERROR);
}

/*
 * Two "frames" of 3 and 2 bytes and the index libvpx appends: marker
 * 0xc0 | (mag 1 - 1) << 3 | (2 - 1), sizes one byte each, marker again.
 */
static const u8 tv9_superframe[] = {
	0xa2, 0x49, 0x83, 0xa6, 0x00, 0xc1, 0x03, 0x02, 0xc1,
};

Test(vp9_dec, superframe_is_error)
{
	cr_assert_eq(tv9_run(tv9_superframe, sizeof(tv9_superframe), true, NULL),
		     DD_STATUS_ERROR);
}

static const u8 tv9_no_marker[] = { 0x42, 0x49, 0x83, 0x42 };

Test(vp9_dec, no_frame_marker_is_error)
{
	cr_assert_eq(tv9_run(tv9_no_marker, sizeof(tv9_no_marker), true, NULL), DD_STATUS_ERROR);
	cr_assert_eq(tv9_run(tv9_no_marker, 0, true, NULL), DD_STATUS_ERROR);
}

/* A key frame header start: marker, sync code; far too short to decode. */
static const u8 tv9_key_start[] = { 0x82, 0x49, 0x83, 0x42, 0x00, 0x00, 0xf0, 0x00, 0xf6 };

Test(vp9_dec, missing_frame_control_is_error)
{
	cr_assert_eq(tv9_run(tv9_key_start, sizeof(tv9_key_start), false, NULL),
		     DD_STATUS_ERROR);
}

static void tv9_long_headers(void)
{
	tv9_frame.uncompressed_header_size = 8;
	tv9_frame.compressed_header_size = 2;
}

Test(vp9_dec, headers_longer_than_bitstream_is_error)
{
	cr_assert_eq(tv9_run(tv9_key_start, sizeof(tv9_key_start), true, tv9_long_headers),
		     DD_STATUS_ERROR);
}

Test(vp9_dec, truncated_frame_is_error_not_crash)
{
	cr_assert_eq(tv9_run(tv9_key_start, sizeof(tv9_key_start), true, NULL), DD_STATUS_ERROR);
}
