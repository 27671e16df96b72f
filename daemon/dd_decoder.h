/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_decoder.h - one libavcodec decoder per (front end, context): turns a
 * JOB into a picture in the CAPTURE buffer and the DONE fields.
 *
 * The picture of job N is complete when dd_dec_decode() returns: decoding
 * is single-threaded inside avcodec_send_packet(), a custom get_buffer2
 * tells which buffer the packet decoded into, and that buffer is copied
 * (the only copy) into the CAPTURE buffer whatever libavcodec's output
 * reordering does with it.
 */
#ifndef DD_DECODER_H
#define DD_DECODER_H

#include <stdbool.h>
#include <sys/types.h>

#include "dd_os.h"
#include "dd_proto.h"

struct dd_dec;

/* Where the picture goes: mapped memory, or another process's memory. */
struct dd_capture_dst {
	u8 *ptr;		/* mapped CAPTURE buffer, or NULL */
	size_t size;
	pid_t pid;		/* ptr == NULL: write with process_vm_writev */
	u64 addr;
};

struct dd_dec_opts {
	bool verbose;
	bool ps_always;		/* feed SPS/PPS with every job, not only on change */
	int slice_threads;	/* >1: libavcodec slice threading (still inside send) */
	bool hash;		/* fill DONE.hash (costs a multiply per byte) */
};

/* NULL if the codec is not supported (the caller answers UNSUPPORTED). */
struct dd_dec *dd_dec_new(u32 codec, const struct dd_dec_opts *opts);
void dd_dec_free(struct dd_dec *dec);

/*
 * Decode one job into dst and fill done->status/hash/bytesused/decode_us
 * (ctx_id and cookie are the caller's).  Never fails hard: decoding errors
 * become DD_STATUS_ERROR and the decoder stays usable.
 */
void dd_dec_decode(struct dd_dec *dec, const struct dd_proto_job *job,
		   const struct dd_capture_dst *dst, struct dd_proto_done *done);

/* Microseconds of the last dd_dec_decode() spent copying (and hashing) the picture. */
u32 dd_dec_copy_us(const struct dd_dec *dec);

/* Codecs this build can decode, as BIT(enum dd_codec_id). */
u32 dd_dec_codecs(void);
const char *dd_dec_codec_name(u32 codec);

#endif /* DD_DECODER_H */
