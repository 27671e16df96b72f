/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_ctx.h - one open of the decoder video node in a userspace front end:
 * formats, the two queues, current control values, the scheduler of its
 * jobs, and the buffer ioctls' state machine (REQBUFS ... STREAMOFF,
 * DECODER_CMD).  Every context has its own lock; contexts share nothing but
 * the device's job list.
 */
#ifndef DD_CTX_H
#define DD_CTX_H

#include "dd_os.h"
#include "dd_codec.h"
#include "dd_ctrl.h"
#include "dd_dev.h"
#include "dd_queue.h"
#include "dd_sched.h"

struct dd_ctx {
	struct dd_device *dev;
	dd_mutex_t lock;
	struct dd_sched sched;
	void *fe_priv;
	struct v4l2_format out_fmt;
	struct v4l2_format cap_fmt;
	const struct dd_codec *codec;
	struct dd_ctrls ctrls;		/* current values */
	u64 ctrls_seen;			/* codec controls some queued request carried */
	struct dd_queue out_q;
	struct dd_queue cap_q;
	bool flush_next;		/* next job: DD_JOB_FLAG_FLUSH (new stream) */
	bool closed;
};

#define DD_POLL_OUT		BIT(0)	/* an OUTPUT buffer can be dequeued */
#define DD_POLL_IN		BIT(1)	/* a CAPTURE buffer can be dequeued */
#define DD_POLL_ERR		BIT(2)	/* nothing can ever become ready */

/* open(): a new context, or NULL (out of memory). */
struct dd_ctx *dd_ctx_open(struct dd_device *dev, void *fe_priv);
/* release(): cancel jobs, free buffers; memory goes when unreferenced. */
void dd_ctx_close(struct dd_ctx *ctx);
u32 dd_ctx_id(const struct dd_ctx *ctx);
/* DD_POLL_* for the front end's poll (takes the context lock). */
unsigned int dd_ctx_poll(struct dd_ctx *ctx);
/* The buffer plane an MMAP offset names (for mmap()), under the lock. */
struct dd_mem *dd_ctx_find_mmap(struct dd_ctx *ctx, u32 offset, struct dd_buffer **bufp);
/*
 * The client mapped (delta 1) or unmapped (-1) the MMAP plane at `offset`:
 * QUERYBUF reports V4L2_BUF_FLAG_MAPPED while mapped.  0 or -EINVAL.
 */
int dd_ctx_mmap_count(struct dd_ctx *ctx, u32 offset, int delta);
/* Index of the CAPTURE buffer that holds the picture timestamped ts, or -1. */
int dd_ctx_find_ref(struct dd_ctx *ctx, u64 ts);

/* The buffer ioctls (context lock held; dd_ioctl() takes it). */
struct dd_queue *dd_ctx_queue(struct dd_ctx *ctx, u32 type);
int dd_ctx_reqbufs(struct dd_ctx *ctx, struct v4l2_requestbuffers *rb);
int dd_ctx_create_bufs(struct dd_ctx *ctx, struct v4l2_create_buffers *cb);
int dd_ctx_querybuf(struct dd_ctx *ctx, struct v4l2_buffer *b);
int dd_ctx_prepare_buf(struct dd_ctx *ctx, struct v4l2_buffer *b);
int dd_ctx_qbuf(struct dd_ctx *ctx, struct v4l2_buffer *b);
int dd_ctx_dqbuf(struct dd_ctx *ctx, struct v4l2_buffer *b);
int dd_ctx_streamon(struct dd_ctx *ctx, u32 type);
int dd_ctx_streamoff(struct dd_ctx *ctx, u32 type);
int dd_ctx_try_decoder_cmd(struct dd_ctx *ctx, struct v4l2_decoder_cmd *dc);
int dd_ctx_decoder_cmd(struct dd_ctx *ctx, struct v4l2_decoder_cmd *dc);
/* S_FMT(OUTPUT) picked a new codec: new control set. */
int dd_ctx_set_codec(struct dd_ctx *ctx, const struct dd_codec *codec);
/* A request of this context was queued: its OUTPUT buffer goes to the driver. */
void dd_ctx_request_queued(struct dd_ctx *ctx, struct dd_request *req);

#endif /* DD_CTX_H */
