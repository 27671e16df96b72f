// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_request.c - the request lifecycle: binding a buffer and controls,
 * MEDIA_REQUEST_IOC_QUEUE validation, completion (values readable, POLLPRI),
 * REINIT, fd lifetime, and the errnos the request API documents.
 */
#include <criterion/criterion.h>

#include "tdev.h"
#include "tlog.h"

static void tr_setup(void)
{
	tdev_init();
}

static void tr_teardown(void)
{
	tdev_fini();
}

TestSuite(request, .init = tr_setup, .fini = tr_teardown);

static struct v4l2_ctrl_h264_decode_params tr_dp(struct dd_ctx *ctx)
{
	struct dd_ctrl_val *v = dd_ctrls_find(&ctx->ctrls, V4L2_CID_STATELESS_H264_DECODE_PARAMS);

	cr_assert_not_null(v);
	return *(struct v4l2_ctrl_h264_decode_params *)v->p;
}

Test(request, new_request_is_idle)
{
	int fd = tdev_req_alloc();

	cr_assert_eq(dd_request_state(tdev_req(fd)), DD_REQ_IDLE);
	cr_assert_not(dd_request_is_complete(tdev_req(fd)));
}

Test(request, queue_without_buffer_enoent)
{
	struct dd_ctx *ctx = tdev_open();
	int fd = tdev_req_alloc();

	tlog_start();
	cr_assert_eq(dd_request_queue(tdev_req(fd)), -ENOENT, "empty request");
	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), -ENOENT, "controls only");
	cr_assert(tlog_has("without an OUTPUT buffer"));
	cr_assert_eq(dd_request_state(tdev_req(fd)), DD_REQ_IDLE);
	dd_ctx_close(ctx);
}

Test(request, queue_without_controls_enoent)
{
	struct dd_ctx *ctx = tdev_open();
	int fd = tdev_req_alloc();

	tlog_start();
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 0, 10, 0), 0);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), -ENOENT);
	cr_assert(tlog_has("without controls"));
	dd_ctx_close(ctx);
}

Test(request, queue_missing_required_control_enoent)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_ctrl_h264_decode_params dp = tr_dp(ctx);
	int fd = tdev_req_alloc();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, fd,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 0, 10, 0), 0);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), -ENOENT);
	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), 0);
	dd_ctx_close(ctx);
}

Test(request, two_output_buffers_einval)
{
	struct dd_ctx *ctx = tdev_open();
	int fd = tdev_req_alloc();

	tlog_start();
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 2), 2);
	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 0, 10, 0), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 1, fd, 0, 10, 0), 0);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), -EINVAL);
	cr_assert(tlog_has("2 OUTPUT buffers"));
	dd_ctx_close(ctx);
}

Test(request, queue_twice_ebusy)
{
	struct dd_ctx *ctx = tdev_open();
	int fd;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	fd = tdev_submit(ctx, 0, 1, 0);
	cr_assert_eq(dd_request_state(tdev_req(fd)), DD_REQ_QUEUED);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), -EBUSY);
	dd_ctx_close(ctx);
}

Test(request, buffer_flags_through_the_lifecycle)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	int fd = tdev_req_alloc();
	u32 flags;

	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 7, 10, 0), 0);
	flags = tdev_flags(ctx, TDEV_OUT, 0);
	cr_assert(flags & V4L2_BUF_FLAG_IN_REQUEST);
	cr_assert(flags & V4L2_BUF_FLAG_REQUEST_FD);
	cr_assert_not(flags & V4L2_BUF_FLAG_QUEUED);
	cr_assert_eq(tdev_querybuf(ctx, TDEV_OUT, 0, &b, pl), 0);
	cr_assert_eq(b.request_fd, fd);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), 0);
	flags = tdev_flags(ctx, TDEV_OUT, 0);
	cr_assert(flags & V4L2_BUF_FLAG_QUEUED);
	cr_assert_not(flags & V4L2_BUF_FLAG_IN_REQUEST);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 1, NULL), 0);
	flags = tdev_flags(ctx, TDEV_OUT, 0);
	cr_assert(flags & V4L2_BUF_FLAG_DONE);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_OUT, &b, pl), 0);
	cr_assert_eq(b.request_fd, fd);
	cr_assert_eq(tdev_flags(ctx, TDEV_OUT, 0) & V4L2_BUF_FLAG_REQUEST_FD, 0);
	dd_ctx_close(ctx);
}

