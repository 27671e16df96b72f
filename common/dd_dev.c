// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_dev.c - the userspace decoder device: wires the front end's hooks to
 * the shared job list of dd_sched.
 */
#include "dd_dev.h"

static void dd_dev_job_ready(struct dd_sched_dev *sd)
{
	struct dd_device *dev = container_of(sd, struct dd_device, sd);

	if (dev->ops && dev->ops->job_ready)
		dev->ops->job_ready(dev->fe);
}

static void dd_dev_ctx_closed(struct dd_sched_dev *sd, u32 ctx_id)
{
	struct dd_device *dev = container_of(sd, struct dd_device, sd);

	if (dev->ops && dev->ops->ctx_closed)
		dev->ops->ctx_closed(dev->fe, ctx_id);
}

static const struct dd_sched_dev_ops dd_dev_sched_ops = {
	.job_ready = dd_dev_job_ready,
	.ctx_closed = dd_dev_ctx_closed,
};

void dd_dev_init(struct dd_device *dev, const struct dd_dev_ops *ops, void *fe)
{
	memset(dev, 0, sizeof(*dev));
	dev->ops = ops;
	dev->fe = fe;
	dev->max_in_flight = 1;
	dd_sched_dev_init(&dev->sd, &dd_dev_sched_ops, dev);
}

void dd_dev_destroy(struct dd_device *dev)
{
	dd_sched_dev_destroy(&dev->sd);
}

void dd_dev_set_timeout(struct dd_device *dev, u64 timeout_ns)
{
	dd_sched_dev_set_timeout(&dev->sd, timeout_ns);
}

struct dd_job *dd_dev_next_job(struct dd_device *dev)
{
	return dd_sched_dev_next_job(&dev->sd);
}

void dd_dev_job_put(struct dd_device *dev, struct dd_job *job)
{
	dd_sched_job_put(&dev->sd, job);
}

bool dd_dev_has_jobs(struct dd_device *dev)
{
	return dd_sched_dev_has_ready(&dev->sd);
}

int dd_dev_complete_job(struct dd_device *dev, const struct dd_proto_done *done)
{
	return dd_sched_dev_complete(&dev->sd, done);
}

unsigned int dd_dev_fail_all_jobs(struct dd_device *dev)
{
	return dd_sched_dev_fail_all(&dev->sd);
}

unsigned int dd_dev_expire_jobs(struct dd_device *dev, u64 now)
{
	return dd_sched_dev_expire(&dev->sd, now);
}

void dd_dev_get_stats(struct dd_device *dev, struct dd_dev_stats *st)
{
	struct dd_job *job;

	memset(st, 0, sizeof(*st));
	dd_spin_lock(&dev->sd.lock);
	st->contexts = dev->num_ctxs;
	st->requests = dev->num_requests;
	list_for_each_entry(job, &dev->sd.ready, dev_node)
		st->ready++;
	list_for_each_entry(job, &dev->sd.running, dev_node)
		st->running++;
	dd_spin_unlock(&dev->sd.lock);
}
