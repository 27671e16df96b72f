// SPDX-License-Identifier: GPL-2.0-only
/*
 * dd_ctrls.c - the context's v4l2-ctrls handler, built from common/'s
 * codec tables (dd_codecs[]): every control of every codec with the
 * table's type, range, dimensions, menu and default payload; the table's
 * validate() runs as try_ctrl after the core's own checks, so a value the
 * daemon cannot decode is refused at S_EXT_CTRLS like the userspace front
 * end refuses it.  Dynamic arrays (V4L2_CTRL_FLAG_DYNAMIC_ARRAY in the
 * table, dims[0] their maximum) are the core's own (6.1 and 6.12 have them):
 * validate() runs on each element.  Also the table's "required" rule.
 */
#include <linux/slab.h>
#include <media/v4l2-ctrls.h>

#include "dd_drv.h"
#include "dd_fmt.h"

static int dd_kctrl_try(struct v4l2_ctrl *ctrl)
{
	const struct dd_ctrl_desc *desc = ctrl->priv;
	s64 v;

	if (!desc || !desc->validate)
		return 0;
	if (ctrl->is_ptr) {
		/* Every element: a dynamic array holds new_elems of them. */
		u32 n = ctrl->is_dyn_array ? ctrl->new_elems : ctrl->elems, i;
		int ret;

		for (i = 0; i < n; i++) {
			ret = desc->validate((u8 *)ctrl->p_new.p + (size_t)i * ctrl->elem_size);
			if (ret)
				return ret;
		}
		return 0;
	}
	v = ctrl->type == V4L2_CTRL_TYPE_INTEGER64 ? *ctrl->p_new.p_s64 : ctrl->val;
	return desc->validate(&v);
}

/*
 * A new current value (S_EXT_CTRLS without a request, or a request's
 * values applied when its job starts; both under the context lock, see
 * dd_vid_ioctl()): for the required rule the control counts as seen, as
 * common/'s front end counts it.  GStreamer sets the MPEG-2 sequence this
 * way at negotiation and sends it in requests only when it changes.
 * An SPS/FRAME of another bit depth resets the CAPTURE format to that
 * depth's, or fails with -EBUSY while CAPTURE has buffers (rkvdec and
 * hantro do the same); a request's value was checked against the CAPTURE
 * format when it was queued.
 */
static int dd_kctrl_set(struct v4l2_ctrl *ctrl)
{
	struct dd_kctx *ctx = container_of(ctrl->handler, struct dd_kctx, hdl);
	const struct dd_codec *codec = READ_ONCE(ctx->codec);
	unsigned int i;
	u32 depth;
	int ret;

	lockdep_assert_held(&ctx->lock);
	depth = ctrl->is_ptr ? dd_codec_ctrl_depth(codec, ctrl->id, ctrl->p_new.p) : 0;
	ret = dd_fmt_depth_may_change(depth, vb2_is_busy(&ctx->cap_q), &ctx->cap_fmt);
	if (ret)
		return ret;
	dd_fmt_set_depth(&ctx->out_fmt, depth, &ctx->cap_fmt);
	for (i = 0; codec && i < codec->num_ctrls && i < 64; i++)
		if (codec->ctrls[i].id == ctrl->id)
			ctx->ctrls_seen |= 1ull << i;
	return 0;
}

static const struct v4l2_ctrl_ops dd_kctrl_ops = {
	.try_ctrl = dd_kctrl_try,
	.s_ctrl = dd_kctrl_set,
};

/*
 * Compound controls: the table's validate() before the core's own checks
 * (std_validate), not only after them as try_ctrl: the core refuses an
 * out-of-range H.264 field silently, the table logs the field's name.
 * validate_new() is the core's only caller, on p_new; anything else gets
 * the core's checks alone (try_ctrl still follows for user values).
 */
static int dd_kctrl_type_validate(const struct v4l2_ctrl *ctrl, union v4l2_ctrl_ptr ptr)
{
	int ret = 0;

	if (ctrl->is_ptr && ptr.p == ctrl->p_new.p)
		ret = dd_kctrl_try((struct v4l2_ctrl *)ctrl);
	return ret ? ret : v4l2_ctrl_type_op_validate(ctrl, ptr);
}

