// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_direct.c - Criterion tests of cuse-proto/cuse_direct.c: fetching an
 * ioctl's client memory with process_vm_readv (on this very process)
 * yields byte for byte what the FUSE retry rounds deliver, the results go
 * back to the client's structs and arrays, and a bad client pointer makes
 * the direct path step aside (the retry protocol then reports EFAULT).
 */
#include <criterion/criterion.h>
#include <linux/media.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dd_os.h"
#include "dd_codec.h"
#include "cuse_direct.h"

/* What the kernel would deliver: the retry rounds, fetched with memcpy. */
static size_t td_retry_image(struct dd_cuse_plan *p, unsigned int cmd, void *arg,
			     unsigned char *img)
{
	struct iovec iov[DD_CUSE_MAX_SEGS];
	size_t in_len = 0, out_len = 0;
	unsigned int n, i, rounds = 0;

	while (dd_cuse_plan(p, cmd, arg, img, in_len, out_len) != 1) {
		cr_assert_lt(++rounds, 6);
		in_len = 0;
		n = dd_cuse_plan_iov(p, false, iov);
		for (i = 0; i < n; i++) {
			memcpy(img + in_len, iov[i].iov_base, iov[i].iov_len);
			in_len += iov[i].iov_len;
		}
		out_len = p->need_out;
	}
	return in_len;
}

static void td_same_as_retry(unsigned int cmd, void *arg)
{
	static unsigned char img[DD_CUSE_MAX_XFER];
	struct dd_cuse_plan pr, pd;
	size_t len, dlen;
	void *din;

	len = td_retry_image(&pr, cmd, arg, img);
	cr_assert_eq(dd_cuse_direct_fetch(&pd, getpid(), cmd, arg, &din, &dlen), 1);
	cr_assert_eq(dlen, len);
	cr_assert_eq(pd.nseg, pr.nseg);
	cr_assert_eq(pd.need_out, pr.need_out);
	if (len)
		cr_assert_eq(memcmp(din, img, len), 0);
	free(din);
}

Test(cuse_direct, planes_in_one_round)
{
	struct v4l2_plane planes[2] = { { .bytesused = 11 }, { .bytesused = 22 } };
	struct v4l2_buffer b = {
		.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE, .length = 2,
		.m.planes = planes, .index = 3,
	};

	td_same_as_retry(VIDIOC_QBUF, &b);
}

Test(cuse_direct, ext_ctrls_with_payloads_in_one_round)
{
	struct v4l2_ctrl_h264_sps sps = { .profile_idc = 100, .level_idc = 31 };
	struct v4l2_ctrl_h264_pps pps = { .pic_parameter_set_id = 2 };
	struct v4l2_ext_control c[2] = {
		{ .id = V4L2_CID_STATELESS_H264_SPS, .size = sizeof(sps), .ptr = &sps },
		{ .id = V4L2_CID_STATELESS_H264_PPS, .size = sizeof(pps), .ptr = &pps },
	};
	struct v4l2_ext_controls ec = {
		.which = V4L2_CTRL_WHICH_REQUEST_VAL, .count = 2, .controls = c,
		.request_fd = 7,
	};

	td_same_as_retry(VIDIOC_S_EXT_CTRLS, &ec);
}

Test(cuse_direct, read_only_struct_needs_no_read)
{
	struct v4l2_capability cap;
	struct dd_cuse_plan p;
	size_t len;
	void *in;

	cr_assert_eq(dd_cuse_direct_fetch(&p, getpid(), VIDIOC_QUERYCAP, &cap, &in, &len), 1);
	cr_assert_eq(len, 0);
	cr_assert_eq(p.need_out, sizeof(cap));
	free(in);
}

Test(cuse_direct, store_writes_struct_and_array_back)
{
	struct v4l2_plane planes[2] = { { .bytesused = 1 }, { .bytesused = 2 } };
	struct v4l2_buffer b = {
		.type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE, .length = 2, .m.planes = planes,
	};
	struct iovec iov[DD_CUSE_MAX_SEGS];
	struct dd_cuse_plan p;
	struct v4l2_buffer *lb;
	unsigned char *local;
	unsigned int n;
	size_t len;
	void *in;

	cr_assert_eq(dd_cuse_direct_fetch(&p, getpid(), VIDIOC_DQBUF, &b, &in, &len), 1);
	local = malloc(p.total);
	dd_cuse_localize(&p, local, in, len);
	lb = (struct v4l2_buffer *)local;
	lb->index = 5;
	lb->m.planes[1].bytesused = 4242;
	n = dd_cuse_restore(&p, local, iov);
	cr_assert_eq(dd_cuse_direct_store(&p, getpid(), iov, n), 0);
	cr_assert_eq(b.index, 5);
	cr_assert_eq(b.m.planes, planes, "client pointer must survive");
	cr_assert_eq(planes[1].bytesused, 4242);
	free(local);
	free(in);
}

Test(cuse_direct, bad_pointer_falls_back_to_retry)
{
	struct v4l2_buffer *b = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct dd_cuse_plan p;
	size_t len;
	void *in;

	cr_assert_neq(b, MAP_FAILED);
	cr_assert_eq(dd_cuse_direct_fetch(&p, getpid(), VIDIOC_QBUF, b, &in, &len), 0);
	cr_assert_null(in);
	cr_assert_eq(dd_cuse_direct_fetch(&p, 0, VIDIOC_QBUF, b, &in, &len), 0);
	munmap(b, 4096);
}

Test(cuse_direct, invalid_arguments_are_answered)
{
	struct v4l2_plane planes[VIDEO_MAX_PLANES + 1];
	struct v4l2_buffer b = {
		.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE, .length = VIDEO_MAX_PLANES + 1,
		.m.planes = planes,
	};
	struct dd_cuse_plan p;
	size_t len;
	void *in;

	cr_assert_eq(dd_cuse_direct_fetch(&p, getpid(), VIDIOC_QBUF, &b, &in, &len), -EINVAL);
	cr_assert_null(in);
}
