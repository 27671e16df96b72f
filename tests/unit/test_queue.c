// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_queue.c - the buffer ioctls of a context (REQBUFS, CREATE_BUFS,
 * QUERYBUF, PREPARE_BUF, QBUF, DQBUF, STREAMON/OFF) and the queue's
 * memory records, with vb2's errnos.
 */
#include <criterion/criterion.h>

#include "dd_queue.h"
#include "tdev.h"
#include "tlog.h"

static void tq_setup(void)
{
	tdev_init();
}

static void tq_teardown(void)
{
	tdev_fini();
}

TestSuite(queue, .init = tq_setup, .fini = tq_teardown);

Test(queue, reqbufs_allocates_and_reports_caps)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_requestbuffers rb = { .count = 4, .type = TDEV_OUT,
					  .memory = V4L2_MEMORY_MMAP, .flags = 0xff };

	cr_assert_eq(dd_ioctl(ctx, VIDIOC_REQBUFS, &rb), 0);
	cr_assert_eq(rb.count, 4);
	cr_assert_eq(rb.flags, 0);
	cr_assert(rb.capabilities & V4L2_BUF_CAP_SUPPORTS_REQUESTS);
	cr_assert(rb.capabilities & V4L2_BUF_CAP_SUPPORTS_M2M_HOLD_CAPTURE_BUF);
	cr_assert(rb.capabilities & V4L2_BUF_CAP_SUPPORTS_MMAP);
	cr_assert(rb.capabilities & V4L2_BUF_CAP_SUPPORTS_DMABUF);
	cr_assert(rb.capabilities & V4L2_BUF_CAP_SUPPORTS_USERPTR);
	cr_assert_eq(tdev.allocs, 4);
	rb = (struct v4l2_requestbuffers){ .count = 2, .type = TDEV_CAP,
					   .memory = V4L2_MEMORY_MMAP };
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_REQBUFS, &rb), 0);
	cr_assert_not(rb.capabilities & V4L2_BUF_CAP_SUPPORTS_REQUESTS);
	cr_assert_not(rb.capabilities & V4L2_BUF_CAP_SUPPORTS_M2M_HOLD_CAPTURE_BUF);
	dd_ctx_close(ctx);
	cr_assert_eq(tdev.releases, 6);
}

Test(queue, reqbufs_bad_type_or_memory_einval)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_requestbuffers rb = { .count = 1, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					  .memory = V4L2_MEMORY_MMAP };

	cr_assert_eq(dd_ioctl(ctx, VIDIOC_REQBUFS, &rb), -EINVAL);
	rb.type = TDEV_CAP;
	rb.memory = V4L2_MEMORY_OVERLAY;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_REQBUFS, &rb), -EINVAL);
	cr_assert(rb.capabilities & V4L2_BUF_CAP_SUPPORTS_MMAP, "caps even on error");
	dd_ctx_close(ctx);
}

Test(queue, reqbufs_count_clamped_and_zero_frees)
{
	struct dd_ctx *ctx = tdev_open();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 100), DD_MAX_BUFFERS);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 0), 0);
	cr_assert_eq(tdev.releases, DD_MAX_BUFFERS);
	cr_assert_eq(ctx->cap_q.num_buffers, 0);
	cr_assert_eq(ctx->cap_q.memory, 0);
	dd_ctx_close(ctx);
}

Test(queue, reqbufs_again_replaces_buffers_and_memory)
{
	struct dd_ctx *ctx = tdev_open();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 3), 3);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_DMABUF, 2), 2);
	cr_assert_eq(tdev.releases, 3);
	cr_assert_eq(ctx->cap_q.memory, V4L2_MEMORY_DMABUF);
	cr_assert_eq(ctx->cap_q.num_buffers, 2);
	dd_ctx_close(ctx);
}

Test(queue, reqbufs_while_streaming_ebusy)
{
	struct dd_ctx *ctx = tdev_open();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 2), 2);
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, true), 0);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 0), -EBUSY);
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, false), 0);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 0), 0);
	dd_ctx_close(ctx);
}

