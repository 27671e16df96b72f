// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_mpeg2_validate.c - defaults and validation of the stateless MPEG-2
 * control payloads (sequence, picture, quantisation).
 *
 * The kernel (6.1 and 6.12 alike) checks chroma_format, intra_dc_precision,
 * picture_structure and picture_coding_type and zeroes the picture's
 * reserved bytes; we do the same, then refuse what the decoder cannot
 * produce (anything but 4:2:0) and values the syntax has no code for.
 */
#include "dd_mpeg2.h"

const u8 dd_mpeg2_default_intra_matrix[64] = {
	8,  16, 16, 19, 16, 19, 22, 22,
	22, 22, 22, 22, 26, 24, 26, 27,
	27, 27, 26, 26, 26, 26, 27, 27,
	27, 29, 29, 29, 34, 34, 34, 29,
	29, 29, 27, 27, 29, 29, 32, 32,
	34, 34, 37, 38, 37, 35, 35, 34,
	35, 38, 38, 40, 40, 40, 48, 48,
	46, 46, 56, 56, 58, 69, 69, 83
};

void dd_mpeg2_init_sequence(void *payload)
{
	struct v4l2_ctrl_mpeg2_sequence *seq = payload;

	memset(seq, 0, sizeof(*seq));
	seq->chroma_format = 1;
	/*
	 * The kernel's default size is 0x0, which no decoder can use and our
	 * validation refuses; the smallest frame the device takes instead, so
	 * the default can be read and tried back unchanged (v4l2-compliance).
	 */
	seq->horizontal_size = 16;
	seq->vertical_size = 16;
}

void dd_mpeg2_init_picture(void *payload)
{
	struct v4l2_ctrl_mpeg2_picture *pic = payload;

	memset(pic, 0, sizeof(*pic));
	pic->picture_structure = V4L2_MPEG2_PIC_TOP_FIELD;
	pic->picture_coding_type = V4L2_MPEG2_PIC_CODING_TYPE_I;
}

void dd_mpeg2_init_quantisation(void *payload)
{
	struct v4l2_ctrl_mpeg2_quantisation *q = payload;

	memset(q, 0, sizeof(*q));
	memcpy(q->intra_quantiser_matrix, dd_mpeg2_default_intra_matrix, 64);
	memset(q->non_intra_quantiser_matrix, 16, 64);
}

static bool dd_mpeg2_bad(bool cond, const char *ctl, const char *field, long long v,
			 const char *why)
{
	if (!cond)
		return false;
	dd_err("mpeg2 %s: %s=%lld %s", ctl, field, v, why);
	return true;
}

int dd_mpeg2_validate_sequence(void *payload)
{
	const struct v4l2_ctrl_mpeg2_sequence *seq = payload;

	if (dd_mpeg2_bad(seq->chroma_format < 1 || seq->chroma_format > 3, "sequence",
			 "chroma_format", seq->chroma_format, "out of range [1, 3]") ||
	    dd_mpeg2_bad(seq->chroma_format != 1, "sequence", "chroma_format",
			 seq->chroma_format, "unsupported (4:2:0 only)") ||
	    dd_mpeg2_bad(!seq->horizontal_size || seq->horizontal_size > DD_MPEG2_MAX_WIDTH,
			 "sequence", "horizontal_size", seq->horizontal_size,
			 "out of range [1, 4096]") ||
	    dd_mpeg2_bad(!seq->vertical_size || seq->vertical_size > DD_MPEG2_MAX_HEIGHT,
			 "sequence", "vertical_size", seq->vertical_size,
			 "out of range [1, 4096]") ||
	    dd_mpeg2_bad(seq->flags & ~V4L2_MPEG2_SEQ_FLAG_PROGRESSIVE, "sequence", "flags",
			 seq->flags, "has unknown bits"))
		return -EINVAL;
	return 0;
}

/* f_code: 1..9 where motion vectors of that direction exist, else 15. */
static bool dd_mpeg2_bad_f_code(const struct v4l2_ctrl_mpeg2_picture *pic)
{
	static const char * const names[2][2] = {
		{ "f_code[0][0]", "f_code[0][1]" },
		{ "f_code[1][0]", "f_code[1][1]" },
	};
	unsigned int s, t;

	for (s = 0; s < 2; s++) {
		bool used = pic->picture_coding_type == V4L2_MPEG2_PIC_CODING_TYPE_B ||
			    (s == 0 && pic->picture_coding_type == V4L2_MPEG2_PIC_CODING_TYPE_P);

		for (t = 0; t < 2; t++) {
			u8 f = pic->f_code[s][t];

			if (dd_mpeg2_bad(f > 15, "picture", names[s][t], f,
					 "out of range [0, 15]") ||
			    dd_mpeg2_bad(used && (f < 1 || f > 9), "picture", names[s][t], f,
					 "out of range [1, 9] for the picture type"))
				return true;
		}
	}
	return false;
}

int dd_mpeg2_validate_picture(void *payload)
{
	struct v4l2_ctrl_mpeg2_picture *pic = payload;

	if (dd_mpeg2_bad(pic->intra_dc_precision > 3, "picture", "intra_dc_precision",
			 pic->intra_dc_precision, "out of range [0, 3]") ||
	    dd_mpeg2_bad(pic->picture_structure < V4L2_MPEG2_PIC_TOP_FIELD ||
			 pic->picture_structure > V4L2_MPEG2_PIC_FRAME, "picture",
			 "picture_structure", pic->picture_structure, "out of range [1, 3]") ||
	    dd_mpeg2_bad(pic->picture_coding_type < V4L2_MPEG2_PIC_CODING_TYPE_I ||
			 pic->picture_coding_type > V4L2_MPEG2_PIC_CODING_TYPE_B, "picture",
			 "picture_coding_type", pic->picture_coding_type,
			 "out of range [1, 3] (D pictures are not supported)") ||
	    dd_mpeg2_bad((pic->flags & V4L2_MPEG2_PIC_FLAG_PROGRESSIVE) &&
			 pic->picture_structure != V4L2_MPEG2_PIC_FRAME, "picture",
			 "picture_structure", pic->picture_structure,
			 "is a field but flags say progressive_frame") ||
	    dd_mpeg2_bad_f_code(pic))
		return -EINVAL;
	memset(pic->reserved, 0, sizeof(pic->reserved));
	return 0;
}

int dd_mpeg2_validate_quantisation(void *payload)
{
	const struct v4l2_ctrl_mpeg2_quantisation *q = payload;
	const u8 *m = (const u8 *)q;
	static const char * const names[2] = {
		"intra_quantiser_matrix", "non_intra_quantiser_matrix",
	};
	unsigned int i, k;

	/*
	 * A zero quantiser has no code in the syntax.  The chroma matrices
	 * only apply to 4:2:2 and 4:4:4, which are refused: clients leave
	 * them zero with 4:2:0 (GStreamer does), so they are not checked.
	 */
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 64; i++) {
			if (m[k * 64 + i])
				continue;
			dd_err("mpeg2 quantisation: %s[%u]=0 invalid (1..255)", names[k], i);
			return -EINVAL;
		}
	}
	return 0;
}
