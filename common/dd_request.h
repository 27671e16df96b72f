/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_request.h - media requests of a userspace front end, with the rules of
 * mc-request.c and v4l2-ctrls-request.c: a request collects per-request
 * control values and exactly one OUTPUT buffer of one context, is
 * validated and queued (MEDIA_REQUEST_IOC_QUEUE), completes when its job
 * ends (POLLPRI; its control values become readable) and can be
 * reinitialised once idle or complete.
 *
 * Request fds are the front end's objects: it allocates a request per
 * MEDIA_IOC_REQUEST_ALLOC, owns one reference per open fd, and resolves a
 * client fd to a request through dd_dev_ops.request_get.  A bound OUTPUT
 * buffer holds a reference too, so a queued request lives until it
 * completes even if the client closed its fd.
 */
#ifndef DD_REQUEST_H
#define DD_REQUEST_H

#include "dd_os.h"
#include "dd_ctrl.h"
#include "dd_dev.h"

enum dd_request_state {
	DD_REQ_IDLE,
	DD_REQ_QUEUED,
	DD_REQ_COMPLETE,
};

struct dd_request {
	struct dd_device *dev;
	void *fe_priv;			/* the front end's (its fd object) */
	unsigned int refs;		/* under the device lock */
	enum dd_request_state state;	/* written under both locks */
	struct dd_ctx *ctx;		/* bound context (holds a reference) */
	struct dd_ctrls ctrls;		/* per-request values, once bound */
	bool has_ctrls;
	struct list_head bufs;		/* bound OUTPUT buffers */
	unsigned int num_bufs;
};

/* MEDIA_IOC_REQUEST_ALLOC: a new idle request with one reference. */
struct dd_request *dd_request_alloc(struct dd_device *dev, void *fe_priv);
void dd_request_get(struct dd_request *req);
/*
 * Drop a reference (the fd closed, a lookup done).  Safe with or without
 * the bound context's lock held: freeing never takes it.
 */
void dd_request_put(struct dd_request *req);
/* MEDIA_REQUEST_IOC_QUEUE: 0, -EBUSY, -ENOENT, -EINVAL. */
int dd_request_queue(struct dd_request *req);
/* MEDIA_REQUEST_IOC_REINIT: 0 or -EBUSY. */
int dd_request_reinit(struct dd_request *req);
/* Poll: POLLPRI once complete. */
bool dd_request_is_complete(struct dd_request *req);
enum dd_request_state dd_request_state(struct dd_request *req);

/* For dd_ctx.c / dd_ioctl.c, with the context lock held. */
int dd_request_bind(struct dd_request *req, struct dd_ctx *ctx);
/* The control set S/TRY/G_EXT_CTRLS(REQUEST_VAL) works on. */
int dd_request_ctrls(struct dd_request *req, struct dd_ctx *ctx, bool update,
		     struct dd_ctrls **ctrls);
void dd_request_add_buffer(struct dd_request *req, struct dd_buffer *buf);
/* Detach a buffer from its request (dropping the buffer's reference). */
void dd_request_del_buffer(struct dd_buffer *buf);
/* The job ended (or its queue stopped): snapshot values, wake pollers. */
void dd_request_complete(struct dd_request *req);

#endif /* DD_REQUEST_H */
