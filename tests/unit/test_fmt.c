// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_fmt.c - format negotiation rules: ENUM_FMT, ENUM_FRAMESIZES,
 * TRY_FMT on both queues, defaults, OUTPUT -> CAPTURE propagation and the
 * CAPTURE plane layout handed to the daemon.
 */
#include <criterion/criterion.h>

#include "dd_fmt.h"

static void tf_out(struct v4l2_format *f, u32 fourcc, u32 w, u32 h, u32 size)
{
	memset(f, 0, sizeof(*f));
	f->type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
	f->fmt.pix_mp.pixelformat = fourcc;
	f->fmt.pix_mp.width = w;
	f->fmt.pix_mp.height = h;
	f->fmt.pix_mp.plane_fmt[0].sizeimage = size;
	f->fmt.pix_mp.colorspace = V4L2_COLORSPACE_REC709;
}

static void tf_cap(struct v4l2_format *f, u32 fourcc, u32 bpl)
{
	memset(f, 0, sizeof(*f));
	f->type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
	f->fmt.pix_mp.pixelformat = fourcc;
	f->fmt.pix_mp.plane_fmt[0].bytesperline = bpl;
}

Test(fmt, enum_output)
{
	struct v4l2_fmtdesc f = { .index = 0, .type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE };

	memset(f.reserved, 0xff, sizeof(f.reserved));
	cr_assert_eq(dd_fmt_enum_output(&f), 0);
	cr_assert_eq(f.pixelformat, V4L2_PIX_FMT_H264_SLICE);
	cr_assert_eq(f.flags, V4L2_FMT_FLAG_COMPRESSED);
	cr_assert_str_eq((char *)f.description, "H.264 Parsed Slice Data");
	cr_assert_eq(f.reserved[0], 0);
	f.index = dd_num_codecs;
	cr_assert_eq(dd_fmt_enum_output(&f), -EINVAL);
}

Test(fmt, enum_output_wrong_type)
{
	struct v4l2_fmtdesc f = { .index = 0, .type = V4L2_BUF_TYPE_VIDEO_OUTPUT };

	cr_assert_eq(dd_fmt_enum_output(&f), -EINVAL);
	f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
	cr_assert_eq(dd_fmt_enum_output(&f), -EINVAL);
}

Test(fmt, enum_capture)
{
	struct v4l2_fmtdesc f = { .index = 0, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE };

	f.flags = 0xff;
	cr_assert_eq(dd_fmt_enum_capture(&dd_codec_h264, DD_FMT_DEPTH_8, &f), 0);
	cr_assert_eq(f.pixelformat, V4L2_PIX_FMT_NV12);
	cr_assert_eq(f.flags, 0, "raw formats carry no flags");
	cr_assert_str_eq((char *)f.description, "Y/UV 4:2:0");
	f.index = 1;
	cr_assert_eq(dd_fmt_enum_capture(&dd_codec_h264, DD_FMT_DEPTH_8, &f), 0);
	cr_assert_eq(f.pixelformat, V4L2_PIX_FMT_YUV420);
	cr_assert_str_eq((char *)f.description, "Planar YUV 4:2:0");
	f.index = 2;
	cr_assert_eq(dd_fmt_enum_capture(&dd_codec_h264, DD_FMT_DEPTH_8, &f), -EINVAL);
	f.index = 0;
	f.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
	cr_assert_eq(dd_fmt_enum_capture(&dd_codec_h264, DD_FMT_DEPTH_8, &f), -EINVAL);
	f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	cr_assert_eq(dd_fmt_enum_capture(&dd_codec_h264, DD_FMT_DEPTH_8, &f), -EINVAL);
}

