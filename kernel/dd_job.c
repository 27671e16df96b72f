// SPDX-License-Identifier: GPL-2.0-only
/*
 * dd_job.c - the scheduler's callbacks for the module (common/dd_sched.h):
 * turn an OUTPUT/CAPTURE buffer pair into a job for the daemon (request
 * controls applied, the per-request payloads, the bitstream inline, the
 * CAPTURE memory by mmap offset or process address) and return the
 * buffers when the job ends.  Called with the context lock held.
 */
#include <linux/pid.h>
#include <media/media-request.h>
#include <media/v4l2-ctrls.h>

#include "dd_drv.h"
#include "dd_fmt.h"

#define DD_CAP_COPY_FLAGS	(V4L2_BUF_FLAG_TIMECODE | V4L2_BUF_FLAG_KEYFRAME | \
				 V4L2_BUF_FLAG_PFRAME | V4L2_BUF_FLAG_BFRAME)

static struct dd_kctx *dd_job_ctx(struct dd_sched *s)
{
	return s->priv;
}

/* What v4l2_m2m_buf_copy_metadata() does: the picture inherits the slice's. */
static void dd_job_copy_metadata(struct vb2_v4l2_buffer *out, struct vb2_v4l2_buffer *cap)
{
	cap->vb2_buf.timestamp = out->vb2_buf.timestamp;
	if (out->flags & V4L2_BUF_FLAG_TIMECODE)
		cap->timecode = out->timecode;
	cap->field = out->field;
	cap->flags = (cap->flags & ~DD_CAP_COPY_FLAGS) | (out->flags & DD_CAP_COPY_FLAGS);
}

/*
 * The per-request controls with the values the job decodes with: the
 * handler's current values once v4l2_ctrl_request_setup() applied the
 * request (a control the request does not carry keeps the value an
 * earlier request gave it).  Copied into the context's scratch area; the
 * scheduler copies them into the job right after.
 */
static int dd_job_ctrls(struct dd_kctx *ctx, struct dd_proto_job *p)
{
	const struct dd_codec *codec = ctx->codec;
	u8 *scratch = ctx->ctrl_scratch;
	size_t pos = 0;
	unsigned int i;

	p->num_ctrls = 0;
	for (i = 0; i < codec->num_ctrls; i++) {
		const struct dd_ctrl_desc *desc = &codec->ctrls[i];
		u32 size = desc->elem_size * dd_ctrl_elems(desc);
		struct v4l2_ctrl *ctrl;

		if (!desc->per_request)
			continue;
		ctrl = v4l2_ctrl_find(&ctx->hdl, desc->id);
		/* A dynamic array sends the elements it holds now. */
		if (ctrl && ctrl->is_dyn_array && ctrl->elems * ctrl->elem_size < size)
			size = ctrl->elems * ctrl->elem_size;
		if (!ctrl || (size_t)ctrl->elems * ctrl->elem_size < size ||
		    pos + size > ctx->ctrl_scratch_size ||
		    p->num_ctrls == DD_PROTO_MAX_CTRLS)
			return -EINVAL;
		v4l2_ctrl_lock(ctrl);
		memcpy(scratch + pos, ctrl->p_cur.p, size);
		v4l2_ctrl_unlock(ctrl);
		p->ctrls[p->num_ctrls].id = desc->id;
		p->ctrls[p->num_ctrls].size = size;
		p->ctrls[p->num_ctrls].data = scratch + pos;
		p->num_ctrls++;
		pos += ALIGN(size, 8);
	}
	return 0;
}

