// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_h264_request.c - hostile H.264 controls: the boundaries the
 * per-control validators add beyond the kernel's (se(v) offsets), the
 * contradictions inside one control, and the rules between the controls
 * of one request (dd_h264_check_request), each at its boundary (last
 * value accepted, first refused) with -EINVAL and one log line naming the
 * field; then the same rules through the userspace front end: the request
 * is refused at MEDIA_REQUEST_IOC_QUEUE and a consistent one still queues.
 */
#include <criterion/criterion.h>

#include "dd_codec.h"
#include "dd_h264.h"
#include "tdev.h"
#include "tlog.h"

/* x264 --profile high 1280x720: SPS, its PPS and a P picture. */
struct thr_set {
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_ctrl_h264_pps pps;
	struct v4l2_ctrl_h264_decode_params dp;
	struct v4l2_ctrl_h264_scaling_matrix sm;
	bool has_sps, has_pps, has_dp, has_sm;
	u32 width, height;
};

static void thr_init(struct thr_set *s)
{
	memset(s, 0, sizeof(*s));
	s->sps.profile_idc = 100;
	s->sps.level_idc = 31;
	s->sps.chroma_format_idc = 1;
	s->sps.log2_max_frame_num_minus4 = 0;		/* MaxFrameNum 16 */
	s->sps.log2_max_pic_order_cnt_lsb_minus4 = 2;	/* MaxPicOrderCntLsb 64 */
	s->sps.max_num_ref_frames = 4;
	s->sps.pic_width_in_mbs_minus1 = 79;
	s->sps.pic_height_in_map_units_minus1 = 44;
	s->sps.flags = V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY | V4L2_H264_SPS_FLAG_DIRECT_8X8_INFERENCE;
	s->pps.flags = V4L2_H264_PPS_FLAG_ENTROPY_CODING_MODE;
	s->dp.nal_ref_idc = 2;
	s->dp.frame_num = 3;
	s->dp.pic_order_cnt_lsb = 12;
	s->dp.flags = V4L2_H264_DECODE_PARAM_FLAG_PFRAME;
	memset(&s->sm, 16, sizeof(s->sm));
	s->has_sps = s->has_pps = s->has_dp = s->has_sm = true;
	s->width = 1280;
	s->height = 720;
}

static const void *thr_get(void *priv, u32 id)
{
	struct thr_set *s = priv;

	switch (id) {
	case V4L2_CID_STATELESS_H264_SPS:
		return s->has_sps ? &s->sps : NULL;
	case V4L2_CID_STATELESS_H264_PPS:
		return s->has_pps ? &s->pps : NULL;
	case V4L2_CID_STATELESS_H264_DECODE_PARAMS:
		return s->has_dp ? &s->dp : NULL;
	case V4L2_CID_STATELESS_H264_SCALING_MATRIX:
		return s->has_sm ? &s->sm : NULL;
	default:
		return NULL;
	}
}

static int thr_check(struct thr_set *s)
{
	return dd_codec_h264.check_request(thr_get, s, s->width, s->height);
}

struct thr_case {
	const char *name;
	void (*mutate)(struct thr_set *s);
	int ret;
	const char *n1, *n2;		/* needles of the one log line */
};

