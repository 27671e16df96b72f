/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_fmt.h - format negotiation rules for both queues: the CAPTURE pixel
 * formats, alignment, bytesperline and sizeimage, frame sizes, and the
 * OUTPUT -> CAPTURE propagation (size, colorimetry).  Pure functions over
 * V4L2 structs; the queues call them and so does the kernel module.
 */
#ifndef DD_FMT_H
#define DD_FMT_H

#include "dd_os.h"
#include "dd_codec.h"

struct dd_cap_format {
	u32 fourcc;			/* V4L2_PIX_FMT_NV12, V4L2_PIX_FMT_YUV420 */
	const char *description;
	u32 num_planes;			/* colour planes in the one memory plane */
};

extern const struct dd_cap_format dd_cap_formats[];
extern const unsigned int dd_num_cap_formats;

const struct dd_cap_format *dd_cap_format_by_fourcc(u32 fourcc);

/* ENUM_FMT for either queue; -EINVAL past the end. */
int dd_fmt_enum_output(struct v4l2_fmtdesc *f);
int dd_fmt_enum_capture(const struct dd_codec *codec, struct v4l2_fmtdesc *f);
/* ENUM_FRAMESIZES (stepwise, per codec / capture fourcc). */
int dd_fmt_enum_framesizes(struct v4l2_frmsizeenum *fs);

/* Defaults used when a context opens. */
void dd_fmt_default_output(struct v4l2_format *f);
void dd_fmt_default_capture(const struct v4l2_format *out, struct v4l2_format *f);

/* TRY_FMT rules: adjust in place, never fail for a supported buf type. */
int dd_fmt_try_output(struct v4l2_format *f);
int dd_fmt_try_capture(const struct v4l2_format *out, struct v4l2_format *f);

/*
 * S_FMT's -EBUSY rules (as cedrus): OUTPUT may not change while streaming,
 * nor change codec while it has buffers, nor at all while CAPTURE has
 * buffers (the CAPTURE format is reset); CAPTURE may not change while it
 * has buffers.  `cur_out` is the current OUTPUT format, `f` the new one.
 * Returns 0 or -EBUSY; an unsupported type is the caller's to refuse.
 */
struct dd_fmt_busy {
	bool out_streaming;		/* OUTPUT queue streaming */
	bool out_busy;			/* OUTPUT queue has buffers */
	bool cap_busy;			/* CAPTURE queue has buffers */
};

int dd_fmt_s_fmt_busy(const struct v4l2_format *cur_out, const struct v4l2_format *f,
		      const struct dd_fmt_busy *busy);

/* Derive the CAPTURE format from a new OUTPUT format (S_FMT(OUTPUT)). */
void dd_fmt_propagate(const struct v4l2_format *out, struct v4l2_format *cap);

/* Plane offsets and strides of a CAPTURE format, for the job protocol. */
void dd_fmt_cap_layout(const struct v4l2_format *cap, u32 *num_planes,
		       u32 offset[3], u32 stride[3]);

#endif /* DD_FMT_H */
