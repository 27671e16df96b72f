// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_proto.c - encode and decode the job protocol messages (dd_proto.h).
 *
 * Both ends run the same code.  The decoders treat the buffer as hostile:
 * every size, count, offset and enum is checked before anything is read
 * through it, and each rejection logs one line naming the bad field.
 * Buffers handed to the decoders must be 8-byte aligned (kmalloc, malloc).
 */
#include "dd_os.h"
#include "dd_proto.h"

#define DD_PROTO_MAX_DIM	16384u

#define DD_FNV1A64_PRIME	0x100000001b3ull
#define DD_FNV_STEP(h, w, k)	((h) = ((h) ^ (u8)((w) >> (8 * (k)))) * DD_FNV1A64_PRIME)

/*
 * Byte-wise FNV-1a 64, eight bytes per load: every picture is hashed, and
 * one load per eight bytes (bytes taken out by shifts, in memory order)
 * costs far less than a load per byte under emulation (TCG) and no more
 * natively, where the multiply chain is the limit either way.
 */
u64 dd_fnv1a64(u64 hash, const void *data, size_t len)
{
	const u8 *p = data;
	u64 w;

	for (; len >= 8; len -= 8, p += 8) {
		memcpy(&w, p, sizeof(w));
		w = le64_to_cpu(w);
		DD_FNV_STEP(hash, w, 0);
		DD_FNV_STEP(hash, w, 1);
		DD_FNV_STEP(hash, w, 2);
		DD_FNV_STEP(hash, w, 3);
		DD_FNV_STEP(hash, w, 4);
		DD_FNV_STEP(hash, w, 5);
		DD_FNV_STEP(hash, w, 6);
		DD_FNV_STEP(hash, w, 7);
	}
	for (; len; len--, p++)
		DD_FNV_STEP(hash, *p, 0);
	return hash;
}

static const char *dd_proto_type_name(u32 type)
{
	switch (type) {
	case DD_MSG_HELLO:
		return "HELLO";
	case DD_MSG_JOB:
		return "JOB";
	case DD_MSG_DONE:
		return "DONE";
	case DD_MSG_CTX_CLOSE:
		return "CTX_CLOSE";
	default:
		return "unknown";
	}
}

static void dd_proto_put_hdr(struct dd_msg_hdr *hdr, u32 type, u32 size, u32 ctx_id,
			     u64 cookie)
{
	hdr->magic = cpu_to_le32(DD_PROTO_MAGIC);
	hdr->version = cpu_to_le16(DD_PROTO_VERSION);
	hdr->type = cpu_to_le16(type);
	hdr->size = cpu_to_le32(size);
	hdr->ctx_id = cpu_to_le32(ctx_id);
	hdr->cookie = cpu_to_le64(cookie);
}

int dd_proto_check_hdr(const void *buf, size_t len, u32 *type)
{
	const struct dd_msg_hdr *hdr = buf;
	u32 size;

	if (!buf || len < sizeof(*hdr)) {
		dd_err("proto: message of %zu bytes is shorter than its header", len);
		return -EINVAL;
	}
	if (le32_to_cpu(hdr->magic) != DD_PROTO_MAGIC) {
		dd_err("proto: bad magic 0x%08x", le32_to_cpu(hdr->magic));
		return -EINVAL;
	}
	if (le16_to_cpu(hdr->version) != DD_PROTO_VERSION) {
		dd_err("proto: version %u, expected %u", le16_to_cpu(hdr->version),
		       DD_PROTO_VERSION);
		return -EPROTO;
	}
	size = le32_to_cpu(hdr->size);
	if (size > DD_PROTO_MAX_MSG) {
		dd_err("proto: size %u exceeds the maximum %u", size, DD_PROTO_MAX_MSG);
		return -EINVAL;
	}
	if (size != len) {
		dd_err("proto: header size %u but %zu bytes received", size, len);
		return -EINVAL;
	}
	if (type)
		*type = le16_to_cpu(hdr->type);
	return 0;
}

