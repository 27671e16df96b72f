// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_vp9_validate.c - validation of the stateless VP9 control payloads.
 *
 * First the rules of the kernel's std_validate_compound() for
 * V4L2_CTRL_TYPE_VP9_FRAME and _COMPRESSED_HDR (identical in 6.1 and
 * 6.12): known flag bits only, loop filter level/sharpness/deltas,
 * quantiser deltas, segmentation features, profile and bit depth,
 * subsampling per profile, reset_frame_context, frame_context_idx,
 * interpolation filter, tile_cols_log2 <= 6, reference mode, tx_mode,
 * reserved bytes zeroed.  Then what the specification bounds and the
 * kernel leaves open: tile columns within the range the frame width
 * allows, tile_rows_log2 <= 2, the frame size within the codec limits.
 * Last what this decoder does not implement: profiles 1 and 3 (4:2:2,
 * 4:4:0, 4:4:4) and 12 bits; profile 0 decodes to NV12/YUV420, profile 2
 * at 10 bits to P010.  Each rejection is -EINVAL with
 * one log line "vp9 <control>: <field>=<value> ...".
 */
#include "dd_vp9.h"

#define DD_VP9_MAX_TILE_WIDTH_B64	64U
#define DD_VP9_MIN_TILE_WIDTH_B64	4U
#define DD_VP9_FRAME_FLAGS	(V4L2_VP9_FRAME_FLAG_KEY_FRAME |		\
				 V4L2_VP9_FRAME_FLAG_SHOW_FRAME |		\
				 V4L2_VP9_FRAME_FLAG_ERROR_RESILIENT |		\
				 V4L2_VP9_FRAME_FLAG_INTRA_ONLY |		\
				 V4L2_VP9_FRAME_FLAG_ALLOW_HIGH_PREC_MV |	\
				 V4L2_VP9_FRAME_FLAG_REFRESH_FRAME_CTX |	\
				 V4L2_VP9_FRAME_FLAG_PARALLEL_DEC_MODE |	\
				 V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING |		\
				 V4L2_VP9_FRAME_FLAG_Y_SUBSAMPLING |		\
				 V4L2_VP9_FRAME_FLAG_COLOR_RANGE_FULL_SWING)
#define DD_VP9_LF_FLAGS		(V4L2_VP9_LOOP_FILTER_FLAG_DELTA_ENABLED |	\
				 V4L2_VP9_LOOP_FILTER_FLAG_DELTA_UPDATE)
#define DD_VP9_SEG_FLAGS	(V4L2_VP9_SEGMENTATION_FLAG_ENABLED |		\
				 V4L2_VP9_SEGMENTATION_FLAG_UPDATE_MAP |	\
				 V4L2_VP9_SEGMENTATION_FLAG_TEMPORAL_UPDATE |	\
				 V4L2_VP9_SEGMENTATION_FLAG_UPDATE_DATA |	\
				 V4L2_VP9_SEGMENTATION_FLAG_ABS_OR_DELTA_UPDATE)
#define DD_VP9_SUBSAMPLING	(V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING |		\
				 V4L2_VP9_FRAME_FLAG_Y_SUBSAMPLING)

static bool dd_vp9_bad_range(const char *ctl, const char *field, s64 v, s64 lo, s64 hi)
{
	if (v >= lo && v <= hi)
		return false;
	dd_err("vp9 %s: %s=%lld out of range [%lld, %lld]", ctl, field,
	       (long long)v, (long long)lo, (long long)hi);
	return true;
}

static bool dd_vp9_bad_flags(const char *ctl, const char *field, u32 v, u32 known)
{
	if (!(v & ~known))
		return false;
	dd_err("vp9 %s: %s=0x%x has unknown bits 0x%x", ctl, field, v, v & ~known);
	return true;
}

void dd_vp9_tile_cols_log2_range(u32 frame_width, u32 *min_log2, u32 *max_log2)
{
	u32 sb64_cols = (((frame_width + 7) >> 3) + 7) >> 3;
	u32 lo = 0, hi = 1;

	while ((DD_VP9_MAX_TILE_WIDTH_B64 << lo) < sb64_cols)
		lo++;
	while ((sb64_cols >> hi) >= DD_VP9_MIN_TILE_WIDTH_B64)
		hi++;
	*min_log2 = lo;
	*max_log2 = hi - 1;
}

