// SPDX-License-Identifier: GPL-2.0-only
/*
 * depth-fmt.c - the client side of t-depth-fmt: the CAPTURE formats follow
 * the bit depth of the HEVC SPS / VP9 FRAME a client sets outside a
 * request, on a real device (kernel module or CUSE), the way GStreamer's
 * v4l2codecs negotiates (S_FMT(OUTPUT), the SPS, then ENUM_FMT and G_FMT
 * on CAPTURE):
 *  - 8 bits: ENUM_FMT lists NV12, YUV420; 10 bits: only P010, G_FMT is
 *    P010 with bytesperline >= 2 * width, TRY_FMT(NV12) answers P010;
 *  - changing the depth while CAPTURE has buffers is EBUSY, nothing moves;
 *  - a request whose SPS depth is not the CAPTURE format's is refused
 *    with EINVAL at MEDIA_REQUEST_IOC_QUEUE (the log names both depths);
 *  - 12-bit VP9 and 4:2:2/12-bit HEVC stay refused at S_EXT_CTRLS.
 * One line per case; exit 0 if every case behaved.  Built inside the
 * guest by the test (no make rule).
 *
 * usage: depth-fmt VIDEO MEDIA
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/media.h>
#include <linux/videodev2.h>

#define W 320
#define H 240

static int vfd, mfd, failures;

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static void check(const char *what, long got, long want)
{
	printf("%s %s: got %ld, want %ld\n", got == want ? "ok" : "FAIL", what, got, want);
	if (got != want)
		failures++;
}

static int s_fmt_out(unsigned int fourcc)
{
	struct v4l2_format f = { .type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE };

	f.fmt.pix_mp.pixelformat = fourcc;
	f.fmt.pix_mp.width = W;
	f.fmt.pix_mp.height = H;
	f.fmt.pix_mp.num_planes = 1;
	return xioctl(vfd, VIDIOC_S_FMT, &f);
}

/* The CAPTURE fourccs ENUM_FMT lists, as one string ("NV12 YU12"). */
static const char *enum_cap(void)
{
	static char buf[64];
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 8; i++) {
		struct v4l2_fmtdesc d = { .index = i, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE };
		size_t len = strlen(buf);

		if (xioctl(vfd, VIDIOC_ENUM_FMT, &d))
			break;
		snprintf(buf + len, sizeof(buf) - len, "%s%.4s", len ? " " : "",
			 (const char *)&d.pixelformat);
	}
	return buf;
}

static void check_enum(const char *what, const char *want)
{
	const char *got = enum_cap();
	int ok = !strcmp(got, want);

	printf("%s %s: ENUM_FMT(CAPTURE) '%s', want '%s'\n", ok ? "ok" : "FAIL", what, got, want);
	if (!ok)
		failures++;
}

static struct v4l2_format g_cap(void)
{
	struct v4l2_format f = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE };

	if (xioctl(vfd, VIDIOC_G_FMT, &f))
		failures++;
	return f;
}

static int set_ctrl(int req_fd, unsigned int id, void *p, unsigned int size)
{
	struct v4l2_ext_control c = { .id = id, .size = size, .ptr = p };
	struct v4l2_ext_controls cs = { .count = 1, .controls = &c };

	if (req_fd >= 0) {
		cs.which = V4L2_CTRL_WHICH_REQUEST_VAL;
		cs.request_fd = req_fd;
	}
	return xioctl(vfd, VIDIOC_S_EXT_CTRLS, &cs);
}

/* A small valid 4:2:0 SPS of W x H at 8 + depth_minus8 bits. */
static int set_sps(int req_fd, unsigned int depth_minus8, unsigned int chroma)
{
	struct v4l2_ctrl_hevc_sps sps;

	memset(&sps, 0, sizeof(sps));
	sps.chroma_format_idc = chroma;
	sps.pic_width_in_luma_samples = W;
	sps.pic_height_in_luma_samples = H;
	sps.bit_depth_luma_minus8 = depth_minus8;
	sps.bit_depth_chroma_minus8 = depth_minus8;
	sps.log2_diff_max_min_luma_coding_block_size = 1;
	sps.log2_diff_max_min_luma_transform_block_size = 1;
	return set_ctrl(req_fd, V4L2_CID_STATELESS_HEVC_SPS, &sps, sizeof(sps));
}

static int set_vp9(unsigned int profile, unsigned int depth)
{
	struct v4l2_ctrl_vp9_frame f;

	memset(&f, 0, sizeof(f));
	f.profile = profile;
	f.bit_depth = depth;
	f.flags = V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING | V4L2_VP9_FRAME_FLAG_Y_SUBSAMPLING;
	f.frame_width_minus_1 = W - 1;
	f.frame_height_minus_1 = H - 1;
	return set_ctrl(-1, V4L2_CID_STATELESS_VP9_FRAME, &f, sizeof(f));
}

static int reqbufs(unsigned int type, unsigned int count)
{
	struct v4l2_requestbuffers rb = { .count = count, .type = type,
					  .memory = V4L2_MEMORY_MMAP };

	return xioctl(vfd, VIDIOC_REQBUFS, &rb);
}