Test(queue, reqbufs_partial_allocation_failure)
{
	struct dd_ctx *ctx = tdev_open();

	tlog_start();
	tdev.fail_alloc_after = true;
	tdev.alloc_limit = 2;
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 5), 2);
	cr_assert(tlog_has("cannot allocate"));
	tdev.alloc_limit = 0;
	tdev.allocs = 0;
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 5), -ENOMEM);
	dd_ctx_close(ctx);
}

Test(queue, create_bufs_count_zero_queries)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_create_buffers cb = { .count = 0, .memory = V4L2_MEMORY_MMAP };

	cb.format = ctx->cap_fmt;
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 2), 2);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_CREATE_BUFS, &cb), 0);
	cr_assert_eq(cb.index, 2);
	cr_assert(cb.capabilities & V4L2_BUF_CAP_SUPPORTS_MMAP);
	cr_assert_eq(ctx->cap_q.num_buffers, 2);
	cb.memory = 0;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_CREATE_BUFS, &cb), -EINVAL);
	dd_ctx_close(ctx);
}

Test(queue, create_bufs_adds_larger_buffers)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_create_buffers cb = { .count = 2, .memory = V4L2_MEMORY_MMAP };
	u32 size = ctx->cap_fmt.fmt.pix_mp.plane_fmt[0].sizeimage;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 1), 1);
	cb.format = ctx->cap_fmt;
	cb.format.fmt.pix_mp.plane_fmt[0].sizeimage = size * 2;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_CREATE_BUFS, &cb), 0);
	cr_assert_eq(cb.index, 1);
	cr_assert_eq(cb.count, 2);
	cr_assert_eq(ctx->cap_q.bufs[2]->planes[0].length, size * 2);
	/* Offsets never overlap. */
	cr_assert_geq(ctx->cap_q.bufs[2]->planes[0].mem_offset,
		      ctx->cap_q.bufs[1]->planes[0].mem_offset + size * 2);
	dd_ctx_close(ctx);
}

Test(queue, create_bufs_rejects_bad_formats)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_create_buffers cb = { .count = 1, .memory = V4L2_MEMORY_MMAP };

	cb.format = ctx->cap_fmt;
	cb.format.fmt.pix_mp.plane_fmt[0].sizeimage -= 1;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_CREATE_BUFS, &cb), -EINVAL);
	cb.format = ctx->cap_fmt;
	cb.format.fmt.pix_mp.num_planes = 2;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_CREATE_BUFS, &cb), -EINVAL);
	cb.format = ctx->cap_fmt;
	cb.format.fmt.pix_mp.plane_fmt[0].sizeimage = 0;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_CREATE_BUFS, &cb), -EINVAL);
	cb.format = ctx->cap_fmt;
	cb.format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_CREATE_BUFS, &cb), -EINVAL);
	cb.format = ctx->cap_fmt;
	cb.memory = V4L2_MEMORY_OVERLAY;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_CREATE_BUFS, &cb), -EINVAL);
	cr_assert_eq(ctx->cap_q.num_buffers, 0);
	dd_ctx_close(ctx);
}

Test(queue, create_bufs_memory_mismatch_and_full)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_create_buffers cb = { .count = 1, .memory = V4L2_MEMORY_USERPTR };

	cb.format = ctx->cap_fmt;
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, DD_MAX_BUFFERS),
		     DD_MAX_BUFFERS);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_CREATE_BUFS, &cb), -EINVAL);
	cb.memory = V4L2_MEMORY_MMAP;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_CREATE_BUFS, &cb), -ENOBUFS);
	dd_ctx_close(ctx);
}

Test(queue, querybuf_reports_mmap_layout)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	struct dd_buffer *found = NULL;
	u32 size = ctx->cap_fmt.fmt.pix_mp.plane_fmt[0].sizeimage;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 2), 2);
	cr_assert_eq(tdev_querybuf(ctx, TDEV_CAP, 1, &b, pl), 0);
	cr_assert_eq(b.length, 1);
	cr_assert_eq(pl[0].length, size);
	cr_assert_eq(pl[0].m.mem_offset, DD_DST_QUEUE_OFF_BASE + ALIGN(size, DD_PAGE_SIZE));
	cr_assert_eq(b.flags & (V4L2_BUF_FLAG_QUEUED | V4L2_BUF_FLAG_DONE), 0);
	cr_assert(b.flags & V4L2_BUF_FLAG_TIMESTAMP_COPY);
	cr_assert_not_null(dd_ctx_find_mmap(ctx, pl[0].m.mem_offset, &found));
	cr_assert_eq(found, ctx->cap_q.bufs[1]);
	cr_assert_null(dd_ctx_find_mmap(ctx, pl[0].m.mem_offset + 1, NULL));
	cr_assert_null(dd_ctx_find_mmap(ctx, 0, NULL));
	dd_ctx_close(ctx);
}