static int dd_vp9_validate_lf(struct v4l2_vp9_loop_filter *lf)
{
	const char *c = "frame";
	unsigned int i;

	if (dd_vp9_bad_flags(c, "lf.flags", lf->flags, DD_VP9_LF_FLAGS) ||
	    dd_vp9_bad_range(c, "lf.level", lf->level, 0, 63) ||
	    dd_vp9_bad_range(c, "lf.sharpness", lf->sharpness, 0, 7))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(lf->ref_deltas); i++)
		if (dd_vp9_bad_range(c, "lf.ref_deltas[]", lf->ref_deltas[i], -63, 63))
			return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(lf->mode_deltas); i++)
		if (dd_vp9_bad_range(c, "lf.mode_deltas[]", lf->mode_deltas[i], -63, 63))
			return -EINVAL;
	memset(lf->reserved, 0, sizeof(lf->reserved));
	return 0;
}

static int dd_vp9_validate_quant(struct v4l2_vp9_quantization *q)
{
	const char *c = "frame";

	if (dd_vp9_bad_range(c, "quant.delta_q_y_dc", q->delta_q_y_dc, -15, 15) ||
	    dd_vp9_bad_range(c, "quant.delta_q_uv_dc", q->delta_q_uv_dc, -15, 15) ||
	    dd_vp9_bad_range(c, "quant.delta_q_uv_ac", q->delta_q_uv_ac, -15, 15))
		return -EINVAL;
	memset(q->reserved, 0, sizeof(q->reserved));
	return 0;
}

static int dd_vp9_validate_seg(struct v4l2_vp9_segmentation *seg)
{
	/* Per feature: ALT_Q, ALT_L, REF_FRAME, SKIP (no data). */
	static const s16 range[V4L2_VP9_SEG_LVL_MAX] = { 255, 63, 3, 0 };
	const char *c = "frame";
	unsigned int i, j;

	if (dd_vp9_bad_flags(c, "seg.flags", seg->flags, DD_VP9_SEG_FLAGS))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(seg->feature_enabled); i++)
		if (dd_vp9_bad_flags(c, "seg.feature_enabled[]", seg->feature_enabled[i],
				     V4L2_VP9_SEGMENT_FEATURE_ENABLED_MASK))
			return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(seg->feature_data); i++)
		for (j = 0; j < ARRAY_SIZE(seg->feature_data[i]); j++)
			if (dd_vp9_bad_range(c, "seg.feature_data[][]",
					     seg->feature_data[i][j], -range[j], range[j]))
				return -EINVAL;
	memset(seg->reserved, 0, sizeof(seg->reserved));
	return 0;
}

/* Profile, bit depth and chroma subsampling, as the kernel pairs them. */
static int dd_vp9_validate_format(const struct v4l2_ctrl_vp9_frame *f)
{
	const char *c = "frame";
	bool sub420 = (f->flags & DD_VP9_SUBSAMPLING) == DD_VP9_SUBSAMPLING;

	if (dd_vp9_bad_range(c, "profile", f->profile, 0, V4L2_VP9_PROFILE_MAX))
		return -EINVAL;
	if ((f->profile < 2 && f->bit_depth != 8) ||
	    (f->profile >= 2 && f->bit_depth != 10 && f->bit_depth != 12)) {
		dd_err("vp9 frame: bit_depth=%u not allowed with profile=%u",
		       f->bit_depth, f->profile);
		return -EINVAL;
	}
	if ((f->profile == 0 || f->profile == 2) && !sub420) {
		dd_err("vp9 frame: flags=0x%x: profile %u is 4:2:0 only", f->flags, f->profile);
		return -EINVAL;
	}
	if ((f->profile == 1 || f->profile == 3) && sub420) {
		dd_err("vp9 frame: flags=0x%x: profile %u excludes 4:2:0", f->flags, f->profile);
		return -EINVAL;
	}
	/* CAPTURE is 4:2:0 at 8 (NV12, YUV420) or 10 bits (P010). */
	if (f->profile != 0 && f->profile != 2) {
		dd_err("vp9 frame: profile=%u unsupported (4:2:0, profiles 0 and 2 only)",
		       f->profile);
		return -EINVAL;
	}
	if (f->bit_depth == 12) {
		dd_err("vp9 frame: bit_depth=%u unsupported (8 or 10 bits only)", f->bit_depth);
		return -EINVAL;
	}
	return 0;
}

