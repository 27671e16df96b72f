/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dd_drv.h - the daedalus-v4l2 device as the kernel module sees it, and
 * the interfaces between the module's files: core, media topology and
 * requests, video node, vb2 queues, controls, jobs, the daemon's character
 * device, the watchdog and debugfs.
 *
 * Locking: every open of the video node is a context with one mutex
 * (struct dd_kctx.lock) that is the vb2 lock of both its queues and guards
 * its formats and its scheduler (common/dd_sched.h).  The device has no
 * mutex on the data path: the daemon side uses the scheduler's spinlock,
 * dd_dev.chr_lock for the outgoing message list, and dd_dev.map_mutex for
 * the table of CAPTURE buffers the daemon may mmap.
 */
#ifndef DD_DRV_H
#define DD_DRV_H

#include <linux/atomic.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <media/media-device.h>
#include <media/media-entity.h>
#include <media/v4l2-ctrls.h>
#include <media/v4l2-device.h>
#include <media/v4l2-dev.h>
#include <media/v4l2-fh.h>
#include <media/videobuf2-v4l2.h>

#include "dd_codec.h"
#include "dd_sched.h"

#define DD_DRIVER_NAME	"daedalus-v4l2"
#define DD_CARD_NAME	"daedalus-v4l2"
#define DD_CHR_NAME	"daedalus-v4l2"

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

struct dd_stats {
	atomic64_t jobs;		/* issued to the daemon */
	atomic64_t done;		/* completed OK */
	atomic64_t errors;		/* completed with an error (any cause) */
	atomic64_t timeouts;		/* failed by the watchdog */
	atomic64_t no_daemon;		/* failed because no daemon was there */
	atomic64_t bad_done;		/* DONE messages rejected */
	/* Live objects: what a leak check compares to zero. */
	atomic_t contexts;		/* video node opens not yet freed */
	atomic_t requests;		/* media requests not yet freed */
	atomic_t buffers;		/* vb2 buffer memories initialised, not cleaned up */
};

struct dd_dev {
	struct platform_device *pdev;
	struct v4l2_device v4l2_dev;
	struct media_device mdev;
	struct video_device vdev;
	struct dd_media_topo topo;
	unsigned int timeout_ms;

	/* Jobs of every context (common/dd_sched.c). */
	struct dd_sched_dev sd;
	struct dd_stats stats;

	/* The daemon's character device (dd_chardev.c). */
	struct miscdevice misc;
	bool misc_registered;
	spinlock_t chr_lock;		/* daemon, msgs, pending */
	struct file *daemon;		/* the one open, or NULL */
	struct list_head msgs;		/* HELLO / CTX_CLOSE waiting for read() */
	struct mutex read_lock;		/* one reader at a time */
	void *pending;			/* encoded message too big for the last read */
	size_t pending_len;
	wait_queue_head_t chr_wq;
	struct work_struct fail_work;	/* fail jobs issued with no daemon */

	/* CAPTURE buffers the daemon may mmap (dd_vb2.c). */
	struct mutex map_mutex;
	struct list_head maps;
	u64 next_map_off;

	/* Watchdog (dd_watchdog.c). */
	struct delayed_work wdog;

	struct dentry *debugfs;
};

/* One open of the video node. */
struct dd_kctx {
	struct v4l2_fh fh;
	struct dd_dev *dd;
	struct mutex lock;		/* vb2 lock of both queues, formats, sched */
	struct vb2_queue out_q;
	struct vb2_queue cap_q;
	struct v4l2_ctrl_handler hdl;
	struct dd_sched sched;
	struct v4l2_format out_fmt;
	struct v4l2_format cap_fmt;
	const struct dd_codec *codec;
	u64 ctrls_seen;			/* codec controls some request carried */
	bool flush_next;		/* next job: DD_JOB_FLAG_FLUSH (new stream) */
	struct list_head out_owned;	/* buffers the driver holds */
	struct list_head cap_owned;
	u32 out_seq;
	u32 cap_seq;
	void *ctrl_scratch;		/* per-request control values of a job */
	size_t ctrl_scratch_size;
};

/* One vb2 buffer of either queue. */
struct dd_kbuf {
	struct vb2_v4l2_buffer vb;	/* first: vb2 allocates buf_struct_size */
	struct dd_sched_entry entry;
	struct list_head owned;		/* on dd_kctx.{out,cap}_owned */
	bool is_owned;
	/* CAPTURE: how the daemon reaches the picture memory. */
	struct list_head map_node;	/* on dd_dev.maps (MMAP, DMABUF) */
	bool mapped;
	u64 map_off;			/* mmap offset on /dev/daedalus-v4l2 */
	u32 map_size;
	struct pid *pid;		/* USERPTR: the process owning the memory */
};

static inline struct dd_kctx *dd_fh_to_ctx(struct file *file)
{
	return container_of(file->private_data, struct dd_kctx, fh);
}

static inline struct dd_kbuf *dd_vb_to_kbuf(struct vb2_buffer *vb)
{
	return container_of(to_vb2_v4l2_buffer(vb), struct dd_kbuf, vb);
}

/* dd_core.c */
extern int dd_param_video_nr;
extern unsigned int dd_param_timeout_ms;
extern unsigned int dd_param_debug;
extern unsigned int dd_param_max_in_flight;

/* dd_media.c */
void dd_media_init(struct dd_dev *dd);
int dd_media_register_topology(struct dd_dev *dd);
void dd_media_unregister_topology(struct dd_dev *dd);

/* dd_request.c */
extern const struct media_device_ops dd_media_ops;

/* dd_video.c */
int dd_video_register(struct dd_dev *dd);
void dd_video_unregister(struct dd_dev *dd);

/* dd_vb2.c */
int dd_vb2_queue_init(void *priv, struct vb2_queue *src_vq, struct vb2_queue *dst_vq);
void dd_kbuf_done(struct dd_kctx *ctx, struct dd_kbuf *buf, enum vb2_buffer_state state);
int dd_vb2_daemon_mmap(struct dd_dev *dd, struct vm_area_struct *vma);

/* dd_ctrls.c */
int dd_kctrls_create(struct dd_kctx *ctx);
/* -ENOENT (logged) if a control the codec requires is missing from hdl. */
int dd_kctrls_check_required(struct dd_kctx *ctx, struct v4l2_ctrl_handler *req_hdl);
int dd_kctrls_check_request(struct dd_kctx *ctx, struct v4l2_ctrl_handler *req_hdl);
/* The bit depth the codec's current depth control announces (8 if none). */
u32 dd_kctrls_depth(struct dd_kctx *ctx);
/* -EINVAL (logged) if the request's picture depth is not CAPTURE's. */
int dd_kctrls_check_depth(struct dd_kctx *ctx, struct v4l2_ctrl_handler *req_hdl);

/* dd_job.c */
extern const struct dd_sched_ops dd_job_sched_ops;

/* dd_chardev.c */
int dd_chr_register(struct dd_dev *dd);
void dd_chr_unregister(struct dd_dev *dd);
extern const struct dd_sched_dev_ops dd_chr_sched_dev_ops;

/* dd_watchdog.c */
void dd_wdog_init(struct dd_dev *dd);
void dd_wdog_arm(struct dd_dev *dd);
void dd_wdog_stop(struct dd_dev *dd);

/* dd_debugfs.c */
void dd_debugfs_init(struct dd_dev *dd);
void dd_debugfs_exit(struct dd_dev *dd);

#endif /* DD_DRV_H */
