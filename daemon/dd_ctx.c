// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_ctx.c - per-(front end, ctx_id) decoding contexts and their workers.
 */
#include <malloc.h>

#include "dd_ctx.h"

struct dd_item {
	struct list_head node;
	struct dd_rx rx;
	struct dd_proto_job job;	/* points into rx.buf */
};

struct dd_ctx {
	struct list_head node;		/* dd_ctx_active, under dd_ctx_lock */
	struct dd_peer *peer;		/* a reference */
	u32 ctx_id;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct list_head queue;
	bool closing;			/* finish the queue, then exit */
	bool abort;			/* drop the queue */
	struct dd_dec *dec;
	u32 codec;			/* of dec */
};

struct dd_dec_opts dd_ctx_dec_opts;

static pthread_mutex_t dd_ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t dd_ctx_gone = PTHREAD_COND_INITIALIZER;
static LIST_HEAD(dd_ctx_active);
static unsigned int dd_ctx_workers;

static const char *dd_status_name(u32 status)
{
	switch (status) {
	case DD_STATUS_OK:
		return "OK";
	case DD_STATUS_ERROR:
		return "ERROR";
	default:
		return "UNSUPPORTED";
	}
}

/*
 * copy_us: the copy (and hash) part of done->decode_us (the benchmark
 * reads it).  The hash shows as "-" unless the daemon runs with --hash.
 */
static void dd_ctx_send_done(struct dd_peer *peer, const struct dd_proto_done *done,
			     u32 codec, u32 copy_us)
{
	struct dd_wire_done w;
	long n = dd_proto_encode_done(&w, sizeof(w), done);
	char hash[17] = "-";

	if (dd_ctx_dec_opts.hash)
		snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)done->hash);
	fprintf(stderr, "%s ctx %u cookie %llu %s %s hash %s %u us copy %u us\n",
		peer->name, done->ctx_id, (unsigned long long)done->cookie,
		dd_dec_codec_name(codec), dd_status_name(done->status), hash,
		done->decode_us, copy_us);
	if (n > 0)
		dd_peer_send(peer, &w, n);
}

static void dd_ctx_run_job(struct dd_ctx *ctx, struct dd_item *item)
{
	const struct dd_proto_job *job = &item->job;
	struct dd_proto_done done = { .ctx_id = job->ctx_id, .cookie = job->cookie };
	struct dd_capture cap;

	if (ctx->dec && job->codec != ctx->codec) {
		/* The client switched the OUTPUT format to another codec. */
		dd_dec_free(ctx->dec);
		ctx->dec = NULL;
	}
	if (!ctx->dec) {
		ctx->codec = job->codec;
		ctx->dec = dd_dec_new(job->codec, &dd_ctx_dec_opts);
		if (!ctx->dec) {
			dd_err("%s ctx %u: no decoder for codec %s", ctx->peer->name, ctx->ctx_id,
			       dd_dec_codec_name(job->codec));
			done.status = DD_STATUS_UNSUPPORTED;
			goto send;
		}
	}
	if (dd_peer_map(ctx->peer, &item->rx, job, &cap)) {
		done.status = DD_STATUS_ERROR;
		goto send;
	}
	dd_dec_decode(ctx->dec, job, &cap.dst, &done);
	dd_peer_unmap(ctx->peer, &cap);
send:
	dd_ctx_send_done(ctx->peer, &done, job->codec, ctx->dec ? dd_dec_copy_us(ctx->dec) : 0);
}

static void dd_item_free(struct dd_item *item)
{
	dd_rx_free(&item->rx);
	free(item);
}

