// SPDX-License-Identifier: GPL-2.0
/*
 * dd_frame_dec.c - the frame-based request/CAPTURE loop shared by the
 * VP8, VP9, MPEG-2 and HEVC clients of daedalus-decode (dd_frame_dec.h).
 *
 * Every picture gets a unique timestamp (picture number * 1000 ns, as
 * GStreamer does) which is both the OUTPUT buffer's timestamp and the name
 * later pictures use to reference it.  Up to o->inflight requests are
 * outstanding.  An output the codec names is written once its picture is
 * decoded, in order, without waiting while requests can still be queued
 * (a picture shown as soon as it is submitted would otherwise empty the
 * pipeline); at the end and before a new sequence every output is
 * written.  A CAPTURE buffer goes back to the driver when its picture is
 * decoded, written (or hidden) and released by the codec's reference
 * model.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dd_frame_dec.h"

static int flush_outputs(struct dd_fdec *d, bool wait);

static struct dd_fdec_pic *pic_by_ts(struct dd_fdec *d, uint64_t ts)
{
	for (unsigned int i = 0; i < DD_FDEC_MAX_PICS; i++)
		if (d->pics[i].live && d->pics[i].ts == ts)
			return &d->pics[i];
	return NULL;
}

/* Requeue the CAPTURE buffer of a picture nobody needs any more. */
static int maybe_recycle(struct dd_fdec *d, struct dd_fdec_pic *p)
{
	int ret = 0;

	if (!p->decoded || !p->shown || !p->released || p->out_pending)
		return 0;
	if (p->cap_index >= 0)
		ret = dd_v4l2_queue_capture(&d->dev, p->cap_index);
	p->live = false;
	return ret;
}

/* Collect every CAPTURE buffer the driver finished. */
static int drain_capture(struct dd_fdec *d)
{
	struct dd_dqbuf b;
	int ret;

	while (!(ret = dd_v4l2_dequeue(&d->dev, true, &b))) {
		struct dd_fdec_pic *p = pic_by_ts(d, b.ts_ns);

		if (!p || p->decoded) {
			fprintf(stderr, "daedalus-decode: CAPTURE buffer %u with unknown "
				"timestamp %llu ns\n", b.index, (unsigned long long)b.ts_ns);
			return -EPROTO;
		}
		p->cap_index = b.index;
		p->decoded = true;
		if (b.flags & V4L2_BUF_FLAG_ERROR) {
			fprintf(stderr, "daedalus-decode: %s: picture %u: CAPTURE buffer "
				"returned with V4L2_BUF_FLAG_ERROR (decoding failed)\n",
				d->o->path, p->number);
			return -EIO;
		}
		ret = maybe_recycle(d, p);
		if (ret)
			return ret;
	}
	return ret == -EAGAIN ? 0 : ret;
}

static struct dd_fdec_slot *oldest_busy(struct dd_fdec *d)
{
	struct dd_fdec_slot *best = NULL;

	for (unsigned int i = 0; i < d->inflight; i++)
		if (d->slots[i].busy && (!best || d->slots[i].seq < best->seq))
			best = &d->slots[i];
	return best;
}

/* Wait for the oldest request, take its OUTPUT buffer back. */
static int complete_oldest(struct dd_fdec *d)
{
	struct dd_fdec_slot *s = oldest_busy(d);
	struct dd_dqbuf b;
	int ret, tries;

	if (!s)
		return 0;
	ret = dd_request_wait(s->fd, DD_TOOL_TIMEOUT_MS);
	if (ret <= 0) {
		fprintf(stderr, "daedalus-decode: %s: picture %u: request %s\n", d->o->path,
			s->number, ret ? strerror(-ret) : "did not complete within 10 s");
		return ret ? ret : -ETIMEDOUT;
	}
	for (tries = 0; tries < 1000; tries++) {
		ret = dd_v4l2_dequeue(&d->dev, false, &b);
		if (ret != -EAGAIN)
			break;
		usleep(1000);
	}
	if (ret)
		return ret == -EAGAIN ? -ETIMEDOUT : ret;
	if (b.flags & V4L2_BUF_FLAG_ERROR) {
		fprintf(stderr, "daedalus-decode: %s: picture %u: OUTPUT buffer returned with "
			"V4L2_BUF_FLAG_ERROR (driver rejected the bitstream or controls)\n",
			d->o->path, s->number);
		return -EIO;
	}
	ret = dd_request_reinit(s->fd);
	if (ret)
		return ret;
	s->busy = false;
	return drain_capture(d);
}