Test(queue, querybuf_rejects_bad_index_type_and_planes)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_querybuf(ctx, TDEV_OUT, 1, &b, pl), -EINVAL);
	cr_assert_eq(tdev_querybuf(ctx, V4L2_BUF_TYPE_VIDEO_OUTPUT, 0, &b, pl), -EINVAL);
	tdev_buf(&b, pl, TDEV_OUT, V4L2_MEMORY_MMAP, 0);
	b.m.planes = NULL;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QUERYBUF, &b), -EINVAL);
	tdev_buf(&b, pl, TDEV_OUT, V4L2_MEMORY_MMAP, 0);
	b.length = 0;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QUERYBUF, &b), -EINVAL);
	b.length = VIDEO_MAX_PLANES + 1;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QUERYBUF, &b), -EINVAL);
	dd_ctx_close(ctx);
}

Test(queue, qbuf_rejects_bad_index_type_memory)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 1), -EINVAL);
	tdev_buf(&b, pl, TDEV_CAP, V4L2_MEMORY_USERPTR, 0);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), -EINVAL);
	tdev_buf(&b, pl, V4L2_BUF_TYPE_VIDEO_CAPTURE, V4L2_MEMORY_MMAP, 0);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), -EINVAL);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert(tdev_flags(ctx, TDEV_CAP, 0) & V4L2_BUF_FLAG_QUEUED);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), -EINVAL, "already queued");
	dd_ctx_close(ctx);
}

Test(queue, output_qbuf_without_request_ebadr)
{
	struct dd_ctx *ctx = tdev_open();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, -1, 0, 10, 0), -EBADR);
	cr_assert_eq(tdev_flags(ctx, TDEV_OUT, 0) & V4L2_BUF_FLAG_QUEUED, 0);
	dd_ctx_close(ctx);
}

Test(queue, capture_qbuf_with_request_ebadr)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	int fd = tdev_req_alloc();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 1), 1);
	tdev_buf(&b, pl, TDEV_CAP, V4L2_MEMORY_MMAP, 0);
	b.flags = V4L2_BUF_FLAG_REQUEST_FD;
	b.request_fd = fd;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), -EBADR);
	dd_ctx_close(ctx);
}

Test(queue, output_bytesused_and_data_offset_checked)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	int fd = tdev_req_alloc();
	u32 len;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	len = ctx->out_q.bufs[0]->planes[0].length;
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 0, len + 1, 0), -EINVAL);
	tdev_buf(&b, pl, TDEV_OUT, V4L2_MEMORY_MMAP, 0);
	pl[0].bytesused = 100;
	pl[0].data_offset = 100;
	b.flags = V4L2_BUF_FLAG_REQUEST_FD;
	b.request_fd = fd;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), -EINVAL);
	tdev_buf(&b, pl, TDEV_OUT, V4L2_MEMORY_MMAP, 0);
	b.field = V4L2_FIELD_ALTERNATE;
	b.flags = V4L2_BUF_FLAG_REQUEST_FD;
	b.request_fd = fd;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), -EINVAL);
	/* bytesused 0 means the whole buffer. */
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 0, 0, 0), 0);
	cr_assert_eq(ctx->out_q.bufs[0]->planes[0].bytesused, len);
	dd_ctx_close(ctx);
}

