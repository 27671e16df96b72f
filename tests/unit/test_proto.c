// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_proto.c - the job protocol: round trips of every message and
 * rejection of every malformed shape a hostile peer could send.
 */
#include <criterion/criterion.h>

#include "dd_os.h"
#include "dd_proto.h"

static char tproto_last_line[512];
static int tproto_lines;

static void tproto_sink(enum dd_log_level level, const char *line)
{
	snprintf(tproto_last_line, sizeof(tproto_last_line), "%s", line);
	tproto_lines++;
}

static void tproto_setup(void)
{
	dd_log_sink = tproto_sink;
	tproto_last_line[0] = 0;
	tproto_lines = 0;
}

TestSuite(proto, .init = tproto_setup);

static const u8 tproto_sps[12] = { 100, 0, 40, 0, 1, 0, 0, 4, 0, 2, 4, 0 };
static const u8 tproto_pps[5] = { 1, 0, 0, 2, 3 };
static const u8 tproto_bits[13] = { 0, 0, 0, 1, 0x65, 0x88, 0x84, 1, 2, 3, 4, 5, 6 };

static void tproto_fill_job(struct dd_proto_job *job)
{
	memset(job, 0, sizeof(*job));
	job->ctx_id = 7;
	job->cookie = 0x1122334455667788ull;
	job->codec = DD_CODEC_H264;
	job->flags = DD_JOB_FLAG_FLUSH;
	job->width = 64;
	job->height = 48;
	job->cap_fourcc = V4L2_PIX_FMT_NV12;
	job->cap_num_planes = 2;
	job->cap_offset[0] = 0;
	job->cap_stride[0] = 64;
	job->cap_offset[1] = 64 * 48;
	job->cap_stride[1] = 64;
	job->timestamp = 123456789;
	job->bitstream.kind = DD_BUF_INLINE;
	job->bitstream.size = sizeof(tproto_bits);
	job->bitstream_data = tproto_bits;
	job->capture.kind = DD_BUF_MMAP;
	job->capture.offset = 0x10000;
	job->capture.size = 64 * 48 * 3 / 2;
	job->num_ctrls = 2;
	job->ctrls[0].id = V4L2_CID_STATELESS_H264_SPS;
	job->ctrls[0].size = sizeof(tproto_sps);
	job->ctrls[0].data = tproto_sps;
	job->ctrls[1].id = V4L2_CID_STATELESS_H264_PPS;
	job->ctrls[1].size = sizeof(tproto_pps);
	job->ctrls[1].data = tproto_pps;
}

/* Encode the standard job into a malloc'ed (aligned) buffer. */
static u8 *tproto_encode(const struct dd_proto_job *job, long *size)
{
	u8 *buf;

	*size = dd_proto_job_size(job);
	cr_assert_gt(*size, 0);
	buf = calloc(1, *size);
	cr_assert_not_null(buf);
	cr_assert_eq(dd_proto_encode_job(buf, *size, job), *size);
	return buf;
}

static struct dd_wire_job *tproto_wire(u8 *buf)
{
	return (struct dd_wire_job *)buf;
}

static void tproto_expect_reject(const u8 *buf, size_t len, const char *needle)
{
	struct dd_proto_job out;

	tproto_lines = 0;
	cr_assert_eq(dd_proto_decode_job(buf, len, &out), -EINVAL);
	cr_assert_gt(tproto_lines, 0, "rejection must log a line");
	if (needle)
		cr_assert_not_null(strstr(tproto_last_line, needle),
				   "log line '%s' should mention '%s'", tproto_last_line, needle);
}

Test(proto, fnv1a64_known_vectors)
{
	cr_assert_eq(dd_fnv1a64(DD_FNV1A64_INIT, "", 0), 0xcbf29ce484222325ull);
	cr_assert_eq(dd_fnv1a64(DD_FNV1A64_INIT, "a", 1), 0xaf63dc4c8601ec8cull);
	cr_assert_eq(dd_fnv1a64(DD_FNV1A64_INIT, "foobar", 6), 0x85944171f73967e8ull);
	/* Chaining equals hashing the concatenation. */
	cr_assert_eq(dd_fnv1a64(dd_fnv1a64(DD_FNV1A64_INIT, "foo", 3), "bar", 3),
		     0x85944171f73967e8ull);
}