/* Header check plus the expected type; returns 0 or -errno. */
static int dd_proto_check_type(const void *buf, size_t len, u32 want, size_t min_size)
{
	u32 type;
	int ret;

	ret = dd_proto_check_hdr(buf, len, &type);
	if (ret)
		return ret;
	if (type != want) {
		dd_err("proto: expected %s, got message type %u (%s)",
		       dd_proto_type_name(want), type, dd_proto_type_name(type));
		return -EINVAL;
	}
	if (len < min_size) {
		dd_err("proto: %s of %zu bytes, needs at least %zu",
		       dd_proto_type_name(want), len, min_size);
		return -EINVAL;
	}
	return 0;
}

static bool dd_proto_codec_valid(u32 codec)
{
	return codec >= DD_CODEC_H264 && codec <= DD_CODEC_AV1;
}

#define DD_PROTO_CODEC_MASK	(BIT(DD_CODEC_H264) | BIT(DD_CODEC_VP8) | BIT(DD_CODEC_VP9) | \
				 BIT(DD_CODEC_MPEG2) | BIT(DD_CODEC_HEVC) | BIT(DD_CODEC_AV1))

/* Rows of colour plane `plane` of a picture `height` lines high. */
static u32 dd_proto_plane_rows(u32 plane, u32 height)
{
	return plane ? DIV_ROUND_UP(height, 2) : height;
}

/*
 * Minimum bytes per line of colour plane `plane`: P010 is NV12 with
 * 16-bit samples (Cb,Cr pairs of four bytes).
 */
static u32 dd_proto_plane_min_stride(u32 fourcc, u32 plane, u32 width)
{
	if (fourcc == V4L2_PIX_FMT_P010)
		return plane ? 2 * ALIGN(width, 2) : 2 * width;
	if (!plane || fourcc == V4L2_PIX_FMT_NV12)
		return plane ? ALIGN(width, 2) : width;
	return DIV_ROUND_UP(width, 2);
}

/*
 * Semantic checks shared by encode and decode: the host-endian job must
 * describe something the other side can act on without overrunning a
 * buffer.  The capture planes must lie inside the capture buffer.
 */
static int dd_proto_check_job(const struct dd_proto_job *job)
{
	u32 i, planes;

	if (!dd_proto_codec_valid(job->codec)) {
		dd_err("proto: job: unknown codec %u", job->codec);
		return -EINVAL;
	}
	if (job->flags & ~(u32)DD_JOB_FLAG_FLUSH) {
		dd_err("proto: job: unknown flags 0x%x", job->flags);
		return -EINVAL;
	}
	if (!job->width || !job->height || job->width > DD_PROTO_MAX_DIM ||
	    job->height > DD_PROTO_MAX_DIM) {
		dd_err("proto: job: bad size %ux%u", job->width, job->height);
		return -EINVAL;
	}
	if (job->cap_fourcc == V4L2_PIX_FMT_NV12 || job->cap_fourcc == V4L2_PIX_FMT_P010) {
		planes = 2;
	} else if (job->cap_fourcc == V4L2_PIX_FMT_YUV420) {
		planes = 3;
	} else {
		dd_err("proto: job: unknown capture fourcc 0x%08x", job->cap_fourcc);
		return -EINVAL;
	}
	if (job->cap_num_planes < 1 || job->cap_num_planes > DD_PROTO_MAX_PLANES ||
	    job->cap_num_planes != planes) {
		dd_err("proto: job: cap_num_planes %u, fourcc needs %u",
		       job->cap_num_planes, planes);
		return -EINVAL;
	}
	if (job->num_ctrls > DD_PROTO_MAX_CTRLS) {
		dd_err("proto: job: num_ctrls %u > %u", job->num_ctrls, DD_PROTO_MAX_CTRLS);
		return -EINVAL;
	}
	if (job->bitstream.kind != DD_BUF_INLINE) {
		dd_err("proto: job: bitstream kind %u, must be INLINE", job->bitstream.kind);
		return -EINVAL;
	}
	if (job->bitstream.size > DD_PROTO_MAX_MSG) {
		dd_err("proto: job: bitstream size %u too large", job->bitstream.size);
		return -EINVAL;
	}
	switch (job->capture.kind) {
	case DD_BUF_MMAP:
	case DD_BUF_FD:
	case DD_BUF_PROCESS:
		break;
	default:
		dd_err("proto: job: capture kind %u invalid", job->capture.kind);
		return -EINVAL;
	}
	for (i = 0; i < planes; i++) {
		u64 end = (u64)job->cap_offset[i] +
			  (u64)job->cap_stride[i] * dd_proto_plane_rows(i, job->height);

		if (job->cap_stride[i] < dd_proto_plane_min_stride(job->cap_fourcc, i,
								   job->width)) {
			dd_err("proto: job: plane %u stride %u too small for width %u", i,
			       job->cap_stride[i], job->width);
			return -EINVAL;
		}
		if (end > job->capture.size) {
			dd_err("proto: job: plane %u ends at %llu, capture buffer is %u bytes",
			       i, (unsigned long long)end, job->capture.size);
			return -EINVAL;
		}
	}
	for (; i < DD_PROTO_MAX_PLANES; i++) {
		if (job->cap_offset[i] || job->cap_stride[i]) {
			dd_err("proto: job: unused plane %u has offset/stride set", i);
			return -EINVAL;
		}
	}
	return 0;
}

