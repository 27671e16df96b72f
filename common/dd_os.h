/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_os.h - the one OS shim of common/.
 *
 * Everything in common/ that depends on where it runs goes through this
 * header: integer types, allocation, locking, lists, logging, byte order,
 * time and copies to/from the client.  The kernel half maps onto the kernel
 * APIs one to one; the userspace half provides the same names on top of
 * libc and pthreads, so the logic files compile unchanged in both worlds.
 * No other file in common/ may test __KERNEL__.
 */
#ifndef DD_OS_H
#define DD_OS_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/printk.h>
#include <linux/uaccess.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/align.h>
#include <linux/bits.h>
#include <asm/byteorder.h>
#include <linux/videodev2.h>
#include <linux/v4l2-controls.h>

#define dd_zalloc(size)		kzalloc(size, GFP_KERNEL)
#define dd_calloc(n, size)	kcalloc(n, size, GFP_KERNEL)
#define dd_free(p)		kfree(p)
/* Blocks that may be large (a job's bitstream copy): vmalloc fallback. */
#define dd_zalloc_large(size)	kvzalloc(size, GFP_KERNEL)
#define dd_free_large(p)	kvfree(p)

typedef struct mutex dd_mutex_t;
#define dd_mutex_init(m)	mutex_init(m)
#define dd_mutex_destroy(m)	mutex_destroy(m)
#define dd_mutex_lock(m)	mutex_lock(m)
#define dd_mutex_unlock(m)	mutex_unlock(m)

typedef spinlock_t dd_spinlock_t;
#define dd_spin_init(l)		spin_lock_init(l)
#define dd_spin_destroy(l)	do { } while (0)
#define dd_spin_lock(l)		spin_lock(l)
#define dd_spin_unlock(l)	spin_unlock(l)

#define dd_err(fmt, ...)	pr_err("daedalus: " fmt "\n", ##__VA_ARGS__)
#define dd_warn(fmt, ...)	pr_warn("daedalus: " fmt "\n", ##__VA_ARGS__)
#define dd_info(fmt, ...)	pr_info("daedalus: " fmt "\n", ##__VA_ARGS__)
#define dd_dbg(fmt, ...)	pr_debug("daedalus: " fmt "\n", ##__VA_ARGS__)

static inline u64 dd_time_ns(void)
{
	return ktime_get_ns();
}

/* Copies between the driver and the calling client; 0 or -EFAULT. */
static inline int dd_copy_from_client(void *dst, const void *src, size_t n)
{
	return copy_from_user(dst, (const void __user *)src, n) ? -EFAULT : 0;
}

static inline int dd_copy_to_client(void *dst, const void *src, size_t n)
{
	return copy_to_user((void __user *)dst, src, n) ? -EFAULT : 0;
}

#else /* userspace */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <endian.h>
#include <pthread.h>
#include <time.h>
#include <linux/types.h>
#include <linux/videodev2.h>
#include <linux/v4l2-controls.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* Error codes the kernel has and libc may lack. */
#ifndef ENOIOCTLCMD
#define ENOIOCTLCMD	515
#endif

#define dd_zalloc(size)		calloc(1, size)
#define dd_calloc(n, size)	calloc(n, size)
#define dd_free(p)		free(p)
#define dd_zalloc_large(size)	calloc(1, size)
#define dd_free_large(p)	free(p)

typedef pthread_mutex_t dd_mutex_t;
#define dd_mutex_init(m)	pthread_mutex_init(m, NULL)
#define dd_mutex_destroy(m)	pthread_mutex_destroy(m)
#define dd_mutex_lock(m)	pthread_mutex_lock(m)
#define dd_mutex_unlock(m)	pthread_mutex_unlock(m)

typedef pthread_mutex_t dd_spinlock_t;
#define dd_spin_init(l)		pthread_mutex_init(l, NULL)
#define dd_spin_destroy(l)	pthread_mutex_destroy(l)
#define dd_spin_lock(l)		pthread_mutex_lock(l)
#define dd_spin_unlock(l)	pthread_mutex_unlock(l)

/*
 * Logging: every line goes to dd_log_sink (stderr by default).  Tests
 * replace the sink to assert that a rejection named the offending field.
 */
enum dd_log_level { DD_LOG_ERR, DD_LOG_WARN, DD_LOG_INFO, DD_LOG_DBG };
extern void (*dd_log_sink)(enum dd_log_level level, const char *line);
extern int dd_log_debug;
void dd_log(enum dd_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define dd_err(fmt, ...)	dd_log(DD_LOG_ERR, fmt, ##__VA_ARGS__)
#define dd_warn(fmt, ...)	dd_log(DD_LOG_WARN, fmt, ##__VA_ARGS__)
#define dd_info(fmt, ...)	dd_log(DD_LOG_INFO, fmt, ##__VA_ARGS__)
#define dd_dbg(fmt, ...)	dd_log(DD_LOG_DBG, fmt, ##__VA_ARGS__)

static inline u64 dd_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/*
 * In userspace the front end has already brought the client's memory into
 * the server (CUSE ioctl retry), so a client pointer is a local pointer.
 */
static inline int dd_copy_from_client(void *dst, const void *src, size_t n)
{
	if (n && !src)
		return -EFAULT;
	memcpy(dst, src, n);
	return 0;
}

static inline int dd_copy_to_client(void *dst, const void *src, size_t n)
{
	if (n && !dst)
		return -EFAULT;
	memcpy(dst, src, n);
	return 0;
}

/* Byte order, with the kernel's names. */
#define cpu_to_le16(x)	htole16(x)
#define cpu_to_le32(x)	htole32(x)
#define cpu_to_le64(x)	htole64(x)
#define le16_to_cpu(x)	le16toh(x)
#define le32_to_cpu(x)	le32toh(x)
#define le64_to_cpu(x)	le64toh(x)

/* The kernel helpers common/ uses. */
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define BIT(n)		(1UL << (n))
#define ALIGN(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define clamp_t(t, v, lo, hi)	min_t(t, max_t(t, v, lo), hi)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define fallthrough	__attribute__((__fallthrough__))

/* A doubly linked list with the kernel's <linux/list.h> names. */
struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_add(n, head, head->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_add(n, head->prev, head);
}

static inline void list_del_init(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	INIT_LIST_HEAD(e);
}

static inline void list_del(struct list_head *e)
{
	list_del_init(e);
}

static inline void list_move_tail(struct list_head *e, struct list_head *head)
{
	list_del_init(e);
	list_add_tail(e, head);
}

static inline int list_empty(const struct list_head *head)
{
	return head->next == head;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(head, type, member) \
	list_entry((head)->next, type, member)
#define list_first_entry_or_null(head, type, member) \
	(list_empty(head) ? NULL : list_first_entry(head, type, member))
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, __typeof__(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     &pos->member != (head);					\
	     pos = n, n = list_next_entry(n, member))

#endif /* __KERNEL__ */

#endif /* DD_OS_H */
