// SPDX-License-Identifier: GPL-2.0-only
/*
 * dd_core.c - module entry: parameters, the platform device that anchors
 * the decoder, probe/remove and the lifetime of struct dd_dev.
 *
 * The platform device exists only to give the V4L2 and media devices a
 * struct device; decoding is done by the daemon (dd_chardev.c) with jobs
 * scheduled by common/dd_sched.c.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "dd_compat.h"
#include "dd_drv.h"

int dd_param_video_nr = -1;
module_param_named(video_nr, dd_param_video_nr, int, 0444);
MODULE_PARM_DESC(video_nr, "videoN number of the decoder node (-1 = first free)");

unsigned int dd_param_timeout_ms = 5000;
module_param_named(timeout_ms, dd_param_timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms, "ms the daemon gets to finish a decode job before it is failed");

unsigned int dd_param_debug;
module_param_named(debug, dd_param_debug, uint, 0644);
MODULE_PARM_DESC(debug, "V4L2 ioctl debug mask of the video node (V4L2_DEV_DEBUG_*)");

unsigned int dd_param_max_in_flight = 1;
module_param_named(max_in_flight, dd_param_max_in_flight, uint, 0644);
MODULE_PARM_DESC(max_in_flight, "decode jobs one context may have at the daemon at once");

static struct platform_device *dd_pdev;

static int dd_probe(struct platform_device *pdev)
{
	struct dd_dev *dd;
	int ret;

	dd = kzalloc(sizeof(*dd), GFP_KERNEL);
	if (!dd)
		return -ENOMEM;

	dd->pdev = pdev;
	dd->timeout_ms = dd_param_timeout_ms;
	mutex_init(&dd->read_lock);
	mutex_init(&dd->map_mutex);
	spin_lock_init(&dd->chr_lock);
	INIT_LIST_HEAD(&dd->msgs);
	INIT_LIST_HEAD(&dd->maps);
	init_waitqueue_head(&dd->chr_wq);
	dd_sched_dev_init(&dd->sd, &dd_chr_sched_dev_ops, dd);
	dd_wdog_init(dd);
	dd_media_init(dd);

	dd->v4l2_dev.mdev = &dd->mdev;
	ret = v4l2_device_register(&pdev->dev, &dd->v4l2_dev);
	if (ret) {
		dev_err(&pdev->dev, "v4l2_device_register failed: %d\n", ret);
		goto err_free;
	}

	/* From here on the video node's release callback frees dd. */
	ret = dd_video_register(dd);
	if (ret)
		goto err_v4l2;

	ret = dd_media_register_topology(dd);
	if (ret) {
		dev_err(&pdev->dev, "media topology registration failed: %d\n", ret);
		goto err_video;
	}

	ret = media_device_register(&dd->mdev);
	if (ret) {
		dev_err(&pdev->dev, "media_device_register failed: %d\n", ret);
		goto err_topo;
	}

	ret = dd_chr_register(dd);
	if (ret)
		goto err_mdev;
	dd_debugfs_init(dd);

	platform_set_drvdata(pdev, dd);
	dev_info(&pdev->dev, "decoder at %s, media device %s, job timeout %u ms\n",
		 video_device_node_name(&dd->vdev), dd->mdev.devnode ?
		 dev_name(&dd->mdev.devnode->dev) : "?", dd->timeout_ms);
	return 0;

err_mdev:
	media_device_unregister(&dd->mdev);
err_topo:
	dd_media_unregister_topology(dd);
err_video:
	dd_video_unregister(dd);
	return ret;
err_v4l2:
	v4l2_device_unregister(&dd->v4l2_dev);
err_free:
	media_device_cleanup(&dd->mdev);
	dd_sched_dev_destroy(&dd->sd);
	mutex_destroy(&dd->map_mutex);
	mutex_destroy(&dd->read_lock);
	kfree(dd);
	return ret;
}

static void dd_remove(struct platform_device *pdev)
{
	struct dd_dev *dd = platform_get_drvdata(pdev);

	dd_debugfs_exit(dd);
	dd_chr_unregister(dd);
	dd_wdog_stop(dd);
	media_device_unregister(&dd->mdev);
	dd_media_unregister_topology(dd);
	/* Frees dd once the last open file handle is gone. */
	dd_video_unregister(dd);
}

static struct platform_driver dd_platform_driver = {
	.probe = dd_probe,
	.DD_PLATFORM_REMOVE = dd_remove,
	.driver = {
		.name = DD_DRIVER_NAME,
	},
};

static int __init dd_init(void)
{
	int ret;

	ret = platform_driver_register(&dd_platform_driver);
	if (ret)
		return ret;

	dd_pdev = platform_device_register_simple(DD_DRIVER_NAME, PLATFORM_DEVID_NONE,
						  NULL, 0);
	if (IS_ERR(dd_pdev)) {
		platform_driver_unregister(&dd_platform_driver);
		return PTR_ERR(dd_pdev);
	}
	return 0;
}

static void __exit dd_exit(void)
{
	platform_device_unregister(dd_pdev);
	platform_driver_unregister(&dd_platform_driver);
}

module_init(dd_init);
module_exit(dd_exit);

MODULE_DESCRIPTION("Stateless V4L2 decoder backed by a userspace libavcodec daemon");
MODULE_AUTHOR("daedalus-v4l2 authors");
MODULE_LICENSE("GPL");