static void *dd_ctx_worker(void *arg)
{
	struct dd_ctx *ctx = arg;
	struct dd_item *item, *tmp;
	unsigned int n;

	for (;;) {
		pthread_mutex_lock(&ctx->lock);
		while (list_empty(&ctx->queue) && !ctx->closing)
			pthread_cond_wait(&ctx->cond, &ctx->lock);
		if (ctx->abort || (ctx->closing && list_empty(&ctx->queue))) {
			pthread_mutex_unlock(&ctx->lock);
			break;
		}
		item = list_first_entry(&ctx->queue, struct dd_item, node);
		list_del(&item->node);
		pthread_mutex_unlock(&ctx->lock);
		if (!__atomic_load_n(&ctx->peer->dead, __ATOMIC_ACQUIRE))
			dd_ctx_run_job(ctx, item);
		dd_item_free(item);
	}
	list_for_each_entry_safe(item, tmp, &ctx->queue, node) {
		list_del(&item->node);
		dd_item_free(item);
	}
	/* The context's buffers are gone with it: do not keep them mapped. */
	n = dd_capmap_drop_owner(&ctx->peer->capmap, ctx->ctx_id);
	if (dd_log_debug)
		dd_dbg("%s ctx %u: closed, %u mappings dropped", ctx->peer->name, ctx->ctx_id, n);
	dd_dec_free(ctx->dec);
	dd_peer_put(ctx->peer);
	pthread_mutex_destroy(&ctx->lock);
	pthread_cond_destroy(&ctx->cond);
	free(ctx);
	/*
	 * A decoder is megabytes of per-thread arena memory that glibc keeps
	 * after free(): without a trim the daemon's RSS climbs to the sum of
	 * every arena's peak over hours (seen in the soak) instead of
	 * following the contexts open now.
	 */
	malloc_trim(0);

	pthread_mutex_lock(&dd_ctx_lock);
	dd_ctx_workers--;
	pthread_cond_broadcast(&dd_ctx_gone);
	pthread_mutex_unlock(&dd_ctx_lock);
	return NULL;
}

/* Under dd_ctx_lock. */
static struct dd_ctx *dd_ctx_find(struct dd_peer *peer, u32 ctx_id)
{
	struct dd_ctx *ctx;

	list_for_each_entry(ctx, &dd_ctx_active, node)
		if (ctx->peer == peer && ctx->ctx_id == ctx_id)
			return ctx;
	return NULL;
}

/* Under dd_ctx_lock. */
static struct dd_ctx *dd_ctx_create(struct dd_peer *peer, u32 ctx_id)
{
	struct dd_ctx *ctx = calloc(1, sizeof(*ctx));
	pthread_attr_t attr;
	pthread_t thread;

	if (!ctx)
		return NULL;
	ctx->peer = peer;
	ctx->ctx_id = ctx_id;
	pthread_mutex_init(&ctx->lock, NULL);
	pthread_cond_init(&ctx->cond, NULL);
	INIT_LIST_HEAD(&ctx->queue);
	dd_peer_get(peer);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, dd_ctx_worker, ctx)) {
		pthread_attr_destroy(&attr);
		dd_err("%s ctx %u: cannot start a worker", peer->name, ctx_id);
		dd_peer_put(peer);
		free(ctx);
		return NULL;
	}
	pthread_attr_destroy(&attr);
	dd_ctx_workers++;
	list_add_tail(&ctx->node, &dd_ctx_active);
	if (dd_log_debug)
		dd_dbg("%s ctx %u: opened", peer->name, ctx_id);
	return ctx;
}

/* Answer a job that cannot be queued, if its header names one. */
static void dd_ctx_reject(struct dd_peer *peer, const struct dd_rx *rx, u32 status)
{
	const struct dd_msg_hdr *hdr = (const struct dd_msg_hdr *)rx->buf;
	struct dd_proto_done done = { .status = status };

	if (rx->len < sizeof(*hdr) || dd_proto_check_hdr(rx->buf, rx->len, NULL))
		return;
	done.ctx_id = le32_to_cpu(hdr->ctx_id);
	done.cookie = le64_to_cpu(hdr->cookie);
	dd_ctx_send_done(peer, &done, 0, 0);
}

