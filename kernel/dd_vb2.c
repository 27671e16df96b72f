// SPDX-License-Identifier: GPL-2.0-only
/*
 * dd_vb2.c - the context's two vb2 queues (vmalloc memory: MMAP, USERPTR,
 * DMABUF import, EXPBUF): sizes from the formats, buffers handed to the
 * scheduler (common/dd_sched.h) when queued and taken back when streaming
 * stops, and the table of CAPTURE buffers the daemon maps.
 *
 * The daemon writes each picture straight into the CAPTURE buffer: an MMAP
 * or DMABUF buffer gets an mmap offset on /dev/daedalus-v4l2 that is never
 * reused, so a mapping the daemon keeps can only ever show that buffer's
 * memory; a USERPTR buffer is named by process and address instead.
 */
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include <media/v4l2-ctrls.h>
#include <media/videobuf2-vmalloc.h>

#include "dd_compat.h"
#include "dd_drv.h"
#include "dd_fmt.h"

static const struct v4l2_format *dd_vb2_fmt(struct dd_kctx *ctx, struct vb2_queue *q)
{
	return V4L2_TYPE_IS_OUTPUT(q->type) ? &ctx->out_fmt : &ctx->cap_fmt;
}

static int dd_vb2_queue_setup(struct vb2_queue *q, unsigned int *nbuffers,
			      unsigned int *nplanes, unsigned int sizes[],
			      struct device *alloc_devs[])
{
	struct dd_kctx *ctx = vb2_get_drv_priv(q);
	u32 size = dd_vb2_fmt(ctx, q)->fmt.pix_mp.plane_fmt[0].sizeimage;

	/* CREATE_BUFS: one plane, at least what the format needs. */
	if (*nplanes)
		return *nplanes != 1 || sizes[0] < size ? -EINVAL : 0;
	*nplanes = 1;
	sizes[0] = size;
	return 0;
}

static int dd_vb2_buf_out_validate(struct vb2_buffer *vb)
{
	struct vb2_v4l2_buffer *vbuf = to_vb2_v4l2_buffer(vb);

	vbuf->field = V4L2_FIELD_NONE;
	return 0;
}

static int dd_vb2_buf_prepare(struct vb2_buffer *vb)
{
	struct dd_kctx *ctx = vb2_get_drv_priv(vb->vb2_queue);
	u32 size = dd_vb2_fmt(ctx, vb->vb2_queue)->fmt.pix_mp.plane_fmt[0].sizeimage;

	if (vb2_plane_size(vb, 0) < size) {
		v4l2_dbg(1, dd_param_debug, &ctx->dd->v4l2_dev,
			 "plane of %lu bytes, format needs %u\n", vb2_plane_size(vb, 0), size);
		return -EINVAL;
	}
	if (!V4L2_TYPE_IS_OUTPUT(vb->type))
		vb2_set_plane_payload(vb, 0, size);
	return 0;
}

/* CAPTURE memory changed (allocated, or a new USERPTR/DMABUF): name it. */
static int dd_vb2_buf_init(struct vb2_buffer *vb)
{
	struct dd_kctx *ctx = vb2_get_drv_priv(vb->vb2_queue);
	struct dd_kbuf *buf = dd_vb_to_kbuf(vb);
	struct dd_dev *dd = ctx->dd;

	INIT_LIST_HEAD(&buf->owned);
	INIT_LIST_HEAD(&buf->map_node);
	buf->entry.priv = buf;
	atomic_inc(&dd->stats.buffers);
	if (V4L2_TYPE_IS_OUTPUT(vb->type))
		return 0;
	if (vb->memory == VB2_MEMORY_USERPTR) {
		buf->pid = get_pid(task_tgid(current));
		return 0;
	}
	buf->map_size = vb2_plane_size(vb, 0);
	mutex_lock(&dd->map_mutex);
	buf->map_off = dd->next_map_off;
	dd->next_map_off += PAGE_ALIGN(buf->map_size);
	list_add_tail(&buf->map_node, &dd->maps);
	buf->mapped = true;
	mutex_unlock(&dd->map_mutex);
	return 0;
}

