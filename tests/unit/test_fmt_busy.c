// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_fmt_busy.c - S_FMT's -EBUSY rules (dd_fmt_s_fmt_busy), which the
 * userspace dispatcher and the kernel module both apply.
 */
#include <criterion/criterion.h>

#include "dd_fmt.h"

static void tfb_fmt(struct v4l2_format *f, u32 type, u32 fourcc)
{
	memset(f, 0, sizeof(*f));
	f->type = type;
	f->fmt.pix_mp.pixelformat = fourcc;
}

Test(fmt_busy, output_rules)
{
	struct v4l2_format cur, same, other;
	struct dd_fmt_busy b = { 0 };

	tfb_fmt(&cur, V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE, V4L2_PIX_FMT_H264_SLICE);
	tfb_fmt(&same, V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE, V4L2_PIX_FMT_H264_SLICE);
	tfb_fmt(&other, V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE, V4L2_PIX_FMT_VP8_FRAME);
	cr_assert_eq(dd_fmt_s_fmt_busy(&cur, &other, &b), 0);
	/* Buffers on OUTPUT: the size may change, the codec not. */
	b.out_busy = true;
	cr_assert_eq(dd_fmt_s_fmt_busy(&cur, &same, &b), 0);
	cr_assert_eq(dd_fmt_s_fmt_busy(&cur, &other, &b), -EBUSY);
	/* Streaming OUTPUT: nothing changes. */
	b.out_streaming = true;
	cr_assert_eq(dd_fmt_s_fmt_busy(&cur, &same, &b), -EBUSY);
	/* CAPTURE buffers: OUTPUT would reset CAPTURE's format. */
	b = (struct dd_fmt_busy){ .cap_busy = true };
	cr_assert_eq(dd_fmt_s_fmt_busy(&cur, &same, &b), -EBUSY);
}

Test(fmt_busy, capture_rules)
{
	struct v4l2_format cur, cap;
	struct dd_fmt_busy b = { .out_streaming = true, .out_busy = true };

	tfb_fmt(&cur, V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE, V4L2_PIX_FMT_H264_SLICE);
	tfb_fmt(&cap, V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE, V4L2_PIX_FMT_NV12);
	/* OUTPUT's state does not matter to CAPTURE. */
	cr_assert_eq(dd_fmt_s_fmt_busy(&cur, &cap, &b), 0);
	b.cap_busy = true;
	cr_assert_eq(dd_fmt_s_fmt_busy(&cur, &cap, &b), -EBUSY);
}