Test(proto, wire_struct_sizes_are_fixed)
{
	cr_assert_eq(sizeof(struct dd_msg_hdr), 24);
	cr_assert_eq(sizeof(struct dd_wire_buf), 24);
	cr_assert_eq(sizeof(struct dd_wire_hello), 64);
	cr_assert_eq(sizeof(struct dd_wire_job), 136);
	cr_assert_eq(sizeof(struct dd_wire_ctrl), 8);
	cr_assert_eq(sizeof(struct dd_wire_done), 48);
}

Test(proto, job_round_trip)
{
	struct dd_proto_job job, out;
	long size;
	u8 *buf;
	u32 type;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	/* 136 + (8 + 16) + (8 + 8) + 13 */
	cr_assert_eq(size, 136 + 24 + 16 + 13);
	cr_assert_eq(dd_proto_check_hdr(buf, size, &type), 0);
	cr_assert_eq(type, DD_MSG_JOB);
	cr_assert_eq(dd_proto_decode_job(buf, size, &out), 0);
	cr_assert_eq(out.ctx_id, 7);
	cr_assert_eq(out.cookie, job.cookie);
	cr_assert_eq(out.codec, DD_CODEC_H264);
	cr_assert_eq(out.flags, DD_JOB_FLAG_FLUSH);
	cr_assert_eq(out.width, 64);
	cr_assert_eq(out.height, 48);
	cr_assert_eq(out.cap_fourcc, V4L2_PIX_FMT_NV12);
	cr_assert_eq(out.cap_num_planes, 2);
	cr_assert_eq(out.cap_offset[1], 64 * 48);
	cr_assert_eq(out.cap_stride[1], 64);
	cr_assert_eq(out.timestamp, 123456789);
	cr_assert_eq(out.capture.kind, DD_BUF_MMAP);
	cr_assert_eq(out.capture.offset, 0x10000);
	cr_assert_eq(out.capture.size, job.capture.size);
	cr_assert_eq(out.num_ctrls, 2);
	cr_assert_eq(out.ctrls[0].id, V4L2_CID_STATELESS_H264_SPS);
	cr_assert_eq(out.ctrls[0].size, sizeof(tproto_sps));
	cr_assert_arr_eq(out.ctrls[0].data, tproto_sps, sizeof(tproto_sps));
	cr_assert_eq(out.ctrls[1].size, sizeof(tproto_pps));
	cr_assert_arr_eq(out.ctrls[1].data, tproto_pps, sizeof(tproto_pps));
	/* Payloads point into the message, 8-byte aligned. */
	cr_assert_eq(((const u8 *)out.ctrls[0].data - buf) % 8, 0);
	cr_assert_eq(((const u8 *)out.ctrls[1].data - buf) % 8, 0);
	cr_assert_eq(out.bitstream.kind, DD_BUF_INLINE);
	cr_assert_eq(out.bitstream.size, sizeof(tproto_bits));
	cr_assert_eq(out.bitstream.offset, 136 + 24 + 16);
	cr_assert_arr_eq(out.bitstream_data, tproto_bits, sizeof(tproto_bits));
	free(buf);
}

Test(proto, job_round_trip_yuv420_fd_no_ctrls_empty_bitstream)
{
	struct dd_proto_job job, out;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	job.num_ctrls = 0;
	job.bitstream.size = 0;
	job.bitstream_data = NULL;
	job.cap_fourcc = V4L2_PIX_FMT_YUV420;
	job.cap_num_planes = 3;
	job.cap_offset[1] = 64 * 48;
	job.cap_stride[1] = 32;
	job.cap_offset[2] = 64 * 48 * 5 / 4;
	job.cap_stride[2] = 32;
	job.capture.kind = DD_BUF_FD;
	job.capture.id = 0;
	job.capture.offset = 0;
	buf = tproto_encode(&job, &size);
	cr_assert_eq(size, 136);
	cr_assert_eq(dd_proto_decode_job(buf, size, &out), 0);
	cr_assert_eq(out.num_ctrls, 0);
	cr_assert_null(out.bitstream_data);
	cr_assert_eq(out.cap_num_planes, 3);
	cr_assert_eq(out.cap_offset[2], 64 * 48 * 5 / 4);
	cr_assert_eq(out.capture.kind, DD_BUF_FD);
	free(buf);
}

