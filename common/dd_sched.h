/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_sched.h - the job scheduler shared by every front end.
 *
 * Two objects:
 *
 *  - struct dd_sched, one per context.  It pairs OUTPUT entries (a bitstream
 *    whose request was queued) with CAPTURE entries (free picture buffers)
 *    into jobs, in queueing order, honouring V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF
 *    (slices of one frame share a CAPTURE buffer) and a per-context limit of
 *    jobs in flight.  Entries are opaque: a struct dd_sched_entry embedded in
 *    whatever buffer the front end has (a dd_buffer in userspace, a vb2
 *    buffer in the kernel module).  Every dd_sched_* call on a context is made
 *    with that context's lock held (the dd_mutex_t given to dd_sched_init).
 *
 *  - struct dd_sched_dev, one per device: the list of jobs ready for the
 *    daemon, the jobs the daemon holds, the context id table and the cookie
 *    counter, under one small spinlock.  The daemon transport pulls jobs
 *    (dd_sched_dev_next_job) and delivers completions
 *    (dd_sched_dev_complete), which are validated before anything changes.
 *
 * Lock order: context lock, then the device spinlock.  No device-wide lock
 * is held while a context's state changes.
 */
#ifndef DD_SCHED_H
#define DD_SCHED_H

#include "dd_os.h"
#include "dd_proto.h"

#define DD_SCHED_DEFAULT_TIMEOUT_NS	(5ull * 1000000000ull)

struct dd_sched;
struct dd_sched_dev;

struct dd_sched_entry {
	struct list_head node;		/* on a ready list while queued */
	void *priv;			/* the front end's buffer */
	u64 timestamp;			/* OUTPUT: set by the front end */
	bool hold;			/* OUTPUT: M2M_HOLD_CAPTURE_BUF */
	/* Scheduler-owned state. */
	bool queued;			/* on a ready list */
	bool failed;			/* CAPTURE: a job writing it failed */
	unsigned int users;		/* CAPTURE: jobs in flight writing it */
};

struct dd_job {
	struct list_head dev_node;	/* dd_sched_dev ready or running list */
	struct list_head ctx_node;	/* dd_sched jobs, in issue order */
	struct dd_sched *sched;
	struct dd_sched_entry *src;
	struct dd_sched_entry *dst;
	u64 cookie;
	u64 start_ns;
	void *priv;			/* the front end's (e.g. the request) */
	unsigned int refs;		/* under the device spinlock */
	bool dispatched;		/* handed to the daemon */
	bool completing;		/* a completion owns it */
	bool cancelled;			/* finished by a cancel */
	/*
	 * What the daemon gets.  After prepare() the control payloads and the
	 * inline bitstream are copied into `snapshot`, so the job stays valid
	 * while the front end encodes it, whatever happens to the buffers.
	 */
	struct dd_proto_job proto;
	void *snapshot;
	void *fe_data;			/* the front end's, e.g. capture memory */
};

struct dd_sched_ops {
	/*
	 * Fill job->proto (everything but ctx_id and cookie) and job->priv for
	 * a new job; payload pointers may point at live data, they are copied
	 * right after.  Also the place to copy the OUTPUT timestamp to the
	 * CAPTURE buffer and apply the request's controls.  Non-zero fails the
	 * job at once (finish() with DD_STATUS_ERROR).
	 */
	int (*prepare)(struct dd_sched *s, struct dd_job *job);
	/*
	 * The job is over (status: enum dd_job_status).  Return the OUTPUT
	 * buffer (DONE, or ERROR if status != OK) and complete its request;
	 * when dst_done, return the CAPTURE buffer too (ERROR flag if
	 * job->dst->failed), else it stays held for the next slice.
	 */
	void (*finish)(struct dd_sched *s, struct dd_job *job, u32 status,
		       u32 bytesused, bool dst_done);
	/* A held CAPTURE buffer is released without a job (new frame, flush). */
	void (*dst_release)(struct dd_sched *s, struct dd_sched_entry *dst);
	/* The last reference to a closed context is gone: free it. */
	void (*release)(struct dd_sched *s);
};

