// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_ioctl.c - dd_ioctl(): capability, formats, frame sizes, decoder
 * commands and a whole decode through the dispatcher and the daemon job
 * entry points.
 */
#include <criterion/criterion.h>

#include "dd_fmt.h"
#include "tdev.h"
#include "tlog.h"

static void ioc_setup(void)
{
	tdev_init();
}

static void ioc_teardown(void)
{
	tdev_fini();
}

TestSuite(ioctl, .init = ioc_setup, .fini = ioc_teardown);

Test(ioctl, querycap_names_and_caps)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_capability cap;

	memset(&cap, 0xff, sizeof(cap));
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QUERYCAP, &cap), 0);
	cr_assert_str_eq((char *)cap.driver, "daedalus-v4l2");
	cr_assert_str_eq((char *)cap.bus_info, "platform:daedalus-v4l2");
	cr_assert_eq(cap.device_caps, V4L2_CAP_VIDEO_M2M_MPLANE | V4L2_CAP_STREAMING);
	cr_assert(cap.capabilities & V4L2_CAP_DEVICE_CAPS);
	cr_assert_eq(cap.reserved[0], 0);
	dd_ctx_close(ctx);
}

Test(ioctl, unknown_ioctl_is_enotty_and_null_arg_efault)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_input in = { 0 };

	cr_assert_eq(dd_ioctl(ctx, VIDIOC_ENUMINPUT, &in), -ENOTTY);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_FMT, NULL), -EFAULT);
	/* video_ioctl2 order: not implemented beats a bad pointer. */
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_ENUMINPUT, NULL), -ENOTTY);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_DECODER_CMD, NULL), -EFAULT);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_LOG_STATUS, NULL), 0);
	dd_ctx_close(ctx);
}

Test(ioctl, enum_fmt_both_queues_and_bad_type)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_fmtdesc f = { .index = 0, .type = TDEV_OUT };

	cr_assert_eq(dd_ioctl(ctx, VIDIOC_ENUM_FMT, &f), 0);
	cr_assert_eq(f.pixelformat, V4L2_PIX_FMT_H264_SLICE);
	f = (struct v4l2_fmtdesc){ .index = 0, .type = TDEV_CAP };
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_ENUM_FMT, &f), 0);
	cr_assert_eq(f.pixelformat, V4L2_PIX_FMT_NV12);
	f = (struct v4l2_fmtdesc){ .index = 0, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_ENUM_FMT, &f), -EINVAL);
	dd_ctx_close(ctx);
}

Test(ioctl, enum_framesizes_h264)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_frmsizeenum fs = { .index = 0, .pixel_format = V4L2_PIX_FMT_H264_SLICE };

	cr_assert_eq(dd_ioctl(ctx, VIDIOC_ENUM_FRAMESIZES, &fs), 0);
	cr_assert_eq(fs.type, V4L2_FRMSIZE_TYPE_STEPWISE);
	fs.index = 1;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_ENUM_FRAMESIZES, &fs), -EINVAL);
	dd_ctx_close(ctx);
}

Test(ioctl, g_fmt_defaults_and_bad_type)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_format f = { .type = TDEV_OUT };

	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_FMT, &f), 0);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_H264_SLICE);
	f = (struct v4l2_format){ .type = TDEV_CAP };
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_FMT, &f), 0);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);
	f = (struct v4l2_format){ .type = V4L2_BUF_TYPE_VIDEO_OUTPUT };
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_FMT, &f), -EINVAL);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_TRY_FMT, &f), -EINVAL);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), -EINVAL);
	dd_ctx_close(ctx);
}

Test(ioctl, s_fmt_output_propagates_to_capture)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_format f = { .type = TDEV_OUT };

	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_H264_SLICE;
	f.fmt.pix_mp.width = 320;
	f.fmt.pix_mp.height = 240;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), 0);
	f = (struct v4l2_format){ .type = TDEV_CAP };
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_FMT, &f), 0);
	cr_assert_eq(f.fmt.pix_mp.width, 320);
	cr_assert_eq(f.fmt.pix_mp.height, 240);
	cr_assert_eq(f.fmt.pix_mp.plane_fmt[0].sizeimage, 320 * 240 * 3 / 2);
	dd_ctx_close(ctx);
}

Test(ioctl, s_fmt_output_ebusy_when_capture_has_buffers)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_format f = { .type = TDEV_OUT };

	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_FMT, &f), 0);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 2), 2);
	f.fmt.pix_mp.width = 640;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), -EBUSY);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 0), 0);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), 0);
	dd_ctx_close(ctx);
}