/* P010: NV12's two planes with 16-bit samples, strides in bytes. */
Test(proto, job_round_trip_p010_strides_in_bytes)
{
	struct dd_proto_job job, out;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	job.width = 63;
	job.cap_fourcc = V4L2_PIX_FMT_P010;
	job.cap_stride[0] = 128;
	job.cap_offset[1] = 128 * 48;
	job.cap_stride[1] = 128;
	job.capture.size = 128 * 48 * 3 / 2;
	buf = tproto_encode(&job, &size);
	cr_assert_eq(dd_proto_decode_job(buf, size, &out), 0);
	cr_assert_eq(out.cap_fourcc, V4L2_PIX_FMT_P010);
	cr_assert_eq(out.cap_num_planes, 2);
	cr_assert_eq(out.cap_stride[1], 128);
	/* The chroma plane ends inside the buffer only with its 24 rows. */
	tproto_wire(buf)->capture.size = cpu_to_le32(128 * 48 * 3 / 2 - 1);
	tproto_expect_reject(buf, size, "plane 1");
	tproto_wire(buf)->capture.size = cpu_to_le32(128 * 48 * 3 / 2);
	/* Luma: 2 bytes a sample. */
	tproto_wire(buf)->cap_stride[0] = cpu_to_le32(125);
	tproto_expect_reject(buf, size, "plane 0 stride");
	tproto_wire(buf)->cap_stride[0] = cpu_to_le32(126);
	cr_assert_eq(dd_proto_decode_job(buf, size, &out), 0);
	/* Chroma: 32 Cb,Cr pairs of 4 bytes for 63 columns. */
	tproto_wire(buf)->cap_stride[1] = cpu_to_le32(127);
	tproto_expect_reject(buf, size, "plane 1 stride");
	tproto_wire(buf)->cap_stride[1] = cpu_to_le32(128);
	tproto_wire(buf)->cap_num_planes = cpu_to_le32(3);
	tproto_expect_reject(buf, size, "cap_num_planes");
	free(buf);
}

Test(proto, job_truncated_at_every_offset_is_rejected)
{
	struct dd_proto_job job, out;
	long size, cut;
	u8 *buf, *copy;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	for (cut = 0; cut < size; cut++) {
		/* Fresh aligned copy so ASan catches any read past `cut`. */
		copy = malloc(cut ? cut : 1);
		memcpy(copy, buf, cut);
		tproto_lines = 0;
		cr_assert_eq(dd_proto_decode_job(copy, cut, &out), -EINVAL,
			     "truncation at %ld accepted", cut);
		cr_assert_gt(tproto_lines, 0);
		free(copy);
	}
	free(buf);
}

Test(proto, job_truncated_with_matching_header_size_is_rejected)
{
	struct dd_proto_job job, out;
	long size, cut;
	u8 *buf, *copy;

	/* A peer that also lies in hdr.size: the ctrl/bitstream walk must catch it. */
	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	for (cut = sizeof(struct dd_wire_job); cut < size; cut++) {
		copy = malloc(cut);
		memcpy(copy, buf, cut);
		tproto_wire(copy)->hdr.size = cpu_to_le32(cut);
		cr_assert_eq(dd_proto_decode_job(copy, cut, &out), -EINVAL,
			     "consistent truncation at %ld accepted", cut);
		free(copy);
	}
	free(buf);
}

Test(proto, trailing_bytes_are_rejected)
{
	struct dd_proto_job job;
	long size;
	u8 *buf, *big;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	big = calloc(1, size + 8);
	memcpy(big, buf, size);
	tproto_expect_reject(big, size + 8, "received");
	tproto_wire(big)->hdr.size = cpu_to_le32(size + 8);
	tproto_expect_reject(big, size + 8, "bitstream");
	free(big);
	free(buf);
}

