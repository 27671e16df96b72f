// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cuse_dev.c - the device behind daedalus-cuse (see cuse_dev.h).
 *
 * One struct dd_device (common/) serves both nodes.  Every call into the
 * model is made under dd_c.lock, so the model's hooks below run with it
 * held and never take it themselves; the per-context and device locks of
 * common/ nest inside.  The thread-local dd_cur names the FUSE caller of
 * the model call in progress, which the hooks need to reach the client's
 * memory (USERPTR, DMABUF) and to resolve its request fds.
 *
 * Client memory:
 *   MMAP     a memfd per plane, mapped here; the daemon gets the fd, the
 *            client gets it through the preload shim (mmap/EXPBUF).
 *   USERPTR  OUTPUT: copied with process_vm_readv when a job is built;
 *            CAPTURE: the daemon writes it with process_vm_writev
 *            (DD_BUF_PROCESS, pid + address).
 *   DMABUF   the client's fd is duplicated with pidfd_getfd at QBUF; the
 *            daemon gets that fd, OUTPUT is read through a mapping.
 *
 * Request fds: a media-node open bound with DD_CUSE_IOC_REQ_BIND is one
 * request; (client process, fd number) -> request is recorded so that a
 * request_fd in QBUF/EXT_CTRLS resolves.  Releases are asynchronous, so a
 * closed fd's number may already name a new request when its release
 * arrives: a mapping is only dropped if it still points at that request.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <unistd.h>
#include <linux/media.h>

#include "cuse_dev.h"
#include "dd_os.h"
#include "dd_ctx.h"
#include "dd_dev.h"
#include "dd_ioctl.h"
#include "dd_request.h"
#include "dd_cuse_priv.h"
#include "cuse_fdsock.h"
#include "cuse_link.h"
#include "cuse_mem.h"
#include "cuse_media.h"
#include "cuse_event.h"
#include "cuse_core.h"

#define DD_CUSE_TOKEN_TTL_NS	(10ull * 1000000000ull)

struct dd_cuse_file {
	enum dd_cuse_node node;
	int flags;			/* open flags (O_NONBLOCK) */
	pid_t tgid;			/* the opener */
	struct dd_ctx *ctx;		/* video node */
	struct dd_request *req;		/* media node open that is a request */
	struct fuse_pollhandle *ph;	/* under dd_c.poll_lock */
	struct dd_cuse_events events;	/* video node, under dd_c.lock */
	u32 prio;			/* video node, under dd_c.lock */
	struct list_head link;		/* dd_c.files, under dd_c.poll_lock */
};

/* Memory of one plane (dd_mem.handle). */
struct dd_cuse_bufmem {
	struct dd_cuse_mem mem;		/* fd -1 for USERPTR */
	u32 memory;
	pid_t tgid;			/* USERPTR/DMABUF: the client */
	unsigned long userptr;
	void *shadow;			/* USERPTR OUTPUT: bitstream copy */
};

struct dd_cuse_reqmap {
	struct list_head link;
	pid_t tgid;
	s32 fd;
	struct dd_request *req;
};

struct dd_cuse_token {
	struct list_head link;
	u64 token;
	pid_t tgid;
	int fd;				/* dup of the memfd */
	u64 length;
	u64 expires;
};

static struct {
	pthread_mutex_t lock;		/* every model call */
	pthread_cond_t wake;		/* a buffer or request completed */
	pthread_cond_t jobs;		/* jobs ready for the daemon */
	struct dd_device dev;
	const struct dd_cuse_config *cfg;
	struct list_head reqmap;	/* under lock */
	pthread_mutex_t poll_lock;
	struct list_head files;		/* under poll_lock */
	pthread_mutex_t token_lock;
	struct list_head tokens;	/* under token_lock */
	struct dd_cuse_prio prio;	/* under lock */
	/* For the stats line (SIGUSR1), under lock. */
	unsigned int bufmems;		/* plane memories alive (MMAP/USERPTR/DMABUF) */
	unsigned long long jobs_sent, done_ok, done_failed, done_rejected;
	unsigned long long timeouts, lost_failed;
} dd_c = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.poll_lock = PTHREAD_MUTEX_INITIALIZER,
	.token_lock = PTHREAD_MUTEX_INITIALIZER,
};

static __thread const struct dd_cuse_call *dd_cur;

