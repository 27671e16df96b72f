// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_multicodec.c - what S_FMT(OUTPUT) to another codec does to a
 * context: the CAPTURE format follows the new coded size (its fourcc
 * kept), the controls become the new codec's at their defaults, the
 * "seen" bits of the required-control rule start over; controls set on
 * the context count as seen; a request whose controls belong to the old
 * codec cannot be queued.
 */
#include <stdlib.h>
#include <criterion/criterion.h>

#include "dd_ctx.h"
#include "dd_dev.h"
#include "dd_ioctl.h"
#include "dd_mpeg2.h"
#include "dd_request.h"
#include "tdev.h"
#include "tlog.h"

TestSuite(multicodec, .init = tdev_init, .fini = tdev_fini);

static int tmc_s_fmt_out(struct dd_ctx *ctx, u32 fourcc, u32 w, u32 h)
{
	struct v4l2_format f = { .type = TDEV_OUT };

	f.fmt.pix_mp.pixelformat = fourcc;
	f.fmt.pix_mp.width = w;
	f.fmt.pix_mp.height = h;
	return (int)dd_ioctl(ctx, VIDIOC_S_FMT, &f);
}

static void tmc_g_fmt(struct dd_ctx *ctx, u32 type, struct v4l2_format *f)
{
	memset(f, 0, sizeof(*f));
	f->type = type;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_FMT, f), 0);
}

static void tmc_seq(struct v4l2_ctrl_mpeg2_sequence *seq)
{
	memset(seq, 0, sizeof(*seq));
	seq->horizontal_size = 352;
	seq->vertical_size = 288;
	seq->chroma_format = 1;
	seq->flags = V4L2_MPEG2_SEQ_FLAG_PROGRESSIVE;
}

static void tmc_pic(struct v4l2_ctrl_mpeg2_picture *pic)
{
	memset(pic, 0, sizeof(*pic));
	memset(pic->f_code, 15, sizeof(pic->f_code));
	pic->picture_coding_type = V4L2_MPEG2_PIC_CODING_TYPE_I;
	pic->picture_structure = V4L2_MPEG2_PIC_FRAME;
}

Test(multicodec, other_codec_resets_capture_and_controls)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_ctrl_mpeg2_sequence seq;
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_format f;

	cr_assert_eq(ctx->codec, &dd_codec_h264);
	/* The client asked for planar YUV 4:2:0 at 1280x720 padding. */
	tmc_g_fmt(ctx, TDEV_CAP, &f);
	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_YUV420;
	f.fmt.pix_mp.plane_fmt[0].bytesperline = 2048;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), 0);

	cr_assert_eq(tmc_s_fmt_out(ctx, V4L2_PIX_FMT_MPEG2_SLICE, 352, 288), 0);
	cr_assert_eq(ctx->codec, &dd_codec_mpeg2);
	tmc_g_fmt(ctx, TDEV_CAP, &f);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_YUV420, "fourcc kept");
	cr_assert_eq(f.fmt.pix_mp.width, 352);
	cr_assert_eq(f.fmt.pix_mp.height, 288);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].bytesperline, 352, "stride starts over");
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage, 352 * 288 * 3 / 2);

	/*
	 * H.264's controls are gone, MPEG-2's are there at their defaults.  (The
	 * kernel module keeps every codec's controls in one handler, as cedrus
	 * does; clients set controls after S_FMT, as the stateless API says.)
	 */
	memset(&sps, 0, sizeof(sps));
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, -1, V4L2_CID_STATELESS_H264_SPS,
				   &sps, sizeof(sps)), -EINVAL);
	memset(&seq, 0xff, sizeof(seq));
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_G_EXT_CTRLS, -1,
				   V4L2_CID_STATELESS_MPEG2_SEQUENCE, &seq, sizeof(seq)), 0);
	cr_assert_eq(seq.chroma_format, 1);
	cr_assert_eq(seq.horizontal_size, 16);
	dd_ctx_close(ctx);
}

Test(multicodec, seen_bits_start_over_with_the_codec_only)
{
	struct dd_ctx *ctx = tdev_open();

	ctx->ctrls_seen = ~0ull;
	/* Same codec, new size: values and history stay. */
	cr_assert_eq(tmc_s_fmt_out(ctx, V4L2_PIX_FMT_H264_SLICE, 640, 480), 0);
	cr_assert_eq(ctx->ctrls_seen, ~0ull);
	cr_assert_eq(tmc_s_fmt_out(ctx, V4L2_PIX_FMT_VP8_FRAME, 640, 480), 0);
	cr_assert_eq(ctx->ctrls_seen, 0);
	cr_assert_eq(ctx->codec, &dd_codec_vp8);
	dd_ctx_close(ctx);
}

/* GStreamer's v4l2slmpeg2dec sets the sequence on the context, not in requests. */
Test(multicodec, controls_set_on_the_context_count_as_seen)
{
	struct dd_ctx *ctx = tdev_open(), *bare = tdev_open();
	struct v4l2_ctrl_mpeg2_sequence seq;
	struct v4l2_ctrl_mpeg2_picture pic;
	int fd;

	tlog_start();
	tmc_seq(&seq);
	tmc_pic(&pic);
	for (int i = 0; i < 2; i++) {
		struct dd_ctx *c = i ? bare : ctx;

		cr_assert_eq(tmc_s_fmt_out(c, V4L2_PIX_FMT_MPEG2_SLICE, 352, 288), 0);
		if (c == ctx)
			cr_assert_eq(tdev_ext_ctrl(c, VIDIOC_S_EXT_CTRLS, -1,
						   V4L2_CID_STATELESS_MPEG2_SEQUENCE, &seq,
						   sizeof(seq)), 0);
		tdev_setup(c, 2, 4);
		fd = tdev_req_alloc();
		cr_assert_eq(tdev_ext_ctrl(c, VIDIOC_S_EXT_CTRLS, fd,
					   V4L2_CID_STATELESS_MPEG2_PICTURE, &pic, sizeof(pic)), 0);
		cr_assert_eq(tdev_qbuf_out(c, 0, fd, 1, 64, 0), 0);
		if (c == ctx) {
			cr_assert_eq(dd_request_queue(tdev_req(fd)), 0);
		} else {
			cr_assert_eq(dd_request_queue(tdev_req(fd)), -ENOENT);
			cr_assert(tlog_has("MPEG-2 Sequence Header"));
		}
	}
	dd_ctx_close(bare);
	dd_ctx_close(ctx);
}

Test(multicodec, request_controls_of_the_old_codec_are_refused)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_ctrl_vp8_frame frame;
	int fd;

	tlog_start();
	fd = tdev_req_alloc();
	cr_assert_eq(tdev_set_required(ctx, fd), 0, "H.264 controls in the request");
	cr_assert_eq(tmc_s_fmt_out(ctx, V4L2_PIX_FMT_VP8_FRAME, 320, 240), 0);
	memset(&frame, 0, sizeof(frame));
	frame.num_dct_parts = 1;
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, -1, V4L2_CID_STATELESS_VP8_FRAME,
				   &frame, sizeof(frame)), 0);
	tdev_setup(ctx, 2, 4);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 1, 64, 0), 0);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), -EINVAL);
	cr_assert(tlog_has("controls are h264's, the OUTPUT format is vp8"));
	dd_ctx_close(ctx);
}
