// SPDX-License-Identifier: GPL-2.0-only
/*
 * dd_video.c - the decoder's video node: a multiplanar memory-to-memory
 * device with streaming I/O.  Owns the file operations (one context per
 * open), the ioctl table and the release of struct dd_dev when the last
 * user is gone.
 *
 * The node has no device-wide lock: every ioctl that touches a context
 * takes that context's mutex (also the vb2 lock of its two queues), so
 * clients never wait for each other.  Format rules and their -EBUSY cases
 * are common/'s (dd_fmt.h), shared with the userspace front end.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <media/v4l2-ctrls.h>
#include <media/v4l2-dev.h>
#include <media/v4l2-event.h>
#include <media/v4l2-fh.h>
#include <media/v4l2-ioctl.h>

#include "dd_drv.h"
#include "dd_fmt.h"
#include "dd_queue.h"

static struct vb2_queue *dd_vid_queue(struct dd_kctx *ctx, u32 type)
{
	if (type == ctx->out_q.type)
		return &ctx->out_q;
	if (type == ctx->cap_q.type)
		return &ctx->cap_q;
	return NULL;
}

static int dd_vidioc_querycap(struct file *file, void *priv, struct v4l2_capability *cap)
{
	strscpy(cap->driver, DD_DRIVER_NAME, sizeof(cap->driver));
	strscpy(cap->card, DD_CARD_NAME, sizeof(cap->card));
	snprintf(cap->bus_info, sizeof(cap->bus_info), "platform:%s", DD_DRIVER_NAME);
	return 0;
}

static int dd_vidioc_enum_fmt_out(struct file *file, void *priv, struct v4l2_fmtdesc *f)
{
	return dd_fmt_enum_output(f);
}

static int dd_vidioc_enum_fmt_cap(struct file *file, void *priv, struct v4l2_fmtdesc *f)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	int ret;

	/* The formats of the stream's bit depth: the CAPTURE format's. */
	mutex_lock(&ctx->lock);
	ret = dd_fmt_enum_capture(ctx->codec, dd_fmt_cap_depth(&ctx->cap_fmt), f);
	mutex_unlock(&ctx->lock);
	return ret;
}

static int dd_vidioc_enum_framesizes(struct file *file, void *priv,
				     struct v4l2_frmsizeenum *fs)
{
	return dd_fmt_enum_framesizes(fs);
}

static int dd_vidioc_g_fmt(struct file *file, void *priv, struct v4l2_format *f)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);

	mutex_lock(&ctx->lock);
	*f = V4L2_TYPE_IS_OUTPUT(f->type) ? ctx->out_fmt : ctx->cap_fmt;
	mutex_unlock(&ctx->lock);
	return 0;
}

static int dd_vidioc_try_fmt_out(struct file *file, void *priv, struct v4l2_format *f)
{
	return dd_fmt_try_output(f);
}

static int dd_vidioc_try_fmt_cap(struct file *file, void *priv, struct v4l2_format *f)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	int ret;

	mutex_lock(&ctx->lock);
	ret = dd_fmt_try_capture(&ctx->out_fmt, dd_fmt_cap_depth(&ctx->cap_fmt), f);
	mutex_unlock(&ctx->lock);
	return ret;
}

static int dd_vid_s_fmt_locked(struct dd_kctx *ctx, struct v4l2_format *f)
{
	struct dd_fmt_busy busy = {
		.out_streaming = vb2_is_streaming(&ctx->out_q),
		.out_busy = vb2_is_busy(&ctx->out_q),
		.cap_busy = vb2_is_busy(&ctx->cap_q),
	};
	const struct dd_codec *codec;
	int ret;

	ret = dd_fmt_s_fmt_busy(&ctx->out_fmt, f, &busy);
	if (ret) {
		v4l2_dbg(1, dd_param_debug, &ctx->dd->v4l2_dev, "ctx %u: S_FMT(%u) while busy\n",
			 ctx->sched.ctx_id, f->type);
		return ret;
	}
	if (V4L2_TYPE_IS_OUTPUT(f->type)) {
		ret = dd_fmt_try_output(f);
		if (ret)
			return ret;
		codec = dd_codec_by_fourcc(f->fmt.pix_mp.pixelformat);
		if (!codec)
			return -EINVAL;
		if (codec != ctx->codec) {
			WRITE_ONCE(ctx->codec, codec);
			ctx->ctrls_seen = 0;
		}
		ctx->out_fmt = *f;
		/* The depth the codec's current SPS/FRAME value announces. */
		dd_fmt_propagate(&ctx->out_fmt, dd_kctrls_depth(ctx), &ctx->cap_fmt);
		return 0;
	}
	ret = dd_fmt_try_capture(&ctx->out_fmt, dd_fmt_cap_depth(&ctx->cap_fmt), f);
	if (!ret)
		ctx->cap_fmt = *f;
	return ret;
}

