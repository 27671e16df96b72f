// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_queue.c - buffers of one queue of a userspace front end: allocation,
 * v4l2_buffer checks and conversions (the rules of videobuf2-v4l2.c),
 * states and the done list.
 */
#include "dd_queue.h"

void dd_queue_init(struct dd_queue *q, u32 type, const struct dd_mem_ops *mops,
		   void *mem_priv)
{
	memset(q, 0, sizeof(*q));
	q->type = type;
	q->mops = mops;
	q->mem_priv = mem_priv;
	q->mmap_base = V4L2_TYPE_IS_OUTPUT(type) ? 0 : DD_DST_QUEUE_OFF_BASE;
	INIT_LIST_HEAD(&q->done);
}

static void dd_queue_mem_release(struct dd_queue *q, struct dd_buffer *buf,
				 struct dd_mem *m)
{
	if ((m->handle || m->vaddr) && q->mops && q->mops->release)
		q->mops->release(q->mem_priv, buf, m);
	m->handle = NULL;
	m->vaddr = NULL;
}

void dd_queue_release(struct dd_queue *q)
{
	unsigned int i, p;

	for (i = 0; i < q->num_buffers; i++) {
		struct dd_buffer *buf = q->bufs[i];

		for (p = 0; p < buf->num_planes; p++)
			dd_queue_mem_release(q, buf, &buf->planes[p]);
		dd_free(buf);
		q->bufs[i] = NULL;
	}
	q->num_buffers = 0;
	q->memory = 0;
	q->owned = 0;
	q->next_mmap_offset = 0;
	q->uses_requests = false;
	q->uses_qbuf = false;
	INIT_LIST_HEAD(&q->done);
}

u32 dd_queue_caps(const struct dd_queue *q)
{
	u32 caps = V4L2_BUF_CAP_SUPPORTS_MMAP | V4L2_BUF_CAP_SUPPORTS_USERPTR |
		   V4L2_BUF_CAP_SUPPORTS_DMABUF | V4L2_BUF_CAP_SUPPORTS_ORPHANED_BUFS;

	if (q->supports_requests)
		caps |= V4L2_BUF_CAP_SUPPORTS_REQUESTS;
	if (q->hold_capture)
		caps |= V4L2_BUF_CAP_SUPPORTS_M2M_HOLD_CAPTURE_BUF;
	return caps;
}

int dd_queue_check_memory(const struct dd_queue *q, u32 memory)
{
	if (memory != V4L2_MEMORY_MMAP && memory != V4L2_MEMORY_USERPTR &&
	    memory != V4L2_MEMORY_DMABUF) {
		dd_dbg("queue %u: unsupported memory type %u", q->type, memory);
		return -EINVAL;
	}
	return 0;
}

int dd_queue_alloc(struct dd_queue *q, u32 memory, unsigned int count, u32 size)
{
	unsigned int n;
	int ret = 0;

	if (!size)
		return -EINVAL;
	for (n = 0; n < count && q->num_buffers < DD_MAX_BUFFERS; n++) {
		struct dd_buffer *buf = dd_zalloc(sizeof(*buf));
		struct dd_mem *m;

		if (!buf) {
			ret = -ENOMEM;
			break;
		}
		buf->q = q;
		buf->index = q->num_buffers;
		buf->num_planes = 1;
		buf->request_fd = -1;
		buf->field = V4L2_FIELD_NONE;
		buf->entry.priv = buf;
		INIT_LIST_HEAD(&buf->entry.node);
		INIT_LIST_HEAD(&buf->req_node);
		INIT_LIST_HEAD(&buf->done_node);
		m = &buf->planes[0];
		m->memory = memory;
		m->length = size;
		m->min_length = size;
		m->fd = -1;
		if (memory == V4L2_MEMORY_MMAP) {
			m->mem_offset = q->mmap_base + q->next_mmap_offset;
			if (q->mops && q->mops->alloc) {
				ret = q->mops->alloc(q->mem_priv, buf, m);
				if (ret) {
					dd_err("queue %u: cannot allocate %u bytes for buffer %u (%d)",
					       q->type, size, buf->index, ret);
					dd_free(buf);
					break;
				}
			}
			q->next_mmap_offset += ALIGN(size, DD_PAGE_SIZE);
		}
		q->bufs[q->num_buffers++] = buf;
	}
	if (n)
		q->memory = memory;
	return n ? (int)n : ret;
}

