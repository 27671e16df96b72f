/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_dev.h - the decoder device of a userspace front end (the CUSE server):
 * the front end's hooks (buffer memory, request fds, wake-ups, daemon
 * notifications) and the device-wide job entry points the daemon transport
 * calls.  The jobs themselves live in dd_sched (shared with the kernel
 * module, whose own struct dd_dev is unrelated to this one).
 */
#ifndef DD_DEV_H
#define DD_DEV_H

#include "dd_os.h"
#include "dd_sched.h"
#include "dd_queue.h"

#define DD_DRIVER_NAME		"daedalus-v4l2"
#define DD_CARD_NAME		"daedalus-v4l2"
#define DD_BUS_INFO		"platform:daedalus-v4l2"

struct dd_ctx;
struct dd_request;

struct dd_dev_ops {
	/* MMAP plane: back m->length bytes, set m->vaddr/m->handle. */
	int (*mem_alloc)(void *fe, struct dd_ctx *ctx, struct dd_buffer *buf,
			 struct dd_mem *m);
	/* USERPTR/DMABUF plane at QBUF (m->userptr / m->fd set); optional. */
	int (*mem_attach)(void *fe, struct dd_ctx *ctx, struct dd_buffer *buf,
			  struct dd_mem *m);
	/* Undo mem_alloc/mem_attach (the front end refcounts live mappings). */
	void (*mem_release)(void *fe, struct dd_ctx *ctx, struct dd_buffer *buf,
			    struct dd_mem *m);
	/*
	 * The request a client fd names, with a reference (dd_request_get),
	 * or NULL if the fd is not a request of this device.
	 */
	struct dd_request *(*request_get)(void *fe, struct dd_ctx *ctx, s32 fd);
	/*
	 * A job is being built: adjust job->proto.capture (kind, id, offset)
	 * and job->fe_data for how this front end passes the CAPTURE memory.
	 * The default is MMAP offset / process address / fd by memory type.
	 * Optional; non-zero fails the job.
	 */
	int (*job_buffers)(void *fe, struct dd_ctx *ctx, struct dd_job *job,
			   struct dd_buffer *out, struct dd_buffer *cap);
	/* Jobs wait in the ready list (dd_dev_next_job). */
	void (*job_ready)(void *fe);
	/* A context closed: send DD_MSG_CTX_CLOSE for ctx_id. */
	void (*ctx_closed)(void *fe, u32 ctx_id);
	/* A buffer of ctx became done: wake poll/blocking DQBUF. */
	void (*ctx_wake)(void *fe, struct dd_ctx *ctx);
	/* A request completed: wake POLLPRI on its fd. */
	void (*request_done)(void *fe, struct dd_request *req);
};

struct dd_device {
	struct dd_sched_dev sd;
	const struct dd_dev_ops *ops;
	void *fe;
	unsigned int max_in_flight;	/* per context, default 1 */
	/* Live objects (under sd.lock): what a leak check compares to zero. */
	unsigned int num_ctxs;		/* opened, not yet freed */
	unsigned int num_requests;	/* allocated, not yet freed */
};

/* A snapshot for a front end's stats report. */
struct dd_dev_stats {
	unsigned int contexts;		/* live contexts, closed ones with jobs out too */
	unsigned int requests;		/* live request objects */
	unsigned int ready;		/* jobs waiting for the daemon */
	unsigned int running;		/* jobs the daemon holds */
};

void dd_dev_init(struct dd_device *dev, const struct dd_dev_ops *ops, void *fe);
void dd_dev_destroy(struct dd_device *dev);
void dd_dev_set_timeout(struct dd_device *dev, u64 timeout_ns);

/*
 * The next job for the daemon, or NULL.  job->proto is complete (ctx id,
 * cookie, codec, sizes, CAPTURE layout, control payloads, inline
 * bitstream) and stays valid until dd_dev_job_put(), whatever the
 * context does meanwhile.
 */
struct dd_job *dd_dev_next_job(struct dd_device *dev);
void dd_dev_job_put(struct dd_device *dev, struct dd_job *job);
bool dd_dev_has_jobs(struct dd_device *dev);
/* A DONE from the daemon: 0, or -EINVAL/-ENOENT with the state untouched. */
int dd_dev_complete_job(struct dd_device *dev, const struct dd_proto_done *done);
/* The daemon is gone: every job fails.  Returns how many. */
unsigned int dd_dev_fail_all_jobs(struct dd_device *dev);
/* Watchdog: fail jobs older than the timeout.  Returns how many. */
unsigned int dd_dev_expire_jobs(struct dd_device *dev, u64 now);
void dd_dev_get_stats(struct dd_device *dev, struct dd_dev_stats *st);

#endif /* DD_DEV_H */
