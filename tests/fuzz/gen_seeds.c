// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gen_seeds.c - writes the seed corpus of the libFuzzer targets (committed
 * in tests/fuzz/corpus/<target>/; `make fuzz-seeds` regenerates it):
 * valid protocol messages from the encoders, valid H.264 SPS/PPS/DECODE
 * payloads in fuzz_ctrls' op format, and a whole decode round (buffers,
 * request with controls, job, DONE, DQBUF) in fuzz_ioctl's op format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd_os.h"
#include "dd_codec.h"
#include "dd_proto.h"

struct seed {
	u8 b[8192];
	size_t n;
};

static void put(struct seed *s, const void *p, size_t n)
{
	if (s->n + n > sizeof(s->b))
		abort();
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

static void put8(struct seed *s, unsigned int v)
{
	u8 b = (u8)v;

	put(s, &b, 1);
}

static void put32(struct seed *s, u32 v)
{
	put(s, &v, 4);
}

static void save(const char *dir, const char *target, const char *name,
		 const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static unsigned int ctrl_index(u32 id)
{
	unsigned int i;

	for (i = 0; i < dd_codec_h264.num_ctrls; i++)
		if (dd_codec_h264.ctrls[i].id == id)
			return i;
	abort();
}

/* A 320x240 High profile stream's parameter sets, as clients fill them. */
static void sps_320x240(struct v4l2_ctrl_h264_sps *sps)
{
	memset(sps, 0, sizeof(*sps));
	sps->profile_idc = 100;
	sps->level_idc = 30;
	sps->chroma_format_idc = 1;
	sps->log2_max_frame_num_minus4 = 0;
	sps->log2_max_pic_order_cnt_lsb_minus4 = 2;
	sps->max_num_ref_frames = 4;
	sps->pic_width_in_mbs_minus1 = 19;
	sps->pic_height_in_map_units_minus1 = 14;
	sps->flags = V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY | V4L2_H264_SPS_FLAG_DIRECT_8X8_INFERENCE;
}

static void pps_cabac(struct v4l2_ctrl_h264_pps *pps)
{
	memset(pps, 0, sizeof(*pps));
	pps->num_ref_idx_l0_default_active_minus1 = 2;
	pps->weighted_bipred_idc = 0;
	pps->pic_init_qp_minus26 = 0;
	pps->flags = V4L2_H264_PPS_FLAG_ENTROPY_CODING_MODE |
		     V4L2_H264_PPS_FLAG_DEBLOCKING_FILTER_CONTROL_PRESENT |
		     V4L2_H264_PPS_FLAG_TRANSFORM_8X8_MODE;
}

static void decode_idr(struct v4l2_ctrl_h264_decode_params *dp)
{
	memset(dp, 0, sizeof(*dp));
	dp->nal_ref_idc = 3;
	dp->flags = V4L2_H264_DECODE_PARAM_FLAG_IDR_PIC;
}

static void gen_proto(const char *dir)
{
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_ctrl_h264_pps pps;
	struct v4l2_ctrl_h264_decode_params dp;
	static const u8 bits[] = { 0, 0, 0, 1, 0x65, 0x88, 0x84, 0x00, 0x33, 0xff };
	struct dd_proto_job job;
	struct dd_proto_done done = { 3, 42, DD_STATUS_OK, 1234, 0x0123456789abcdefull, 115200 };
	struct dd_proto_hello hello = { DD_PROTO_VERSION, BIT(DD_CODEC_H264), "daedalusd" };
	static u8 buf[16384];
	long n;

	sps_320x240(&sps);
	pps_cabac(&pps);
	decode_idr(&dp);
	memset(&job, 0, sizeof(job));
	job.ctx_id = 3;
	job.cookie = 42;
	job.codec = DD_CODEC_H264;
	job.flags = DD_JOB_FLAG_FLUSH;
	job.width = 320;
	job.height = 240;
	job.cap_fourcc = V4L2_PIX_FMT_NV12;
	job.cap_num_planes = 2;
	job.cap_offset[1] = 320 * 240;
	job.cap_stride[0] = 320;
	job.cap_stride[1] = 320;
	job.timestamp = 1000000000ull;
	job.bitstream.kind = DD_BUF_INLINE;
	job.bitstream.size = sizeof(bits);
	job.bitstream_data = bits;
	job.capture.kind = DD_BUF_FD;
	job.capture.size = 320 * 240 * 3 / 2;
	job.num_ctrls = 3;
	job.ctrls[0] = (struct dd_proto_ctrl){ V4L2_CID_STATELESS_H264_SPS, sizeof(sps), &sps };
	job.ctrls[1] = (struct dd_proto_ctrl){ V4L2_CID_STATELESS_H264_PPS, sizeof(pps), &pps };
	job.ctrls[2] = (struct dd_proto_ctrl){ V4L2_CID_STATELESS_H264_DECODE_PARAMS,
					       sizeof(dp), &dp };
	n = dd_proto_encode_job(buf, sizeof(buf), &job);
	if (n < 0)
		abort();
	save(dir, "fuzz_proto", "job-h264-fd", buf, n);
	job.cap_fourcc = V4L2_PIX_FMT_YUV420;
	job.cap_num_planes = 3;
	job.cap_offset[2] = 320 * 240 * 5 / 4;
	job.cap_stride[1] = 160;
	job.cap_stride[2] = 160;
	job.capture.kind = DD_BUF_PROCESS;
	job.capture.id = 1234;
	job.capture.offset = 0x7f0000000000ull;
	job.num_ctrls = 1;
	n = dd_proto_encode_job(buf, sizeof(buf), &job);
	if (n < 0)
		abort();
	save(dir, "fuzz_proto", "job-h264-process-yuv420", buf, n);
	n = dd_proto_encode_done(buf, sizeof(buf), &done);
	save(dir, "fuzz_proto", "done", buf, n);
	n = dd_proto_encode_hello(buf, sizeof(buf), &hello);
	save(dir, "fuzz_proto", "hello", buf, n);
	n = dd_proto_encode_ctx_close(buf, sizeof(buf), 3);
	save(dir, "fuzz_proto", "ctx-close", buf, n);
}

/* fuzz_ctrls op: S_EXT_CTRLS (op 0) of `count` controls with exact sizes. */
static void ctrls_set(struct seed *s, unsigned int count, const u32 *ids,
		      const void * const *payloads, const size_t *sizes)
{
	unsigned int i;

	put8(s, 0x00);
	put8(s, count - 1);
	for (i = 0; i < count; i++) {
		put8(s, ctrl_index(ids[i]));
		put8(s, 0);		/* exact size */
		if (sizes[i])
			put(s, payloads[i], sizes[i]);
		else
			put32(s, *(const u32 *)payloads[i]);
	}
}

static void gen_ctrls(const char *dir)
{
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_ctrl_h264_pps pps;
	struct v4l2_ctrl_h264_decode_params dp;
	u32 ids[3] = { V4L2_CID_STATELESS_H264_SPS, V4L2_CID_STATELESS_H264_PPS,
		       V4L2_CID_STATELESS_H264_DECODE_PARAMS };
	const void *p[3] = { &sps, &pps, &dp };
	size_t sz[3] = { sizeof(sps), sizeof(pps), sizeof(dp) };
	u32 profile = V4L2_MPEG_VIDEO_H264_PROFILE_MAIN;
	u32 pid = V4L2_CID_MPEG_VIDEO_H264_PROFILE;
	const void *pp = &profile;
	size_t zero = 0;
	struct seed s = { .n = 0 };

	sps_320x240(&sps);
	pps_cabac(&pps);
	decode_idr(&dp);
	ctrls_set(&s, 3, ids, p, sz);
	save(dir, "fuzz_ctrls", "set-sps-pps-decode", s.b, s.n);
	s.n = 0;
	ctrls_set(&s, 1, &pid, &pp, &zero);
	/* G_EXT_CTRLS (op 8) of the SPS into b, apply, required check. */
	put8(&s, 0x08);
	put8(&s, 0);
	put8(&s, ctrl_index(ids[0]));
	put8(&s, 0);
	put(&s, &sps, sizeof(sps));
	put8(&s, 0x13);		/* misc 4: apply a -> b */
	put8(&s, 0);
	put8(&s, 0x17);		/* misc 5: required */
	put8(&s, 0);
	save(dir, "fuzz_ctrls", "menu-get-apply-required", s.b, s.n);
	/* The validators straight on valid structs (op 2 | index << 2). */
	s.n = 0;
	put8(&s, 0x02);
	put(&s, &sps, sizeof(sps));
	put8(&s, 0x06);
	put(&s, &pps, sizeof(pps));
	put8(&s, 0x12);
	put(&s, &dp, sizeof(dp));
	save(dir, "fuzz_ctrls", "validators", s.b, s.n);
}

/* fuzz_ioctl: a v4l2_buffer op (structured mode) with one plane. */
static void ioctl_buf(struct seed *s, unsigned int op, unsigned int type, int req,
		      unsigned int bytes16)
{
	put8(s, op);
	put8(s, 64);		/* structured, MMAP */
	put8(s, type);		/* 0 OUTPUT_MPLANE, 1 CAPTURE_MPLANE */
	put8(s, 0);		/* index */
	put8(s, 0);		/* flags */
	put8(s, req ? 0 : 200);	/* request fd 100, or none */
	if (req)
		put8(s, 0);
	put8(s, 1);		/* tv_sec */
	put8(s, 0);		/* tv_usec */
	put8(s, 1);		/* one plane */
	put32(s, 0);		/* bytesused */
	put8(s, 0);		/* field */
	put8(s, 64);		/* plane: structured */
	put8(s, bytes16);	/* bytesused / 16 */
	put8(s, 0);		/* length */
	put8(s, 0);		/* fd */
	put8(s, 0);		/* data_offset */
}

static void ioctl_round(struct seed *s, unsigned int status)
{
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_ctrl_h264_pps pps;
	struct v4l2_ctrl_h264_decode_params dp;

	sps_320x240(&sps);
	pps_cabac(&pps);
	decode_idr(&dp);
	put8(s, 0x00); put8(s, 0); put8(s, 0); put8(s, 2); put8(s, 0);	/* REQBUFS OUT */
	put8(s, 0x00); put8(s, 1); put8(s, 0); put8(s, 2); put8(s, 0);	/* REQBUFS CAP */
	put8(s, 0x04); put8(s, 0);					/* STREAMON OUT */
	put8(s, 0x04); put8(s, 1);					/* STREAMON CAP */
	put8(s, 0x08); put8(s, 0); put8(s, 0);				/* REQUEST_ALLOC */
	put8(s, 0x06); put8(s, 0); put8(s, 3); put8(s, 0); put8(s, 0);	/* S_EXT_CTRLS req */
	put8(s, 0); put8(s, ctrl_index(V4L2_CID_STATELESS_H264_SPS));
	put(s, &sps, sizeof(sps));
	put8(s, 0); put8(s, ctrl_index(V4L2_CID_STATELESS_H264_PPS));
	put(s, &pps, sizeof(pps));
	put8(s, 0); put8(s, ctrl_index(V4L2_CID_STATELESS_H264_DECODE_PARAMS));
	put(s, &dp, sizeof(dp));
	ioctl_buf(s, 0x01, 0, 1, 4);					/* QBUF OUT */
	ioctl_buf(s, 0x01, 1, 0, 0);					/* QBUF CAP */
	put8(s, 0x08); put8(s, 2); put8(s, 0);				/* REQUEST_QUEUE */
	put8(s, 0x0a);							/* daemon: JOB */
	put8(s, 0x0b); put8(s, 0); put8(s, 0);				/* daemon: DONE */
	put8(s, status ? 200 : 0);
	if (status)
		put32(s, status);
	put8(s, 0); put8(s, 0); put8(s, 0);
	ioctl_buf(s, 0x03, 0, 0, 0);					/* DQBUF OUT */
	ioctl_buf(s, 0x03, 1, 0, 0);					/* DQBUF CAP */
}

static void gen_ioctl(const char *dir)
{
	struct seed s = { .n = 0 };

	ioctl_round(&s, DD_STATUS_OK);
	save(dir, "fuzz_ioctl", "decode-round", s.b, s.n);
	s.n = 0;
	ioctl_round(&s, DD_STATUS_ERROR);
	put8(&s, 0x0d); put8(&s, 0);					/* close the context */
	save(dir, "fuzz_ioctl", "decode-error-close", s.b, s.n);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/fuzz/corpus";

	gen_proto(dir);
	gen_ctrls(dir);
	gen_ioctl(dir);
	return 0;
}
