// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_vp8_validate.c - default and validation of the stateless VP8 frame
 * control.  The kernel (6.1 and 6.12 alike) checks num_dct_parts and zeroes
 * the padding bytes; we do the same, then check each header field against
 * the width of its code in the frame header (RFC 6386 section 9 and 19.2):
 * a value no bitstream can carry means a confused client.
 */
#include "dd_vp8.h"

void dd_vp8_init_frame(void *payload)
{
	struct v4l2_ctrl_vp8_frame *f = payload;

	memset(f, 0, sizeof(*f));
	f->num_dct_parts = 1;
}

static bool dd_vp8_bad(const char *field, long long v, long long lo, long long hi)
{
	if (v >= lo && v <= hi)
		return false;
	dd_err("vp8 frame: %s=%lld out of range [%lld, %lld]", field, v, lo, hi);
	return true;
}

/* Element i of a 4-entry array field. */
static bool dd_vp8_bad_elem(const char *field, unsigned int i, long long v, long long lo,
			    long long hi)
{
	char name[32];

	if (v >= lo && v <= hi)
		return false;
	snprintf(name, sizeof(name), "%s[%u]", field, i);
	return dd_vp8_bad(name, v, lo, hi);
}

static bool dd_vp8_bad_segment(const struct v4l2_vp8_segment *s)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		/* 7-bit quantiser and 6-bit filter level, with a sign. */
		if (dd_vp8_bad_elem("segment.quant_update", i, s->quant_update[i], -127, 127) ||
		    dd_vp8_bad_elem("segment.lf_update", i, s->lf_update[i], -63, 63))
			return true;
	}
	return dd_vp8_bad("segment.flags", s->flags, 0, 0xf);
}

static bool dd_vp8_bad_lf(const struct v4l2_vp8_loop_filter *lf)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (dd_vp8_bad_elem("lf.ref_frm_delta", i, lf->ref_frm_delta[i], -63, 63) ||
		    dd_vp8_bad_elem("lf.mb_mode_delta", i, lf->mb_mode_delta[i], -63, 63))
			return true;
	}
	return dd_vp8_bad("lf.sharpness_level", lf->sharpness_level, 0, 7) ||
	       dd_vp8_bad("lf.level", lf->level, 0, 63) ||
	       dd_vp8_bad("lf.flags", lf->flags, 0, 0x7);
}

static bool dd_vp8_bad_quant(const struct v4l2_vp8_quantization *q)
{
	return dd_vp8_bad("quant.y_ac_qi", q->y_ac_qi, 0, 127) ||
	       dd_vp8_bad("quant.y_dc_delta", q->y_dc_delta, -15, 15) ||
	       dd_vp8_bad("quant.y2_dc_delta", q->y2_dc_delta, -15, 15) ||
	       dd_vp8_bad("quant.y2_ac_delta", q->y2_ac_delta, -15, 15) ||
	       dd_vp8_bad("quant.uv_dc_delta", q->uv_dc_delta, -15, 15) ||
	       dd_vp8_bad("quant.uv_ac_delta", q->uv_ac_delta, -15, 15);
}

int dd_vp8_validate_frame(void *payload)
{
	struct v4l2_ctrl_vp8_frame *f = payload;
	bool key = f->flags & V4L2_VP8_FRAME_FLAG_KEY_FRAME;

	switch (f->num_dct_parts) {
	case 1:
	case 2:
	case 4:
	case 8:
		break;
	default:
		dd_err("vp8 frame: num_dct_parts=%u invalid (1, 2, 4 or 8)", f->num_dct_parts);
		return -EINVAL;
	}
	if (dd_vp8_bad("version", f->version, 0, 3) ||
	    dd_vp8_bad("horizontal_scale", f->horizontal_scale, 0, 3) ||
	    dd_vp8_bad("vertical_scale", f->vertical_scale, 0, 3) ||
	    dd_vp8_bad("width", f->width, key ? 1 : 0, DD_VP8_MAX_WIDTH) ||
	    dd_vp8_bad("height", f->height, key ? 1 : 0, DD_VP8_MAX_HEIGHT) ||
	    dd_vp8_bad("flags", (long long)f->flags, 0, 0x3f) ||
	    dd_vp8_bad("coder_state.bit_count", f->coder_state.bit_count, 0, 32) ||
	    dd_vp8_bad_segment(&f->segment) || dd_vp8_bad_lf(&f->lf) ||
	    dd_vp8_bad_quant(&f->quant))
		return -EINVAL;
	f->segment.padding = 0;
	f->lf.padding = 0;
	f->quant.padding = 0;
	memset(f->entropy.padding, 0, sizeof(f->entropy.padding));
	f->coder_state.padding = 0;
	return 0;
}
