// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_codec_required.c - dd_codec_check_required(): a required control
 * must be in the request or in an earlier accepted request of the context.
 */
#include <criterion/criterion.h>

#include "dd_codec.h"
#include "tlog.h"

static u64 tcr_bit(u32 id)
{
	const struct dd_codec *c = &dd_codec_h264;
	unsigned int i;

	for (i = 0; i < c->num_ctrls; i++)
		if (c->ctrls[i].id == id)
			return 1ull << i;
	cr_assert_fail("control 0x%08x not in the H.264 table", id);
	return 0;
}

Test(codec_required, first_request_needs_all)
{
	u64 seen = 0;
	u64 sps = tcr_bit(V4L2_CID_STATELESS_H264_SPS);
	u64 pps = tcr_bit(V4L2_CID_STATELESS_H264_PPS);
	u64 dp = tcr_bit(V4L2_CID_STATELESS_H264_DECODE_PARAMS);

	tlog_start();
	cr_assert_eq(dd_codec_check_required(&dd_codec_h264, pps | dp, &seen), -ENOENT);
	cr_assert(tlog_has("H264 Sequence Parameter Set"));
	cr_assert_eq(seen, 0, "a refused request must not count as seen");
	cr_assert_eq(dd_codec_check_required(&dd_codec_h264, sps | pps | dp, &seen), 0);
	cr_assert_eq(seen, sps | pps | dp);
}

Test(codec_required, later_requests_inherit)
{
	u64 sps = tcr_bit(V4L2_CID_STATELESS_H264_SPS);
	u64 pps = tcr_bit(V4L2_CID_STATELESS_H264_PPS);
	u64 dp = tcr_bit(V4L2_CID_STATELESS_H264_DECODE_PARAMS);
	u64 seen = sps | pps | dp;

	/* GStreamer: SPS only when it changes. */
	cr_assert_eq(dd_codec_check_required(&dd_codec_h264, pps | dp, &seen), 0);
	cr_assert_eq(dd_codec_check_required(&dd_codec_h264, 0, &seen), 0);
}
