// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * fuzz_ioctl.c - libFuzzer target: an ioctl sequence against one or two
 * contexts of a userspace device, interleaved with media request calls and
 * with a fake daemon taking jobs and answering DONE messages (fuzzed
 * status, bytesused and cookies, replays, late answers, the daemon dying,
 * the watchdog).  Argument structs come from the input; embedded pointers
 * (m.planes, controls, compound payloads) point at buffers of exactly the
 * size the CUSE server would have fetched, or at a zero-byte block where
 * it would have left a client address.  Every job handed out must encode
 * and decode back as a valid JOB message.  Everything is torn down at the
 * end of each input, so LeakSanitizer sees any object common/ loses.
 */
#include "fuzz_fe.h"
#include "dd_proto.h"

#ifdef FZ_TRACE
#include <stdio.h>
#endif

#define FZ_MAX_CTX	2
#define FZ_MAX_OUT	8	/* jobs handed to the daemon, not answered yet */
#define FZ_MAX_OPS	256

struct fz_state {
	struct fz_fe fe;
	struct dd_ctx *ctx[FZ_MAX_CTX];
	struct dd_proto_done out[FZ_MAX_OUT];
	unsigned int num_out;
	struct dd_proto_done last;	/* for replays */
	void *msg;			/* one encode buffer */
	u64 now;
};

static const u32 fz_types[] = {
	V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE, V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE,
	V4L2_BUF_TYPE_VIDEO_OUTPUT, V4L2_BUF_TYPE_VIDEO_CAPTURE, V4L2_BUF_TYPE_VIDEO_OVERLAY,
};

static const u32 fz_memories[] = {
	V4L2_MEMORY_MMAP, V4L2_MEMORY_USERPTR, V4L2_MEMORY_DMABUF, V4L2_MEMORY_OVERLAY, 0,
};

static u32 fz_type(struct fz_in *in)
{
	u8 b = fz_u8(in);

	return b < 250 ? fz_types[b % 2 ? 1 : (b / 2) % ARRAY_SIZE(fz_types)] : fz_u32(in);
}

static u32 fz_memory(struct fz_in *in)
{
	u8 b = fz_u8(in);

	return b < 128 ? V4L2_MEMORY_MMAP : fz_memories[b % ARRAY_SIZE(fz_memories)];
}

/* A request fd: mostly one of the table, sometimes anything. */
static s32 fz_req_fd(struct fz_in *in)
{
	u8 b = fz_u8(in);

	if (b < 224)
		return FZ_FD_BASE + b % FZ_MAX_REQS;
	return (s32)fz_u32(in);
}

/* A control id: one the codec has, mostly. */
static u32 fz_ctrl_id(struct fz_in *in, const struct dd_codec *codec)
{
	u8 b = fz_u8(in);

	if (b < 240 && codec && codec->num_ctrls)
		return codec->ctrls[b % codec->num_ctrls].id;
	return fz_u32(in);
}

