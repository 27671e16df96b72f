// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_vp9.c - the VP9 codec entry and its payload validators: a libvpx
 * inter frame passes untouched except the reserved bytes the kernel zeroes,
 * every field the kernel refuses is refused with one log line naming it,
 * the tile-column range follows the frame width, profiles other than 0
 * are refused, and the table is what the front ends expect.
 */
#include <criterion/criterion.h>

#include "dd_codec.h"
#include "dd_proto.h"
#include "dd_vp9.h"
#include "tlog.h"

/* A 1280x720 libvpx inter frame with 4 tile columns and loop filter deltas. */
static void tv_frame(struct v4l2_ctrl_vp9_frame *f)
{
	memset(f, 0, sizeof(*f));
	f->flags = V4L2_VP9_FRAME_FLAG_SHOW_FRAME | V4L2_VP9_FRAME_FLAG_REFRESH_FRAME_CTX |
		   V4L2_VP9_FRAME_FLAG_ALLOW_HIGH_PREC_MV |
		   V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING | V4L2_VP9_FRAME_FLAG_Y_SUBSAMPLING;
	f->lf.ref_deltas[0] = 1;
	f->lf.ref_deltas[2] = -1;
	f->lf.ref_deltas[3] = -1;
	f->lf.level = 20;
	f->lf.sharpness = 0;
	f->lf.flags = V4L2_VP9_LOOP_FILTER_FLAG_DELTA_ENABLED;
	f->quant.base_q_idx = 120;
	f->frame_width_minus_1 = 1279;
	f->frame_height_minus_1 = 719;
	f->render_width_minus_1 = 1279;
	f->render_height_minus_1 = 719;
	f->last_frame_ts = 1000;
	f->golden_frame_ts = 0;
	f->alt_frame_ts = 3000;
	f->ref_frame_sign_bias = V4L2_VP9_SIGN_BIAS_ALT;
	f->frame_context_idx = 1;
	f->bit_depth = 8;
	f->interpolation_filter = V4L2_VP9_INTERP_FILTER_SWITCHABLE;
	f->tile_cols_log2 = 2;
	f->reference_mode = V4L2_VP9_REFERENCE_MODE_SELECT;
	f->uncompressed_header_size = 30;
	f->compressed_header_size = 80;
}

static int tv_try(struct v4l2_ctrl_vp9_frame *f)
{
	tlog_start();
	return dd_vp9_validate_frame(f);
}

Test(vp9, table_entry)
{
	const struct dd_codec *c = dd_codec_by_fourcc(V4L2_PIX_FMT_VP9_FRAME);
	const struct dd_ctrl_desc *d;
	unsigned int i;

	cr_assert_not_null(c);
	cr_assert_eq(c->proto_codec, DD_CODEC_VP9);
	cr_assert_str_eq(c->name, "vp9");
	for (i = 1; i < c->num_ctrls; i++)
		cr_assert_lt(c->ctrls[i - 1].id, c->ctrls[i].id, "sorted by id");
	d = dd_codec_find_ctrl(c, V4L2_CID_STATELESS_VP9_FRAME);
	cr_assert_not_null(d);
	cr_assert(d->required && d->per_request);
	cr_assert_eq(d->type, V4L2_CTRL_TYPE_VP9_FRAME);
	cr_assert_eq(d->elem_size, sizeof(struct v4l2_ctrl_vp9_frame));
	d = dd_codec_find_ctrl(c, V4L2_CID_STATELESS_VP9_COMPRESSED_HDR);
	cr_assert_not_null(d);
	cr_assert(!d->required);
	cr_assert_eq(d->elem_size, sizeof(struct v4l2_ctrl_vp9_compressed_hdr));
	d = dd_codec_find_ctrl(c, V4L2_CID_MPEG_VIDEO_VP9_PROFILE);
	cr_assert_not_null(d);
	cr_assert_eq(d->max, V4L2_MPEG_VIDEO_VP9_PROFILE_2, "profiles 0 and 2");
	cr_assert_eq(d->menu_skip_mask, BIT(V4L2_MPEG_VIDEO_VP9_PROFILE_1), "not profile 1");
	cr_assert_eq(c->depth_ctrl, V4L2_CID_STATELESS_VP9_FRAME);
}