/* ---- poll notification ------------------------------------------------ */

static void dd_cuse_notify(struct dd_cuse_file *f)
{
	pthread_mutex_lock(&dd_c.poll_lock);
	if (f && f->ph)
		fuse_lowlevel_notify_poll(f->ph);
	pthread_mutex_unlock(&dd_c.poll_lock);
}

/* ---- model hooks (dd_c.lock held) ------------------------------------- */

static int dd_cuse_mem_alloc_hook(void *fe, struct dd_ctx *ctx, struct dd_buffer *buf,
				  struct dd_mem *m)
{
	struct dd_cuse_bufmem *bm = dd_zalloc(sizeof(*bm));
	int ret;

	if (!bm)
		return -ENOMEM;
	bm->memory = V4L2_MEMORY_MMAP;
	ret = dd_cuse_mem_alloc(&bm->mem, m->length, "daedalus-buffer");
	if (ret || !dd_cuse_mem_map(&bm->mem)) {
		dd_err("cuse: cannot allocate a %u byte buffer: %s", m->length,
		       strerror(ret ? -ret : errno));
		dd_cuse_mem_free(&bm->mem);
		dd_free(bm);
		return ret ? ret : -ENOMEM;
	}
	m->handle = bm;
	m->vaddr = bm->mem.map;
	dd_c.bufmems++;
	return 0;
}

static int dd_cuse_mem_attach_hook(void *fe, struct dd_ctx *ctx, struct dd_buffer *buf,
				   struct dd_mem *m)
{
	bool output = V4L2_TYPE_IS_OUTPUT(buf->q->type);
	struct dd_cuse_bufmem *bm;
	int ret;

	if (!dd_cur)
		return -EINVAL;
	bm = dd_zalloc(sizeof(*bm));
	if (!bm)
		return -ENOMEM;
	bm->memory = m->memory;
	bm->tgid = dd_cur->tgid;
	bm->mem.fd = -1;
	if (m->memory == V4L2_MEMORY_USERPTR) {
		bm->userptr = m->userptr;
		if (output) {
			bm->shadow = malloc(m->length ? m->length : 1);
			if (!bm->shadow) {
				dd_free(bm);
				return -ENOMEM;
			}
			m->vaddr = bm->shadow;
		}
	} else {
		ret = dd_cuse_mem_import(&bm->mem, bm->tgid, m->fd);
		if (!ret && bm->mem.size < m->length) {
			dd_dbg("cuse: dmabuf fd %d has %zu bytes, plane needs %u", m->fd,
			       bm->mem.size, m->length);
			ret = -EINVAL;
		}
		if (!ret && output && !dd_cuse_mem_map(&bm->mem))
			ret = -EINVAL;
		if (ret) {
			dd_cuse_mem_free(&bm->mem);
			dd_free(bm);
			return ret;
		}
		m->vaddr = bm->mem.map;
	}
	m->handle = bm;
	dd_c.bufmems++;
	return 0;
}

static void dd_cuse_mem_release_hook(void *fe, struct dd_ctx *ctx, struct dd_buffer *buf,
				     struct dd_mem *m)
{
	struct dd_cuse_bufmem *bm = m->handle;

	if (!bm)
		return;
	dd_cuse_mem_free(&bm->mem);	/* client mappings keep the memfd pages */
	free(bm->shadow);
	dd_free(bm);
	m->handle = NULL;
	m->vaddr = NULL;
	dd_c.bufmems--;
}

static struct dd_request *dd_cuse_request_get(void *fe, struct dd_ctx *ctx, s32 fd)
{
	struct dd_cuse_reqmap *r;

	if (!dd_cur)
		return NULL;
	list_for_each_entry(r, &dd_c.reqmap, link) {
		if (r->tgid == dd_cur->tgid && r->fd == fd) {
			dd_request_get(r->req);
			return r->req;
		}
	}
	return NULL;
}

static int dd_cuse_job_buffers(void *fe, struct dd_ctx *ctx, struct dd_job *job,
			       struct dd_buffer *out, struct dd_buffer *cap)
{
	struct dd_cuse_bufmem *obm = out->planes[0].handle;
	struct dd_cuse_bufmem *cbm = cap->planes[0].handle;
	struct dd_mem *om = &out->planes[0];
	int ret;

