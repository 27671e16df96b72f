/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_ctrl.h - control values: one struct dd_ctrls holds a value for each
 * control of a codec (a context's current values, or the values a request
 * carries).  Implements QUERYCTRL/QUERY_EXT_CTRL/QUERYMENU and
 * G/TRY/S_EXT_CTRLS on such a set, with the generic checks (id, size,
 * range, step, menu) and the codec's own validation from dd_codec.h.
 *
 * Which set an ioctl targets (current vs. a request's) is decided by the
 * caller (dd_ioctl.c); this file never sees request fds.
 */
#ifndef DD_CTRL_H
#define DD_CTRL_H

#include "dd_os.h"
#include "dd_codec.h"

struct dd_ctrl_val {
	const struct dd_ctrl_desc *desc;
	void *p;			/* payload: s32/s64 scalar or compound */
	/*
	 * Payload bytes of the current value (elem_size * elems).  For a
	 * V4L2_CTRL_FLAG_DYNAMIC_ARRAY control the element count changes
	 * with each SET (1 .. dims[0]; 1 at init); `cap` is what p holds.
	 */
	u32 size;
	u32 cap;
	bool set;			/* written since init/clear */
};

struct dd_ctrls {
	const struct dd_codec *codec;
	unsigned int num;
	struct dd_ctrl_val *vals;
	void *payload;			/* backing store of every val->p */
};

/* Allocate one value per control of `codec`, each at its default. */
int dd_ctrls_init(struct dd_ctrls *c, const struct dd_codec *codec);
void dd_ctrls_free(struct dd_ctrls *c);
struct dd_ctrl_val *dd_ctrls_find(struct dd_ctrls *c, u32 id);
/* Forget which controls were set (a request being reinitialised). */
void dd_ctrls_clear_set(struct dd_ctrls *c);

int dd_ctrls_queryctrl(const struct dd_ctrls *c, struct v4l2_queryctrl *q);
int dd_ctrls_query_ext(const struct dd_ctrls *c, struct v4l2_query_ext_ctrl *q);
int dd_ctrls_querymenu(const struct dd_ctrls *c, struct v4l2_querymenu *m);

/*
 * The EXT_CTRLS family.  cs->controls and every payload pointer are client
 * pointers, read and written through dd_copy_from/to_client.  TRY and SET
 * check every control before changing any value and report the failing
 * index in cs->error_idx the way v4l2-ctrls does (count when the failure is
 * in the array as a whole).
 */
int dd_ctrls_get(struct dd_ctrls *c, struct v4l2_ext_controls *cs);
int dd_ctrls_try(struct dd_ctrls *c, struct v4l2_ext_controls *cs);
int dd_ctrls_set(struct dd_ctrls *c, struct v4l2_ext_controls *cs);
/*
 * SET with a last word for the caller: once every value is validated and
 * before any is committed, check(priv, desc, payload) runs for each
 * control of the array (payload: the new compound payload, or NULL for a
 * scalar); an error fails the SET with nothing changed, error_idx at that
 * control (a driver's s_ctrl refusing, e.g. -EBUSY for a new bit depth
 * while CAPTURE has buffers).
 */
typedef int (*dd_ctrls_check_fn)(void *priv, const struct dd_ctrl_desc *desc,
				 const void *payload);
int dd_ctrls_set_checked(struct dd_ctrls *c, struct v4l2_ext_controls *cs,
			 dd_ctrls_check_fn check, void *priv);
/* G/S_CTRL for scalar controls. */
int dd_ctrls_g_ctrl(struct dd_ctrls *c, struct v4l2_control *ctrl);
int dd_ctrls_s_ctrl(struct dd_ctrls *c, struct v4l2_control *ctrl);

/* Elements of the current value (the dynamic array's count, or all). */
static inline u32 dd_ctrl_val_elems(const struct dd_ctrl_val *v)
{
	return v->desc->elem_size ? v->size / v->desc->elem_size : 1;
}

/* Copy every value set in `src` into `dst` (marking them set there). */
void dd_ctrls_apply(struct dd_ctrls *dst, const struct dd_ctrls *src);
/*
 * Bit i set when codec control i was written in `c` since init/clear (the
 * codec table's indexing, as the required rule's `seen` bits).
 */
u64 dd_ctrls_set_mask(const struct dd_ctrls *c);
/*
 * -ENOENT (and a log line naming it) if a required control is neither set
 * in `req` nor carried by an earlier accepted request (`*seen`, a bit per
 * codec control, updated on success; NULL means no history).  The rule
 * itself is dd_codec_check_required(), shared with the kernel module.
 */
int dd_ctrls_check_required(const struct dd_ctrls *req, u64 *seen);
/*
 * The codec's check_request() rules over the controls request `req`
 * carries, against the OUTPUT coded size (dd_ctrl_check.c).
 */
int dd_ctrls_check_request(const struct dd_ctrls *req, u32 width, u32 height);
/*
 * The picture bit depth the codec's depth control in `c` announces
 * (dd_codec.h): 8 when the codec has none; with `set_only`, 0 when `c`
 * does not carry it (a request that leaves the SPS out).
 */
u32 dd_ctrls_depth(const struct dd_ctrls *c, bool set_only);

#endif /* DD_CTRL_H */
