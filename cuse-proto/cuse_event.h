/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * cuse_event.h - V4L2 events of the CUSE video node (dd_ioctl() leaves
 * SUBSCRIBE_EVENT/UNSUBSCRIBE_EVENT/DQEVENT to the front end).  The decoder
 * raises only control events (as v4l2_ctrl_subscribe_event does for
 * stateless decoders): the initial event on SEND_INITIAL, and value changes
 * made through this open when it subscribed with ALLOW_FEEDBACK (controls
 * are per context, so no other open can change them).
 */
#ifndef CUSE_EVENT_H
#define CUSE_EVENT_H

#include "dd_os.h"

#define DD_CUSE_MAX_SUBS	64
#define DD_CUSE_MAX_EVENTS	32

struct dd_ctx;

struct dd_cuse_events {
	struct v4l2_event_subscription subs[DD_CUSE_MAX_SUBS];
	unsigned int nsubs;
	struct v4l2_event q[DD_CUSE_MAX_EVENTS];
	unsigned int head, count;
	u32 sequence;
};

/* The event ioctls; -ENOTTY for any other command.  Context lock not held. */
long dd_cuse_event_ioctl(struct dd_cuse_events *ev, struct dd_ctx *ctx,
			 unsigned int cmd, void *arg);
/* After a successful S_CTRL/S_EXT_CTRLS (current values) on ctx. */
void dd_cuse_event_ctrls_set(struct dd_cuse_events *ev, struct dd_ctx *ctx,
			     unsigned int cmd, const void *arg);
static inline bool dd_cuse_event_pending(const struct dd_cuse_events *ev)
{
	return ev->count > 0;
}

#endif /* CUSE_EVENT_H */