static void fz_ext_ctrls(struct fz_state *s, struct dd_ctx *ctx, struct fz_in *in)
{
	static const unsigned int cmds[] = {
		VIDIOC_S_EXT_CTRLS, VIDIOC_TRY_EXT_CTRLS, VIDIOC_G_EXT_CTRLS,
	};
	struct v4l2_ext_control *c = NULL;
	void *payload[8] = { 0 };
	struct v4l2_ext_controls cs;
	unsigned int cmd = cmds[fz_u8(in) % ARRAY_SIZE(cmds)];
	u32 count = fz_u8(in) % 6, i;
	u8 which = fz_u8(in);

	memset(&cs, 0, sizeof(cs));
	cs.which = which < 100 ? V4L2_CTRL_WHICH_REQUEST_VAL :
		   which < 200 ? V4L2_CTRL_WHICH_CUR_VAL :
		   which < 240 ? V4L2_CTRL_WHICH_DEF_VAL : fz_u32(in);
	cs.request_fd = fz_req_fd(in);
	cs.count = count;
	if (count) {
		c = calloc(count, sizeof(*c));
		for (i = 0; i < count; i++) {
			u8 sz = fz_u8(in);
			size_t len;

			c[i].id = fz_ctrl_id(in, ctx->codec);
			if (sz < 200) {
				const struct dd_ctrl_desc *d =
					dd_codec_find_ctrl(ctx->codec, c[i].id);

				c[i].size = d ? d->elem_size * dd_ctrl_elems(d) : 0;
				if (sz & 1)
					c[i].size += (s8)fz_u8(in);
			} else {
				c[i].size = fz_u32(in);
			}
			len = dd_ctrl_payload_len(&c[i]);
			if (len) {
				payload[i] = malloc(len);
				fz_bytes(in, payload[i], len);
			} else {
				payload[i] = fz_poison_alloc();
				c[i].value64 = (s64)((u64)fz_u32(in) << 32 | fz_u32(in));
			}
			c[i].ptr = payload[i];
		}
		cs.controls = c;
	} else {
		cs.controls = fz_poison_alloc();
	}
	dd_ioctl(ctx, cmd, &cs);
	if (!count)
		free(cs.controls);
	for (i = 0; i < count; i++)
		free(payload[i]);
	free(c);
}

/* QBUF / PREPARE_BUF / QUERYBUF / DQBUF with a fuzzed v4l2_buffer. */
static void fz_buffer_ioctl(struct fz_state *s, struct dd_ctx *ctx, unsigned int cmd,
			    struct fz_in *in)
{
	struct v4l2_plane *planes = NULL;
	struct v4l2_buffer b;
	u8 mode = fz_u8(in);
	u32 i;

	memset(&b, 0, sizeof(b));
	if (mode < 64) {
		fz_bytes(in, &b, sizeof(b));
	} else {
		b.type = fz_type(in);
		b.memory = mode < 192 ? V4L2_MEMORY_MMAP : fz_memory(in);
		b.index = fz_small(in, 5);
		b.flags = fz_u8(in) < 128 ? 0 : fz_u32(in);
		if (fz_u8(in) < 160) {
			b.flags |= V4L2_BUF_FLAG_REQUEST_FD;
			b.request_fd = fz_req_fd(in);
		}
		b.timestamp.tv_sec = fz_u8(in);
		b.timestamp.tv_usec = fz_u8(in) < 200 ? 0 : (long)fz_u32(in);
		b.length = fz_small(in, 2);
		b.bytesused = fz_u32(in);
		b.field = fz_small(in, 3);
	}
	if (V4L2_TYPE_IS_MULTIPLANAR(b.type)) {
		if (b.length > VIDEO_MAX_PLANES)
			return;		/* the CUSE server refuses: -EINVAL */
		if (b.length) {
			planes = calloc(b.length, sizeof(*planes));
			for (i = 0; i < b.length; i++) {
				if (mode < 64 || fz_u8(in) < 32) {
					fz_bytes(in, &planes[i], sizeof(planes[i]));
				} else {
					planes[i].bytesused = fz_small(in, 255) * 16;
					planes[i].length = fz_u8(in) < 200 ? 0 : fz_u32(in);
					planes[i].m.userptr = 0x1000;
					planes[i].m.fd = fz_small(in, 8);
					planes[i].data_offset = fz_small(in, 4);
				}
			}
			b.m.planes = planes;
		} else {
			b.m.planes = fz_poison_alloc();
			planes = b.m.planes;
		}
	} else if (mode >= 64 && b.memory == V4L2_MEMORY_USERPTR) {
		b.m.userptr = 0x1000;
		b.length = fz_u8(in) < 128 ? 0 : fz_u32(in);
	}
	dd_ioctl(ctx, cmd, &b);
	free(planes);
}

