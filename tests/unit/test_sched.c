// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_sched.c - dd_sched on bare entries (as the kernel module uses it):
 * pairing and order, jobs in flight, context independence, hold-capture,
 * flush, streamoff/close cancellation, and the validation of completions
 * (malformed, replayed, foreign), daemon loss and expiry.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "dd_sched.h"
#include "tlog.h"

#define TS_MAX_EVENTS	64
#define TS_CAP_SIZE	1000

struct ts_ctx {
	dd_mutex_t lock;
	struct dd_sched s;
	struct dd_sched_entry src[8];
	struct dd_sched_entry dst[8];
	int ids[16];
	u8 payload[16];
	u8 bits[32];
	int fail_prepare;
	bool released;
};

struct ts_event {
	char kind;			/* 'F' finish, 'R' dst_release */
	int src;			/* src index or -1 */
	int dst;
	u32 status;
	u32 bytesused;
	bool dst_done;
	bool dst_failed;
};

static struct dd_sched_dev ts_sd;
static struct ts_event ts_ev[TS_MAX_EVENTS];
static unsigned int ts_nev, ts_ready, ts_closed;
static u32 ts_closed_id;

static int ts_idx(struct ts_ctx *c, struct dd_sched_entry *e, bool src)
{
	return (int)(e - (src ? c->src : c->dst));
}

static int ts_prepare(struct dd_sched *s, struct dd_job *job)
{
	struct ts_ctx *c = s->priv;

	if (c->fail_prepare)
		return c->fail_prepare;
	job->proto.capture.size = TS_CAP_SIZE;
	job->proto.num_ctrls = 1;
	job->proto.ctrls[0].id = 0x1234;
	job->proto.ctrls[0].size = sizeof(c->payload);
	job->proto.ctrls[0].data = c->payload;
	job->proto.bitstream.kind = DD_BUF_INLINE;
	job->proto.bitstream.size = sizeof(c->bits);
	job->proto.bitstream_data = c->bits;
	job->proto.timestamp = job->src->timestamp;
	return 0;
}

static void ts_finish(struct dd_sched *s, struct dd_job *job, u32 status, u32 bytesused,
		      bool dst_done)
{
	struct ts_ctx *c = s->priv;
	struct ts_event *e = &ts_ev[ts_nev++ % TS_MAX_EVENTS];

	e->kind = 'F';
	e->src = ts_idx(c, job->src, true);
	e->dst = ts_idx(c, job->dst, false);
	e->status = status;
	e->bytesused = bytesused;
	e->dst_done = dst_done;
	e->dst_failed = job->dst->failed;
}

static void ts_dst_release(struct dd_sched *s, struct dd_sched_entry *dst)
{
	struct ts_ctx *c = s->priv;
	struct ts_event *e = &ts_ev[ts_nev++ % TS_MAX_EVENTS];

	e->kind = 'R';
	e->src = -1;
	e->dst = ts_idx(c, dst, false);
	e->dst_failed = dst->failed;
}

static void ts_release(struct dd_sched *s)
{
	struct ts_ctx *c = s->priv;

	c->released = true;
}

static const struct dd_sched_ops ts_ops = {
	.prepare = ts_prepare,
	.finish = ts_finish,
	.dst_release = ts_dst_release,
	.release = ts_release,
};

static void ts_job_ready(struct dd_sched_dev *sd)
{
	ts_ready++;
}

static void ts_ctx_closed(struct dd_sched_dev *sd, u32 ctx_id)
{
	ts_closed++;
	ts_closed_id = ctx_id;
}

static const struct dd_sched_dev_ops ts_dev_ops = {
	.job_ready = ts_job_ready,
	.ctx_closed = ts_ctx_closed,
};

static void ts_setup(void)
{
	dd_sched_dev_init(&ts_sd, &ts_dev_ops, NULL);
	ts_nev = ts_ready = ts_closed = 0;
}

static void ts_teardown(void)
{
	dd_sched_dev_destroy(&ts_sd);
}

TestSuite(sched, .init = ts_setup, .fini = ts_teardown);

static struct ts_ctx *ts_open(void)
{
	struct ts_ctx *c = calloc(1, sizeof(*c));
	unsigned int i;