static void thr_m_none(struct thr_set *s) { (void)s; }
static void thr_m_pps_sps_id(struct thr_set *s) { s->pps.seq_parameter_set_id = 1; }
static void thr_m_pps_sps_id_both(struct thr_set *s)
{
	s->pps.seq_parameter_set_id = 31;
	s->sps.seq_parameter_set_id = 31;
}
static void thr_m_frame_num_max(struct thr_set *s) { s->dp.frame_num = 15; }
static void thr_m_frame_num_over(struct thr_set *s) { s->dp.frame_num = 16; }
static void thr_m_frame_num_wide(struct thr_set *s)
{
	s->sps.log2_max_frame_num_minus4 = 12;
	s->dp.frame_num = 65535;
}
static void thr_m_frame_num_5bits(struct thr_set *s)
{
	s->sps.log2_max_frame_num_minus4 = 1;
	s->dp.frame_num = 32;
}
static void thr_m_lsb_max(struct thr_set *s) { s->dp.pic_order_cnt_lsb = 63; }
static void thr_m_lsb_over(struct thr_set *s) { s->dp.pic_order_cnt_lsb = 64; }
static void thr_m_lsb_poc2(struct thr_set *s)
{
	s->sps.pic_order_cnt_type = 2;
	s->dp.pic_order_cnt_lsb = 64;	/* not coded with POC type 2 */
}
static void thr_m_field_frames_only(struct thr_set *s)
{
	s->dp.flags |= V4L2_H264_DECODE_PARAM_FLAG_FIELD_PIC;
}
static void thr_m_field_interlaced(struct thr_set *s)
{
	s->sps.flags &= ~V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY;
	s->sps.pic_height_in_map_units_minus1 = 22;	/* 2 x 368 = 736 rows */
	s->height = 736;
	s->dp.flags |= V4L2_H264_DECODE_PARAM_FLAG_FIELD_PIC |
		       V4L2_H264_DECODE_PARAM_FLAG_BOTTOM_FIELD;
}
static void thr_m_width_over(struct thr_set *s) { s->width = 1264; }
static void thr_m_height_over(struct thr_set *s) { s->height = 704; }
static void thr_m_interlaced_over(struct thr_set *s)
{
	s->sps.flags &= ~V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY;	/* 2 x 720 rows */
}
static void thr_m_smaller_ok(struct thr_set *s)
{
	s->width = 1920;
	s->height = 1088;
}
static void thr_m_no_sps(struct thr_set *s)
{
	s->has_sps = false;
	s->pps.seq_parameter_set_id = 7;
	s->dp.frame_num = 60000;
}
static void thr_m_sps_only(struct thr_set *s)
{
	s->has_pps = s->has_dp = false;
	s->pps.seq_parameter_set_id = 7;
}
static void thr_m_no_dp(struct thr_set *s)
{
	s->has_dp = false;
	s->dp.frame_num = 60000;
}

#define THR_SM	V4L2_H264_PPS_FLAG_SCALING_MATRIX_PRESENT
#define THR_8X8	V4L2_H264_PPS_FLAG_TRANSFORM_8X8_MODE
static void thr_m_sm_4x4_zero(struct thr_set *s)
{
	s->pps.flags |= THR_SM;
	s->sm.scaling_list_4x4[5][15] = 0;
}
static void thr_m_sm_4x4_one(struct thr_set *s)
{
	s->pps.flags |= THR_SM;
	s->sm.scaling_list_4x4[5][15] = 1;
	s->sm.scaling_list_4x4[0][0] = 255;
}
static void thr_m_sm_not_coded(struct thr_set *s) { s->sm.scaling_list_4x4[0][0] = 0; }
static void thr_m_sm_8x8_zero(struct thr_set *s)
{
	s->pps.flags |= THR_SM | THR_8X8;
	s->sm.scaling_list_8x8[1][63] = 0;
}
static void thr_m_sm_8x8_chroma(struct thr_set *s)
{
	s->pps.flags |= THR_SM | THR_8X8;
	s->sm.scaling_list_8x8[2][0] = 0;	/* 4:4:4 only: never written */
}
static void thr_m_sm_8x8_no_8x8(struct thr_set *s)
{
	s->pps.flags |= THR_SM;
	s->sm.scaling_list_8x8[0][0] = 0;
}
static void thr_m_sm_no_pps(struct thr_set *s)
{
	s->has_pps = false;
	s->pps.flags |= THR_SM;
	s->sm.scaling_list_4x4[0][0] = 0;
}

