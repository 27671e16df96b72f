// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_ctx.c - a context of the userspace front end: open/close, the buffer
 * ioctls with vb2's rules (REQBUFS, CREATE_BUFS, QUERYBUF, PREPARE_BUF,
 * QBUF with and without requests, DQBUF, STREAMON/OFF), stateless
 * DECODER_CMD, and the scheduler callbacks that turn a job into a daemon
 * message and its end into DONE buffers and a completed request.
 */
#include "dd_ctx.h"
#include "dd_fmt.h"
#include "dd_request.h"

#define DD_CAP_COPY_FLAGS	(V4L2_BUF_FLAG_TIMECODE | V4L2_BUF_FLAG_KEYFRAME | \
				 V4L2_BUF_FLAG_PFRAME | V4L2_BUF_FLAG_BFRAME)

static struct dd_ctx *dd_ctx_of_sched(struct dd_sched *s)
{
	return s->priv;
}

static void dd_ctx_wake(struct dd_ctx *ctx)
{
	const struct dd_dev_ops *ops = ctx->dev->ops;

	if (ops && ops->ctx_wake)
		ops->ctx_wake(ctx->dev->fe, ctx);
}

/* Memory hooks: the queue's view of the front end's. */
static int dd_ctx_mem_alloc(void *priv, struct dd_buffer *buf, struct dd_mem *m)
{
	struct dd_ctx *ctx = priv;
	const struct dd_dev_ops *ops = ctx->dev->ops;

	return ops && ops->mem_alloc ? ops->mem_alloc(ctx->dev->fe, ctx, buf, m) : 0;
}

static int dd_ctx_mem_attach(void *priv, struct dd_buffer *buf, struct dd_mem *m)
{
	struct dd_ctx *ctx = priv;
	const struct dd_dev_ops *ops = ctx->dev->ops;

	return ops && ops->mem_attach ? ops->mem_attach(ctx->dev->fe, ctx, buf, m) : 0;
}

static void dd_ctx_mem_release(void *priv, struct dd_buffer *buf, struct dd_mem *m)
{
	struct dd_ctx *ctx = priv;
	const struct dd_dev_ops *ops = ctx->dev->ops;

	if (ops && ops->mem_release)
		ops->mem_release(ctx->dev->fe, ctx, buf, m);
}

static const struct dd_mem_ops dd_ctx_mem_ops = {
	.alloc = dd_ctx_mem_alloc,
	.attach = dd_ctx_mem_attach,
	.release = dd_ctx_mem_release,
};

/* Scheduler hooks. */
static void dd_ctx_job_ctrls(struct dd_ctx *ctx, struct dd_request *req,
			     struct dd_proto_job *p)
{
	unsigned int i;

	/*
	 * The request's values were applied to the current ones: send the
	 * current value of every per-request control (a client may leave out
	 * an unchanged SPS), as the kernel module does.
	 */
	p->num_ctrls = 0;
	for (i = 0; i < ctx->ctrls.num; i++) {
		const struct dd_ctrl_val *v = &ctx->ctrls.vals[i];

		if (!v->set || !v->desc->per_request)
			continue;
		if (p->num_ctrls == DD_PROTO_MAX_CTRLS) {
			dd_warn("ctx %u: more than %u controls in a request",
				dd_ctx_id(ctx), DD_PROTO_MAX_CTRLS);
			break;
		}
		p->ctrls[p->num_ctrls].id = v->desc->id;
		p->ctrls[p->num_ctrls].size = v->size;
		p->ctrls[p->num_ctrls].data = v->p;
		p->num_ctrls++;
	}
}