Test(fmt, cap_format_lookup)
{
	cr_assert_eq(dd_num_cap_formats, 3);
	cr_assert_eq(dd_cap_format_by_fourcc(V4L2_PIX_FMT_NV12)->num_planes, 2);
	cr_assert_eq(dd_cap_format_by_fourcc(V4L2_PIX_FMT_YUV420)->num_planes, 3);
	cr_assert_eq(dd_cap_format_by_fourcc(V4L2_PIX_FMT_P010)->num_planes, 2);
	cr_assert_eq(dd_cap_format_by_fourcc(V4L2_PIX_FMT_P010)->depth, 10);
	cr_assert_eq(dd_cap_format_by_fourcc(V4L2_PIX_FMT_P010)->cpp, 2);
	cr_assert_null(dd_cap_format_by_fourcc(V4L2_PIX_FMT_NV21));
	cr_assert_null(dd_cap_format_by_fourcc(V4L2_PIX_FMT_H264_SLICE));
}

Test(fmt, enum_framesizes)
{
	struct v4l2_frmsizeenum fs = { .index = 0, .pixel_format = V4L2_PIX_FMT_H264_SLICE };

	cr_assert_eq(dd_fmt_enum_framesizes(&fs), 0);
	cr_assert_eq(fs.type, V4L2_FRMSIZE_TYPE_STEPWISE);
	cr_assert_eq(fs.stepwise.min_width, 16);
	cr_assert_eq(fs.stepwise.max_width, 4096);
	cr_assert_eq(fs.stepwise.step_width, 16);
	cr_assert_eq(fs.stepwise.min_height, 16);
	cr_assert_eq(fs.stepwise.max_height, 2304);
	cr_assert_eq(fs.stepwise.step_height, 16);
	fs.index = 1;
	cr_assert_eq(dd_fmt_enum_framesizes(&fs), -EINVAL);
}

Test(fmt, enum_framesizes_raw_and_unknown)
{
	struct v4l2_frmsizeenum fs = { .index = 0, .pixel_format = V4L2_PIX_FMT_NV12 };

	cr_assert_eq(dd_fmt_enum_framesizes(&fs), -EINVAL);
	fs.pixel_format = V4L2_PIX_FMT_H264;
	cr_assert_eq(dd_fmt_enum_framesizes(&fs), -EINVAL);
}

Test(fmt, try_output_aligns_and_keeps_valid)
{
	struct v4l2_format f;

	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 1920, 1080, 0);
	cr_assert_eq(dd_fmt_try_output(&f), 0);
	cr_assert_eq(f.fmt.pix_mp.width, 1920);
	cr_assert_eq(f.fmt.pix_mp.height, 1088, "rounded up to the macroblock");
	cr_assert_eq(f.fmt.pix_mp.num_planes, 1);
	cr_assert_eq(f.fmt.pix_mp.field, V4L2_FIELD_NONE);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].bytesperline, 0);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_H264_SLICE);
}

Test(fmt, try_output_clamps)
{
	struct v4l2_format f;

	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 1, 0, 0);
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.width, 16);
	cr_assert_eq(f.fmt.pix_mp.height, 16);
	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 8000, 5000, 0);
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.width, 4096);
	cr_assert_eq(f.fmt.pix_mp.height, 2304);
	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 4095, 2290, 0);
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.width, 4096);
	cr_assert_eq(f.fmt.pix_mp.height, 2304);
	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 0xffffffff, 0xffffffff, 0);
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.width, 4096);
	cr_assert_eq(f.fmt.pix_mp.height, 2304);
}

Test(fmt, try_output_unknown_fourcc_falls_back)
{
	struct v4l2_format f;

	tf_out(&f, V4L2_PIX_FMT_NV12, 640, 480, 0);
	cr_assert_eq(dd_fmt_try_output(&f), 0);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_H264_SLICE);
	cr_assert_eq(f.fmt.pix_mp.width, 640);
	cr_assert_eq(f.fmt.pix_mp.height, 480);
}

Test(fmt, try_output_wrong_type)
{
	struct v4l2_format f;

	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 640, 480, 0);
	f.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
	cr_assert_eq(dd_fmt_try_output(&f), -EINVAL);
	f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
	cr_assert_eq(dd_fmt_try_output(&f), -EINVAL);
	f.type = V4L2_BUF_TYPE_META_OUTPUT;
	cr_assert_eq(dd_fmt_try_output(&f), -EINVAL);
}

