// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_sched.c - per-context job scheduling and the device's daemon job
 * list: issue, dispatch, completion validation, cancel, failure, expiry.
 */
#include "dd_sched.h"

void dd_sched_dev_init(struct dd_sched_dev *sd, const struct dd_sched_dev_ops *ops,
		       void *priv)
{
	memset(sd, 0, sizeof(*sd));
	dd_spin_init(&sd->lock);
	INIT_LIST_HEAD(&sd->ready);
	INIT_LIST_HEAD(&sd->running);
	INIT_LIST_HEAD(&sd->scheds);
	sd->timeout_ns = DD_SCHED_DEFAULT_TIMEOUT_NS;
	sd->ops = ops;
	sd->priv = priv;
}

void dd_sched_dev_destroy(struct dd_sched_dev *sd)
{
	if (!list_empty(&sd->scheds) || !list_empty(&sd->ready) ||
	    !list_empty(&sd->running))
		dd_warn("sched: device destroyed with contexts or jobs left");
	dd_spin_destroy(&sd->lock);
}

void dd_sched_dev_set_timeout(struct dd_sched_dev *sd, u64 timeout_ns)
{
	dd_spin_lock(&sd->lock);
	sd->timeout_ns = timeout_ns;
	dd_spin_unlock(&sd->lock);
}

static void dd_job_free(struct dd_job *job)
{
	dd_free_large(job->snapshot);
	dd_free(job);
}

void dd_sched_job_put(struct dd_sched_dev *sd, struct dd_job *job)
{
	bool last;

	dd_spin_lock(&sd->lock);
	last = --job->refs == 0;
	dd_spin_unlock(&sd->lock);
	if (last)
		dd_job_free(job);
}

/*
 * Copy the control payloads and the inline bitstream into one block the job
 * owns, so the job no longer points at buffers or requests.
 */
static int dd_job_snapshot(struct dd_job *job)
{
	struct dd_proto_job *p = &job->proto;
	size_t total = 0, pos = 0;
	unsigned int i;
	u8 *blk;

	if (p->num_ctrls > DD_PROTO_MAX_CTRLS)
		return -EINVAL;
	for (i = 0; i < p->num_ctrls; i++) {
		if (p->ctrls[i].size > DD_PROTO_MAX_CTRL_SIZE)
			return -EINVAL;
		total += ALIGN((size_t)p->ctrls[i].size, 8);
	}
	if (p->bitstream.kind == DD_BUF_INLINE) {
		if (p->bitstream.size > DD_PROTO_MAX_MSG)
			return -EINVAL;
		if (p->bitstream.size && !p->bitstream_data)
			return -EINVAL;
		total += p->bitstream.size;
	}
	if (!total)
		return 0;
	blk = dd_zalloc_large(total);
	if (!blk)
		return -ENOMEM;
	for (i = 0; i < p->num_ctrls; i++) {
		if (p->ctrls[i].size)
			memcpy(blk + pos, p->ctrls[i].data, p->ctrls[i].size);
		p->ctrls[i].data = blk + pos;
		pos += ALIGN((size_t)p->ctrls[i].size, 8);
	}
	if (p->bitstream.kind == DD_BUF_INLINE) {
		if (p->bitstream.size)
			memcpy(blk + pos, p->bitstream_data, p->bitstream.size);
		p->bitstream_data = blk + pos;
	}
	job->snapshot = blk;
	return 0;
}

/* Context lock held.  The job leaves the context; buffers go back. */
static void dd_sched_finish_job(struct dd_sched *s, struct dd_job *job,
				u32 status, u32 bytesused)
{
	struct dd_sched_entry *dst = job->dst;
	bool dst_done;

	list_del_init(&job->ctx_node);
	s->in_flight--;
	dst->users--;
	if (status != DD_STATUS_OK)
		dst->failed = true;
	dst_done = dst != s->held && dst->users == 0;
	s->ops->finish(s, job, status, bytesused, dst_done);
	if (dst_done)
		dst->failed = false;
}

static void dd_sched_release_held(struct dd_sched *s)
{
	struct dd_sched_entry *dst = s->held;

	s->held = NULL;
	if (dst && dst->users == 0) {
		s->ops->dst_release(s, dst);
		dst->failed = false;
	}
}