Test(vp9, profile2_10bit_accepted)
{
	struct v4l2_ctrl_vp9_frame f;

	tv_frame(&f);
	f.profile = 2;
	f.bit_depth = 10;
	cr_assert_eq(tv_try(&f), 0, "%s", tlog_buf);
	cr_assert_eq(dd_codec_ctrl_depth(&dd_codec_vp9, V4L2_CID_STATELESS_VP9_FRAME, &f), 10);
	f.profile = 0;
	f.bit_depth = 8;
	cr_assert_eq(dd_codec_ctrl_depth(&dd_codec_vp9, V4L2_CID_STATELESS_VP9_FRAME, &f), 8);
	cr_assert_eq(dd_codec_ctrl_depth(&dd_codec_vp9, V4L2_CID_STATELESS_VP9_COMPRESSED_HDR,
					 &f), 0);
	cr_assert_eq(dd_codec_ctrl_depth(&dd_codec_h264, V4L2_CID_STATELESS_VP9_FRAME, &f), 0);
}

Test(vp9, default_frame_is_valid_and_matches_kernel)
{
	const struct dd_ctrl_desc *d = dd_codec_find_ctrl(&dd_codec_vp9,
							  V4L2_CID_STATELESS_VP9_FRAME);
	struct v4l2_ctrl_vp9_frame f;

	memset(&f, 0xa5, sizeof(f));
	d->init(&f);
	cr_assert_eq(f.profile, 0);
	cr_assert_eq(f.bit_depth, 8);
	cr_assert_eq(f.flags, V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING |
		     V4L2_VP9_FRAME_FLAG_Y_SUBSAMPLING);
	cr_assert_eq(f.lf.level, 0);
	cr_assert_eq(tv_try(&f), 0, "%s", tlog_buf);
}

Test(vp9, libvpx_frame_passes_reserved_zeroed)
{
	struct v4l2_ctrl_vp9_frame f, want;

	tv_frame(&want);
	f = want;
	memset(f.reserved, 0x11, sizeof(f.reserved));
	memset(f.lf.reserved, 0x22, sizeof(f.lf.reserved));
	memset(f.quant.reserved, 0x33, sizeof(f.quant.reserved));
	memset(f.seg.reserved, 0x44, sizeof(f.seg.reserved));
	cr_assert_eq(tv_try(&f), 0, "%s", tlog_buf);
	cr_assert_eq(memcmp(&f, &want, sizeof(f)), 0, "only the reserved bytes change");
	cr_assert_eq(tlog_lines, 0);
}

Test(vp9, keyframe_with_segmentation_passes)
{
	struct v4l2_ctrl_vp9_frame f;

	tv_frame(&f);
	f.flags |= V4L2_VP9_FRAME_FLAG_KEY_FRAME;
	f.reset_frame_context = V4L2_VP9_RESET_FRAME_CTX_ALL;
	f.seg.flags = V4L2_VP9_SEGMENTATION_FLAG_ENABLED | V4L2_VP9_SEGMENTATION_FLAG_UPDATE_MAP |
		      V4L2_VP9_SEGMENTATION_FLAG_UPDATE_DATA;
	f.seg.feature_enabled[0] = V4L2_VP9_SEGMENT_FEATURE_ENABLED(V4L2_VP9_SEG_LVL_ALT_Q) |
				   V4L2_VP9_SEGMENT_FEATURE_ENABLED(V4L2_VP9_SEG_LVL_SKIP);
	f.seg.feature_data[0][V4L2_VP9_SEG_LVL_ALT_Q] = -255;
	f.seg.feature_data[1][V4L2_VP9_SEG_LVL_ALT_L] = 63;
	f.seg.feature_data[2][V4L2_VP9_SEG_LVL_REF_FRAME] = 3;
	cr_assert_eq(tv_try(&f), 0, "%s", tlog_buf);
}