Test(proto, bad_magic_is_rejected)
{
	struct dd_proto_job job;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	buf[0] ^= 0x01;
	tproto_expect_reject(buf, size, "magic");
	free(buf);
}

Test(proto, version_mismatch_is_eproto)
{
	struct dd_proto_job job, out;
	long size;
	u8 *buf;
	u32 type;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	tproto_wire(buf)->hdr.version = cpu_to_le16(DD_PROTO_VERSION + 1);
	cr_assert_eq(dd_proto_check_hdr(buf, size, &type), -EPROTO);
	cr_assert_eq(dd_proto_decode_job(buf, size, &out), -EPROTO);
	cr_assert_not_null(strstr(tproto_last_line, "version"));
	free(buf);
}

Test(proto, oversized_message_is_rejected)
{
	struct dd_msg_hdr hdr;
	u32 type;

	dd_proto_encode_ctx_close(&hdr, sizeof(hdr), 1);
	hdr.size = cpu_to_le32(DD_PROTO_MAX_MSG + 1);
	cr_assert_eq(dd_proto_check_hdr(&hdr, sizeof(hdr), &type), -EINVAL);
	cr_assert_not_null(strstr(tproto_last_line, "maximum"));
	cr_assert_eq(dd_proto_check_hdr(NULL, 0, &type), -EINVAL);
}

Test(proto, wrong_type_for_each_decoder_is_rejected)
{
	struct dd_proto_job job, jout;
	struct dd_proto_done dout;
	struct dd_proto_hello hout;
	struct dd_proto_done done = { .ctx_id = 1, .cookie = 2 };
	u8 dbuf[sizeof(struct dd_wire_done)] __attribute__((aligned(8)));
	long size;
	u8 *buf;
	u32 ctx;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	cr_assert_eq(dd_proto_decode_done(buf, size, &dout), -EINVAL);
	cr_assert_not_null(strstr(tproto_last_line, "expected DONE"));
	cr_assert_eq(dd_proto_decode_hello(buf, size, &hout), -EINVAL);
	cr_assert_eq(dd_proto_decode_ctx_close(buf, size, &ctx), -EINVAL);
	cr_assert_eq(dd_proto_encode_done(dbuf, sizeof(dbuf), &done), sizeof(dbuf));
	cr_assert_eq(dd_proto_decode_job(dbuf, sizeof(dbuf), &jout), -EINVAL);
	cr_assert_not_null(strstr(tproto_last_line, "expected JOB"));
	free(buf);
}

Test(proto, unknown_type_is_rejected)
{
	struct dd_msg_hdr hdr;
	struct dd_proto_job out;
	u32 type;

	dd_proto_encode_ctx_close(&hdr, sizeof(hdr), 1);
	hdr.type = cpu_to_le16(99);
	/* The header itself is fine: the type is the caller's business... */
	cr_assert_eq(dd_proto_check_hdr(&hdr, sizeof(hdr), &type), 0);
	cr_assert_eq(type, 99);
	/* ...but no decoder accepts it. */
	cr_assert_eq(dd_proto_decode_job(&hdr, sizeof(hdr), &out), -EINVAL);
	cr_assert_not_null(strstr(tproto_last_line, "unknown"));
}

Test(proto, too_many_ctrls_is_rejected)
{
	struct dd_proto_job job;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	tproto_wire(buf)->num_ctrls = cpu_to_le32(DD_PROTO_MAX_CTRLS + 1);
	tproto_expect_reject(buf, size, "num_ctrls");
	tproto_wire(buf)->num_ctrls = cpu_to_le32(0xffffffffu);
	tproto_expect_reject(buf, size, "num_ctrls");
	/* Encoding side refuses as well. */
	job.num_ctrls = DD_PROTO_MAX_CTRLS + 1;
	cr_assert_eq(dd_proto_job_size(&job), -EINVAL);
	free(buf);
}

