// SPDX-License-Identifier: GPL-2.0-only
/*
 * dd_video.c - the decoder's video node: a multiplanar memory-to-memory
 * device with streaming I/O.  Owns the file operations, the ioctl table
 * and the release of struct dd_dev when the last user is gone.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <media/v4l2-dev.h>
#include <media/v4l2-fh.h>
#include <media/v4l2-ioctl.h>

#include "dd_drv.h"

static int dd_vidioc_querycap(struct file *file, void *priv, struct v4l2_capability *cap)
{
	strscpy(cap->driver, DD_DRIVER_NAME, sizeof(cap->driver));
	strscpy(cap->card, DD_CARD_NAME, sizeof(cap->card));
	snprintf(cap->bus_info, sizeof(cap->bus_info), "platform:%s", DD_DRIVER_NAME);
	return 0;
}

static const struct v4l2_ioctl_ops dd_ioctl_ops = {
	.vidioc_querycap = dd_vidioc_querycap,
};

static const struct v4l2_file_operations dd_fops = {
	.owner = THIS_MODULE,
	.open = v4l2_fh_open,
	.release = v4l2_fh_release,
	.unlocked_ioctl = video_ioctl2,
};

/* Last reference to the video node: tear down what probe set up. */
static void dd_video_release(struct video_device *vdev)
{
	struct dd_dev *dd = container_of(vdev, struct dd_dev, vdev);

	v4l2_device_unregister(&dd->v4l2_dev);
	media_device_cleanup(&dd->mdev);
	mutex_destroy(&dd->lock);
	kfree(dd);
}

int dd_video_register(struct dd_dev *dd)
{
	struct video_device *vdev = &dd->vdev;
	int ret;

	strscpy(vdev->name, DD_CARD_NAME "-dec", sizeof(vdev->name));
	vdev->vfl_type = VFL_TYPE_VIDEO;
	vdev->vfl_dir = VFL_DIR_M2M;
	vdev->device_caps = V4L2_CAP_VIDEO_M2M_MPLANE | V4L2_CAP_STREAMING;
	vdev->fops = &dd_fops;
	vdev->ioctl_ops = &dd_ioctl_ops;
	vdev->release = dd_video_release;
	vdev->lock = &dd->lock;
	vdev->v4l2_dev = &dd->v4l2_dev;
	vdev->dev_debug = dd_param_debug;
	video_set_drvdata(vdev, dd);

	ret = video_register_device(vdev, VFL_TYPE_VIDEO, dd_param_video_nr);
	if (ret)
		v4l2_err(&dd->v4l2_dev, "video_register_device failed: %d\n", ret);
	return ret;
}

void dd_video_unregister(struct dd_dev *dd)
{
	video_unregister_device(&dd->vdev);
}