	if (!obm || !cbm)
		return -EINVAL;
	/* USERPTR bitstream: read now, the job copies it right after. */
	if (obm->memory == V4L2_MEMORY_USERPTR) {
		ret = dd_cuse_read_process(obm->tgid, obm->userptr, obm->shadow,
					   min(om->bytesused, om->length));
		if (ret) {
			dd_err("cuse: cannot read the bitstream of process %d at %#lx: %s",
			       (int)obm->tgid, obm->userptr, strerror(-ret));
			return ret;
		}
	}
	if (cbm->memory == V4L2_MEMORY_USERPTR) {
		job->proto.capture.kind = DD_BUF_PROCESS;
		job->proto.capture.id = cbm->tgid;
		job->proto.capture.offset = cbm->userptr;
	} else {
		job->proto.capture.kind = DD_BUF_FD;
		job->proto.capture.id = 0;	/* the one fd sent with the JOB */
		job->proto.capture.offset = 0;
	}
	job->proto.capture.size = cap->planes[0].length;
	job->fe_data = cbm;
	return 0;
}

static void dd_cuse_job_ready(void *fe)
{
	pthread_cond_signal(&dd_c.jobs);
}

static void dd_cuse_ctx_closed(void *fe, u32 ctx_id)
{
	dd_cuse_link_ctx_close(ctx_id);
}

static void dd_cuse_ctx_wake(void *fe, struct dd_ctx *ctx)
{
	pthread_cond_broadcast(&dd_c.wake);
	if (!ctx->closed)		/* its file is being released */
		dd_cuse_notify(ctx->fe_priv);
}

static void dd_cuse_request_done(void *fe, struct dd_request *req)
{
	pthread_cond_broadcast(&dd_c.wake);
	dd_cuse_notify(req->fe_priv);	/* NULL once its fd is released */
}

static const struct dd_dev_ops dd_cuse_dev_ops = {
	.mem_alloc	= dd_cuse_mem_alloc_hook,
	.mem_attach	= dd_cuse_mem_attach_hook,
	.mem_release	= dd_cuse_mem_release_hook,
	.request_get	= dd_cuse_request_get,
	.job_buffers	= dd_cuse_job_buffers,
	.job_ready	= dd_cuse_job_ready,
	.ctx_closed	= dd_cuse_ctx_closed,
	.ctx_wake	= dd_cuse_ctx_wake,
	.request_done	= dd_cuse_request_done,
};

/* ---- the daemon side -------------------------------------------------- */

/*
 * Encode a job and send it.  Called with dd_c.lock held; drops it around
 * the send so a slow daemon never blocks the ioctl paths (job->proto stays
 * valid until dd_dev_job_put, and the CAPTURE fd is duplicated first).
 */
static void dd_cuse_send_one(struct dd_job *job)
{
	struct dd_cuse_bufmem *cbm = job->fe_data;
	struct dd_proto_done fail = {
		.ctx_id = job->proto.ctx_id, .cookie = job->proto.cookie,
		.status = DD_STATUS_ERROR,
	};
	int fds[1], nfds = 0, ret = -ENOMEM;
	void *msg = NULL;
	long len;

	if (job->proto.capture.kind == DD_BUF_FD) {
		if (!cbm || cbm->mem.fd < 0)
			goto fail;
		fds[0] = fcntl(cbm->mem.fd, F_DUPFD_CLOEXEC, 3);
		if (fds[0] < 0)
			goto fail;
		nfds = 1;
	}
	len = dd_proto_job_size(&job->proto);
	msg = len > 0 ? malloc(len) : NULL;
	if (!msg || dd_proto_encode_job(msg, len, &job->proto) != len) {
		dd_err("cuse: cannot encode job %llu", (unsigned long long)job->proto.cookie);
		goto fail;
	}
	pthread_mutex_unlock(&dd_c.lock);
	ret = dd_cuse_link_send_job(msg, len, fail.ctx_id, fail.cookie, fds, nfds);
	pthread_mutex_lock(&dd_c.lock);
fail:
	free(msg);
	if (nfds)
		close(fds[0]);
	if (ret)
		dd_dev_complete_job(&dd_c.dev, &fail);
	else
		dd_c.jobs_sent++;
}

/*
 * Sends ready jobs and is the watchdog: unanswered jobs are checked a few
 * times per timeout (at most once a second), also while jobs keep coming.
 */