Test(proto, ctrl_count_larger_than_present_is_rejected)
{
	struct dd_proto_job job;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	/* Claim 3 controls: the bitstream bytes are read as a control header. */
	tproto_wire(buf)->num_ctrls = cpu_to_le32(3);
	tproto_expect_reject(buf, size, NULL);
	free(buf);
}

Test(proto, oversized_ctrl_is_rejected)
{
	struct dd_proto_job job;
	struct dd_wire_ctrl *c;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	c = (struct dd_wire_ctrl *)(buf + sizeof(struct dd_wire_job));
	c->size = cpu_to_le32(DD_PROTO_MAX_CTRL_SIZE + 1);
	tproto_expect_reject(buf, size, "size");
	c->size = cpu_to_le32(0xfffffff9u);	/* would wrap when padded */
	tproto_expect_reject(buf, size, NULL);
	job.ctrls[0].size = DD_PROTO_MAX_CTRL_SIZE + 1;
	cr_assert_eq(dd_proto_job_size(&job), -EINVAL);
	free(buf);
}

Test(proto, ctrl_running_past_end_is_rejected)
{
	struct dd_proto_job job;
	struct dd_wire_ctrl *c;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	c = (struct dd_wire_ctrl *)(buf + sizeof(struct dd_wire_job));
	c->size = cpu_to_le32(size);	/* legal size, but beyond the message */
	tproto_expect_reject(buf, size, "past the message end");
	free(buf);
}

Test(proto, ctrl_overlapping_bitstream_is_rejected)
{
	struct dd_proto_job job;
	struct dd_wire_ctrl *c;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	/* Grow the second control by 8 bytes: it now covers the bitstream start. */
	c = (struct dd_wire_ctrl *)(buf + sizeof(struct dd_wire_job) + 8 + 16);
	c->size = cpu_to_le32(16);
	tproto_expect_reject(buf, size, NULL);
	free(buf);
}

Test(proto, bitstream_offset_overlapping_ctrls_is_rejected)
{
	struct dd_proto_job job;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	tproto_wire(buf)->bitstream.offset = cpu_to_le64(sizeof(struct dd_wire_job));
	tproto_expect_reject(buf, size, "offset");
	tproto_wire(buf)->bitstream.offset = cpu_to_le64(~0ull);
	tproto_expect_reject(buf, size, "offset");
	free(buf);
}

Test(proto, bitstream_size_beyond_message_is_rejected)
{
	struct dd_proto_job job;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	tproto_wire(buf)->bitstream.size = cpu_to_le32(sizeof(tproto_bits) + 1);
	tproto_expect_reject(buf, size, "bitstream");
	tproto_wire(buf)->bitstream.size = cpu_to_le32(0xffffffffu);
	tproto_expect_reject(buf, size, "bitstream");
	free(buf);
}

Test(proto, ctrl_padding_must_be_zero)
{
	struct dd_proto_job job;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	/* SPS payload is 12 bytes, padded to 16: byte 13 is padding. */
	buf[sizeof(struct dd_wire_job) + 8 + 13] = 0xaa;
	tproto_expect_reject(buf, size, "padding");
	free(buf);
}

Test(proto, duplicate_ctrl_is_rejected)
{
	struct dd_proto_job job;
	struct dd_wire_ctrl *c;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	c = (struct dd_wire_ctrl *)(buf + sizeof(struct dd_wire_job) + 8 + 16);
	c->id = cpu_to_le32(V4L2_CID_STATELESS_H264_SPS);
	tproto_expect_reject(buf, size, "twice");
	free(buf);
}

