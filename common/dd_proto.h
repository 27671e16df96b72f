/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_proto.h - the job protocol between a front end (kernel module or CUSE
 * server) and the decoding daemon.
 *
 * Messages are fixed-layout and little-endian on the wire.  Every message
 * starts with struct dd_msg_hdr; `size` counts the whole message.  The
 * control payloads inside a JOB are the V4L2 uAPI structs as the client
 * passed them (all supported targets are little-endian).
 *
 *   front end -> daemon: HELLO, JOB, CTX_CLOSE
 *   daemon -> front end: HELLO, DONE
 *
 * Buffers travel as struct dd_wire_buf references: the bitstream is INLINE
 * (it follows the control payloads); the picture is written by the daemon
 * straight into the CAPTURE buffer, which the front end names as an mmap
 * offset on the transport fd (kernel), a file descriptor passed with the
 * message (CUSE, SCM_RIGHTS) or a client address (CUSE USERPTR).
 *
 * The decode/encode helpers below never trust the peer: every length,
 * count and enum is checked and a malformed message is rejected with
 * -EINVAL (or -EPROTO for a version mismatch) and a log line.
 *
 * Framing rules the decoders enforce (dd_proto.c):
 *  - one transport read is one message and hdr.size must equal its length
 *    (no trailing bytes, nothing missing), at most DD_PROTO_MAX_MSG;
 *  - buffers handed to the decoders are 8-byte aligned;
 *  - JOB: the INLINE bitstream's `offset` is its byte offset in the message
 *    and must be exactly the end of the control area; it runs to the end of
 *    the message (bitstream.size == hdr.size - offset).  Control payloads
 *    are zero-padded to 8 bytes, ids unique, each <= DD_PROTO_MAX_CTRL_SIZE.
 *    cap_fourcc is NV12 (2 planes) or YUV420 (3 planes); every plane
 *    (offset + stride * rows) lies inside capture.size; unused planes and
 *    all reserved fields are zero;
 *  - HELLO carries DD_PROTO_VERSION and a NUL-terminated name; DONE and
 *    CTX_CLOSE have fixed sizes.
 */
#ifndef DD_PROTO_H
#define DD_PROTO_H

#include "dd_os.h"

#define DD_PROTO_MAGIC		0x32564444u	/* "DDV2" in memory order */
#define DD_PROTO_VERSION	1
#define DD_PROTO_MAX_MSG	(32u << 20)	/* upper bound of any message */
#define DD_PROTO_MAX_CTRLS	16
#define DD_PROTO_MAX_CTRL_SIZE	(64u << 10)
#define DD_PROTO_MAX_PLANES	3

enum dd_msg_type {
	DD_MSG_HELLO		= 1,
	DD_MSG_JOB		= 2,
	DD_MSG_DONE		= 3,
	DD_MSG_CTX_CLOSE	= 4,
};

enum dd_codec_id {
	DD_CODEC_H264		= 1,
	DD_CODEC_VP8		= 2,
	DD_CODEC_VP9		= 3,
	DD_CODEC_MPEG2		= 4,
	DD_CODEC_HEVC		= 5,
	DD_CODEC_AV1		= 6,
};

enum dd_buf_kind {
	DD_BUF_NONE		= 0,
	DD_BUF_INLINE		= 1,	/* bytes follow in this message */
	DD_BUF_MMAP		= 2,	/* mmap(transport fd, offset) */
	DD_BUF_FD		= 3,	/* fd passed alongside (index into SCM_RIGHTS) */
	DD_BUF_PROCESS		= 4,	/* address in process `id` (process_vm_writev) */
};

enum dd_job_status {
	DD_STATUS_OK		= 0,
	DD_STATUS_ERROR		= 1,	/* corrupt bitstream, decoder failure */
	DD_STATUS_UNSUPPORTED	= 2,	/* daemon cannot decode this codec/feature */
};

#define DD_JOB_FLAG_FLUSH	BIT(0)	/* drop the context's decoder state first */

struct dd_msg_hdr {
	__le32 magic;
	__le16 version;
	__le16 type;
	__le32 size;
	__le32 ctx_id;
	__le64 cookie;
};

struct dd_wire_buf {
	__le32 kind;			/* enum dd_buf_kind */
	__le32 id;			/* fd index or pid, by kind */
	__le64 offset;			/* mmap offset or address, by kind */
	__le32 size;			/* bytes available */
	__le32 reserved;
};