/* The daemon takes the next job: it must encode into a JOB that decodes. */
static void fz_take_job(struct fz_state *s)
{
	struct dd_job *job = dd_dev_next_job(&s->fe.dev);
	struct dd_proto_job back;
	long n;

	if (!job)
		return;
	n = dd_proto_job_size(&job->proto);
	if (n <= 0 || (size_t)n > DD_PROTO_MAX_MSG)
		abort();
	s->msg = realloc(s->msg, (size_t)n);
	if (dd_proto_encode_job(s->msg, (size_t)n, &job->proto) != n)
		abort();
	if (dd_proto_decode_job(s->msg, (size_t)n, &back) ||
	    back.ctx_id != job->proto.ctx_id || back.cookie != job->proto.cookie ||
	    back.bitstream.size != job->proto.bitstream.size)
		abort();
	if (s->num_out < FZ_MAX_OUT) {
		struct dd_proto_done *d = &s->out[s->num_out++];

		memset(d, 0, sizeof(*d));
		d->ctx_id = job->proto.ctx_id;
		d->cookie = job->proto.cookie;
		d->bytesused = job->proto.capture.size;
	}
	dd_dev_job_put(&s->fe.dev, job);
}

/* A DONE: for a job out (fuzzed fields), a replay, or made up. */
static void fz_done(struct fz_state *s, struct fz_in *in)
{
	struct dd_proto_done d;
	u8 how = fz_u8(in);

	if (how < 160 && s->num_out) {
		unsigned int i = fz_u8(in) % s->num_out;

		d = s->out[i];
		s->out[i] = s->out[--s->num_out];
		d.status = fz_u8(in) < 200 ? DD_STATUS_OK : fz_u32(in);
		if (fz_u8(in) >= 200)
			d.bytesused = fz_u32(in);
		if (fz_u8(in) >= 240)
			d.cookie ^= 1ull << (fz_u8(in) % 64);
		if (fz_u8(in) >= 240)
			d.ctx_id = fz_u32(in);
	} else if (how < 200) {
		d = s->last;
	} else {
		memset(&d, 0, sizeof(d));
		d.ctx_id = fz_small(in, 4);
		d.cookie = fz_small(in, 16);
		d.status = fz_small(in, 3);
		d.bytesused = fz_u32(in);
	}
	d.hash = 0x1234;
	s->last = d;
	dd_dev_complete_job(&s->fe.dev, &d);
}

static void fz_misc_ioctl(struct dd_ctx *ctx, struct fz_in *in)
{
	static const unsigned int cmds[] = {
		VIDIOC_QUERYCAP, VIDIOC_ENUM_FMT, VIDIOC_G_FMT, VIDIOC_TRY_FMT,
		VIDIOC_ENUM_FRAMESIZES, VIDIOC_QUERYCTRL, VIDIOC_QUERY_EXT_CTRL,
		VIDIOC_QUERYMENU, VIDIOC_G_CTRL, VIDIOC_S_CTRL, VIDIOC_G_SELECTION,
		VIDIOC_TRY_DECODER_CMD, VIDIOC_DECODER_CMD, VIDIOC_LOG_STATUS,
		VIDIOC_SUBSCRIBE_EVENT, VIDIOC_CREATE_BUFS,
	};
	unsigned int cmd = cmds[fz_u8(in) % ARRAY_SIZE(cmds)];
	union {
		struct v4l2_format f;
		struct v4l2_create_buffers cb;
		struct v4l2_query_ext_ctrl qe;
		u8 raw[512];
	} arg;
	u32 *id = (u32 *)&arg;

	fz_bytes(in, &arg, _IOC_SIZE(cmd) < sizeof(arg) ? _IOC_SIZE(cmd) : sizeof(arg));
	/* Structs that start with a control id: mostly a real one. */
	if ((cmd == VIDIOC_QUERYCTRL || cmd == VIDIOC_QUERY_EXT_CTRL ||
	     cmd == VIDIOC_QUERYMENU || cmd == VIDIOC_G_CTRL || cmd == VIDIOC_S_CTRL) &&
	    (*id & 0xff) < 200 && ctx->codec->num_ctrls)
		*id = ctx->codec->ctrls[*id % ctx->codec->num_ctrls].id |
		      (*id & 0x80 ? V4L2_CTRL_FLAG_NEXT_CTRL : 0);
	if (cmd == VIDIOC_CREATE_BUFS && (arg.cb.format.type & 0xff) < 250)
		arg.cb.format.type = fz_types[arg.cb.format.type % 2];
	if ((cmd == VIDIOC_ENUM_FMT || cmd == VIDIOC_G_FMT || cmd == VIDIOC_TRY_FMT) &&
	    (arg.f.type & 0xff) < 250)
		arg.f.type = fz_types[arg.f.type % 2];
	dd_ioctl(ctx, cmd, cmd == VIDIOC_LOG_STATUS ? NULL : &arg);
}