static void dd_vb2_buf_cleanup(struct vb2_buffer *vb)
{
	struct dd_kctx *ctx = vb2_get_drv_priv(vb->vb2_queue);
	struct dd_kbuf *buf = dd_vb_to_kbuf(vb);

	if (buf->mapped) {
		mutex_lock(&ctx->dd->map_mutex);
		list_del_init(&buf->map_node);
		buf->mapped = false;
		mutex_unlock(&ctx->dd->map_mutex);
	}
	put_pid(buf->pid);
	buf->pid = NULL;
	atomic_dec(&ctx->dd->stats.buffers);
}

void dd_kbuf_done(struct dd_kctx *ctx, struct dd_kbuf *buf, enum vb2_buffer_state state)
{
	if (buf->is_owned) {
		list_del_init(&buf->owned);
		buf->is_owned = false;
	}
	if (V4L2_TYPE_IS_OUTPUT(buf->vb.vb2_buf.type))
		buf->vb.sequence = ctx->out_seq++;
	else
		buf->vb.sequence = ctx->cap_seq++;
	vb2_buffer_done(&buf->vb.vb2_buf, state);
}

static void dd_vb2_buf_queue(struct vb2_buffer *vb)
{
	struct dd_kctx *ctx = vb2_get_drv_priv(vb->vb2_queue);
	struct dd_kbuf *buf = dd_vb_to_kbuf(vb);

	buf->entry.priv = buf;
	buf->is_owned = true;
	if (V4L2_TYPE_IS_OUTPUT(vb->type)) {
		list_add_tail(&buf->owned, &ctx->out_owned);
		buf->entry.timestamp = vb->timestamp;
		buf->entry.hold = buf->vb.flags & V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF;
		dd_sched_queue_src(&ctx->sched, &buf->entry);
	} else {
		list_add_tail(&buf->owned, &ctx->cap_owned);
		dd_sched_queue_dst(&ctx->sched, &buf->entry);
	}
}

static int dd_vb2_start_streaming(struct vb2_queue *q, unsigned int count)
{
	struct dd_kctx *ctx = vb2_get_drv_priv(q);

	if (V4L2_TYPE_IS_OUTPUT(q->type)) {
		ctx->out_seq = 0;
		/* A new stream (or a seek): the daemon drops its references. */
		ctx->flush_next = true;
	} else {
		ctx->cap_seq = 0;
	}
	dd_sched_streamon(&ctx->sched, V4L2_TYPE_IS_OUTPUT(q->type));
	return 0;
}

static void dd_vb2_stop_streaming(struct vb2_queue *q)
{
	struct dd_kctx *ctx = vb2_get_drv_priv(q);
	bool output = V4L2_TYPE_IS_OUTPUT(q->type);
	struct list_head *owned = output ? &ctx->out_owned : &ctx->cap_owned;
	struct dd_kbuf *buf, *tmp;

	/* Jobs in flight fail and return their buffers... */
	dd_sched_streamoff(&ctx->sched, output);
	/* ...the ones still waiting for a job come back here. */
	list_for_each_entry_safe(buf, tmp, owned, owned) {
		struct media_request *req = buf->vb.vb2_buf.req_obj.req;

		dd_sched_remove(&ctx->sched, &buf->entry);
		if (req)
			v4l2_ctrl_request_complete(req, &ctx->hdl);
		dd_kbuf_done(ctx, buf, VB2_BUF_STATE_ERROR);
	}
}

static void dd_vb2_buf_request_complete(struct vb2_buffer *vb)
{
	struct dd_kctx *ctx = vb2_get_drv_priv(vb->vb2_queue);

	v4l2_ctrl_request_complete(vb->req_obj.req, &ctx->hdl);
}