Test(ioctl, s_fmt_output_busy_rules)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_format f = { .type = TDEV_OUT };

	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_FMT, &f), 0);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 2), 2);
	/* Same codec, new size: allowed while OUTPUT has buffers. */
	f.fmt.pix_mp.width = 640;
	f.fmt.pix_mp.height = 480;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), 0);
	/* Another codec: not while busy. */
	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_VP8_FRAME;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), -EBUSY);
	/* Nothing while streaming. */
	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_H264_SLICE;
	cr_assert_eq(tdev_stream(ctx, TDEV_OUT, true), 0);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), -EBUSY);
	dd_ctx_close(ctx);
}

Test(ioctl, s_fmt_capture_ebusy_with_buffers_and_try_fmt_adjusts)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_format f = { .type = TDEV_CAP };

	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_YUV420;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_TRY_FMT, &f), 0);
	cr_assert_eq(f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_YUV420);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), 0);
	cr_assert_eq(ctx->cap_fmt.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_YUV420);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 1), 1);
	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_NV12;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), -EBUSY);
	cr_assert_eq(ctx->cap_fmt.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_YUV420);
	dd_ctx_close(ctx);
}

Test(ioctl, decoder_cmd_flush_only)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_decoder_cmd dc = { .cmd = V4L2_DEC_CMD_FLUSH, .flags = 3 };

	cr_assert_eq(dd_ioctl(ctx, VIDIOC_TRY_DECODER_CMD, &dc), 0);
	cr_assert_eq(dc.flags, 0);
	dc.cmd = V4L2_DEC_CMD_STOP;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_TRY_DECODER_CMD, &dc), -EINVAL);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_DECODER_CMD, &dc), -EINVAL);
	dc.cmd = V4L2_DEC_CMD_START;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_DECODER_CMD, &dc), -EINVAL);
	dc.cmd = V4L2_DEC_CMD_FLUSH;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_DECODER_CMD, &dc), 0);
	dd_ctx_close(ctx);
}

Test(ioctl, queryctrl_and_ext_ctrls_current_values)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_query_ext_ctrl q = { .id = V4L2_CID_STATELESS_H264_SPS };
	struct v4l2_queryctrl qc = { .id = V4L2_CID_STATELESS_H264_DECODE_MODE };
	struct v4l2_control c = { .id = V4L2_CID_STATELESS_H264_DECODE_MODE };

	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QUERY_EXT_CTRL, &q), 0);
	cr_assert_eq(q.elem_size, sizeof(struct v4l2_ctrl_h264_sps));
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QUERYCTRL, &qc), 0);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_CTRL, &c), 0);
	cr_assert_eq(c.value, V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_CTRL, &c), 0);
	dd_ctx_close(ctx);
}

Test(ioctl, s_ext_ctrls_def_val_is_einval)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_ext_controls cs = { .which = V4L2_CTRL_WHICH_DEF_VAL };

	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_EXT_CTRLS, &cs), -EINVAL);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_TRY_EXT_CTRLS, &cs), -EINVAL);
	dd_ctx_close(ctx);
}