static const struct v4l2_ctrl_type_ops dd_kctrl_type_ops = {
	.equal = v4l2_ctrl_type_op_equal,
	.init = v4l2_ctrl_type_op_init,
	.log = v4l2_ctrl_type_op_log,
	.validate = dd_kctrl_type_validate,
};

static bool dd_kctrl_is_menu(u32 type)
{
	return type == V4L2_CTRL_TYPE_MENU || type == V4L2_CTRL_TYPE_INTEGER_MENU;
}

/* The default payload of a compound control, from the table's init(). */
static void *dd_kctrl_default(const struct dd_ctrl_desc *desc)
{
	void *p;

	if (!desc->init || desc->type < V4L2_CTRL_COMPOUND_TYPES)
		return NULL;
	p = kzalloc((size_t)desc->elem_size * dd_ctrl_elems(desc), GFP_KERNEL);
	if (p)
		desc->init(p);
	return p;
}

static int dd_kctrl_add(struct dd_kctx *ctx, const struct dd_ctrl_desc *desc)
{
	struct v4l2_ctrl_config cfg = {
		.ops = &dd_kctrl_ops,
		.id = desc->id,
		.name = desc->name,
		.type = desc->type,
		.min = desc->min,
		.max = desc->max,
		.def = desc->def,
		.elem_size = desc->elem_size,
		/* The core sets HAS_PAYLOAD itself for compound types. */
		.flags = desc->flags & ~V4L2_CTRL_FLAG_HAS_PAYLOAD,
	};
	struct v4l2_ctrl *ctrl;
	void *def;
	unsigned int i;

	for (i = 0; i < DD_CTRL_MAX_DIMS && i < V4L2_CTRL_MAX_DIMS; i++)
		cfg.dims[i] = desc->dims[i];
	if (dd_kctrl_is_menu(desc->type)) {
		cfg.menu_skip_mask = desc->menu_skip_mask;
		cfg.qmenu = desc->menu;
	} else {
		cfg.step = desc->step;
	}
	if (desc->type >= V4L2_CTRL_COMPOUND_TYPES)
		cfg.type_ops = &dd_kctrl_type_ops;
	def = dd_kctrl_default(desc);
	if (def)
		cfg.p_def.p_const = def;
	/* The core copies p_def into the control's own storage. */
	ctrl = v4l2_ctrl_new_custom(&ctx->hdl, &cfg, (void *)desc);
	kfree(def);
	if (!ctrl) {
		v4l2_err(&ctx->dd->v4l2_dev, "control %s (0x%08x): error %d\n",
			 desc->name, desc->id, ctx->hdl.error);
		return ctx->hdl.error ? ctx->hdl.error : -EINVAL;
	}
	return 0;
}

int dd_kctrls_create(struct dd_kctx *ctx)
{
	unsigned int i, j, n = 0;
	size_t scratch = 0;
	int ret;

	for (i = 0; i < dd_num_codecs; i++)
		n += dd_codecs[i]->num_ctrls;
	v4l2_ctrl_handler_init(&ctx->hdl, n);
	for (i = 0; i < dd_num_codecs; i++) {
		const struct dd_codec *codec = dd_codecs[i];
		size_t sz = 0;

		for (j = 0; j < codec->num_ctrls; j++) {
			const struct dd_ctrl_desc *desc = &codec->ctrls[j];

			/* Codecs may share a control (e.g. a menu): add it once. */
			if (v4l2_ctrl_find(&ctx->hdl, desc->id))
				continue;
			ret = dd_kctrl_add(ctx, desc);
			if (ret)
				goto err;
		}
		for (j = 0; j < codec->num_ctrls; j++)
			if (codec->ctrls[j].per_request)
				sz += ALIGN((size_t)codec->ctrls[j].elem_size *
					    dd_ctrl_elems(&codec->ctrls[j]), 8);
		scratch = max(scratch, sz);
	}
	if (ctx->hdl.error) {
		ret = ctx->hdl.error;
		goto err;
	}
	ctx->ctrl_scratch = kzalloc(scratch ? scratch : 8, GFP_KERNEL);
	if (!ctx->ctrl_scratch) {
		ret = -ENOMEM;
		goto err;
	}
	ctx->ctrl_scratch_size = scratch;
	ctx->fh.ctrl_handler = &ctx->hdl;
	return 0;
err:
	v4l2_ctrl_handler_free(&ctx->hdl);
	return ret;
}