struct dd_sched {
	struct dd_sched_dev *sd;
	struct list_head dev_node;	/* dd_sched_dev contexts */
	dd_mutex_t *lock;		/* the context lock */
	const struct dd_sched_ops *ops;
	void *priv;
	u32 ctx_id;
	struct list_head src;		/* OUTPUT entries, in order */
	struct list_head dst;		/* free CAPTURE entries, in order */
	struct list_head jobs;		/* in flight, in issue order */
	struct dd_sched_entry *held;	/* CAPTURE buffer kept for a slice */
	unsigned int in_flight;
	unsigned int max_in_flight;
	unsigned int refs;		/* under the device spinlock */
	bool src_on;
	bool dst_on;
	bool closed;
	u64 jobs_issued;
};

struct dd_sched_dev_ops {
	/* A job was added to the ready list (called with no device lock). */
	void (*job_ready)(struct dd_sched_dev *sd);
	/* A context closed: tell the daemon (DD_MSG_CTX_CLOSE). */
	void (*ctx_closed)(struct dd_sched_dev *sd, u32 ctx_id);
};

struct dd_sched_dev {
	dd_spinlock_t lock;
	struct list_head ready;		/* jobs waiting for the daemon */
	struct list_head running;	/* jobs the daemon holds */
	struct list_head scheds;	/* open contexts */
	u64 last_cookie;
	u32 last_ctx_id;
	u64 timeout_ns;
	const struct dd_sched_dev_ops *ops;
	void *priv;
};

/* Device. */
void dd_sched_dev_init(struct dd_sched_dev *sd, const struct dd_sched_dev_ops *ops,
		       void *priv);
void dd_sched_dev_destroy(struct dd_sched_dev *sd);
/*
 * The oldest ready job, moved to the running list and pinned: the caller
 * encodes job->proto and then calls dd_sched_job_put().  NULL if none.
 */
struct dd_job *dd_sched_dev_next_job(struct dd_sched_dev *sd);
void dd_sched_job_put(struct dd_sched_dev *sd, struct dd_job *job);
bool dd_sched_dev_has_ready(struct dd_sched_dev *sd);
/*
 * A DONE from the daemon.  Rejects (state untouched, log line) with
 * -EINVAL: status out of range, cookie of another context, cookie not yet
 * dispatched, bytesused above the CAPTURE buffer; -ENOENT: unknown context,
 * unknown or already completed cookie.
 */
int dd_sched_dev_complete(struct dd_sched_dev *sd, const struct dd_proto_done *done);
/* The daemon went away: every job fails.  Returns how many. */
unsigned int dd_sched_dev_fail_all(struct dd_sched_dev *sd);
/* Watchdog: fail jobs issued more than timeout_ns before `now`. */
unsigned int dd_sched_dev_expire(struct dd_sched_dev *sd, u64 now);
void dd_sched_dev_set_timeout(struct dd_sched_dev *sd, u64 timeout_ns);

/* Context (all with the context lock held, except get/put). */
int dd_sched_init(struct dd_sched *s, struct dd_sched_dev *sd,
		  const struct dd_sched_ops *ops, void *priv, dd_mutex_t *lock);
/* Fail the jobs in flight, leave the id table, tell the daemon. */
void dd_sched_close(struct dd_sched *s);
void dd_sched_get(struct dd_sched *s);
/* Drop a reference; the last one after close calls ops->release. */
void dd_sched_put(struct dd_sched *s);
void dd_sched_set_max_in_flight(struct dd_sched *s, unsigned int n);

void dd_sched_queue_src(struct dd_sched *s, struct dd_sched_entry *e);
void dd_sched_queue_dst(struct dd_sched *s, struct dd_sched_entry *e);
/* Take an entry off its ready list (buffer being returned); no-op if not. */
void dd_sched_remove(struct dd_sched *s, struct dd_sched_entry *e);
void dd_sched_streamon(struct dd_sched *s, bool output);
/*
 * Stop one direction: the jobs in flight fail (their buffers are finished
 * with DD_STATUS_ERROR), the direction's ready list is emptied (the front
 * end returns those buffers itself); CAPTURE also forgets the held buffer.
 */
void dd_sched_streamoff(struct dd_sched *s, bool output);
/* V4L2_DEC_CMD_FLUSH of a stateless decoder. */
void dd_sched_flush(struct dd_sched *s);
/* Issue every job that can run now. */
void dd_sched_run(struct dd_sched *s);

#endif /* DD_SCHED_H */
