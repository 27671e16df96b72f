/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_codec.h - the per-codec tables: what the OUTPUT queue accepts, the
 * frame-size limits, and the stateless controls with their ranges,
 * defaults, validation and whether a decode request must carry them.
 *
 * Adding a codec means adding one struct dd_codec (dd_codec_<name>.c) and
 * listing it in dd_codecs[]; the front ends only walk these tables.
 */
#ifndef DD_CODEC_H
#define DD_CODEC_H

#include "dd_os.h"

#define DD_CTRL_MAX_DIMS	4

struct dd_ctrl_desc {
	u32 id;				/* V4L2_CID_* */
	u32 type;			/* enum v4l2_ctrl_type */
	const char *name;
	s64 min;
	s64 max;
	u64 step;
	s64 def;
	u32 elem_size;			/* bytes of one element */
	u32 dims[DD_CTRL_MAX_DIMS];	/* all 0 for a single element */
	u32 flags;			/* V4L2_CTRL_FLAG_* as reported */
	u64 menu_skip_mask;
	const char * const *menu;	/* names for V4L2_CTRL_TYPE_MENU */
	bool required;			/* a decode request must carry it */
	bool per_request;		/* sent to the daemon with each job */
	/* Fill a compound payload with its default; NULL means zeroes. */
	void (*init)(void *payload);
	/*
	 * Check a new value (compound payload or &s64 for scalars after the
	 * generic min/max/step check).  Returns 0 or -EINVAL after logging
	 * the name of the offending field.  Like the kernel's
	 * std_validate_compound() it may normalise the payload in place
	 * (clear fields the syntax makes meaningless, zero reserved bytes),
	 * hence the non-const pointer.
	 */
	int (*validate)(void *payload);
};

/* Table entries: a menu control, and a per-request compound control. */
#define DD_CTRL_MENU(_id, _name, _min, _max, _def, _skip, _menu)	\
	{								\
		.id = (_id),						\
		.type = V4L2_CTRL_TYPE_MENU,				\
		.name = (_name),					\
		.min = (_min),						\
		.max = (_max),						\
		.step = 1,						\
		.def = (_def),						\
		.elem_size = sizeof(s32),				\
		.menu_skip_mask = (_skip),				\
		.menu = (_menu),					\
	}

#define DD_CTRL_COMPOUND(_id, _type, _name, _struct, _req, _init, _validate) \
	{								\
		.id = (_id),						\
		.type = (_type),					\
		.name = (_name),					\
		.elem_size = sizeof(_struct),				\
		.flags = V4L2_CTRL_FLAG_HAS_PAYLOAD,			\
		.required = (_req),					\
		.per_request = true,					\
		.init = (_init),					\
		.validate = (_validate),				\
	}

struct dd_codec {
	const char *name;		/* "h264" */
	const char *description;	/* ENUM_FMT description */
	u32 output_fourcc;		/* V4L2_PIX_FMT_H264_SLICE, ... */
	u32 proto_codec;		/* enum dd_codec_id */
	u32 min_width, max_width, step_width;
	u32 min_height, max_height, step_height;
	u32 mb_size;			/* coded size alignment (16 for H.264) */
	const struct dd_ctrl_desc *ctrls;
	unsigned int num_ctrls;
	/*
	 * Rules between the controls of one decode request, checked when it
	 * is queued: get(priv, id) is the payload the request itself carries
	 * for control `id`, or NULL; width x height the OUTPUT coded size.
	 * 0, or -EINVAL after one log line naming the field.  NULL: none.
	 */
	int (*check_request)(const void *(*get)(void *priv, u32 id), void *priv,
			     u32 width, u32 height);
	/*
	 * The picture bit depth: a value of control `depth_ctrl` (the HEVC
	 * SPS, the VP9 FRAME) announces it, depth(payload) reads it (8, 10).
	 * 0/NULL: the codec decodes 8-bit pictures only.  The CAPTURE
	 * formats follow the depth of the value set outside a request.
	 */
	u32 depth_ctrl;
	u32 (*depth)(const void *payload);
};

extern const struct dd_codec dd_codec_h264;
extern const struct dd_codec dd_codec_hevc;
extern const struct dd_codec dd_codec_mpeg2;
extern const struct dd_codec dd_codec_vp8;
extern const struct dd_codec dd_codec_vp9;

extern const struct dd_codec * const dd_codecs[];
extern const unsigned int dd_num_codecs;

const struct dd_codec *dd_codec_by_fourcc(u32 fourcc);
const struct dd_ctrl_desc *dd_codec_find_ctrl(const struct dd_codec *codec, u32 id);
/* The control with the lowest id greater than `id` over all codecs, or NULL. */
const struct dd_ctrl_desc *dd_codec_next_ctrl(u32 id, const struct dd_codec **codec);
/*
 * The required-controls rule of a decode request, for a front end that
 * keeps control values from request to request (v4l2-ctrls semantics:
 * GStreamer sends the SPS only when it changes).  Bit i of `carried` says
 * codec->ctrls[i] is in this request; bit i of *seen that an earlier
 * accepted request of the context carried it.  A required control must be
 * in one or the other: -ENOENT (logged, naming it) if not; on success the
 * carried controls are added to *seen.  Codecs have at most 64 controls.
 */
int dd_codec_check_required(const struct dd_codec *codec, u64 carried, u64 *seen);
/*
 * The bit depth a payload of control `id` announces for `codec`'s
 * pictures, or 0 when `id` is not the codec's depth control.
 */
u32 dd_codec_ctrl_depth(const struct dd_codec *codec, u32 id, const void *payload);
/* Number of elements of a control (product of its dims, at least 1). */
u32 dd_ctrl_elems(const struct dd_ctrl_desc *desc);
/*
 * Bytes of payload behind v4l2_ext_control.ptr that common/ reads or
 * writes for `c` (0 for scalars and unknown ids): what a front end must
 * bring in from, and copy back to, the client.
 */
size_t dd_ctrl_payload_len(const struct v4l2_ext_control *c);

#endif /* DD_CODEC_H */