Test(request, qbuf_bad_request_fd_einval)
{
	struct dd_ctx *ctx = tdev_open();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, 5, 0, 10, 0), -EINVAL);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, TDEV_FD_BASE + 3, 0, 10, 0), -EINVAL);
	cr_assert_eq(tdev_flags(ctx, TDEV_OUT, 0) & V4L2_BUF_FLAG_IN_REQUEST, 0);
	dd_ctx_close(ctx);
}

Test(request, qbuf_into_queued_request_ebusy)
{
	struct dd_ctx *ctx = tdev_open();
	int fd;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 2), 2);
	fd = tdev_submit(ctx, 0, 1, 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 1, fd, 0, 10, 0), -EBUSY);
	dd_ctx_close(ctx);
}

Test(request, qbuf_buffer_already_in_request_einval)
{
	struct dd_ctx *ctx = tdev_open();
	int fd1 = tdev_req_alloc(), fd2 = tdev_req_alloc();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd1, 0, 10, 0), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd2, 0, 10, 0), -EINVAL);
	cr_assert_eq(tdev_req(fd2)->num_bufs, 0);
	dd_ctx_close(ctx);
}

Test(request, request_of_another_context_einval)
{
	struct dd_ctx *a = tdev_open(), *b = tdev_open();
	int fd = tdev_req_alloc();

	cr_assert_eq(tdev_set_required(a, fd), 0);
	cr_assert_eq(tdev_reqbufs(b, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_qbuf_out(b, 0, fd, 0, 10, 0), -EINVAL);
	cr_assert_eq(tdev_set_required(b, fd), -EINVAL);
	dd_ctx_close(a);
	dd_ctx_close(b);
}

Test(request, s_ext_ctrls_on_queued_request_ebusy)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_ctrl_h264_decode_params dp = tr_dp(ctx);
	int fd;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	fd = tdev_submit(ctx, 0, 1, 0);
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, fd,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), -EBUSY);
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_TRY_EXT_CTRLS, fd,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), -EBUSY);
	dd_ctx_close(ctx);
}

Test(request, g_ext_ctrls_before_completion_eacces)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_ctrl_h264_decode_params dp = tr_dp(ctx);
	int fd = tdev_req_alloc();

	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_G_EXT_CTRLS, fd,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), -EACCES);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_G_EXT_CTRLS, fd,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), -EACCES);
	dd_ctx_close(ctx);
}

Test(request, ext_ctrls_bad_request_fd_einval)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_ctrl_h264_decode_params dp = tr_dp(ctx);

	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, -5,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), -EINVAL);
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, 3,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), -EINVAL);
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_G_EXT_CTRLS, 3,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), -EINVAL);
	dd_ctx_close(ctx);
}

Test(request, completed_request_values_readable)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_ctrl_h264_decode_params dp = tr_dp(ctx), got;
	int fd = tdev_req_alloc();

	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	dp.frame_num = 9;
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, fd,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 0, 10, 0), 0);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), 0);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	/* Applied to the context's current values when the job started. */
	cr_assert_eq(tr_dp(ctx).frame_num, 9);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 1, NULL), 0);
	cr_assert(dd_request_is_complete(tdev_req(fd)));
	cr_assert_eq(tdev.last_done_req, tdev_req(fd));
	memset(&got, 0, sizeof(got));
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_G_EXT_CTRLS, fd,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &got, sizeof(got)), 0);
	cr_assert_eq(got.frame_num, 9);
	dd_ctx_close(ctx);
}