Test(queue, userptr_checks_and_attach)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	u32 size = ctx->cap_fmt.fmt.pix_mp.plane_fmt[0].sizeimage;
	void *mem = calloc(1, size);

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_USERPTR, 1), 1);
	cr_assert_eq(tdev.allocs, 0, "no MMAP memory for USERPTR");
	tdev_buf(&b, pl, TDEV_CAP, V4L2_MEMORY_USERPTR, 0);
	pl[0].m.userptr = (unsigned long)mem;
	pl[0].length = size - 1;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), -EINVAL);
	pl[0].m.userptr = 0;
	pl[0].length = size;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), -EINVAL);
	tdev.fail_attach = -EFAULT;
	pl[0].m.userptr = (unsigned long)mem;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), -EFAULT);
	tdev.fail_attach = 0;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), 0);
	cr_assert_eq(tdev.attaches, 1);
	cr_assert_eq(ctx->cap_q.bufs[0]->planes[0].vaddr, mem);
	cr_assert_eq(tdev_querybuf(ctx, TDEV_CAP, 0, &b, pl), 0);
	cr_assert_eq(pl[0].m.userptr, (unsigned long)mem);
	dd_ctx_close(ctx);
	free(mem);
}

Test(queue, userptr_same_address_is_not_reattached)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	u32 size = ctx->cap_fmt.fmt.pix_mp.plane_fmt[0].sizeimage;
	void *mem = calloc(1, size);

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_USERPTR, 1), 1);
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, true), 0);
	tdev_buf(&b, pl, TDEV_CAP, V4L2_MEMORY_USERPTR, 0);
	pl[0].m.userptr = (unsigned long)mem;
	pl[0].length = size;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), 0);
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, false), 0);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), 0);
	cr_assert_eq(tdev.attaches, 1);
	dd_ctx_close(ctx);
	free(mem);
}

Test(queue, dmabuf_fd_checked_and_recorded)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_DMABUF, 1), 1);
	tdev_buf(&b, pl, TDEV_CAP, V4L2_MEMORY_DMABUF, 0);
	pl[0].m.fd = -1;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), -EINVAL);
	pl[0].m.fd = 9;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), 0);
	cr_assert_eq(ctx->cap_q.bufs[0]->planes[0].length,
		     ctx->cap_fmt.fmt.pix_mp.plane_fmt[0].sizeimage);
	cr_assert_eq(tdev_querybuf(ctx, TDEV_CAP, 0, &b, pl), 0);
	cr_assert_eq(pl[0].m.fd, 9);
	dd_ctx_close(ctx);
	cr_assert_eq(tdev.releases, 1);
}

Test(queue, prepare_buf_rules)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 2), 2);
	tdev_buf(&b, pl, TDEV_CAP, V4L2_MEMORY_MMAP, 0);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_PREPARE_BUF, &b), 0);
	cr_assert(b.flags & V4L2_BUF_FLAG_PREPARED);
	cr_assert(tdev_flags(ctx, TDEV_CAP, 0) & V4L2_BUF_FLAG_PREPARED);
	tdev_buf(&b, pl, TDEV_CAP, V4L2_MEMORY_MMAP, 0);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_PREPARE_BUF, &b), -EINVAL, "already prepared");
	tdev_buf(&b, pl, TDEV_CAP, V4L2_MEMORY_MMAP, 1);
	b.flags = V4L2_BUF_FLAG_REQUEST_FD;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_PREPARE_BUF, &b), -EINVAL);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_not(tdev_flags(ctx, TDEV_CAP, 0) & V4L2_BUF_FLAG_PREPARED);
	cr_assert_eq(tdev_qbuf_cap(ctx, 1), 0);
	tdev_buf(&b, pl, TDEV_CAP, V4L2_MEMORY_MMAP, 1);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_PREPARE_BUF, &b), -EINVAL, "queued");
	tdev_buf(&b, pl, V4L2_BUF_TYPE_VIDEO_CAPTURE, V4L2_MEMORY_MMAP, 1);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_PREPARE_BUF, &b), -EINVAL);
	dd_ctx_close(ctx);
}

Test(queue, dqbuf_not_streaming_einval_empty_eagain)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), -EINVAL);
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, true), 0);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), -EAGAIN);
	cr_assert_eq(tdev_dqbuf(ctx, V4L2_BUF_TYPE_VIDEO_CAPTURE, &b, pl), -EINVAL);
	dd_ctx_close(ctx);
}