static const struct thr_case thr_cases[] = {
	{ "consistent", thr_m_none, 0, NULL, NULL },
	{ "pps names another sps", thr_m_pps_sps_id, -EINVAL,
	  "h264 pps: seq_parameter_set_id=1", "sps has seq_parameter_set_id=0" },
	{ "sps id 31 on both", thr_m_pps_sps_id_both, 0, NULL, NULL },
	{ "frame_num MaxFrameNum-1", thr_m_frame_num_max, 0, NULL, NULL },
	{ "frame_num MaxFrameNum", thr_m_frame_num_over, -EINVAL,
	  "h264 decode_params: frame_num=16 out of range [0, 15]",
	  "log2_max_frame_num_minus4=0" },
	{ "frame_num 16 bits", thr_m_frame_num_wide, 0, NULL, NULL },
	{ "frame_num 5 bits", thr_m_frame_num_5bits, -EINVAL,
	  "frame_num=32 out of range [0, 31]", NULL },
	{ "poc lsb MaxPicOrderCntLsb-1", thr_m_lsb_max, 0, NULL, NULL },
	{ "poc lsb MaxPicOrderCntLsb", thr_m_lsb_over, -EINVAL,
	  "h264 decode_params: pic_order_cnt_lsb=64 out of range [0, 63]",
	  "log2_max_pic_order_cnt_lsb_minus4=2" },
	{ "poc lsb with POC type 2", thr_m_lsb_poc2, 0, NULL, NULL },
	{ "field picture, frames-only sps", thr_m_field_frames_only, -EINVAL,
	  "h264 decode_params: flags=0x", "FIELD_PIC but the sps has FRAME_MBS_ONLY" },
	{ "field picture, interlaced sps", thr_m_field_interlaced, 0, NULL, NULL },
	{ "wider than OUTPUT", thr_m_width_over, -EINVAL,
	  "h264 sps: pic_width_in_mbs_minus1=79", "(1280x720) larger than the OUTPUT format 1264x720" },
	{ "taller than OUTPUT", thr_m_height_over, -EINVAL,
	  "pic_height_in_map_units_minus1=44", "larger than the OUTPUT format 1280x704" },
	{ "interlaced doubles the height", thr_m_interlaced_over, -EINVAL,
	  "(1280x1440) larger than the OUTPUT format 1280x720", NULL },
	{ "smaller than OUTPUT", thr_m_smaller_ok, 0, NULL, NULL },
	{ "no sps in the request", thr_m_no_sps, 0, NULL, NULL },
	{ "sps alone", thr_m_sps_only, 0, NULL, NULL },
	{ "no decode_params", thr_m_no_dp, 0, NULL, NULL },
	{ "coded 4x4 list entry 0", thr_m_sm_4x4_zero, -EINVAL,
	  "h264 scaling_matrix: scaling_list_4x4[5][15]=0", "[1, 255]" },
	{ "coded 4x4 list entries 1 and 255", thr_m_sm_4x4_one, 0, NULL, NULL },
	{ "matrix not coded: 0 unused", thr_m_sm_not_coded, 0, NULL, NULL },
	{ "coded 8x8 luma entry 0", thr_m_sm_8x8_zero, -EINVAL,
	  "scaling_list_8x8[1][63]=0", NULL },
	{ "8x8 chroma list unused in 4:2:0", thr_m_sm_8x8_chroma, 0, NULL, NULL },
	{ "8x8 lists unused without 8x8 transform", thr_m_sm_8x8_no_8x8, 0, NULL, NULL },
	{ "matrix without the pps", thr_m_sm_no_pps, 0, NULL, NULL },
};

