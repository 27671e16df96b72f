/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_queue.h - the buffer queue of a userspace front end (the kernel module
 * uses vb2 instead): buffer allocation (REQBUFS/CREATE_BUFS), the v4l2_buffer
 * <-> dd_buffer conversions with vb2's checks, buffer states, the done list
 * for DQBUF/poll, and per-plane memory records.  Memory itself belongs to
 * the front end: MMAP planes are allocated through struct dd_mem_ops, and
 * USERPTR/DMABUF planes are attached through it at QBUF.
 *
 * Scheduling and requests are not handled here (dd_ctx.c ties the queue to
 * dd_sched and dd_request).  Callers hold the context lock.
 */
#ifndef DD_QUEUE_H
#define DD_QUEUE_H

#include "dd_os.h"
#include "dd_sched.h"

#define DD_MAX_BUFFERS		VIDEO_MAX_FRAME
#define DD_MAX_PLANES		VIDEO_MAX_PLANES
#define DD_PAGE_SIZE		4096u
/* MMAP offsets of the CAPTURE queue start here (as v4l2-mem2mem does). */
#define DD_DST_QUEUE_OFF_BASE	(1u << 30)

/* Flags vb2 owns in v4l2_buffer.flags. */
#define DD_BUF_STATE_FLAGS	(V4L2_BUF_FLAG_MAPPED | V4L2_BUF_FLAG_QUEUED | \
				 V4L2_BUF_FLAG_DONE | V4L2_BUF_FLAG_ERROR | \
				 V4L2_BUF_FLAG_PREPARED | V4L2_BUF_FLAG_IN_REQUEST | \
				 V4L2_BUF_FLAG_REQUEST_FD | V4L2_BUF_FLAG_TIMESTAMP_MASK)
/* OUTPUT flags passed on to the driver. */
#define DD_BUF_OUT_FLAGS	(V4L2_BUF_FLAG_PFRAME | V4L2_BUF_FLAG_BFRAME | \
				 V4L2_BUF_FLAG_KEYFRAME | V4L2_BUF_FLAG_TIMECODE | \
				 V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF)

enum dd_buf_state {
	DD_BUF_DEQUEUED,		/* owned by the client */
	DD_BUF_IN_REQUEST,		/* bound to a request not yet queued */
	DD_BUF_QUEUED,			/* owned by the driver */
	DD_BUF_ACTIVE,			/* part of a job in flight */
	DD_BUF_DONE,			/* on the done list */
	DD_BUF_ERROR,			/* on the done list, failed */
};

/* One memory plane of a buffer, as the queue records it. */
struct dd_mem {
	u32 memory;			/* V4L2_MEMORY_* */
	u32 length;			/* bytes of the plane */
	u32 min_length;			/* what the format needs */
	u32 bytesused;
	u32 data_offset;
	u32 mem_offset;			/* MMAP: the offset mmap() takes */
	unsigned long userptr;		/* USERPTR: client address */
	s32 fd;				/* DMABUF: client fd */
	void *vaddr;			/* front end: where it can read the plane */
	void *handle;			/* front end: its memory object */
	unsigned int map_count;		/* client mappings (V4L2_BUF_FLAG_MAPPED) */
};

struct dd_queue;
struct dd_request;

struct dd_buffer {
	struct dd_queue *q;
	u32 index;
	enum dd_buf_state state;
	bool prepared;
	bool has_ts;			/* CAPTURE: holds a decoded picture */
	u32 num_planes;
	struct dd_mem planes[DD_MAX_PLANES];
	u32 flags;			/* client flags kept (no state flags) */
	u32 field;
	u64 timestamp;			/* ns */
	struct v4l2_timecode timecode;
	u32 sequence;
	s32 request_fd;			/* -1 unless queued with a request */
	struct dd_request *req;		/* bound request (holds a reference) */
	struct list_head req_node;	/* request's OUTPUT buffers */
	struct list_head done_node;	/* queue's done list */
	struct dd_sched_entry entry;	/* scheduler's view */
};

struct dd_mem_ops {
	/* MMAP: back m->length bytes; set m->vaddr and m->handle. */
	int (*alloc)(void *priv, struct dd_buffer *buf, struct dd_mem *m);
	/* USERPTR/DMABUF: make m->userptr / m->fd usable; may set vaddr, handle. */
	int (*attach)(void *priv, struct dd_buffer *buf, struct dd_mem *m);
	/* Drop what alloc/attach set up. */
	void (*release)(void *priv, struct dd_buffer *buf, struct dd_mem *m);
};