Test(proto, bad_enums_are_rejected)
{
	struct dd_proto_job job;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);

	tproto_wire(buf)->codec = cpu_to_le32(0);
	tproto_expect_reject(buf, size, "codec");
	tproto_wire(buf)->codec = cpu_to_le32(DD_CODEC_AV1 + 1);
	tproto_expect_reject(buf, size, "codec");
	tproto_wire(buf)->codec = cpu_to_le32(DD_CODEC_H264);

	tproto_wire(buf)->flags = cpu_to_le32(0x80);
	tproto_expect_reject(buf, size, "flags");
	tproto_wire(buf)->flags = 0;

	tproto_wire(buf)->capture.kind = cpu_to_le32(DD_BUF_INLINE);
	tproto_expect_reject(buf, size, "capture kind");
	tproto_wire(buf)->capture.kind = cpu_to_le32(DD_BUF_NONE);
	tproto_expect_reject(buf, size, "capture kind");
	tproto_wire(buf)->capture.kind = cpu_to_le32(DD_BUF_PROCESS + 1);
	tproto_expect_reject(buf, size, "capture kind");
	tproto_wire(buf)->capture.kind = cpu_to_le32(DD_BUF_MMAP);

	tproto_wire(buf)->bitstream.kind = cpu_to_le32(DD_BUF_MMAP);
	tproto_expect_reject(buf, size, "INLINE");
	tproto_wire(buf)->bitstream.kind = cpu_to_le32(DD_BUF_INLINE);

	tproto_wire(buf)->cap_fourcc = cpu_to_le32(V4L2_PIX_FMT_RGB24);
	tproto_expect_reject(buf, size, "fourcc");
	free(buf);
}

Test(proto, cap_num_planes_range)
{
	struct dd_proto_job job;
	long size;
	u8 *buf;
	u32 bad[] = { 0, 1, 3, 4, 0xffffffffu };
	unsigned int i;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		tproto_wire(buf)->cap_num_planes = cpu_to_le32(bad[i]);
		tproto_expect_reject(buf, size, "cap_num_planes");
	}
	free(buf);
}

Test(proto, capture_planes_must_fit_buffer)
{
	struct dd_proto_job job;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	/* Chroma plane one byte past the end. */
	tproto_wire(buf)->capture.size = cpu_to_le32(64 * 48 * 3 / 2 - 1);
	tproto_expect_reject(buf, size, "plane 1");
	tproto_wire(buf)->capture.size = cpu_to_le32(64 * 48 * 3 / 2);
	/* Offset that would overflow 32 bits if computed carelessly. */
	tproto_wire(buf)->cap_offset[1] = cpu_to_le32(0xfffff000u);
	tproto_expect_reject(buf, size, "plane 1");
	tproto_wire(buf)->cap_offset[1] = cpu_to_le32(64 * 48);
	/* Stride smaller than a line. */
	tproto_wire(buf)->cap_stride[0] = cpu_to_le32(63);
	tproto_expect_reject(buf, size, "stride");
	tproto_wire(buf)->cap_stride[0] = cpu_to_le32(0x40000000u);
	tproto_expect_reject(buf, size, "plane 0");
	tproto_wire(buf)->cap_stride[0] = cpu_to_le32(64);
	/* Unused third plane must be zero for NV12. */
	tproto_wire(buf)->cap_stride[2] = cpu_to_le32(32);
	tproto_expect_reject(buf, size, "unused plane");
	free(buf);
}

Test(proto, bad_dimensions_are_rejected)
{
	struct dd_proto_job job;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	tproto_wire(buf)->width = 0;
	tproto_expect_reject(buf, size, "size");
	tproto_wire(buf)->width = cpu_to_le32(1u << 20);
	tproto_expect_reject(buf, size, "size");
	free(buf);
}

Test(proto, reserved_fields_must_be_zero)
{
	struct dd_proto_job job;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	tproto_wire(buf)->reserved = cpu_to_le32(1);
	tproto_expect_reject(buf, size, "reserved");
	tproto_wire(buf)->reserved = 0;
	tproto_wire(buf)->capture.reserved = cpu_to_le32(1);
	tproto_expect_reject(buf, size, "reserved");
	tproto_wire(buf)->capture.reserved = 0;
	tproto_wire(buf)->bitstream.reserved = cpu_to_le32(1);
	tproto_expect_reject(buf, size, "reserved");
	free(buf);
}

