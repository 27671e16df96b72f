// SPDX-License-Identifier: GPL-2.0-only
/*
 * dd_debugfs.c - /sys/kernel/debug/daedalus-v4l2/stats: job counters of
 * the device (issued, done, errors, timeouts, failed for want of a daemon,
 * DONE messages refused), the live contexts, requests and buffer
 * memories, the jobs waiting for / held by the daemon, and the jobs in
 * flight of each open context.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "dd_drv.h"

static int dd_debugfs_stats_show(struct seq_file *sf, void *unused)
{
	struct dd_dev *dd = sf->private;
	struct dd_stats *st = &dd->stats;
	unsigned int ready = 0, running = 0;
	struct dd_sched *s;
	struct dd_job *job;

	seq_printf(sf, "daemon: %s\n", READ_ONCE(dd->daemon) ? "connected" : "none");
	seq_printf(sf, "timeout_ms: %u\n", READ_ONCE(dd_param_timeout_ms));
	seq_printf(sf, "jobs: %lld\n", (long long)atomic64_read(&st->jobs));
	seq_printf(sf, "done: %lld\n", (long long)atomic64_read(&st->done));
	seq_printf(sf, "errors: %lld\n", (long long)atomic64_read(&st->errors));
	seq_printf(sf, "timeouts: %lld\n", (long long)atomic64_read(&st->timeouts));
	seq_printf(sf, "no_daemon: %lld\n", (long long)atomic64_read(&st->no_daemon));
	seq_printf(sf, "bad_done: %lld\n", (long long)atomic64_read(&st->bad_done));
	seq_printf(sf, "contexts: %d\n", atomic_read(&st->contexts));
	seq_printf(sf, "requests: %d\n", atomic_read(&st->requests));
	seq_printf(sf, "buffers: %d\n", atomic_read(&st->buffers));
	spin_lock(&dd->sd.lock);
	list_for_each_entry(job, &dd->sd.ready, dev_node)
		ready++;
	list_for_each_entry(job, &dd->sd.running, dev_node)
		running++;
	seq_printf(sf, "jobs_ready: %u\n", ready);
	seq_printf(sf, "jobs_running: %u\n", running);
	list_for_each_entry(s, &dd->sd.scheds, dev_node)
		seq_printf(sf, "ctx %u: in_flight %u issued %llu\n", s->ctx_id,
			   READ_ONCE(s->in_flight), (unsigned long long)READ_ONCE(s->jobs_issued));
	spin_unlock(&dd->sd.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dd_debugfs_stats);

void dd_debugfs_init(struct dd_dev *dd)
{
	dd->debugfs = debugfs_create_dir(DD_DRIVER_NAME, NULL);
	debugfs_create_file("stats", 0444, dd->debugfs, dd, &dd_debugfs_stats_fops);
}

void dd_debugfs_exit(struct dd_dev *dd)
{
	debugfs_remove_recursive(dd->debugfs);
	dd->debugfs = NULL;
}
