// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_vp8.c - the VP8 codec table and frame control validation: a real
 * frame header passes with its padding zeroed, the kernel's default and
 * num_dct_parts rule hold, out-of-range header fields are refused with a
 * log line naming them.
 */
#include <criterion/criterion.h>

#include "dd_codec.h"
#include "dd_vp8.h"
#include "tlog.h"

/* libvpx, 320x240 inter frame, two DCT partitions. */
static void tv_frame(struct v4l2_ctrl_vp8_frame *f)
{
	memset(f, 0, sizeof(*f));
	f->width = 320;
	f->height = 240;
	f->num_dct_parts = 2;
	f->prob_skip_false = 200;
	f->prob_intra = 30;
	f->prob_last = 250;
	f->prob_gf = 128;
	f->lf.level = 20;
	f->lf.sharpness_level = 3;
	f->lf.ref_frm_delta[0] = 2;
	f->lf.mb_mode_delta[0] = 4;
	f->lf.mb_mode_delta[1] = -2;
	f->lf.flags = V4L2_VP8_LF_ADJ_ENABLE;
	f->quant.y_ac_qi = 40;
	f->quant.y2_dc_delta = -2;
	f->segment.quant_update[1] = -10;
	f->segment.flags = V4L2_VP8_SEGMENT_FLAG_ENABLED;
	f->coder_state.range = 255;
	f->coder_state.bit_count = 3;
	f->first_part_size = 1234;
	f->first_part_header_bits = 200;
	f->dct_part_sizes[0] = 500;
	f->dct_part_sizes[1] = 400;
	f->flags = V4L2_VP8_FRAME_FLAG_SHOW_FRAME | V4L2_VP8_FRAME_FLAG_MB_NO_SKIP_COEFF;
}

Test(vp8, table)
{
	const struct dd_codec *c = dd_codec_by_fourcc(V4L2_PIX_FMT_VP8_FRAME);
	const struct dd_ctrl_desc *d;

	cr_assert_eq(c, &dd_codec_vp8);
	d = dd_codec_find_ctrl(c, V4L2_CID_STATELESS_VP8_FRAME);
	cr_assert(d && d->required && d->per_request);
	cr_assert_eq(d->type, V4L2_CTRL_TYPE_VP8_FRAME);
	cr_assert_eq(d->elem_size, sizeof(struct v4l2_ctrl_vp8_frame));
}

Test(vp8, default_is_the_kernels)
{
	struct v4l2_ctrl_vp8_frame f;

	memset(&f, 0x5a, sizeof(f));
	dd_vp8_init_frame(&f);
	cr_assert_eq(f.num_dct_parts, 1);
	cr_assert_eq(f.width, 0);
	cr_assert_eq(dd_vp8_validate_frame(&f), 0);
}

Test(vp8, real_header_passes_padding_zeroed)
{
	struct v4l2_ctrl_vp8_frame f;

	tv_frame(&f);
	f.segment.padding = 1;
	f.lf.padding = 2;
	f.quant.padding = 3;
	f.entropy.padding[2] = 4;
	f.coder_state.padding = 5;
	cr_assert_eq(dd_vp8_validate_frame(&f), 0);
	cr_assert_eq(f.segment.padding + f.lf.padding + f.quant.padding +
		     f.entropy.padding[2] + f.coder_state.padding, 0);
	cr_assert_eq(f.width, 320, "fields are kept");
}

Test(vp8, refusals)
{
	struct v4l2_ctrl_vp8_frame f;

	tlog_start();
	tv_frame(&f);
	f.num_dct_parts = 3;
	cr_assert_eq(dd_vp8_validate_frame(&f), -EINVAL);
	cr_assert(tlog_has("num_dct_parts=3"));
	tv_frame(&f);
	f.version = 4;
	cr_assert_eq(dd_vp8_validate_frame(&f), -EINVAL);
	cr_assert(tlog_has("version=4"));
	tv_frame(&f);
	f.flags |= V4L2_VP8_FRAME_FLAG_KEY_FRAME;
	f.width = 0;
	cr_assert_eq(dd_vp8_validate_frame(&f), -EINVAL);
	cr_assert(tlog_has("width=0"));
	tv_frame(&f);
	f.height = 5000;
	cr_assert_eq(dd_vp8_validate_frame(&f), -EINVAL);
	cr_assert(tlog_has("height=5000"));
	tv_frame(&f);
	f.lf.level = 64;
	cr_assert_eq(dd_vp8_validate_frame(&f), -EINVAL);
	cr_assert(tlog_has("lf.level=64"));
	tv_frame(&f);
	f.lf.sharpness_level = 8;
	cr_assert_eq(dd_vp8_validate_frame(&f), -EINVAL);
	tv_frame(&f);
	f.quant.y_ac_qi = 128;
	cr_assert_eq(dd_vp8_validate_frame(&f), -EINVAL);
	cr_assert(tlog_has("quant.y_ac_qi=128"));
	tv_frame(&f);
	f.quant.uv_ac_delta = -16;
	cr_assert_eq(dd_vp8_validate_frame(&f), -EINVAL);
	cr_assert(tlog_has("quant.uv_ac_delta=-16"));
	tv_frame(&f);
	f.segment.quant_update[2] = -128;
	cr_assert_eq(dd_vp8_validate_frame(&f), -EINVAL);
	cr_assert(tlog_has("segment.quant_update[2]=-128"));
	tv_frame(&f);
	f.lf.mb_mode_delta[3] = 64;
	cr_assert_eq(dd_vp8_validate_frame(&f), -EINVAL);
	cr_assert(tlog_has("lf.mb_mode_delta[3]=64"));
	tv_frame(&f);
	f.flags |= 0x40;
	cr_assert_eq(dd_vp8_validate_frame(&f), -EINVAL);
	cr_assert(tlog_has("flags=76"));
}
