// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_depth.c - the stream's bit depth and the CAPTURE formats through the
 * userspace dispatcher: an HEVC SPS or VP9 FRAME set outside a request
 * switches CAPTURE between the 8-bit formats (NV12, YUV420) and P010
 * (ENUM_FMT, G_FMT, TRY/S_FMT), -EBUSY while CAPTURE has buffers, the
 * request-time mismatch check, and the P010 layout a job carries.
 */
#include <criterion/criterion.h>

#include "dd_fmt.h"
#include "dd_hevc.h"
#include "dd_proto.h"
#include "tdev.h"
#include "tlog.h"

TestSuite(depth, .init = tdev_init, .fini = tdev_fini);

static int tdp_s_fmt_out(struct dd_ctx *ctx, u32 fourcc, u32 w, u32 h)
{
	struct v4l2_format f = { .type = TDEV_OUT };

	f.fmt.pix_mp.pixelformat = fourcc;
	f.fmt.pix_mp.width = w;
	f.fmt.pix_mp.height = h;
	return (int)dd_ioctl(ctx, VIDIOC_S_FMT, &f);
}

static struct v4l2_format tdp_g_cap(struct dd_ctx *ctx)
{
	struct v4l2_format f = { .type = TDEV_CAP };

	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_FMT, &f), 0);
	return f;
}

/* The CAPTURE fourccs ENUM_FMT lists, in order, 0-terminated. */
static void tdp_enum_cap(struct dd_ctx *ctx, u32 out[4])
{
	struct v4l2_fmtdesc d;
	u32 i;

	for (i = 0; i < 4; i++) {
		memset(&d, 0, sizeof(d));
		d.type = TDEV_CAP;
		d.index = i;
		if (dd_ioctl(ctx, VIDIOC_ENUM_FMT, &d))
			break;
		out[i] = d.pixelformat;
	}
	cr_assert_lt(i, 4);
	out[i] = 0;
}

static void tdp_sps(struct v4l2_ctrl_hevc_sps *sps, u32 w, u32 h, u8 depth_minus8)
{
	dd_codec_find_ctrl(&dd_codec_hevc, V4L2_CID_STATELESS_HEVC_SPS)->init(sps);
	sps->pic_width_in_luma_samples = w;
	sps->pic_height_in_luma_samples = h;
	sps->bit_depth_luma_minus8 = depth_minus8;
	sps->bit_depth_chroma_minus8 = depth_minus8;
}

static int tdp_set_sps(struct dd_ctx *ctx, int req_fd, u8 depth_minus8)
{
	struct v4l2_ctrl_hevc_sps sps;

	tdp_sps(&sps, 320, 240, depth_minus8);
	return tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, req_fd, V4L2_CID_STATELESS_HEVC_SPS,
			     &sps, sizeof(sps));
}

static struct dd_ctx *tdp_open_hevc(void)
{
	struct dd_ctx *ctx = tdev_open();

	cr_assert_eq(tdp_s_fmt_out(ctx, V4L2_PIX_FMT_HEVC_SLICE, 320, 240), 0);
	return ctx;
}

Test(depth, hevc_sps_switches_capture_formats)
{
	struct dd_ctx *ctx = tdp_open_hevc();
	struct v4l2_format f;
	u32 fmts[4];

	tdp_enum_cap(ctx, fmts);
	cr_assert_eq(fmts[0], V4L2_PIX_FMT_NV12);
	cr_assert_eq(fmts[1], V4L2_PIX_FMT_YUV420);
	cr_assert_eq(fmts[2], 0);
	cr_assert_eq(tdp_g_cap(ctx).fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);

	/* Main 10 SPS outside a request (GStreamer's negotiation). */
	cr_assert_eq(tdp_set_sps(ctx, -1, 2), 0);
	tdp_enum_cap(ctx, fmts);
	cr_assert_eq(fmts[0], V4L2_PIX_FMT_P010);
	cr_assert_eq(fmts[1], 0);
	f = tdp_g_cap(ctx);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_P010);
	cr_assert_eq(f.fmt.pix_mp.width, 320);
	cr_assert_eq(f.fmt.pix_mp.height, 240);
	cr_assert_eq(f.fmt.pix_mp.num_planes, 1);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].bytesperline, 640);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage, 640 * 240 * 3 / 2);

	/* An 8-bit fourcc becomes P010, for TRY and S_FMT alike. */
	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_NV12;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_TRY_FMT, &f), 0);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_P010);
	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_YUV420;
	f.fmt.pix_mp.plane_fmt[0].bytesperline = 700;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), 0);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_P010);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].bytesperline, 704, "client padding kept");
	cr_assert_eq(tdp_g_cap(ctx).fmt.pix_mp.plane_fmt[0].bytesperline, 704);

	/* A new size keeps the stream's depth; the stride starts over. */
	cr_assert_eq(tdp_s_fmt_out(ctx, V4L2_PIX_FMT_HEVC_SLICE, 640, 480), 0);
	f = tdp_g_cap(ctx);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_P010);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].bytesperline, 1280);

	/* Back to 8 bits: NV12 again, YUV420 allowed. */
	cr_assert_eq(tdp_set_sps(ctx, -1, 0), 0);
	f = tdp_g_cap(ctx);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);
	cr_assert_eq(f.fmt.pix_mp.width, 640, "size kept");
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].bytesperline, 640);
	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_P010;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_TRY_FMT, &f), 0);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12, "no P010 at 8 bits");
	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_YUV420;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), 0);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_YUV420);
	dd_ctx_close(ctx);
}

