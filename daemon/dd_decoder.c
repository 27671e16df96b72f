// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_decoder.c - per-context libavcodec decoding of protocol jobs.
 *
 * The codec files (dd_dec_<codec>.c, hooks in dd_dec_priv.h) turn a job
 * into one libavcodec packet, rebuilding headers from the controls; the
 * rest is common to all codecs here.  libavcodec runs with
 * one thread so the packet is fully decoded when avcodec_send_packet()
 * and the receive drain return; get_buffer2 hands out buffers from our
 * own pool and remembers the last one: that is this job's picture, also
 * for a picture libavcodec never outputs (VP8/VP9 hidden frames).  Only a
 * codec that says so may leave the previous picture as this job's (H.264
 * second field: no buffer is allocated, the frame now has both fields).
 * Pictures are 8-bit 4:2:0 for NV12/YUV420 jobs and, for the codecs that
 * say ten_bit (HEVC, VP9), 10-bit 4:2:0 for P010 jobs; a picture whose
 * depth is not the CAPTURE format's is UNSUPPORTED, never converted.
 */
#include <limits.h>

#include "dd_dec_priv.h"

#define DD_DEC_ALIGN	64

/* The codecs this daemon knows; dd_dec_codecs() keeps those libavcodec has. */
static const struct dd_dec_codec * const dd_dec_codec_tab[] = {
	&dd_dec_codec_h264,
	&dd_dec_codec_hevc,
	&dd_dec_codec_mpeg2,
	&dd_dec_codec_vp8,
	&dd_dec_codec_vp9,
};

static const struct dd_dec_codec *dd_dec_codec_find(u32 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dd_dec_codec_tab); i++)
		if (dd_dec_codec_tab[i]->id == id)
			return dd_dec_codec_tab[i];
	return NULL;
}

u32 dd_dec_codecs(void)
{
	static u32 codecs, probed;
	unsigned int i;

	if (probed)
		return codecs;
	for (i = 0; i < ARRAY_SIZE(dd_dec_codec_tab); i++) {
		const struct dd_dec_codec *c = dd_dec_codec_tab[i];

		if (dd_av.avcodec_find_decoder(c->av_id))
			codecs |= BIT(c->id);
		else
			dd_warn("decoder: this libavcodec has no %s decoder", c->name);
	}
	probed = 1;
	return codecs;
}

const char *dd_dec_codec_name(u32 codec)
{
	static const char * const names[] = {
		[DD_CODEC_H264] = "h264", [DD_CODEC_VP8] = "vp8", [DD_CODEC_VP9] = "vp9",
		[DD_CODEC_MPEG2] = "mpeg2", [DD_CODEC_HEVC] = "hevc", [DD_CODEC_AV1] = "av1",
	};

	return codec < ARRAY_SIZE(names) && names[codec] ? names[codec] : "unknown";
}

