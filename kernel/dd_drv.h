/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dd_drv.h - the daedalus-v4l2 device as the kernel module sees it, and
 * the interfaces between the module's files (core, media topology, video
 * node).
 */
#ifndef DD_DRV_H
#define DD_DRV_H

#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <media/media-device.h>
#include <media/media-entity.h>
#include <media/v4l2-device.h>
#include <media/v4l2-dev.h>

#define DD_DRIVER_NAME	"daedalus-v4l2"
#define DD_CARD_NAME	"daedalus-v4l2"

/*
 * The decoder's media graph, built the way mem2mem drivers present it:
 * source IO entity (the video node's own entity) -> processing entity
 * (decoder) -> sink IO entity, both IO entities linked to the video node's
 * interface.  We cannot use v4l2-mem2mem.ko, so we keep our own copy.
 */
struct dd_media_topo {
	struct media_pad source_pad;
	struct media_entity proc;
	struct media_pad proc_pads[2];
	struct media_entity sink;
	struct media_pad sink_pad;
	struct media_intf_devnode *intf_devnode;
	bool registered;
};

struct dd_dev {
	struct platform_device *pdev;
	struct v4l2_device v4l2_dev;
	struct media_device mdev;
	struct video_device vdev;
	struct dd_media_topo topo;
	/* Serialises the ioctls of the video node. */
	struct mutex lock;
	unsigned int timeout_ms;
};

/* dd_core.c */
extern int dd_param_video_nr;
extern unsigned int dd_param_timeout_ms;
extern unsigned int dd_param_debug;

/* dd_media.c */
void dd_media_init(struct dd_dev *dd);
int dd_media_register_topology(struct dd_dev *dd);
void dd_media_unregister_topology(struct dd_dev *dd);

/* dd_video.c */
int dd_video_register(struct dd_dev *dd);
void dd_video_unregister(struct dd_dev *dd);

#endif /* DD_DRV_H */