static void *dd_cuse_sender(void *arg)
{
	u64 period_ns = min(1000000000ull, (u64)dd_c.cfg->timeout_ms * 1000000ull / 4);
	struct dd_job *job;
	struct timespec ts;
	unsigned int n;

	pthread_mutex_lock(&dd_c.lock);
	for (;;) {
		job = dd_dev_next_job(&dd_c.dev);
		if (job) {
			dd_cuse_send_one(job);
			dd_dev_job_put(&dd_c.dev, job);
		} else {
			clock_gettime(CLOCK_MONOTONIC, &ts);
			ts.tv_nsec += period_ns;
			ts.tv_sec += ts.tv_nsec / 1000000000;
			ts.tv_nsec %= 1000000000;
			pthread_cond_timedwait(&dd_c.jobs, &dd_c.lock, &ts);
		}
		n = dd_dev_expire_jobs(&dd_c.dev, dd_time_ns());
		dd_c.timeouts += n;
		if (n)
			dd_err("cuse: %u jobs not answered by the daemon in %u ms: failed", n,
			       dd_c.cfg->timeout_ms);
	}
	return NULL;
}

static void dd_cuse_on_done(const struct dd_proto_done *done, void *priv)
{
	int ret;

	pthread_mutex_lock(&dd_c.lock);
	ret = dd_dev_complete_job(&dd_c.dev, done);
	if (ret)
		dd_c.done_rejected++;
	else if (done->status == DD_STATUS_OK)
		dd_c.done_ok++;
	else
		dd_c.done_failed++;
	pthread_mutex_unlock(&dd_c.lock);
	if (ret)
		dd_warn("cuse: DONE for job %llu of context %u rejected (%d)",
			(unsigned long long)done->cookie, done->ctx_id, ret);
	else if (done->status != DD_STATUS_OK)
		dd_warn("cuse: job %llu of context %u failed in the daemon (status %u)",
			(unsigned long long)done->cookie, done->ctx_id, done->status);
}

static void dd_cuse_on_lost(void *priv)
{
	unsigned int n;

	pthread_mutex_lock(&dd_c.lock);
	n = dd_dev_fail_all_jobs(&dd_c.dev);
	dd_c.lost_failed += n;
	pthread_mutex_unlock(&dd_c.lock);
	if (n)
		dd_err("cuse: daemon connection lost: %u jobs failed", n);
}

void dd_cuse_dev_log_stats(void)
{
	struct dd_dev_stats st;
	unsigned int files = 0, tokens = 0, reqmaps = 0;
	struct dd_cuse_file *f;
	struct dd_cuse_token *t;
	struct dd_cuse_reqmap *r;

	pthread_mutex_lock(&dd_c.poll_lock);
	list_for_each_entry(f, &dd_c.files, link)
		files++;
	pthread_mutex_unlock(&dd_c.poll_lock);
	pthread_mutex_lock(&dd_c.token_lock);
	list_for_each_entry(t, &dd_c.tokens, link)
		tokens++;
	pthread_mutex_unlock(&dd_c.token_lock);
	pthread_mutex_lock(&dd_c.lock);
	list_for_each_entry(r, &dd_c.reqmap, link)
		reqmaps++;
	dd_dev_get_stats(&dd_c.dev, &st);
	dd_info("cuse: stats: files %u contexts %u requests %u request_fds %u buffers %u "
		"tokens %u jobs_ready %u jobs_running %u sent %llu done %llu failed %llu "
		"rejected %llu timeouts %llu lost %llu",
		files, st.contexts, st.requests, reqmaps, dd_c.bufmems, tokens, st.ready,
		st.running, dd_c.jobs_sent, dd_c.done_ok, dd_c.done_failed,
		dd_c.done_rejected, dd_c.timeouts, dd_c.lost_failed);
	pthread_mutex_unlock(&dd_c.lock);
}

/* ---- buffer tokens for the preload shim -------------------------------- */

static void dd_cuse_token_expire(u64 now)
{
	struct dd_cuse_token *t, *tmp;

	list_for_each_entry_safe(t, tmp, &dd_c.tokens, link) {
		if (t->expires < now) {
			list_del(&t->link);
			close(t->fd);
			dd_free(t);
		}
	}
}