static void fz_s_fmt(struct dd_ctx *ctx, struct fz_in *in)
{
	struct v4l2_format f;
	u8 mode = fz_u8(in);

	memset(&f, 0, sizeof(f));
	if (mode < 64) {
		fz_bytes(in, &f, sizeof(f));
	} else {
		f.type = fz_types[mode % 2];
		dd_ioctl(ctx, VIDIOC_G_FMT, &f);
		f.fmt.pix_mp.width = fz_u8(in) < 128 ? f.fmt.pix_mp.width : fz_u16(in);
		f.fmt.pix_mp.height = fz_u8(in) < 128 ? f.fmt.pix_mp.height : fz_u16(in);
		if (fz_u8(in) >= 200)
			f.fmt.pix_mp.pixelformat = fz_u32(in);
		if (fz_u8(in) >= 200)
			f.fmt.pix_mp.plane_fmt[0].sizeimage = fz_u32(in);
		if (fz_u8(in) >= 220)
			f.fmt.pix_mp.num_planes = fz_u8(in);
	}
	dd_ioctl(ctx, VIDIOC_S_FMT, &f);
}

static void fz_request_op(struct fz_state *s, struct fz_in *in)
{
	u8 op = fz_u8(in);
	s32 fd = fz_req_fd(in);
	struct dd_request *req = fz_req(&s->fe, fd);

	switch (op % 5) {
	case 0:
	case 1:
		fz_req_alloc(&s->fe);
		break;
	case 2:
		if (req)
			dd_request_queue(req);
		break;
	case 3:
		if (req)
			dd_request_reinit(req);
		break;
	case 4:
		fz_req_close(&s->fe, fd);
		break;
	}
}

static void fz_ctx_op(struct fz_state *s, unsigned int ci, struct fz_in *in)
{
	struct dd_ctx *ctx = s->ctx[ci];
	struct dd_buffer *bufp;
	u8 op = fz_u8(in);

	switch (op % 8) {
	case 0:
		if (ctx) {
			dd_ctx_close(ctx);
			s->ctx[ci] = NULL;
		} else {
			s->ctx[ci] = dd_ctx_open(&s->fe.dev, NULL);
		}
		break;
	case 1:
		if (ctx)
			dd_ctx_poll(ctx);
		break;
	case 2:
	case 3:
		if (ctx)
			dd_ctx_mmap_count(ctx, (op & 0x80 ? DD_DST_QUEUE_OFF_BASE : 0) +
					  fz_small(in, 4) * DD_PAGE_SIZE * (op & 0x40 ? 1 : 16),
					  op & 0x20 ? 1 : -1);
		break;
	case 4:
		if (ctx)
			dd_ctx_find_mmap(ctx, fz_u32(in), &bufp);
		break;
	case 5:
		if (ctx)
			dd_ctx_find_ref(ctx, (u64)fz_u8(in) * 1000000000ull);
		break;
	case 6:
		s->now += (u64)fz_u8(in) * 100000000ull;
		dd_dev_expire_jobs(&s->fe.dev, s->now);
		break;
	case 7:
		if (fz_u8(in) > 240) {
			dd_dev_fail_all_jobs(&s->fe.dev);
			s->num_out = 0;
		}
		break;
	}
}