	dd_mutex_init(&c->lock);
	dd_sched_init(&c->s, &ts_sd, &ts_ops, c, &c->lock);
	for (i = 0; i < 8; i++) {
		c->src[i].priv = c;
		c->dst[i].priv = c;
		c->src[i].timestamp = 1000 + i;
		INIT_LIST_HEAD(&c->src[i].node);
		INIT_LIST_HEAD(&c->dst[i].node);
	}
	memset(c->payload, 0xab, sizeof(c->payload));
	memset(c->bits, 0x5a, sizeof(c->bits));
	return c;
}

static void ts_close(struct ts_ctx *c)
{
	dd_mutex_lock(&c->lock);
	dd_sched_close(&c->s);
	dd_mutex_unlock(&c->lock);
	dd_sched_put(&c->s);
	cr_assert(c->released);
	dd_mutex_destroy(&c->lock);
	free(c);
}

static void ts_on(struct ts_ctx *c)
{
	dd_mutex_lock(&c->lock);
	dd_sched_streamon(&c->s, true);
	dd_sched_streamon(&c->s, false);
	dd_mutex_unlock(&c->lock);
}

static void ts_src(struct ts_ctx *c, int i)
{
	dd_mutex_lock(&c->lock);
	dd_sched_queue_src(&c->s, &c->src[i]);
	dd_mutex_unlock(&c->lock);
}

static void ts_dst(struct ts_ctx *c, int i)
{
	dd_mutex_lock(&c->lock);
	dd_sched_queue_dst(&c->s, &c->dst[i]);
	dd_mutex_unlock(&c->lock);
}

/* Take the next job; returns its cookie (0 if none) and ctx id. */
static u64 ts_take(u32 *ctx_id)
{
	struct dd_job *job = dd_sched_dev_next_job(&ts_sd);
	u64 cookie;

	if (!job)
		return 0;
	cookie = job->cookie;
	if (ctx_id)
		*ctx_id = job->proto.ctx_id;
	dd_sched_job_put(&ts_sd, job);
	return cookie;
}

static int ts_done(u32 ctx_id, u64 cookie, u32 status, u32 bytesused)
{
	struct dd_proto_done d = {
		.ctx_id = ctx_id, .cookie = cookie, .status = status, .bytesused = bytesused,
	};

	return dd_sched_dev_complete(&ts_sd, &d);
}

Test(sched, nothing_runs_until_both_directions_stream)
{
	struct ts_ctx *c = ts_open();

	ts_src(c, 0);
	ts_dst(c, 0);
	cr_assert_eq(ts_take(NULL), 0);
	dd_mutex_lock(&c->lock);
	dd_sched_streamon(&c->s, true);
	dd_mutex_unlock(&c->lock);
	cr_assert_eq(ts_take(NULL), 0);
	dd_mutex_lock(&c->lock);
	dd_sched_streamon(&c->s, false);
	dd_mutex_unlock(&c->lock);
	cr_assert_eq(ts_ready, 1);
	cr_assert_neq(ts_take(NULL), 0);
	ts_close(c);
}

Test(sched, job_pairs_src_and_dst_and_names_its_context)
{
	struct ts_ctx *c = ts_open();
	struct dd_job *job;

	ts_on(c);
	ts_src(c, 2);
	cr_assert_eq(ts_ready, 0);
	ts_dst(c, 5);
	job = dd_sched_dev_next_job(&ts_sd);
	cr_assert_not_null(job);
	cr_assert_eq(job->src, &c->src[2]);
	cr_assert_eq(job->dst, &c->dst[5]);
	cr_assert_eq(job->proto.ctx_id, c->s.ctx_id);
	cr_assert_eq(job->proto.cookie, job->cookie);
	cr_assert(job->dispatched);
	cr_assert_eq(c->dst[5].timestamp, 1002);
	dd_sched_job_put(&ts_sd, job);
	ts_close(c);
}

Test(sched, jobs_keep_queueing_order)
{
	struct ts_ctx *c = ts_open();
	u64 k;
	int i;

	ts_on(c);
	for (i = 0; i < 4; i++)
		ts_src(c, i);
	for (i = 0; i < 4; i++)
		ts_dst(c, 3 - i);
	for (i = 0; i < 4; i++) {
		k = ts_take(NULL);
		cr_assert_neq(k, 0);
		cr_assert_null(dd_sched_dev_next_job(&ts_sd), "one job in flight at a time");
		cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 10), 0);
		cr_assert_eq(ts_ev[i].src, i);
		cr_assert_eq(ts_ev[i].dst, 3 - i);
		cr_assert(ts_ev[i].dst_done);
	}
	ts_close(c);
}

