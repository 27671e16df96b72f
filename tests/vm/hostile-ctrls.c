// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-ctrls.c - the client side of t-hostile-ctrls: pushes H.264
 * controls that are out of range or contradict each other into a real
 * device (kernel module or CUSE) and checks that each is refused with
 * EINVAL, at VIDIOC_S_EXT_CTRLS (one control out of range) or at
 * MEDIA_REQUEST_IOC_QUEUE (controls of one request that disagree), and
 * that a consistent request is still accepted afterwards.  Prints one line
 * per case with the field the device's log must name; exit 0 if every
 * case behaved.  Built inside the guest by the test (no make rule).
 *
 * usage: hostile-ctrls VIDEO MEDIA
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/media.h>
#include <linux/videodev2.h>

#define W 320
#define H 240

struct set {
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_ctrl_h264_pps pps;
	struct v4l2_ctrl_h264_decode_params dp;
	struct v4l2_ctrl_h264_scaling_matrix sm;
};

static int vfd, mfd, failures;

/* A consistent 320x240 High-profile IDR. */
static void good(struct set *s)
{
	memset(s, 0, sizeof(*s));
	s->sps.profile_idc = 100;
	s->sps.level_idc = 30;
	s->sps.chroma_format_idc = 1;
	s->sps.log2_max_pic_order_cnt_lsb_minus4 = 2;
	s->sps.max_num_ref_frames = 4;
	s->sps.pic_width_in_mbs_minus1 = W / 16 - 1;
	s->sps.pic_height_in_map_units_minus1 = H / 16 - 1;
	s->sps.flags = V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY | V4L2_H264_SPS_FLAG_DIRECT_8X8_INFERENCE;
	s->pps.flags = V4L2_H264_PPS_FLAG_ENTROPY_CODING_MODE;
	s->dp.nal_ref_idc = 3;
	s->dp.flags = V4L2_H264_DECODE_PARAM_FLAG_IDR_PIC;
	memset(&s->sm, 16, sizeof(s->sm));
}

static int set_ctrls(int req_fd, struct set *s)
{
	struct v4l2_ext_control c[4] = {
		{ .id = V4L2_CID_STATELESS_H264_SPS, .size = sizeof(s->sps), .ptr = &s->sps },
		{ .id = V4L2_CID_STATELESS_H264_PPS, .size = sizeof(s->pps), .ptr = &s->pps },
		{ .id = V4L2_CID_STATELESS_H264_DECODE_PARAMS, .size = sizeof(s->dp),
		  .ptr = &s->dp },
		{ .id = V4L2_CID_STATELESS_H264_SCALING_MATRIX, .size = sizeof(s->sm),
		  .ptr = &s->sm },
	};
	struct v4l2_ext_controls cs = { .count = 4, .controls = c };

	if (req_fd >= 0) {
		cs.which = V4L2_CTRL_WHICH_REQUEST_VAL;
		cs.request_fd = req_fd;
	}
	return ioctl(vfd, VIDIOC_S_EXT_CTRLS, &cs) ? -errno : 0;
}

static void check(const char *what, const char *field, int got, int want)
{
	printf("%s %s: %s (%s)\n", got == want ? "ok" : "FAIL", what,
	       got ? strerror(-got) : "accepted", field);
	if (got != want)
		failures++;
}

/* One control out of range: refused at S_EXT_CTRLS. */
struct field_case {
	const char *field;		/* what the log line must name */
	void (*bad)(struct set *s);
};

#define FC(name, stmt) \
	static void bad_##name(struct set *s) { stmt; }