/* Control sizes and uniqueness; dd_proto_check_job() bounded num_ctrls. */
static int dd_proto_check_ctrls(const struct dd_proto_job *job)
{
	u32 i;

	for (i = 0; i < job->num_ctrls; i++) {
		u32 j;

		if (job->ctrls[i].size > DD_PROTO_MAX_CTRL_SIZE) {
			dd_err("proto: job: control 0x%x size %u > %u", job->ctrls[i].id,
			       job->ctrls[i].size, DD_PROTO_MAX_CTRL_SIZE);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (job->ctrls[j].id == job->ctrls[i].id) {
				dd_err("proto: job: control 0x%x appears twice", job->ctrls[i].id);
				return -EINVAL;
			}
		}
	}
	return 0;
}

long dd_proto_job_size(const struct dd_proto_job *job)
{
	u64 size = sizeof(struct dd_wire_job);
	u32 i;

	if (!job || dd_proto_check_job(job) || dd_proto_check_ctrls(job))
		return -EINVAL;
	for (i = 0; i < job->num_ctrls; i++)
		size += sizeof(struct dd_wire_ctrl) + ALIGN((u64)job->ctrls[i].size, 8);
	size += job->bitstream.size;
	if (size > DD_PROTO_MAX_MSG) {
		dd_err("proto: job: message of %llu bytes exceeds %u",
		       (unsigned long long)size, DD_PROTO_MAX_MSG);
		return -EINVAL;
	}
	return (long)size;
}

static void dd_proto_put_buf(struct dd_wire_buf *w, const struct dd_buf_ref *ref)
{
	w->kind = cpu_to_le32(ref->kind);
	w->id = cpu_to_le32(ref->id);
	w->offset = cpu_to_le64(ref->offset);
	w->size = cpu_to_le32(ref->size);
	w->reserved = 0;
}