Test(sched, several_jobs_in_flight_keep_order)
{
	struct ts_ctx *c = ts_open();
	u64 k1, k2, k3;
	int i;

	dd_mutex_lock(&c->lock);
	dd_sched_set_max_in_flight(&c->s, 2);
	dd_mutex_unlock(&c->lock);
	ts_on(c);
	for (i = 0; i < 3; i++) {
		ts_src(c, i);
		ts_dst(c, i);
	}
	cr_assert_eq(c->s.in_flight, 2);
	k1 = ts_take(NULL);
	k2 = ts_take(NULL);
	cr_assert_eq(ts_take(NULL), 0);
	cr_assert_lt(k1, k2);
	cr_assert_eq(ts_done(c->s.ctx_id, k1, DD_STATUS_OK, 1), 0);
	k3 = ts_take(NULL);
	cr_assert_gt(k3, k2);
	cr_assert_eq(ts_done(c->s.ctx_id, k2, DD_STATUS_OK, 1), 0);
	cr_assert_eq(ts_done(c->s.ctx_id, k3, DD_STATUS_OK, 1), 0);
	cr_assert_eq(ts_ev[0].src, 0);
	cr_assert_eq(ts_ev[1].src, 1);
	cr_assert_eq(ts_ev[2].src, 2);
	ts_close(c);
}

Test(sched, cookies_unique_across_contexts_and_ids_distinct)
{
	struct ts_ctx *a = ts_open(), *b = ts_open();
	u64 ka, kb;
	u32 ia, ib;

	cr_assert_neq(a->s.ctx_id, b->s.ctx_id);
	cr_assert_neq(a->s.ctx_id, 0);
	ts_on(a);
	ts_on(b);
	ts_src(a, 0);
	ts_dst(a, 0);
	ts_src(b, 0);
	ts_dst(b, 0);
	ka = ts_take(&ia);
	kb = ts_take(&ib);
	cr_assert_neq(ka, kb);
	cr_assert_eq(ia, a->s.ctx_id);
	cr_assert_eq(ib, b->s.ctx_id);
	ts_close(a);
	ts_close(b);
}

Test(sched, stalled_context_does_not_block_another)
{
	struct ts_ctx *a = ts_open(), *b = ts_open();
	u64 k;
	u32 id;
	int i;

	ts_on(a);
	ts_on(b);
	/* a: a job in flight the daemon never answers, more waiting. */
	ts_src(a, 0);
	ts_src(a, 1);
	ts_dst(a, 0);
	ts_dst(a, 1);
	cr_assert_neq(ts_take(&id), 0);
	cr_assert_eq(id, a->s.ctx_id);
	for (i = 0; i < 3; i++) {
		ts_src(b, i);
		ts_dst(b, i);
		k = ts_take(&id);
		cr_assert_eq(id, b->s.ctx_id);
		cr_assert_eq(ts_done(id, k, DD_STATUS_OK, 5), 0);
	}
	cr_assert_eq(a->s.in_flight, 1);
	ts_close(a);
	ts_close(b);
}

Test(sched, completion_status_out_of_range_rejected_state_untouched)
{
	struct ts_ctx *c = ts_open();
	u64 k;

	tlog_start();
	ts_on(c);
	ts_src(c, 0);
	ts_dst(c, 0);
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k, 3, 0), -EINVAL);
	cr_assert(tlog_has("status 3 out of range"));
	cr_assert_eq(ts_nev, 0);
	cr_assert_eq(c->s.in_flight, 1);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 0), 0);
	ts_close(c);
}

Test(sched, completion_unknown_context_rejected)
{
	struct ts_ctx *c = ts_open();
	u64 k;

	tlog_start();
	ts_on(c);
	ts_src(c, 0);
	ts_dst(c, 0);
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id + 100, k, DD_STATUS_OK, 0), -ENOENT);
	cr_assert(tlog_has("unknown context"));
	cr_assert_eq(ts_nev, 0);
	ts_close(c);
}

