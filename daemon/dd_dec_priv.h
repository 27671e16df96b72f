/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_dec_priv.h - what a codec file of the daemon (dd_dec_<codec>.c) sees
 * of a decoder: the decoder state, the codec hooks, and the helpers to find
 * a job's controls and assemble the packet handed to libavcodec.
 *
 * A codec is one struct dd_dec_codec listed in dd_dec_codec_tab[]
 * (dd_decoder.c).  Its packet() hook turns a JOB (controls + bitstream) into
 * the bytes libavcodec's decoder takes for one picture, rebuilding whatever
 * headers the stateless bitstream lacks from the controls.  Everything else
 * (buffer pool, the one-picture-per-job rule, copy and hash) is common.
 */
#ifndef DD_DEC_PRIV_H
#define DD_DEC_PRIV_H

#include <sys/uio.h>

#include "dd_av.h"
#include "dd_decoder.h"

#define DD_DEC_WV_MAX	512	/* iovecs per process_vm_writev (IOV_MAX is 1024) */

struct dd_dec;

struct dd_dec_codec {
	u32 id;				/* enum dd_codec_id */
	const char *name;
	enum AVCodecID av_id;
	size_t priv_size;		/* bytes of dec->priv, zeroed at creation */
	/*
	 * A packet may leave the picture of the previous job as this job's
	 * picture (H.264 second field: no buffer is allocated for it).  When
	 * false, a packet that allocates no picture is an ERROR.
	 */
	bool may_reuse_picture;
	/* 10-bit pictures (to P010 jobs) are decoded; otherwise 8-bit only. */
	bool ten_bit;
	/* Optional: set codec options on the context before avcodec_open2(). */
	void (*setup)(struct dd_dec *dec, AVCodecContext *avctx);
	/*
	 * Assemble the packet for this job in dec->pkt_buf (dd_dec_pkt_reserve)
	 * and return its size, or -EINVAL (ERROR) / -ENOTSUP (UNSUPPORTED)
	 * after a log line naming the reason.
	 */
	long (*packet)(struct dd_dec *dec, const struct dd_proto_job *job);
	/* Optional: forget header state after a flush (seek). */
	void (*flush)(struct dd_dec *dec);
};

struct dd_dec {
	const struct dd_dec_codec *codec;
	struct dd_dec_opts opts;
	AVCodecContext *avctx;
	AVPacket *pkt;
	AVFrame *frame;
	void *priv;		/* codec->priv_size bytes, the codec file's state */

	/* get_buffer2 pool and the buffer of the most recent picture. */
	AVBufferPool *pool;
	size_t pool_size;
	AVBufferRef *cur;
	u64 allocs;		/* pictures get_buffer2 handed out */
	u8 *cur_data[3];
	int cur_linesize[3];
	int cur_w, cur_h;
	int cur_bps;		/* bytes per sample: 1 (8-bit) or 2 (10-bit, P010 jobs) */
	bool bad_format;	/* this job's picture is not 8- or 10-bit 4:2:0 */
	/*
	 * Set by packet() for one job whose picture is the previous job's
	 * (MPEG-2 second field) when the codec's may_reuse_picture is false.
	 */
	bool reuse_picture;
	bool bad_format_logged;
	bool depth_logged;	/* a picture/CAPTURE depth mismatch was logged */

	u8 *pkt_buf;		/* packet assembly, AV_INPUT_BUFFER_PADDING_SIZE padded */
	size_t pkt_cap;
	u8 *staging;		/* NV12 chroma, P010 rows for DD_BUF_PROCESS captures */
	size_t staging_cap;
	/* process_vm_writev batch of rows for DD_BUF_PROCESS captures. */
	struct iovec wv_local[DD_DEC_WV_MAX];
	struct iovec wv_remote[DD_DEC_WV_MAX];
	unsigned int wv_n, wv_nr;	/* local (rows) and remote (merged) iovecs */
	size_t wv_bytes;
	u32 copy_us;		/* copy+hash part of the last job's decode_us */
};

/* The job's control `id`, or NULL. */
const struct dd_proto_ctrl *dd_dec_find_ctrl(const struct dd_proto_job *job, u32 id);
/*
 * The payload of control `id` if the job carries it with exactly `size`
 * bytes; NULL if absent; ERR: *err = -EINVAL (logged) if the size differs.
 */
const void *dd_dec_ctrl_payload(const struct dd_proto_job *job, u32 id, size_t size,
				const char *name, int *err);
/* Make dec->pkt_buf hold `need` bytes plus libavcodec's input padding. */
int dd_dec_pkt_reserve(struct dd_dec *dec, size_t need);
/* Zero the padding after a packet of `size` bytes. */
void dd_dec_pkt_pad(struct dd_dec *dec, size_t size);

extern const struct dd_dec_codec dd_dec_codec_h264;
extern const struct dd_dec_codec dd_dec_codec_hevc;
extern const struct dd_dec_codec dd_dec_codec_mpeg2;
extern const struct dd_dec_codec dd_dec_codec_vp8;
extern const struct dd_dec_codec dd_dec_codec_vp9;

#endif /* DD_DEC_PRIV_H */