static int dd_dec_get_buffer2(AVCodecContext *avctx, AVFrame *frame, int flags)
{
	struct dd_dec *dec = avctx->opaque;
	int w = frame->width, h = frame->height, aw = w, ah = h;
	int align[AV_NUM_DATA_POINTERS];
	size_t ysize, csize, total;
	AVBufferRef *buf;
	int ls0, ls1, bps;

	/* 10-bit samples are little-endian words: the P010 copy relies on it. */
	if (frame->format == AV_PIX_FMT_YUV420P || frame->format == AV_PIX_FMT_YUVJ420P) {
		bps = 1;
	} else if (frame->format == AV_PIX_FMT_YUV420P10LE && dec->codec->ten_bit) {
		bps = 2;
	} else {
		if (!dec->bad_format_logged)
			dd_err("decoder: pixel format %d is not 8- or 10-bit 4:2:0, unsupported",
			       frame->format);
		dec->bad_format_logged = true;
		dec->bad_format = true;
		return AVERROR(ENOSYS);
	}
	dd_av.avcodec_align_dimensions2(avctx, &aw, &ah, align);
	ls0 = ALIGN(aw * bps, DD_DEC_ALIGN);
	ls1 = ALIGN((aw + 1) / 2 * bps, DD_DEC_ALIGN);
	/* Slack past each plane for the decoders' edge emulation and SIMD over-reads. */
	ysize = ALIGN((size_t)ls0 * ah + 16 + DD_DEC_ALIGN, DD_DEC_ALIGN);
	csize = ALIGN((size_t)ls1 * ((ah + 1) / 2) + 16 + DD_DEC_ALIGN, DD_DEC_ALIGN);
	total = ysize + 2 * csize;
	if (total > INT_MAX)
		return AVERROR(EINVAL);
	if (!dec->pool || dec->pool_size != total) {
		/* Outstanding buffers keep the old pool alive until unreferenced. */
		if (dec->pool)
			dd_av.av_buffer_pool_uninit(&dec->pool);
		dec->pool = dd_av.av_buffer_pool_init(total, dd_av.av_buffer_allocz);
		if (!dec->pool)
			return AVERROR(ENOMEM);
		dec->pool_size = total;
	}
	buf = dd_av.av_buffer_pool_get(dec->pool);
	if (!buf)
		return AVERROR(ENOMEM);
	memset(frame->data, 0, sizeof(frame->data));
	memset(frame->linesize, 0, sizeof(frame->linesize));
	frame->buf[0] = buf;
	frame->data[0] = buf->data;
	frame->data[1] = buf->data + ysize;
	frame->data[2] = buf->data + ysize + csize;
	frame->linesize[0] = ls0;
	frame->linesize[1] = ls1;
	frame->linesize[2] = ls1;
	frame->extended_data = frame->data;

	dd_av.av_buffer_unref(&dec->cur);
	dec->cur = dd_av.av_buffer_ref(buf);
	dec->allocs++;
	if (!dec->cur)
		return AVERROR(ENOMEM);
	memcpy(dec->cur_data, frame->data, sizeof(dec->cur_data));
	memcpy(dec->cur_linesize, frame->linesize, sizeof(dec->cur_linesize));
	dec->cur_w = w;
	dec->cur_h = h;
	dec->cur_bps = bps;
	return 0;
}

static int dd_dec_open(struct dd_dec *dec)
{
	const AVCodec *codec = dd_av.avcodec_find_decoder(dec->codec->av_id);
	int ret;

	if (!codec) {
		dd_err("decoder: this libavcodec has no %s decoder", dec->codec->name);
		return -1;
	}
	dec->avctx = dd_av.avcodec_alloc_context3(codec);
	if (!dec->avctx)
		return -1;
	dec->avctx->opaque = dec;
	dec->avctx->get_buffer2 = dd_dec_get_buffer2;
	/*
	 * No frame threading: it returns pictures a few packets late.  Slice
	 * threads decode the slices of this packet in parallel and are done
	 * when avcodec_send_packet() returns, so the guarantee holds.
	 */
	if (dec->opts.slice_threads > 1) {
		dec->avctx->thread_count = dec->opts.slice_threads;
		dec->avctx->thread_type = FF_THREAD_SLICE;
	} else {
		dec->avctx->thread_count = 1;
		dec->avctx->thread_type = 0;
	}
	dec->avctx->apply_cropping = 0;
	/* Report corrupt slices as errors instead of silently concealing. */
	dec->avctx->err_recognition = AV_EF_EXPLODE;
	if (dec->codec->setup)
		dec->codec->setup(dec, dec->avctx);
	ret = dd_av.avcodec_open2(dec->avctx, codec, NULL);
	if (ret < 0) {
		dd_err("decoder: avcodec_open2 failed (%d)", ret);
		return -1;
	}
	return 0;
}

struct dd_dec *dd_dec_new(u32 codec, const struct dd_dec_opts *opts)
{
	struct dd_dec *dec;