Test(proto, encode_job_checks_buffer_space)
{
	struct dd_proto_job job;
	long size;
	u8 *buf;

	tproto_fill_job(&job);
	size = dd_proto_job_size(&job);
	buf = calloc(1, size);
	cr_assert_eq(dd_proto_encode_job(buf, size - 1, &job), -ENOSPC);
	cr_assert_eq(dd_proto_encode_job(NULL, 0, &job), -ENOSPC);
	job.ctrls[0].data = NULL;
	cr_assert_eq(dd_proto_encode_job(buf, size, &job), -EINVAL);
	tproto_fill_job(&job);
	job.bitstream_data = NULL;
	cr_assert_eq(dd_proto_encode_job(buf, size, &job), -EINVAL);
	cr_assert_eq(dd_proto_job_size(NULL), -EINVAL);
	free(buf);
}

Test(proto, encode_job_rejects_oversized_message)
{
	struct dd_proto_job job;

	tproto_fill_job(&job);
	job.bitstream.size = DD_PROTO_MAX_MSG;	/* plus header: too big */
	cr_assert_eq(dd_proto_job_size(&job), -EINVAL);
	cr_assert_not_null(strstr(tproto_last_line, "exceeds"));
}

Test(proto, done_round_trip_and_rejections)
{
	struct dd_proto_done done = {
		.ctx_id = 3, .cookie = 0xdeadbeefcafef00dull, .status = DD_STATUS_ERROR,
		.decode_us = 4321, .hash = 0x0123456789abcdefull, .bytesused = 4608,
	};
	struct dd_proto_done out;
	struct dd_wire_done w;
	u8 big[sizeof(w) + 8] __attribute__((aligned(8)));
	size_t cut;

	cr_assert_eq(dd_proto_encode_done(&w, sizeof(w), &done), sizeof(w));
	cr_assert_eq(dd_proto_decode_done(&w, sizeof(w), &out), 0);
	cr_assert_eq(out.ctx_id, 3);
	cr_assert_eq(out.cookie, done.cookie);
	cr_assert_eq(out.status, DD_STATUS_ERROR);
	cr_assert_eq(out.decode_us, 4321);
	cr_assert_eq(out.hash, done.hash);
	cr_assert_eq(out.bytesused, 4608);

	for (cut = 0; cut < sizeof(w); cut++)
		cr_assert_eq(dd_proto_decode_done(&w, cut, &out), -EINVAL);

	/* A longer DONE with a consistent header is still not a DONE. */
	memset(big, 0, sizeof(big));
	memcpy(big, &w, sizeof(w));
	((struct dd_msg_hdr *)big)->size = cpu_to_le32(sizeof(big));
	cr_assert_eq(dd_proto_decode_done(big, sizeof(big), &out), -EINVAL);

	w.status = cpu_to_le32(DD_STATUS_UNSUPPORTED + 1);
	cr_assert_eq(dd_proto_decode_done(&w, sizeof(w), &out), -EINVAL);
	cr_assert_not_null(strstr(tproto_last_line, "status"));
	w.status = 0;
	w.reserved = cpu_to_le32(5);
	cr_assert_eq(dd_proto_decode_done(&w, sizeof(w), &out), -EINVAL);

	done.status = 7;
	cr_assert_eq(dd_proto_encode_done(&w, sizeof(w), &done), -EINVAL);
	done.status = 0;
	cr_assert_eq(dd_proto_encode_done(&w, sizeof(w) - 1, &done), -ENOSPC);
}

