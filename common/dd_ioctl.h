/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_ioctl.h - the VIDIOC_* dispatcher of the userspace front end.
 *
 * The front end copies the client's argument (and the arrays and payloads
 * it points to: v4l2_plane[], v4l2_ext_control[], compound payloads) into
 * its own memory with the embedded pointers swapped to local copies, calls
 * dd_ioctl(), and copies the results back.  DQBUF never blocks: -EAGAIN
 * means "nothing done yet"; a blocking front end waits for
 * dd_dev_ops.ctx_wake and calls again.  Events (SUBSCRIBE_EVENT, DQEVENT)
 * are the front end's and return -ENOTTY here.
 */
#ifndef DD_IOCTL_H
#define DD_IOCTL_H

#include "dd_os.h"

struct dd_ctx;

/* 0 or a negative errno (-ENOTTY for unknown commands). */
long dd_ioctl(struct dd_ctx *ctx, unsigned int cmd, void *arg);
/* VIDIOC_QUERYCAP contents. */
void dd_ioctl_querycap(struct v4l2_capability *cap);

#endif /* DD_IOCTL_H */