Test(sched, completion_unknown_cookie_rejected)
{
	struct ts_ctx *c = ts_open();
	u64 k;

	tlog_start();
	ts_on(c);
	ts_src(c, 0);
	ts_dst(c, 0);
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k + 77, DD_STATUS_OK, 0), -ENOENT);
	cr_assert(tlog_has("unknown or completed cookie"));
	cr_assert_eq(c->s.in_flight, 1);
	ts_close(c);
}

Test(sched, replayed_completion_rejected)
{
	struct ts_ctx *c = ts_open();
	u64 k;

	ts_on(c);
	ts_src(c, 0);
	ts_dst(c, 0);
	ts_src(c, 1);
	ts_dst(c, 1);
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 0), 0);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 0), -ENOENT);
	cr_assert_eq(ts_nev, 1);
	cr_assert_eq(c->s.in_flight, 1, "the next job is untouched");
	ts_close(c);
}

Test(sched, foreign_cookie_rejected)
{
	struct ts_ctx *a = ts_open(), *b = ts_open();
	u64 ka;

	tlog_start();
	ts_on(a);
	ts_on(b);
	ts_src(a, 0);
	ts_dst(a, 0);
	ka = ts_take(NULL);
	cr_assert_eq(ts_done(b->s.ctx_id, ka, DD_STATUS_OK, 0), -EINVAL);
	cr_assert(tlog_has("belongs to context"));
	cr_assert_eq(a->s.in_flight, 1);
	cr_assert_eq(ts_done(a->s.ctx_id, ka, DD_STATUS_OK, 0), 0);
	ts_close(a);
	ts_close(b);
}

Test(sched, bytesused_above_capture_rejected)
{
	struct ts_ctx *c = ts_open();
	u64 k;

	tlog_start();
	ts_on(c);
	ts_src(c, 0);
	ts_dst(c, 0);
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, TS_CAP_SIZE + 1), -EINVAL);
	cr_assert(tlog_has("bytesused 1001 above capture size 1000"));
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, TS_CAP_SIZE), 0);
	cr_assert_eq(ts_ev[0].bytesused, TS_CAP_SIZE);
	ts_close(c);
}

Test(sched, completion_of_undispatched_job_rejected)
{
	struct ts_ctx *c = ts_open();
	struct dd_job *job;

	tlog_start();
	ts_on(c);
	ts_src(c, 0);
	ts_dst(c, 0);
	job = list_first_entry(&ts_sd.ready, struct dd_job, dev_node);
	cr_assert_eq(ts_done(c->s.ctx_id, job->cookie, DD_STATUS_OK, 0), -EINVAL);
	cr_assert(tlog_has("never dispatched"));
	cr_assert(dd_sched_dev_has_ready(&ts_sd));
	ts_close(c);
}

Test(sched, error_status_marks_dst_failed)
{
	struct ts_ctx *c = ts_open();
	u64 k;

	ts_on(c);
	ts_src(c, 0);
	ts_dst(c, 0);
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_UNSUPPORTED, 0), 0);
	cr_assert_eq(ts_ev[0].status, DD_STATUS_UNSUPPORTED);
	cr_assert(ts_ev[0].dst_failed);
	cr_assert_not(c->dst[0].failed, "reset once returned");
	ts_close(c);
}

Test(sched, held_capture_shared_by_slices_of_one_frame)
{
	struct ts_ctx *c = ts_open();
	u64 k;

	ts_on(c);
	c->src[0].timestamp = c->src[1].timestamp = 50;
	c->src[0].hold = true;
	c->src[2].timestamp = 60;
	ts_src(c, 0);
	ts_src(c, 1);
	ts_src(c, 2);
	ts_dst(c, 0);
	ts_dst(c, 1);
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 1), 0);
	cr_assert_not(ts_ev[0].dst_done, "held for the next slice");
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 2), 0);
	cr_assert_eq(ts_ev[1].dst, 0);
	cr_assert(ts_ev[1].dst_done);
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 3), 0);
	cr_assert_eq(ts_ev[2].dst, 1);
	ts_close(c);
}

