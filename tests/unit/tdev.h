/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * tdev.h - a fake userspace front end for the device model tests: MMAP
 * memory from the heap, a request fd table, counters for every hook, and
 * helpers that drive a context through dd_ioctl() the way a client would.
 * One device per test process (Criterion forks per test).
 */
#ifndef TDEV_H
#define TDEV_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "dd_os.h"
#include "dd_ctx.h"
#include "dd_dev.h"
#include "dd_ioctl.h"
#include "dd_request.h"

#define TDEV_FD_BASE	100
#define TDEV_MAX_REQS	64
#define TDEV_OUT	V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE
#define TDEV_CAP	V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE

struct tdev {
	struct dd_device dev;
	struct dd_request *reqs[TDEV_MAX_REQS];
	unsigned int job_ready, ctx_closed, wakes, req_done;
	unsigned int allocs, releases, attaches;
	u32 last_closed;
	struct dd_request *last_done_req;
	bool fail_alloc_after;		/* allocs beyond alloc_limit fail */
	unsigned int alloc_limit;
	int fail_attach;
	int fail_job_buffers;
	bool use_job_buffers;
};

static struct tdev tdev;

static inline int tdev_mem_alloc(void *fe, struct dd_ctx *ctx, struct dd_buffer *buf,
				 struct dd_mem *m)
{
	if (tdev.fail_alloc_after && tdev.allocs >= tdev.alloc_limit)
		return -ENOMEM;
	m->vaddr = calloc(1, m->length);
	m->handle = m->vaddr;
	tdev.allocs++;
	return m->vaddr ? 0 : -ENOMEM;
}

static inline int tdev_mem_attach(void *fe, struct dd_ctx *ctx, struct dd_buffer *buf,
				  struct dd_mem *m)
{
	if (tdev.fail_attach)
		return tdev.fail_attach;
	tdev.attaches++;
	if (m->memory == V4L2_MEMORY_USERPTR)
		m->vaddr = (void *)m->userptr;
	else
		m->handle = &tdev;	/* a stand-in for an imported dmabuf */
	return 0;
}

static inline void tdev_mem_release(void *fe, struct dd_ctx *ctx, struct dd_buffer *buf,
				    struct dd_mem *m)
{
	tdev.releases++;
	if (m->memory == V4L2_MEMORY_MMAP)
		free(m->vaddr);
}

static inline struct dd_request *tdev_request_get(void *fe, struct dd_ctx *ctx, s32 fd)
{
	int i = fd - TDEV_FD_BASE;

	if (i < 0 || i >= TDEV_MAX_REQS || !tdev.reqs[i])
		return NULL;
	dd_request_get(tdev.reqs[i]);
	return tdev.reqs[i];
}

static inline int tdev_job_buffers(void *fe, struct dd_ctx *ctx, struct dd_job *job,
				   struct dd_buffer *out, struct dd_buffer *cap)
{
	if (!tdev.use_job_buffers)
		return 0;
	if (tdev.fail_job_buffers)
		return tdev.fail_job_buffers;
	job->proto.capture.kind = DD_BUF_FD;
	job->proto.capture.id = 7;
	return 0;
}

static inline void tdev_job_ready(void *fe)
{
	tdev.job_ready++;
}

static inline void tdev_ctx_closed(void *fe, u32 ctx_id)
{
	tdev.ctx_closed++;
	tdev.last_closed = ctx_id;
}

static inline void tdev_ctx_wake(void *fe, struct dd_ctx *ctx)
{
	tdev.wakes++;
}

static inline void tdev_request_done(void *fe, struct dd_request *req)
{
	tdev.req_done++;
	tdev.last_done_req = req;
}

static const struct dd_dev_ops tdev_ops = {
	.mem_alloc = tdev_mem_alloc,
	.mem_attach = tdev_mem_attach,
	.mem_release = tdev_mem_release,
	.request_get = tdev_request_get,
	.job_buffers = tdev_job_buffers,
	.job_ready = tdev_job_ready,
	.ctx_closed = tdev_ctx_closed,
	.ctx_wake = tdev_ctx_wake,
	.request_done = tdev_request_done,
};