/* One field set out of range: refused, the log names it. */
#define TV_REFUSE(_name, _set, _needle)					\
	Test(vp9, refuse_##_name)					\
	{								\
		struct v4l2_ctrl_vp9_frame f;				\
									\
		tv_frame(&f);						\
		_set;							\
		cr_assert_eq(tv_try(&f), -EINVAL);			\
		cr_assert(tlog_has(_needle), "log: %s", tlog_buf);	\
		cr_assert_eq(tlog_lines, 1);				\
	}

TV_REFUSE(unknown_flag, f.flags |= 0x400, "vp9 frame: flags=")
TV_REFUSE(error_resilient_refresh_ctx, f.flags |= V4L2_VP9_FRAME_FLAG_ERROR_RESILIENT,
	  "error_resilient_mode with refresh_frame_context")
TV_REFUSE(lf_flags, f.lf.flags = 0x4, "lf.flags")
TV_REFUSE(lf_level, f.lf.level = 64, "lf.level=64")
TV_REFUSE(lf_sharpness, f.lf.sharpness = 8, "lf.sharpness=8")
TV_REFUSE(lf_ref_delta, f.lf.ref_deltas[3] = -64, "lf.ref_deltas[]=-64")
TV_REFUSE(lf_mode_delta, f.lf.mode_deltas[1] = 64, "lf.mode_deltas[]=64")
TV_REFUSE(quant_y_dc, f.quant.delta_q_y_dc = 16, "quant.delta_q_y_dc=16")
TV_REFUSE(quant_uv_dc, f.quant.delta_q_uv_dc = -16, "quant.delta_q_uv_dc=-16")
TV_REFUSE(quant_uv_ac, f.quant.delta_q_uv_ac = 16, "quant.delta_q_uv_ac=16")
TV_REFUSE(seg_flags, f.seg.flags = 0x20, "seg.flags")
TV_REFUSE(seg_feature_enabled, f.seg.feature_enabled[7] = 0x10, "seg.feature_enabled[]")
TV_REFUSE(seg_alt_q, f.seg.feature_data[3][V4L2_VP9_SEG_LVL_ALT_Q] = 256,
	  "seg.feature_data[][]=256")
TV_REFUSE(seg_alt_l, f.seg.feature_data[3][V4L2_VP9_SEG_LVL_ALT_L] = -64,
	  "seg.feature_data[][]=-64")
TV_REFUSE(seg_ref, f.seg.feature_data[7][V4L2_VP9_SEG_LVL_REF_FRAME] = 4,
	  "seg.feature_data[][]=4")
TV_REFUSE(seg_skip_data, f.seg.feature_data[0][V4L2_VP9_SEG_LVL_SKIP] = 1,
	  "seg.feature_data[][]=1")
TV_REFUSE(profile_range, f.profile = 4, "profile=4")
TV_REFUSE(profile0_10bit, f.bit_depth = 10, "bit_depth=10 not allowed with profile=0")
TV_REFUSE(profile2_8bit, (f.profile = 2, f.bit_depth = 8), "bit_depth=8 not allowed")
TV_REFUSE(profile0_444, f.flags &= ~V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING, "4:2:0 only")
TV_REFUSE(profile1_420, f.profile = 1, "profile 1 excludes 4:2:0")
TV_REFUSE(profile1_unsupported, (f.profile = 1, f.flags &= ~V4L2_VP9_FRAME_FLAG_Y_SUBSAMPLING),
	  "profile=1 unsupported")
TV_REFUSE(profile2_12bit, (f.profile = 2, f.bit_depth = 12), "bit_depth=12 unsupported")
TV_REFUSE(profile3_12bit, (f.profile = 3, f.bit_depth = 12,
			   f.flags &= ~V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING),
	  "profile=3 unsupported")
TV_REFUSE(reset_ctx, f.reset_frame_context = 3, "reset_frame_context=3")
TV_REFUSE(ctx_idx, f.frame_context_idx = 4, "frame_context_idx=4")
TV_REFUSE(interp, f.interpolation_filter = 5, "interpolation_filter=5")
TV_REFUSE(tile_cols_kernel, f.tile_cols_log2 = 7, "tile_cols_log2=7")
TV_REFUSE(tile_cols_width, f.tile_cols_log2 = 3, "tile_cols_log2=3 out of range [0, 2]")
TV_REFUSE(tile_rows, f.tile_rows_log2 = 3, "tile_rows_log2=3")
TV_REFUSE(ref_mode, f.reference_mode = 3, "reference_mode=3")
TV_REFUSE(width, f.frame_width_minus_1 = 4096, "frame_width_minus_1=4096")
TV_REFUSE(height, f.frame_height_minus_1 = 2304, "frame_height_minus_1=2304")

Test(vp9, tile_cols_range_follows_width)
{
	static const struct { u32 w, lo, hi; } t[] = {
		{ 16, 0, 0 }, { 255, 0, 0 }, { 256, 0, 0 }, { 512, 0, 1 }, { 513, 0, 1 },
		{ 1024, 0, 2 }, { 1280, 0, 2 }, { 1920, 0, 2 }, { 2048, 0, 3 },
		{ 4096, 0, 4 }, { 4097, 1, 4 }, { 8192, 1, 5 }, { 16384, 2, 6 },
	};
	unsigned int i;
	u32 lo, hi;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		dd_vp9_tile_cols_log2_range(t[i].w, &lo, &hi);
		cr_assert_eq(lo, t[i].lo, "width %u: min %u", t[i].w, lo);
		cr_assert_eq(hi, t[i].hi, "width %u: max %u", t[i].w, hi);
	}
}