static int dd_ctx_job_prepare(struct dd_sched *s, struct dd_job *job)
{
	struct dd_ctx *ctx = dd_ctx_of_sched(s);
	struct dd_buffer *out = job->src->priv;
	struct dd_buffer *cap = job->dst->priv;
	struct dd_request *req = out->req;
	struct dd_proto_job *p = &job->proto;
	const struct dd_mem *om = &out->planes[0];
	const struct dd_mem *cm = &cap->planes[0];
	const struct dd_dev_ops *ops = ctx->dev->ops;

	out->state = DD_BUF_ACTIVE;
	cap->state = DD_BUF_ACTIVE;
	job->priv = req;

	/* v4l2_m2m_buf_copy_metadata(): the picture inherits the bitstream's. */
	cap->timestamp = out->timestamp;
	cap->has_ts = true;
	cap->timecode = out->timecode;
	cap->field = out->field;
	cap->flags = (cap->flags & ~DD_CAP_COPY_FLAGS) | (out->flags & DD_CAP_COPY_FLAGS);

	/* Controls take effect when the job starts (v4l2_ctrl_request_setup). */
	if (req && req->has_ctrls)
		dd_ctrls_apply(&ctx->ctrls, &req->ctrls);

	p->codec = ctx->codec->proto_codec;
	/* The first job of a stream starts the daemon's decoder afresh. */
	p->flags = ctx->flush_next ? DD_JOB_FLAG_FLUSH : 0;
	ctx->flush_next = false;
	p->width = ctx->out_fmt.fmt.pix_mp.width;
	p->height = ctx->out_fmt.fmt.pix_mp.height;
	p->cap_fourcc = ctx->cap_fmt.fmt.pix_mp.pixelformat;
	dd_fmt_cap_layout(&ctx->cap_fmt, &p->cap_num_planes, p->cap_offset, p->cap_stride);
	p->timestamp = out->timestamp;
	dd_ctx_job_ctrls(ctx, req, p);

	p->bitstream.kind = DD_BUF_INLINE;
	p->bitstream.size = om->bytesused - om->data_offset;
	p->bitstream_data = om->vaddr ? (const u8 *)om->vaddr + om->data_offset : NULL;

	p->capture.size = cm->length;
	switch (cap->q->memory) {
	case V4L2_MEMORY_MMAP:
		p->capture.kind = DD_BUF_MMAP;
		p->capture.offset = cm->mem_offset;
		break;
	case V4L2_MEMORY_USERPTR:
		p->capture.kind = DD_BUF_PROCESS;
		p->capture.offset = cm->userptr;
		break;
	default:
		p->capture.kind = DD_BUF_FD;
		p->capture.id = 0;
		break;
	}
	job->fe_data = cm->handle;
	if (ops && ops->job_buffers)
		return ops->job_buffers(ctx->dev->fe, ctx, job, out, cap);
	return 0;
}

static void dd_ctx_job_finish(struct dd_sched *s, struct dd_job *job, u32 status,
			      u32 bytesused, bool dst_done)
{
	struct dd_ctx *ctx = dd_ctx_of_sched(s);
	struct dd_buffer *out = job->src->priv;
	struct dd_buffer *cap = job->dst->priv;
	struct dd_request *req = job->priv;

	cap->planes[0].bytesused = status == DD_STATUS_OK ? bytesused : 0;
	/* CAPTURE first, so the request completes after its picture. */
	if (dst_done)
		dd_queue_buf_done(cap, job->dst->failed);
	dd_queue_buf_done(out, status != DD_STATUS_OK);
	if (req) {
		dd_request_complete(req);
		dd_request_del_buffer(out);
	}
	dd_ctx_wake(ctx);
}

static void dd_ctx_dst_release(struct dd_sched *s, struct dd_sched_entry *dst)
{
	struct dd_ctx *ctx = dd_ctx_of_sched(s);
	struct dd_buffer *cap = dst->priv;

	dd_queue_buf_done(cap, dst->failed);
	dd_ctx_wake(ctx);
}

