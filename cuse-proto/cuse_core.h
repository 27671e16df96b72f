/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * cuse_core.h - what the kernel's V4L2 core (v4l2-ioctl.c, v4l2-dev.c) does
 * for every driver and so the CUSE video node must do itself: QUERYCAP's
 * V4L2_CAP_EXT_PIX_FORMAT, G/S_PRIORITY with the -EBUSY check on the
 * ioctls the core marks INFO_FL_PRIO, and ENOTTY for unknown commands.
 * Called with the device lock held.
 */
#ifndef CUSE_CORE_H
#define CUSE_CORE_H

#include "dd_os.h"

struct dd_cuse_prio {
	unsigned int count[V4L2_PRIORITY_RECORD + 1];	/* opens per priority */
};

void dd_cuse_prio_open(struct dd_cuse_prio *g, u32 *local);
void dd_cuse_prio_close(struct dd_cuse_prio *g, u32 *local);
/*
 * Before dd_ioctl(): 1 and *ret set when the core answers the command
 * itself (priority ioctls, -EBUSY, -ENOTTY), else 0.
 */
int dd_cuse_core_pre(struct dd_cuse_prio *g, u32 *local, unsigned int cmd, void *arg,
		     long *ret);
/* After a successful dd_ioctl(). */
void dd_cuse_core_post(unsigned int cmd, void *arg);

#endif /* CUSE_CORE_H */