static int dd_vidioc_s_fmt(struct file *file, void *priv, struct v4l2_format *f)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	int ret;

	mutex_lock(&ctx->lock);
	ret = dd_vid_s_fmt_locked(ctx, f);
	mutex_unlock(&ctx->lock);
	return ret;
}

/*
 * CAPTURE MMAP offsets are moved above DD_DST_QUEUE_OFF_BASE so one mmap()
 * on the node can tell the queues apart (as v4l2-mem2mem does).
 */
static void dd_vid_adjust_offset(struct vb2_queue *q, struct v4l2_buffer *b)
{
	unsigned int i;

	if (V4L2_TYPE_IS_OUTPUT(q->type) || b->memory != V4L2_MEMORY_MMAP)
		return;
	for (i = 0; i < b->length; i++)
		b->m.planes[i].m.mem_offset += DD_DST_QUEUE_OFF_BASE;
}

static int dd_vidioc_reqbufs(struct file *file, void *priv, struct v4l2_requestbuffers *rb)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	struct vb2_queue *q = dd_vid_queue(ctx, rb->type);
	int ret;

	if (!q)
		return -EINVAL;
	mutex_lock(&ctx->lock);
	ret = vb2_reqbufs(q, rb);
	mutex_unlock(&ctx->lock);
	return ret;
}

static int dd_vidioc_create_bufs(struct file *file, void *priv, struct v4l2_create_buffers *cb)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	struct vb2_queue *q = dd_vid_queue(ctx, cb->format.type);
	int ret;

	if (!q)
		return -EINVAL;
	mutex_lock(&ctx->lock);
	ret = vb2_create_bufs(q, cb);
	mutex_unlock(&ctx->lock);
	return ret;
}

static int dd_vidioc_querybuf(struct file *file, void *priv, struct v4l2_buffer *b)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	struct vb2_queue *q = dd_vid_queue(ctx, b->type);
	int ret;

	if (!q)
		return -EINVAL;
	mutex_lock(&ctx->lock);
	ret = vb2_querybuf(q, b);
	if (!ret)
		dd_vid_adjust_offset(q, b);
	mutex_unlock(&ctx->lock);
	return ret;
}

static int dd_vidioc_qbuf(struct file *file, void *priv, struct v4l2_buffer *b)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	struct vb2_queue *q = dd_vid_queue(ctx, b->type);
	int ret;

	if (!q)
		return -EINVAL;
	mutex_lock(&ctx->lock);
	ret = vb2_qbuf(q, &ctx->dd->mdev, b);
	if (!ret)
		dd_vid_adjust_offset(q, b);
	mutex_unlock(&ctx->lock);
	return ret;
}

static int dd_vidioc_dqbuf(struct file *file, void *priv, struct v4l2_buffer *b)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	struct vb2_queue *q = dd_vid_queue(ctx, b->type);
	int ret;

	if (!q)
		return -EINVAL;
	mutex_lock(&ctx->lock);
	ret = vb2_dqbuf(q, b, file->f_flags & O_NONBLOCK);
	if (!ret)
		dd_vid_adjust_offset(q, b);
	mutex_unlock(&ctx->lock);
	return ret;
}