/* Context lock held: fail every job of the context that is still ours. */
static void dd_sched_cancel_jobs(struct dd_sched *s)
{
	struct dd_sched_dev *sd = s->sd;
	struct dd_job *job, *tmp;

	list_for_each_entry_safe(job, tmp, &s->jobs, ctx_node) {
		dd_spin_lock(&sd->lock);
		/* A completion that owns the job will see `cancelled`. */
		if (!job->completing)
			list_del_init(&job->dev_node);
		job->cancelled = true;
		dd_spin_unlock(&sd->lock);
		dd_dbg("sched: ctx %u: job %llu cancelled", s->ctx_id,
		       (unsigned long long)job->cookie);
		dd_sched_finish_job(s, job, DD_STATUS_ERROR, 0);
		dd_sched_job_put(sd, job);
	}
}

int dd_sched_init(struct dd_sched *s, struct dd_sched_dev *sd,
		  const struct dd_sched_ops *ops, void *priv, dd_mutex_t *lock)
{
	memset(s, 0, sizeof(*s));
	s->sd = sd;
	s->ops = ops;
	s->priv = priv;
	s->lock = lock;
	s->max_in_flight = 1;
	s->refs = 1;
	INIT_LIST_HEAD(&s->src);
	INIT_LIST_HEAD(&s->dst);
	INIT_LIST_HEAD(&s->jobs);
	dd_spin_lock(&sd->lock);
	s->ctx_id = ++sd->last_ctx_id;
	if (!s->ctx_id)		/* 0 is never a context */
		s->ctx_id = ++sd->last_ctx_id;
	list_add_tail(&s->dev_node, &sd->scheds);
	dd_spin_unlock(&sd->lock);
	return 0;
}

void dd_sched_close(struct dd_sched *s)
{
	struct dd_sched_dev *sd = s->sd;
	struct dd_sched_entry *e, *tmp;

	if (s->closed)
		return;
	s->src_on = false;
	s->dst_on = false;
	s->closed = true;
	dd_sched_cancel_jobs(s);
	list_for_each_entry_safe(e, tmp, &s->src, node) {
		list_del_init(&e->node);
		e->queued = false;
	}
	list_for_each_entry_safe(e, tmp, &s->dst, node) {
		list_del_init(&e->node);
		e->queued = false;
	}
	s->held = NULL;
	dd_spin_lock(&sd->lock);
	list_del_init(&s->dev_node);
	dd_spin_unlock(&sd->lock);
	if (sd->ops && sd->ops->ctx_closed)
		sd->ops->ctx_closed(sd, s->ctx_id);
}

void dd_sched_get(struct dd_sched *s)
{
	dd_spin_lock(&s->sd->lock);
	s->refs++;
	dd_spin_unlock(&s->sd->lock);
}

void dd_sched_put(struct dd_sched *s)
{
	bool last;

	dd_spin_lock(&s->sd->lock);
	last = --s->refs == 0;
	dd_spin_unlock(&s->sd->lock);
	if (last && s->ops->release)
		s->ops->release(s);
}

void dd_sched_set_max_in_flight(struct dd_sched *s, unsigned int n)
{
	s->max_in_flight = n ? n : 1;
	dd_sched_run(s);
}

void dd_sched_queue_src(struct dd_sched *s, struct dd_sched_entry *e)
{
	list_add_tail(&e->node, &s->src);
	e->queued = true;
	dd_sched_run(s);
}

void dd_sched_queue_dst(struct dd_sched *s, struct dd_sched_entry *e)
{
	e->users = 0;
	e->failed = false;
	list_add_tail(&e->node, &s->dst);
	e->queued = true;
	dd_sched_run(s);
}

void dd_sched_remove(struct dd_sched *s, struct dd_sched_entry *e)
{
	if (e->queued) {
		list_del_init(&e->node);
		e->queued = false;
	}
	if (s->held == e)
		s->held = NULL;
}

void dd_sched_streamon(struct dd_sched *s, bool output)
{
	if (output)
		s->src_on = true;
	else
		s->dst_on = true;
	dd_sched_run(s);
}

void dd_sched_streamoff(struct dd_sched *s, bool output)
{
	struct list_head *l = output ? &s->src : &s->dst;
	struct dd_sched_entry *e, *tmp;

	if (output)
		s->src_on = false;
	else
		s->dst_on = false;
	dd_sched_cancel_jobs(s);
	list_for_each_entry_safe(e, tmp, l, node) {
		list_del_init(&e->node);
		e->queued = false;
	}
	if (!output)
		s->held = NULL;
}