Test(fmt, try_output_sizeimage)
{
	struct v4l2_format f;
	u32 def;

	/* Small frames: the 1 MiB floor. */
	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 320, 240, 0);
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage, 1024 * 1024);
	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 320, 240, 100);
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage, 1024 * 1024);
	/* A larger client value is kept... */
	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 320, 240, 2 * 1024 * 1024);
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage, 2 * 1024 * 1024);
	/* ...up to 16 MiB or twice a raw frame, whichever is more. */
	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 1920, 1088, 0xfffffff0);
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage, 16 * 1024 * 1024);
	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 4096, 2304, 0xfffffff0);
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage, 4096 * 2304 * 3);
	/* 4K: half a raw 4:2:0 frame. */
	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 4096, 2304, 0);
	dd_fmt_try_output(&f);
	def = 4096 * 2304 * 3 / 4;
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage, def);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage % 4096, 0);
}

Test(fmt, try_output_clears_planes_and_reserved)
{
	struct v4l2_format f;

	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 640, 480, 0);
	f.fmt.pix_mp.num_planes = 3;
	f.fmt.pix_mp.plane_fmt[0].bytesperline = 640;
	f.fmt.pix_mp.plane_fmt[1].sizeimage = 1234;
	f.fmt.pix_mp.field = V4L2_FIELD_INTERLACED;
	f.fmt.pix_mp.flags = V4L2_PIX_FMT_FLAG_PREMUL_ALPHA;
	memset(f.fmt.pix_mp.reserved, 0xff, sizeof(f.fmt.pix_mp.reserved));
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.num_planes, 1);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].bytesperline, 0);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[1].sizeimage, 0);
	cr_assert_eq(f.fmt.pix_mp.field, V4L2_FIELD_NONE);
	cr_assert_eq(f.fmt.pix_mp.flags, 0);
	cr_assert_eq(f.fmt.pix_mp.reserved[0], 0);
}

Test(fmt, try_output_colorimetry)
{
	struct v4l2_format f;

	tf_out(&f, V4L2_PIX_FMT_H264_SLICE, 640, 480, 0);
	f.fmt.pix_mp.colorspace = V4L2_COLORSPACE_BT2020;
	f.fmt.pix_mp.xfer_func = V4L2_XFER_FUNC_SMPTE2084;
	f.fmt.pix_mp.ycbcr_enc = V4L2_YCBCR_ENC_BT2020;
	f.fmt.pix_mp.quantization = V4L2_QUANTIZATION_LIM_RANGE;
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.colorspace, V4L2_COLORSPACE_BT2020);
	cr_assert_eq(f.fmt.pix_mp.xfer_func, V4L2_XFER_FUNC_SMPTE2084);
	cr_assert_eq(f.fmt.pix_mp.ycbcr_enc, V4L2_YCBCR_ENC_BT2020);
	cr_assert_eq(f.fmt.pix_mp.quantization, V4L2_QUANTIZATION_LIM_RANGE);

	f.fmt.pix_mp.colorspace = V4L2_COLORSPACE_DEFAULT;
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.colorspace, V4L2_COLORSPACE_REC709);
	cr_assert_eq(f.fmt.pix_mp.xfer_func, V4L2_XFER_FUNC_DEFAULT);
	cr_assert_eq(f.fmt.pix_mp.ycbcr_enc, V4L2_YCBCR_ENC_DEFAULT);

	f.fmt.pix_mp.colorspace = 200;
	f.fmt.pix_mp.xfer_func = 77;
	f.fmt.pix_mp.ycbcr_enc = 99;
	f.fmt.pix_mp.quantization = 9;
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.colorspace, V4L2_COLORSPACE_REC709);
	cr_assert_eq(f.fmt.pix_mp.xfer_func, V4L2_XFER_FUNC_DEFAULT);
	cr_assert_eq(f.fmt.pix_mp.ycbcr_enc, V4L2_YCBCR_ENC_DEFAULT);
	cr_assert_eq(f.fmt.pix_mp.quantization, V4L2_QUANTIZATION_DEFAULT);

	f.fmt.pix_mp.colorspace = V4L2_COLORSPACE_SRGB;
	f.fmt.pix_mp.xfer_func = 77;
	f.fmt.pix_mp.ycbcr_enc = V4L2_YCBCR_ENC_601;
	f.fmt.pix_mp.quantization = V4L2_QUANTIZATION_FULL_RANGE;
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.colorspace, V4L2_COLORSPACE_SRGB);
	cr_assert_eq(f.fmt.pix_mp.xfer_func, V4L2_XFER_FUNC_DEFAULT);
	cr_assert_eq(f.fmt.pix_mp.ycbcr_enc, V4L2_YCBCR_ENC_601);
	cr_assert_eq(f.fmt.pix_mp.quantization, V4L2_QUANTIZATION_FULL_RANGE);

	/* A valid colorspace keeps its own fields; bad ones are dropped. */
	f.fmt.pix_mp.colorspace = V4L2_COLORSPACE_BT2020;
	f.fmt.pix_mp.xfer_func = V4L2_XFER_FUNC_709;
	f.fmt.pix_mp.ycbcr_enc = 42;
	f.fmt.pix_mp.quantization = 42;
	dd_fmt_try_output(&f);
	cr_assert_eq(f.fmt.pix_mp.colorspace, V4L2_COLORSPACE_BT2020);
	cr_assert_eq(f.fmt.pix_mp.xfer_func, V4L2_XFER_FUNC_709);
	cr_assert_eq(f.fmt.pix_mp.ycbcr_enc, V4L2_YCBCR_ENC_DEFAULT);
	cr_assert_eq(f.fmt.pix_mp.quantization, V4L2_QUANTIZATION_DEFAULT);
}