static void dd_ctx_release(struct dd_sched *s)
{
	struct dd_ctx *ctx = dd_ctx_of_sched(s);
	struct dd_device *dev = ctx->dev;

	dd_ctrls_free(&ctx->ctrls);
	dd_mutex_destroy(&ctx->lock);
	dd_free(ctx);
	dd_spin_lock(&dev->sd.lock);
	dev->num_ctxs--;
	dd_spin_unlock(&dev->sd.lock);
}

static const struct dd_sched_ops dd_ctx_sched_ops = {
	.prepare = dd_ctx_job_prepare,
	.finish = dd_ctx_job_finish,
	.dst_release = dd_ctx_dst_release,
	.release = dd_ctx_release,
};

struct dd_ctx *dd_ctx_open(struct dd_device *dev, void *fe_priv)
{
	struct dd_ctx *ctx = dd_zalloc(sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->dev = dev;
	ctx->fe_priv = fe_priv;
	dd_fmt_default_output(&ctx->out_fmt);
	dd_fmt_default_capture(&ctx->out_fmt, &ctx->cap_fmt);
	ctx->codec = dd_codec_by_fourcc(ctx->out_fmt.fmt.pix_mp.pixelformat);
	if (!ctx->codec || dd_ctrls_init(&ctx->ctrls, ctx->codec)) {
		dd_err("ctx: cannot set up the default codec");
		dd_free(ctx);
		return NULL;
	}
	dd_mutex_init(&ctx->lock);
	ctx->flush_next = true;
	dd_queue_init(&ctx->out_q, ctx->out_fmt.type, &dd_ctx_mem_ops, ctx);
	ctx->out_q.supports_requests = true;
	ctx->out_q.requires_requests = true;
	ctx->out_q.hold_capture = true;
	dd_queue_init(&ctx->cap_q, ctx->cap_fmt.type, &dd_ctx_mem_ops, ctx);
	dd_sched_init(&ctx->sched, &dev->sd, &dd_ctx_sched_ops, ctx, &ctx->lock);
	ctx->sched.max_in_flight = dev->max_in_flight ? dev->max_in_flight : 1;
	dd_spin_lock(&dev->sd.lock);
	dev->num_ctxs++;
	dd_spin_unlock(&dev->sd.lock);
	dd_dbg("ctx %u: open", ctx->sched.ctx_id);
	return ctx;
}

u32 dd_ctx_id(const struct dd_ctx *ctx)
{
	return ctx->sched.ctx_id;
}

/*
 * Give every buffer of q back to the client, like __vb2_queue_cancel():
 * a queued request whose buffer this was completes, buffers bound to idle
 * requests are unbound.
 */
static void dd_ctx_cancel_queue(struct dd_ctx *ctx, struct dd_queue *q)
{
	unsigned int i;

	for (i = 0; i < q->num_buffers; i++) {
		struct dd_buffer *buf = q->bufs[i];
		struct dd_request *req = buf->req;

		dd_sched_remove(&ctx->sched, &buf->entry);
		if (req) {
			if (dd_request_state(req) == DD_REQ_QUEUED)
				dd_request_complete(req);
			dd_request_del_buffer(buf);
		}
	}
	dd_queue_cancel(q);
}

static void dd_ctx_free_queue(struct dd_ctx *ctx, struct dd_queue *q)
{
	dd_ctx_cancel_queue(ctx, q);
	dd_queue_release(q);
}

void dd_ctx_close(struct dd_ctx *ctx)
{
	dd_mutex_lock(&ctx->lock);
	dd_dbg("ctx %u: close", dd_ctx_id(ctx));
	ctx->closed = true;
	dd_sched_close(&ctx->sched);
	dd_ctx_free_queue(ctx, &ctx->out_q);
	dd_ctx_free_queue(ctx, &ctx->cap_q);
	dd_mutex_unlock(&ctx->lock);
	dd_sched_put(&ctx->sched);
}

unsigned int dd_ctx_poll(struct dd_ctx *ctx)
{
	unsigned int mask = 0;
	bool out_idle, cap_idle;

	dd_mutex_lock(&ctx->lock);
	if (dd_queue_has_done(&ctx->out_q))
		mask |= DD_POLL_OUT;
	if (dd_queue_has_done(&ctx->cap_q))
		mask |= DD_POLL_IN;
	out_idle = !ctx->out_q.streaming ||
		   (!ctx->out_q.owned && !dd_queue_has_done(&ctx->out_q));
	cap_idle = !ctx->cap_q.streaming ||
		   (!ctx->cap_q.owned && !dd_queue_has_done(&ctx->cap_q));
	if (out_idle && cap_idle)
		mask |= DD_POLL_ERR;
	dd_mutex_unlock(&ctx->lock);
	return mask;
}

struct dd_mem *dd_ctx_find_mmap(struct dd_ctx *ctx, u32 offset, struct dd_buffer **bufp)
{
	struct dd_mem *m;