long dd_proto_encode_job(void *buf, size_t len, const struct dd_proto_job *job)
{
	struct dd_wire_job *w = buf;
	struct dd_buf_ref bs;
	long size;
	size_t pos;
	u32 i;

	size = dd_proto_job_size(job);
	if (size < 0)
		return size;
	if (!buf || len < (size_t)size) {
		dd_err("proto: job: %zu byte buffer, message needs %ld", len, size);
		return -ENOSPC;
	}
	if (job->bitstream.size && !job->bitstream_data)
		return -EINVAL;
	memset(w, 0, sizeof(*w));
	dd_proto_put_hdr(&w->hdr, DD_MSG_JOB, (u32)size, job->ctx_id, job->cookie);
	w->codec = cpu_to_le32(job->codec);
	w->flags = cpu_to_le32(job->flags);
	w->width = cpu_to_le32(job->width);
	w->height = cpu_to_le32(job->height);
	w->cap_fourcc = cpu_to_le32(job->cap_fourcc);
	w->cap_num_planes = cpu_to_le32(job->cap_num_planes);
	for (i = 0; i < DD_PROTO_MAX_PLANES; i++) {
		w->cap_offset[i] = cpu_to_le32(job->cap_offset[i]);
		w->cap_stride[i] = cpu_to_le32(job->cap_stride[i]);
	}
	w->num_ctrls = cpu_to_le32(job->num_ctrls);
	w->timestamp = cpu_to_le64(job->timestamp);
	dd_proto_put_buf(&w->capture, &job->capture);

	pos = sizeof(*w);
	for (i = 0; i < job->num_ctrls; i++) {
		struct dd_wire_ctrl *c = (struct dd_wire_ctrl *)((u8 *)buf + pos);
		u32 csize = job->ctrls[i].size;

		if (csize && !job->ctrls[i].data)
			return -EINVAL;
		c->id = cpu_to_le32(job->ctrls[i].id);
		c->size = cpu_to_le32(csize);
		pos += sizeof(*c);
		if (csize)
			memcpy((u8 *)buf + pos, job->ctrls[i].data, csize);
		memset((u8 *)buf + pos + csize, 0, ALIGN(csize, 8) - csize);
		pos += ALIGN(csize, 8);
	}
	/* The inline bitstream's offset is where it starts in the message. */
	bs = job->bitstream;
	bs.offset = pos;
	dd_proto_put_buf(&w->bitstream, &bs);
	if (bs.size)
		memcpy((u8 *)buf + pos, job->bitstream_data, bs.size);
	return size;
}

static int dd_proto_get_buf(const struct dd_wire_buf *w, struct dd_buf_ref *ref,
			    const char *what)
{
	if (w->reserved) {
		dd_err("proto: job: %s reserved field is not zero", what);
		return -EINVAL;
	}
	ref->kind = le32_to_cpu(w->kind);
	ref->id = le32_to_cpu(w->id);
	ref->offset = le64_to_cpu(w->offset);
	ref->size = le32_to_cpu(w->size);
	return 0;
}