Test(vp9, tile_rows_and_cols_at_limits_pass)
{
	struct v4l2_ctrl_vp9_frame f;

	tv_frame(&f);
	f.tile_rows_log2 = 2;
	f.tile_cols_log2 = 0;
	cr_assert_eq(tv_try(&f), 0, "%s", tlog_buf);
	f.frame_width_minus_1 = 4095;
	f.frame_height_minus_1 = 2303;
	f.tile_cols_log2 = 4;
	cr_assert_eq(tv_try(&f), 0, "%s", tlog_buf);
}

Test(vp9, compressed_hdr)
{
	struct v4l2_ctrl_vp9_compressed_hdr *h = calloc(1, sizeof(*h));

	cr_assert_not_null(h);
	h->tx_mode = V4L2_VP9_TX_MODE_SELECT;
	h->coef[3][1][1][5][5][2] = 200;
	tlog_start();
	cr_assert_eq(dd_vp9_validate_compressed_hdr(h), 0);
	cr_assert_eq(h->coef[3][1][1][5][5][2], 200);
	h->tx_mode = V4L2_VP9_TX_MODE_SELECT + 1;
	cr_assert_eq(dd_vp9_validate_compressed_hdr(h), -EINVAL);
	cr_assert(tlog_has("vp9 compressed_hdr: tx_mode=5"), "%s", tlog_buf);
	free(h);
}

Test(vp9, required_frame_control)
{
	const struct dd_codec *c = &dd_codec_vp9;
	u64 seen = 0, carried = 0;
	unsigned int i;

	tlog_start();
	cr_assert_eq(dd_codec_check_required(c, 0, &seen), -ENOENT);
	cr_assert(tlog_has("VP9 Frame Decode Parameters"), "%s", tlog_buf);
	for (i = 0; i < c->num_ctrls; i++)
		if (c->ctrls[i].id == V4L2_CID_STATELESS_VP9_FRAME)
			carried |= 1ull << i;
	cr_assert_eq(dd_codec_check_required(c, carried, &seen), 0);
}