	dd_mutex_lock(&ctx->lock);
	if (offset >= DD_DST_QUEUE_OFF_BASE)
		m = dd_queue_find_mmap(&ctx->cap_q, offset, bufp);
	else
		m = dd_queue_find_mmap(&ctx->out_q, offset, bufp);
	dd_mutex_unlock(&ctx->lock);
	return m;
}

int dd_ctx_mmap_count(struct dd_ctx *ctx, u32 offset, int delta)
{
	struct dd_queue *q = offset >= DD_DST_QUEUE_OFF_BASE ? &ctx->cap_q : &ctx->out_q;
	struct dd_mem *m;
	int ret = 0;

	dd_mutex_lock(&ctx->lock);
	m = dd_queue_find_mmap(q, offset, NULL);
	if (!m || (delta < 0 && !m->map_count))
		ret = -EINVAL;
	else if (delta < 0)
		m->map_count--;
	else if (delta > 0)
		m->map_count++;
	dd_mutex_unlock(&ctx->lock);
	return ret;
}

int dd_ctx_find_ref(struct dd_ctx *ctx, u64 ts)
{
	int idx;

	dd_mutex_lock(&ctx->lock);
	idx = dd_queue_find_timestamp(&ctx->cap_q, ts);
	dd_mutex_unlock(&ctx->lock);
	return idx;
}

struct dd_queue *dd_ctx_queue(struct dd_ctx *ctx, u32 type)
{
	if (type == ctx->out_q.type)
		return &ctx->out_q;
	if (type == ctx->cap_q.type)
		return &ctx->cap_q;
	return NULL;
}

static u32 dd_ctx_sizeimage(struct dd_ctx *ctx, struct dd_queue *q)
{
	const struct v4l2_format *f = q == &ctx->out_q ? &ctx->out_fmt : &ctx->cap_fmt;

	return f->fmt.pix_mp.plane_fmt[0].sizeimage;
}

int dd_ctx_reqbufs(struct dd_ctx *ctx, struct v4l2_requestbuffers *rb)
{
	struct dd_queue *q = dd_ctx_queue(ctx, rb->type);
	int ret, n;

	if (!q) {
		dd_dbg("ctx %u: REQBUFS: bad type %u", dd_ctx_id(ctx), rb->type);
		return -EINVAL;
	}
	rb->capabilities = dd_queue_caps(q);
	rb->flags = 0;
	ret = dd_queue_check_memory(q, rb->memory);
	if (ret)
		return ret;
	if (q->streaming) {
		dd_dbg("ctx %u: REQBUFS while streaming", dd_ctx_id(ctx));
		return -EBUSY;
	}
	if (rb->count == 0 || q->num_buffers) {
		dd_ctx_free_queue(ctx, q);
		if (rb->count == 0)
			return 0;
	}
	n = dd_queue_alloc(q, rb->memory, min_t(u32, rb->count, DD_MAX_BUFFERS),
			   dd_ctx_sizeimage(ctx, q));
	if (n < 0)
		return n;
	rb->count = n;
	return 0;
}

int dd_ctx_create_bufs(struct dd_ctx *ctx, struct v4l2_create_buffers *cb)
{
	struct dd_queue *q = dd_ctx_queue(ctx, cb->format.type);
	const struct v4l2_pix_format_mplane *pix = &cb->format.fmt.pix_mp;
	u32 size;
	int ret, n;

	if (!q) {
		dd_dbg("ctx %u: CREATE_BUFS: bad type %u", dd_ctx_id(ctx), cb->format.type);
		return -EINVAL;
	}
	cb->index = q->num_buffers;
	cb->capabilities = dd_queue_caps(q);
	cb->flags = 0;
	ret = dd_queue_check_memory(q, cb->memory);
	if (cb->count == 0)
		return ret;
	if (pix->num_planes != 1 || !pix->plane_fmt[0].sizeimage) {
		dd_dbg("ctx %u: CREATE_BUFS: %u planes, size %u", dd_ctx_id(ctx),
		       pix->num_planes, pix->plane_fmt[0].sizeimage);
		return -EINVAL;
	}
	if (ret)
		return ret;
	size = pix->plane_fmt[0].sizeimage;
	if (size < dd_ctx_sizeimage(ctx, q)) {
		dd_dbg("ctx %u: CREATE_BUFS: size %u below the format's %u",
		       dd_ctx_id(ctx), size, dd_ctx_sizeimage(ctx, q));
		return -EINVAL;
	}
	if (q->num_buffers && q->memory != cb->memory) {
		dd_dbg("ctx %u: CREATE_BUFS: memory %u, buffers are %u", dd_ctx_id(ctx),
		       cb->memory, q->memory);
		return -EINVAL;
	}
	if (q->num_buffers >= DD_MAX_BUFFERS)
		return -ENOBUFS;
	n = dd_queue_alloc(q, cb->memory,
			   min_t(u32, cb->count, DD_MAX_BUFFERS - q->num_buffers), size);
	if (n < 0)
		return n;
	cb->count = n;
	return 0;
}

int dd_ctx_querybuf(struct dd_ctx *ctx, struct v4l2_buffer *b)
{
	struct dd_queue *q = dd_ctx_queue(ctx, b->type);
	struct dd_buffer *buf;
	int ret;

	if (!q)
		return -EINVAL;
	buf = dd_queue_get(q, b->index);
	if (!buf) {
		dd_dbg("ctx %u: QUERYBUF: no buffer %u", dd_ctx_id(ctx), b->index);
		return -EINVAL;
	}
	ret = dd_queue_check_planes(q, buf, b);
	if (ret)
		return ret;
	dd_queue_fill_v4l2(buf, b);
	return 0;
}

int dd_ctx_prepare_buf(struct dd_ctx *ctx, struct v4l2_buffer *b)
{
	struct dd_queue *q = dd_ctx_queue(ctx, b->type);
	struct dd_buffer *buf;
	int ret;

	if (!q)
		return -EINVAL;
	if (b->flags & V4L2_BUF_FLAG_REQUEST_FD) {
		dd_dbg("ctx %u: PREPARE_BUF with a request", dd_ctx_id(ctx));
		return -EINVAL;
	}
	ret = dd_queue_check_v4l2(q, b, &buf);
	if (ret)
		return ret;
	if (buf->state != DD_BUF_DEQUEUED) {
		dd_dbg("ctx %u: PREPARE_BUF: buffer %u not dequeued", dd_ctx_id(ctx), b->index);
		return -EINVAL;
	}
	if (buf->prepared) {
		dd_dbg("ctx %u: PREPARE_BUF: buffer %u already prepared", dd_ctx_id(ctx),
		       b->index);
		return -EINVAL;
	}
	ret = dd_queue_fill_from_v4l2(buf, b);
	if (ret)
		return ret;
	buf->prepared = true;
	dd_queue_fill_v4l2(buf, b);
	return 0;
}

static int dd_ctx_qbuf_request(struct dd_ctx *ctx, struct dd_queue *q,
			       struct dd_buffer *buf, struct v4l2_buffer *b)
{
	const struct dd_dev_ops *ops = ctx->dev->ops;
	struct dd_request *req;
	int ret;

