// SPDX-License-Identifier: GPL-2.0
/*
 * dd_decode_main.c - daedalus-decode: decodes an Annex-B H.264 file on any
 * V4L2 stateless (request API) H.264 decoder and prints FFmpeg-style
 * framemd5 lines and/or writes the raw NV12 (10-bit: P010) pictures, in
 * display order.
 *
 * Flow per coded picture (frame or field): DPB model begin (POC, gaps,
 * IDR output) -> controls (SPS, PPS, SCALING_MATRIX, DECODE_PARAMS) set in
 * a media request -> OUTPUT buffer queued in that request (frame-based,
 * Annex-B start codes; a first field holds its CAPTURE buffer for the
 * second) -> request queued -> DPB model end (marking, bumping).  Up to
 * --inflight requests are outstanding; a frame is waited for only when the
 * DPB outputs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dd_corrupt.h"
#include "dd_framemd5.h"
#include "dd_h264_au.h"
#include "dd_h264_ctrls.h"
#include "dd_h264_dpb.h"
#include "dd_hevc_decode.h"
#include "dd_mpeg2_decode.h"
#include "dd_seek.h"
#include "dd_tool.h"
#include "dd_v4l2_dev.h"
#include "dd_vp8_decode.h"
#include "dd_vp9_decode.h"

/* Codecs other than H.264 (which is this file's); see dd_tool.h. */
static const struct dd_tool_codec dd_tool_codecs[] = {
	{ "h264", NULL },
	{ "hevc", dd_hevc_decode },
	{ "mpeg2", dd_mpeg2_decode },
	{ "vp8", dd_vp8_decode },
	{ "vp9", dd_vp9_decode },
};

#define DD_MAX_INFLIGHT		16
#define DD_MAX_CTX		(DD_MAX_CAP_BUFS + 8)
#define DD_TIMEOUT_MS		10000

/* One decoded frame (or field pair) and the CAPTURE buffer behind it. */
struct frame_ctx {
	bool live;
	bool decoded;		/* its CAPTURE buffer came back */
	bool released;		/* the DPB no longer needs it */
	bool out_pending;	/* output by the DPB, not written yet */
	int cap_index;
	uint64_t ts;
	unsigned int picture;	/* coded picture number, for messages */
	unsigned int vx, vy;	/* visible origin; size in info */
	struct dd_out_info info;
};

struct req_slot {
	int fd;
	bool busy;
	unsigned long seq;
	unsigned int picture;
};

struct decoder {
	struct dd_v4l2 dev;
	struct dd_dpb dpb;
	struct dd_out out;
	struct dd_h264_ctrls ctrls;
	struct req_slot slots[DD_MAX_INFLIGHT];
	unsigned int inflight;
	unsigned long seq;
	struct frame_ctx ctx[DD_MAX_CTX];
	/* frames the DPB output, in display order, waiting to be decoded */
	struct frame_ctx *outq[DD_MAX_CTX];
	unsigned int outq_head, outq_len;
	uint64_t next_ts;
	bool configured;
	unsigned int coded_w, coded_h;
	unsigned int dpb_frames;
	unsigned int pictures;
	bool flushed_held;
	int mode;		/* -1 auto, else V4L2_STATELESS_H264_DECODE_MODE_* */
	bool annexb;		/* START_CODE_ANNEX_B (else NONE, slice mode only) */
	int verbose;
	int error;		/* first fatal error, from callbacks */
	struct dd_corrupt *corrupt;	/* --corrupt: ERROR buffers are counted, not fatal */
	unsigned int out_errors, cap_errors;
};

static uint64_t take_ts(struct decoder *dec)
{
	/* unique per picture, as GStreamer does: frame number * 1000 ns */
	return dec->next_ts++ * 1000;
}

static uint64_t gap_ts(void *opaque)
{
	return take_ts(opaque);
}

static struct frame_ctx *ctx_by_ts(struct decoder *dec, uint64_t ts)
{
	for (unsigned int i = 0; i < DD_MAX_CTX; i++)
		if (dec->ctx[i].live && !dec->ctx[i].decoded && dec->ctx[i].ts == ts)
			return &dec->ctx[i];
	return NULL;
}

static int recycle(struct decoder *dec, struct frame_ctx *c)
{
	int ret = dd_v4l2_queue_capture(&dec->dev, c->cap_index);

	c->live = false;
	return ret;
}

/* Collect every CAPTURE buffer the driver finished. */
static int drain_capture(struct decoder *dec)
{
	struct dd_dqbuf b;
	int ret;

	while (!(ret = dd_v4l2_dequeue(&dec->dev, true, &b))) {
		struct frame_ctx *c = ctx_by_ts(dec, b.ts_ns);

		if (!c) {
			fprintf(stderr, "daedalus-decode: CAPTURE buffer %u with unknown "
				"timestamp %llu ns\n", b.index, (unsigned long long)b.ts_ns);
			return -EPROTO;
		}
		c->cap_index = b.index;
		c->decoded = true;
		if ((b.flags & V4L2_BUF_FLAG_ERROR) && dec->corrupt) {
			dec->cap_errors++;
		} else if (b.flags & V4L2_BUF_FLAG_ERROR) {
			fprintf(stderr, "daedalus-decode: picture %u: CAPTURE buffer returned "
				"with V4L2_BUF_FLAG_ERROR (decoding failed)\n", c->picture);
			return -EIO;
		}
		if (c->released && !c->out_pending) {
			ret = recycle(dec, c);
			if (ret)
				return ret;
		}
	}
	return ret == -EAGAIN ? 0 : ret;
}