Test(ioctl, whole_decode_job_contents_and_completion)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	struct dd_proto_done done = { 0 };
	struct dd_job *job;
	int fd;

	tdev_setup(ctx, 2, 2);
	cr_assert_eq(tdev_qbuf_cap(ctx, 1), 0);
	fd = tdev_submit(ctx, 0, 42000123, V4L2_BUF_FLAG_KEYFRAME);
	cr_assert_eq(tdev.job_ready, 1);
	job = dd_dev_next_job(&tdev.dev);
	cr_assert_not_null(job);
	cr_assert_eq(job->proto.ctx_id, dd_ctx_id(ctx));
	cr_assert_eq(job->proto.codec, DD_CODEC_H264);
	cr_assert_eq(job->proto.width, ctx->out_fmt.fmt.pix_mp.width);
	cr_assert_eq(job->proto.height, ctx->out_fmt.fmt.pix_mp.height);
	cr_assert_eq(job->proto.cap_fourcc, V4L2_PIX_FMT_NV12);
	cr_assert_eq(job->proto.cap_num_planes, 2);
	cr_assert_eq(job->proto.cap_stride[0], ctx->cap_fmt.fmt.pix_mp.plane_fmt[0].bytesperline);
	cr_assert_eq(job->proto.timestamp, 42000123000ull);
	cr_assert_eq(job->proto.num_ctrls, 3);
	cr_assert_eq(job->proto.bitstream.kind, DD_BUF_INLINE);
	cr_assert_eq(job->proto.bitstream.size, 64);
	cr_assert_eq(((const u8 *)job->proto.bitstream_data)[5], 5);
	cr_assert_eq(job->proto.capture.kind, DD_BUF_MMAP);
	cr_assert_eq(job->proto.capture.offset, ctx->cap_q.bufs[1]->planes[0].mem_offset);
	cr_assert_eq(job->proto.capture.size, ctx->cap_fmt.fmt.pix_mp.plane_fmt[0].sizeimage);
	done.ctx_id = job->proto.ctx_id;
	done.cookie = job->proto.cookie;
	done.bytesused = 1000;
	dd_dev_job_put(&tdev.dev, job);
	cr_assert_not(dd_request_is_complete(tdev_req(fd)));
	cr_assert_eq(dd_dev_complete_job(&tdev.dev, &done), 0);
	cr_assert(dd_request_is_complete(tdev_req(fd)));
	cr_assert_eq(tdev.req_done, 1);
	cr_assert(tdev.wakes >= 1);
	cr_assert_eq(dd_ctx_poll(ctx) & (DD_POLL_IN | DD_POLL_OUT), DD_POLL_IN | DD_POLL_OUT);

	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert_eq(b.index, 1);
	cr_assert_eq(pl[0].bytesused, 1000);
	cr_assert_eq(b.timestamp.tv_sec, 42);
	cr_assert_eq(b.timestamp.tv_usec, 123);
	cr_assert(b.flags & V4L2_BUF_FLAG_KEYFRAME);
	cr_assert_not(b.flags & (V4L2_BUF_FLAG_ERROR | V4L2_BUF_FLAG_DONE));
	cr_assert_eq(b.sequence, 0);
	cr_assert_eq(dd_ctx_find_ref(ctx, 42000123000ull), 1);
	cr_assert_eq(dd_ctx_find_ref(ctx, 1), -1);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_OUT, &b, pl), 0);
	cr_assert_eq(b.index, 0);
	cr_assert(b.flags & V4L2_BUF_FLAG_REQUEST_FD);
	cr_assert_eq(b.request_fd, fd);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_OUT, &b, pl), -EAGAIN);
	dd_ctx_close(ctx);
}

Test(ioctl, job_buffers_hook_overrides_capture_reference)
{
	struct dd_ctx *ctx = tdev_open();
	struct dd_job *job;

	tdev.use_job_buffers = true;
	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	tdev_submit(ctx, 0, 1, 0);
	job = dd_dev_next_job(&tdev.dev);
	cr_assert_not_null(job);
	cr_assert_eq(job->proto.capture.kind, DD_BUF_FD);
	cr_assert_eq(job->proto.capture.id, 7);
	dd_dev_job_put(&tdev.dev, job);
	dd_ctx_close(ctx);
}

Test(ioctl, job_buffers_failure_fails_the_job_at_once)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	int fd;

	tlog_start();
	tdev.use_job_buffers = true;
	tdev.fail_job_buffers = -EIO;
	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	fd = tdev_submit(ctx, 0, 1, 0);
	cr_assert_null(dd_dev_next_job(&tdev.dev));
	cr_assert(dd_request_is_complete(tdev_req(fd)));
	cr_assert(tlog_has("cannot prepare a job"));
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert(b.flags & V4L2_BUF_FLAG_ERROR);
	dd_ctx_close(ctx);
}

Test(ioctl, failed_job_marks_both_buffers_error)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	tdev_submit(ctx, 0, 1, 0);
	cr_assert_eq(tdev_run_job(DD_STATUS_ERROR, 0, NULL), 0);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert(b.flags & V4L2_BUF_FLAG_ERROR);
	cr_assert_eq(pl[0].bytesused, 0);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_OUT, &b, pl), 0);
	cr_assert(b.flags & V4L2_BUF_FLAG_ERROR);
	dd_ctx_close(ctx);
}

Test(ioctl, hold_capture_slices_share_one_picture)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	tdev_setup(ctx, 3, 2);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_eq(tdev_qbuf_cap(ctx, 1), 0);
	tdev_submit(ctx, 0, 10, V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF);
	tdev_submit(ctx, 1, 10, 0);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 100, NULL), 0);
	/* The first slice held its picture. */
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), -EAGAIN);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_OUT, &b, pl), 0);
	cr_assert_eq(ctx->sched.jobs_issued, 2);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 200, NULL), 0);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert_eq(b.index, 0);
	cr_assert_eq(pl[0].bytesused, 200);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), -EAGAIN);
	dd_ctx_close(ctx);
}