Test(request, completed_request_snapshots_unset_values)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_ctrl_h264_decode_params dp = tr_dp(ctx);
	struct v4l2_ext_control c = { .id = V4L2_CID_STATELESS_H264_DECODE_MODE };
	struct v4l2_ext_controls cs = { .which = V4L2_CTRL_WHICH_REQUEST_VAL, .count = 1,
					.controls = &c };
	int fd1, fd2;

	tdev_setup(ctx, 2, 2);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_eq(tdev_qbuf_cap(ctx, 1), 0);
	fd1 = tdev_req_alloc();
	cr_assert_eq(tdev_set_required(ctx, fd1), 0);
	dp.frame_num = 4;
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, fd1,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd1, 0, 10, 0), 0);
	cr_assert_eq(dd_request_queue(tdev_req(fd1)), 0);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 1, NULL), 0);
	/* A request that never set DECODE_MODE reads the current value. */
	cs.request_fd = fd1;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_EXT_CTRLS, &cs), 0);
	cr_assert_eq(c.value, V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED);
	fd2 = tdev_submit(ctx, 1, 2, 0);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 1, NULL), 0);
	memset(&dp, 0xff, sizeof(dp));
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_G_EXT_CTRLS, fd2,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), 0);
	cr_assert_eq(dp.frame_num, 4, "set from the values the first job applied");
	dd_ctx_close(ctx);
}

Test(request, reinit_while_queued_ebusy_then_after_completion_ok)
{
	struct dd_ctx *ctx = tdev_open();
	struct dd_request *req;
	int fd;

	tdev_setup(ctx, 1, 1);
	fd = tdev_submit(ctx, 0, 1, 0);
	req = tdev_req(fd);
	cr_assert_eq(dd_request_reinit(req), -EBUSY);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_eq(dd_request_reinit(req), -EBUSY, "in flight");
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 1, NULL), 0);
	cr_assert_eq(dd_request_reinit(req), 0);
	cr_assert_eq(dd_request_state(req), DD_REQ_IDLE);
	cr_assert_null(req->ctx);
	cr_assert_not(req->has_ctrls);
	/* Reusable, even from another context. */
	dd_ctx_close(ctx);
	ctx = tdev_open();
	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	dd_ctx_close(ctx);
}

Test(request, reinit_idle_request_unbinds_its_buffer)
{
	struct dd_ctx *ctx = tdev_open();
	int fd = tdev_req_alloc();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 0, 10, 0), 0);
	cr_assert_eq(dd_request_reinit(tdev_req(fd)), 0);
	cr_assert_eq(tdev_flags(ctx, TDEV_OUT, 0) &
		     (V4L2_BUF_FLAG_IN_REQUEST | V4L2_BUF_FLAG_REQUEST_FD), 0);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), -ENOENT);
	/* The buffer can go into another request. */
	fd = tdev_req_alloc();
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 0, 10, 0), 0);
	dd_ctx_close(ctx);
}

Test(request, reinit_unbound_request_ok)
{
	int fd = tdev_req_alloc();

	cr_assert_eq(dd_request_reinit(tdev_req(fd)), 0);
	cr_assert_eq(dd_request_state(tdev_req(fd)), DD_REQ_IDLE);
}

Test(request, fd_closed_while_in_flight_request_lives_until_done)
{
	struct dd_ctx *ctx = tdev_open();
	int fd;

	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	fd = tdev_submit(ctx, 0, 1, 0);
	tdev_req_close(fd);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 1, NULL), 0);
	cr_assert_eq(tdev.req_done, 1);
	cr_assert(tdev_flags(ctx, TDEV_OUT, 0) & V4L2_BUF_FLAG_DONE);
	dd_ctx_close(ctx);
}

Test(request, queued_before_streamon_runs_after)
{
	struct dd_ctx *ctx = tdev_open();
	int fd;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 1), 1);
	fd = tdev_submit(ctx, 0, 1, 0);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_not(dd_dev_has_jobs(&tdev.dev));
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, true), 0);
	cr_assert_eq(tdev_stream(ctx, TDEV_OUT, true), 0);
	cr_assert(dd_dev_has_jobs(&tdev.dev));
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 1, NULL), 0);
	cr_assert(dd_request_is_complete(tdev_req(fd)));
	dd_ctx_close(ctx);
}