static int dd_cuse_token_redeem(uint64_t token, pid_t peer, uint64_t *length)
{
	struct dd_cuse_token *t;
	int fd = -ENOENT;

	pthread_mutex_lock(&dd_c.token_lock);
	dd_cuse_token_expire(dd_time_ns());
	list_for_each_entry(t, &dd_c.tokens, link) {
		if (t->token != token)
			continue;
		if (t->tgid != peer) {
			fd = -EPERM;
			break;
		}
		list_del(&t->link);
		fd = t->fd;
		*length = t->length;
		dd_free(t);
		break;
	}
	pthread_mutex_unlock(&dd_c.token_lock);
	return fd;
}

static long dd_cuse_buf_token(struct dd_cuse_file *f, struct dd_cuse_buf_token *bt,
			      const struct dd_cuse_call *c)
{
	struct dd_cuse_token *t;
	struct dd_buffer *buf = NULL;
	struct dd_mem *m = NULL;
	struct dd_queue *q;
	int fd;

	if (bt->by == DD_CUSE_TOKEN_BY_OFFSET) {
		if (bt->offset > UINT32_MAX)
			return -EINVAL;
		m = dd_ctx_find_mmap(f->ctx, (u32)bt->offset, &buf);
		if (m && bt->length > m->length) {
			dd_dbg("cuse: mmap of %llu bytes, plane has %u",
			       (unsigned long long)bt->length, m->length);
			return -EINVAL;
		}
	} else if (bt->by == DD_CUSE_TOKEN_BY_INDEX) {
		dd_mutex_lock(&f->ctx->lock);
		q = dd_ctx_queue(f->ctx, bt->type);
		if (q && q->memory == V4L2_MEMORY_MMAP) {
			buf = dd_queue_get(q, bt->index);
			if (buf && bt->plane < buf->num_planes)
				m = &buf->planes[bt->plane];
		}
		dd_mutex_unlock(&f->ctx->lock);
	}
	if (!m || !m->handle)
		return -EINVAL;
	fd = fcntl(((struct dd_cuse_bufmem *)m->handle)->mem.fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	t = dd_zalloc(sizeof(*t));
	if (!t || getrandom(&t->token, sizeof(t->token), 0) != sizeof(t->token)) {
		close(fd);
		dd_free(t);
		return -ENOMEM;
	}
	t->tgid = c->tgid;
	t->fd = fd;
	t->length = m->length;
	t->expires = dd_time_ns() + DD_CUSE_TOKEN_TTL_NS;
	pthread_mutex_lock(&dd_c.token_lock);
	dd_cuse_token_expire(dd_time_ns());	/* unredeemed tokens hold fds */
	list_add_tail(&t->link, &dd_c.tokens);
	pthread_mutex_unlock(&dd_c.token_lock);
	bt->token = t->token;
	bt->length = m->length;
	return 0;
}

/* ---- requests ---------------------------------------------------------- */

static long dd_cuse_req_bind(struct dd_cuse_file *f, const struct dd_cuse_req_bind *b,
			     const struct dd_cuse_call *c)
{
	struct dd_cuse_reqmap *r, *tmp;

	if (f->req)
		return -EBUSY;
	if (b->fd < 0)
		return -EBADF;
	f->req = dd_request_alloc(&dd_c.dev, f);
	if (!f->req)
		return -ENOMEM;
	/* The fd number was closed and reused before its release came. */
	list_for_each_entry_safe(r, tmp, &dd_c.reqmap, link) {
		if (r->tgid == c->tgid && r->fd == b->fd) {
			list_del(&r->link);
			dd_free(r);
		}
	}
	r = dd_zalloc(sizeof(*r));
	if (!r) {
		dd_request_put(f->req);
		f->req = NULL;
		return -ENOMEM;
	}
	r->tgid = c->tgid;
	r->fd = b->fd;
	r->req = f->req;
	list_add_tail(&r->link, &dd_c.reqmap);
	return 0;
}

static void dd_cuse_req_unbind(struct dd_cuse_file *f)
{
	struct dd_cuse_reqmap *r, *tmp;

	list_for_each_entry_safe(r, tmp, &dd_c.reqmap, link) {
		if (r->req == f->req) {
			list_del(&r->link);
			dd_free(r);
		}
	}
	f->req->fe_priv = NULL;
	dd_request_put(f->req);
	f->req = NULL;
}

/* ---- entry points ------------------------------------------------------ */

int dd_cuse_dev_init(const struct dd_cuse_config *cfg)
{
	pthread_condattr_t ca;
	pthread_t t;
	int ret;

	/*
	 * Timed waits (the watchdog, blocking DQBUF) on the monotonic clock: a
	 * wall-clock step back (NTP on a board without RTC) must not stall them.
	 */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&dd_c.wake, &ca);
	pthread_cond_init(&dd_c.jobs, &ca);
	pthread_condattr_destroy(&ca);
	dd_c.cfg = cfg;
	INIT_LIST_HEAD(&dd_c.reqmap);
	INIT_LIST_HEAD(&dd_c.files);
	INIT_LIST_HEAD(&dd_c.tokens);
	dd_dev_init(&dd_c.dev, &dd_cuse_dev_ops, &dd_c);
	dd_c.dev.max_in_flight = cfg->max_in_flight;
	dd_dev_set_timeout(&dd_c.dev, (u64)cfg->timeout_ms * 1000000ull);

	mkdir("/run/daedalus-v4l2", 0755);
	ret = dd_cuse_fdsock_start(cfg->fd_sock, dd_cuse_token_redeem);
	if (ret) {
		dd_err("cuse: cannot listen on %s: %s", cfg->fd_sock, strerror(-ret));
		return ret;
	}
	ret = dd_cuse_link_start(cfg->daemon_sock, dd_cuse_on_done, dd_cuse_on_lost, NULL);
	if (!ret)
		ret = -pthread_create(&t, NULL, dd_cuse_sender, NULL);
	if (ret)
		dd_err("cuse: cannot start threads: %s", strerror(-ret));
	return ret;
}