static int dd_job_prepare(struct dd_sched *s, struct dd_job *job)
{
	struct dd_kctx *ctx = dd_job_ctx(s);
	struct dd_kbuf *src = job->src->priv;
	struct dd_kbuf *dst = job->dst->priv;
	struct vb2_buffer *ovb = &src->vb.vb2_buf;
	struct vb2_buffer *cvb = &dst->vb.vb2_buf;
	struct media_request *req = ovb->req_obj.req;
	struct dd_proto_job *p = &job->proto;
	u32 offset = ovb->planes[0].data_offset;
	u32 used = vb2_get_plane_payload(ovb, 0);
	void *vaddr;
	int ret;

	job->priv = req;
	dd_job_copy_metadata(&src->vb, &dst->vb);

	/* Controls take effect when the job starts. */
	if (req)
		v4l2_ctrl_request_setup(req, &ctx->hdl);
	ret = dd_job_ctrls(ctx, p);
	if (req)
		v4l2_ctrl_request_complete(req, &ctx->hdl);
	if (ret) {
		v4l2_err(&ctx->dd->v4l2_dev, "ctx %u: cannot collect the request's controls\n",
			 s->ctx_id);
		return ret;
	}

	p->codec = ctx->codec->proto_codec;
	/* The first job of a stream starts the daemon's decoder afresh. */
	p->flags = ctx->flush_next ? DD_JOB_FLAG_FLUSH : 0;
	ctx->flush_next = false;
	p->width = ctx->out_fmt.fmt.pix_mp.width;
	p->height = ctx->out_fmt.fmt.pix_mp.height;
	p->cap_fourcc = ctx->cap_fmt.fmt.pix_mp.pixelformat;
	dd_fmt_cap_layout(&ctx->cap_fmt, &p->cap_num_planes, p->cap_offset, p->cap_stride);
	p->timestamp = ovb->timestamp;

	vaddr = vb2_plane_vaddr(ovb, 0);
	if (!vaddr || offset > used) {
		v4l2_err(&ctx->dd->v4l2_dev, "ctx %u: bitstream buffer not readable\n",
			 s->ctx_id);
		return -EINVAL;
	}
	p->bitstream.kind = DD_BUF_INLINE;
	p->bitstream.size = used - offset;
	p->bitstream_data = (const u8 *)vaddr + offset;

	p->capture.size = vb2_plane_size(cvb, 0);
	if (cvb->memory == VB2_MEMORY_USERPTR) {
		p->capture.kind = DD_BUF_PROCESS;
		p->capture.id = pid_nr(dst->pid);
		p->capture.offset = cvb->planes[0].m.userptr;
		if (!p->capture.id)
			return -ESRCH;
	} else {
		p->capture.kind = DD_BUF_MMAP;
		p->capture.offset = dst->map_off;
	}
	atomic64_inc(&ctx->dd->stats.jobs);
	return 0;
}

static void dd_job_finish(struct dd_sched *s, struct dd_job *job, u32 status,
			  u32 bytesused, bool dst_done)
{
	struct dd_kctx *ctx = dd_job_ctx(s);
	struct dd_kbuf *src = job->src->priv;
	struct dd_kbuf *dst = job->dst->priv;

	if (status == DD_STATUS_OK)
		atomic64_inc(&ctx->dd->stats.done);
	else
		atomic64_inc(&ctx->dd->stats.errors);
	vb2_set_plane_payload(&dst->vb.vb2_buf, 0, status == DD_STATUS_OK ? bytesused : 0);
	/* CAPTURE first, so the request completes after its picture. */
	if (dst_done)
		dd_kbuf_done(ctx, dst, job->dst->failed ? VB2_BUF_STATE_ERROR :
			     VB2_BUF_STATE_DONE);
	dd_kbuf_done(ctx, src, status == DD_STATUS_OK ? VB2_BUF_STATE_DONE :
		     VB2_BUF_STATE_ERROR);
}

static void dd_job_dst_release(struct dd_sched *s, struct dd_sched_entry *dst)
{
	struct dd_kctx *ctx = dd_job_ctx(s);

	dd_kbuf_done(ctx, dst->priv, dst->failed ? VB2_BUF_STATE_ERROR : VB2_BUF_STATE_DONE);
}

/* The last reference to a closed context: the daemon side is done with it. */
static void dd_job_release(struct dd_sched *s)
{
	struct dd_kctx *ctx = dd_job_ctx(s);

	atomic_dec(&ctx->dd->stats.contexts);
	mutex_destroy(&ctx->lock);
	kfree(ctx->ctrl_scratch);
	kfree(ctx);
}

const struct dd_sched_ops dd_job_sched_ops = {
	.prepare = dd_job_prepare,
	.finish = dd_job_finish,
	.dst_release = dd_job_dst_release,
	.release = dd_job_release,
};