Test(fmt, try_capture_nv12)
{
	struct v4l2_format out, f;

	tf_out(&out, V4L2_PIX_FMT_H264_SLICE, 1920, 1080, 0);
	dd_fmt_try_output(&out);
	tf_cap(&f, V4L2_PIX_FMT_NV12, 0);
	f.fmt.pix_mp.width = 4000;
	f.fmt.pix_mp.height = 100;
	cr_assert_eq(dd_fmt_try_capture(&out, DD_FMT_DEPTH_8, &f), 0);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);
	cr_assert_eq(f.fmt.pix_mp.width, 1920, "size follows OUTPUT");
	cr_assert_eq(f.fmt.pix_mp.height, 1088);
	cr_assert_eq(f.fmt.pix_mp.num_planes, 1);
	cr_assert_eq(f.fmt.pix_mp.field, V4L2_FIELD_NONE);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].bytesperline, 1920);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage, 1920 * 1088 * 3 / 2);
}

Test(fmt, try_capture_yuv420)
{
	struct v4l2_format out, f;

	tf_out(&out, V4L2_PIX_FMT_H264_SLICE, 176, 144, 0);
	dd_fmt_try_output(&out);
	tf_cap(&f, V4L2_PIX_FMT_YUV420, 0);
	cr_assert_eq(dd_fmt_try_capture(&out, DD_FMT_DEPTH_8, &f), 0);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_YUV420);
	cr_assert_eq(f.fmt.pix_mp.width, 176);
	cr_assert_eq(f.fmt.pix_mp.height, 144);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].bytesperline, 176);
	/* Y 176x144 + Cb 88x72 + Cr 88x72 */
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage,
		     176 * 144 + 2 * 88 * 72);
}

Test(fmt, try_capture_unknown_fourcc_falls_back_to_nv12)
{
	struct v4l2_format out, f;

	dd_fmt_default_output(&out);
	tf_cap(&f, V4L2_PIX_FMT_RGB24, 0);
	cr_assert_eq(dd_fmt_try_capture(&out, DD_FMT_DEPTH_8, &f), 0);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);
}

Test(fmt, try_capture_wrong_type)
{
	struct v4l2_format out, f;

	dd_fmt_default_output(&out);
	tf_cap(&f, V4L2_PIX_FMT_NV12, 0);
	f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	cr_assert_eq(dd_fmt_try_capture(&out, DD_FMT_DEPTH_8, &f), -EINVAL);
	f.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
	cr_assert_eq(dd_fmt_try_capture(&out, DD_FMT_DEPTH_8, &f), -EINVAL);
}

