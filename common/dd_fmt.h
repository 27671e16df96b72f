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

#define DD_FMT_DEPTH_8		8U
#define DD_FMT_DEPTH_10		10U

struct dd_cap_format {
	u32 fourcc;			/* V4L2_PIX_FMT_NV12, _YUV420, _P010 */
	const char *description;
	u32 num_planes;			/* colour planes in the one memory plane */
	u32 depth;			/* bits per sample value: 8, 10 */
	u32 cpp;			/* bytes per sample in memory: 1, 2 */
};

extern const struct dd_cap_format dd_cap_formats[];
extern const unsigned int dd_num_cap_formats;

const struct dd_cap_format *dd_cap_format_by_fourcc(u32 fourcc);

/* The bit depth of a CAPTURE format's samples (8 for an unknown fourcc). */
u32 dd_fmt_cap_depth(const struct v4l2_format *cap);

/*
 * ENUM_FMT for either queue; -EINVAL past the end.  CAPTURE lists only the
 * formats of `depth`, the stream's bit depth (the current CAPTURE
 * format's: dd_fmt_cap_depth()).
 */
int dd_fmt_enum_output(struct v4l2_fmtdesc *f);
int dd_fmt_enum_capture(const struct dd_codec *codec, u32 depth, struct v4l2_fmtdesc *f);
/* ENUM_FRAMESIZES (stepwise, per codec / capture fourcc). */
int dd_fmt_enum_framesizes(struct v4l2_frmsizeenum *fs);

/* Defaults used when a context opens. */
void dd_fmt_default_output(struct v4l2_format *f);
void dd_fmt_default_capture(const struct v4l2_format *out, struct v4l2_format *f);

/*
 * TRY_FMT rules: adjust in place, never fail for a supported buf type.
 * A CAPTURE fourcc of another depth than `depth` becomes that depth's
 * first format (P010 for 10, NV12 for 8).
 */
int dd_fmt_try_output(struct v4l2_format *f);
int dd_fmt_try_capture(const struct v4l2_format *out, u32 depth, struct v4l2_format *f);

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
void dd_fmt_propagate(const struct v4l2_format *out, u32 depth, struct v4l2_format *cap);

/*
 * The stream's bit depth as a control set outside a request announces it
 * (dd_codec_ctrl_depth(); 0: not a depth control), the way rkvdec and
 * hantro reset their CAPTURE format on a new SPS:
 *  - dd_fmt_depth_may_change(): -EBUSY (logged) when the depth differs from
 *    the CAPTURE format's and CAPTURE has buffers; the set must fail;
 *  - dd_fmt_set_depth(): once the value is set, a different depth resets
 *    the CAPTURE format to that depth's first format (size kept from
 *    `out`, stride started over).  True when it changed.
 * At MEDIA_REQUEST_IOC_QUEUE, dd_fmt_request_depth_ok() refuses (-EINVAL,
 * logged) a request whose picture depth is not the CAPTURE format's.
 */
int dd_fmt_depth_may_change(u32 depth, bool cap_busy, const struct v4l2_format *cap);
bool dd_fmt_set_depth(const struct v4l2_format *out, u32 depth, struct v4l2_format *cap);
int dd_fmt_request_depth_ok(const char *codec, u32 depth, const struct v4l2_format *cap);

/* Plane offsets and strides of a CAPTURE format, for the job protocol. */
void dd_fmt_cap_layout(const struct v4l2_format *cap, u32 *num_planes,
		       u32 offset[3], u32 stride[3]);

#endif /* DD_FMT_H */