static inline void tdev_init(void)
{
	memset(&tdev, 0, sizeof(tdev));
	dd_dev_init(&tdev.dev, &tdev_ops, &tdev);
}

static inline void tdev_req_close(int fd)
{
	int i = fd - TDEV_FD_BASE;

	if (i >= 0 && i < TDEV_MAX_REQS && tdev.reqs[i]) {
		dd_request_put(tdev.reqs[i]);
		tdev.reqs[i] = NULL;
	}
}

static inline void tdev_fini(void)
{
	int i;

	for (i = 0; i < TDEV_MAX_REQS; i++)
		tdev_req_close(TDEV_FD_BASE + i);
	dd_dev_destroy(&tdev.dev);
}

/* MEDIA_IOC_REQUEST_ALLOC: returns the fd. */
static inline int tdev_req_alloc(void)
{
	int i;

	for (i = 0; i < TDEV_MAX_REQS; i++) {
		if (!tdev.reqs[i]) {
			tdev.reqs[i] = dd_request_alloc(&tdev.dev, NULL);
			cr_assert_not_null(tdev.reqs[i]);
			return TDEV_FD_BASE + i;
		}
	}
	cr_assert_fail("request table full");
	return -1;
}

static inline struct dd_request *tdev_req(int fd)
{
	return tdev.reqs[fd - TDEV_FD_BASE];
}

static inline struct dd_ctx *tdev_open(void)
{
	struct dd_ctx *ctx = dd_ctx_open(&tdev.dev, NULL);

	cr_assert_not_null(ctx);
	return ctx;
}

static inline int tdev_reqbufs(struct dd_ctx *ctx, u32 type, u32 memory, u32 count)
{
	struct v4l2_requestbuffers rb = { .count = count, .type = type, .memory = memory };
	int ret = (int)dd_ioctl(ctx, VIDIOC_REQBUFS, &rb);

	return ret ? ret : (int)rb.count;
}

static inline int tdev_stream(struct dd_ctx *ctx, u32 type, bool on)
{
	return (int)dd_ioctl(ctx, on ? VIDIOC_STREAMON : VIDIOC_STREAMOFF, &type);
}

static inline void tdev_buf(struct v4l2_buffer *b, struct v4l2_plane *pl, u32 type,
			    u32 memory, u32 index)
{
	memset(b, 0, sizeof(*b));
	memset(pl, 0, sizeof(*pl) * VIDEO_MAX_PLANES);
	b->type = type;
	b->memory = memory;
	b->index = index;
	b->m.planes = pl;
	b->length = 1;
}

static inline int tdev_querybuf(struct dd_ctx *ctx, u32 type, u32 index,
				struct v4l2_buffer *b, struct v4l2_plane *pl)
{
	tdev_buf(b, pl, type, V4L2_MEMORY_MMAP, index);
	return (int)dd_ioctl(ctx, VIDIOC_QUERYBUF, b);
}

static inline u32 tdev_flags(struct dd_ctx *ctx, u32 type, u32 index)
{
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	cr_assert_eq(tdev_querybuf(ctx, type, index, &b, pl), 0);
	return b.flags;
}

/* QBUF of an MMAP OUTPUT buffer holding `bytes` bytes, with request fd (or -1). */
static inline int tdev_qbuf_out(struct dd_ctx *ctx, u32 index, int req_fd, u64 ts_us,
				u32 bytes, u32 flags)
{
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	tdev_buf(&b, pl, TDEV_OUT, V4L2_MEMORY_MMAP, index);
	pl[0].bytesused = bytes;
	b.flags = flags;
	if (req_fd >= 0) {
		b.flags |= V4L2_BUF_FLAG_REQUEST_FD;
		b.request_fd = req_fd;
	}
	b.timestamp.tv_sec = ts_us / 1000000;
	b.timestamp.tv_usec = ts_us % 1000000;
	return (int)dd_ioctl(ctx, VIDIOC_QBUF, &b);
}