	if (!(dd_dec_codecs() & BIT(codec)))
		return NULL;
	dec = calloc(1, sizeof(*dec));
	if (!dec)
		return NULL;
	dec->codec = dd_dec_codec_find(codec);
	dec->priv = calloc(1, dec->codec->priv_size ? dec->codec->priv_size : 1);
	if (!dec->priv) {
		free(dec);
		return NULL;
	}
	if (opts)
		dec->opts = *opts;
	dec->pkt = dd_av.av_packet_alloc();
	dec->frame = dd_av.av_frame_alloc();
	if (!dec->pkt || !dec->frame || dd_dec_open(dec)) {
		dd_dec_free(dec);
		return NULL;
	}
	return dec;
}

void dd_dec_free(struct dd_dec *dec)
{
	if (!dec)
		return;
	dd_av.avcodec_free_context(&dec->avctx);
	dd_av.av_packet_free(&dec->pkt);
	dd_av.av_frame_free(&dec->frame);
	dd_av.av_buffer_unref(&dec->cur);
	if (dec->pool)
		dd_av.av_buffer_pool_uninit(&dec->pool);
	free(dec->pkt_buf);
	free(dec->staging);
	free(dec->priv);
	free(dec);
}

const struct dd_proto_ctrl *dd_dec_find_ctrl(const struct dd_proto_job *job, u32 id)
{
	u32 i;

	for (i = 0; i < job->num_ctrls; i++)
		if (job->ctrls[i].id == id)
			return &job->ctrls[i];
	return NULL;
}

const void *dd_dec_ctrl_payload(const struct dd_proto_job *job, u32 id, size_t size,
				const char *name, int *err)
{
	const struct dd_proto_ctrl *c = dd_dec_find_ctrl(job, id);

	if (!c)
		return NULL;
	if (c->size != size) {
		dd_err("decoder: %s control of %u bytes, expected %zu", name, c->size, size);
		*err = -EINVAL;
		return NULL;
	}
	return c->data;
}

int dd_dec_pkt_reserve(struct dd_dec *dec, size_t need)
{
	u8 *n;

	need += AV_INPUT_BUFFER_PADDING_SIZE;
	if (need <= dec->pkt_cap)
		return 0;
	n = realloc(dec->pkt_buf, need);
	if (!n)
		return -ENOMEM;
	dec->pkt_buf = n;
	dec->pkt_cap = need;
	return 0;
}

void dd_dec_pkt_pad(struct dd_dec *dec, size_t size)
{
	memset(dec->pkt_buf + size, 0, AV_INPUT_BUFFER_PADDING_SIZE);
}

/* Send the packet and drain every frame libavcodec offers; 0 or AVERROR. */
static int dd_dec_run(struct dd_dec *dec, u8 *data, size_t size)
{
	int ret, err = 0;

	dec->pkt->data = data;
	dec->pkt->size = (int)size;
	ret = dd_av.avcodec_send_packet(dec->avctx, dec->pkt);
	dec->pkt->data = NULL;
	dec->pkt->size = 0;
	if (ret < 0 && ret != AVERROR(EAGAIN))
		err = ret;
	/* Output order is libavcodec's business: drop what it returns. */
	for (;;) {
		ret = dd_av.avcodec_receive_frame(dec->avctx, dec->frame);
		if (ret < 0)
			break;
		dd_av.av_frame_unref(dec->frame);
	}
	if (ret != AVERROR(EAGAIN) && ret != AVERROR_EOF && !err)
		err = ret;
	return err;
}

/*
 * Copying the picture is the daemon's own per-job work on top of
 * libavcodec.  With opts.hash (daedalusd --hash, for tests) it is fused
 * with the FNV-1a 64 of the visible picture (dd_proto.h), eight bytes at
 * a time, so each byte is loaded once (from the decoded picture, never
 * read back from the CAPTURE buffer) and the hash is the same as
 * dd_fnv1a64() over the written rows.  The hash costs a dependent
 * multiply per byte, more than the copy itself, so by default rows are
 * plain memcpy()s and DONE.hash is 0.
 */
#define DD_DEC_FNV_PRIME	0x100000001b3ull

static inline u64 dd_dec_fnv_word(u64 h, u64 w)
{
	unsigned int k;

	/* Little-endian value: byte k of memory is bits 8k..8k+7. */
	for (k = 0; k < 8; k++)
		h = (h ^ (u8)(w >> (8 * k))) * DD_DEC_FNV_PRIME;
	return h;
}