/* Frame size and the tile layout it allows. */
static int dd_vp9_validate_size(const struct v4l2_ctrl_vp9_frame *f)
{
	const char *c = "frame";
	u32 w = f->frame_width_minus_1 + 1U;
	u32 lo, hi;

	if (dd_vp9_bad_range(c, "frame_width_minus_1", f->frame_width_minus_1,
			     0, DD_VP9_MAX_WIDTH - 1) ||
	    dd_vp9_bad_range(c, "frame_height_minus_1", f->frame_height_minus_1,
			     0, DD_VP9_MAX_HEIGHT - 1) ||
	    dd_vp9_bad_range(c, "tile_rows_log2", f->tile_rows_log2, 0, 2))
		return -EINVAL;
	dd_vp9_tile_cols_log2_range(w, &lo, &hi);
	if (f->tile_cols_log2 < lo || f->tile_cols_log2 > hi) {
		dd_err("vp9 frame: tile_cols_log2=%u out of range [%u, %u] for width %u",
		       f->tile_cols_log2, lo, hi, w);
		return -EINVAL;
	}
	return 0;
}

int dd_vp9_validate_frame(void *payload)
{
	struct v4l2_ctrl_vp9_frame *f = payload;
	const char *c = "frame";
	int ret;

	if (dd_vp9_bad_flags(c, "flags", f->flags, DD_VP9_FRAME_FLAGS))
		return -EINVAL;
	if ((f->flags & V4L2_VP9_FRAME_FLAG_ERROR_RESILIENT) &&
	    (f->flags & V4L2_VP9_FRAME_FLAG_REFRESH_FRAME_CTX)) {
		dd_err("vp9 frame: flags=0x%x: error_resilient_mode with refresh_frame_context",
		       f->flags);
		return -EINVAL;
	}
	if (dd_vp9_validate_format(f) ||
	    dd_vp9_bad_range(c, "reset_frame_context", f->reset_frame_context,
			     V4L2_VP9_RESET_FRAME_CTX_NONE, V4L2_VP9_RESET_FRAME_CTX_ALL) ||
	    dd_vp9_bad_range(c, "frame_context_idx", f->frame_context_idx,
			     0, V4L2_VP9_NUM_FRAME_CTX - 1) ||
	    dd_vp9_bad_range(c, "interpolation_filter", f->interpolation_filter,
			     V4L2_VP9_INTERP_FILTER_EIGHTTAP, V4L2_VP9_INTERP_FILTER_SWITCHABLE) ||
	    dd_vp9_bad_range(c, "tile_cols_log2", f->tile_cols_log2, 0, 6) ||
	    dd_vp9_bad_range(c, "reference_mode", f->reference_mode,
			     V4L2_VP9_REFERENCE_MODE_SINGLE_REFERENCE,
			     V4L2_VP9_REFERENCE_MODE_SELECT))
		return -EINVAL;
	ret = dd_vp9_validate_lf(&f->lf);
	if (!ret)
		ret = dd_vp9_validate_quant(&f->quant);
	if (!ret)
		ret = dd_vp9_validate_seg(&f->seg);
	if (!ret)
		ret = dd_vp9_validate_size(f);
	if (ret)
		return ret;
	memset(f->reserved, 0, sizeof(f->reserved));
	return 0;
}

int dd_vp9_validate_compressed_hdr(void *payload)
{
	struct v4l2_ctrl_vp9_compressed_hdr *hdr = payload;

	if (dd_vp9_bad_range("compressed_hdr", "tx_mode", hdr->tx_mode,
			     V4L2_VP9_TX_MODE_ONLY_4X4, V4L2_VP9_TX_MODE_SELECT))
		return -EINVAL;
	return 0;
}
