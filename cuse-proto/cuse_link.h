/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * cuse_link.h - the CUSE server's connection to daedalusd: a unix
 * SOCK_SEQPACKET socket speaking common/dd_proto.h.  A thread keeps the
 * connection up (reconnecting when the daemon restarts) and hands every
 * DONE to the completion callback; when the connection drops the caller
 * fails the jobs in flight, and a job sent while there is no daemon is
 * refused at once so the caller can fail it (DD_STATUS_ERROR).
 */
#ifndef CUSE_LINK_H
#define CUSE_LINK_H

#include "dd_os.h"
#include "dd_proto.h"

typedef void (*dd_cuse_done_fn)(const struct dd_proto_done *done, void *priv);
typedef void (*dd_cuse_lost_fn)(void *priv);

/* done: every decoded DONE (not yet validated); lost: the connection dropped. */
int dd_cuse_link_start(const char *path, dd_cuse_done_fn done, dd_cuse_lost_fn lost,
		       void *priv);
/*
 * Send an encoded JOB (with `nfds` fds as SCM_RIGHTS, fd index = position).
 * Returns 0 when sent; otherwise the job was not sent and the caller
 * completes it as an error (-ENOTCONN: no daemon).
 */
int dd_cuse_link_send_job(const void *msg, size_t len, u32 ctx_id, u64 cookie,
			  const int *fds, unsigned int nfds);
/* Tell the daemon a context is gone (best effort). */
void dd_cuse_link_ctx_close(u32 ctx_id);

#endif /* CUSE_LINK_H */