Test(sched, held_capture_released_when_timestamp_changes)
{
	struct ts_ctx *c = ts_open();
	u64 k;

	ts_on(c);
	c->src[0].hold = true;
	ts_src(c, 0);
	ts_dst(c, 0);
	ts_dst(c, 1);
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_ERROR, 0), 0);
	cr_assert_not(ts_ev[0].dst_done);
	ts_src(c, 1);
	cr_assert_eq(ts_ev[1].kind, 'R');
	cr_assert_eq(ts_ev[1].dst, 0);
	cr_assert(ts_ev[1].dst_failed, "a failed slice fails the picture");
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 1), 0);
	cr_assert_eq(ts_ev[2].dst, 1);
	ts_close(c);
}

Test(sched, held_capture_in_use_released_after_its_last_job)
{
	struct ts_ctx *c = ts_open();
	u64 k1, k2;

	dd_mutex_lock(&c->lock);
	dd_sched_set_max_in_flight(&c->s, 2);
	dd_mutex_unlock(&c->lock);
	ts_on(c);
	c->src[0].hold = true;
	ts_dst(c, 0);
	ts_dst(c, 1);
	ts_src(c, 0);
	ts_src(c, 1);		/* another frame while slice 0 is in flight */
	k1 = ts_take(NULL);
	k2 = ts_take(NULL);
	cr_assert_neq(k2, 0);
	cr_assert_eq(ts_nev, 0, "the held buffer is still being written");
	cr_assert_eq(ts_done(c->s.ctx_id, k1, DD_STATUS_OK, 1), 0);
	cr_assert(ts_ev[0].dst_done);
	cr_assert_eq(ts_ev[0].dst, 0);
	cr_assert_eq(ts_done(c->s.ctx_id, k2, DD_STATUS_OK, 1), 0);
	cr_assert_eq(ts_ev[1].dst, 1);
	ts_close(c);
}

Test(sched, flush_without_pending_slice_releases_held)
{
	struct ts_ctx *c = ts_open();
	u64 k;

	ts_on(c);
	c->src[0].hold = true;
	ts_src(c, 0);
	ts_dst(c, 0);
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 1), 0);
	dd_mutex_lock(&c->lock);
	dd_sched_flush(&c->s);
	dd_mutex_unlock(&c->lock);
	cr_assert_eq(ts_ev[1].kind, 'R');
	cr_assert_null(c->s.held);
	ts_close(c);
}

Test(sched, flush_clears_hold_of_last_pending_slice)
{
	struct ts_ctx *c = ts_open();
	u64 k;

	ts_on(c);
	c->src[0].hold = true;
	c->src[1].hold = true;
	c->src[1].timestamp = c->src[0].timestamp;
	ts_src(c, 0);
	ts_src(c, 1);
	dd_mutex_lock(&c->lock);
	dd_sched_flush(&c->s);
	dd_mutex_unlock(&c->lock);
	cr_assert(c->src[0].hold);
	cr_assert_not(c->src[1].hold);
	ts_dst(c, 0);
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 1), 0);
	k = ts_take(NULL);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 1), 0);
	cr_assert(ts_ev[1].dst_done);
	ts_close(c);
}

/*
 * V4L2_DEC_CMD_FLUSH while the job of a holding OUTPUT buffer still runs and
 * nothing else is queued: v4l2-mem2mem clears the HOLD flag of that buffer
 * (it stays on its ready queue until the job finishes), so the picture is
 * returned when the job completes.  Ours must do the same.
 */
Test(sched, flush_while_holding_job_runs_releases_at_its_completion)
{
	struct ts_ctx *c = ts_open();
	u64 k;

	ts_on(c);
	c->src[0].hold = true;
	ts_src(c, 0);
	ts_dst(c, 0);
	k = ts_take(NULL);
	dd_mutex_lock(&c->lock);
	dd_sched_flush(&c->s);
	dd_mutex_unlock(&c->lock);
	cr_assert_eq(ts_nev, 0, "the buffer is still being written");
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 1), 0);
	cr_assert_eq(ts_nev, 1);
	cr_assert_eq(ts_ev[0].kind, 'F');
	cr_assert(ts_ev[0].dst_done, "returned with its job, not held");
	cr_assert_null(c->s.held);
	ts_close(c);
}