/*
 * A decode request needs the controls the codec table marks required, in
 * the request itself or in an earlier request of this context: a control
 * keeps its value from request to request (v4l2-ctrls semantics), and
 * clients rely on it (GStreamer sends the SPS only when it changes).  The
 * rule is common/'s dd_codec_check_required().
 */
int dd_kctrls_check_required(struct dd_kctx *ctx, struct v4l2_ctrl_handler *req_hdl)
{
	const struct dd_codec *codec = READ_ONCE(ctx->codec);
	u64 carried = 0;
	unsigned int i;

	for (i = 0; req_hdl && i < codec->num_ctrls && i < 64; i++)
		if (v4l2_ctrl_request_hdl_ctrl_find(req_hdl, codec->ctrls[i].id))
			carried |= 1ull << i;
	/* Validation runs under the media device's request mutex. */
	return dd_codec_check_required(codec, carried, &ctx->ctrls_seen);
}

/* The payload request handler `priv` carries for control `id`, or NULL. */
static const void *dd_kctrl_req_get(void *priv, u32 id)
{
	struct v4l2_ctrl_handler *hdl = priv;
	struct v4l2_ctrl_ref *ref;

	list_for_each_entry(ref, &hdl->ctrl_refs, node)
		if (ref->ctrl->id == id)
			return ref->p_req_valid ? ref->p_req.p : NULL;
	return NULL;
}

/*
 * The codec table's rules between the controls of one request (a PPS that
 * names another SPS, a frame_num wider than the SPS allows, a picture
 * larger than the OUTPUT format...), on the values the request carries.
 */
int dd_kctrls_check_request(struct dd_kctx *ctx, struct v4l2_ctrl_handler *req_hdl)
{
	const struct dd_codec *codec = READ_ONCE(ctx->codec);
	int ret;

	if (!req_hdl || !codec || !codec->check_request)
		return 0;
	mutex_lock(req_hdl->lock);
	ret = codec->check_request(dd_kctrl_req_get, req_hdl,
				   ctx->out_fmt.fmt.pix_mp.width,
				   ctx->out_fmt.fmt.pix_mp.height);
	mutex_unlock(req_hdl->lock);
	return ret;
}

u32 dd_kctrls_depth(struct dd_kctx *ctx)
{
	const struct dd_codec *codec = ctx->codec;
	struct v4l2_ctrl *ctrl;
	u32 depth;

	if (!codec || !codec->depth_ctrl)
		return DD_FMT_DEPTH_8;
	ctrl = v4l2_ctrl_find(&ctx->hdl, codec->depth_ctrl);
	if (!ctrl)
		return DD_FMT_DEPTH_8;
	v4l2_ctrl_lock(ctrl);
	depth = dd_codec_ctrl_depth(codec, ctrl->id, ctrl->p_cur.p);
	v4l2_ctrl_unlock(ctrl);
	return depth ? depth : DD_FMT_DEPTH_8;
}

/*
 * The picture depth the job will decode with (the request's SPS/FRAME, or
 * the current one if it carries none) against the CAPTURE format's: a
 * 10-bit picture does not fit NV12, nor an 8-bit one P010.
 */
int dd_kctrls_check_depth(struct dd_kctx *ctx, struct v4l2_ctrl_handler *req_hdl)
{
	const struct dd_codec *codec;
	const void *p;
	u32 depth = 0;
	int ret;

	mutex_lock(&ctx->lock);
	codec = ctx->codec;
	if (!codec || !codec->depth_ctrl) {
		mutex_unlock(&ctx->lock);
		return 0;
	}
	if (req_hdl) {
		mutex_lock(req_hdl->lock);
		p = dd_kctrl_req_get(req_hdl, codec->depth_ctrl);
		if (p)
			depth = dd_codec_ctrl_depth(codec, codec->depth_ctrl, p);
		mutex_unlock(req_hdl->lock);
	}
	if (!depth)
		depth = dd_kctrls_depth(ctx);
	ret = dd_fmt_request_depth_ok(codec->name, depth, &ctx->cap_fmt);
	mutex_unlock(&ctx->lock);
	return ret;
}
