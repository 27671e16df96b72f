/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * cuse_media.h - MEDIA_IOC_DEVICE_INFO and MEDIA_IOC_G_TOPOLOGY of the CUSE
 * media node (arguments are server-local copies, see cuse_marshal.h).
 */
#ifndef CUSE_MEDIA_H
#define CUSE_MEDIA_H

#include <linux/media.h>

long dd_cuse_media_info(struct media_device_info *mi);
long dd_cuse_media_topology(struct media_v2_topology *t, const char *video_name);

#endif /* CUSE_MEDIA_H */