static int wait_decoded(struct dd_fdec *d, struct dd_fdec_pic *p)
{
	int ret;

	while (!p->decoded) {
		if (oldest_busy(d)) {
			ret = complete_oldest(d);
			if (ret)
				return ret;
			continue;
		}
		ret = drain_capture(d);
		if (ret || p->decoded)
			return ret;
		ret = dd_v4l2_wait_capture(&d->dev, DD_TOOL_TIMEOUT_MS);
		if (ret < 0)
			return ret;
		if (!ret) {
			fprintf(stderr, "daedalus-decode: %s: picture %u never came back on "
				"CAPTURE\n", d->o->path, p->number);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

int dd_fdec_open(struct dd_fdec *d, const struct dd_tool_opts *o, uint32_t out_fourcc)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->o = o;
	d->inflight = o->inflight;
	for (unsigned int i = 0; i < DD_TOOL_MAX_INFLIGHT; i++)
		d->slots[i].fd = -1;
	ret = dd_v4l2_open_codec(&d->dev, out_fourcc, o->video, o->media, o->mem, o->verbose);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < d->inflight; i++) {
		d->slots[i].fd = dd_request_alloc(&d->dev);
		if (d->slots[i].fd < 0)
			return d->slots[i].fd;
	}
	return 0;
}

int dd_fdec_configure(struct dd_fdec *d, unsigned int coded_w, unsigned int coded_h,
		      unsigned int max_refs)
{
	return dd_fdec_configure_seq(d, coded_w, coded_h, max_refs, 8, NULL, 0);
}

int dd_fdec_configure_seq(struct dd_fdec *d, unsigned int coded_w, unsigned int coded_h,
			  unsigned int max_refs, unsigned int depth,
			  struct v4l2_ext_control *ctl, unsigned int n)
{
	unsigned int n_cap;
	int ret;

	if (d->configured) {
		ret = dd_fdec_drain(d);
		if (ret)
			return ret;
		for (unsigned int i = 0; i < DD_FDEC_MAX_PICS; i++) {
			if (d->pics[i].live && !d->pics[i].shown) {
				fprintf(stderr, "daedalus-decode: %s: picture %u was never output "
					"before the new sequence\n", d->o->path,
					d->pics[i].number);
				return -EPROTO;
			}
		}
		ret = dd_v4l2_stream(&d->dev, false);
		if (ret)
			return ret;
		dd_v4l2_free_buffers(&d->dev);
		memset(d->pics, 0, sizeof(d->pics));
	}
	ret = dd_v4l2_set_output_format(&d->dev, coded_w, coded_h);
	if (ret)
		return ret;
	if (n) {
		ret = dd_v4l2_set_ctrls(&d->dev, -1, ctl, n);
		if (ret)
			return ret;
	}
	d->dev.depth = depth;
	/* references + the picture being decoded + in flight + one for output */
	n_cap = max_refs + 1 + d->inflight + 1;
	if (n_cap > DD_MAX_CAP_BUFS)
		n_cap = DD_MAX_CAP_BUFS;
	ret = dd_v4l2_setup_buffers(&d->dev, d->inflight, n_cap);
	if (ret)
		return ret;
	if (d->dev.n_cap < max_refs + 2) {
		fprintf(stderr, "daedalus-decode: only %u CAPTURE buffers, %u needed\n",
			d->dev.n_cap, max_refs + 2);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < d->dev.n_cap; i++) {
		ret = dd_v4l2_queue_capture(&d->dev, i);
		if (ret)
			return ret;
	}
	ret = dd_v4l2_stream(&d->dev, true);
	if (ret)
		return ret;
	d->coded_w = coded_w;
	d->coded_h = coded_h;
	d->configured = true;
	return 0;
}

uint64_t dd_fdec_next_ts(const struct dd_fdec *d)
{
	return d->next_ts * 1000;
}

static struct dd_fdec_slot *free_slot(struct dd_fdec *d, int *err)
{
	for (;;) {
		for (unsigned int i = 0; i < d->inflight; i++)
			if (!d->slots[i].busy)
				return &d->slots[i];
		*err = complete_oldest(d);
		if (*err)
			return NULL;
	}
}

static struct dd_fdec_pic *new_pic(struct dd_fdec *d)
{
	for (unsigned int i = 0; i < DD_FDEC_MAX_PICS; i++) {
		if (!d->pics[i].live) {
			memset(&d->pics[i], 0, sizeof(d->pics[i]));
			d->pics[i].live = true;
			d->pics[i].cap_index = -1;
			return &d->pics[i];
		}
	}
	return NULL;
}

/*
 * Queue a picture, or the first field of a pair (hold: the driver keeps its
 * CAPTURE buffer for the second field), or with `second` the second field
 * of the pair whose first field is the last picture queued.
 */
static int submit(struct dd_fdec *d, struct v4l2_ext_control *ctl, unsigned int n,
		  const void *bits, size_t len, bool hold, bool second, uint64_t *ts)
{
	struct dd_fdec_slot *s;
	struct dd_fdec_pic *p;
	unsigned int index;
	int ret = 0;

	if (!d->configured) {
		fprintf(stderr, "daedalus-decode: %s: picture before any sequence header\n",
			d->o->path);
		return -EPROTO;
	}
	if ((hold || second) && !d->dev.hold_capture) {
		fprintf(stderr, "daedalus-decode: %s: field pictures need "
			"V4L2_BUF_CAP_SUPPORTS_M2M_HOLD_CAPTURE_BUF\n", d->o->path);
		return -EOPNOTSUPP;
	}
	if (second) {
		p = d->next_ts ? pic_by_ts(d, (d->next_ts - 1) * 1000) : NULL;
		if (!p || p->decoded) {
			fprintf(stderr, "daedalus-decode: %s: second field without a first\n",
				d->o->path);
			return -EPROTO;
		}
		s = free_slot(d, &ret);
		if (!s)
			return ret ? ret : -EIO;
		index = s - d->slots;
		if (len > d->dev.out[index].length[0])
			return -E2BIG;
		memcpy(d->dev.out[index].start[0], bits, len);
		ret = dd_v4l2_set_ctrls(&d->dev, s->fd, ctl, n);
		if (!ret)
			ret = dd_v4l2_queue_output(&d->dev, index, len, p->ts, s->fd, false);
		if (!ret)
			ret = dd_request_queue(s->fd);
		if (ret)
			return ret;
		s->busy = true;
		s->seq = d->seq++;
		s->number = p->number;
		if (ts)
			*ts = p->ts;
		return 0;
	}
	p = new_pic(d);
	if (!p) {
		fprintf(stderr, "daedalus-decode: %s: more than %u pictures held (the codec "
			"never releases its references?)\n", d->o->path, DD_FDEC_MAX_PICS);
		return -ENOSPC;
	}
	s = free_slot(d, &ret);
	if (!s) {
		p->live = false;
		return ret ? ret : -EIO;
	}
	index = s - d->slots;
	if (len > d->dev.out[index].length[0]) {
		fprintf(stderr, "daedalus-decode: %s: picture %u is %zu bytes, OUTPUT buffers "
			"hold %zu\n", d->o->path, d->pictures, len, d->dev.out[index].length[0]);
		p->live = false;
		return -E2BIG;
	}
	p->ts = dd_fdec_next_ts(d);
	p->number = d->pictures;
	memcpy(d->dev.out[index].start[0], bits, len);
	ret = dd_v4l2_set_ctrls(&d->dev, s->fd, ctl, n);
	if (!ret)
		ret = dd_v4l2_queue_output(&d->dev, index, len, p->ts, s->fd, hold);
	if (!ret)
		ret = dd_request_queue(s->fd);
	if (ret) {
		p->live = false;
		return ret;
	}
	s->busy = true;
	s->seq = d->seq++;
	s->number = d->pictures++;
	d->next_ts++;
	if (ts)
		*ts = p->ts;
	if (d->o->verbose > 1)
		fprintf(stderr, "daedalus-decode: picture %u queued (ts %llu, %zu bytes)\n",
			p->number, (unsigned long long)p->ts, len);
	return 0;
}

int dd_fdec_submit(struct dd_fdec *d, struct v4l2_ext_control *ctl, unsigned int n,
		   const void *bits, size_t len, uint64_t *ts)
{
	int ret = submit(d, ctl, n, bits, len, false, false, ts);

	return ret ? ret : flush_outputs(d, false);
}

int dd_fdec_submit_field(struct dd_fdec *d, struct v4l2_ext_control *ctl, unsigned int n,
			 const void *bits, size_t len, bool second, uint64_t *ts)
{
	int ret = submit(d, ctl, n, bits, len, !second, second, ts);

	return ret ? ret : flush_outputs(d, false);
}

static struct dd_fdec_pic *known_pic(struct dd_fdec *d, uint64_t ts, const char *what)
{
	struct dd_fdec_pic *p = pic_by_ts(d, ts);

	if (!p)
		fprintf(stderr, "daedalus-decode: %s: %s of unknown picture (ts %llu)\n",
			d->o->path, what, (unsigned long long)ts);
	return p;
}

/* Write the output at the head of the queue (its picture is decoded). */
static int write_output(struct dd_fdec *d, struct dd_fdec_pic *p)
{
	int ret = dd_v4l2_out_capture(&d->dev, p->cap_index, d->o->out, &p->info, p->x, p->y);

	if (ret && ret != -ERANGE)
		fprintf(stderr, "daedalus-decode: writing picture %u: %s\n", p->number,
			strerror(-ret));
	return ret;
}

/* Write the named outputs whose pictures are decoded; with `wait`, all. */
static int flush_outputs(struct dd_fdec *d, bool wait)
{
	int ret;

	while (d->outq_len) {
		struct dd_fdec_pic *p = d->outq[d->outq_head];

		if (!p->decoded) {
			if (!wait)
				break;
			ret = wait_decoded(d, p);
			if (ret)
				return ret;
		}
		ret = write_output(d, p);
		if (ret)
			return ret;
		d->outq_head = (d->outq_head + 1) % DD_FDEC_MAX_PICS;
		d->outq_len--;
		p->out_pending--;
		ret = maybe_recycle(d, p);
		if (ret)
			return ret;
	}
	return 0;
}

int dd_fdec_output(struct dd_fdec *d, uint64_t ts, const struct dd_out_info *info,
		   unsigned int x, unsigned int y)
{
	struct dd_fdec_pic *p = known_pic(d, ts, "output");

	if (!p)
		return -EPROTO;
	if (d->outq_len == DD_FDEC_MAX_PICS) {
		int ret = flush_outputs(d, true);

		if (ret)
			return ret;
	}
	/* A picture shown twice (VP9 show_existing_frame) has one info. */
	if (p->out_pending) {
		int ret = flush_outputs(d, true);

		if (ret)
			return ret;
	}
	p->info = *info;
	p->x = x;
	p->y = y;
	p->shown = true;
	p->out_pending++;
	d->outq[(d->outq_head + d->outq_len++) % DD_FDEC_MAX_PICS] = p;
	return flush_outputs(d, false);
}

int dd_fdec_hide(struct dd_fdec *d, uint64_t ts)
{
	struct dd_fdec_pic *p = known_pic(d, ts, "hide");

	if (!p)
		return -EPROTO;
	p->shown = true;
	return maybe_recycle(d, p);
}

int dd_fdec_release(struct dd_fdec *d, uint64_t ts)
{
	struct dd_fdec_pic *p = known_pic(d, ts, "release");

	if (!p)
		return -EPROTO;
	p->released = true;
	return maybe_recycle(d, p);
}

int dd_fdec_drain(struct dd_fdec *d)
{
	int ret = flush_outputs(d, true);

	if (ret)
		return ret;
	while (oldest_busy(d)) {
		ret = complete_oldest(d);
		if (ret)
			return ret;
	}
	return drain_capture(d);
}

void dd_fdec_close(struct dd_fdec *d)
{
	for (unsigned int i = 0; i < DD_TOOL_MAX_INFLIGHT; i++)
		if (d->slots[i].fd >= 0)
			close(d->slots[i].fd);
	dd_v4l2_close(&d->dev);
}