Test(h264_request, cross_control_table)
{
	unsigned int i;

	cr_assert_not_null(dd_codec_h264.check_request);
	for (i = 0; i < ARRAY_SIZE(thr_cases); i++) {
		const struct thr_case *c = &thr_cases[i];
		struct thr_set s;
		int ret;

		thr_init(&s);
		c->mutate(&s);
		tlog_start();
		ret = thr_check(&s);
		cr_assert_eq(ret, c->ret, "%s: got %d, want %d (%s)", c->name, ret, c->ret,
			     tlog_buf);
		cr_assert_eq(tlog_lines, c->ret ? 1u : 0u, "%s: log '%s'", c->name, tlog_buf);
		if (c->n1)
			cr_assert(tlog_has(c->n1), "%s: log '%s' lacks '%s'", c->name, tlog_buf,
				  c->n1);
		if (c->n2)
			cr_assert(tlog_has(c->n2), "%s: log '%s' lacks '%s'", c->name, tlog_buf,
				  c->n2);
	}
}

/* se(v) fields of a POC type 1 SPS: -2^31 has no code, -2^31+1 is the floor. */
Test(h264_request, sps_poc_offsets_boundaries)
{
	static const struct {
		size_t off;		/* s32 field, or -1: offset_for_ref_frame[2] */
		const char *field;
	} f[] = {
		{ offsetof(struct v4l2_ctrl_h264_sps, offset_for_non_ref_pic),
		  "offset_for_non_ref_pic=-2147483648" },
		{ offsetof(struct v4l2_ctrl_h264_sps, offset_for_top_to_bottom_field),
		  "offset_for_top_to_bottom_field=-2147483648" },
		{ offsetof(struct v4l2_ctrl_h264_sps, offset_for_ref_frame[2]),
		  "offset_for_ref_frame[2]=-2147483648" },
	};
	struct thr_set s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		s32 *v;

		thr_init(&s);
		s.sps.pic_order_cnt_type = 1;
		s.sps.num_ref_frames_in_pic_order_cnt_cycle = 3;
		v = (s32 *)((u8 *)&s.sps + f[i].off);
		*v = -0x7fffffff;
		tlog_start();
		cr_assert_eq(dd_h264_validate_sps(&s.sps), 0, "%s: floor refused: %s",
			     f[i].field, tlog_buf);
		*v = 0x7fffffff;
		cr_assert_eq(dd_h264_validate_sps(&s.sps), 0, "%s: ceiling refused: %s",
			     f[i].field, tlog_buf);
		*v = (s32)0x80000000u;
		tlog_start();
		cr_assert_eq(dd_h264_validate_sps(&s.sps), -EINVAL, "%s accepted", f[i].field);
		cr_assert_eq(tlog_lines, 1u, "%s", tlog_buf);
		cr_assert(tlog_has(f[i].field), "log '%s' lacks '%s'", tlog_buf, f[i].field);
		cr_assert(tlog_has("h264 sps:"), "%s", tlog_buf);
	}
	/* Beyond the cycle the array is not coded: any value goes. */
	thr_init(&s);
	s.sps.pic_order_cnt_type = 1;
	s.sps.num_ref_frames_in_pic_order_cnt_cycle = 2;
	s.sps.offset_for_ref_frame[2] = (s32)0x80000000u;
	cr_assert_eq(dd_h264_validate_sps(&s.sps), 0);
	/* Other POC types clear the offsets, as the kernel does. */
	thr_init(&s);
	s.sps.offset_for_non_ref_pic = (s32)0x80000000u;
	cr_assert_eq(dd_h264_validate_sps(&s.sps), 0);
	cr_assert_eq(s.sps.offset_for_non_ref_pic, 0);
}

Test(h264_request, decode_params_p_and_b)
{
	struct thr_set s;

	thr_init(&s);
	s.dp.flags = V4L2_H264_DECODE_PARAM_FLAG_PFRAME | V4L2_H264_DECODE_PARAM_FLAG_BFRAME;
	tlog_start();
	cr_assert_eq(dd_h264_validate_decode_params(&s.dp), -EINVAL);
	cr_assert_eq(tlog_lines, 1u, "%s", tlog_buf);
	cr_assert(tlog_has("h264 decode_params: flags=0x"), "%s", tlog_buf);
	cr_assert(tlog_has("both PFRAME and BFRAME"), "%s", tlog_buf);
	s.dp.flags = V4L2_H264_DECODE_PARAM_FLAG_BFRAME;
	cr_assert_eq(dd_h264_validate_decode_params(&s.dp), 0);
}

