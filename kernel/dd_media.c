// SPDX-License-Identifier: GPL-2.0-only
/*
 * dd_media.c - the media controller side: the media device and the
 * decoder topology userspace uses to find us (GStreamer v4l2codecs looks
 * for an entity of function PROC_VIDEO_DECODER with one sink and one source
 * pad between two IO_V4L entities linked to the video interface).
 *
 * v4l2-mem2mem.ko builds the same graph, but Debian does not ship it.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <media/media-device.h>

#include "dd_drv.h"

void dd_media_init(struct dd_dev *dd)
{
	struct media_device *mdev = &dd->mdev;

	mdev->dev = &dd->pdev->dev;
	strscpy(mdev->model, DD_CARD_NAME, sizeof(mdev->model));
	strscpy(mdev->driver_name, DD_DRIVER_NAME, sizeof(mdev->driver_name));
	snprintf(mdev->bus_info, sizeof(mdev->bus_info), "platform:%s", DD_DRIVER_NAME);
	/* Request API: validation and queueing (dd_request.c). */
	mdev->ops = &dd_media_ops;
	media_device_init(mdev);
}

/*
 * Name an entity "<video node name>-<role>" as mem2mem does, so tools show
 * the same names they show for hardware decoders.
 */
static int dd_media_add_entity(struct dd_dev *dd, struct media_entity *entity,
			       const char *role, u32 function,
			       u16 num_pads, struct media_pad *pads)
{
	int ret;

	entity->obj_type = MEDIA_ENTITY_TYPE_BASE;
	entity->function = function;
	if (function == MEDIA_ENT_F_IO_V4L) {
		entity->info.dev.major = VIDEO_MAJOR;
		entity->info.dev.minor = dd->vdev.minor;
	}
	entity->name = kasprintf(GFP_KERNEL, "%s-%s", dd->vdev.name, role);
	if (!entity->name)
		return -ENOMEM;

	ret = media_entity_pads_init(entity, num_pads, pads);
	if (!ret)
		ret = media_device_register_entity(&dd->mdev, entity);
	if (ret) {
		kfree(entity->name);
		entity->name = NULL;
	}
	return ret;
}

static void dd_media_del_entity(struct media_entity *entity)
{
	media_device_unregister_entity(entity);
	kfree(entity->name);
	entity->name = NULL;
}

int dd_media_register_topology(struct dd_dev *dd)
{
	struct dd_media_topo *t = &dd->topo;
	struct media_entity *source = &dd->vdev.entity;
	const u32 flags = MEDIA_LNK_FL_IMMUTABLE | MEDIA_LNK_FL_ENABLED;
	int ret;

	t->source_pad.flags = MEDIA_PAD_FL_SOURCE;
	ret = dd_media_add_entity(dd, source, "source", MEDIA_ENT_F_IO_V4L,
				  1, &t->source_pad);
	if (ret)
		return ret;

	t->proc_pads[0].flags = MEDIA_PAD_FL_SINK;
	t->proc_pads[1].flags = MEDIA_PAD_FL_SOURCE;
	ret = dd_media_add_entity(dd, &t->proc, "proc", MEDIA_ENT_F_PROC_VIDEO_DECODER,
				  2, t->proc_pads);
	if (ret)
		goto err_source;

	t->sink_pad.flags = MEDIA_PAD_FL_SINK;
	ret = dd_media_add_entity(dd, &t->sink, "sink", MEDIA_ENT_F_IO_V4L,
				  1, &t->sink_pad);
	if (ret)
		goto err_proc;

	ret = media_create_pad_link(source, 0, &t->proc, 0, flags);
	if (ret)
		goto err_links;
	ret = media_create_pad_link(&t->proc, 1, &t->sink, 0, flags);
	if (ret)
		goto err_links;

	t->intf_devnode = media_devnode_create(&dd->mdev, MEDIA_INTF_T_V4L_VIDEO, 0,
					       VIDEO_MAJOR, dd->vdev.minor);
	if (!t->intf_devnode) {
		ret = -ENOMEM;
		goto err_links;
	}
	if (!media_create_intf_link(source, &t->intf_devnode->intf, flags) ||
	    !media_create_intf_link(&t->sink, &t->intf_devnode->intf, flags)) {
		ret = -ENOMEM;
		goto err_intf;
	}

	t->registered = true;
	return 0;

err_intf:
	media_remove_intf_links(&t->intf_devnode->intf);
	media_devnode_remove(t->intf_devnode);
	t->intf_devnode = NULL;
err_links:
	media_entity_remove_links(&t->sink);
	media_entity_remove_links(&t->proc);
	media_entity_remove_links(source);
	dd_media_del_entity(&t->sink);
err_proc:
	dd_media_del_entity(&t->proc);
err_source:
	dd_media_del_entity(source);
	return ret;
}

void dd_media_unregister_topology(struct dd_dev *dd)
{
	struct dd_media_topo *t = &dd->topo;

	if (!t->registered)
		return;
	media_remove_intf_links(&t->intf_devnode->intf);
	media_devnode_remove(t->intf_devnode);
	t->intf_devnode = NULL;
	media_entity_remove_links(&dd->vdev.entity);
	media_entity_remove_links(&t->proc);
	media_entity_remove_links(&t->sink);
	dd_media_del_entity(&dd->vdev.entity);
	dd_media_del_entity(&t->proc);
	dd_media_del_entity(&t->sink);
	t->registered = false;
}
