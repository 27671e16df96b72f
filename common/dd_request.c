// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_request.c - media request objects: lifetime, binding to a context,
 * validation at MEDIA_REQUEST_IOC_QUEUE, completion and reinit.
 */
#include "dd_request.h"
#include "dd_ctx.h"
#include "dd_fmt.h"

struct dd_request *dd_request_alloc(struct dd_device *dev, void *fe_priv)
{
	struct dd_request *req = dd_zalloc(sizeof(*req));

	if (!req)
		return NULL;
	req->dev = dev;
	req->fe_priv = fe_priv;
	req->refs = 1;
	req->state = DD_REQ_IDLE;
	INIT_LIST_HEAD(&req->bufs);
	dd_spin_lock(&dev->sd.lock);
	dev->num_requests++;
	dd_spin_unlock(&dev->sd.lock);
	return req;
}

void dd_request_get(struct dd_request *req)
{
	dd_spin_lock(&req->dev->sd.lock);
	req->refs++;
	dd_spin_unlock(&req->dev->sd.lock);
}

void dd_request_put(struct dd_request *req)
{
	struct dd_device *dev = req->dev;
	struct dd_ctx *ctx;
	bool last;

	dd_spin_lock(&dev->sd.lock);
	last = --req->refs == 0;
	if (last)
		dev->num_requests--;
	dd_spin_unlock(&dev->sd.lock);
	if (!last)
		return;
	/* Bound buffers hold references: none are left here. */
	if (req->has_ctrls)
		dd_ctrls_free(&req->ctrls);
	ctx = req->ctx;
	dd_free(req);
	if (ctx)
		dd_sched_put(&ctx->sched);
}

static void dd_request_set_state(struct dd_request *req, enum dd_request_state state)
{
	dd_spin_lock(&req->dev->sd.lock);
	req->state = state;
	dd_spin_unlock(&req->dev->sd.lock);
}

enum dd_request_state dd_request_state(struct dd_request *req)
{
	enum dd_request_state state;

	dd_spin_lock(&req->dev->sd.lock);
	state = req->state;
	dd_spin_unlock(&req->dev->sd.lock);
	return state;
}

bool dd_request_is_complete(struct dd_request *req)
{
	return dd_request_state(req) == DD_REQ_COMPLETE;
}

int dd_request_bind(struct dd_request *req, struct dd_ctx *ctx)
{
	struct dd_sched_dev *sd = &req->dev->sd;
	struct dd_ctx *bound;

	dd_spin_lock(&sd->lock);
	bound = req->ctx;
	if (!bound) {
		req->ctx = ctx;
		ctx->sched.refs++;
	}
	dd_spin_unlock(&sd->lock);
	if (bound && bound != ctx) {
		dd_dbg("request: used by context %u, not %u", dd_ctx_id(bound), dd_ctx_id(ctx));
		return -EINVAL;
	}
	return 0;
}

/* Copy into `dst` every value not set there from `src` (same codec). */
static void dd_request_fill_unset(struct dd_ctrls *dst, const struct dd_ctrls *src)
{
	unsigned int i;

	if (dst->codec != src->codec || dst->num != src->num)
		return;
	for (i = 0; i < dst->num; i++)
		if (!dst->vals[i].set && dst->vals[i].size == src->vals[i].size)
			memcpy(dst->vals[i].p, src->vals[i].p, dst->vals[i].size);
}

static int dd_request_init_ctrls(struct dd_request *req, struct dd_ctx *ctx)
{
	int ret;

	if (req->has_ctrls)
		return 0;
	ret = dd_ctrls_init(&req->ctrls, ctx->codec);
	if (ret)
		return ret;
	req->has_ctrls = true;
	/* A request starts from the context's current values. */
	dd_request_fill_unset(&req->ctrls, &ctx->ctrls);
	return 0;
}

int dd_request_ctrls(struct dd_request *req, struct dd_ctx *ctx, bool update,
		     struct dd_ctrls **ctrls)
{
	enum dd_request_state state = dd_request_state(req);
	int ret;

	if (update) {
		if (state != DD_REQ_IDLE) {
			dd_dbg("request: controls of a %s request cannot change",
			       state == DD_REQ_QUEUED ? "queued" : "completed");
			return -EBUSY;
		}
		ret = dd_request_bind(req, ctx);
		if (ret)
			return ret;
		if (req->has_ctrls && req->ctrls.codec != ctx->codec) {
			dd_ctrls_free(&req->ctrls);
			req->has_ctrls = false;
		}
		ret = dd_request_init_ctrls(req, ctx);
		if (ret)
			return ret;
	} else {
		if (state != DD_REQ_COMPLETE) {
			dd_dbg("request: values readable once completed");
			return -EACCES;
		}
		if (req->ctx != ctx || !req->has_ctrls) {
			dd_dbg("request: carries no controls of context %u", dd_ctx_id(ctx));
			return -EINVAL;
		}
	}
	*ctrls = &req->ctrls;
	return 0;
}

void dd_request_add_buffer(struct dd_request *req, struct dd_buffer *buf)
{
	dd_request_get(req);
	list_add_tail(&buf->req_node, &req->bufs);
	req->num_bufs++;
	buf->req = req;
}

void dd_request_del_buffer(struct dd_buffer *buf)
{
	struct dd_request *req = buf->req;

	if (!req)
		return;
	list_del_init(&buf->req_node);
	req->num_bufs--;
	buf->req = NULL;
	dd_request_put(req);
}