int dd_proto_decode_job(const void *buf, size_t len, struct dd_proto_job *job)
{
	const struct dd_wire_job *w = buf;
	const u8 *base = buf;
	size_t pos;
	u32 i;
	int ret;

	ret = dd_proto_check_type(buf, len, DD_MSG_JOB, sizeof(*w));
	if (ret)
		return ret;
	memset(job, 0, sizeof(*job));
	job->ctx_id = le32_to_cpu(w->hdr.ctx_id);
	job->cookie = le64_to_cpu(w->hdr.cookie);
	job->codec = le32_to_cpu(w->codec);
	job->flags = le32_to_cpu(w->flags);
	job->width = le32_to_cpu(w->width);
	job->height = le32_to_cpu(w->height);
	job->cap_fourcc = le32_to_cpu(w->cap_fourcc);
	job->cap_num_planes = le32_to_cpu(w->cap_num_planes);
	for (i = 0; i < DD_PROTO_MAX_PLANES; i++) {
		job->cap_offset[i] = le32_to_cpu(w->cap_offset[i]);
		job->cap_stride[i] = le32_to_cpu(w->cap_stride[i]);
	}
	job->num_ctrls = le32_to_cpu(w->num_ctrls);
	job->timestamp = le64_to_cpu(w->timestamp);
	if (w->reserved) {
		dd_err("proto: job: reserved field is not zero");
		return -EINVAL;
	}
	if (dd_proto_get_buf(&w->bitstream, &job->bitstream, "bitstream") ||
	    dd_proto_get_buf(&w->capture, &job->capture, "capture"))
		return -EINVAL;
	ret = dd_proto_check_job(job);
	if (ret)
		return ret;

	pos = sizeof(*w);
	for (i = 0; i < job->num_ctrls; i++) {
		const struct dd_wire_ctrl *c;
		size_t padded, k;
		u32 csize;

		if (len - pos < sizeof(*c)) {
			dd_err("proto: job: control %u header beyond the message end", i);
			return -EINVAL;
		}
		c = (const struct dd_wire_ctrl *)(base + pos);
		csize = le32_to_cpu(c->size);
		if (csize > DD_PROTO_MAX_CTRL_SIZE) {
			dd_err("proto: job: control 0x%x size %u > %u", le32_to_cpu(c->id),
			       csize, DD_PROTO_MAX_CTRL_SIZE);
			return -EINVAL;
		}
		pos += sizeof(*c);
		padded = ALIGN((size_t)csize, 8);
		if (len - pos < padded) {
			dd_err("proto: job: control 0x%x (%u bytes) runs past the message end",
			       le32_to_cpu(c->id), csize);
			return -EINVAL;
		}
		for (k = csize; k < padded; k++) {
			if (base[pos + k]) {
				dd_err("proto: job: control 0x%x padding is not zero",
				       le32_to_cpu(c->id));
				return -EINVAL;
			}
		}
		job->ctrls[i].id = le32_to_cpu(c->id);
		job->ctrls[i].size = csize;
		job->ctrls[i].data = csize ? base + pos : NULL;
		pos += padded;
	}
	ret = dd_proto_check_ctrls(job);
	if (ret)
		return ret;

	if (job->bitstream.offset != pos) {
		dd_err("proto: job: bitstream at offset %llu, controls end at %zu",
		       (unsigned long long)job->bitstream.offset, pos);
		return -EINVAL;
	}
	if (job->bitstream.size != len - pos) {
		dd_err("proto: job: bitstream of %u bytes, %zu bytes left in the message",
		       job->bitstream.size, len - pos);
		return -EINVAL;
	}
	if (job->bitstream.id) {
		dd_err("proto: job: inline bitstream has id %u", job->bitstream.id);
		return -EINVAL;
	}
	job->bitstream_data = job->bitstream.size ? base + pos : NULL;
	return 0;
}

long dd_proto_encode_done(void *buf, size_t len, const struct dd_proto_done *done)
{
	struct dd_wire_done *w = buf;

	if (!done || done->status > DD_STATUS_UNSUPPORTED) {
		dd_err("proto: done: bad status");
		return -EINVAL;
	}
	if (!buf || len < sizeof(*w))
		return -ENOSPC;
	memset(w, 0, sizeof(*w));
	dd_proto_put_hdr(&w->hdr, DD_MSG_DONE, sizeof(*w), done->ctx_id, done->cookie);
	w->status = cpu_to_le32(done->status);
	w->decode_us = cpu_to_le32(done->decode_us);
	w->hash = cpu_to_le64(done->hash);
	w->bytesused = cpu_to_le32(done->bytesused);
	return sizeof(*w);
}

int dd_proto_decode_done(const void *buf, size_t len, struct dd_proto_done *done)
{
	const struct dd_wire_done *w = buf;
	int ret;

	ret = dd_proto_check_type(buf, len, DD_MSG_DONE, sizeof(*w));
	if (ret)
		return ret;
	if (len != sizeof(*w)) {
		dd_err("proto: done: %zu bytes, expected %zu", len, sizeof(*w));
		return -EINVAL;
	}
	if (le32_to_cpu(w->status) > DD_STATUS_UNSUPPORTED) {
		dd_err("proto: done: unknown status %u", le32_to_cpu(w->status));
		return -EINVAL;
	}
	if (w->reserved) {
		dd_err("proto: done: reserved field is not zero");
		return -EINVAL;
	}
	done->ctx_id = le32_to_cpu(w->hdr.ctx_id);
	done->cookie = le64_to_cpu(w->hdr.cookie);
	done->status = le32_to_cpu(w->status);
	done->decode_us = le32_to_cpu(w->decode_us);
	done->hash = le64_to_cpu(w->hash);
	done->bytesused = le32_to_cpu(w->bytesused);
	return 0;
}