/*
 * The row copies below are always inlined with a constant `hash`, so the
 * unhashed copy carries no FNV work (and a plain row is one memcpy()).
 */
static inline __attribute__((always_inline)) u64
dd_dec_copy_row(u8 *dst, const u8 *src, size_t n, u64 h, bool hash)
{
	u64 w;

	if (!hash) {
		memcpy(dst, src, n);
		return h;
	}
	for (; n >= 8; n -= 8, src += 8, dst += 8) {
		memcpy(&w, src, 8);
		memcpy(dst, &w, 8);
		h = dd_dec_fnv_word(h, le64_to_cpu(w));
	}
	for (; n; n--, src++, dst++) {
		*dst = *src;
		h = (h ^ *src) * DD_DEC_FNV_PRIME;
	}
	return h;
}

/* Four bytes to the even bytes of a little-endian 64-bit value. */
static inline u64 dd_dec_spread(u32 x)
{
	u64 v = x;

	v = (v | (v << 16)) & 0x0000ffff0000ffffull;
	v = (v | (v << 8)) & 0x00ff00ff00ff00ffull;
	return v;
}

/* Interleave cw U and V samples into an NV12 row (2 * cw bytes). */
static inline __attribute__((always_inline)) u64
dd_dec_copy_uv_row(u8 *dst, const u8 *u, const u8 *v, size_t cw, u64 h, bool hash)
{
	u32 a, b;
	u64 w;

	for (; cw >= 4; cw -= 4, u += 4, v += 4, dst += 8) {
		memcpy(&a, u, 4);
		memcpy(&b, v, 4);
		w = dd_dec_spread(le32_to_cpu(a)) | dd_dec_spread(le32_to_cpu(b)) << 8;
		if (hash)
			h = dd_dec_fnv_word(h, w);
		w = cpu_to_le64(w);
		memcpy(dst, &w, 8);
	}
	for (; cw; cw--, u++, v++, dst += 2) {
		dst[0] = *u;
		dst[1] = *v;
		if (hash) {
			h = (h ^ *u) * DD_DEC_FNV_PRIME;
			h = (h ^ *v) * DD_DEC_FNV_PRIME;
		}
	}
	return h;
}

/* n bytes of one row into dst, hashed with opts.hash. */
static u64 dd_dec_row(const struct dd_dec *dec, u8 *dst, const u8 *src, size_t n, u64 hash)
{
	if (!dec->opts.hash)
		return dd_dec_copy_row(dst, src, n, 0, false);
	return dd_dec_copy_row(dst, src, n, hash, true);
}

static u64 dd_dec_uv_row(const struct dd_dec *dec, u8 *dst, const u8 *u, const u8 *v,
			 size_t cw, u64 hash)
{
	if (!dec->opts.hash)
		return dd_dec_copy_uv_row(dst, u, v, cw, 0, false);
	return dd_dec_copy_uv_row(dst, u, v, cw, hash, true);
}

/*
 * P010 rows: libavcodec's yuv420p10le samples (10-bit values in the low
 * bits of little-endian words) become value << 6, Cb and Cr interleaved.
 * Four samples are one 64-bit word: masking each 16-bit lane to 10 bits
 * lets one shift move them all.  Inlined with a constant `hash`, as the
 * 8-bit rows are.
 */
#define DD_DEC_P010_MASK	0x03ff03ff03ff03ffull

static inline __attribute__((always_inline)) u64
dd_dec_p010_put(u8 *dst, u16 s, u64 h, bool hash)
{
	s = (u16)((s & 0x3ff) << 6);
	dst[0] = (u8)s;
	dst[1] = (u8)(s >> 8);
	if (hash) {
		h = (h ^ dst[0]) * DD_DEC_FNV_PRIME;
		h = (h ^ dst[1]) * DD_DEC_FNV_PRIME;
	}
	return h;
}

