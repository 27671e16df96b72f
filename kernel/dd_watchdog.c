// SPDX-License-Identifier: GPL-2.0-only
/*
 * dd_watchdog.c - fails decode jobs the daemon has not answered within the
 * timeout_ms module parameter: their buffers come back with the ERROR flag
 * and their requests complete, so a stuck daemon never hangs a client.
 * One delayed work per device, armed while jobs are out.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/workqueue.h>

#include "dd_drv.h"

static unsigned int dd_wdog_timeout_ms(void)
{
	return max(READ_ONCE(dd_param_timeout_ms), 1U);
}

/* Check four times per timeout, so a job fails at most 25% late. */
static unsigned long dd_wdog_period(void)
{
	return max(msecs_to_jiffies(dd_wdog_timeout_ms() / 4), 1UL);
}

static bool dd_wdog_jobs_out(struct dd_dev *dd)
{
	bool ret;

	spin_lock(&dd->sd.lock);
	ret = !list_empty(&dd->sd.running) || !list_empty(&dd->sd.ready);
	spin_unlock(&dd->sd.lock);
	return ret;
}

static void dd_wdog_work(struct work_struct *work)
{
	struct dd_dev *dd = container_of(to_delayed_work(work), struct dd_dev, wdog);
	unsigned int ms = dd_wdog_timeout_ms(), n;

	dd_sched_dev_set_timeout(&dd->sd, (u64)ms * NSEC_PER_MSEC);
	n = dd_sched_dev_expire(&dd->sd, ktime_get_ns());
	if (n) {
		atomic64_add(n, &dd->stats.timeouts);
		dev_warn_ratelimited(&dd->pdev->dev,
				     "%u decode job(s) not answered by the daemon in %u ms: failed\n",
				     n, ms);
	}
	if (dd_wdog_jobs_out(dd))
		schedule_delayed_work(&dd->wdog, dd_wdog_period());
}

void dd_wdog_init(struct dd_dev *dd)
{
	INIT_DELAYED_WORK(&dd->wdog, dd_wdog_work);
	dd_sched_dev_set_timeout(&dd->sd, (u64)dd_wdog_timeout_ms() * NSEC_PER_MSEC);
}

/* Jobs are out: make sure a check is coming (no-op if one is pending). */
void dd_wdog_arm(struct dd_dev *dd)
{
	schedule_delayed_work(&dd->wdog, dd_wdog_period());
}

void dd_wdog_stop(struct dd_dev *dd)
{
	cancel_delayed_work_sync(&dd->wdog);
}