static const struct vb2_ops dd_vb2_ops = {
	.queue_setup = dd_vb2_queue_setup,
	.buf_out_validate = dd_vb2_buf_out_validate,
	.buf_init = dd_vb2_buf_init,
	.buf_prepare = dd_vb2_buf_prepare,
	.buf_cleanup = dd_vb2_buf_cleanup,
	.buf_queue = dd_vb2_buf_queue,
	.start_streaming = dd_vb2_start_streaming,
	.stop_streaming = dd_vb2_stop_streaming,
	.buf_request_complete = dd_vb2_buf_request_complete,
	.wait_prepare = vb2_ops_wait_prepare,
	.wait_finish = vb2_ops_wait_finish,
};

static int dd_vb2_init_one(struct dd_kctx *ctx, struct vb2_queue *q, u32 type)
{
	q->type = type;
	q->io_modes = VB2_MMAP | VB2_USERPTR | VB2_DMABUF;
	q->drv_priv = ctx;
	q->buf_struct_size = sizeof(struct dd_kbuf);
	q->ops = &dd_vb2_ops;
	q->mem_ops = &vb2_vmalloc_memops;
	q->timestamp_flags = V4L2_BUF_FLAG_TIMESTAMP_COPY;
	q->lock = &ctx->lock;
	q->dev = ctx->dd->v4l2_dev.dev;
	if (V4L2_TYPE_IS_OUTPUT(type)) {
		q->supports_requests = true;
		q->requires_requests = true;
		q->subsystem_flags |= VB2_V4L2_FL_SUPPORTS_M2M_HOLD_CAPTURE_BUF;
	}
	return vb2_queue_init(q);
}

int dd_vb2_queue_init(void *priv, struct vb2_queue *src_vq, struct vb2_queue *dst_vq)
{
	struct dd_kctx *ctx = priv;
	int ret;

	ret = dd_vb2_init_one(ctx, src_vq, V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE);
	if (ret)
		return ret;
	ret = dd_vb2_init_one(ctx, dst_vq, V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE);
	if (ret)
		vb2_queue_release(src_vq);
	return ret;
}

/* The page behind a kernel address of a vmalloc'ed or vmap'ed buffer. */
static struct page *dd_vb2_kpage(const void *addr)
{
	if (is_vmalloc_addr(addr))
		return vmalloc_to_page(addr);
	if (virt_addr_valid(addr))
		return virt_to_page(addr);
	return NULL;
}

/* DMABUF: the importer's kernel mapping, page by page. */
static int dd_vb2_map_pages(struct vm_area_struct *vma, const u8 *vaddr)
{
	unsigned long len = vma->vm_end - vma->vm_start, off;
	int ret;

	dd_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	for (off = 0; off < len; off += PAGE_SIZE) {
		struct page *page = dd_vb2_kpage(vaddr + off);

		if (!page || PageAnon(page))
			return -EINVAL;
		ret = vm_insert_page(vma, vma->vm_start + off, page);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * mmap() of the daemon device: the CAPTURE buffer registered at this
 * offset.  MMAP buffers go through vb2's own mapping (it keeps the memory
 * alive while mapped); imported DMABUFs by their pages.
 */
int dd_vb2_daemon_mmap(struct dd_dev *dd, struct vm_area_struct *vma)
{
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	unsigned long len = vma->vm_end - vma->vm_start;
	struct dd_kbuf *buf, *found = NULL;
	struct vb2_buffer *vb;
	int ret;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	mutex_lock(&dd->map_mutex);
	list_for_each_entry(buf, &dd->maps, map_node) {
		if (buf->map_off == off) {
			found = buf;
			break;
		}
	}
	if (!found || len > PAGE_ALIGN(found->map_size)) {
		mutex_unlock(&dd->map_mutex);
		dev_dbg(&dd->pdev->dev, "daemon mmap: no buffer at 0x%llx (+%lu)\n", off, len);
		return -EINVAL;
	}
	vb = &found->vb.vb2_buf;
	if (vb->memory == VB2_MEMORY_MMAP) {
		ret = vb->vb2_queue->mem_ops->mmap(vb->planes[0].mem_priv, vma);
	} else {
		void *vaddr = vb2_plane_vaddr(vb, 0);

		ret = vaddr ? dd_vb2_map_pages(vma, vaddr) : -EINVAL;
	}
	mutex_unlock(&dd->map_mutex);
	return ret;
}