Test(queue, dqbuf_bad_planes_array_keeps_buffer)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	tdev_submit(ctx, 0, 5, 0);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 8, NULL), 0);
	tdev_buf(&b, pl, TDEV_CAP, V4L2_MEMORY_MMAP, 0);
	b.m.planes = NULL;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_DQBUF, &b), -EINVAL);
	cr_assert(tdev_flags(ctx, TDEV_CAP, 0) & V4L2_BUF_FLAG_DONE);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert_eq(tdev_flags(ctx, TDEV_CAP, 0) & V4L2_BUF_FLAG_DONE, 0);
	dd_ctx_close(ctx);
}

Test(queue, streamon_rules)
{
	struct dd_ctx *ctx = tdev_open();
	u32 type = V4L2_BUF_TYPE_VIDEO_CAPTURE;

	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, true), -EINVAL, "no buffers");
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, true), 0);
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, true), 0, "twice is fine");
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_STREAMON, &type), -EINVAL);
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_STREAMOFF, &type), -EINVAL);
	cr_assert_eq(tdev_stream(ctx, TDEV_OUT, false), 0, "off when off is fine");
	dd_ctx_close(ctx);
}

Test(queue, streamoff_returns_queued_buffers)
{
	struct dd_ctx *ctx = tdev_open();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 2), 2);
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, true), 0);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_eq(tdev_qbuf_cap(ctx, 1), 0);
	cr_assert_eq(ctx->cap_q.owned, 2);
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, false), 0);
	cr_assert_eq(ctx->cap_q.owned, 0);
	cr_assert_eq(tdev_flags(ctx, TDEV_CAP, 0) & V4L2_BUF_FLAG_QUEUED, 0);
	cr_assert(list_empty(&ctx->sched.dst));
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0, "can be queued again");
	dd_ctx_close(ctx);
}

Test(queue, streamoff_capture_fails_job_in_flight)
{
	struct dd_ctx *ctx = tdev_open();
	struct dd_job *job;
	int fd;

	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	fd = tdev_submit(ctx, 0, 5, 0);
	job = dd_dev_next_job(&tdev.dev);
	cr_assert_not_null(job);
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, false), 0);
	cr_assert(dd_request_is_complete(tdev_req(fd)));
	cr_assert(tdev_flags(ctx, TDEV_OUT, 0) & V4L2_BUF_FLAG_ERROR);
	cr_assert_eq(tdev_flags(ctx, TDEV_CAP, 0) & (V4L2_BUF_FLAG_QUEUED | V4L2_BUF_FLAG_DONE), 0);
	dd_dev_job_put(&tdev.dev, job);
	dd_ctx_close(ctx);
}

Test(queue, timestamp_lookup_and_sequence)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	tdev_setup(ctx, 2, 2);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_eq(tdev_qbuf_cap(ctx, 1), 0);
	tdev_submit(ctx, 0, 1000, 0);
	tdev_submit(ctx, 1, 2000, 0);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 1, NULL), 0);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 1, NULL), 0);
	cr_assert_eq(dd_queue_find_timestamp(&ctx->cap_q, 1000000), 0);
	cr_assert_eq(dd_queue_find_timestamp(&ctx->cap_q, 2000000), 1);
	cr_assert_eq(dd_queue_find_timestamp(&ctx->out_q, 3000000), -1);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert_eq(b.sequence, 0);
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert_eq(b.sequence, 1);
	/* STREAMOFF forgets decoded timestamps. */
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, false), 0);
	cr_assert_eq(dd_queue_find_timestamp(&ctx->cap_q, 1000000), -1);
	dd_ctx_close(ctx);
}

Test(queue, buf_done_in_wrong_state_is_ignored)
{
	struct dd_ctx *ctx = tdev_open();

	tlog_start();
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 1), 1);
	dd_queue_buf_done(ctx->cap_q.bufs[0], false);
	cr_assert(tlog_has("done in state"));
	cr_assert_not(dd_queue_has_done(&ctx->cap_q));
	cr_assert_null(dd_queue_take_done(&ctx->cap_q));
	dd_ctx_close(ctx);
}

Test(queue, mmap_lookup_needs_mmap_queue)
{
	struct dd_ctx *ctx = tdev_open();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_USERPTR, 1), 1);
	cr_assert_null(dd_ctx_find_mmap(ctx, 0, NULL));
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_not_null(dd_ctx_find_mmap(ctx, 0, NULL));
	dd_ctx_close(ctx);
}