static void fz_step(struct fz_state *s, struct fz_in *in)
{
	u8 op = fz_u8(in);
	unsigned int ci = (op >> 7) & 1;
	struct dd_ctx *ctx = s->ctx[ci] ? s->ctx[ci] : s->ctx[!ci];
	u32 type;

	switch (op & 0x0f) {
	case 0: {
		struct v4l2_requestbuffers rb = { 0 };

		if (!ctx)
			break;
		rb.type = fz_type(in);
		rb.memory = fz_memory(in);
		rb.count = fz_small(in, 6);
		rb.flags = fz_u8(in) < 240 ? 0 : fz_u32(in);
		dd_ioctl(ctx, VIDIOC_REQBUFS, &rb);
		break;
	}
	case 1:
	case 2:
		if (ctx)
			fz_buffer_ioctl(s, ctx, VIDIOC_QBUF, in);
		break;
	case 3:
		if (ctx)
			fz_buffer_ioctl(s, ctx, (op & 0x10) ? VIDIOC_PREPARE_BUF :
					(op & 0x20) ? VIDIOC_QUERYBUF : VIDIOC_DQBUF, in);
		break;
	case 4:
		type = fz_type(in);
		if (ctx)
			dd_ioctl(ctx, (op & 0x10) ? VIDIOC_STREAMOFF : VIDIOC_STREAMON, &type);
		break;
	case 5:
		if (ctx)
			fz_s_fmt(ctx, in);
		break;
	case 6:
	case 7:
		if (ctx)
			fz_ext_ctrls(s, ctx, in);
		break;
	case 8:
	case 9:
		fz_request_op(s, in);
		break;
	case 10:
		fz_take_job(s);
		break;
	case 11:
		fz_done(s, in);
		break;
	case 12:
		if (ctx)
			fz_misc_ioctl(ctx, in);
		break;
	case 13:
	case 14:
		fz_ctx_op(s, ci, in);
		break;
	case 15:
		/* A whole well-formed decode round: take and answer every job. */
		while (dd_dev_has_jobs(&s->fe.dev) && s->num_out < FZ_MAX_OUT)
			fz_take_job(s);
		while (s->num_out) {
			struct dd_proto_done d = s->out[--s->num_out];

			d.status = DD_STATUS_OK;
			dd_dev_complete_job(&s->fe.dev, &d);
		}
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_state s;
	struct fz_in in = { data, size };
	unsigned int i, ops = 0;

	dd_log_sink = fz_quiet;
	memset(&s, 0, sizeof(s));
	fz_fe_init(&s.fe);
	s.ctx[0] = dd_ctx_open(&s.fe.dev, NULL);
	if (!s.ctx[0])
		abort();
	while (!fz_empty(&in) && ops++ < FZ_MAX_OPS)
		fz_step(&s, &in);

#ifdef FZ_TRACE
	fprintf(stderr, "fuzz_ioctl: %u ops, jobs ready %u, requests done %u, wakes %u\n",
		ops, s.fe.job_ready, s.fe.req_done, s.fe.wakes);
#endif
	/* Teardown the way the CUSE server does it: clients, then the daemon. */
	for (i = 0; i < FZ_MAX_REQS; i++)
		fz_req_close(&s.fe, FZ_FD_BASE + i);
	for (i = 0; i < FZ_MAX_CTX; i++)
		if (s.ctx[i])
			dd_ctx_close(s.ctx[i]);
	dd_dev_fail_all_jobs(&s.fe.dev);
	dd_dev_destroy(&s.fe.dev);
	if (s.fe.live_mem)
		abort();	/* a plane common/ never released */
	free(s.msg);
	return 0;
}