static inline int tdev_qbuf_cap(struct dd_ctx *ctx, u32 index)
{
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;

	tdev_buf(&b, pl, TDEV_CAP, V4L2_MEMORY_MMAP, index);
	return (int)dd_ioctl(ctx, VIDIOC_QBUF, &b);
}

static inline int tdev_dqbuf(struct dd_ctx *ctx, u32 type, struct v4l2_buffer *b,
			     struct v4l2_plane *pl)
{
	tdev_buf(b, pl, type, V4L2_MEMORY_MMAP, 0);
	return (int)dd_ioctl(ctx, VIDIOC_DQBUF, b);
}

/* S/TRY/G_EXT_CTRLS of one control with `size` bytes of payload. */
static inline int tdev_ext_ctrl(struct dd_ctx *ctx, unsigned int cmd, int req_fd, u32 id,
				void *payload, u32 size)
{
	struct v4l2_ext_control c = { .id = id, .size = size, .ptr = payload };
	struct v4l2_ext_controls cs = { .count = 1, .controls = &c };

	if (req_fd != -1) {
		cs.which = V4L2_CTRL_WHICH_REQUEST_VAL;
		cs.request_fd = req_fd;
	}
	return (int)dd_ioctl(ctx, cmd, &cs);
}

/* Set every required control of the codec in request req_fd to its default. */
static inline int tdev_set_required(struct dd_ctx *ctx, int req_fd)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ctx->ctrls.num; i++) {
		struct dd_ctrl_val *v = &ctx->ctrls.vals[i];
		void *copy;

		if (!v->desc->required)
			continue;
		copy = malloc(v->size);
		memcpy(copy, v->p, v->size);
		ret = tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, req_fd, v->desc->id, copy, v->size);
		free(copy);
		if (ret)
			return ret;
	}
	return 0;
}

/* Both queues with n MMAP buffers each, streaming. */
static inline void tdev_setup(struct dd_ctx *ctx, u32 nout, u32 ncap)
{
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_OUT, V4L2_MEMORY_MMAP, nout), (int)nout);
	cr_assert_eq(tdev_reqbufs(ctx, TDEV_CAP, V4L2_MEMORY_MMAP, ncap), (int)ncap);
	cr_assert_eq(tdev_stream(ctx, TDEV_OUT, true), 0);
	cr_assert_eq(tdev_stream(ctx, TDEV_CAP, true), 0);
}

/* Fill OUTPUT buffer `index` with a pattern and queue it in a new request. */
static inline int tdev_submit(struct dd_ctx *ctx, u32 index, u64 ts_us, u32 flags)
{
	struct dd_buffer *buf = ctx->out_q.bufs[index];
	int fd = tdev_req_alloc();
	u32 i;

	for (i = 0; i < 64; i++)
		((u8 *)buf->planes[0].vaddr)[i] = (u8)(i + index);
	cr_assert_eq(tdev_set_required(ctx, fd), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, index, fd, ts_us, 64, flags), 0);
	cr_assert_eq(dd_request_queue(tdev_req(fd)), 0);
	return fd;
}

/* Take the next job and complete it: returns the completion's result. */
static inline int tdev_run_job(u32 status, u32 bytesused, u32 *ctx_id)
{
	struct dd_job *job = dd_dev_next_job(&tdev.dev);
	struct dd_proto_done done = { 0 };
	int ret;

	cr_assert_not_null(job, "no job ready");
	done.ctx_id = job->proto.ctx_id;
	done.cookie = job->proto.cookie;
	done.status = status;
	done.bytesused = bytesused;
	if (ctx_id)
		*ctx_id = job->proto.ctx_id;
	dd_dev_job_put(&tdev.dev, job);
	ret = dd_dev_complete_job(&tdev.dev, &done);
	return ret;
}

#endif /* TDEV_H */