/*
 * GStreamer 1.22 v4l2slh264dec on field pictures (PAFF), as traced in the
 * guest: the first field's request carries OUTPUT (HOLD, timestamp T) and a
 * new CAPTURE buffer; the second field's request carries only OUTPUT (no
 * HOLD, timestamp T), no CAPTURE buffer.  With one job in flight, the first
 * field's OUTPUT completes (its request signals) while the picture stays;
 * the second field completes it; the next pair takes the next buffer.
 */
Test(sched, field_pairs_share_one_picture_as_gstreamer_queues_them)
{
	struct ts_ctx *c = ts_open();
	unsigned int pair;
	u64 k;

	ts_on(c);
	for (pair = 0; pair < 3; pair++) {
		struct dd_sched_entry *first = &c->src[2 * pair], *second = &c->src[2 * pair + 1];
		unsigned int n0 = ts_nev;

		first->timestamp = second->timestamp = 2000 + 2 * pair;
		first->hold = true;
		second->hold = false;
		ts_src(c, 2 * pair);
		ts_dst(c, pair);
		ts_src(c, 2 * pair + 1);
		k = ts_take(NULL);
		cr_assert_neq(k, 0);
		cr_assert_eq(ts_take(NULL), 0, "one job in flight");
		cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 0), 0);
		cr_assert_eq(ts_ev[n0].kind, 'F');
		cr_assert_eq(ts_ev[n0].src, (int)(2 * pair));
		cr_assert_not(ts_ev[n0].dst_done, "first field: the picture is held");
		k = ts_take(NULL);
		cr_assert_neq(k, 0, "the second field runs on the held picture");
		cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, TS_CAP_SIZE), 0);
		cr_assert_eq(ts_ev[n0 + 1].src, (int)(2 * pair + 1));
		cr_assert_eq(ts_ev[n0 + 1].dst, (int)pair);
		cr_assert(ts_ev[n0 + 1].dst_done, "second field returns the picture");
		cr_assert_eq(ts_nev, n0 + 2, "no release event besides the jobs");
		cr_assert_null(c->s.held);
	}
	ts_close(c);
}

Test(sched, streamoff_cancels_jobs_and_late_done_is_rejected)
{
	struct ts_ctx *c = ts_open();
	u64 k;

	ts_on(c);
	ts_src(c, 0);
	ts_src(c, 1);
	ts_dst(c, 0);
	k = ts_take(NULL);
	dd_mutex_lock(&c->lock);
	dd_sched_streamoff(&c->s, true);
	dd_mutex_unlock(&c->lock);
	cr_assert_eq(ts_nev, 1);
	cr_assert_eq(ts_ev[0].status, DD_STATUS_ERROR);
	cr_assert(list_empty(&c->s.src));
	cr_assert_not(c->src[1].queued);
	cr_assert_eq(ts_done(c->s.ctx_id, k, DD_STATUS_OK, 0), -ENOENT);
	ts_close(c);
}

Test(sched, remove_takes_an_entry_off_its_list)
{
	struct ts_ctx *c = ts_open();

	ts_src(c, 0);
	ts_dst(c, 0);
	dd_mutex_lock(&c->lock);
	dd_sched_remove(&c->s, &c->src[0]);
	dd_sched_remove(&c->s, &c->src[0]);
	dd_mutex_unlock(&c->lock);
	ts_on(c);
	cr_assert_eq(ts_take(NULL), 0);
	ts_close(c);
}

Test(sched, close_cancels_notifies_and_rejects_late_done)
{
	struct ts_ctx *c = ts_open();
	u32 id = c->s.ctx_id;
	struct dd_job *job;

	tlog_start();
	ts_on(c);
	ts_src(c, 0);
	ts_dst(c, 0);
	job = dd_sched_dev_next_job(&ts_sd);
	dd_mutex_lock(&c->lock);
	dd_sched_close(&c->s);
	dd_sched_close(&c->s);
	dd_mutex_unlock(&c->lock);
	cr_assert_eq(ts_closed, 1);
	cr_assert_eq(ts_closed_id, id);
	cr_assert_eq(ts_ev[0].status, DD_STATUS_ERROR);
	/* The pinned job's snapshot is still readable. */
	cr_assert_eq(((const u8 *)job->proto.bitstream_data)[3], 0x5a);
	cr_assert_eq(ts_done(id, job->cookie, DD_STATUS_OK, 0), -ENOENT);
	dd_sched_job_put(&ts_sd, job);
	dd_sched_put(&c->s);
	cr_assert(c->released);
	dd_mutex_destroy(&c->lock);
	free(c);
}