struct dd_buffer *dd_queue_get(struct dd_queue *q, u32 index)
{
	return index < q->num_buffers ? q->bufs[index] : NULL;
}

int dd_queue_check_planes(const struct dd_queue *q, const struct dd_buffer *buf,
			  const struct v4l2_buffer *b)
{
	if (!V4L2_TYPE_IS_MULTIPLANAR(b->type))
		return 0;
	if (!b->m.planes) {
		dd_dbg("queue %u: multi-planar buffer without planes array", q->type);
		return -EINVAL;
	}
	if (b->length < buf->num_planes || b->length > DD_MAX_PLANES) {
		dd_dbg("queue %u: planes array of %u, buffer has %u planes",
		       q->type, b->length, buf->num_planes);
		return -EINVAL;
	}
	return 0;
}

int dd_queue_check_v4l2(struct dd_queue *q, const struct v4l2_buffer *b,
			struct dd_buffer **bufp)
{
	struct dd_buffer *buf;

	if (b->type != q->type) {
		dd_dbg("queue %u: wrong buffer type %u", q->type, b->type);
		return -EINVAL;
	}
	buf = dd_queue_get(q, b->index);
	if (!buf) {
		dd_dbg("queue %u: no buffer %u", q->type, b->index);
		return -EINVAL;
	}
	if (b->memory != q->memory) {
		dd_dbg("queue %u: memory %u, buffers are %u", q->type, b->memory, q->memory);
		return -EINVAL;
	}
	*bufp = buf;
	return dd_queue_check_planes(q, buf, b);
}

/* One plane as the client describes it. */
struct dd_plane_arg {
	u32 length;
	u32 bytesused;
	u32 data_offset;
	unsigned long userptr;
	s32 fd;
};

static void dd_queue_plane_arg(const struct dd_queue *q, const struct v4l2_buffer *b,
			       unsigned int p, struct dd_plane_arg *a)
{
	if (V4L2_TYPE_IS_MULTIPLANAR(b->type)) {
		const struct v4l2_plane *pl = &b->m.planes[p];

		a->length = pl->length;
		a->bytesused = pl->bytesused;
		a->data_offset = pl->data_offset;
		a->userptr = pl->m.userptr;
		a->fd = pl->m.fd;
	} else {
		a->length = b->length;
		a->bytesused = b->bytesused;
		a->data_offset = 0;
		a->userptr = b->m.userptr;
		a->fd = b->m.fd;
	}
}

static int dd_queue_attach(struct dd_queue *q, struct dd_buffer *buf, struct dd_mem *m,
			   const struct dd_plane_arg *a)
{
	bool same;
	int ret;

	if (q->memory == V4L2_MEMORY_USERPTR) {
		if (!a->userptr) {
			dd_dbg("queue %u: buffer %u: null userptr", q->type, buf->index);
			return -EINVAL;
		}
		same = m->userptr == a->userptr && m->length == a->length;
	} else {
		if (a->fd < 0) {
			dd_dbg("queue %u: buffer %u: bad dmabuf fd %d", q->type,
			       buf->index, a->fd);
			return -EINVAL;
		}
		same = m->fd == a->fd && m->length == a->length;
	}
	if (same && (m->handle || m->vaddr))
		return 0;
	dd_queue_mem_release(q, buf, m);
	m->userptr = q->memory == V4L2_MEMORY_USERPTR ? a->userptr : 0;
	m->fd = q->memory == V4L2_MEMORY_DMABUF ? a->fd : -1;
	m->length = a->length;
	if (q->mops && q->mops->attach) {
		ret = q->mops->attach(q->mem_priv, buf, m);
		if (ret) {
			dd_dbg("queue %u: buffer %u: cannot attach memory (%d)",
			       q->type, buf->index, ret);
			return ret;
		}
	}
	return 0;
}

