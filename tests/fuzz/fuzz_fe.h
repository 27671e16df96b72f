/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * fuzz_fe.h - what the libFuzzer targets share: a reader over the fuzz
 * input, and a fake userspace front end for struct dd_device that backs
 * every plane (MMAP, USERPTR, DMABUF) with heap memory of exactly the
 * plane's length, so that ASan sees any access past what the CUSE server
 * would have mapped.  Request fds live in a small table, as in
 * tests/unit/tdev.h (which needs Criterion; this one must not).
 */
#ifndef FUZZ_FE_H
#define FUZZ_FE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dd_os.h"
#include "dd_ctx.h"
#include "dd_dev.h"
#include "dd_ioctl.h"
#include "dd_request.h"

/* ---- input reader ------------------------------------------------------ */

struct fz_in {
	const u8 *p;
	size_t len;
};

static inline bool fz_empty(const struct fz_in *in)
{
	return in->len == 0;
}

/* Copy n bytes (zero-filled once the input runs out). */
static inline void fz_bytes(struct fz_in *in, void *dst, size_t n)
{
	size_t k = n < in->len ? n : in->len;

	memcpy(dst, in->p, k);
	memset((u8 *)dst + k, 0, n - k);
	in->p += k;
	in->len -= k;
}

static inline u8 fz_u8(struct fz_in *in)
{
	u8 v;

	fz_bytes(in, &v, 1);
	return v;
}

static inline u16 fz_u16(struct fz_in *in)
{
	u16 v;

	fz_bytes(in, &v, 2);
	return v;
}

static inline u32 fz_u32(struct fz_in *in)
{
	u32 v;

	fz_bytes(in, &v, 4);
	return v;
}

/* A small unsigned value, mostly in [0, max]; sometimes any u32. */
static inline u32 fz_small(struct fz_in *in, u32 max)
{
	u8 b = fz_u8(in);

	if (b == 0xff)
		return fz_u32(in);
	return b % (max + 1);
}

/* A non-NULL address where nothing may be read or written (ASan: 0-byte block). */
static inline void *fz_poison_alloc(void)
{
	return malloc(0);
}

/* ---- fake front end ---------------------------------------------------- */

#define FZ_FD_BASE	100
#define FZ_MAX_REQS	16
#define FZ_MAX_ATTACH	(8u << 20)	/* largest USERPTR/DMABUF plane imported */
/*
 * Plane memory of one run, all planes together: past it allocations fail
 * with -ENOMEM (as a front end out of memory would), which keeps 32 full
 * HD buffers per queue from dominating the fuzzer's time.
 */
#define FZ_MEM_BUDGET	(24u << 20)

struct fz_fe {
	struct dd_device dev;
	struct dd_request *reqs[FZ_MAX_REQS];
	unsigned int job_ready, ctx_closed, wakes, req_done;
	long live_mem;			/* planes backed and not released */
	size_t live_bytes;
	bool fail_alloc;
};

static inline int fz_mem_alloc(void *fe, struct dd_ctx *ctx, struct dd_buffer *buf,
			       struct dd_mem *m)
{
	struct fz_fe *f = fe;

	if (f->fail_alloc || m->length > FZ_MAX_ATTACH ||
	    f->live_bytes + m->length > FZ_MEM_BUDGET)
		return -ENOMEM;
	/* Not zeroed: calloc of MB-sized planes would dominate each run. */
	m->vaddr = malloc(m->length ? m->length : 1);
	if (!m->vaddr)
		return -ENOMEM;
	m->handle = m->vaddr;
	f->live_mem++;
	f->live_bytes += m->length;
	return 0;
}

/* The CUSE server copies/imports the client's memory: a private copy here. */
static inline int fz_mem_attach(void *fe, struct dd_ctx *ctx, struct dd_buffer *buf,
				struct dd_mem *m)
{
	return fz_mem_alloc(fe, ctx, buf, m);
}

static inline void fz_mem_release(void *fe, struct dd_ctx *ctx, struct dd_buffer *buf,
				  struct dd_mem *m)
{
	struct fz_fe *f = fe;

	if (m->vaddr != m->handle)
		abort();	/* someone else changed the front end's pointers */
	free(m->vaddr);
	f->live_mem--;
	f->live_bytes -= m->length;
}

static inline struct dd_request *fz_request_get(void *fe, struct dd_ctx *ctx, s32 fd)
{
	struct fz_fe *f = fe;
	int i = fd - FZ_FD_BASE;

	if (i < 0 || i >= FZ_MAX_REQS || !f->reqs[i])
		return NULL;
	dd_request_get(f->reqs[i]);
	return f->reqs[i];
}

static inline void fz_job_ready(void *fe)
{
	((struct fz_fe *)fe)->job_ready++;
}

static inline void fz_ctx_closed(void *fe, u32 ctx_id)
{
	((struct fz_fe *)fe)->ctx_closed++;
}

static inline void fz_ctx_wake(void *fe, struct dd_ctx *ctx)
{
	((struct fz_fe *)fe)->wakes++;
}

static inline void fz_request_done(void *fe, struct dd_request *req)
{
	((struct fz_fe *)fe)->req_done++;
}

static const struct dd_dev_ops fz_ops = {
	.mem_alloc = fz_mem_alloc,
	.mem_attach = fz_mem_attach,
	.mem_release = fz_mem_release,
	.request_get = fz_request_get,
	.job_ready = fz_job_ready,
	.ctx_closed = fz_ctx_closed,
	.ctx_wake = fz_ctx_wake,
	.request_done = fz_request_done,
};

static inline void fz_fe_init(struct fz_fe *f)
{
	memset(f, 0, sizeof(*f));
	dd_dev_init(&f->dev, &fz_ops, f);
}

/* MEDIA_IOC_REQUEST_ALLOC: the fd, or -1 when the table is full. */
static inline int fz_req_alloc(struct fz_fe *f)
{
	int i;

	for (i = 0; i < FZ_MAX_REQS; i++) {
		if (!f->reqs[i]) {
			f->reqs[i] = dd_request_alloc(&f->dev, NULL);
			return f->reqs[i] ? FZ_FD_BASE + i : -1;
		}
	}
	return -1;
}

static inline struct dd_request *fz_req(struct fz_fe *f, int fd)
{
	int i = fd - FZ_FD_BASE;

	return i >= 0 && i < FZ_MAX_REQS ? f->reqs[i] : NULL;
}

static inline void fz_req_close(struct fz_fe *f, int fd)
{
	int i = fd - FZ_FD_BASE;

	if (i >= 0 && i < FZ_MAX_REQS && f->reqs[i]) {
		dd_request_put(f->reqs[i]);
		f->reqs[i] = NULL;
	}
}

static void fz_quiet(enum dd_log_level level, const char *line)
{
	(void)level;
	(void)line;
}

#endif /* FUZZ_FE_H */
