/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dd_compat.h - differences between the kernels the module builds for
 * (Debian 6.1 and 6.12; Raspberry Pi OS 6.6 and 6.12 in mind).  Version
 * tests live here and nowhere else.
 */
#ifndef DD_COMPAT_H
#define DD_COMPAT_H

#include <linux/version.h>
#include <linux/mm.h>
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

/* vm_area_struct.vm_flags became read-only behind vm_flags_set() in 6.3. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void dd_vm_flags_set(struct vm_area_struct *vma, unsigned long flags)
{
	vma->vm_flags |= flags;
}
#else
static inline void dd_vm_flags_set(struct vm_area_struct *vma, unsigned long flags)
{
	vm_flags_set(vma, flags);
}
#endif

#endif /* DD_COMPAT_H */