static void hevc_formats(void)
{
	struct v4l2_format f;

	check("S_FMT(OUTPUT) HEVC", s_fmt_out(V4L2_PIX_FMT_HEVC_SLICE), 0);
	check("8-bit SPS outside a request", set_sps(-1, 0, 1), 0);
	check_enum("hevc 8-bit", "NV12 YU12");
	check("hevc 8-bit G_FMT fourcc", g_cap().fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);
	check("Main 10 SPS outside a request", set_sps(-1, 2, 1), 0);
	check_enum("hevc 10-bit", "P010");
	f = g_cap();
	check("hevc 10-bit G_FMT fourcc", f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_P010);
	check("hevc 10-bit G_FMT width", f.fmt.pix_mp.width, W);
	check("hevc 10-bit G_FMT bytesperline", f.fmt.pix_mp.plane_fmt[0].bytesperline, 2 * W);
	check("hevc 10-bit G_FMT sizeimage", f.fmt.pix_mp.plane_fmt[0].sizeimage,
	      2 * W * H * 3 / 2);
	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_NV12;
	check("TRY_FMT(NV12) at 10 bits", xioctl(vfd, VIDIOC_TRY_FMT, &f), 0);
	check("TRY_FMT(NV12) at 10 bits gives", f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_P010);
	f.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_YUV420;
	check("S_FMT(YUV420) at 10 bits", xioctl(vfd, VIDIOC_S_FMT, &f), 0);
	check("S_FMT(YUV420) at 10 bits gives", f.fmt.pix_mp.pixelformat, V4L2_PIX_FMT_P010);

	/* Buffers on CAPTURE: the depth may not change. */
	check("REQBUFS(CAPTURE, 2)", reqbufs(V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE, 2) >= 0, 1);
	check("8-bit SPS with P010 buffers", set_sps(-1, 0, 1), -EBUSY);
	check("format after the EBUSY", g_cap().fmt.pix_mp.pixelformat, V4L2_PIX_FMT_P010);
	check("same-depth SPS with buffers", set_sps(-1, 2, 1), 0);
	check("REQBUFS(CAPTURE, 0)", reqbufs(V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE, 0), 0);
	check("8-bit SPS without buffers", set_sps(-1, 0, 1), 0);
	check("hevc back to 8 bits G_FMT", g_cap().fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);

	check("12-bit SPS refused", set_sps(-1, 4, 1), -EINVAL);
	check("4:2:2 SPS refused", set_sps(-1, 0, 2), -EINVAL);
	check("format after the refusals", g_cap().fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);
}

/* A request that carries only an SPS of depth_minus8, with OUTPUT buffer 0. */
static int queue_sps_request(unsigned int depth_minus8)
{
	struct v4l2_plane pl[VIDEO_MAX_PLANES] = { { .bytesused = 16 } };
	struct v4l2_buffer b = {
		.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE,
		.memory = V4L2_MEMORY_MMAP,
		.index = 0,
		.m.planes = pl,
		.length = 1,
		.flags = V4L2_BUF_FLAG_REQUEST_FD,
	};
	int req, ret;

	ret = xioctl(mfd, MEDIA_IOC_REQUEST_ALLOC, &req);
	if (ret)
		return ret;
	ret = set_sps(req, depth_minus8, 1);
	b.request_fd = req;
	if (!ret)
		ret = xioctl(vfd, VIDIOC_QBUF, &b);
	if (!ret)
		ret = xioctl(req, MEDIA_REQUEST_IOC_QUEUE, NULL);
	/* Refused: the buffer comes back to the client with the reinit. */
	if (ret && xioctl(req, MEDIA_REQUEST_IOC_REINIT, NULL))
		failures++;
	close(req);
	return ret;
}

static void hevc_request_mismatch(void)
{
	int type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;

	check("REQBUFS(OUTPUT, 1)", reqbufs(type, 1) >= 0, 1);
	check("STREAMON(OUTPUT)", xioctl(vfd, VIDIOC_STREAMON, &type), 0);
	/* NV12 on CAPTURE, a Main 10 SPS in the request. */
	check("10-bit request, NV12 CAPTURE", queue_sps_request(2), -EINVAL);
	check("Main 10 SPS outside a request", set_sps(-1, 2, 1), 0);
	check("8-bit request, P010 CAPTURE", queue_sps_request(0), -EINVAL);
	check("STREAMOFF(OUTPUT)", xioctl(vfd, VIDIOC_STREAMOFF, &type), 0);
	check("REQBUFS(OUTPUT, 0)", reqbufs(type, 0), 0);
}

static void vp9_formats(void)
{
	check("S_FMT(OUTPUT) VP9", s_fmt_out(V4L2_PIX_FMT_VP9_FRAME), 0);
	check("profile 0 FRAME", set_vp9(0, 8), 0);
	check_enum("vp9 profile 0", "NV12 YU12");
	check("profile 2 10-bit FRAME", set_vp9(2, 10), 0);
	check_enum("vp9 profile 2", "P010");
	check("vp9 profile 2 G_FMT fourcc", g_cap().fmt.pix_mp.pixelformat, V4L2_PIX_FMT_P010);
	check("vp9 profile 2 bytesperline", g_cap().fmt.pix_mp.plane_fmt[0].bytesperline, 2 * W);
	check("profile 2 12-bit FRAME refused", set_vp9(2, 12), -EINVAL);
	check("profile 0 FRAME again", set_vp9(0, 8), 0);
	check("vp9 profile 0 G_FMT fourcc", g_cap().fmt.pix_mp.pixelformat, V4L2_PIX_FMT_NV12);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: depth-fmt VIDEO MEDIA\n");
		return 2;
	}
	vfd = open(argv[1], O_RDWR);
	mfd = open(argv[2], O_RDWR);
	if (vfd < 0 || mfd < 0) {
		perror("depth-fmt: open");
		return 2;
	}
	hevc_formats();
	hevc_request_mismatch();
	vp9_formats();
	printf("%d failures\n", failures);
	return failures ? 1 : 0;
}
