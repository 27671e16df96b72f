/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * cuse_marshal.h - unrestricted-ioctl marshalling for the CUSE server.
 *
 * CUSE hands an unrestricted ioctl over with no data; the server names the
 * client memory it needs (fuse_reply_ioctl_retry) and is called again with
 * those bytes.  A plan lists every segment of one ioctl: the argument
 * struct (size and direction from the command number), then the arrays it
 * points to (v4l2_plane[], v4l2_ext_control[], media topology arrays),
 * then the payloads those arrays point to (compound controls).  Each level
 * is only known once the level above has been fetched, so the plan is
 * recomputed on every round until what the kernel delivered matches it.
 *
 * The segments are then laid out in one local buffer and the embedded
 * pointers are swapped to local addresses, so common/ sees ordinary
 * structs; before replying the client's pointers are put back.
 */
#ifndef CUSE_MARSHAL_H
#define CUSE_MARSHAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

#define DD_CUSE_MAX_SEGS	40
#define DD_CUSE_MAX_XFER	(120u << 10)	/* FUSE moves at most 128 KiB */

struct dd_cuse_seg {
	void *client;		/* client address */
	size_t len;
	size_t off;		/* offset in the local buffer */
	long ptr_off;		/* where the pointer to it lives (-1: arg itself) */
	bool ptr_u64;		/* that pointer is a __u64, not a void * */
};

struct dd_cuse_plan {
	unsigned int cmd;
	unsigned int nseg;
	struct dd_cuse_seg seg[DD_CUSE_MAX_SEGS];
	size_t total;
	size_t need_in;		/* bytes the kernel must fetch for us */
	size_t need_out;	/* bytes we will write back */
};

/*
 * Build the plan for `cmd` from what has been fetched so far.  Returns 1
 * when the fetched bytes are exactly the plan (dispatch now), 0 when
 * another retry round is needed, -errno when the arguments are invalid.
 */
int dd_cuse_plan(struct dd_cuse_plan *p, unsigned int cmd, void *arg,
		 const void *in, size_t in_len, size_t out_len);

/* Retry iovecs of a plan (in: fetched from the client, out: written back). */
unsigned int dd_cuse_plan_iov(const struct dd_cuse_plan *p, bool out,
			      struct iovec *iov);

/* Lay the fetched bytes out in `local` (p->total bytes) with local pointers. */
void dd_cuse_localize(const struct dd_cuse_plan *p, void *local,
		      const void *in, size_t in_len);
/* Put the client's pointers back and build the reply iovecs. */
unsigned int dd_cuse_restore(const struct dd_cuse_plan *p, void *local,
			     struct iovec *iov);

/* The ioctls whose output is copied back even when they fail. */
bool dd_cuse_always_copy(unsigned int cmd);

#endif /* CUSE_MARSHAL_H */
