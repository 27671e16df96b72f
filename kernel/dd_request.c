// SPDX-License-Identifier: GPL-2.0-only
/*
 * dd_request.c - the media device's request hooks.  A decode request must
 * carry exactly one OUTPUT buffer and the controls the codec table marks
 * required (-ENOENT otherwise, as cedrus and hantro answer); queueing it
 * hands its control object over first and its buffer last, so the job the
 * buffer may start at once finds the request's controls queued.
 *
 * v4l2_m2m_request_queue() does this for mem2mem drivers; Debian does not
 * ship v4l2-mem2mem.ko.
 */
#include <media/media-request.h>
#include <media/v4l2-ctrls.h>
#include <media/videobuf2-core.h>

#include "dd_drv.h"

static struct vb2_buffer *dd_req_buffer(struct media_request *req)
{
	struct media_request_object *obj;

	list_for_each_entry(obj, &req->objects, list)
		if (vb2_request_object_is_buffer(obj))
			return container_of(obj, struct vb2_buffer, req_obj);
	return NULL;
}

static int dd_req_validate(struct media_request *req)
{
	struct v4l2_ctrl_handler *hdl;
	struct vb2_buffer *vb;
	struct dd_kctx *ctx;
	unsigned int count;
	int ret;

	count = vb2_request_buffer_cnt(req);
	if (!count) {
		pr_debug("daedalus: request without a buffer\n");
		return -ENOENT;
	}
	if (count > 1) {
		pr_debug("daedalus: request with %u buffers\n", count);
		return -EINVAL;
	}
	vb = dd_req_buffer(req);
	if (!vb)
		return -ENOENT;
	ctx = vb2_get_drv_priv(vb->vb2_queue);

	hdl = v4l2_ctrl_request_hdl_find(req, &ctx->hdl);
	ret = dd_kctrls_check_request(ctx, hdl);
	if (!ret)
		ret = dd_kctrls_check_depth(ctx, hdl);
	if (!ret)
		ret = dd_kctrls_check_required(ctx, hdl);
	if (hdl)
		v4l2_ctrl_request_hdl_put(hdl);
	if (ret)
		return ret;
	return vb2_request_validate(req);
}

static void dd_req_queue(struct media_request *req)
{
	struct media_request_object *obj, *tmp, *buf = NULL;

	list_for_each_entry_safe(obj, tmp, &req->objects, list) {
		if (!obj->ops->queue)
			continue;
		if (vb2_request_object_is_buffer(obj)) {
			buf = obj;
			continue;
		}
		obj->ops->queue(obj);
	}
	/* Last: queueing the buffer may run (and complete) the job. */
	if (buf)
		buf->ops->queue(buf);
}

/* The media core's allocation, counted for the leak checks in debugfs. */
static struct media_request *dd_req_alloc(struct media_device *mdev)
{
	struct dd_dev *dd = container_of(mdev, struct dd_dev, mdev);
	struct media_request *req = kzalloc(sizeof(*req), GFP_KERNEL);

	if (req)
		atomic_inc(&dd->stats.requests);
	return req;
}

static void dd_req_free(struct media_request *req)
{
	struct dd_dev *dd = container_of(req->mdev, struct dd_dev, mdev);

	atomic_dec(&dd->stats.requests);
	kfree(req);
}

const struct media_device_ops dd_media_ops = {
	.req_alloc = dd_req_alloc,
	.req_free = dd_req_free,
	.req_validate = dd_req_validate,
	.req_queue = dd_req_queue,
};