int dd_cuse_open(enum dd_cuse_node node, int flags, const struct dd_cuse_call *c,
		 struct dd_cuse_file **fp)
{
	struct dd_cuse_file *f = dd_zalloc(sizeof(*f));

	if (!f)
		return -ENOMEM;
	f->node = node;
	f->flags = flags;
	f->tgid = c->tgid;
	if (node == DD_CUSE_VIDEO) {
		pthread_mutex_lock(&dd_c.lock);
		f->ctx = dd_ctx_open(&dd_c.dev, f);
		if (f->ctx)
			dd_cuse_prio_open(&dd_c.prio, &f->prio);
		pthread_mutex_unlock(&dd_c.lock);
		if (!f->ctx) {
			dd_free(f);
			return -ENOMEM;
		}
	}
	pthread_mutex_lock(&dd_c.poll_lock);
	list_add_tail(&f->link, &dd_c.files);
	pthread_mutex_unlock(&dd_c.poll_lock);
	*fp = f;
	return 0;
}

void dd_cuse_release(struct dd_cuse_file *f)
{
	pthread_mutex_lock(&dd_c.lock);
	if (f->ctx) {
		dd_cuse_prio_close(&dd_c.prio, &f->prio);
		dd_ctx_close(f->ctx);
	}
	if (f->req)
		dd_cuse_req_unbind(f);
	pthread_mutex_unlock(&dd_c.lock);
	pthread_mutex_lock(&dd_c.poll_lock);
	list_del(&f->link);
	if (f->ph)
		fuse_pollhandle_destroy(f->ph);
	pthread_mutex_unlock(&dd_c.poll_lock);
	dd_free(f);
}

static long dd_cuse_video_ioctl(struct dd_cuse_file *f, unsigned int cmd, void *arg,
				const struct dd_cuse_call *c)
{
	struct timespec ts;
	long ret;

	/* The only argument-less V4L2 ioctl; the core says ENOTTY to the rest. */
	if (!arg && cmd != VIDIOC_LOG_STATUS)
		return -ENOTTY;
	switch (cmd) {
	case DD_CUSE_IOC_BUF_TOKEN:
		return dd_cuse_buf_token(f, arg, c);
	case VIDIOC_SUBSCRIBE_EVENT:
	case VIDIOC_UNSUBSCRIBE_EVENT:
	case VIDIOC_DQEVENT:
		return dd_cuse_event_ioctl(&f->events, f->ctx, cmd, arg);
	}
	if (dd_cuse_core_pre(&dd_c.prio, &f->prio, cmd, arg, &ret))
		return ret;
	ret = dd_ioctl(f->ctx, cmd, arg);
	if (!ret)
		dd_cuse_core_post(cmd, arg);
	if (!ret && (cmd == VIDIOC_S_CTRL || cmd == VIDIOC_S_EXT_CTRLS))
		dd_cuse_event_ctrls_set(&f->events, f->ctx, cmd, arg);
	/* Blocking DQBUF: wait for a completion, as vb2 does, interruptibly. */
	while (ret == -EAGAIN && cmd == VIDIOC_DQBUF && !(f->flags & O_NONBLOCK)) {
		if (fuse_req_interrupted(c->req))
			return -EINTR;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&dd_c.wake, &dd_c.lock, &ts);
		ret = dd_ioctl(f->ctx, cmd, arg);
	}
	return ret;
}