static struct req_slot *oldest_busy(struct decoder *dec)
{
	struct req_slot *best = NULL;

	for (unsigned int i = 0; i < dec->inflight; i++)
		if (dec->slots[i].busy && (!best || dec->slots[i].seq < best->seq))
			best = &dec->slots[i];
	return best;
}

/* Wait for the oldest request, take its OUTPUT buffer back, recycle it. */
static int complete_oldest(struct decoder *dec)
{
	struct req_slot *s = oldest_busy(dec);
	struct dd_dqbuf b;
	int ret, tries;

	if (!s)
		return 0;
	ret = dd_request_wait(s->fd, DD_TIMEOUT_MS);
	if (ret <= 0) {
		fprintf(stderr, "daedalus-decode: picture %u: request %s\n", s->picture,
			ret ? strerror(-ret) : "did not complete within 10 s");
		return ret ? ret : -ETIMEDOUT;
	}
	for (tries = 0; tries < 1000; tries++) {
		ret = dd_v4l2_dequeue(&dec->dev, false, &b);
		if (ret != -EAGAIN)
			break;
		usleep(1000);
	}
	if (ret)
		return ret == -EAGAIN ? -ETIMEDOUT : ret;
	if ((b.flags & V4L2_BUF_FLAG_ERROR) && dec->corrupt) {
		dec->out_errors++;
	} else if (b.flags & V4L2_BUF_FLAG_ERROR) {
		fprintf(stderr, "daedalus-decode: picture %u: OUTPUT buffer returned with "
			"V4L2_BUF_FLAG_ERROR (driver rejected the bitstream or controls)\n",
			s->picture);
		return -EIO;
	}
	ret = dd_request_reinit(s->fd);
	if (ret)
		return ret;
	s->busy = false;
	return drain_capture(dec);
}

