// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_dev_stats.c - the live-object counts a front end reports
 * (dd_dev_get_stats): contexts and requests are counted until freed, jobs
 * while ready or at the daemon, and a client that goes away with requests
 * in flight brings every count back to zero, whatever the daemon does
 * later (a late DONE of a job of the closed context is refused).
 */
#include <criterion/criterion.h>

#include "tdev.h"
#include "tlog.h"

static void tds_setup(void)
{
	tdev_init();
	tdev.dev.max_in_flight = 4;
}

static void tds_teardown(void)
{
	tdev_fini();
}

TestSuite(dev_stats, .init = tds_setup, .fini = tds_teardown);

static struct dd_dev_stats tds_get(void)
{
	struct dd_dev_stats st;

	dd_dev_get_stats(&tdev.dev, &st);
	return st;
}

Test(dev_stats, idle_device_is_zero)
{
	struct dd_dev_stats st = tds_get();

	cr_assert_eq(st.contexts, 0);
	cr_assert_eq(st.requests, 0);
	cr_assert_eq(st.ready, 0);
	cr_assert_eq(st.running, 0);
}

Test(dev_stats, open_close_counts)
{
	struct dd_ctx *a = tdev_open(), *b = tdev_open();
	int fd = tdev_req_alloc();

	cr_assert_eq(tds_get().contexts, 2);
	cr_assert_eq(tds_get().requests, 1);
	dd_ctx_close(a);
	cr_assert_eq(tds_get().contexts, 1);
	tdev_req_close(fd);
	cr_assert_eq(tds_get().requests, 0);
	dd_ctx_close(b);
	cr_assert_eq(tds_get().contexts, 0);
}

/*
 * Four requests in flight (two at the daemon, two ready), then the client
 * dies: its fds close in any order.  Nothing may stay allocated, and the
 * daemon's late answer for a job it held must not resurrect anything.
 */
Test(dev_stats, client_killed_with_requests_in_flight)
{
	struct dd_ctx *ctx = tdev_open();
	struct dd_proto_done late = { .status = DD_STATUS_OK };
	struct dd_dev_stats st;
	struct dd_job *job;
	int fds[4], i;

	tdev_setup(ctx, 4, 4);
	for (i = 0; i < 4; i++)
		cr_assert_eq(tdev_qbuf_cap(ctx, i), 0);
	for (i = 0; i < 4; i++)
		fds[i] = tdev_submit(ctx, i, 1000 + i, 0);
	for (i = 0; i < 2; i++) {
		job = dd_dev_next_job(&tdev.dev);
		cr_assert_not_null(job);
		late.ctx_id = job->proto.ctx_id;
		late.cookie = job->proto.cookie;
		dd_dev_job_put(&tdev.dev, job);
	}
	st = tds_get();
	cr_assert_eq(st.contexts, 1);
	cr_assert_eq(st.requests, 4);
	cr_assert_eq(st.running, 2);
	cr_assert_eq(st.ready, 2);

	/* Process exit: request fds first, then the video fd. */
	tdev_req_close(fds[1]);
	tdev_req_close(fds[3]);
	dd_ctx_close(ctx);
	tdev_req_close(fds[0]);
	tdev_req_close(fds[2]);
	st = tds_get();
	cr_assert_eq(st.contexts, 0, "%u contexts left", st.contexts);
	cr_assert_eq(st.requests, 0, "%u requests left", st.requests);
	cr_assert_eq(st.ready + st.running, 0, "%u jobs left", st.ready + st.running);
	cr_assert_eq(tdev.allocs, tdev.releases, "%u buffers allocated, %u released",
		     tdev.allocs, tdev.releases);

	tlog_start();
	cr_assert_neq(dd_dev_complete_job(&tdev.dev, &late), 0);
	cr_assert(tlog_has("unknown context"));
	cr_assert_eq(tds_get().contexts, 0);
}