Test(fmt, try_capture_bytesperline)
{
	struct v4l2_format out, f;

	tf_out(&out, V4L2_PIX_FMT_H264_SLICE, 1280, 720, 0);
	dd_fmt_try_output(&out);
	/* Smaller than the width: raised. */
	tf_cap(&f, V4L2_PIX_FMT_NV12, 100);
	dd_fmt_try_capture(&out, DD_FMT_DEPTH_8, &f);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].bytesperline, 1280);
	/* Larger: kept, aligned to 16. */
	tf_cap(&f, V4L2_PIX_FMT_NV12, 1300);
	dd_fmt_try_capture(&out, DD_FMT_DEPTH_8, &f);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].bytesperline, 1312);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage, 1312 * 720 * 3 / 2);
	/* Absurd: capped. */
	tf_cap(&f, V4L2_PIX_FMT_YUV420, 0xfffffff0);
	dd_fmt_try_capture(&out, DD_FMT_DEPTH_8, &f);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].bytesperline, 16384);
}

Test(fmt, try_capture_copies_colorimetry)
{
	struct v4l2_format out, f;

	tf_out(&out, V4L2_PIX_FMT_H264_SLICE, 640, 480, 0);
	out.fmt.pix_mp.colorspace = V4L2_COLORSPACE_SMPTE170M;
	out.fmt.pix_mp.xfer_func = V4L2_XFER_FUNC_709;
	out.fmt.pix_mp.ycbcr_enc = V4L2_YCBCR_ENC_601;
	out.fmt.pix_mp.quantization = V4L2_QUANTIZATION_LIM_RANGE;
	dd_fmt_try_output(&out);
	tf_cap(&f, V4L2_PIX_FMT_NV12, 0);
	f.fmt.pix_mp.colorspace = V4L2_COLORSPACE_SRGB;
	f.fmt.pix_mp.quantization = V4L2_QUANTIZATION_FULL_RANGE;
	dd_fmt_try_capture(&out, DD_FMT_DEPTH_8, &f);
	cr_assert_eq(f.fmt.pix_mp.colorspace, V4L2_COLORSPACE_SMPTE170M);
	cr_assert_eq(f.fmt.pix_mp.xfer_func, V4L2_XFER_FUNC_709);
	cr_assert_eq(f.fmt.pix_mp.ycbcr_enc, V4L2_YCBCR_ENC_601);
	cr_assert_eq(f.fmt.pix_mp.quantization, V4L2_QUANTIZATION_LIM_RANGE);
}

Test(fmt, defaults)
{
	struct v4l2_format out, cap;

	memset(&out, 0xa5, sizeof(out));
	dd_fmt_default_output(&out);
	cr_assert_eq(out.type, V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE);
	cr_assert_eq(out.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_H264_SLICE);
	cr_assert_eq(out.fmt.pix_mp.width, 1280);
	cr_assert_eq(out.fmt.pix_mp.height, 720);
	cr_assert_eq(out.fmt.pix_mp.num_planes, 1);
	cr_assert_eq(out.fmt.pix_mp.colorspace, V4L2_COLORSPACE_REC709);
	cr_assert_geq(out.fmt.pix_mp.plane_fmt[0].sizeimage, 1024 * 1024);
	cr_assert_eq(out.fmt.pix_mp.reserved[0], 0);

	memset(&cap, 0xa5, sizeof(cap));
	dd_fmt_default_capture(&out, &cap);
	cr_assert_eq(cap.type, V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE);
	cr_assert_eq(cap.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);
	cr_assert_eq(cap.fmt.pix_mp.width, 1280);
	cr_assert_eq(cap.fmt.pix_mp.height, 720);
	cr_assert_eq(cap.fmt.pix_mp.plane_fmt[0].bytesperline, 1280);
	cr_assert_eq(cap.fmt.pix_mp.plane_fmt[0].sizeimage, 1280 * 720 * 3 / 2);
	cr_assert_eq(cap.fmt.pix_mp.colorspace, V4L2_COLORSPACE_REC709);
}