Test(ioctl, hold_capture_released_by_new_timestamp)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	tdev_setup(ctx, 2, 2);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_eq(tdev_qbuf_cap(ctx, 1), 0);
	tdev_submit(ctx, 0, 10, V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 100, NULL), 0);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), -EAGAIN);
	tdev_submit(ctx, 1, 20, 0);
	/* A new frame: the held picture is done, the new one goes to buffer 1. */
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert_eq(b.index, 0);
	cr_assert_eq(b.timestamp.tv_usec, 10);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 100, NULL), 0);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert_eq(b.index, 1);
	cr_assert_eq(b.timestamp.tv_usec, 20);
	dd_ctx_close(ctx);
}

Test(ioctl, flush_releases_the_held_capture)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_decoder_cmd dc = { .cmd = V4L2_DEC_CMD_FLUSH };
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	tdev_setup(ctx, 2, 2);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	tdev_submit(ctx, 0, 10, V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 100, NULL), 0);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), -EAGAIN);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_DECODER_CMD, &dc), 0);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert_eq(b.index, 0);
	cr_assert_eq(pl[0].bytesused, 100);
	dd_ctx_close(ctx);
}

Test(ioctl, flush_clears_hold_of_the_pending_slice)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_decoder_cmd dc = { .cmd = V4L2_DEC_CMD_FLUSH };
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	tdev_setup(ctx, 2, 2);
	tdev_submit(ctx, 0, 10, V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF);
	/* No CAPTURE buffer yet: the slice waits; flush drops its hold. */
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_DECODER_CMD, &dc), 0);
	cr_assert_not(ctx->out_q.bufs[0]->flags & V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 100, NULL), 0);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert_eq(b.index, 0);
	dd_ctx_close(ctx);
}

Test(ioctl, two_contexts_one_stalled_other_progresses)
{
	struct dd_ctx *a = tdev_open();
	struct dd_ctx *b = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer vb;
	u32 id;

	cr_assert_neq(dd_ctx_id(a), dd_ctx_id(b));
	tdev_setup(a, 2, 2);
	tdev_setup(b, 2, 2);
	/* a has bitstream but no CAPTURE buffer: it stalls. */
	tdev_submit(a, 0, 1, 0);
	cr_assert_eq(tdev_qbuf_cap(b, 0), 0);
	tdev_submit(b, 0, 1, 0);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 10, &id), 0);
	cr_assert_eq(id, dd_ctx_id(b));
	cr_assert_eq(tdev_dqbuf(b, TDEV_CAP, &vb, pl), 0);
	cr_assert_null(dd_dev_next_job(&tdev.dev));
	cr_assert_eq(tdev_qbuf_cap(a, 0), 0);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 10, &id), 0);
	cr_assert_eq(id, dd_ctx_id(a));
	dd_ctx_close(a);
	dd_ctx_close(b);
}

Test(ioctl, close_with_job_in_flight_cancels_and_rejects_late_done)
{
	struct dd_ctx *ctx = tdev_open();
	struct dd_proto_done done = { 0 };
	struct dd_job *job;
	u32 id = dd_ctx_id(ctx);
	int fd;

	tlog_start();
	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	fd = tdev_submit(ctx, 0, 1, 0);
	job = dd_dev_next_job(&tdev.dev);
	cr_assert_not_null(job);
	done.ctx_id = job->proto.ctx_id;
	done.cookie = job->proto.cookie;
	dd_ctx_close(ctx);
	cr_assert_eq(tdev.ctx_closed, 1);
	cr_assert_eq(tdev.last_closed, id);
	/* The job is still readable until put. */
	cr_assert_eq(job->proto.bitstream.size, 64);
	dd_dev_job_put(&tdev.dev, job);
	cr_assert(dd_request_is_complete(tdev_req(fd)));
	cr_assert_eq(dd_dev_complete_job(&tdev.dev, &done), -ENOENT);
	cr_assert(tlog_has("unknown context"));
}

Test(ioctl, daemon_loss_fails_every_job)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	struct dd_job *job;

	tdev_setup(ctx, 2, 2);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_eq(tdev_qbuf_cap(ctx, 1), 0);
	tdev_submit(ctx, 0, 1, 0);
	tdev_submit(ctx, 1, 2, 0);
	job = dd_dev_next_job(&tdev.dev);
	dd_dev_job_put(&tdev.dev, job);
	cr_assert_eq(dd_dev_fail_all_jobs(&tdev.dev), 1);
	/* The next job was issued after the failure and waits for a daemon. */
	cr_assert(dd_dev_has_jobs(&tdev.dev));
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert(b.flags & V4L2_BUF_FLAG_ERROR);
	cr_assert_eq(dd_dev_fail_all_jobs(&tdev.dev), 1);
	cr_assert_not(dd_dev_has_jobs(&tdev.dev));
	dd_ctx_close(ctx);
}