FC(sps_id, s->sps.seq_parameter_set_id = 32)
FC(chroma, s->sps.chroma_format_idc = 2)
FC(bitdepth, s->sps.bit_depth_luma_minus8 = 7)
FC(frame_num_bits, s->sps.log2_max_frame_num_minus4 = 13)
FC(poc_type, s->sps.pic_order_cnt_type = 3)
FC(lsb_bits, s->sps.log2_max_pic_order_cnt_lsb_minus4 = 13)
FC(refs, s->sps.max_num_ref_frames = 17)
FC(poc_offset, s->sps.pic_order_cnt_type = 1; s->sps.offset_for_non_ref_pic = -2147483647 - 1)
FC(width, s->sps.pic_width_in_mbs_minus1 = 4096 / 16)
FC(pps_groups, s->pps.num_slice_groups_minus1 = 1)
FC(pps_l0, s->pps.num_ref_idx_l0_default_active_minus1 = 32)
FC(pps_bipred, s->pps.weighted_bipred_idc = 3)
FC(pps_qp, s->pps.pic_init_qp_minus26 = -27)
FC(pps_qp_hi, s->pps.pic_init_qp_minus26 = 26)
FC(pps_chroma, s->pps.chroma_qp_index_offset = -13)
FC(dp_ref_idc, s->dp.nal_ref_idc = 4)
FC(dp_bottom, s->dp.flags |= V4L2_H264_DECODE_PARAM_FLAG_BOTTOM_FIELD)
FC(dp_pb, s->dp.flags = V4L2_H264_DECODE_PARAM_FLAG_PFRAME | V4L2_H264_DECODE_PARAM_FLAG_BFRAME)
FC(dp_dpb, s->dp.dpb[3].flags = V4L2_H264_DPB_ENTRY_FLAG_VALID; s->dp.dpb[3].fields = 4)
/* Contradictions between controls: refused when the request is queued. */
FC(x_sps_id, s->pps.seq_parameter_set_id = 1)
FC(x_frame_num, s->dp.frame_num = 16)
FC(x_lsb, s->dp.pic_order_cnt_lsb = 64)
FC(x_field, s->dp.flags |= V4L2_H264_DECODE_PARAM_FLAG_FIELD_PIC)
FC(x_size, s->sps.pic_width_in_mbs_minus1 = W / 16)
FC(x_scaling, s->pps.flags |= V4L2_H264_PPS_FLAG_SCALING_MATRIX_PRESENT;
   s->sm.scaling_list_4x4[2][7] = 0)

static const struct field_case field_cases[] = {
	{ "seq_parameter_set_id=32", bad_sps_id },
	{ "chroma_format_idc=2", bad_chroma },
	{ "bit_depth_luma_minus8=7", bad_bitdepth },
	{ "log2_max_frame_num_minus4=13", bad_frame_num_bits },
	{ "pic_order_cnt_type=3", bad_poc_type },
	{ "log2_max_pic_order_cnt_lsb_minus4=13", bad_lsb_bits },
	{ "max_num_ref_frames=17", bad_refs },
	{ "offset_for_non_ref_pic=-2147483648", bad_poc_offset },
	{ "pic_width_in_mbs_minus1=256", bad_width },
	{ "num_slice_groups_minus1=1", bad_pps_groups },
	{ "num_ref_idx_l0_default_active_minus1=32", bad_pps_l0 },
	{ "weighted_bipred_idc=3", bad_pps_bipred },
	{ "pic_init_qp_minus26=-27", bad_pps_qp },
	{ "pic_init_qp_minus26=26", bad_pps_qp_hi },
	{ "chroma_qp_index_offset=-13", bad_pps_chroma },
	{ "nal_ref_idc=4", bad_dp_ref_idc },
	{ "BOTTOM_FIELD without FIELD_PIC", bad_dp_bottom },
	{ "both PFRAME and BFRAME", bad_dp_pb },
	{ "dpb[3].fields=4", bad_dp_dpb },
};

static const struct field_case cross_cases[] = {
	{ "pps: seq_parameter_set_id=1", bad_x_sps_id },
	{ "frame_num=16 out of range", bad_x_frame_num },
	{ "pic_order_cnt_lsb=64 out of range", bad_x_lsb },
	{ "FIELD_PIC but the sps has FRAME_MBS_ONLY", bad_x_field },
	{ "larger than the OUTPUT format", bad_x_size },
	{ "scaling_list_4x4[2][7]=0", bad_x_scaling },
};

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static int setup(void)
{
	struct v4l2_format f = { .type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE };
	struct v4l2_requestbuffers rb = { .count = 1, .memory = V4L2_MEMORY_MMAP };
	int type, ret;

	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_H264_SLICE;
	f.fmt.pix_mp.width = W;
	f.fmt.pix_mp.height = H;
	f.fmt.pix_mp.num_planes = 1;
	f.fmt.pix_mp.plane_fmt[0].sizeimage = 256 << 10;
	ret = xioctl(vfd, VIDIOC_S_FMT, &f);
	if (ret)
		return ret;
	rb.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
	ret = xioctl(vfd, VIDIOC_REQBUFS, &rb);
	if (ret)
		return ret;
	rb.count = 2;
	rb.type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
	ret = xioctl(vfd, VIDIOC_REQBUFS, &rb);
	if (ret)
		return ret;
	for (type = 0; type < 2; type++) {
		struct v4l2_plane pl[VIDEO_MAX_PLANES] = { { 0 } };
		struct v4l2_buffer b = {
			.type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE,
			.memory = V4L2_MEMORY_MMAP,
			.index = type,
			.m.planes = pl,
			.length = VIDEO_MAX_PLANES,
		};

		ret = xioctl(vfd, VIDIOC_QBUF, &b);
		if (ret)
			return ret;
	}
	type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
	ret = xioctl(vfd, VIDIOC_STREAMON, &type);
	type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
	return ret ? ret : xioctl(vfd, VIDIOC_STREAMON, &type);
}