static int wait_decoded(struct decoder *dec, struct frame_ctx *c)
{
	int ret;

	while (!c->decoded) {
		if (oldest_busy(dec)) {
			ret = complete_oldest(dec);
			if (ret)
				return ret;
			continue;
		}
		ret = drain_capture(dec);
		if (ret || c->decoded)
			return ret;
		/* an unpaired first field: make the driver return the held buffer */
		if (!dec->flushed_held) {
			dec->flushed_held = true;
			ret = dd_v4l2_flush_held(&dec->dev);
			if (ret)
				fprintf(stderr, "daedalus-decode: V4L2_DEC_CMD_FLUSH: %s\n",
					strerror(-ret));
		}
		ret = dd_v4l2_wait_capture(&dec->dev, DD_TIMEOUT_MS);
		if (ret < 0)
			return ret;
		if (!ret) {
			fprintf(stderr, "daedalus-decode: picture %u never came back on CAPTURE\n",
				c->picture);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

/* Write one decoded frame (its CAPTURE buffer) to the output. */
static int write_frame(struct decoder *dec, struct frame_ctx *c)
{
	int ret = dd_v4l2_out_capture(&dec->dev, c->cap_index, &dec->out, &c->info, c->vx,
				      c->vy);

	if (ret && ret != -ERANGE)
		fprintf(stderr, "daedalus-decode: writing picture %u: %s\n", c->picture,
			strerror(-ret));
	return ret;
}

/*
 * Write the frames the DPB has output, in order, as far as they are
 * decoded; with `wait`, all of them, waiting for their decoding.  Output
 * does not wait for a picture as the DPB names it: a picture output right
 * after it is submitted (a non-reference B-frame) would empty the
 * pipeline every time, leaving the decoder idle while this process
 * submits the next one.
 */
static int flush_output(struct decoder *dec, bool wait)
{
	int ret;

	while (!dec->error && dec->outq_len) {
		struct frame_ctx *c = dec->outq[dec->outq_head];

		if (!c->decoded) {
			if (!wait)
				break;
			ret = wait_decoded(dec, c);
			if (ret)
				goto fail;
		}
		ret = write_frame(dec, c);
		if (ret)
			goto fail;
		dec->outq_head = (dec->outq_head + 1) % DD_MAX_CTX;
		dec->outq_len--;
		c->out_pending = false;
		if (c->released) {
			ret = recycle(dec, c);
			if (ret)
				goto fail;
		}
	}
	return dec->error;
fail:
	dec->error = ret;
	return ret;
}

static int on_output(void *opaque, struct dd_dpb_frame *f)
{
	struct decoder *dec = opaque;
	struct frame_ctx *c = f->cookie;

	if (!c || dec->error)
		return dec->error;
	c->out_pending = true;
	dec->outq[(dec->outq_head + dec->outq_len++) % DD_MAX_CTX] = c;
	return flush_output(dec, false);
}

static void on_release(void *opaque, struct dd_dpb_frame *f)
{
	struct decoder *dec = opaque;
	struct frame_ctx *c = f->cookie;
	int ret;

	if (!c)
		return;
	f->cookie = NULL;
	c->released = true;
	if (c->decoded && !c->out_pending) {
		ret = recycle(dec, c);
		if (ret && !dec->error)
			dec->error = ret;
	}
}

static struct frame_ctx *new_ctx(struct decoder *dec)
{
	for (unsigned int i = 0; i < DD_MAX_CTX; i++) {
		if (!dec->ctx[i].live) {
			memset(&dec->ctx[i], 0, sizeof(dec->ctx[i]));
			dec->ctx[i].live = true;
			dec->ctx[i].cap_index = -1;
			return &dec->ctx[i];
		}
	}
	return NULL;
}

static unsigned int gcd(unsigned int a, unsigned int b)
{
	while (b) {
		unsigned int t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static void out_info(struct dd_out_info *in, const GstH264SPS *sps, unsigned int w,
		     unsigned int h)
{
	const GstH264VUIParams *vui = &sps->vui_parameters;

	in->width = w;
	in->height = h;
	in->tb_num = 1;
	in->tb_den = 25;
	in->sar_num = 0;
	in->sar_den = 1;
	if (!sps->vui_parameters_present_flag)
		return;
	if (vui->timing_info_present_flag && vui->num_units_in_tick && vui->time_scale) {
		unsigned int num = 2 * vui->num_units_in_tick, den = vui->time_scale;
		unsigned int g = gcd(num, den);

		in->tb_num = num / g;
		in->tb_den = den / g;
	}
	if (vui->aspect_ratio_info_present_flag && vui->par_n && vui->par_d) {
		unsigned int g = gcd(vui->par_n, vui->par_d);

		in->sar_num = vui->par_n / g;
		in->sar_den = vui->par_d / g;
	}
}

static int drain_all(struct decoder *dec)
{
	int ret = dd_dpb_flush(&dec->dpb);

	if (!ret)
		ret = flush_output(dec, true);
	if (ret)
		return ret;
	while (oldest_busy(dec)) {
		ret = complete_oldest(dec);
		if (ret)
			return ret;
	}
	return dec->error;
}

/*
 * Frame-based Annex-B when the driver offers it (one request per picture),
 * else slice-based (one request per slice, reference lists built here),
 * with start codes if the driver takes them.
 */
static int pick_mode(struct decoder *dec)
{
	int64_t mmin, mmax, smin, smax;
	int ret;

	ret = dd_v4l2_ctrl_range(&dec->dev, V4L2_CID_STATELESS_H264_DECODE_MODE, &mmin, &mmax);
	if (ret) {
		fprintf(stderr, "daedalus-decode: %s has no H.264 DECODE_MODE control\n",
			dec->dev.video_path);
		return ret;
	}
	ret = dd_v4l2_ctrl_range(&dec->dev, V4L2_CID_STATELESS_H264_START_CODE, &smin, &smax);
	if (ret)
		return ret;
	if (dec->mode < 0)
		dec->mode = mmax >= V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED ?
			    V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED :
			    V4L2_STATELESS_H264_DECODE_MODE_SLICE_BASED;
	if (dec->mode < mmin || dec->mode > mmax) {
		fprintf(stderr, "daedalus-decode: %s does not offer %s-based decoding\n",
			dec->dev.video_path,
			dec->mode == V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED ? "frame" : "slice");
		return -ENOTSUP;
	}
	dec->annexb = smax >= V4L2_STATELESS_H264_START_CODE_ANNEX_B;
	if (!dec->annexb && dec->mode == V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED) {
		fprintf(stderr, "daedalus-decode: frame-based decoding needs Annex-B start codes, "
			"which %s does not take\n", dec->dev.video_path);
		return -ENOTSUP;
	}
	if (dec->verbose)
		fprintf(stderr, "daedalus-decode: %s-based decoding, %s\n",
			dec->mode == V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED ? "frame" : "slice",
			dec->annexb ? "Annex-B start codes" : "no start codes");
	return 0;
}

static int set_mode_ctrls(struct decoder *dec, const GstH264SPS *sps)
{
	struct v4l2_ext_control c[3] = { 0 };

	c[0].id = V4L2_CID_STATELESS_H264_DECODE_MODE;
	c[0].value = dec->mode;
	c[1].id = V4L2_CID_STATELESS_H264_START_CODE;
	c[1].value = dec->annexb ? V4L2_STATELESS_H264_START_CODE_ANNEX_B :
				   V4L2_STATELESS_H264_START_CODE_NONE;
	/* the SPS before CAPTURE setup lets the driver pick formats for it */
	dd_h264_fill_sps(&dec->ctrls.sps, sps);
	c[2].id = V4L2_CID_STATELESS_H264_SPS;
	c[2].ptr = &dec->ctrls.sps;
	c[2].size = sizeof(dec->ctrls.sps);
	if (dd_v4l2_set_ctrls(&dec->dev, -1, c, 3)) {
		fprintf(stderr, "daedalus-decode: %s refuses the decode mode, start code or "
			"this SPS\n", dec->dev.video_path);
		return -ENOTSUP;
	}
	return 0;
}

/* (Re)configure the queues for a sequence of this coded size. */
static int configure(struct decoder *dec, const GstH264SPS *sps)
{
	unsigned int w = (sps->pic_width_in_mbs_minus1 + 1) * 16;
	unsigned int h = (sps->pic_height_in_map_units_minus1 + 1) * 16 *
			 (sps->frame_mbs_only_flag ? 1 : 2);
	struct dd_dpb_seq seq;
	unsigned int n_cap;
	int ret;

	if (dec->configured) {
		ret = drain_all(dec);
		if (ret)
			return ret;
		ret = dd_v4l2_stream(&dec->dev, false);
		if (ret)
			return ret;
		dd_v4l2_free_buffers(&dec->dev);
		memset(dec->ctx, 0, sizeof(dec->ctx));
	}
	ret = dd_v4l2_set_output_format(&dec->dev, w, h);
	if (ret)
		return ret;
	ret = set_mode_ctrls(dec, sps);
	if (ret)
		return ret;
	dd_h264_dpb_seq(&seq, sps);
	/* DPB frames + the picture being decoded + in flight + slack */
	n_cap = seq.dpb_size + 1 + dec->inflight + 2;
	ret = dd_v4l2_setup_buffers(&dec->dev, dec->inflight, n_cap);
	if (ret)
		return ret;
	if (dec->dev.n_cap < seq.dpb_size + 2) {
		fprintf(stderr, "daedalus-decode: only %u CAPTURE buffers, %u needed\n",
			dec->dev.n_cap, seq.dpb_size + 2);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < dec->dev.n_cap; i++) {
		ret = dd_v4l2_queue_capture(&dec->dev, i);
		if (ret)
			return ret;
	}
	ret = dd_v4l2_stream(&dec->dev, true);
	if (ret)
		return ret;
	dec->coded_w = w;
	dec->coded_h = h;
	dec->configured = true;
	return 0;
}

/*
 * A seek: abandon every picture of the old position and leave the device
 * ready for an IDR.  DD_SEEK_STREAMOFF stops both queues, which cancels the
 * requests in flight (the driver completes them), and restarts them with
 * every CAPTURE buffer queued again, as GStreamer's flush does.
 * DD_SEEK_DRAIN lets the submitted requests complete and takes their
 * CAPTURE buffers back without output, queues stay streaming (the
 * stateless decoder spec's seek).  Either way the DPB model starts over.
 */
static int seek_flush(struct decoder *dec, enum dd_seek_style style)
{
	/* What the DPB output before the seek is written, as it was named. */
	int ret = flush_output(dec, true);

	if (ret)
		return ret;
	if (style == DD_SEEK_STREAMOFF) {
		ret = dd_v4l2_stream(&dec->dev, false);
		if (ret)
			return ret;
		for (unsigned int i = 0; i < dec->inflight; i++) {
			struct req_slot *s = &dec->slots[i];

			if (!s->busy)
				continue;
			ret = dd_request_wait(s->fd, DD_TIMEOUT_MS);
			if (ret <= 0) {
				fprintf(stderr, "daedalus-decode: seek: request of picture %u %s "
					"after STREAMOFF\n", s->picture,
					ret ? strerror(-ret) : "did not complete");
				return ret ? ret : -ETIMEDOUT;
			}
			ret = dd_request_reinit(s->fd);
			if (ret)
				return ret;
			s->busy = false;
		}
		memset(dec->ctx, 0, sizeof(dec->ctx));
		for (unsigned int i = 0; i < dec->dev.n_cap; i++) {
			ret = dd_v4l2_queue_capture(&dec->dev, i);
			if (ret)
				return ret;
		}
		ret = dd_v4l2_stream(&dec->dev, true);
		if (ret)
			return ret;
	} else {
		while (oldest_busy(dec)) {
			ret = complete_oldest(dec);
			if (ret)
				return ret;
		}
		ret = drain_capture(dec);
		if (ret)
			return ret;
		for (unsigned int i = 0; i < DD_MAX_CTX; i++) {
			struct frame_ctx *c = &dec->ctx[i];

			if (!c->live)
				continue;
			if (!c->decoded) {
				fprintf(stderr, "daedalus-decode: seek: picture %u never came back "
					"on CAPTURE\n", c->picture);
				return -ETIMEDOUT;
			}
			ret = recycle(dec, c);
			if (ret)
				return ret;
		}
		memset(dec->ctx, 0, sizeof(dec->ctx));
	}
	dd_dpb_init(&dec->dpb, on_output, on_release, gap_ts, dec);
	dec->flushed_held = false;
	return dec->error;
}

static struct req_slot *free_slot(struct decoder *dec)
{
	for (;;) {
		for (unsigned int i = 0; i < dec->inflight; i++)
			if (!dec->slots[i].busy)
				return &dec->slots[i];
		if (complete_oldest(dec))
			return NULL;
	}
}

/* Queue one request: controls ctl[0..n), OUTPUT buffer with 'bytes'. */
static int submit_one(struct decoder *dec, struct v4l2_ext_control *ctl, unsigned int n,
		      const uint8_t *bytes, size_t len, struct frame_ctx *c, bool hold)
{
	struct req_slot *s = free_slot(dec);
	unsigned int index;
	int ret;

	if (!s)
		return dec->error ? dec->error : -EIO;
	index = s - dec->slots;
	if (len > dec->dev.out[index].length[0]) {
		fprintf(stderr, "daedalus-decode: picture %u is %zu bytes, OUTPUT buffers hold "
			"%zu\n", dec->pictures, len, dec->dev.out[index].length[0]);
		return -E2BIG;
	}
	memcpy(dec->dev.out[index].start[0], bytes, len);
	if (dec->corrupt)
		len = dd_corrupt_bits(dec->corrupt, dec->dev.out[index].start[0], len);
	ret = dd_v4l2_set_ctrls(&dec->dev, s->fd, ctl, n);
	if (ret)
		return ret;
	ret = dd_v4l2_queue_output(&dec->dev, index, len, c->ts, s->fd, hold);
	if (ret)
		return ret;
	ret = dd_request_queue(s->fd);
	if (ret)
		return ret;
	s->busy = true;
	s->seq = dec->seq++;
	s->picture = dec->pictures;
	return 0;
}

static int submit(struct decoder *dec, const struct dd_h264_picture *pic, struct frame_ctx *c,
		  bool hold)
{
	struct v4l2_ext_control ctl[6] = { 0 };
	struct dd_h264_ctrls *k = &dec->ctrls;
	unsigned int n = 0, base;
	int ret = 0;

	dd_h264_fill_sps(&k->sps, pic->hdr.pps->sequence);
	dd_h264_fill_pps(k, pic->hdr.pps);
	dd_h264_fill_decode(&k->decode, pic, &dec->dpb);
	if (dec->corrupt && dd_corrupt_next_picture(dec->corrupt))
		dd_corrupt_ctrls(dec->corrupt, &k->sps, &k->pps);

	ctl[n].id = V4L2_CID_STATELESS_H264_SPS;
	ctl[n].ptr = &k->sps;
	ctl[n++].size = sizeof(k->sps);
	ctl[n].id = V4L2_CID_STATELESS_H264_PPS;
	ctl[n].ptr = &k->pps;
	ctl[n++].size = sizeof(k->pps);
	if (k->scaling_present) {
		ctl[n].id = V4L2_CID_STATELESS_H264_SCALING_MATRIX;
		ctl[n].ptr = &k->scaling;
		ctl[n++].size = sizeof(k->scaling);
	}
	ctl[n].id = V4L2_CID_STATELESS_H264_DECODE_PARAMS;
	ctl[n].ptr = &k->decode;
	ctl[n++].size = sizeof(k->decode);

	if (dec->mode == V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED) {
		ret = submit_one(dec, ctl, n, pic->bits, pic->len, c, hold);
	} else {
		/* one request per slice; all but the picture's last hold CAPTURE */
		if (pic->n_slices > 1 && !dec->dev.hold_capture) {
			fprintf(stderr, "daedalus-decode: %u slices per picture need "
				"V4L2_BUF_CAP_SUPPORTS_M2M_HOLD_CAPTURE_BUF\n", pic->n_slices);
			return -ENOTSUP;
		}
		base = n;
		ctl[base].id = V4L2_CID_STATELESS_H264_SLICE_PARAMS;
		ctl[base].ptr = &k->slice;
		ctl[base].size = sizeof(k->slice);
		ctl[base + 1].id = V4L2_CID_STATELESS_H264_PRED_WEIGHTS;
		ctl[base + 1].ptr = &k->weights;
		ctl[base + 1].size = sizeof(k->weights);
		for (unsigned int i = 0; i < pic->n_slices && !ret; i++) {
			const struct dd_h264_slice *sl = &pic->slices[i];
			size_t skip = dec->annexb ? 0 : 3;

			dd_h264_fill_slice(&k->slice, &k->weights, sl, &dec->dpb);
			ret = submit_one(dec, ctl, base + 2, pic->bits + sl->offset + skip,
					 sl->size - skip, c, hold || i + 1 < pic->n_slices);
		}
	}
	if (ret)
		return ret;
	if (dec->verbose > 1) {
		struct dd_dpb_ref refs[DD_DPB_MAX_FRAMES];

		fprintf(stderr, "daedalus-decode: picture %u: %s%s frame_num %u poc %d/%d ts %llu "
			"refs %u slices %u%s\n", dec->pictures, pic->nalu.idr_pic_flag ? "IDR " : "",
			!pic->hdr.field_pic_flag ? "frame" :
			pic->hdr.bottom_field_flag ? "bottom" : "top", pic->hdr.frame_num,
			k->decode.top_field_order_cnt, k->decode.bottom_field_order_cnt,
			(unsigned long long)c->ts, dd_dpb_refs(&dec->dpb, refs), pic->n_slices,
			hold ? " hold" : "");
	}
	return 0;
}

static int decode_picture(struct decoder *dec, const struct dd_h264_picture *pic)
{
	const GstH264SPS *sps = pic->hdr.pps->sequence;
	struct dd_dpb_pic_info pi;
	struct frame_ctx *c;
	bool hold = false;
	int ret;

	dd_h264_pic_info(&pi, pic);
	if (pi.idr || !dec->dpb.started) {
		struct dd_dpb_seq seq;

		dd_h264_dpb_seq(&seq, sps);
		dd_dpb_set_seq(&dec->dpb, &seq);
	}
	ret = dd_dpb_begin(&dec->dpb, &pi);
	if (ret)
		goto dpb_err;

	if (dd_dpb_is_second_field(&dec->dpb)) {
		c = dec->dpb.cur->cookie;
		if (!c)
			return -EPROTO;
	} else {
		unsigned int x, y, w, h;

		c = new_ctx(dec);
		if (!c) {
			fprintf(stderr, "daedalus-decode: too many pictures in flight\n");
			return -ENOMEM;
		}
		c->ts = take_ts(dec);
		c->picture = dec->pictures;
		dd_h264_visible(sps, &x, &y, &w, &h);
		c->vx = x;
		c->vy = y;
		out_info(&c->info, sps, w, h);
		dec->dpb.cur->ts = c->ts;
		dec->dpb.cur->cookie = c;
		if (pi.structure != DD_FIELD_FRAME) {
			if (!dec->dev.hold_capture) {
				fprintf(stderr, "daedalus-decode: field-coded picture, but %s lacks "
					"V4L2_BUF_CAP_SUPPORTS_M2M_HOLD_CAPTURE_BUF\n",
					dec->dev.video_path);
				return -ENOTSUP;
			}
			hold = true;
			dec->flushed_held = false;
		}
	}
	ret = submit(dec, pic, c, hold);
	if (ret)
		return ret;
	ret = dd_dpb_end(&dec->dpb, &pi);
	if (ret)
		goto dpb_err;
	dec->pictures++;
	return dec->error;

dpb_err:
	if (ret == -ENOSPC)
		fprintf(stderr, "daedalus-decode: picture %u: DPB overflow (stream needs more "
			"than %u frames)\n", dec->pictures, dec->dpb.seq.dpb_size);
	return ret;
}

static int read_file(const char *path, uint8_t **data, size_t *size)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "daedalus-decode: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	*data = malloc(st.st_size ? st.st_size : 1);
	if (!*data) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, *data + got, st.st_size - got);
		if (n <= 0) {
			fprintf(stderr, "daedalus-decode: %s: read failed\n", path);
			close(fd);
			return -EIO;
		}
		got += n;
	}
	close(fd);
	*size = got;
	return 0;
}

/* The codec of a file: IVF header fourcc, else the file name's extension. */
static const char *guess_codec(const char *path, const uint8_t *data, size_t size)
{
	const char *ext = strrchr(path, '.');

	if (size >= 32 && !memcmp(data, "DKIF", 4)) {
		if (!memcmp(data + 8, "VP80", 4))
			return "vp8";
		if (!memcmp(data + 8, "VP90", 4))
			return "vp9";
		if (!memcmp(data + 8, "AV01", 4))
			return "av1";
	}
	if (ext && (!strcmp(ext, ".m2v") || !strcmp(ext, ".mpg") || !strcmp(ext, ".mpeg2") ||
		    !strcmp(ext, ".m2ts")))
		return "mpeg2";
	if (ext && (!strcmp(ext, ".h265") || !strcmp(ext, ".hevc") || !strcmp(ext, ".265")))
		return "hevc";
	return "h264";
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: daedalus-decode [-d VIDEO] [-m MEDIA] [--framemd5] [-o out.yuv]\n"
		"                       [--inflight N] [--memory mmap|userptr|dmabuf]\n"
		"                       [--mode frame|slice] [--codec NAME]\n"
		"                       [--seek-random SEED] [--benchmark] [-v] FILE\n"
		"Decodes FILE on a V4L2 stateless decoder (request API).\n"
		"  -d, --device VIDEO   video node (default $DAEDALUS_VIDEO, else the first\n"
		"                       /dev/video* offering H264_SLICE on its OUTPUT queue)\n"
		"  -m, --media MEDIA    media node (default $DAEDALUS_MEDIA, else the one whose\n"
		"                       topology holds VIDEO)\n"
		"  --framemd5           print ffmpeg -f framemd5 -pix_fmt nv12 lines on stdout\n"
		"                       (p010le for 10-bit HEVC/VP9: P010 CAPTURE)\n"
		"  -o, --output FILE    write the visible NV12 (P010) pictures to FILE\n"
		"  --corrupt MODE:SEED[:PCT]  H.264: damage PCT%% (default 25) of the pictures\n"
		"                       sent, reproducibly (tools/dd_corrupt.h: random,\n"
		"                       noise, truncate, swap, drop, sps, pps); ERROR buffers\n"
		"                       are then counted on stderr instead of failing the run\n"
		"  --inflight N         requests in flight, 1..%d (default 4)\n"
		"  --memory TYPE        buffer memory (default: userptr for devices that cannot\n"
		"                       mmap, like the CUSE front end; mmap otherwise)\n"
		"  --mode frame|slice   H.264 decode mode (default: frame-based when offered)\n"
		"  --codec NAME         the coded format of FILE (default: from an IVF header,\n"
		"                       else the extension; Annex-B H.264 otherwise):",
		DD_MAX_INFLIGHT);
	for (unsigned int i = 0; i < DD_ARRAY_SIZE(dd_tool_codecs); i++)
		fprintf(f, " %s", dd_tool_codecs[i].name);
	fprintf(f, "\n"
		"  --seek-random SEED   H.264: seek like a player: stop at a random picture,\n"
		"                       flush (STREAMOFF/STREAMON or drain, drawn per seek),\n"
		"                       restart at a later IDR, up to %d times; framemd5 keeps\n"
		"                       a full decode's frame numbers, a '#seek:' line marks\n"
		"                       each seek (frame-coded streams only)\n"
		"  --benchmark          print the decode's wall time on stderr, from opening\n"
		"                       the device to closing it (like ffmpeg -benchmark's\n"
		"                       rtime: the process start-up is left out)\n"
		"  -v, --verbose        progress on stderr (twice: per picture)\n", DD_SEEK_MAX);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "media", required_argument, NULL, 'm' },
		{ "framemd5", no_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "inflight", required_argument, NULL, 'n' },
		{ "memory", required_argument, NULL, 'M' },
		{ "mode", required_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "corrupt", required_argument, NULL, 'C' },
		{ "codec", required_argument, NULL, 'c' },
		{ "seek-random", required_argument, NULL, 'S' },
		{ "benchmark", no_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static struct decoder dec;
	static struct dd_corrupt corrupt;
	const char *video = NULL, *media = NULL, *out_path = NULL, *codec = NULL;
	enum dd_mem mem = DD_MEM_AUTO;
	struct dd_h264_stream s;
	struct dd_h264_picture pic = { 0 };
	struct dd_seek seek = { 0 };
	unsigned long long seek_seed = 0;
	bool seek_on = false, bench = false;
	struct timespec t0, t1;
	unsigned int pic_no = 0;
	uint8_t *data = NULL;
	size_t size = 0;
	char *end;
	int opt, ret;

	dec.inflight = 4;
	dec.mode = -1;
	while ((opt = getopt_long(argc, argv, "d:m:o:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			video = optarg;
			break;
		case 'm':
			media = optarg;
			break;
		case 'f':
			dec.out.framemd5 = true;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'n':
			dec.inflight = strtoul(optarg, NULL, 0);
			if (dec.inflight < 1 || dec.inflight > DD_MAX_INFLIGHT) {
				fprintf(stderr, "daedalus-decode: --inflight must be 1..%d\n",
					DD_MAX_INFLIGHT);
				return 2;
			}
			break;
		case 'M':
			if (!strcmp(optarg, "mmap")) {
				mem = DD_MEM_MMAP;
			} else if (!strcmp(optarg, "userptr")) {
				mem = DD_MEM_USERPTR;
			} else if (!strcmp(optarg, "dmabuf")) {
				mem = DD_MEM_DMABUF;
			} else {
				fprintf(stderr, "daedalus-decode: --memory mmap|userptr|dmabuf\n");
				return 2;
			}
			break;
		case 'D':
			if (!strcmp(optarg, "frame")) {
				dec.mode = V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED;
			} else if (!strcmp(optarg, "slice")) {
				dec.mode = V4L2_STATELESS_H264_DECODE_MODE_SLICE_BASED;
			} else {
				fprintf(stderr, "daedalus-decode: --mode frame|slice\n");
				return 2;
			}
			break;
		case 'v':
			dec.verbose++;
			break;
		case 'C':
			if (dd_corrupt_parse(&corrupt, optarg))
				return 2;
			dec.corrupt = &corrupt;
			break;
		case 'c':
			codec = optarg;
			break;
		case 'S':
			seek_seed = strtoull(optarg, &end, 0);
			if (!*optarg || *end) {
				fprintf(stderr, "daedalus-decode: --seek-random takes a number\n");
				return 2;
			}
			seek_on = true;
			break;
		case 'B':
			bench = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	dec.out.md5_file = stdout;
	if (out_path) {
		dec.out.raw = fopen(out_path, "wb");
		if (!dec.out.raw) {
			fprintf(stderr, "daedalus-decode: %s: %s\n", out_path, strerror(errno));
			return 1;
		}
	}

	ret = read_file(argv[optind], &data, &size);
	if (ret)
		return 1;
	if (!codec)
		codec = guess_codec(argv[optind], data, size);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned int i = 0; i < DD_ARRAY_SIZE(dd_tool_codecs); i++) {
		struct dd_tool_opts to = {
			.path = argv[optind], .video = video, .media = media, .mem = mem,
			.inflight = dec.inflight, .verbose = dec.verbose, .out = &dec.out,
		};

		if (strcmp(codec, dd_tool_codecs[i].name))
			continue;
		if (!dd_tool_codecs[i].decode)
			break;			/* H.264: below */
		ret = dd_tool_codecs[i].decode(&to, data, size);
		goto out_codec;
	}
	if (strcmp(codec, "h264")) {
		fprintf(stderr, "daedalus-decode: %s: codec '%s' is not supported\n",
			argv[optind], codec);
		ret = -ENOTSUP;
		goto out_codec;
	}
	if (seek_on) {
		ret = dd_seek_init(&seek, seek_seed, data, size);
		if (ret)
			goto out_codec;
	}
	ret = dd_v4l2_open(&dec.dev, video, media, mem, dec.verbose);
	if (ret)
		goto out;
	ret = pick_mode(&dec);
	if (ret)
		goto out;
	for (unsigned int i = 0; i < dec.inflight; i++) {
		dec.slots[i].fd = dd_request_alloc(&dec.dev);
		if (dec.slots[i].fd < 0) {
			ret = dec.slots[i].fd;
			goto out;
		}
	}
	dd_dpb_init(&dec.dpb, on_output, on_release, gap_ts, &dec);
	ret = dd_h264_stream_init(&s, data, size);
	if (ret)
		goto out;
	s.verbose = dec.verbose;

	while ((ret = dd_h264_next_picture(&s, &pic)) > 0) {
		const GstH264SPS *sps = pic.hdr.pps->sequence;
		unsigned int w = (sps->pic_width_in_mbs_minus1 + 1) * 16;
		unsigned int h = (sps->pic_height_in_map_units_minus1 + 1) * 16 *
				 (sps->frame_mbs_only_flag ? 1 : 2);

		if (seek.on && pic_no == seek.at && dec.configured) {
			/* the frames output so far come before the mark */
			ret = flush_output(&dec, true);
			if (ret)
				break;
			fprintf(dec.out.framemd5 ? dec.out.md5_file : stderr, "#seek: stop before "
				"picture %u, %s, restart at IDR picture %u\n", pic_no,
				dd_seek_style_name(seek.style), seek.to);
			ret = seek_flush(&dec, seek.style);
			while (!ret && pic_no < seek.to) {
				ret = dd_h264_next_picture(&s, &pic);
				ret = ret > 0 ? 0 : ret ? ret : -EPROTO;
				pic_no++;
			}
			if (ret)
				break;
			/* frame-coded, closed at the IDR: the IDR's display index */
			dec.out.frames = seek.to;
			seek.seeks++;
			dd_seek_next(&seek, seek.to);
		}
		if (!dec.configured || w != dec.coded_w || h != dec.coded_h) {
			ret = configure(&dec, sps);
			if (ret)
				break;
		}
		ret = decode_picture(&dec, &pic);
		if (!ret)
			ret = flush_output(&dec, false);
		if (ret)
			break;
		pic_no++;
	}
	if (!ret)
		ret = drain_all(&dec);
	if (!ret && !dec.pictures) {
		fprintf(stderr, "daedalus-decode: %s: no decodable H.264 picture\n",
			argv[optind]);
		ret = -EINVAL;
	}
	if (dec.verbose)
		fprintf(stderr, "daedalus-decode: %u pictures decoded, %u frames output, "
			"%u slices skipped, %u seeks\n", dec.pictures, dec.out.frames, s.n_skipped,
			seek.seeks);
	if (dec.corrupt)
		fprintf(stderr, "daedalus-decode: corrupt: %u of %u pictures damaged, "
			"%u OUTPUT and %u CAPTURE buffers returned with ERROR, %u frames out\n",
			corrupt.pictures_hit, dec.pictures, dec.out_errors, dec.cap_errors,
			dec.out.frames);
	dd_h264_picture_free(&pic);
	dd_h264_stream_fini(&s);
out:
	for (unsigned int i = 0; i < dec.inflight; i++)
		if (dec.slots[i].fd > 0)
			close(dec.slots[i].fd);
	dd_v4l2_close(&dec.dev);
out_codec:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (bench && !ret)
		fprintf(stderr, "daedalus-decode: bench: rtime=%.3fs\n",
			(double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	dd_out_close(&dec.out);
	if (dec.out.raw && fclose(dec.out.raw) && !ret)
		ret = -EIO;
	free(data);
	dd_seek_fini(&seek);
	if (ret) {
		fprintf(stderr, "daedalus-decode: failed: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