static int dd_vidioc_prepare_buf(struct file *file, void *priv, struct v4l2_buffer *b)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	struct vb2_queue *q = dd_vid_queue(ctx, b->type);
	int ret;

	if (!q)
		return -EINVAL;
	mutex_lock(&ctx->lock);
	ret = vb2_prepare_buf(q, &ctx->dd->mdev, b);
	if (!ret)
		dd_vid_adjust_offset(q, b);
	mutex_unlock(&ctx->lock);
	return ret;
}

static int dd_vidioc_expbuf(struct file *file, void *priv, struct v4l2_exportbuffer *eb)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	struct vb2_queue *q = dd_vid_queue(ctx, eb->type);
	int ret;

	if (!q)
		return -EINVAL;
	mutex_lock(&ctx->lock);
	ret = vb2_expbuf(q, eb);
	mutex_unlock(&ctx->lock);
	return ret;
}

static int dd_vidioc_streamon(struct file *file, void *priv, enum v4l2_buf_type type)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	struct vb2_queue *q = dd_vid_queue(ctx, type);
	int ret;

	if (!q)
		return -EINVAL;
	mutex_lock(&ctx->lock);
	ret = vb2_streamon(q, type);
	mutex_unlock(&ctx->lock);
	return ret;
}

static int dd_vidioc_streamoff(struct file *file, void *priv, enum v4l2_buf_type type)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	struct vb2_queue *q = dd_vid_queue(ctx, type);
	int ret;

	if (!q)
		return -EINVAL;
	mutex_lock(&ctx->lock);
	ret = vb2_streamoff(q, type);
	mutex_unlock(&ctx->lock);
	return ret;
}

static int dd_vidioc_try_decoder_cmd(struct file *file, void *priv,
				     struct v4l2_decoder_cmd *dc)
{
	/* A stateless decoder knows only FLUSH (v4l2_m2m's rule). */
	if (dc->cmd != V4L2_DEC_CMD_FLUSH)
		return -EINVAL;
	dc->flags = 0;
	return 0;
}

/*
 * FLUSH: the last queued slice no longer holds its CAPTURE buffer, or a
 * held buffer is returned now (common/'s dd_sched_flush()).
 */
static int dd_vidioc_decoder_cmd(struct file *file, void *priv, struct v4l2_decoder_cmd *dc)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	struct dd_sched *s = &ctx->sched;
	int ret;

	ret = dd_vidioc_try_decoder_cmd(file, priv, dc);
	if (ret)
		return ret;
	mutex_lock(&ctx->lock);
	if (!list_empty(&s->src)) {
		struct dd_sched_entry *last = list_last_entry(&s->src, struct dd_sched_entry,
							      node);
		struct dd_kbuf *buf = last->priv;

		buf->vb.flags &= ~V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF;
	}
	dd_sched_flush(s);
	mutex_unlock(&ctx->lock);
	return 0;
}

static int dd_vidioc_subscribe_event(struct v4l2_fh *fh, const struct v4l2_event_subscription *sub)
{
	if (sub->type == V4L2_EVENT_CTRL)
		return v4l2_ctrl_subscribe_event(fh, sub);
	return -EINVAL;
}

