/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_cuse_priv.h - the private interface between the CUSE server
 * (daedalus-cuse) and the LD_PRELOAD shim (libdaedalus-preload.so).
 *
 * CUSE cannot mmap, cannot create request fds and cannot install fds in
 * the client.  The shim fills those gaps with three private ioctls on the
 * server's own nodes and one unix socket:
 *
 *   DD_CUSE_IOC_IDENT	  any of our nodes: says which node it is and where
 *			  the fd socket lives (the shim asks this only of
 *			  character devices of the kernel's "cuse" class).
 *   DD_CUSE_IOC_REQ_BIND on a fresh open of the media node: allocate a media
 *			  request and make this open the request fd.  `fd` is
 *			  the client's fd number of that open, so the server
 *			  can resolve request_fd in QBUF/EXT_CTRLS.
 *   DD_CUSE_IOC_BUF_TOKEN on the video node: a one-time token for the memfd
 *			  behind an MMAP buffer (by mmap offset, or by
 *			  type/index/plane for EXPBUF).
 *
 * The token is redeemed on the fd socket (SOCK_SEQPACKET): the shim sends
 * struct dd_cuse_token_req, the server checks SO_PEERCRED (the token is
 * bound to the thread group that asked for it) and answers with
 * struct dd_cuse_token_rep plus the memfd as SCM_RIGHTS.
 */
#ifndef DD_CUSE_PRIV_H
#define DD_CUSE_PRIV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DD_CUSE_MAGIC		0x44434e31u	/* "1NCD" */
#define DD_CUSE_NODE_VIDEO	1
#define DD_CUSE_NODE_MEDIA	2

struct dd_cuse_ident {
	__u32 magic;			/* DD_CUSE_MAGIC */
	__u32 node;			/* DD_CUSE_NODE_* */
	char sock_path[108];		/* the fd socket */
};

struct dd_cuse_req_bind {
	__s32 fd;			/* in: client's fd number of this open */
	__u32 reserved;
};

#define DD_CUSE_TOKEN_BY_OFFSET	1	/* mmap(): offset */
#define DD_CUSE_TOKEN_BY_INDEX	2	/* EXPBUF: type, index, plane */

struct dd_cuse_buf_token {
	__u32 by;			/* DD_CUSE_TOKEN_BY_* */
	__u32 type;			/* enum v4l2_buf_type */
	__u32 index;
	__u32 plane;
	__u64 offset;			/* mmap offset */
	__u64 length;			/* in: bytes wanted (mmap), out: buffer size */
	__u64 token;			/* out */
};

#define DD_CUSE_IOC_IDENT	_IOR('d', 0xd0, struct dd_cuse_ident)
#define DD_CUSE_IOC_REQ_BIND	_IOW('d', 0xd1, struct dd_cuse_req_bind)
#define DD_CUSE_IOC_BUF_TOKEN	_IOWR('d', 0xd2, struct dd_cuse_buf_token)

struct dd_cuse_token_req {
	__u32 magic;
	__u32 reserved;
	__u64 token;
};

struct dd_cuse_token_rep {
	__u32 magic;
	__s32 status;			/* 0 or -errno; an fd follows when 0 */
	__u64 length;			/* size of the memfd */
};

#endif /* DD_CUSE_PRIV_H */