Test(ioctl, watchdog_expires_old_jobs_only)
{
	struct dd_ctx *ctx = tdev_open();
	struct dd_job *job;
	u64 start;

	dd_dev_set_timeout(&tdev.dev, 1000000);
	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	tdev_submit(ctx, 0, 1, 0);
	job = dd_dev_next_job(&tdev.dev);
	start = job->start_ns;
	dd_dev_job_put(&tdev.dev, job);
	cr_assert_eq(dd_dev_expire_jobs(&tdev.dev, start + 1000), 0);
	cr_assert_eq(dd_dev_expire_jobs(&tdev.dev, start + 2000000), 1);
	cr_assert_eq(dd_ctx_poll(ctx) & DD_POLL_IN, DD_POLL_IN);
	dd_ctx_close(ctx);
}

Test(ioctl, poll_reports_err_when_idle)
{
	struct dd_ctx *ctx = tdev_open();

	cr_assert_eq(dd_ctx_poll(ctx), DD_POLL_ERR);
	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_eq(dd_ctx_poll(ctx), 0);
	dd_ctx_close(ctx);
}

Test(ioctl, g_selection_capture_compose_is_coded_size)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_format f = { .type = TDEV_OUT };
	struct v4l2_selection sel = { .type = TDEV_CAP, .target = V4L2_SEL_TGT_COMPOSE };

	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_H264_SLICE;
	f.fmt.pix_mp.width = 320;
	f.fmt.pix_mp.height = 176;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), 0);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_SELECTION, &sel), 0);
	cr_assert_eq(sel.r.width, 320);
	cr_assert_eq(sel.r.height, 176);
	sel.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	sel.target = V4L2_SEL_TGT_COMPOSE_PADDED;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_SELECTION, &sel), 0);
	cr_assert_eq(sel.r.width, ctx->cap_fmt.fmt.pix_mp.width);
	sel.target = V4L2_SEL_TGT_CROP;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_SELECTION, &sel), -EINVAL);
	sel.type = TDEV_OUT;
	sel.target = V4L2_SEL_TGT_COMPOSE;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_SELECTION, &sel), -EINVAL);
	dd_ctx_close(ctx);
}

Test(ioctl, g_selection_clears_reserved)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_selection sel = { .type = TDEV_CAP, .target = V4L2_SEL_TGT_COMPOSE };
	unsigned int i;

	memset(sel.reserved, 0xa5, sizeof(sel.reserved));
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_SELECTION, &sel), 0);
	for (i = 0; i < ARRAY_SIZE(sel.reserved); i++)
		cr_assert_eq(sel.reserved[i], 0, "reserved[%u] not cleared", i);
	dd_ctx_close(ctx);
}

static u32 ioc_job_flags(void)
{
	struct dd_job *job = dd_dev_next_job(&tdev.dev);
	struct dd_proto_done done = { 0 };
	u32 flags;

	cr_assert_not_null(job);
	flags = job->proto.flags;
	done.ctx_id = job->proto.ctx_id;
	done.cookie = job->proto.cookie;
	dd_dev_job_put(&tdev.dev, job);
	cr_assert_eq(dd_dev_complete_job(&tdev.dev, &done), 0);
	return flags;
}

Test(ioctl, first_job_of_a_stream_asks_for_a_fresh_decoder)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	tdev_setup(ctx, 2, 2);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_eq(tdev_qbuf_cap(ctx, 1), 0);
	tdev_submit(ctx, 0, 1, 0);
	tdev_submit(ctx, 1, 2, 0);
	cr_assert_eq(ioc_job_flags(), DD_JOB_FLAG_FLUSH);
	cr_assert_eq(ioc_job_flags(), 0);
	/* A seek: OUTPUT stops and starts again. */
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert_eq(tdev_stream(ctx, TDEV_OUT, false), 0);
	cr_assert_eq(tdev_stream(ctx, TDEV_OUT, true), 0);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	tdev_submit(ctx, 0, 3, 0);
	cr_assert_eq(ioc_job_flags(), DD_JOB_FLAG_FLUSH);
	dd_ctx_close(ctx);
}
