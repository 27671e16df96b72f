// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cuse_core.c - the V4L2 core's share of the video node ioctls (see
 * cuse_core.h); rules as in v4l2-ioctl.c and v4l2_prio_* of v4l2-dev.c.
 */
#include "cuse_core.h"

/* The ioctls the kernel refuses with -EBUSY when another open has a higher priority. */
static const unsigned int dd_cuse_prio_cmds[] = {
	VIDIOC_S_FMT, VIDIOC_REQBUFS, VIDIOC_STREAMON, VIDIOC_STREAMOFF,
	VIDIOC_S_CTRL, VIDIOC_S_EXT_CTRLS, VIDIOC_S_SELECTION, VIDIOC_DECODER_CMD,
	VIDIOC_CREATE_BUFS, VIDIOC_S_PRIORITY,
};

static bool dd_cuse_prio_valid(u32 p)
{
	return p == V4L2_PRIORITY_BACKGROUND || p == V4L2_PRIORITY_INTERACTIVE ||
	       p == V4L2_PRIORITY_RECORD;
}

static u32 dd_cuse_prio_max(const struct dd_cuse_prio *g)
{
	u32 p;

	for (p = V4L2_PRIORITY_RECORD; p >= V4L2_PRIORITY_BACKGROUND; p--)
		if (g->count[p])
			return p;
	return V4L2_PRIORITY_UNSET;
}

static int dd_cuse_prio_change(struct dd_cuse_prio *g, u32 *local, u32 p)
{
	if (p == V4L2_PRIORITY_UNSET)
		p = V4L2_PRIORITY_DEFAULT;
	if (!dd_cuse_prio_valid(p))
		return -EINVAL;
	if (*local == p)
		return 0;
	g->count[p]++;
	if (dd_cuse_prio_valid(*local))
		g->count[*local]--;
	*local = p;
	return 0;
}

void dd_cuse_prio_open(struct dd_cuse_prio *g, u32 *local)
{
	*local = V4L2_PRIORITY_UNSET;
	dd_cuse_prio_change(g, local, V4L2_PRIORITY_DEFAULT);
}

void dd_cuse_prio_close(struct dd_cuse_prio *g, u32 *local)
{
	if (dd_cuse_prio_valid(*local))
		g->count[*local]--;
	*local = V4L2_PRIORITY_UNSET;
}

int dd_cuse_core_pre(struct dd_cuse_prio *g, u32 *local, unsigned int cmd, void *arg,
		     long *ret)
{
	unsigned int i;

	if (cmd == VIDIOC_G_PRIORITY) {
		*(u32 *)arg = dd_cuse_prio_max(g);
		*ret = 0;
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(dd_cuse_prio_cmds); i++) {
		if (cmd == dd_cuse_prio_cmds[i] && *local < dd_cuse_prio_max(g)) {
			*ret = -EBUSY;
			return 1;
		}
	}
	if (cmd == VIDIOC_S_PRIORITY) {
		*ret = dd_cuse_prio_change(g, local, *(u32 *)arg);
		return 1;
	}
	return 0;
}

void dd_cuse_core_post(unsigned int cmd, void *arg)
{
	struct v4l2_capability *cap = arg;

	/* v4l_querycap: every driver supports the extended pix format fields. */
	if (cmd == VIDIOC_QUERYCAP) {
		cap->capabilities |= V4L2_CAP_EXT_PIX_FORMAT;
		cap->device_caps |= V4L2_CAP_EXT_PIX_FORMAT;
	}
}