int dd_queue_fill_from_v4l2(struct dd_buffer *buf, const struct v4l2_buffer *b)
{
	struct dd_queue *q = buf->q;
	bool output = V4L2_TYPE_IS_OUTPUT(q->type);
	struct dd_plane_arg args[DD_MAX_PLANES];
	unsigned int p;
	int ret;

	if (output && b->field == V4L2_FIELD_ALTERNATE) {
		dd_dbg("queue %u: field ALTERNATE on an OUTPUT buffer", q->type);
		return -EINVAL;
	}
	/* Check every plane before changing anything. */
	for (p = 0; p < buf->num_planes; p++) {
		struct dd_plane_arg *a = &args[p];
		const struct dd_mem *m = &buf->planes[p];
		u32 length, bytesused;

		dd_queue_plane_arg(q, b, p, a);
		if (q->memory == V4L2_MEMORY_MMAP) {
			a->length = m->length;
		} else if (!a->length && q->memory == V4L2_MEMORY_DMABUF) {
			a->length = m->min_length;
		}
		if (a->length < m->min_length) {
			dd_dbg("queue %u: buffer %u plane %u: length %u below %u",
			       q->type, buf->index, p, a->length, m->min_length);
			return -EINVAL;
		}
		if (!output)
			continue;
		length = a->length;
		bytesused = a->bytesused ? a->bytesused : length;
		if (a->bytesused > length) {
			dd_dbg("queue %u: buffer %u plane %u: bytesused %u above length %u",
			       q->type, buf->index, p, a->bytesused, length);
			return -EINVAL;
		}
		if (a->data_offset > 0 && a->data_offset >= bytesused) {
			dd_dbg("queue %u: buffer %u plane %u: data_offset %u not below %u",
			       q->type, buf->index, p, a->data_offset, bytesused);
			return -EINVAL;
		}
	}
	for (p = 0; p < buf->num_planes; p++) {
		struct dd_mem *m = &buf->planes[p];

		if (q->memory != V4L2_MEMORY_MMAP) {
			ret = dd_queue_attach(q, buf, m, &args[p]);
			if (ret)
				return ret;
		}
		if (output) {
			m->bytesused = args[p].bytesused ? args[p].bytesused : m->length;
			m->data_offset = args[p].data_offset;
		} else {
			m->bytesused = 0;
			m->data_offset = 0;
		}
	}
	buf->flags = b->flags & ~DD_BUF_STATE_FLAGS;
	if (output) {
		buf->flags &= ~V4L2_BUF_FLAG_TIMECODE;
		if (!q->hold_capture)
			buf->flags &= ~V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF;
		buf->field = b->field == V4L2_FIELD_ANY ? V4L2_FIELD_NONE : b->field;
	} else {
		buf->flags &= ~(V4L2_BUF_FLAG_TSTAMP_SRC_MASK | DD_BUF_OUT_FLAGS |
				V4L2_BUF_FLAG_LAST);
	}
	return 0;
}

void dd_queue_copy_timestamp(struct dd_buffer *buf, const struct v4l2_buffer *b)
{
	if (!V4L2_TYPE_IS_OUTPUT(buf->q->type))
		return;
	buf->timestamp = (u64)b->timestamp.tv_sec * 1000000000ull +
			 (u64)b->timestamp.tv_usec * 1000ull;
	if (b->flags & V4L2_BUF_FLAG_TIMECODE) {
		buf->flags |= V4L2_BUF_FLAG_TIMECODE;
		buf->timecode = b->timecode;
	}
}