Test(fmt, propagate_resets_size_keeps_fourcc)
{
	struct v4l2_format out, cap;

	dd_fmt_default_output(&out);
	tf_cap(&cap, V4L2_PIX_FMT_YUV420, 2048);
	dd_fmt_try_capture(&out, DD_FMT_DEPTH_8, &cap);
	cr_assert_eq(cap.fmt.pix_mp.plane_fmt[0].bytesperline, 2048);

	tf_out(&out, V4L2_PIX_FMT_H264_SLICE, 352, 288, 0);
	out.fmt.pix_mp.colorspace = V4L2_COLORSPACE_BT2020;
	out.fmt.pix_mp.ycbcr_enc = V4L2_YCBCR_ENC_BT2020;
	dd_fmt_try_output(&out);
	dd_fmt_propagate(&out, DD_FMT_DEPTH_8, &cap);
	cr_assert_eq(cap.type, V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE);
	cr_assert_eq(cap.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_YUV420);
	cr_assert_eq(cap.fmt.pix_mp.width, 352);
	cr_assert_eq(cap.fmt.pix_mp.height, 288);
	cr_assert_eq(cap.fmt.pix_mp.plane_fmt[0].bytesperline, 352,
		     "old padded stride dropped");
	cr_assert_eq(cap.fmt.pix_mp.plane_fmt[0].sizeimage, 352 * 288 * 3 / 2);
	cr_assert_eq(cap.fmt.pix_mp.colorspace, V4L2_COLORSPACE_BT2020);
	cr_assert_eq(cap.fmt.pix_mp.ycbcr_enc, V4L2_YCBCR_ENC_BT2020);
}

Test(fmt, propagate_bad_fourcc)
{
	struct v4l2_format out, cap;

	dd_fmt_default_output(&out);
	memset(&cap, 0, sizeof(cap));
	cap.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_MJPEG;
	dd_fmt_propagate(&out, DD_FMT_DEPTH_8, &cap);
	cr_assert_eq(cap.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);
	cr_assert_eq(cap.fmt.pix_mp.width, 1280);
}

Test(fmt, cap_layout_nv12)
{
	struct v4l2_format out, cap;
	u32 n, off[3], stride[3];

	tf_out(&out, V4L2_PIX_FMT_H264_SLICE, 1920, 1080, 0);
	dd_fmt_try_output(&out);
	tf_cap(&cap, V4L2_PIX_FMT_NV12, 2048);
	dd_fmt_try_capture(&out, DD_FMT_DEPTH_8, &cap);
	memset(off, 0xff, sizeof(off));
	memset(stride, 0xff, sizeof(stride));
	dd_fmt_cap_layout(&cap, &n, off, stride);
	cr_assert_eq(n, 2);
	cr_assert_eq(off[0], 0);
	cr_assert_eq(stride[0], 2048);
	cr_assert_eq(off[1], 2048 * 1088);
	cr_assert_eq(stride[1], 2048);
	cr_assert_eq(off[2], 0);
	cr_assert_eq(stride[2], 0);
	cr_assert_eq(off[1] + stride[1] * 1088 / 2, cap.fmt.pix_mp.plane_fmt[0].sizeimage);
}

Test(fmt, cap_layout_yuv420)
{
	struct v4l2_format out, cap;
	u32 n, off[3], stride[3];

	tf_out(&out, V4L2_PIX_FMT_H264_SLICE, 176, 144, 0);
	dd_fmt_try_output(&out);
	tf_cap(&cap, V4L2_PIX_FMT_YUV420, 0);
	dd_fmt_try_capture(&out, DD_FMT_DEPTH_8, &cap);
	dd_fmt_cap_layout(&cap, &n, off, stride);
	cr_assert_eq(n, 3);
	cr_assert_eq(off[0], 0);
	cr_assert_eq(stride[0], 176);
	cr_assert_eq(off[1], 176 * 144);
	cr_assert_eq(stride[1], 88);
	cr_assert_eq(off[2], 176 * 144 + 88 * 72);
	cr_assert_eq(stride[2], 88);
	cr_assert_eq(off[2] + stride[2] * 72, cap.fmt.pix_mp.plane_fmt[0].sizeimage);
}