void dd_sched_flush(struct dd_sched *s)
{
	struct dd_sched_entry *last;

	if (!list_empty(&s->src)) {
		/* The last pending slice no longer holds: its job releases. */
		last = list_entry(s->src.prev, struct dd_sched_entry, node);
		last->hold = false;
	} else if (s->held) {
		dd_sched_release_held(s);
	}
}

void dd_sched_run(struct dd_sched *s)
{
	struct dd_sched_dev *sd = s->sd;
	struct dd_sched_entry *src, *dst;
	struct dd_job *job;
	bool notify = false;
	int ret;

	while (s->src_on && s->dst_on && !s->closed &&
	       s->in_flight < s->max_in_flight && !list_empty(&s->src)) {
		src = list_first_entry(&s->src, struct dd_sched_entry, node);
		if (s->held && s->held->timestamp != src->timestamp)
			dd_sched_release_held(s);
		dst = s->held;
		if (!dst && list_empty(&s->dst))
			break;
		job = dd_zalloc(sizeof(*job));
		if (!job) {
			dd_err("sched: ctx %u: out of memory for a job", s->ctx_id);
			break;
		}
		if (!dst) {
			dst = list_first_entry(&s->dst, struct dd_sched_entry, node);
			list_del_init(&dst->node);
			dst->queued = false;
			dst->failed = false;
		}
		list_del_init(&src->node);
		src->queued = false;
		INIT_LIST_HEAD(&job->dev_node);
		job->sched = s;
		job->src = src;
		job->dst = dst;
		job->refs = 1;
		dst->timestamp = src->timestamp;
		dst->users++;
		s->held = src->hold ? dst : NULL;
		list_add_tail(&job->ctx_node, &s->jobs);
		s->in_flight++;
		s->jobs_issued++;

		ret = s->ops->prepare(s, job);
		if (!ret)
			ret = dd_job_snapshot(job);
		if (ret) {
			dd_err("sched: ctx %u: cannot prepare a job (%d)", s->ctx_id, ret);
			dd_sched_finish_job(s, job, DD_STATUS_ERROR, 0);
			dd_job_free(job);
			continue;
		}
		dd_spin_lock(&sd->lock);
		job->cookie = ++sd->last_cookie;
		job->start_ns = dd_time_ns();
		job->proto.cookie = job->cookie;
		job->proto.ctx_id = s->ctx_id;
		list_add_tail(&job->dev_node, &sd->ready);
		dd_spin_unlock(&sd->lock);
		dd_dbg("sched: ctx %u: job %llu issued", s->ctx_id,
		       (unsigned long long)job->cookie);
		notify = true;
	}
	if (notify && sd->ops && sd->ops->job_ready)
		sd->ops->job_ready(sd);
}

struct dd_job *dd_sched_dev_next_job(struct dd_sched_dev *sd)
{
	struct dd_job *job;

	dd_spin_lock(&sd->lock);
	job = list_first_entry_or_null(&sd->ready, struct dd_job, dev_node);
	if (job) {
		list_move_tail(&job->dev_node, &sd->running);
		job->dispatched = true;
		job->refs++;
	}
	dd_spin_unlock(&sd->lock);
	return job;
}

bool dd_sched_dev_has_ready(struct dd_sched_dev *sd)
{
	bool ret;

	dd_spin_lock(&sd->lock);
	ret = !list_empty(&sd->ready);
	dd_spin_unlock(&sd->lock);
	return ret;
}

static struct dd_sched *dd_sched_dev_find_ctx(struct dd_sched_dev *sd, u32 ctx_id)
{
	struct dd_sched *s;

	list_for_each_entry(s, &sd->scheds, dev_node)
		if (s->ctx_id == ctx_id)
			return s;
	return NULL;
}

static struct dd_job *dd_sched_find_job(struct list_head *l, u64 cookie)
{
	struct dd_job *job;

	list_for_each_entry(job, l, dev_node)
		if (job->cookie == cookie)
			return job;
	return NULL;
}

/*
 * Finish a job that a completion, failure or expiry took off the device
 * lists (job->completing set, one job and one context reference held).
 */