Test(sched, reference_keeps_closed_context_until_put)
{
	struct ts_ctx *c = ts_open();

	dd_sched_get(&c->s);
	dd_mutex_lock(&c->lock);
	dd_sched_close(&c->s);
	dd_mutex_unlock(&c->lock);
	dd_sched_put(&c->s);
	cr_assert_not(c->released);
	ts_close(c);
}

Test(sched, snapshot_copies_payloads)
{
	struct ts_ctx *c = ts_open();
	struct dd_job *job;

	ts_on(c);
	ts_src(c, 0);
	ts_dst(c, 0);
	memset(c->payload, 0, sizeof(c->payload));
	memset(c->bits, 0, sizeof(c->bits));
	job = dd_sched_dev_next_job(&ts_sd);
	cr_assert_neq(job->proto.ctrls[0].data, (const void *)c->payload);
	cr_assert_eq(((const u8 *)job->proto.ctrls[0].data)[15], 0xab);
	cr_assert_eq(((const u8 *)job->proto.bitstream_data)[31], 0x5a);
	dd_sched_job_put(&ts_sd, job);
	ts_close(c);
}

Test(sched, failed_prepare_finishes_job_with_error)
{
	struct ts_ctx *c = ts_open();

	tlog_start();
	c->fail_prepare = -ENOMEM;
	ts_on(c);
	ts_src(c, 0);
	ts_dst(c, 0);
	cr_assert_eq(ts_nev, 1);
	cr_assert_eq(ts_ev[0].status, DD_STATUS_ERROR);
	cr_assert(ts_ev[0].dst_done);
	cr_assert_eq(c->s.in_flight, 0);
	cr_assert_not(dd_sched_dev_has_ready(&ts_sd));
	cr_assert(tlog_has("cannot prepare"));
	ts_close(c);
}

Test(sched, fail_all_fails_ready_and_running)
{
	struct ts_ctx *a = ts_open(), *b = ts_open();

	ts_on(a);
	ts_on(b);
	ts_src(a, 0);
	ts_dst(a, 0);
	ts_src(b, 0);
	ts_dst(b, 0);
	cr_assert_neq(ts_take(NULL), 0);	/* a: running; b: ready */
	cr_assert_eq(dd_sched_dev_fail_all(&ts_sd), 2);
	cr_assert_eq(ts_nev, 2);
	cr_assert_eq(ts_ev[0].status, DD_STATUS_ERROR);
	cr_assert_eq(ts_ev[1].status, DD_STATUS_ERROR);
	cr_assert_eq(a->s.in_flight + b->s.in_flight, 0);
	cr_assert_eq(dd_sched_dev_fail_all(&ts_sd), 0);
	ts_close(a);
	ts_close(b);
}

Test(sched, expire_fails_only_old_jobs)
{
	struct ts_ctx *c = ts_open();
	struct dd_job *job;
	u64 t0;

	dd_sched_dev_set_timeout(&ts_sd, 100);
	dd_mutex_lock(&c->lock);
	dd_sched_set_max_in_flight(&c->s, 2);
	dd_mutex_unlock(&c->lock);
	ts_on(c);
	ts_src(c, 0);
	ts_dst(c, 0);
	job = dd_sched_dev_next_job(&ts_sd);
	t0 = job->start_ns;
	dd_sched_job_put(&ts_sd, job);
	cr_assert_eq(dd_sched_dev_expire(&ts_sd, t0 + 100), 0);
	cr_assert_eq(dd_sched_dev_expire(&ts_sd, t0 + 101), 1);
	cr_assert_eq(ts_ev[0].status, DD_STATUS_ERROR);
	cr_assert_eq(dd_sched_dev_expire(&ts_sd, t0 + 1000000), 0);
	ts_close(c);
}

Test(sched, max_in_flight_zero_means_one)
{
	struct ts_ctx *c = ts_open();

	dd_mutex_lock(&c->lock);
	dd_sched_set_max_in_flight(&c->s, 0);
	dd_mutex_unlock(&c->lock);
	cr_assert_eq(c->s.max_in_flight, 1);
	ts_close(c);
}