void dd_request_complete(struct dd_request *req)
{
	struct dd_ctx *ctx = req->ctx;
	struct dd_device *dev = req->dev;

	if (dd_request_state(req) == DD_REQ_COMPLETE)
		return;
	/* Like v4l2_ctrl_request_complete: the request keeps every value. */
	if (ctx && (req->has_ctrls || !dd_request_init_ctrls(req, ctx)))
		dd_request_fill_unset(&req->ctrls, &ctx->ctrls);
	dd_request_set_state(req, DD_REQ_COMPLETE);
	if (dev->ops && dev->ops->request_done)
		dev->ops->request_done(dev->fe, req);
}

/* The bound context, referenced and locked, or NULL if unbound. */
static struct dd_ctx *dd_request_lock_ctx(struct dd_request *req)
{
	struct dd_sched_dev *sd = &req->dev->sd;
	struct dd_ctx *ctx;

	for (;;) {
		dd_spin_lock(&sd->lock);
		ctx = req->ctx;
		if (ctx)
			ctx->sched.refs++;
		dd_spin_unlock(&sd->lock);
		if (!ctx)
			return NULL;
		dd_mutex_lock(&ctx->lock);
		if (req->ctx == ctx)
			return ctx;
		/* Unbound meanwhile (reinit): look again. */
		dd_mutex_unlock(&ctx->lock);
		dd_sched_put(&ctx->sched);
	}
}

static void dd_request_unlock_ctx(struct dd_ctx *ctx)
{
	dd_mutex_unlock(&ctx->lock);
	dd_sched_put(&ctx->sched);
}

int dd_request_queue(struct dd_request *req)
{
	struct dd_ctx *ctx = dd_request_lock_ctx(req);
	u32 depth;
	int ret;

	if (dd_request_state(req) != DD_REQ_IDLE) {
		dd_dbg("request: queued twice");
		ret = -EBUSY;
		goto out;
	}
	if (!ctx || !req->num_bufs) {
		dd_err("request: queued without an OUTPUT buffer");
		ret = -ENOENT;
		goto out;
	}
	if (req->num_bufs > 1) {
		dd_err("request: %u OUTPUT buffers, one allowed", req->num_bufs);
		ret = -EINVAL;
		goto out;
	}
	if (!req->has_ctrls) {
		dd_err("request: queued without controls");
		ret = -ENOENT;
		goto out;
	}
	/* Controls set before S_FMT(OUTPUT) switched to another codec. */
	if (req->ctrls.codec != ctx->codec) {
		dd_err("request: controls are %s's, the OUTPUT format is %s",
		       req->ctrls.codec ? req->ctrls.codec->name : "no codec",
		       ctx->codec ? ctx->codec->name : "no codec");
		ret = -EINVAL;
		goto out;
	}
	ret = dd_ctrls_check_request(&req->ctrls, ctx->out_fmt.fmt.pix_mp.width,
				     ctx->out_fmt.fmt.pix_mp.height);
	if (ret)
		goto out;
	/*
	 * The picture depth of the SPS/FRAME the job decodes with (the
	 * request's, or the context's current one) must be the CAPTURE
	 * format's: a 10-bit picture does not fit NV12.
	 */
	depth = dd_ctrls_depth(&req->ctrls, true);
	if (!depth)
		depth = dd_ctrls_depth(&ctx->ctrls, false);
	ret = dd_fmt_request_depth_ok(ctx->codec->name, depth, &ctx->cap_fmt);
	if (ret)
		goto out;
	/*
	 * A control the client set on the context itself (S_EXT_CTRLS without
	 * a request: GStreamer sets the MPEG-2 sequence so at negotiation)
	 * is as good as one an earlier request carried.
	 */
	ctx->ctrls_seen |= dd_ctrls_set_mask(&ctx->ctrls);
	ret = dd_ctrls_check_required(&req->ctrls, &ctx->ctrls_seen);
	if (ret)
		goto out;
	dd_request_set_state(req, DD_REQ_QUEUED);
	dd_ctx_request_queued(ctx, req);
	ret = 0;
out:
	if (ctx)
		dd_request_unlock_ctx(ctx);
	return ret;
}

int dd_request_reinit(struct dd_request *req)
{
	struct dd_ctx *ctx = dd_request_lock_ctx(req);
	struct dd_buffer *buf, *tmp;

	if (dd_request_state(req) == DD_REQ_QUEUED) {
		dd_dbg("request: reinit while queued");
		if (ctx)
			dd_request_unlock_ctx(ctx);
		return -EBUSY;
	}
	if (ctx) {
		list_for_each_entry_safe(buf, tmp, &req->bufs, req_node) {
			if (buf->state == DD_BUF_IN_REQUEST)
				buf->state = DD_BUF_DEQUEUED;
			buf->request_fd = -1;
			dd_request_del_buffer(buf);
		}
		if (req->has_ctrls)
			dd_ctrls_free(&req->ctrls);
		req->has_ctrls = false;
		dd_spin_lock(&req->dev->sd.lock);
		req->ctx = NULL;
		req->state = DD_REQ_IDLE;
		dd_spin_unlock(&req->dev->sd.lock);
		dd_request_unlock_ctx(ctx);
		/* The binding's reference. */
		dd_sched_put(&ctx->sched);
	} else {
		dd_request_set_state(req, DD_REQ_IDLE);
	}
	return 0;
}