static const struct v4l2_ioctl_ops dd_ioctl_ops = {
	.vidioc_querycap = dd_vidioc_querycap,

	.vidioc_enum_fmt_vid_out = dd_vidioc_enum_fmt_out,
	.vidioc_enum_fmt_vid_cap = dd_vidioc_enum_fmt_cap,
	.vidioc_enum_framesizes = dd_vidioc_enum_framesizes,
	.vidioc_g_fmt_vid_out_mplane = dd_vidioc_g_fmt,
	.vidioc_g_fmt_vid_cap_mplane = dd_vidioc_g_fmt,
	.vidioc_try_fmt_vid_out_mplane = dd_vidioc_try_fmt_out,
	.vidioc_try_fmt_vid_cap_mplane = dd_vidioc_try_fmt_cap,
	.vidioc_s_fmt_vid_out_mplane = dd_vidioc_s_fmt,
	.vidioc_s_fmt_vid_cap_mplane = dd_vidioc_s_fmt,

	.vidioc_reqbufs = dd_vidioc_reqbufs,
	.vidioc_create_bufs = dd_vidioc_create_bufs,
	.vidioc_querybuf = dd_vidioc_querybuf,
	.vidioc_qbuf = dd_vidioc_qbuf,
	.vidioc_dqbuf = dd_vidioc_dqbuf,
	.vidioc_prepare_buf = dd_vidioc_prepare_buf,
	.vidioc_expbuf = dd_vidioc_expbuf,
	.vidioc_streamon = dd_vidioc_streamon,
	.vidioc_streamoff = dd_vidioc_streamoff,

	.vidioc_try_decoder_cmd = dd_vidioc_try_decoder_cmd,
	.vidioc_decoder_cmd = dd_vidioc_decoder_cmd,

	.vidioc_subscribe_event = dd_vidioc_subscribe_event,
	.vidioc_unsubscribe_event = v4l2_event_unsubscribe,
	.vidioc_log_status = v4l2_ctrl_log_status,
};

static int dd_vid_open(struct file *file)
{
	struct dd_dev *dd = video_drvdata(file);
	struct dd_kctx *ctx;
	int ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->dd = dd;
	ctx->flush_next = true;
	mutex_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->out_owned);
	INIT_LIST_HEAD(&ctx->cap_owned);
	dd_fmt_default_output(&ctx->out_fmt);
	dd_fmt_default_capture(&ctx->out_fmt, &ctx->cap_fmt);
	ctx->codec = dd_codec_by_fourcc(ctx->out_fmt.fmt.pix_mp.pixelformat);
	if (!ctx->codec) {
		ret = -EINVAL;
		goto err_free;
	}
	v4l2_fh_init(&ctx->fh, video_devdata(file));
	ret = dd_kctrls_create(ctx);
	if (ret)
		goto err_fh;
	ret = dd_vb2_queue_init(ctx, &ctx->out_q, &ctx->cap_q);
	if (ret)
		goto err_ctrls;
	dd_sched_init(&ctx->sched, &dd->sd, &dd_job_sched_ops, ctx, &ctx->lock);
	ctx->sched.max_in_flight = clamp(dd_param_max_in_flight, 1U, (unsigned int)VIDEO_MAX_FRAME);
	file->private_data = &ctx->fh;
	v4l2_fh_add(&ctx->fh);
	atomic_inc(&dd->stats.contexts);
	return 0;

err_ctrls:
	v4l2_ctrl_handler_free(&ctx->hdl);
	kfree(ctx->ctrl_scratch);
err_fh:
	v4l2_fh_exit(&ctx->fh);
err_free:
	mutex_destroy(&ctx->lock);
	kfree(ctx);
	return ret;
}

static int dd_vid_release(struct file *file)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);

	mutex_lock(&ctx->lock);
	/* Jobs fail and their buffers come back; the daemon hears CTX_CLOSE. */
	dd_sched_close(&ctx->sched);
	vb2_queue_release(&ctx->out_q);
	vb2_queue_release(&ctx->cap_q);
	mutex_unlock(&ctx->lock);
	v4l2_fh_del(&ctx->fh);
	v4l2_fh_exit(&ctx->fh);
	v4l2_ctrl_handler_free(&ctx->hdl);
	/* Freed now, or when the daemon side drops its last reference. */
	dd_sched_put(&ctx->sched);
	return 0;
}

static __poll_t dd_vid_poll(struct file *file, struct poll_table_struct *wait)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	struct vb2_queue *src = &ctx->out_q, *dst = &ctx->cap_q;
	__poll_t mask = 0;
	unsigned long flags;

	poll_wait(file, &ctx->fh.wait, wait);
	if (v4l2_event_pending(&ctx->fh))
		mask |= EPOLLPRI;
	poll_wait(file, &src->done_wq, wait);
	poll_wait(file, &dst->done_wq, wait);

	/* Nothing can ever become ready: both queues idle (v4l2_m2m_poll). */
	if ((!vb2_is_streaming(src) || src->error || list_empty(&src->queued_list)) &&
	    (!vb2_is_streaming(dst) || dst->error || list_empty(&dst->queued_list)))
		return mask | EPOLLERR;

	spin_lock_irqsave(&src->done_lock, flags);
	if (!list_empty(&src->done_list))
		mask |= EPOLLOUT | EPOLLWRNORM;
	spin_unlock_irqrestore(&src->done_lock, flags);
	spin_lock_irqsave(&dst->done_lock, flags);
	if (!list_empty(&dst->done_list))
		mask |= EPOLLIN | EPOLLRDNORM;
	spin_unlock_irqrestore(&dst->done_lock, flags);
	return mask;
}