/* The userspace front end applies the rules at MEDIA_REQUEST_IOC_QUEUE. */
static struct dd_ctx *thr_ctx(void)
{
	struct v4l2_format f = { .type = TDEV_OUT };
	struct dd_ctx *ctx;

	tdev_init();
	ctx = tdev_open();
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_G_FMT, &f), 0);
	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_H264_SLICE;
	f.fmt.pix_mp.width = 1280;
	f.fmt.pix_mp.height = 720;
	cr_assert_eq(dd_ioctl(ctx, VIDIOC_S_FMT, &f), 0);
	cr_assert_eq(ctx->out_fmt.fmt.pix_mp.width, 1280u);
	cr_assert_eq(ctx->out_fmt.fmt.pix_mp.height, 720u);
	tdev_setup(ctx, 2, 2);
	return ctx;
}

static int thr_set_all(struct dd_ctx *ctx, int fd, struct thr_set *s)
{
	int ret;

	ret = tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, fd, V4L2_CID_STATELESS_H264_SPS,
			    &s->sps, sizeof(s->sps));
	if (!ret)
		ret = tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, fd, V4L2_CID_STATELESS_H264_PPS,
				    &s->pps, sizeof(s->pps));
	if (!ret)
		ret = tdev_ext_ctrl(ctx, VIDIOC_S_EXT_CTRLS, fd,
				    V4L2_CID_STATELESS_H264_DECODE_PARAMS, &s->dp, sizeof(s->dp));
	return ret;
}

Test(h264_request, front_end_refuses_contradictions_at_queue)
{
	static const struct thr_case *bad[] = {
		&thr_cases[1], &thr_cases[4], &thr_cases[8], &thr_cases[10], &thr_cases[12],
	};
	struct dd_ctx *ctx = thr_ctx();
	struct thr_set s;
	unsigned int i;
	int fd, ret;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		thr_init(&s);
		bad[i]->mutate(&s);
		/* Each control alone is valid: S_EXT_CTRLS takes them. */
		fd = tdev_req_alloc();
		cr_assert_eq(thr_set_all(ctx, fd, &s), 0, "%s", bad[i]->name);
		if (bad[i]->mutate == thr_m_width_over) {
			/* The OUTPUT format cannot change while streaming: shrink the SPS. */
			thr_init(&s);
			s.sps.pic_width_in_mbs_minus1 = 80;
			cr_assert_eq(thr_set_all(ctx, fd, &s), 0);
		}
		cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 1000, 64, 0), 0);
		tlog_start();
		ret = dd_request_queue(tdev_req(fd));
		cr_assert_eq(ret, -EINVAL, "%s: queue gave %d (%s)", bad[i]->name, ret, tlog_buf);
		cr_assert(tlog_has("h264 "), "%s: log '%s'", bad[i]->name, tlog_buf);
		cr_assert_eq(tdev.job_ready, 0u, "%s: a job was made", bad[i]->name);
		/* Nothing queued: the request can be reinitialised and reused. */
		cr_assert_eq(dd_request_reinit(tdev_req(fd)), 0);
		tdev_req_close(fd);
	}
	/* A consistent request still queues and becomes a job. */
	thr_init(&s);
	fd = tdev_req_alloc();
	cr_assert_eq(thr_set_all(ctx, fd, &s), 0);
	cr_assert_eq(tdev_qbuf_out(ctx, 0, fd, 2000, 64, 0), 0);
	tlog_start();
	cr_assert_eq(dd_request_queue(tdev_req(fd)), 0, "%s", tlog_buf);
	cr_assert_eq(tdev_qbuf_cap(ctx, 0), 0);
	cr_assert_not_null(dd_dev_next_job(&tdev.dev));
	tdev_fini();
}