Test(depth, same_depth_keeps_client_format)
{
	struct dd_ctx *ctx = tdp_open_hevc();
	struct v4l2_format f = tdp_g_cap(ctx);

	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_YUV420;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), 0);
	/* A new 8-bit SPS does not reset an 8-bit format. */
	cr_assert_eq(tdp_set_sps(ctx, -1, 0), 0);
	cr_assert_eq(tdp_g_cap(ctx).fmt.pix_mp.pixelformat, V4L2_PIX_FMT_YUV420);
	dd_ctx_close(ctx);
}

Test(depth, depth_change_with_capture_buffers_ebusy)
{
	struct dd_ctx *ctx = tdp_open_hevc();
	struct v4l2_ctrl_hevc_sps sps;
	struct v4l2_ext_control c[2];
	struct v4l2_ext_controls cs = { .count = 2, .controls = c };
	struct v4l2_ctrl_hevc_pps pps = { 0 };

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 2), 2);
	tlog_start();
	cr_assert_eq(tdp_set_sps(ctx, -1, 2), -EBUSY);
	cr_assert(tlog_has("stream bit depth 10 while CAPTURE holds 8-bit buffers"), "%s",
		  tlog_buf);
	cr_assert_eq(tdp_g_cap(ctx).fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);
	cr_assert_eq(dd_ctrls_depth(&ctx->ctrls, false), 8, "the value was not set");

	/* All or nothing: the PPS before it is not set either; error_idx names the SPS. */
	pps.pic_parameter_set_id = 5;
	tdp_sps(&sps, 320, 240, 2);
	memset(c, 0, sizeof(c));
	c[0].id = V4L2_CID_STATELESS_HEVC_PPS;
	c[0].size = sizeof(pps);
	c[0].ptr = &pps;
	c[1].id = V4L2_CID_STATELESS_HEVC_SPS;
	c[1].size = sizeof(sps);
	c[1].ptr = &sps;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_EXT_CTRLS, &cs), -EBUSY);
	cr_assert_eq(cs.error_idx, 1);
	cr_assert_eq(((struct v4l2_ctrl_hevc_pps *)
		      dd_ctrls_find(&ctx->ctrls, V4L2_CID_STATELESS_HEVC_PPS)->p)
		     ->pic_parameter_set_id, 0);

	/* The same depth is fine with buffers; TRY does not care. */
	cr_assert_eq(tdp_set_sps(ctx, -1, 0), 0);
	tdp_sps(&sps, 320, 240, 2);
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_TRY_EXT_CTRLS, -1, V4L2_CID_STATELESS_HEVC_SPS,
				   &sps, sizeof(sps)), 0);
	/* Free CAPTURE's buffers and the switch goes through. */
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 0), 0);
	cr_assert_eq(tdp_set_sps(ctx, -1, 2), 0);
	cr_assert_eq(tdp_g_cap(ctx).fmt.pix_mp.pixelformat, V4L2_PIX_FMT_P010);
	dd_ctx_close(ctx);
}

/* A request with the required HEVC controls at the context's values. */
static int tdp_request(struct dd_ctx *ctx, int depth_minus8)
{
	int fd = tdev_req_alloc();

	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	if (depth_minus8 >= 0)
		cr_assert_eq(tdp_set_sps(ctx, fd, (u8)depth_minus8), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 1, 64, 0), 0);
	return fd;
}

Test(depth, request_depth_must_match_capture)
{
	struct dd_ctx *ctx = tdp_open_hevc();
	int fd;

	cr_assert_eq(tdp_set_sps(ctx, -1, 0), 0);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	/* A 10-bit SPS in the request, NV12 on CAPTURE. */
	fd = tdp_request(ctx, 2);
	tlog_start();
	cr_assert_eq(dd_request_queue(tdev_req(fd)), -EINVAL);
	cr_assert(tlog_has("request: hevc picture is 10-bit, the CAPTURE format NV12 is 8-bit"),
		  "%s", tlog_buf);
	cr_assert_eq(dd_request_state(tdev_req(fd)), DD_REQ_IDLE);
	cr_assert_eq(dd_request_reinit(tdev_req(fd)), 0);
	tdev_req_close(fd);

	/* The stream goes 10-bit outside a request: an 8-bit SPS is refused... */
	cr_assert_eq(tdp_set_sps(ctx, -1, 2), 0);
	fd = tdp_request(ctx, 0);
	tlog_start();
	cr_assert_eq(dd_request_queue(tdev_req(fd)), -EINVAL);
	cr_assert(tlog_has("hevc picture is 8-bit, the CAPTURE format P010 is 10-bit"), "%s",
		  tlog_buf);
	cr_assert_eq(dd_request_reinit(tdev_req(fd)), 0);
	tdev_req_close(fd);
	/* ...one without an SPS takes the context's (10-bit) and passes. */
	fd = tdp_request(ctx, -1);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), 0);
	dd_ctx_close(ctx);
}