/* n luma samples of src (2n bytes) to 2n bytes of P010 at dst. */
static inline __attribute__((always_inline)) u64
dd_dec_p010_y(u8 *dst, const u8 *src, size_t n, u64 h, bool hash)
{
	u64 w;

	for (; n >= 4; n -= 4, src += 8, dst += 8) {
		memcpy(&w, src, 8);
		w = (le64_to_cpu(w) & DD_DEC_P010_MASK) << 6;
		if (hash)
			h = dd_dec_fnv_word(h, w);
		w = cpu_to_le64(w);
		memcpy(dst, &w, 8);
	}
	for (; n; n--, src += 2, dst += 2)
		h = dd_dec_p010_put(dst, (u16)(src[0] | src[1] << 8), h, hash);
	return h;
}

/* Two 16-bit samples to the 16-bit lanes 0 and 2 of a 64-bit value. */
static inline u64 dd_dec_spread16(u32 x)
{
	u64 v = x;

	return (v | (v << 16)) & 0x0000ffff0000ffffull;
}

/* cw Cb and Cr samples to 4 * cw bytes of interleaved P010 chroma at dst. */
static inline __attribute__((always_inline)) u64
dd_dec_p010_uv(u8 *dst, const u8 *u, const u8 *v, size_t cw, u64 h, bool hash)
{
	u32 a, b;
	u64 w;

	for (; cw >= 2; cw -= 2, u += 4, v += 4, dst += 8) {
		memcpy(&a, u, 4);
		memcpy(&b, v, 4);
		w = dd_dec_spread16(le32_to_cpu(a)) | dd_dec_spread16(le32_to_cpu(b)) << 16;
		w = (w & DD_DEC_P010_MASK) << 6;
		if (hash)
			h = dd_dec_fnv_word(h, w);
		w = cpu_to_le64(w);
		memcpy(dst, &w, 8);
	}
	if (cw) {
		h = dd_dec_p010_put(dst, (u16)(u[0] | u[1] << 8), h, hash);
		h = dd_dec_p010_put(dst + 2, (u16)(v[0] | v[1] << 8), h, hash);
	}
	return h;
}

/* One P010 luma row of n samples, hashed with opts.hash. */
static u64 dd_dec_p010_y_row(const struct dd_dec *dec, u8 *dst, const u8 *src, size_t n,
			     u64 hash)
{
	if (!dec->opts.hash) {
		dd_dec_p010_y(dst, src, n, 0, false);
		return 0;
	}
	return dd_dec_p010_y(dst, src, n, hash, true);
}

static u64 dd_dec_p010_uv_row(const struct dd_dec *dec, u8 *dst, const u8 *u, const u8 *v,
			      size_t cw, u64 hash)
{
	if (!dec->opts.hash) {
		dd_dec_p010_uv(dst, u, v, cw, 0, false);
		return 0;
	}
	return dd_dec_p010_uv(dst, u, v, cw, hash, true);
}

/*
 * The visible w x h picture as P010 rows: luma row y at
 * base + off[0] + y * stride[0], chroma rows likewise; returns the hash
 * of the bytes written (in row order) with opts.hash.
 */
static u64 dd_dec_p010_picture(struct dd_dec *dec, u8 *base, const u32 *off, const u32 *stride,
			       u32 w, u32 h, u64 hash)
{
	u32 cw = (w + 1) / 2, ch = (h + 1) / 2, y;

	for (y = 0; y < h; y++)
		hash = dd_dec_p010_y_row(dec, base + off[0] + (size_t)y * stride[0],
					 dec->cur_data[0] + (size_t)y * dec->cur_linesize[0],
					 w, hash);
	for (y = 0; y < ch; y++)
		hash = dd_dec_p010_uv_row(dec, base + off[1] + (size_t)y * stride[1],
					  dec->cur_data[1] + (size_t)y * dec->cur_linesize[1],
					  dec->cur_data[2] + (size_t)y * dec->cur_linesize[2],
					  cw, hash);
	return hash;
}

/*
 * Copy the current picture in the job's layout into base; returns the
 * hash (0 without opts.hash).
 */