Test(request, streamoff_output_completes_queued_request)
{
	struct dd_ctx *ctx = tdev_open();
	int fd;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 2), 2);
	cr_assert_eq(tdev_stream(ctx, TDEV_OUT, true), 0);
	fd = tdev_submit(ctx, 0, 1, 0);
	cr_assert_eq(tdev_stream(ctx, TDEV_OUT, false), 0);
	cr_assert(dd_request_is_complete(tdev_req(fd)));
	cr_assert_eq(tdev.req_done, 1);
	cr_assert_eq(tdev_flags(ctx, TDEV_OUT, 0) & (V4L2_BUF_FLAG_QUEUED | V4L2_BUF_FLAG_DONE), 0);
	cr_assert_eq(tdev_req(fd)->num_bufs, 0);
	cr_assert_eq(dd_request_reinit(tdev_req(fd)), 0);
	dd_ctx_close(ctx);
}

Test(request, streamoff_unbinds_buffer_of_idle_request)
{
	struct dd_ctx *ctx = tdev_open();
	int fd = tdev_req_alloc();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 0, 10, 0), 0);
	cr_assert_eq(tdev_stream(ctx, TDEV_OUT, false), 0);
	cr_assert_eq(dd_request_state(tdev_req(fd)), DD_REQ_IDLE);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), -ENOENT);
	dd_ctx_close(ctx);
}

Test(request, reqbufs_zero_releases_requests_buffers)
{
	struct dd_ctx *ctx = tdev_open();
	int fd = tdev_req_alloc();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 0, 10, 0), 0);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 0), 0);
	cr_assert_eq(tdev_req(fd)->num_bufs, 0);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), -ENOENT);
	dd_ctx_close(ctx);
}

Test(request, close_context_completes_queued_request)
{
	struct dd_ctx *ctx = tdev_open();
	int fd;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	fd = tdev_submit(ctx, 0, 1, 0);
	dd_ctx_close(ctx);
	cr_assert(dd_request_is_complete(tdev_req(fd)));
	cr_assert_eq(tdev.ctx_closed, 1);
	/* The request outlives the context it was bound to. */
	cr_assert_eq(dd_request_reinit(tdev_req(fd)), 0);
}

Test(request, job_carries_the_requests_controls)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_ctrl_h264_decode_params dp = tr_dp(ctx);
	struct dd_job *job;
	unsigned int i;
	bool seen = false;
	int fd = tdev_req_alloc();

	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	dp.frame_num = 11;
	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, fd,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 0, 10, 0), 0);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), 0);
	job = dd_dev_next_job(&tdev.dev);
	cr_assert_not_null(job);
	for (i = 0; i < job->proto.num_ctrls; i++) {
		if (job->proto.ctrls[i].id != V4L2_CID_STATELESS_H264_DECODE_PARAMS)
			continue;
		seen = true;
		cr_assert_eq(job->proto.ctrls[i].size, sizeof(dp));
		cr_assert_eq(((const struct v4l2_ctrl_h264_decode_params *)
			      job->proto.ctrls[i].data)->frame_num, 11);
	}
	cr_assert(seen);
	dd_dev_job_put(&tdev.dev, job);
	dd_ctx_close(ctx);
}

Test(request, try_ext_ctrls_on_idle_request)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_ctrl_h264_decode_params dp = tr_dp(ctx);
	int fd = tdev_req_alloc();

	cr_assert_eq(tdev_ext_ctrl(ctx, VIDIOC_TRY_EXT_CTRLS, fd,
				   V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp)), 0);
	cr_assert_not(dd_ctrls_find(&tdev_req(fd)->ctrls,
				    V4L2_CID_STATELESS_H264_DECODE_PARAMS)->set);
	dd_ctx_close(ctx);
}