static bool dd_proto_name_ok(const char *name, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		if (!name[i])
			return true;
	return false;
}

long dd_proto_encode_hello(void *buf, size_t len, const struct dd_proto_hello *hello)
{
	struct dd_wire_hello *w = buf;

	if (!hello || hello->codecs & ~(u32)DD_PROTO_CODEC_MASK ||
	    !dd_proto_name_ok(hello->name, sizeof(hello->name))) {
		dd_err("proto: hello: bad codecs mask or unterminated name");
		return -EINVAL;
	}
	if (!buf || len < sizeof(*w))
		return -ENOSPC;
	memset(w, 0, sizeof(*w));
	dd_proto_put_hdr(&w->hdr, DD_MSG_HELLO, sizeof(*w), 0, 0);
	w->proto_version = cpu_to_le32(hello->proto_version);
	w->codecs = cpu_to_le32(hello->codecs);
	memcpy(w->name, hello->name, sizeof(w->name));
	return sizeof(*w);
}

int dd_proto_decode_hello(const void *buf, size_t len, struct dd_proto_hello *hello)
{
	const struct dd_wire_hello *w = buf;
	u32 codecs;
	int ret;

	ret = dd_proto_check_type(buf, len, DD_MSG_HELLO, sizeof(*w));
	if (ret)
		return ret;
	if (len != sizeof(*w)) {
		dd_err("proto: hello: %zu bytes, expected %zu", len, sizeof(*w));
		return -EINVAL;
	}
	if (le32_to_cpu(w->proto_version) != DD_PROTO_VERSION) {
		dd_err("proto: hello: peer speaks version %u, expected %u",
		       le32_to_cpu(w->proto_version), DD_PROTO_VERSION);
		return -EPROTO;
	}
	codecs = le32_to_cpu(w->codecs);
	if (codecs & ~(u32)DD_PROTO_CODEC_MASK) {
		dd_err("proto: hello: unknown codec bits 0x%x", codecs);
		return -EINVAL;
	}
	if (!dd_proto_name_ok(w->name, sizeof(w->name))) {
		dd_err("proto: hello: name is not NUL-terminated");
		return -EINVAL;
	}
	hello->proto_version = DD_PROTO_VERSION;
	hello->codecs = codecs;
	memcpy(hello->name, w->name, sizeof(hello->name));
	return 0;
}

long dd_proto_encode_ctx_close(void *buf, size_t len, u32 ctx_id)
{
	if (!buf || len < sizeof(struct dd_msg_hdr))
		return -ENOSPC;
	dd_proto_put_hdr(buf, DD_MSG_CTX_CLOSE, sizeof(struct dd_msg_hdr), ctx_id, 0);
	return sizeof(struct dd_msg_hdr);
}

int dd_proto_decode_ctx_close(const void *buf, size_t len, u32 *ctx_id)
{
	const struct dd_msg_hdr *hdr = buf;
	int ret;

	ret = dd_proto_check_type(buf, len, DD_MSG_CTX_CLOSE, sizeof(*hdr));
	if (ret)
		return ret;
	if (len != sizeof(*hdr)) {
		dd_err("proto: ctx_close: %zu bytes, expected %zu", len, sizeof(*hdr));
		return -EINVAL;
	}
	*ctx_id = le32_to_cpu(hdr->ctx_id);
	return 0;
}