struct dd_wire_hello {
	struct dd_msg_hdr hdr;
	__le32 proto_version;
	__le32 codecs;			/* bitmask of BIT(enum dd_codec_id) */
	char name[32];			/* NUL-terminated peer name */
};

/* JOB: this header, then num_ctrls x (dd_wire_ctrl + payload padded to 8),
 * then the inline bitstream. */
struct dd_wire_job {
	struct dd_msg_hdr hdr;
	__le32 codec;			/* enum dd_codec_id */
	__le32 flags;			/* DD_JOB_FLAG_* */
	__le32 width;			/* coded size from the OUTPUT format */
	__le32 height;
	__le32 cap_fourcc;		/* V4L2_PIX_FMT_NV12 / V4L2_PIX_FMT_YUV420 */
	__le32 cap_num_planes;		/* colour planes: 2 for NV12 and P010, 3 for YUV420 */
	__le32 cap_offset[DD_PROTO_MAX_PLANES];	/* byte offset of each plane */
	__le32 cap_stride[DD_PROTO_MAX_PLANES];	/* bytes per line of each plane */
	__le32 num_ctrls;
	__le32 reserved;
	__le64 timestamp;		/* OUTPUT buffer timestamp, ns */
	struct dd_wire_buf bitstream;
	struct dd_wire_buf capture;
};

struct dd_wire_ctrl {
	__le32 id;			/* V4L2_CID_* */
	__le32 size;			/* payload bytes (unpadded) */
};

struct dd_wire_done {
	struct dd_msg_hdr hdr;
	__le32 status;			/* enum dd_job_status */
	__le32 decode_us;
	__le64 hash;			/* FNV-1a 64 of the visible picture, 0: not computed */
	__le32 bytesused;		/* bytes written to the CAPTURE buffer */
	__le32 reserved;
};

/* Host-endian views used by the encode/decode helpers. */
struct dd_buf_ref {
	u32 kind;
	u32 id;
	u64 offset;
	u32 size;
};

struct dd_proto_ctrl {
	u32 id;
	u32 size;
	const void *data;
};

struct dd_proto_job {
	u32 ctx_id;
	u64 cookie;
	u32 codec;
	u32 flags;
	u32 width;
	u32 height;
	u32 cap_fourcc;
	u32 cap_num_planes;
	u32 cap_offset[DD_PROTO_MAX_PLANES];
	u32 cap_stride[DD_PROTO_MAX_PLANES];
	u64 timestamp;
	struct dd_buf_ref bitstream;	/* kind INLINE: data below */
	struct dd_buf_ref capture;
	u32 num_ctrls;
	struct dd_proto_ctrl ctrls[DD_PROTO_MAX_CTRLS];
	const void *bitstream_data;	/* INLINE bytes, bitstream.size long */
};

struct dd_proto_done {
	u32 ctx_id;
	u64 cookie;
	u32 status;
	u32 decode_us;
	u64 hash;
	u32 bytesused;
};

struct dd_proto_hello {
	u32 proto_version;
	u32 codecs;
	char name[32];
};

#define DD_FNV1A64_INIT		0xcbf29ce484222325ull

u64 dd_fnv1a64(u64 hash, const void *data, size_t len);

/* Size of the encoded message, or -EINVAL if the job is not encodable. */
long dd_proto_job_size(const struct dd_proto_job *job);
/* Encode into buf (len bytes): returns the message size or -errno. */
long dd_proto_encode_job(void *buf, size_t len, const struct dd_proto_job *job);
long dd_proto_encode_done(void *buf, size_t len, const struct dd_proto_done *done);
long dd_proto_encode_hello(void *buf, size_t len, const struct dd_proto_hello *hello);
long dd_proto_encode_ctx_close(void *buf, size_t len, u32 ctx_id);

/* Peek at a received message: checks magic, version and size; fills type. */
int dd_proto_check_hdr(const void *buf, size_t len, u32 *type);
/* Decode: pointers in *job point into buf.  0 or -EINVAL/-EPROTO. */
int dd_proto_decode_job(const void *buf, size_t len, struct dd_proto_job *job);
int dd_proto_decode_done(const void *buf, size_t len, struct dd_proto_done *done);
int dd_proto_decode_hello(const void *buf, size_t len, struct dd_proto_hello *hello);
int dd_proto_decode_ctx_close(const void *buf, size_t len, u32 *ctx_id);

#endif /* DD_PROTO_H */