static u64 dd_dec_copy_picture(struct dd_dec *dec, const struct dd_proto_job *job, u8 *base)
{
	u32 w = min_t(u32, job->width, dec->cur_w), h = min_t(u32, job->height, dec->cur_h);
	u32 cw = (w + 1) / 2, ch = (h + 1) / 2, y, p;
	u64 hash = DD_FNV1A64_INIT;

	if (job->cap_fourcc == V4L2_PIX_FMT_P010) {
		hash = dd_dec_p010_picture(dec, base, job->cap_offset, job->cap_stride, w, h,
					   hash);
		return dec->opts.hash ? hash : 0;
	}
	for (y = 0; y < h; y++)
		hash = dd_dec_row(dec, base + job->cap_offset[0] + (size_t)y * job->cap_stride[0],
				  dec->cur_data[0] + (size_t)y * dec->cur_linesize[0], w, hash);
	if (job->cap_fourcc == V4L2_PIX_FMT_NV12) {
		for (y = 0; y < ch; y++)
			hash = dd_dec_uv_row(dec, base + job->cap_offset[1] +
					     (size_t)y * job->cap_stride[1],
					     dec->cur_data[1] + (size_t)y * dec->cur_linesize[1],
					     dec->cur_data[2] + (size_t)y * dec->cur_linesize[2],
					     cw, hash);
	} else {
		for (p = 1; p <= 2; p++)
			for (y = 0; y < ch; y++)
				hash = dd_dec_row(dec, base + job->cap_offset[p] +
						  (size_t)y * job->cap_stride[p],
						  dec->cur_data[p] + (size_t)y * dec->cur_linesize[p],
						  cw, hash);
	}
	return dec->opts.hash ? hash : 0;
}

static u32 dd_dec_bytesused(const struct dd_proto_job *job)
{
	u32 i, used = 0;

	for (i = 0; i < job->cap_num_planes; i++) {
		u32 rows = i ? (job->height + 1) / 2 : job->height;

		used = max_t(u32, used, job->cap_offset[i] + job->cap_stride[i] * rows);
	}
	return used;
}

/*
 * DD_BUF_PROCESS captures: the rows go to the client with process_vm_writev
 * straight from the decoded picture (NV12 chroma from interleaved rows in
 * the staging buffer), hashed on the way with opts.hash; no staging copy
 * of the luma.
 */
