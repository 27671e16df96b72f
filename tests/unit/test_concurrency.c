// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_concurrency.c - the device model under concurrent use: a daemon
 * thread completing jobs and a watchdog thread failing them while the
 * client thread queues requests and closes contexts with jobs in flight.
 * Run under ASan: any use after free or leak fails the suite; a lock
 * order problem shows as a timeout.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>

#include "tdev.h"

static volatile int tc_stop;
static unsigned long tc_completed, tc_rejected, tc_expired;

static void *tc_daemon(void *arg)
{
	while (!tc_stop) {
		struct dd_job *job = dd_dev_next_job(&tdev.dev);
		struct dd_proto_done done = { 0 };

		if (!job) {
			sched_yield();
			continue;
		}
		done.ctx_id = job->proto.ctx_id;
		done.cookie = job->proto.cookie;
		done.bytesused = job->proto.capture.size / 2;
		/* Read the snapshot as an encoder would. */
		if (job->proto.bitstream.size && !job->proto.bitstream_data)
			tc_rejected += 1000000;
		dd_dev_job_put(&tdev.dev, job);
		sched_yield();
		if (dd_dev_complete_job(&tdev.dev, &done))
			tc_rejected++;
		else
			tc_completed++;
	}
	return NULL;
}

static void *tc_watchdog(void *arg)
{
	unsigned int n = 0;

	while (!tc_stop) {
		if (++n % 7 == 0)
			tc_expired += dd_dev_fail_all_jobs(&tdev.dev);
		else
			tc_expired += dd_dev_expire_jobs(&tdev.dev, dd_time_ns());
		sched_yield();
	}
	return NULL;
}

static void tc_quiet(enum dd_log_level level, const char *line)
{
}

static void tc_setup(void)
{
	tdev_init();
	dd_log_sink = tc_quiet;
}

static void tc_teardown(void)
{
	tdev_fini();
}

TestSuite(concurrency, .init = tc_setup, .fini = tc_teardown, .timeout = 60);

Test(concurrency, close_and_streamoff_race_with_completions)
{
	pthread_t daemon, watchdog;
	unsigned int round, i;

	tdev.dev.max_in_flight = 2;
	dd_dev_set_timeout(&tdev.dev, 200000);	/* 0.2 ms: the watchdog fires */
	cr_assert_eq(pthread_create(&daemon, NULL, tc_daemon, NULL), 0);
	cr_assert_eq(pthread_create(&watchdog, NULL, tc_watchdog, NULL), 0);
	for (round = 0; round < 150; round++) {
		struct dd_ctx *ctx = tdev_open();
		struct v4l2_plane pl[VIDEO_MAX_PLANES];
		struct v4l2_buffer b;
		int fds[4];

		tdev_setup(ctx, 4, 4);
		for (i = 0; i < 4; i++)
			cr_assert_eq(tdev_qbuf_cap(ctx, i), 0);
		for (i = 0; i < 4; i++)
			fds[i] = tdev_submit(ctx, i, i, 0);
		/* Let the daemon work a little, then drain, as a client would. */
		for (i = 0; i < 300 && dd_dev_has_jobs(&tdev.dev); i++)
			sched_yield();
		for (i = 0; i < 2; i++)
			(void)tdev_dqbuf(ctx, TDEV_CAP, &b, pl);
		if (round % 3 == 1)
			cr_assert_eq(tdev_stream(ctx, TDEV_OUT, false), 0);
		if (round % 2)
			tdev_req_close(fds[0]);
		dd_ctx_close(ctx);
		for (i = 0; i < 4; i++)
			tdev_req_close(fds[i]);
	}
	tc_stop = 1;
	pthread_join(daemon, NULL);
	pthread_join(watchdog, NULL);
	cr_log_info("completed %lu rejected %lu failed %lu", tc_completed, tc_rejected,
		    tc_expired);
	cr_assert_lt(tc_rejected, 1000000, "a dispatched job lost its bitstream");
	cr_assert_gt(tc_completed + tc_expired, 0);
	cr_assert_not(dd_dev_has_jobs(&tdev.dev));
	cr_assert(list_empty(&tdev.dev.sd.scheds));
	cr_assert(list_empty(&tdev.dev.sd.running));
}

Test(concurrency, independent_contexts_progress_in_parallel)
{
	pthread_t daemon;
	struct dd_ctx *a = tdev_open(), *b = tdev_open();
	struct v4l2_plane pl[VIDEO_MAX_PLANES];
	struct v4l2_buffer vb;
	unsigned int i, got = 0, spins = 0;

	cr_assert_eq(pthread_create(&daemon, NULL, tc_daemon, NULL), 0);
	tdev_setup(a, 2, 2);
	tdev_setup(b, 8, 8);
	/* a never gets a CAPTURE buffer: stalled for the whole test. */
	tdev_submit(a, 0, 1, 0);
	for (i = 0; i < 8; i++) {
		cr_assert_eq(tdev_qbuf_cap(b, i), 0);
		tdev_submit(b, i, 100 + i, 0);
	}
	while (got < 8 && spins++ < 1000000) {
		if (tdev_dqbuf(b, TDEV_CAP, &vb, pl) == 0) {
			cr_assert_eq(vb.timestamp.tv_usec, 100 + got, "order kept");
			got++;
		} else {
			sched_yield();
		}
	}
	tc_stop = 1;
	pthread_join(daemon, NULL);
	cr_assert_eq(got, 8);
	cr_assert_eq(a->sched.in_flight, 0);
	cr_assert_not(list_empty(&a->sched.src));
	dd_ctx_close(a);
	dd_ctx_close(b);
}