Test(proto, hello_round_trip_and_rejections)
{
	struct dd_proto_hello hello = {
		.proto_version = DD_PROTO_VERSION,
		.codecs = BIT(DD_CODEC_H264),
		.name = "daedalusd",
	};
	struct dd_proto_hello out;
	struct dd_wire_hello w;
	size_t cut;

	cr_assert_eq(dd_proto_encode_hello(&w, sizeof(w), &hello), sizeof(w));
	cr_assert_eq(dd_proto_decode_hello(&w, sizeof(w), &out), 0);
	cr_assert_eq(out.codecs, BIT(DD_CODEC_H264));
	cr_assert_str_eq(out.name, "daedalusd");

	for (cut = 0; cut < sizeof(w); cut++)
		cr_assert_eq(dd_proto_decode_hello(&w, cut, &out), -EINVAL);

	memset(w.name, 'x', sizeof(w.name));
	cr_assert_eq(dd_proto_decode_hello(&w, sizeof(w), &out), -EINVAL);
	cr_assert_not_null(strstr(tproto_last_line, "NUL"));

	cr_assert_eq(dd_proto_encode_hello(&w, sizeof(w), &hello), sizeof(w));
	w.codecs = cpu_to_le32(BIT(0));
	cr_assert_eq(dd_proto_decode_hello(&w, sizeof(w), &out), -EINVAL);
	w.codecs = cpu_to_le32(BIT(DD_CODEC_AV1 + 1));
	cr_assert_eq(dd_proto_decode_hello(&w, sizeof(w), &out), -EINVAL);

	cr_assert_eq(dd_proto_encode_hello(&w, sizeof(w), &hello), sizeof(w));
	w.proto_version = cpu_to_le32(DD_PROTO_VERSION + 1);
	cr_assert_eq(dd_proto_decode_hello(&w, sizeof(w), &out), -EPROTO);

	hello.codecs = BIT(20);
	cr_assert_eq(dd_proto_encode_hello(&w, sizeof(w), &hello), -EINVAL);
	hello.codecs = 0;
	memset(hello.name, 'y', sizeof(hello.name));
	cr_assert_eq(dd_proto_encode_hello(&w, sizeof(w), &hello), -EINVAL);
}

Test(proto, ctx_close_round_trip_and_rejections)
{
	struct dd_msg_hdr hdr;
	u8 big[sizeof(hdr) + 8] __attribute__((aligned(8)));
	size_t cut;
	u32 ctx = 0;

	cr_assert_eq(dd_proto_encode_ctx_close(&hdr, sizeof(hdr), 42), sizeof(hdr));
	cr_assert_eq(dd_proto_decode_ctx_close(&hdr, sizeof(hdr), &ctx), 0);
	cr_assert_eq(ctx, 42);
	for (cut = 0; cut < sizeof(hdr); cut++)
		cr_assert_eq(dd_proto_decode_ctx_close(&hdr, cut, &ctx), -EINVAL);
	memset(big, 0, sizeof(big));
	memcpy(big, &hdr, sizeof(hdr));
	((struct dd_msg_hdr *)big)->size = cpu_to_le32(sizeof(big));
	cr_assert_eq(dd_proto_decode_ctx_close(big, sizeof(big), &ctx), -EINVAL);
	cr_assert_eq(dd_proto_encode_ctx_close(&hdr, sizeof(hdr) - 1, 1), -ENOSPC);
}

Test(proto, random_corruption_never_crashes)
{
	struct dd_proto_job job, out;
	long size, i;
	u8 *buf, *copy;
	u32 seed = 12345;
	int accepted = 0;

	tproto_fill_job(&job);
	buf = tproto_encode(&job, &size);
	copy = malloc(size);
	for (i = 0; i < 20000; i++) {
		long pos;

		memcpy(copy, buf, size);
		seed = seed * 1103515245u + 12345u;
		pos = (seed >> 8) % size;
		seed = seed * 1103515245u + 12345u;
		copy[pos] ^= (u8)(1u << ((seed >> 16) & 7));
		if (dd_proto_decode_job(copy, size, &out) == 0) {
			/* Accepted: everything must still lie inside the message. */
			u32 c;

			accepted++;
			for (c = 0; c < out.num_ctrls; c++)
				cr_assert(!out.ctrls[c].size ||
					  ((const u8 *)out.ctrls[c].data >= copy &&
					   (const u8 *)out.ctrls[c].data + out.ctrls[c].size <=
					   copy + size));
			cr_assert((const u8 *)out.bitstream_data + out.bitstream.size ==
				  copy + size);
		}
	}
	/* Flips in payload bytes, cookie, ids, timestamp are legitimately accepted. */
	cr_assert_gt(accepted, 0);
	free(copy);
	free(buf);
}
