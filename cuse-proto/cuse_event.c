// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cuse_event.c - control events of the CUSE video node (see cuse_event.h).
 * Control facts come from common/ through dd_ioctl (QUERY_EXT_CTRL and
 * G_EXT_CTRLS), so the events say exactly what the queries say.
 */
#include "cuse_event.h"
#include "dd_ioctl.h"

static struct v4l2_event_subscription *dd_cuse_sub_find(struct dd_cuse_events *ev,
							 u32 type, u32 id)
{
	unsigned int i;

	for (i = 0; i < ev->nsubs; i++)
		if (ev->subs[i].type == type && ev->subs[i].id == id)
			return &ev->subs[i];
	return NULL;
}

static void dd_cuse_event_queue(struct dd_cuse_events *ev, const struct v4l2_event *e)
{
	unsigned int tail;

	if (ev->count == DD_CUSE_MAX_EVENTS) {	/* drop the oldest, as v4l2-event */
		ev->head = (ev->head + 1) % DD_CUSE_MAX_EVENTS;
		ev->count--;
	}
	tail = (ev->head + ev->count) % DD_CUSE_MAX_EVENTS;
	ev->q[tail] = *e;
	ev->q[tail].sequence = ev->sequence++;
	ev->count++;
}

/* A control event for `id` with `changes`; -EINVAL if there is no such control. */
static int dd_cuse_ctrl_event(struct dd_ctx *ctx, u32 id, u32 changes, struct v4l2_event *e)
{
	struct v4l2_query_ext_ctrl q = { .id = id };
	struct v4l2_ext_control c = { .id = id };
	struct v4l2_ext_controls cs = {
		.which = V4L2_CTRL_WHICH_CUR_VAL, .count = 1, .controls = &c,
	};
	struct timespec ts;

	if (dd_ioctl(ctx, VIDIOC_QUERY_EXT_CTRL, &q) || q.id != id)
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	e->type = V4L2_EVENT_CTRL;
	e->id = id;
	e->u.ctrl.changes = changes;
	e->u.ctrl.type = q.type;
	e->u.ctrl.flags = q.flags;
	e->u.ctrl.minimum = (s32)q.minimum;
	e->u.ctrl.maximum = (s32)q.maximum;
	e->u.ctrl.step = (s32)q.step;
	e->u.ctrl.default_value = (s32)q.default_value;
	/* Compound controls have no value in the event (is_ptr in v4l2-ctrls). */
	if (!(q.flags & V4L2_CTRL_FLAG_HAS_PAYLOAD) &&
	    !(q.flags & V4L2_CTRL_FLAG_WRITE_ONLY) &&
	    !dd_ioctl(ctx, VIDIOC_G_EXT_CTRLS, &cs))
		e->u.ctrl.value64 = c.value64;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	e->timestamp = ts;
	return 0;
}

static long dd_cuse_subscribe(struct dd_cuse_events *ev, struct dd_ctx *ctx,
			      struct v4l2_event_subscription *sub)
{
	struct v4l2_query_ext_ctrl q = { .id = sub->id };
	struct v4l2_event e;
	u32 changes;

	if (sub->type != V4L2_EVENT_CTRL)
		return -EINVAL;
	if (dd_ioctl(ctx, VIDIOC_QUERY_EXT_CTRL, &q) || q.id != sub->id)
		return -EINVAL;
	memset(sub->reserved, 0, sizeof(sub->reserved));
	if (!dd_cuse_sub_find(ev, sub->type, sub->id)) {
		if (ev->nsubs == DD_CUSE_MAX_SUBS)
			return -ENOMEM;
		ev->subs[ev->nsubs++] = *sub;
	}
	/* v4l2_ctrl_add_event: no initial event for a control class. */
	if ((sub->flags & V4L2_EVENT_SUB_FL_SEND_INITIAL) &&
	    q.type != V4L2_CTRL_TYPE_CTRL_CLASS) {
		changes = V4L2_EVENT_CTRL_CH_FLAGS;
		if (!(q.flags & V4L2_CTRL_FLAG_WRITE_ONLY))
			changes |= V4L2_EVENT_CTRL_CH_VALUE;
		if (!dd_cuse_ctrl_event(ctx, sub->id, changes, &e))
			dd_cuse_event_queue(ev, &e);
	}
	return 0;
}

static long dd_cuse_unsubscribe(struct dd_cuse_events *ev,
				const struct v4l2_event_subscription *sub)
{
	unsigned int i, n = 0;

	for (i = 0; i < ev->nsubs; i++) {
		if (sub->type == V4L2_EVENT_ALL ||
		    (ev->subs[i].type == sub->type && ev->subs[i].id == sub->id))
			continue;
		ev->subs[n++] = ev->subs[i];
	}
	ev->nsubs = n;
	return 0;
}

static long dd_cuse_dqevent(struct dd_cuse_events *ev, struct v4l2_event *e)
{
	if (!ev->count)
		return -ENOENT;
	*e = ev->q[ev->head];
	ev->head = (ev->head + 1) % DD_CUSE_MAX_EVENTS;
	ev->count--;
	e->pending = ev->count;
	return 0;
}

long dd_cuse_event_ioctl(struct dd_cuse_events *ev, struct dd_ctx *ctx,
			 unsigned int cmd, void *arg)
{
	switch (cmd) {
	case VIDIOC_SUBSCRIBE_EVENT:
		return dd_cuse_subscribe(ev, ctx, arg);
	case VIDIOC_UNSUBSCRIBE_EVENT:
		return dd_cuse_unsubscribe(ev, arg);
	case VIDIOC_DQEVENT:
		return dd_cuse_dqevent(ev, arg);
	default:
		return -ENOTTY;
	}
}

static void dd_cuse_event_changed(struct dd_cuse_events *ev, struct dd_ctx *ctx, u32 id)
{
	struct v4l2_event_subscription *sub = dd_cuse_sub_find(ev, V4L2_EVENT_CTRL, id);
	struct v4l2_event e;

	/* The change came through this open: only subscribers asking for feedback. */
	if (sub && (sub->flags & V4L2_EVENT_SUB_FL_ALLOW_FEEDBACK) &&
	    !dd_cuse_ctrl_event(ctx, id, V4L2_EVENT_CTRL_CH_VALUE, &e))
		dd_cuse_event_queue(ev, &e);
}

void dd_cuse_event_ctrls_set(struct dd_cuse_events *ev, struct dd_ctx *ctx,
			     unsigned int cmd, const void *arg)
{
	const struct v4l2_ext_controls *cs = arg;
	u32 i;

	if (!ev->nsubs)
		return;
	if (cmd == VIDIOC_S_CTRL) {
		dd_cuse_event_changed(ev, ctx, ((const struct v4l2_control *)arg)->id);
		return;
	}
	if (cmd != VIDIOC_S_EXT_CTRLS || cs->which == V4L2_CTRL_WHICH_REQUEST_VAL)
		return;
	for (i = 0; i < cs->count; i++)
		dd_cuse_event_changed(ev, ctx, cs->controls[i].id);
}
