// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_marshal.c - Criterion tests of cuse-proto/cuse_marshal.c: the retry
 * rounds each ioctl needs, the client segments named in each round, the
 * local layout with swapped pointers, and the restore before replying.
 * The "kernel" here is a helper that concatenates the client segments the
 * previous round asked for, as FUSE does.
 */
#include <criterion/criterion.h>
#include <linux/media.h>

#include "dd_os.h"
#include "cuse_marshal.h"

struct tm_round {
	unsigned char in[DD_CUSE_MAX_XFER];
	size_t in_len, out_len;
};

/* Fetch what plan p asks for from the client memory (it is ours here). */
static void tm_fetch(const struct dd_cuse_plan *p, struct tm_round *r)
{
	struct iovec iov[DD_CUSE_MAX_SEGS];
	unsigned int n, i;

	r->in_len = 0;
	n = dd_cuse_plan_iov(p, false, iov);
	for (i = 0; i < n; i++) {
		memcpy(r->in + r->in_len, iov[i].iov_base, iov[i].iov_len);
		r->in_len += iov[i].iov_len;
	}
	r->out_len = 0;
	n = dd_cuse_plan_iov(p, true, iov);
	for (i = 0; i < n; i++)
		r->out_len += iov[i].iov_len;
}

/* Run rounds until the plan is ready; returns the number of rounds. */
static int tm_rounds(struct dd_cuse_plan *p, unsigned int cmd, void *arg,
		     struct tm_round *r)
{
	int rounds = 0, ret;

	r->in_len = r->out_len = 0;
	for (;;) {
		rounds++;
		ret = dd_cuse_plan(p, cmd, arg, r->in, r->in_len, r->out_len);
		cr_assert_geq(ret, 0, "plan failed: %d", ret);
		if (ret == 1)
			return rounds;
		cr_assert_lt(rounds, 6, "no convergence");
		tm_fetch(p, r);
	}
}

static struct tm_round tm_r;

Test(cuse_marshal, read_only_struct_takes_one_retry)
{
	struct v4l2_capability cap;
	struct dd_cuse_plan p;

	cr_assert_eq(tm_rounds(&p, VIDIOC_QUERYCAP, &cap, &tm_r), 2);
	cr_assert_eq(p.need_in, 0);
	cr_assert_eq(p.need_out, sizeof(cap));
	cr_assert_eq(p.nseg, 1);
	cr_assert_eq(p.seg[0].client, &cap);
}

Test(cuse_marshal, no_argument_dispatches_at_once)
{
	struct dd_cuse_plan p;

	cr_assert_eq(dd_cuse_plan(&p, MEDIA_REQUEST_IOC_QUEUE, NULL, NULL, 0, 0), 1);
	cr_assert_eq(p.total, 0);
}

Test(cuse_marshal, null_argument_is_efault)
{
	struct dd_cuse_plan p;

	cr_assert_eq(dd_cuse_plan(&p, VIDIOC_QBUF, NULL, NULL, 0, 0), -EFAULT);
}

Test(cuse_marshal, single_planar_buffer_has_no_array)
{
	struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_OUTPUT, .length = 5 };
	struct dd_cuse_plan p;

	cr_assert_eq(tm_rounds(&p, VIDIOC_QBUF, &b, &tm_r), 2);
	cr_assert_eq(p.nseg, 1);
	cr_assert_eq(p.need_in, sizeof(b));
	cr_assert_eq(p.need_out, sizeof(b));
}