void dd_ctx_submit_job(struct dd_peer *peer, struct dd_rx *rx)
{
	struct dd_item *item = calloc(1, sizeof(*item));
	struct dd_ctx *ctx;

	if (!item) {
		dd_ctx_reject(peer, rx, DD_STATUS_ERROR);
		dd_rx_free(rx);
		return;
	}
	item->rx = *rx;
	if (dd_proto_decode_job(item->rx.buf, item->rx.len, &item->job)) {
		dd_warn("%s: malformed JOB rejected", peer->name);
		dd_ctx_reject(peer, &item->rx, DD_STATUS_ERROR);
		dd_item_free(item);
		return;
	}
	pthread_mutex_lock(&dd_ctx_lock);
	ctx = dd_ctx_find(peer, item->job.ctx_id);
	if (!ctx)
		ctx = dd_ctx_create(peer, item->job.ctx_id);
	if (!ctx) {
		pthread_mutex_unlock(&dd_ctx_lock);
		dd_ctx_reject(peer, &item->rx, DD_STATUS_ERROR);
		dd_item_free(item);
		return;
	}
	pthread_mutex_lock(&ctx->lock);
	list_add_tail(&item->node, &ctx->queue);
	pthread_cond_signal(&ctx->cond);
	pthread_mutex_unlock(&ctx->lock);
	pthread_mutex_unlock(&dd_ctx_lock);
}

/* Under dd_ctx_lock: unlist the context and tell its worker to finish. */
static void dd_ctx_end(struct dd_ctx *ctx, bool abort)
{
	list_del_init(&ctx->node);
	pthread_mutex_lock(&ctx->lock);
	ctx->closing = true;
	ctx->abort = abort;
	pthread_cond_signal(&ctx->cond);
	pthread_mutex_unlock(&ctx->lock);
}

void dd_ctx_close(struct dd_peer *peer, u32 ctx_id)
{
	struct dd_ctx *ctx;

	pthread_mutex_lock(&dd_ctx_lock);
	ctx = dd_ctx_find(peer, ctx_id);
	if (ctx)
		dd_ctx_end(ctx, true);
	pthread_mutex_unlock(&dd_ctx_lock);
	if (!ctx && dd_log_debug)
		dd_dbg("%s: CTX_CLOSE of unknown ctx %u", peer->name, ctx_id);
}

void dd_ctx_close_peer(struct dd_peer *peer)
{
	struct dd_ctx *ctx, *tmp;

	pthread_mutex_lock(&dd_ctx_lock);
	list_for_each_entry_safe(ctx, tmp, &dd_ctx_active, node)
		if (ctx->peer == peer)
			dd_ctx_end(ctx, true);
	pthread_mutex_unlock(&dd_ctx_lock);
}

void dd_ctx_stats(unsigned int *contexts, unsigned int *workers, unsigned int *queued)
{
	struct dd_item *item;
	struct dd_ctx *ctx;

	*contexts = *queued = 0;
	pthread_mutex_lock(&dd_ctx_lock);
	list_for_each_entry(ctx, &dd_ctx_active, node) {
		(*contexts)++;
		pthread_mutex_lock(&ctx->lock);
		list_for_each_entry(item, &ctx->queue, node)
			(*queued)++;
		pthread_mutex_unlock(&ctx->lock);
	}
	*workers = dd_ctx_workers;
	pthread_mutex_unlock(&dd_ctx_lock);
}

void dd_ctx_shutdown(void)
{
	struct dd_ctx *ctx, *tmp;

	pthread_mutex_lock(&dd_ctx_lock);
	list_for_each_entry_safe(ctx, tmp, &dd_ctx_active, node)
		dd_ctx_end(ctx, true);
	while (dd_ctx_workers)
		pthread_cond_wait(&dd_ctx_gone, &dd_ctx_lock);
	pthread_mutex_unlock(&dd_ctx_lock);
}