static void dd_sched_end_job(struct dd_sched_dev *sd, struct dd_job *job, u32 status,
			     u32 bytesused)
{
	struct dd_sched *s = job->sched;

	dd_mutex_lock(s->lock);
	if (!job->cancelled) {
		job->cancelled = true;
		dd_sched_finish_job(s, job, status, bytesused);
		dd_sched_job_put(sd, job);	/* the context's reference */
		dd_sched_run(s);
	}
	dd_mutex_unlock(s->lock);
	dd_sched_job_put(sd, job);
	dd_sched_put(s);
}

int dd_sched_dev_complete(struct dd_sched_dev *sd, const struct dd_proto_done *done)
{
	unsigned long long cookie = done->cookie;
	struct dd_sched *s;
	struct dd_job *job;

	if (done->status > DD_STATUS_UNSUPPORTED) {
		dd_err("done: ctx %u cookie %llu: status %u out of range",
		       done->ctx_id, cookie, done->status);
		return -EINVAL;
	}
	dd_spin_lock(&sd->lock);
	s = dd_sched_dev_find_ctx(sd, done->ctx_id);
	if (!s) {
		dd_spin_unlock(&sd->lock);
		dd_err("done: cookie %llu: unknown context %u", cookie, done->ctx_id);
		return -ENOENT;
	}
	job = dd_sched_find_job(&sd->running, done->cookie);
	if (!job) {
		bool pending = dd_sched_find_job(&sd->ready, done->cookie);

		dd_spin_unlock(&sd->lock);
		if (pending) {
			dd_err("done: ctx %u: cookie %llu was never dispatched",
			       done->ctx_id, cookie);
			return -EINVAL;
		}
		dd_err("done: ctx %u: unknown or completed cookie %llu",
		       done->ctx_id, cookie);
		return -ENOENT;
	}
	if (job->sched != s) {
		u32 owner = job->sched->ctx_id;

		dd_spin_unlock(&sd->lock);
		dd_err("done: cookie %llu belongs to context %u, not %u",
		       cookie, owner, done->ctx_id);
		return -EINVAL;
	}
	if (done->bytesused > job->proto.capture.size) {
		u32 size = job->proto.capture.size;

		dd_spin_unlock(&sd->lock);
		dd_err("done: ctx %u cookie %llu: bytesused %u above capture size %u",
		       done->ctx_id, cookie, done->bytesused, size);
		return -EINVAL;
	}
	list_del_init(&job->dev_node);
	job->completing = true;
	job->refs++;
	s->refs++;
	dd_spin_unlock(&sd->lock);

	dd_dbg("done: ctx %u cookie %llu status %u", done->ctx_id, cookie, done->status);
	dd_sched_end_job(sd, job, done->status, done->bytesused);
	return 0;
}

/* Take jobs off the device lists (all, or those older than `before`). */
static unsigned int dd_sched_dev_fail(struct dd_sched_dev *sd, bool all, u64 now)
{
	struct dd_job *job, *tmp;
	unsigned int n = 0;
	LIST_HEAD(victims);

	dd_spin_lock(&sd->lock);
	list_for_each_entry_safe(job, tmp, &sd->running, dev_node) {
		if (!all && now - job->start_ns <= sd->timeout_ns)
			continue;
		list_move_tail(&job->dev_node, &victims);
	}
	list_for_each_entry_safe(job, tmp, &sd->ready, dev_node) {
		if (!all && now - job->start_ns <= sd->timeout_ns)
			continue;
		list_move_tail(&job->dev_node, &victims);
	}
	list_for_each_entry(job, &victims, dev_node) {
		job->completing = true;
		job->refs++;
		job->sched->refs++;
	}
	dd_spin_unlock(&sd->lock);

	list_for_each_entry_safe(job, tmp, &victims, dev_node) {
		list_del_init(&job->dev_node);
		if (all)
			dd_warn("sched: ctx %u: job %llu failed, no daemon",
				job->sched->ctx_id, (unsigned long long)job->cookie);
		else
			dd_warn("sched: ctx %u: job %llu timed out",
				job->sched->ctx_id, (unsigned long long)job->cookie);
		dd_sched_end_job(sd, job, DD_STATUS_ERROR, 0);
		n++;
	}
	return n;
}

unsigned int dd_sched_dev_fail_all(struct dd_sched_dev *sd)
{
	return dd_sched_dev_fail(sd, true, 0);
}

unsigned int dd_sched_dev_expire(struct dd_sched_dev *sd, u64 now)
{
	return dd_sched_dev_fail(sd, false, now);
}
