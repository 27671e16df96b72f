// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cuse_media.c - the media node's own ioctls: MEDIA_IOC_DEVICE_INFO and
 * MEDIA_IOC_G_TOPOLOGY describing the same graph as the kernel module
 * (kernel/dd_media.c): source (IO_V4L) -> proc (PROC_VIDEO_DECODER) ->
 * sink (IO_V4L), and the video interface linked to both I/O entities.
 * Object ids follow the kernel's media_gobj encoding (type << 24 | index).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/media.h>
#include <linux/version.h>

#include "dd_os.h"
#include "dd_dev.h"
#include "cuse_media.h"

#define DD_GOBJ(type, idx)	(((u32)(type) << 24) | (idx))
#define DD_GOBJ_ENTITY		0
#define DD_GOBJ_PAD		1
#define DD_GOBJ_LINK		2
#define DD_GOBJ_INTF		3

long dd_cuse_media_info(struct media_device_info *mi)
{
	memset(mi, 0, sizeof(*mi));
	snprintf(mi->driver, sizeof(mi->driver), "%s", DD_DRIVER_NAME);
	snprintf(mi->model, sizeof(mi->model), "%s", DD_CARD_NAME);
	snprintf(mi->bus_info, sizeof(mi->bus_info), "%s", DD_BUS_INFO);
	mi->media_version = LINUX_VERSION_CODE;
	mi->hw_revision = 0;
	mi->driver_version = LINUX_VERSION_CODE;
	return 0;
}

static const struct {
	const char *role;
	u32 function;
} dd_media_entities[] = {
	{ "source", MEDIA_ENT_F_IO_V4L },
	{ "proc", MEDIA_ENT_F_PROC_VIDEO_DECODER },
	{ "sink", MEDIA_ENT_F_IO_V4L },
};

/* Pads: 1 source pad, 2 proc sink, 3 proc source, 4 sink sink. */
static const struct {
	u32 entity;
	u32 flags;
} dd_media_pads[] = {
	{ 1, MEDIA_PAD_FL_SOURCE },
	{ 2, MEDIA_PAD_FL_SINK },
	{ 2, MEDIA_PAD_FL_SOURCE },
	{ 3, MEDIA_PAD_FL_SINK },
};

#define DD_LINK_FIXED	(MEDIA_LNK_FL_ENABLED | MEDIA_LNK_FL_IMMUTABLE)

/* Data links between pads, then interface links to entities. */
static const struct {
	u32 source, sink, flags;
} dd_media_links[] = {
	{ DD_GOBJ(DD_GOBJ_PAD, 1), DD_GOBJ(DD_GOBJ_PAD, 2), DD_LINK_FIXED | MEDIA_LNK_FL_DATA_LINK },
	{ DD_GOBJ(DD_GOBJ_PAD, 3), DD_GOBJ(DD_GOBJ_PAD, 4), DD_LINK_FIXED | MEDIA_LNK_FL_DATA_LINK },
	{ DD_GOBJ(DD_GOBJ_INTF, 1), DD_GOBJ(DD_GOBJ_ENTITY, 1),
	  DD_LINK_FIXED | MEDIA_LNK_FL_INTERFACE_LINK },
	{ DD_GOBJ(DD_GOBJ_INTF, 1), DD_GOBJ(DD_GOBJ_ENTITY, 3),
	  DD_LINK_FIXED | MEDIA_LNK_FL_INTERFACE_LINK },
};

/* -ENOSPC if the client's array is too small (num is set regardless). */
static int dd_media_room(u32 room, u64 ptr, u32 have)
{
	return ptr && room < have ? -ENOSPC : 0;
}

long dd_cuse_media_topology(struct media_v2_topology *t, const char *video_name)
{
	struct media_v2_entity *ent = (void *)(uintptr_t)t->ptr_entities;
	struct media_v2_interface *intf = (void *)(uintptr_t)t->ptr_interfaces;
	struct media_v2_pad *pad = (void *)(uintptr_t)t->ptr_pads;
	struct media_v2_link *link = (void *)(uintptr_t)t->ptr_links;
	char path[128];
	struct stat st;
	unsigned int i;
	int ret = 0;

	t->topology_version = 1;
	t->reserved1 = 0;
	t->reserved2 = 0;
	ret |= dd_media_room(t->num_entities, t->ptr_entities, ARRAY_SIZE(dd_media_entities));
	ret |= dd_media_room(t->num_interfaces, t->ptr_interfaces, 1);
	ret |= dd_media_room(t->num_pads, t->ptr_pads, ARRAY_SIZE(dd_media_pads));
	ret |= dd_media_room(t->num_links, t->ptr_links, ARRAY_SIZE(dd_media_links));
	t->num_entities = ARRAY_SIZE(dd_media_entities);
	t->num_interfaces = 1;
	t->num_pads = ARRAY_SIZE(dd_media_pads);
	t->num_links = ARRAY_SIZE(dd_media_links);
	if (ret)
		return -ENOSPC;

	for (i = 0; ent && i < ARRAY_SIZE(dd_media_entities); i++) {
		memset(&ent[i], 0, sizeof(ent[i]));
		ent[i].id = DD_GOBJ(DD_GOBJ_ENTITY, i + 1);
		snprintf(ent[i].name, sizeof(ent[i].name), "%s-%s", video_name,
			 dd_media_entities[i].role);
		ent[i].function = dd_media_entities[i].function;
	}
	if (intf) {
		memset(intf, 0, sizeof(*intf));
		intf->id = DD_GOBJ(DD_GOBJ_INTF, 1);
		intf->intf_type = MEDIA_INTF_T_V4L_VIDEO;
		snprintf(path, sizeof(path), "/dev/%s", video_name);
		if (!stat(path, &st)) {
			intf->devnode.major = major(st.st_rdev);
			intf->devnode.minor = minor(st.st_rdev);
		}
	}
	for (i = 0; pad && i < ARRAY_SIZE(dd_media_pads); i++) {
		memset(&pad[i], 0, sizeof(pad[i]));
		pad[i].id = DD_GOBJ(DD_GOBJ_PAD, i + 1);
		pad[i].entity_id = DD_GOBJ(DD_GOBJ_ENTITY, dd_media_pads[i].entity);
		pad[i].flags = dd_media_pads[i].flags;
		pad[i].index = i == 2 ? 1 : 0;
	}
	for (i = 0; link && i < ARRAY_SIZE(dd_media_links); i++) {
		memset(&link[i], 0, sizeof(link[i]));
		link[i].id = DD_GOBJ(DD_GOBJ_LINK, i + 1);
		link[i].source_id = dd_media_links[i].source;
		link[i].sink_id = dd_media_links[i].sink;
		link[i].flags = dd_media_links[i].flags;
	}
	return 0;
}