Test(queue, mapped_flag_follows_client_mappings)
{
	struct dd_ctx *ctx = tdev_open();
	u32 off;

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 1), 1);
	off = ctx->cap_q.bufs[0]->planes[0].mem_offset;
	cr_assert_eq(tdev_flags(ctx, TDEV_CAP, 0) & V4L2_BUF_FLAG_MAPPED, 0);
	cr_assert_eq(dd_ctx_mmap_count(ctx, off, 1), 0);
	cr_assert(tdev_flags(ctx, TDEV_CAP, 0) & V4L2_BUF_FLAG_MAPPED);
	cr_assert_eq(dd_ctx_mmap_count(ctx, off, -1), 0);
	cr_assert_eq(tdev_flags(ctx, TDEV_CAP, 0) & V4L2_BUF_FLAG_MAPPED, 0);
	cr_assert_eq(dd_ctx_mmap_count(ctx, off, -1), -EINVAL, "not mapped");
	cr_assert_eq(dd_ctx_mmap_count(ctx, off + 4096, 1), -EINVAL);
	cr_assert_eq(dd_ctx_mmap_count(ctx, 0, 1), -EINVAL, "no OUTPUT buffers");
	dd_ctx_close(ctx);
}

Test(queue, streamoff_output_fails_job_in_flight)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	struct dd_proto_done done = { 0 };
	struct dd_job *job;
	int fd;

	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	fd = tdev_submit(ctx, 0, 5, 0);
	job = dd_dev_next_job(&tdev.dev);
	done.ctx_id = job->proto.ctx_id;
	done.cookie = job->proto.cookie;
	dd_dev_job_put(&tdev.dev, job);
	cr_assert_eq(tdev_stream(ctx, TDEV_OUT, false), 0);
	cr_assert(dd_request_is_complete(tdev_req(fd)));
	/* The picture being decoded comes back failed. */
	cr_assert_eq(tdev_dqbuf(ctx, TDEV_CAP, &b, pl), 0);
	cr_assert(b.flags & V4L2_BUF_FLAG_ERROR);
	cr_assert_eq(dd_dev_complete_job(&tdev.dev, &done), -ENOENT);
	dd_ctx_close(ctx);
}

Test(queue, qbuf_of_a_done_buffer_einval)
{
	struct dd_ctx *ctx = tdev_open();

	tdev_setup(ctx, 1, 1);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	tdev_submit(ctx, 0, 5, 0);
	cr_assert_eq(tdev_run_job(DD_STATUS_OK, 1, NULL), 0);
	cr_assert(tdev_flags(ctx, TDEV_CAP, 0) & V4L2_BUF_FLAG_DONE);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), -EINVAL);
	dd_ctx_close(ctx);
}

Test(queue, output_flags_kept_capture_output_flags_dropped)
{
	struct dd_ctx *ctx = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	int fd = tdev_req_alloc();

	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, 1), 1);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, 1), 1);
	tdev_buf(&b, pl, TDEV_OUT, V4L2_MEMORY_MMAP, 0);
	b.flags = V4L2_BUF_FLAG_REQUEST_FD | V4L2_BUF_FLAG_TIMECODE | V4L2_BUF_FLAG_BFRAME |
		  V4L2_BUF_FLAG_QUEUED;
	b.request_fd = fd;
	b.timecode.frames = 7;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), 0);
	cr_assert(b.flags & V4L2_BUF_FLAG_BFRAME);
	cr_assert(b.flags & V4L2_BUF_FLAG_TIMECODE);
	cr_assert_eq(b.timecode.frames, 7);
	cr_assert_not(b.flags & V4L2_BUF_FLAG_QUEUED, "state flags are the driver's");
	tdev_buf(&b, pl, TDEV_CAP, V4L2_MEMORY_MMAP, 0);
	b.flags = V4L2_BUF_FLAG_KEYFRAME | V4L2_BUF_FLAG_LAST;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_QBUF, &b), 0);
	cr_assert_not(b.flags & (V4L2_BUF_FLAG_KEYFRAME | V4L2_BUF_FLAG_LAST));
	dd_ctx_close(ctx);
}