	if (!q->supports_requests) {
		dd_dbg("ctx %u: QBUF: queue %u takes no requests", dd_ctx_id(ctx), q->type);
		return -EBADR;
	}
	if (q->uses_qbuf) {
		dd_dbg("ctx %u: QBUF: queue %u in plain QBUF mode", dd_ctx_id(ctx), q->type);
		return -EBUSY;
	}
	req = ops && ops->request_get ? ops->request_get(ctx->dev->fe, ctx, b->request_fd) :
		NULL;
	if (!req) {
		dd_dbg("ctx %u: QBUF: bad request fd %d", dd_ctx_id(ctx), b->request_fd);
		return -EINVAL;
	}
	if (dd_request_state(req) != DD_REQ_IDLE) {
		dd_dbg("ctx %u: QBUF: request not idle", dd_ctx_id(ctx));
		ret = -EBUSY;
		goto out;
	}
	ret = dd_request_bind(req, ctx);
	if (ret)
		goto out;
	q->uses_requests = true;
	buf->state = DD_BUF_IN_REQUEST;
	buf->request_fd = b->request_fd;
	dd_request_add_buffer(req, buf);
	dd_queue_copy_timestamp(buf, b);
	dd_queue_fill_v4l2(buf, b);
out:
	dd_request_put(req);
	return ret;
}

int dd_ctx_qbuf(struct dd_ctx *ctx, struct v4l2_buffer *b)
{
	struct dd_queue *q = dd_ctx_queue(ctx, b->type);
	bool with_req = b->flags & V4L2_BUF_FLAG_REQUEST_FD;
	struct dd_buffer *buf;
	int ret;

	if (!q)
		return -EINVAL;
	ret = dd_queue_check_v4l2(q, b, &buf);
	if (ret)
		return ret;
	if (with_req && buf->state != DD_BUF_DEQUEUED) {
		dd_dbg("ctx %u: QBUF: buffer %u not dequeued", dd_ctx_id(ctx), b->index);
		return -EINVAL;
	}
	if (!buf->prepared) {
		ret = dd_queue_fill_from_v4l2(buf, b);
		if (ret)
			return ret;
	}
	if (with_req)
		return dd_ctx_qbuf_request(ctx, q, buf, b);
	if (q->requires_requests) {
		dd_dbg("ctx %u: QBUF: queue %u requires requests", dd_ctx_id(ctx), q->type);
		return -EBADR;
	}
	if (q->uses_requests) {
		dd_dbg("ctx %u: QBUF: queue %u in request mode", dd_ctx_id(ctx), q->type);
		return -EBUSY;
	}
	if (buf->state != DD_BUF_DEQUEUED) {
		dd_dbg("ctx %u: QBUF: buffer %u in state %d", dd_ctx_id(ctx), b->index,
		       buf->state);
		return -EINVAL;
	}
	q->uses_qbuf = true;
	buf->prepared = true;
	buf->request_fd = -1;
	dd_queue_copy_timestamp(buf, b);
	dd_queue_buf_owned(buf);
	if (!dd_queue_is_output(q))
		dd_sched_queue_dst(&ctx->sched, &buf->entry);
	else
		dd_sched_queue_src(&ctx->sched, &buf->entry);
	dd_queue_fill_v4l2(buf, b);
	return 0;
}

void dd_ctx_request_queued(struct dd_ctx *ctx, struct dd_request *req)
{
	struct dd_buffer *buf, *tmp;

	/* Queueing may run and finish the job at once: iterate safely. */
	list_for_each_entry_safe(buf, tmp, &req->bufs, req_node) {
		buf->prepared = true;
		dd_queue_buf_owned(buf);
		buf->entry.timestamp = buf->timestamp;
		buf->entry.hold = buf->flags & V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF;
		dd_sched_queue_src(&ctx->sched, &buf->entry);
	}
}

int dd_ctx_dqbuf(struct dd_ctx *ctx, struct v4l2_buffer *b)
{
	struct dd_queue *q = dd_ctx_queue(ctx, b->type);
	struct dd_buffer *buf;
	int ret;

	if (!q)
		return -EINVAL;
	if (!q->streaming) {
		dd_dbg("ctx %u: DQBUF: queue %u not streaming", dd_ctx_id(ctx), q->type);
		return -EINVAL;
	}
	buf = list_first_entry_or_null(&q->done, struct dd_buffer, done_node);
	if (!buf)
		return -EAGAIN;
	ret = dd_queue_check_planes(q, buf, b);
	if (ret)
		return ret;
	dd_queue_take_done(q);
	dd_queue_fill_v4l2(buf, b);
	b->flags &= ~V4L2_BUF_FLAG_DONE;
	buf->state = DD_BUF_DEQUEUED;
	buf->prepared = false;
	buf->request_fd = -1;
	return 0;
}

int dd_ctx_streamon(struct dd_ctx *ctx, u32 type)
{
	struct dd_queue *q = dd_ctx_queue(ctx, type);

	if (!q)
		return -EINVAL;
	if (q->streaming)
		return 0;
	if (!q->num_buffers) {
		dd_dbg("ctx %u: STREAMON: queue %u has no buffers", dd_ctx_id(ctx), type);
		return -EINVAL;
	}
	q->streaming = true;
	q->sequence = 0;
	dd_sched_streamon(&ctx->sched, dd_queue_is_output(q));
	return 0;
}

int dd_ctx_streamoff(struct dd_ctx *ctx, u32 type)
{
	struct dd_queue *q = dd_ctx_queue(ctx, type);

	if (!q)
		return -EINVAL;
	dd_sched_streamoff(&ctx->sched, dd_queue_is_output(q));
	dd_ctx_cancel_queue(ctx, q);
	if (dd_queue_is_output(q))
		ctx->flush_next = true;
	dd_ctx_wake(ctx);
	return 0;
}

int dd_ctx_try_decoder_cmd(struct dd_ctx *ctx, struct v4l2_decoder_cmd *dc)
{
	if (dc->cmd != V4L2_DEC_CMD_FLUSH) {
		dd_dbg("ctx %u: decoder command %u not supported", dd_ctx_id(ctx), dc->cmd);
		return -EINVAL;
	}
	dc->flags = 0;
	return 0;
}

int dd_ctx_decoder_cmd(struct dd_ctx *ctx, struct v4l2_decoder_cmd *dc)
{
	struct dd_sched *s = &ctx->sched;
	int ret = dd_ctx_try_decoder_cmd(ctx, dc);

	if (ret)
		return ret;
	if (!list_empty(&s->src)) {
		struct dd_sched_entry *last =
			list_entry(s->src.prev, struct dd_sched_entry, node);
		struct dd_buffer *buf = last->priv;

		buf->flags &= ~V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF;
	}
	dd_sched_flush(s);
	return 0;
}

int dd_ctx_set_codec(struct dd_ctx *ctx, const struct dd_codec *codec)
{
	struct dd_ctrls fresh;
	int ret;

	if (codec == ctx->codec)
		return 0;
	ret = dd_ctrls_init(&fresh, codec);
	if (ret)
		return ret;
	dd_ctrls_free(&ctx->ctrls);
	ctx->ctrls = fresh;
	ctx->codec = codec;
	ctx->ctrls_seen = 0;
	return 0;
}