/* Queue OUTPUT buffer 0 (bytesused 16) in request req_fd. */
static int qbuf_out(int req_fd)
{
	struct v4l2_plane pl[VIDEO_MAX_PLANES] = { { .bytesused = 16 } };
	struct v4l2_buffer b = {
		.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE,
		.memory = V4L2_MEMORY_MMAP,
		.index = 0,
		.m.planes = pl,
		.length = 1,
		.flags = V4L2_BUF_FLAG_REQUEST_FD,
		.request_fd = req_fd,
	};

	return xioctl(vfd, VIDIOC_QBUF, &b);
}

int main(int argc, char **argv)
{
	struct set s;
	unsigned int i;
	int req, ret;

	if (argc != 3) {
		fprintf(stderr, "usage: hostile-ctrls VIDEO MEDIA\n");
		return 2;
	}
	vfd = open(argv[1], O_RDWR);
	mfd = open(argv[2], O_RDWR);
	if (vfd < 0 || mfd < 0) {
		perror("hostile-ctrls: open");
		return 2;
	}
	ret = setup();
	if (ret) {
		fprintf(stderr, "hostile-ctrls: setup: %s\n", strerror(-ret));
		return 2;
	}
	good(&s);
	check("consistent controls at S_EXT_CTRLS", "-", set_ctrls(-1, &s), 0);
	for (i = 0; i < sizeof(field_cases) / sizeof(field_cases[0]); i++) {
		good(&s);
		field_cases[i].bad(&s);
		check("S_EXT_CTRLS", field_cases[i].field, set_ctrls(-1, &s), -EINVAL);
		good(&s);
		field_cases[i].bad(&s);
		ret = xioctl(mfd, MEDIA_IOC_REQUEST_ALLOC, &req);
		if (ret) {
			fprintf(stderr, "hostile-ctrls: REQUEST_ALLOC: %s\n", strerror(-ret));
			return 2;
		}
		check("S_EXT_CTRLS in a request", field_cases[i].field, set_ctrls(req, &s),
		      -EINVAL);
		close(req);
	}
	for (i = 0; i < sizeof(cross_cases) / sizeof(cross_cases[0]); i++) {
		good(&s);
		cross_cases[i].bad(&s);
		ret = xioctl(mfd, MEDIA_IOC_REQUEST_ALLOC, &req);
		if (ret) {
			fprintf(stderr, "hostile-ctrls: REQUEST_ALLOC: %s\n", strerror(-ret));
			return 2;
		}
		check("each control alone", cross_cases[i].field, set_ctrls(req, &s), 0);
		ret = qbuf_out(req);
		if (ret) {
			fprintf(stderr, "hostile-ctrls: QBUF: %s\n", strerror(-ret));
			return 2;
		}
		check("REQUEST_IOC_QUEUE", cross_cases[i].field,
		      xioctl(req, MEDIA_REQUEST_IOC_QUEUE, NULL), -EINVAL);
		/* The refused request keeps the buffer: reinit gives it back. */
		ret = xioctl(req, MEDIA_REQUEST_IOC_REINIT, NULL);
		if (ret) {
			fprintf(stderr, "hostile-ctrls: REQUEST_IOC_REINIT: %s\n", strerror(-ret));
			return 2;
		}
		close(req);
	}
	/* A consistent request after all that is queued (and completes). */
	good(&s);
	ret = xioctl(mfd, MEDIA_IOC_REQUEST_ALLOC, &req);
	if (!ret)
		ret = set_ctrls(req, &s);
	if (!ret)
		ret = qbuf_out(req);
	check("consistent request queued", "-", ret ? ret : xioctl(req, MEDIA_REQUEST_IOC_QUEUE, NULL),
	      0);
	if (!ret) {
		struct pollfd p = { .fd = req, .events = POLLPRI };

		check("consistent request completes", "-",
		      poll(&p, 1, 10000) == 1 ? 0 : -ETIMEDOUT, 0);
	}
	close(vfd);
	close(mfd);
	printf("hostile-ctrls: %d failures\n", failures);
	return failures ? 1 : 0;
}