static int dd_dec_wv_flush(struct dd_dec *dec, const struct dd_capture_dst *dst)
{
	ssize_t n;

	if (!dec->wv_n)
		return 0;
	n = process_vm_writev(dst->pid, dec->wv_local, dec->wv_n, dec->wv_remote,
			      dec->wv_nr, 0);
	if (n < 0 && errno == ESRCH) {
		/* the client died (or was killed) while its picture decoded */
		dd_info("decoder: client pid %d is gone, its picture is dropped", dst->pid);
		return -1;
	}
	if (n != (ssize_t)dec->wv_bytes) {
		dd_err("decoder: process_vm_writev to pid %d: %s", dst->pid,
		       n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	dec->wv_n = 0;
	dec->wv_nr = 0;
	dec->wv_bytes = 0;
	return 0;
}

/*
 * One local iovec per row; remote rows that touch are merged, since the
 * kernel pins the client's pages once per remote iovec (per row would be
 * hundreds of page-pinning walks per picture).
 */
static int dd_dec_wv_add(struct dd_dec *dec, const struct dd_capture_dst *dst, const u8 *src,
			 u64 off, size_t len)
{
	struct iovec *r;
	u64 addr = dst->addr + off;

	if ((dec->wv_n == DD_DEC_WV_MAX || dec->wv_nr == DD_DEC_WV_MAX) &&
	    dd_dec_wv_flush(dec, dst))
		return -1;
	dec->wv_local[dec->wv_n].iov_base = (void *)src;
	dec->wv_local[dec->wv_n].iov_len = len;
	dec->wv_n++;
	dec->wv_bytes += len;
	r = dec->wv_nr ? &dec->wv_remote[dec->wv_nr - 1] : NULL;
	if (r && (uintptr_t)r->iov_base + r->iov_len == addr) {
		r->iov_len += len;
	} else {
		dec->wv_remote[dec->wv_nr].iov_base = (void *)(uintptr_t)addr;
		dec->wv_remote[dec->wv_nr].iov_len = len;
		dec->wv_nr++;
	}
	return 0;
}

static int dd_dec_staging(struct dd_dec *dec, size_t need)
{
	u8 *n;

	if (need <= dec->staging_cap)
		return 0;
	n = realloc(dec->staging, need);
	if (!n) {
		dd_err("decoder: no memory for a %zu-byte staging picture", need);
		return -1;
	}
	dec->staging = n;
	dec->staging_cap = need;
	return 0;
}

/*
 * P010 for DD_BUF_PROCESS: every sample changes, so the whole picture is
 * packed (and hashed) into the staging buffer, then written row by row.
 */
static int dd_dec_write_p010(struct dd_dec *dec, const struct dd_proto_job *job,
			     const struct dd_capture_dst *dst, u32 w, u32 h, u64 *hash)
{
	u32 cw = (w + 1) / 2, ch = (h + 1) / 2, y;
	u32 off[2] = { 0, 2 * w * h }, stride[2] = { 2 * w, 4 * cw };

	if (dd_dec_staging(dec, (size_t)off[1] + (size_t)stride[1] * ch))
		return -1;
	*hash = dd_dec_p010_picture(dec, dec->staging, off, stride, w, h, DD_FNV1A64_INIT);
	for (y = 0; y < h; y++)
		if (dd_dec_wv_add(dec, dst, dec->staging + off[0] + (size_t)y * stride[0],
				  job->cap_offset[0] + (u64)y * job->cap_stride[0], stride[0]))
			return -1;
	for (y = 0; y < ch; y++)
		if (dd_dec_wv_add(dec, dst, dec->staging + off[1] + (size_t)y * stride[1],
				  job->cap_offset[1] + (u64)y * job->cap_stride[1], stride[1]))
			return -1;
	if (dd_dec_wv_flush(dec, dst))
		return -1;
	if (!dec->opts.hash)
		*hash = 0;
	return 0;
}

/* Returns 0 with *hash set (0 without opts.hash), or -1 (logged). */
static int dd_dec_write_process(struct dd_dec *dec, const struct dd_proto_job *job,
				const struct dd_capture_dst *dst, u64 *hash)
{
	u32 w = min_t(u32, job->width, dec->cur_w), h = min_t(u32, job->height, dec->cur_h);
	u32 cw = (w + 1) / 2, ch = (h + 1) / 2, y, p;
	u64 hs = DD_FNV1A64_INIT;
	const u8 *src;
	u8 *row;

	dec->wv_n = 0;
	dec->wv_nr = 0;
	dec->wv_bytes = 0;
	if (job->cap_fourcc == V4L2_PIX_FMT_P010)
		return dd_dec_write_p010(dec, job, dst, w, h, hash);
	for (y = 0; y < h; y++) {
		src = dec->cur_data[0] + (size_t)y * dec->cur_linesize[0];
		if (dec->opts.hash)
			hs = dd_fnv1a64(hs, src, w);
		if (dd_dec_wv_add(dec, dst, src, job->cap_offset[0] +
				  (u64)y * job->cap_stride[0], w))
			return -1;
	}
	if (job->cap_fourcc == V4L2_PIX_FMT_NV12) {
		if (dd_dec_staging(dec, (size_t)2 * cw * ch))
			return -1;
		for (y = 0; y < ch; y++) {
			row = dec->staging + (size_t)y * 2 * cw;
			hs = dd_dec_uv_row(dec, row, dec->cur_data[1] +
					   (size_t)y * dec->cur_linesize[1],
					   dec->cur_data[2] + (size_t)y * dec->cur_linesize[2],
					   cw, hs);
			if (dd_dec_wv_add(dec, dst, row, job->cap_offset[1] +
					  (u64)y * job->cap_stride[1], 2 * cw))
				return -1;
		}
	} else {
		for (p = 1; p <= 2; p++) {
			for (y = 0; y < ch; y++) {
				src = dec->cur_data[p] + (size_t)y * dec->cur_linesize[p];
				if (dec->opts.hash)
					hs = dd_fnv1a64(hs, src, cw);
				if (dd_dec_wv_add(dec, dst, src, job->cap_offset[p] +
						  (u64)y * job->cap_stride[p], cw))
					return -1;
			}
		}
	}
	if (dd_dec_wv_flush(dec, dst))
		return -1;
	*hash = dec->opts.hash ? hs : 0;
	return 0;
}

void dd_dec_decode(struct dd_dec *dec, const struct dd_proto_job *job,
		   const struct dd_capture_dst *dst, struct dd_proto_done *done)
{
	u64 t0 = dd_time_ns(), t1, allocs;
	long size;
	int ret;

	done->status = DD_STATUS_OK;
	done->hash = 0;
	done->bytesused = 0;
	dec->copy_us = 0;
	if (job->codec != dec->codec->id) {
		dd_err("decoder: job codec %u on a %s context", job->codec, dec->codec->name);
		done->status = DD_STATUS_UNSUPPORTED;
		goto out;
	}
	if (job->flags & DD_JOB_FLAG_FLUSH) {
		dd_av.avcodec_flush_buffers(dec->avctx);
		dd_av.av_buffer_unref(&dec->cur);
		if (dec->codec->flush)
			dec->codec->flush(dec);
	}
	if (job->cap_fourcc == V4L2_PIX_FMT_P010 && !dec->codec->ten_bit) {
		dd_err("decoder: %s is decoded to 8 bits only, a P010 CAPTURE buffer is "
		       "unsupported", dec->codec->name);
		done->status = DD_STATUS_UNSUPPORTED;
		goto out;
	}
	dec->reuse_picture = false;
	size = dec->codec->packet(dec, job);
	if (size < 0) {
		done->status = size == -ENOTSUP ? DD_STATUS_UNSUPPORTED : DD_STATUS_ERROR;
		goto out;
	}
	dec->bad_format = false;
	allocs = dec->allocs;
	ret = dd_dec_run(dec, dec->pkt_buf, size);
	if (dec->bad_format) {
		done->status = DD_STATUS_UNSUPPORTED;
		goto out;
	}
	if (ret < 0) {
		char msg[128];

		dd_av.av_strerror(ret, msg, sizeof(msg));
		dd_warn("decoder: libavcodec: %s", msg);
		done->status = DD_STATUS_ERROR;
	}
	if (!dec->cur || (!dec->codec->may_reuse_picture && !dec->reuse_picture &&
			  dec->allocs == allocs)) {
		dd_warn("decoder: the packet produced no picture");
		done->status = DD_STATUS_ERROR;
		goto out;
	}
	if ((dec->cur_bps == 2) != (job->cap_fourcc == V4L2_PIX_FMT_P010)) {
		/* Never a silent conversion: the client set up the wrong format. */
		if (!dec->depth_logged)
			dd_err("decoder: %s picture is %s, the CAPTURE format %.4s is not: "
			       "unsupported", dec->codec->name, dec->cur_bps == 2 ? "10-bit" :
			       "8-bit", (const char *)&job->cap_fourcc);
		dec->depth_logged = true;
		done->status = DD_STATUS_UNSUPPORTED;
		goto out;
	}
	dec->depth_logged = false;
	if (job->width > (u32)dec->cur_w || job->height > (u32)dec->cur_h)
		dd_warn("decoder: job is %ux%u, decoded picture %dx%d", job->width, job->height,
			dec->cur_w, dec->cur_h);
	done->bytesused = dd_dec_bytesused(job);
	t1 = dd_time_ns();
	if (dst->ptr)
		done->hash = dd_dec_copy_picture(dec, job, dst->ptr);
	else if (dd_dec_write_process(dec, job, dst, &done->hash))
		done->status = DD_STATUS_ERROR;
	dec->copy_us = (u32)((dd_time_ns() - t1) / 1000);
out:
	done->decode_us = (u32)((dd_time_ns() - t0) / 1000);
}

u32 dd_dec_copy_us(const struct dd_dec *dec)
{
	return dec->copy_us;
}