void dd_queue_fill_v4l2(const struct dd_buffer *buf, struct v4l2_buffer *b)
{
	const struct dd_queue *q = buf->q;
	unsigned int p;

	b->index = buf->index;
	b->type = q->type;
	b->memory = q->memory;
	if (V4L2_TYPE_IS_MULTIPLANAR(q->type)) {
		b->length = buf->num_planes;
		for (p = 0; p < buf->num_planes; p++) {
			struct v4l2_plane *pl = &b->m.planes[p];
			const struct dd_mem *m = &buf->planes[p];

			memset(pl, 0, sizeof(*pl));
			pl->bytesused = m->bytesused;
			pl->length = m->length;
			pl->data_offset = m->data_offset;
			if (q->memory == V4L2_MEMORY_MMAP)
				pl->m.mem_offset = m->mem_offset;
			else if (q->memory == V4L2_MEMORY_USERPTR)
				pl->m.userptr = m->userptr;
			else
				pl->m.fd = m->fd;
		}
	} else {
		const struct dd_mem *m = &buf->planes[0];

		b->length = m->length;
		b->bytesused = m->bytesused;
		if (q->memory == V4L2_MEMORY_MMAP)
			b->m.offset = m->mem_offset;
		else if (q->memory == V4L2_MEMORY_USERPTR)
			b->m.userptr = m->userptr;
		else
			b->m.fd = m->fd;
	}
	b->timestamp.tv_sec = buf->timestamp / 1000000000ull;
	b->timestamp.tv_usec = (buf->timestamp % 1000000000ull) / 1000ull;
	b->timecode = buf->timecode;
	b->field = buf->field;
	b->sequence = buf->sequence;
	b->reserved2 = 0;
	b->request_fd = 0;

	b->flags = buf->flags & ~DD_BUF_STATE_FLAGS;
	b->flags |= V4L2_BUF_FLAG_TIMESTAMP_COPY;
	switch (buf->state) {
	case DD_BUF_QUEUED:
	case DD_BUF_ACTIVE:
		b->flags |= V4L2_BUF_FLAG_QUEUED;
		break;
	case DD_BUF_IN_REQUEST:
		b->flags |= V4L2_BUF_FLAG_IN_REQUEST;
		break;
	case DD_BUF_ERROR:
		b->flags |= V4L2_BUF_FLAG_ERROR;
		fallthrough;
	case DD_BUF_DONE:
		b->flags |= V4L2_BUF_FLAG_DONE;
		break;
	case DD_BUF_DEQUEUED:
		break;
	}
	if ((buf->state == DD_BUF_DEQUEUED || buf->state == DD_BUF_IN_REQUEST) &&
	    buf->prepared)
		b->flags |= V4L2_BUF_FLAG_PREPARED;
	for (p = 0; p < buf->num_planes; p++)
		if (buf->planes[p].map_count)
			b->flags |= V4L2_BUF_FLAG_MAPPED;
	if (buf->request_fd >= 0) {
		b->flags |= V4L2_BUF_FLAG_REQUEST_FD;
		b->request_fd = buf->request_fd;
	}
}

void dd_queue_buf_owned(struct dd_buffer *buf)
{
	buf->state = DD_BUF_QUEUED;
	buf->q->owned++;
}

void dd_queue_buf_done(struct dd_buffer *buf, bool error)
{
	struct dd_queue *q = buf->q;

	if (buf->state != DD_BUF_QUEUED && buf->state != DD_BUF_ACTIVE) {
		dd_warn("queue %u: buffer %u done in state %d", q->type, buf->index,
			buf->state);
		return;
	}
	q->owned--;
	buf->state = error ? DD_BUF_ERROR : DD_BUF_DONE;
	buf->sequence = q->sequence++;
	list_add_tail(&buf->done_node, &q->done);
}

struct dd_buffer *dd_queue_take_done(struct dd_queue *q)
{
	struct dd_buffer *buf;

	buf = list_first_entry_or_null(&q->done, struct dd_buffer, done_node);
	if (!buf)
		return NULL;
	list_del_init(&buf->done_node);
	return buf;
}

bool dd_queue_has_done(const struct dd_queue *q)
{
	return !list_empty(&q->done);
}

void dd_queue_cancel(struct dd_queue *q)
{
	unsigned int i;

	for (i = 0; i < q->num_buffers; i++) {
		struct dd_buffer *buf = q->bufs[i];

		list_del_init(&buf->done_node);
		buf->state = DD_BUF_DEQUEUED;
		buf->prepared = false;
		buf->has_ts = false;
		buf->request_fd = -1;
	}
	INIT_LIST_HEAD(&q->done);
	q->owned = 0;
	q->streaming = false;
	q->uses_requests = false;
	q->uses_qbuf = false;
}

int dd_queue_find_timestamp(const struct dd_queue *q, u64 ts)
{
	unsigned int i;

	for (i = 0; i < q->num_buffers; i++)
		if (q->bufs[i]->has_ts && q->bufs[i]->timestamp == ts)
			return (int)i;
	return -1;
}

struct dd_mem *dd_queue_find_mmap(struct dd_queue *q, u32 offset,
				  struct dd_buffer **bufp)
{
	unsigned int i, p;

	if (q->memory != V4L2_MEMORY_MMAP)
		return NULL;
	for (i = 0; i < q->num_buffers; i++) {
		struct dd_buffer *buf = q->bufs[i];

		for (p = 0; p < buf->num_planes; p++) {
			if (buf->planes[p].mem_offset == offset) {
				if (bufp)
					*bufp = buf;
				return &buf->planes[p];
			}
		}
	}
	return NULL;
}