struct dd_queue {
	u32 type;			/* V4L2_BUF_TYPE_VIDEO_{OUTPUT,CAPTURE}[_MPLANE] */
	u32 memory;			/* 0 until buffers exist */
	unsigned int num_buffers;
	struct dd_buffer *bufs[DD_MAX_BUFFERS];
	struct list_head done;		/* DONE/ERROR buffers, in order */
	unsigned int owned;		/* buffers QUEUED or ACTIVE */
	bool streaming;
	bool supports_requests;
	bool requires_requests;
	bool uses_requests;
	bool uses_qbuf;
	bool hold_capture;		/* OUTPUT: M2M_HOLD_CAPTURE_BUF supported */
	u32 sequence;
	u32 mmap_base;
	u32 next_mmap_offset;
	const struct dd_mem_ops *mops;
	void *mem_priv;
};

static inline bool dd_queue_is_output(const struct dd_queue *q)
{
	return V4L2_TYPE_IS_OUTPUT(q->type);
}

static inline bool dd_queue_is_mplane(const struct dd_queue *q)
{
	return V4L2_TYPE_IS_MULTIPLANAR(q->type);
}

static inline bool dd_queue_busy(const struct dd_queue *q)
{
	return q->num_buffers > 0;
}

void dd_queue_init(struct dd_queue *q, u32 type, const struct dd_mem_ops *mops,
		   void *mem_priv);
/* Free every buffer (and its memory); the queue is back to no buffers. */
void dd_queue_release(struct dd_queue *q);
/* The V4L2_BUF_CAP_* a REQBUFS/CREATE_BUFS on this queue reports. */
u32 dd_queue_caps(const struct dd_queue *q);
/* Validate a memory type for this queue: 0 or -EINVAL. */
int dd_queue_check_memory(const struct dd_queue *q, u32 memory);

/*
 * Allocate `count` buffers of one plane of `size` bytes each after the
 * existing ones.  Returns the number allocated (may be fewer) or -errno.
 */
int dd_queue_alloc(struct dd_queue *q, u32 memory, unsigned int count, u32 size);

struct dd_buffer *dd_queue_get(struct dd_queue *q, u32 index);
/*
 * The checks QBUF/PREPARE_BUF make on a client v4l2_buffer: type, memory,
 * index, planes array, plane lengths and bytesused.  *bufp on success.
 */
int dd_queue_check_v4l2(struct dd_queue *q, const struct v4l2_buffer *b,
			struct dd_buffer **bufp);
/* Copy the client's plane info, flags, timestamp into buf (after check). */
int dd_queue_fill_from_v4l2(struct dd_buffer *buf, const struct v4l2_buffer *b);
/* QBUF: the OUTPUT timestamp, timecode and field (vb2 copy_timestamp). */
void dd_queue_copy_timestamp(struct dd_buffer *buf, const struct v4l2_buffer *b);
/* The planes array of a multi-planar v4l2_buffer is usable: 0 or -EINVAL. */
int dd_queue_check_planes(const struct dd_queue *q, const struct dd_buffer *buf,
			  const struct v4l2_buffer *b);
/* QUERYBUF/QBUF/DQBUF result for the client. */
void dd_queue_fill_v4l2(const struct dd_buffer *buf, struct v4l2_buffer *b);

/* State changes. */
void dd_queue_buf_owned(struct dd_buffer *buf);		/* -> QUEUED */
void dd_queue_buf_done(struct dd_buffer *buf, bool error);	/* -> DONE/ERROR */
/* First done buffer taken off the done list (state DEQUEUED), or NULL. */
struct dd_buffer *dd_queue_take_done(struct dd_queue *q);
bool dd_queue_has_done(const struct dd_queue *q);
/* STREAMOFF/REQBUFS: every buffer back to DEQUEUED, done list emptied. */
void dd_queue_cancel(struct dd_queue *q);

/* The CAPTURE buffer holding the picture with timestamp ts, or -1. */
int dd_queue_find_timestamp(const struct dd_queue *q, u64 ts);
/* The buffer plane an MMAP offset names, or NULL. */
struct dd_mem *dd_queue_find_mmap(struct dd_queue *q, u32 offset,
				  struct dd_buffer **bufp);

#endif /* DD_QUEUE_H */
