/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dd_compat.h - differences between the kernels the module builds for
 * (Debian 6.1 and 6.12).  Version tests live here and nowhere else.
 */
#ifndef DD_COMPAT_H
#define DD_COMPAT_H

#include <linux/version.h>
#include <linux/platform_device.h>

/*
 * platform_driver.remove returns void since 6.11; before that the void
 * variant is .remove_new (6.1 stable has it backported).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define DD_PLATFORM_REMOVE	remove
#else
#define DD_PLATFORM_REMOVE	remove_new
#endif

#endif /* DD_COMPAT_H */
