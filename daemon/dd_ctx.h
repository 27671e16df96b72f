/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_ctx.h - decoding contexts: one per (front end, ctx_id), each with its
 * own decoder and worker thread.  Jobs of one context run in arrival
 * order; different contexts decode in parallel.
 */
#ifndef DD_CTX_H
#define DD_CTX_H

#include "dd_transport.h"

/* Options every new decoder gets. */
extern struct dd_dec_opts dd_ctx_dec_opts;

/*
 * Hand a received JOB to its context (created on first use).  Takes
 * ownership of rx.  A malformed job is answered with DONE(ERROR) when its
 * header can be trusted enough to name ctx and cookie.
 */
void dd_ctx_submit_job(struct dd_peer *peer, struct dd_rx *rx);
/*
 * CTX_CLOSE: the front end already failed the context's jobs, so the
 * queued ones are dropped; the one being decoded finishes; the decoder is
 * freed.
 */
void dd_ctx_close(struct dd_peer *peer, u32 ctx_id);
/* The front end went away: drop the queued work of all its contexts. */
void dd_ctx_close_peer(struct dd_peer *peer);
/*
 * Stats: open contexts (listed), workers still running (closed contexts
 * finishing a job included) and jobs queued in all of them.
 */
void dd_ctx_stats(unsigned int *contexts, unsigned int *workers, unsigned int *queued);
/* Shutdown: close every context and wait for the workers to exit. */
void dd_ctx_shutdown(void);

#endif /* DD_CTX_H */