Test(depth, p010_job_layout)
{
	struct dd_ctx *ctx = tdp_open_hevc();
	struct dd_job *job;
	int fd;

	cr_assert_eq(tdp_s_fmt_out(ctx, V4L2_PIX_FMT_HEVC_SLICE, 328, 200), 0);
	cr_assert_eq(tdp_set_sps(ctx, -1, 2), 0);
	tdev_setup(ctx, 1, 1);
	fd = tdp_request(ctx, 2);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), 0);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	job = dd_dev_next_job(&tdev.dev);
	cr_assert_not_null(job);
	cr_assert_eq(job->proto.cap_fourcc, V4L2_PIX_FMT_P010);
	cr_assert_eq(job->proto.cap_num_planes, 2);
	/* 328 aligned to 336 samples of 2 bytes; 200 aligned to 208 rows. */
	cr_assert_eq(job->proto.cap_stride[0], 672);
	cr_assert_eq(job->proto.cap_stride[1], 672);
	cr_assert_eq(job->proto.cap_offset[0], 0);
	cr_assert_eq(job->proto.cap_offset[1], 672 * 208);
	cr_assert_geq(job->proto.capture.size, 672 * 208 * 3 / 2);
	dd_dev_job_put(&tdev.dev, job);
	dd_ctx_close(ctx);
}

Test(depth, vp9_profile2_frame)
{
	struct dd_ctx *ctx = tdev_open();
	const struct dd_ctrl_desc *d = dd_codec_find_ctrl(&dd_codec_vp9,
							  V4L2_CID_STATELESS_VP9_FRAME);
	struct v4l2_ctrl_vp9_frame f;
	u32 fmts[4];

	cr_assert_eq(tdp_s_fmt_out(ctx, V4L2_PIX_FMT_VP9_FRAME, 352, 288), 0);
	d->init(&f);
	f.frame_width_minus_1 = 351;
	f.frame_height_minus_1 = 287;
	f.profile = 2;
	f.bit_depth = 10;
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, -1, V4L2_CID_STATELESS_VP9_FRAME,
				   &f, sizeof(f)), 0);
	tdp_enum_cap(ctx, fmts);
	cr_assert_eq(fmts[0], V4L2_PIX_FMT_P010);
	cr_assert_eq(fmts[1], 0);
	cr_assert_eq(tdp_g_cap(ctx).fmt.pix_mp.plane_fmt[0].bytesperline, 704);
	/* 12 bits stays refused, and changes nothing. */
	f.bit_depth = 12;
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, -1, V4L2_CID_STATELESS_VP9_FRAME,
				   &f, sizeof(f)), -EINVAL);
	cr_assert_eq(tdp_g_cap(ctx).fmt.pix_mp.pixelformat, V4L2_PIX_FMT_P010);
	/* Another codec starts from its (8-bit) defaults. */
	cr_assert_eq(tdp_s_fmt_out(ctx, V4L2_PIX_FMT_H264_SLICE, 352, 288), 0);
	cr_assert_eq(tdp_g_cap(ctx).fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);
	tdp_enum_cap(ctx, fmts);
	cr_assert_eq(fmts[0], V4L2_PIX_FMT_NV12);
	dd_ctx_close(ctx);
}

Test(depth, fmt_helpers)
{
	struct v4l2_format out, cap;

	dd_fmt_default_output(&out);
	dd_fmt_default_capture(&out, &cap);
	cr_assert_eq(dd_fmt_cap_depth(&cap), 8);
	/* Not a depth control, or the same depth: nothing to check or change. */
	cr_assert_eq(dd_fmt_depth_may_change(0, true, &cap), 0);
	cr_assert_eq(dd_fmt_depth_may_change(8, true, &cap), 0);
	cr_assert_eq(dd_fmt_depth_may_change(10, false, &cap), 0);
	cr_assert_not(dd_fmt_set_depth(&out, 0, &cap));
	cr_assert_not(dd_fmt_set_depth(&out, 8, &cap));
	cr_assert_eq(dd_fmt_request_depth_ok("x", 0, &cap), 0);
	cr_assert(dd_fmt_set_depth(&out, 10, &cap));
	cr_assert_eq(cap.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_P010);
	cr_assert_eq(dd_fmt_cap_depth(&cap), 10);
	cr_assert_eq(cap.fmt.pix_mp.plane_fmt[0].bytesperline, 2 * 1280);
	cr_assert_eq(dd_fmt_request_depth_ok("x", 10, &cap), 0);
	cr_assert_eq(dd_fmt_request_depth_ok("x", 8, &cap), -EINVAL);
	/* An unknown fourcc counts as 8-bit. */
	cap.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_NV21;
	cr_assert_eq(dd_fmt_cap_depth(&cap), 8);
}