static int dd_vid_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	unsigned long off = vma->vm_pgoff << PAGE_SHIFT;

	if (off < DD_DST_QUEUE_OFF_BASE)
		return vb2_mmap(&ctx->out_q, vma);
	vma->vm_pgoff -= DD_DST_QUEUE_OFF_BASE >> PAGE_SHIFT;
	return vb2_mmap(&ctx->cap_q, vma);
}

/*
 * Control sets run under the context lock, as the format ioctls do: a new
 * SPS/FRAME bit depth resets the CAPTURE format from s_ctrl (dd_ctrls.c),
 * which also runs under it when a job applies its request's values.  The
 * order is the context lock, then the control handler's.
 */
static long dd_vid_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dd_kctx *ctx = dd_fh_to_ctx(file);
	long ret;

	/* By number: a 32-bit client's S_EXT_CTRLS has another size. */
	if (_IOC_TYPE(cmd) != 'V' || (_IOC_NR(cmd) != _IOC_NR(VIDIOC_S_EXT_CTRLS) &&
				      _IOC_NR(cmd) != _IOC_NR(VIDIOC_S_CTRL)))
		return video_ioctl2(file, cmd, arg);
	if (mutex_lock_interruptible(&ctx->lock))
		return -ERESTARTSYS;
	ret = video_ioctl2(file, cmd, arg);
	mutex_unlock(&ctx->lock);
	return ret;
}

static const struct v4l2_file_operations dd_fops = {
	.owner = THIS_MODULE,
	.open = dd_vid_open,
	.release = dd_vid_release,
	.poll = dd_vid_poll,
	.unlocked_ioctl = dd_vid_ioctl,
	.mmap = dd_vid_mmap,
};

/* Last reference to the video node: tear down what probe set up. */
static void dd_video_release(struct video_device *vdev)
{
	struct dd_dev *dd = container_of(vdev, struct dd_dev, vdev);

	v4l2_device_unregister(&dd->v4l2_dev);
	media_device_cleanup(&dd->mdev);
	dd_sched_dev_destroy(&dd->sd);
	mutex_destroy(&dd->map_mutex);
	mutex_destroy(&dd->read_lock);
	kfree(dd);
}

int dd_video_register(struct dd_dev *dd)
{
	struct video_device *vdev = &dd->vdev;
	int ret;

	strscpy(vdev->name, DD_CARD_NAME "-dec", sizeof(vdev->name));
	vdev->vfl_type = VFL_TYPE_VIDEO;
	vdev->vfl_dir = VFL_DIR_M2M;
	vdev->device_caps = V4L2_CAP_VIDEO_M2M_MPLANE | V4L2_CAP_STREAMING;
	vdev->fops = &dd_fops;
	vdev->ioctl_ops = &dd_ioctl_ops;
	vdev->release = dd_video_release;
	/* No device-wide lock: each ioctl locks its context. */
	vdev->lock = NULL;
	vdev->v4l2_dev = &dd->v4l2_dev;
	vdev->dev_debug = dd_param_debug;
	video_set_drvdata(vdev, dd);

	ret = video_register_device(vdev, VFL_TYPE_VIDEO, dd_param_video_nr);
	if (ret)
		v4l2_err(&dd->v4l2_dev, "video_register_device failed: %d\n", ret);
	return ret;
}

void dd_video_unregister(struct dd_dev *dd)
{
	video_unregister_device(&dd->vdev);
}