Test(cuse_marshal, planes_array_second_round_and_pointer_swap)
{
	struct v4l2_plane planes[2] = { { .bytesused = 11 }, { .bytesused = 22 } };
	struct v4l2_buffer b = {
		.type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE, .length = 2,
		.m.planes = planes,
	};
	struct iovec iov[DD_CUSE_MAX_SEGS];
	struct v4l2_buffer *lb;
	struct dd_cuse_plan p;
	unsigned char *local;
	unsigned int n;

	cr_assert_eq(tm_rounds(&p, VIDIOC_DQBUF, &b, &tm_r), 3);
	cr_assert_eq(p.nseg, 2);
	cr_assert_eq(p.seg[1].client, planes);
	cr_assert_eq(p.seg[1].len, sizeof(planes));
	local = malloc(p.total);
	dd_cuse_localize(&p, local, tm_r.in, tm_r.in_len);
	lb = (struct v4l2_buffer *)local;
	cr_assert_eq((unsigned char *)lb->m.planes, local + sizeof(b));
	cr_assert_eq(lb->m.planes[1].bytesused, 22);
	lb->m.planes[0].bytesused = 99;		/* the driver's answer */
	n = dd_cuse_restore(&p, local, iov);
	cr_assert_eq(n, 2);
	cr_assert_eq(lb->m.planes, planes, "client pointer not restored");
	cr_assert_eq(((struct v4l2_plane *)iov[1].iov_base)[0].bytesused, 99);
	free(local);
}

Test(cuse_marshal, too_many_planes_is_einval)
{
	struct v4l2_plane planes[VIDEO_MAX_PLANES + 1];
	struct v4l2_buffer b = {
		.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE, .length = VIDEO_MAX_PLANES + 1,
		.m.planes = planes,
	};
	struct dd_cuse_plan p;

	cr_assert_eq(dd_cuse_plan(&p, VIDIOC_QBUF, &b, &b, sizeof(b), sizeof(b)), -EINVAL);
}

Test(cuse_marshal, ext_ctrls_fetch_array_then_payloads)
{
	struct v4l2_ctrl_h264_sps sps = { .profile_idc = 100 };
	struct v4l2_ext_control c[2] = {
		{ .id = V4L2_CID_STATELESS_H264_SPS, .size = sizeof(sps), .ptr = &sps },
		{ .id = V4L2_CID_STATELESS_H264_DECODE_MODE, .value = 1 },
	};
	struct v4l2_ext_controls cs = {
		.which = V4L2_CTRL_WHICH_REQUEST_VAL, .count = 2, .controls = c,
	};
	struct iovec iov[DD_CUSE_MAX_SEGS];
	struct v4l2_ext_controls *lcs;
	struct dd_cuse_plan p;
	unsigned char *local;

	cr_assert_eq(tm_rounds(&p, VIDIOC_S_EXT_CTRLS, &cs, &tm_r), 4);
	cr_assert_eq(p.nseg, 3, "struct, array, one payload (the scalar has none)");
	cr_assert_eq(p.seg[2].client, &sps);
	cr_assert_eq(p.seg[2].len, sizeof(sps));
	local = malloc(p.total);
	dd_cuse_localize(&p, local, tm_r.in, tm_r.in_len);
	lcs = (struct v4l2_ext_controls *)local;
	cr_assert_eq((unsigned char *)lcs->controls, local + p.seg[1].off);
	cr_assert_eq((unsigned char *)lcs->controls[0].ptr, local + p.seg[2].off);
	cr_assert_eq(((struct v4l2_ctrl_h264_sps *)lcs->controls[0].ptr)->profile_idc, 100);
	cr_assert_eq(lcs->controls[1].value, 1);
	lcs->error_idx = 1;
	cr_assert_eq(dd_cuse_restore(&p, local, iov), 3);
	cr_assert_eq(lcs->controls, c);
	cr_assert_eq(((struct v4l2_ext_control *)iov[1].iov_base)[0].ptr, &sps);
	cr_assert_eq(((struct v4l2_ext_controls *)iov[0].iov_base)->error_idx, 1);
	cr_assert(dd_cuse_always_copy(VIDIOC_S_EXT_CTRLS));
	cr_assert(!dd_cuse_always_copy(VIDIOC_QBUF));
	free(local);
}

Test(cuse_marshal, payload_capped_to_the_control_size)
{
	static unsigned char big[64 << 10];
	struct v4l2_ext_control c = {
		.id = V4L2_CID_STATELESS_H264_PPS, .size = sizeof(big), .ptr = big,
	};
	struct v4l2_ext_controls cs = { .count = 1, .controls = &c };
	struct dd_cuse_plan p;

	tm_rounds(&p, VIDIOC_G_EXT_CTRLS, &cs, &tm_r);
	cr_assert_eq(p.nseg, 3);
	cr_assert_eq(p.seg[2].len, sizeof(struct v4l2_ctrl_h264_pps));
}