static long dd_cuse_media_ioctl(struct dd_cuse_file *f, unsigned int cmd, void *arg,
				const struct dd_cuse_call *c)
{
	if (f->req) {
		switch (cmd) {
		case MEDIA_REQUEST_IOC_QUEUE:
			return dd_request_queue(f->req);
		case MEDIA_REQUEST_IOC_REINIT:
			return dd_request_reinit(f->req);
		default:
			return -ENOTTY;
		}
	}
	switch (cmd) {
	case DD_CUSE_IOC_REQ_BIND:
		return dd_cuse_req_bind(f, arg, c);
	case MEDIA_IOC_DEVICE_INFO:
		return dd_cuse_media_info(arg);
	case MEDIA_IOC_G_TOPOLOGY:
		return dd_cuse_media_topology(arg, dd_c.cfg->video_name);
	case MEDIA_IOC_REQUEST_ALLOC:
		/* Only reached without the shim: CUSE cannot create the fd. */
		dd_warn("cuse: MEDIA_IOC_REQUEST_ALLOC from pid %d needs LD_PRELOAD=libdaedalus-preload.so",
			(int)c->tgid);
		return -ENOTTY;
	default:
		return -ENOTTY;
	}
}

long dd_cuse_ioctl(struct dd_cuse_file *f, unsigned int cmd, void *arg,
		   const struct dd_cuse_call *c)
{
	struct dd_cuse_ident *id;
	long ret;

	if (cmd == DD_CUSE_IOC_IDENT) {
		id = arg;
		memset(id, 0, sizeof(*id));
		id->magic = DD_CUSE_MAGIC;
		id->node = f->node == DD_CUSE_VIDEO ? DD_CUSE_NODE_VIDEO : DD_CUSE_NODE_MEDIA;
		snprintf(id->sock_path, sizeof(id->sock_path), "%s", dd_c.cfg->fd_sock);
		return 0;
	}
	pthread_mutex_lock(&dd_c.lock);
	dd_cur = c;
	if (f->node == DD_CUSE_VIDEO)
		ret = dd_cuse_video_ioctl(f, cmd, arg, c);
	else
		ret = dd_cuse_media_ioctl(f, cmd, arg, c);
	dd_cur = NULL;
	pthread_mutex_unlock(&dd_c.lock);
	return ret;
}

unsigned int dd_cuse_poll(struct dd_cuse_file *f, struct fuse_pollhandle *ph)
{
	unsigned int ev = 0, m;

	/* Keep the handle first, so a completion racing with us notifies it. */
	if (ph) {
		pthread_mutex_lock(&dd_c.poll_lock);
		if (f->ph)
			fuse_pollhandle_destroy(f->ph);
		f->ph = ph;
		pthread_mutex_unlock(&dd_c.poll_lock);
	}
	pthread_mutex_lock(&dd_c.lock);
	if (f->ctx) {
		m = dd_ctx_poll(f->ctx);
		if (m & DD_POLL_OUT)
			ev |= POLLOUT | POLLWRNORM;
		if (m & DD_POLL_IN)
			ev |= POLLIN | POLLRDNORM;
		if (m & DD_POLL_ERR)
			ev |= POLLERR;
		if (dd_cuse_event_pending(&f->events))
			ev |= POLLPRI;
	} else if (f->req && dd_request_is_complete(f->req)) {
		ev |= POLLPRI;
	}
	pthread_mutex_unlock(&dd_c.lock);
	return ev;
}