Test(cuse_marshal, changed_count_between_rounds_replans)
{
	struct v4l2_ext_control c[3] = {
		{ .id = V4L2_CID_STATELESS_H264_DECODE_MODE },
		{ .id = V4L2_CID_STATELESS_H264_START_CODE },
		{ .id = V4L2_CID_STATELESS_H264_DECODE_MODE },
	};
	struct v4l2_ext_controls cs = { .count = 1, .controls = c };
	struct dd_cuse_plan p;
	size_t in_len;

	cr_assert_eq(dd_cuse_plan(&p, VIDIOC_TRY_EXT_CTRLS, &cs, NULL, 0, 0), 0);
	tm_fetch(&p, &tm_r);
	cr_assert_eq(dd_cuse_plan(&p, VIDIOC_TRY_EXT_CTRLS, &cs, tm_r.in, tm_r.in_len,
				  tm_r.out_len), 0);
	tm_fetch(&p, &tm_r);
	in_len = tm_r.in_len;
	cs.count = 3;			/* the client raced us */
	memcpy(tm_r.in, &cs, sizeof(cs));
	cr_assert_eq(dd_cuse_plan(&p, VIDIOC_TRY_EXT_CTRLS, &cs, tm_r.in, in_len,
				  tm_r.out_len), 0, "stale data must not be dispatched");
	cr_assert_eq(p.seg[1].len, 3 * sizeof(c[0]));
}

Test(cuse_marshal, topology_fetches_only_requested_arrays)
{
	struct media_v2_entity ents[3];
	struct media_v2_link links[4];
	struct media_v2_topology t = {
		.num_entities = 3, .ptr_entities = (uintptr_t)ents,
		.num_pads = 4,	/* ptr_pads NULL: counted, not copied */
		.num_links = 4, .ptr_links = (uintptr_t)links,
	};
	struct dd_cuse_plan p;
	unsigned char *local;
	struct media_v2_topology *lt;

	cr_assert_eq(tm_rounds(&p, MEDIA_IOC_G_TOPOLOGY, &t, &tm_r), 3);
	cr_assert_eq(p.nseg, 3);
	cr_assert_eq(p.seg[1].len, sizeof(ents));
	cr_assert_eq(p.seg[2].len, sizeof(links));
	local = malloc(p.total);
	dd_cuse_localize(&p, local, tm_r.in, tm_r.in_len);
	lt = (struct media_v2_topology *)local;
	cr_assert_eq(lt->ptr_entities, (uintptr_t)(local + p.seg[1].off));
	cr_assert_eq(lt->ptr_pads, 0);
	free(local);
}

Test(cuse_marshal, control_count_above_the_v4l2_limit_is_einval)
{
	struct v4l2_ext_controls cs = { .count = V4L2_CID_MAX_CTRLS + 1 };
	struct dd_cuse_plan p;

	cs.controls = (void *)&cs;	/* never dereferenced */
	memcpy(tm_r.in, &cs, sizeof(cs));
	cr_assert_eq(dd_cuse_plan(&p, VIDIOC_S_EXT_CTRLS, &cs, tm_r.in, sizeof(cs), sizeof(cs)),
		     -EINVAL);
}

Test(cuse_marshal, more_than_fuse_can_move_is_enomem)
{
	static struct v4l2_ctrl_h264_sps sps[64];
	static struct v4l2_ext_control c[64];
	struct v4l2_ext_controls cs = { .count = 64, .controls = c };
	struct dd_cuse_plan p;
	unsigned int i;
	size_t len;

	for (i = 0; i < 64; i++) {
		c[i].id = V4L2_CID_STATELESS_H264_SPS;
		c[i].size = sizeof(sps[i]);
		c[i].ptr = &sps[i];
	}
	memcpy(tm_r.in, &cs, sizeof(cs));
	memcpy(tm_r.in + sizeof(cs), c, sizeof(c));
	len = sizeof(cs) + sizeof(c);
	cr_assert_eq(dd_cuse_plan(&p, VIDIOC_S_EXT_CTRLS, &cs, tm_r.in, len, len), -ENOMEM);
}
