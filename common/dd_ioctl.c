// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_ioctl.c - the VIDIOC_* dispatcher: capability, formats, frame sizes,
 * controls (current values and request values) and the buffer ioctls,
 * each under the context's lock, with the errnos the kernel returns.
 */
#include "dd_ioctl.h"
#include "dd_ctx.h"
#include "dd_fmt.h"
#include "dd_request.h"

#define DD_VERSION_CODE		((6u << 16) | (1u << 8))

void dd_ioctl_querycap(struct v4l2_capability *cap)
{
	memset(cap, 0, sizeof(*cap));
	snprintf((char *)cap->driver, sizeof(cap->driver), "%s", DD_DRIVER_NAME);
	snprintf((char *)cap->card, sizeof(cap->card), "%s", DD_CARD_NAME);
	snprintf((char *)cap->bus_info, sizeof(cap->bus_info), "%s", DD_BUS_INFO);
	cap->version = DD_VERSION_CODE;
	cap->device_caps = V4L2_CAP_VIDEO_M2M_MPLANE | V4L2_CAP_STREAMING;
	cap->capabilities = cap->device_caps | V4L2_CAP_DEVICE_CAPS;
}

static int dd_ioctl_enum_fmt(struct dd_ctx *ctx, struct v4l2_fmtdesc *f)
{
	if (f->type == ctx->out_fmt.type)
		return dd_fmt_enum_output(f);
	if (f->type == ctx->cap_fmt.type)
		return dd_fmt_enum_capture(ctx->codec, dd_fmt_cap_depth(&ctx->cap_fmt), f);
	return -EINVAL;
}

static int dd_ioctl_g_fmt(struct dd_ctx *ctx, struct v4l2_format *f)
{
	if (f->type == ctx->out_fmt.type)
		*f = ctx->out_fmt;
	else if (f->type == ctx->cap_fmt.type)
		*f = ctx->cap_fmt;
	else
		return -EINVAL;
	return 0;
}

static int dd_ioctl_try_fmt(struct dd_ctx *ctx, struct v4l2_format *f)
{
	if (f->type == ctx->out_fmt.type)
		return dd_fmt_try_output(f);
	if (f->type == ctx->cap_fmt.type)
		return dd_fmt_try_capture(&ctx->out_fmt, dd_fmt_cap_depth(&ctx->cap_fmt), f);
	return -EINVAL;
}

static int dd_ioctl_s_fmt(struct dd_ctx *ctx, struct v4l2_format *f)
{
	struct dd_fmt_busy busy = {
		.out_streaming = ctx->out_q.streaming,
		.out_busy = dd_queue_busy(&ctx->out_q),
		.cap_busy = dd_queue_busy(&ctx->cap_q),
	};
	const struct dd_codec *codec;
	int ret;

	if (f->type != ctx->out_fmt.type && f->type != ctx->cap_fmt.type)
		return -EINVAL;
	/* Like cedrus: see dd_fmt_s_fmt_busy(). */
	ret = dd_fmt_s_fmt_busy(&ctx->out_fmt, f, &busy);
	if (ret) {
		dd_dbg("ctx %u: S_FMT(%u) while busy", dd_ctx_id(ctx), f->type);
		return ret;
	}
	if (f->type == ctx->cap_fmt.type) {
		ret = dd_fmt_try_capture(&ctx->out_fmt, dd_fmt_cap_depth(&ctx->cap_fmt), f);
		if (ret)
			return ret;
		ctx->cap_fmt = *f;
		return 0;
	}
	ret = dd_fmt_try_output(f);
	if (ret)
		return ret;
	codec = dd_codec_by_fourcc(f->fmt.pix_mp.pixelformat);
	if (!codec)
		return -EINVAL;
	ret = dd_ctx_set_codec(ctx, codec);
	if (ret)
		return ret;
	ctx->out_fmt = *f;
	/* The new codec's (fresh) controls, or the same stream's: their depth. */
	dd_fmt_propagate(&ctx->out_fmt, dd_ctrls_depth(&ctx->ctrls, false), &ctx->cap_fmt);
	return 0;
}

/*
 * G_SELECTION on CAPTURE: the picture is the coded size (cedrus reports
 * the same); the composing rectangle cannot be changed.
 */
static int dd_ioctl_g_selection(struct dd_ctx *ctx, struct v4l2_selection *sel)
{
	const struct v4l2_pix_format_mplane *out = &ctx->out_fmt.fmt.pix_mp;
	const struct v4l2_pix_format_mplane *cap = &ctx->cap_fmt.fmt.pix_mp;

	if (sel->type != V4L2_BUF_TYPE_VIDEO_CAPTURE && sel->type != ctx->cap_fmt.type)
		return -EINVAL;
	/* The kernel's ioctl core clears what follows r (INFO_FL_CLEAR). */
	memset(sel->reserved, 0, sizeof(sel->reserved));
	sel->r.left = 0;
	sel->r.top = 0;
	switch (sel->target) {
	case V4L2_SEL_TGT_COMPOSE:
	case V4L2_SEL_TGT_COMPOSE_DEFAULT:
	case V4L2_SEL_TGT_COMPOSE_BOUNDS:
		sel->r.width = out->width;
		sel->r.height = out->height;
		return 0;
	case V4L2_SEL_TGT_COMPOSE_PADDED:
		sel->r.width = cap->width;
		sel->r.height = cap->height;
		return 0;
	default:
		return -EINVAL;
	}
}

/* The control set an EXT_CTRLS call targets, with a request reference. */
static int dd_ioctl_ctrls_of(struct dd_ctx *ctx, struct v4l2_ext_controls *cs, bool update,
			     struct dd_ctrls **ctrls, struct dd_request **reqp)
{
	const struct dd_dev_ops *ops = ctx->dev->ops;
	struct dd_request *req;
	int ret;

	*reqp = NULL;
	if (cs->which != V4L2_CTRL_WHICH_REQUEST_VAL) {
		*ctrls = &ctx->ctrls;
		return 0;
	}
	if (cs->request_fd < 0) {
		dd_dbg("ctx %u: EXT_CTRLS: bad request fd %d", dd_ctx_id(ctx), cs->request_fd);
		return -EINVAL;
	}
	req = ops && ops->request_get ? ops->request_get(ctx->dev->fe, ctx, cs->request_fd) :
		NULL;
	if (!req) {
		dd_dbg("ctx %u: EXT_CTRLS: fd %d is no request", dd_ctx_id(ctx), cs->request_fd);
		return -EINVAL;
	}
	ret = dd_request_ctrls(req, ctx, update, ctrls);
	if (ret) {
		dd_request_put(req);
		return ret;
	}
	*reqp = req;
	return 0;
}

/*
 * A control set on the context itself (not a request) that announces a
 * new bit depth: refused while CAPTURE has buffers (as rkvdec/hantro's
 * s_ctrl), the CAPTURE format follows once it is set.
 */
static int dd_ioctl_depth_check(void *priv, const struct dd_ctrl_desc *desc,
				const void *payload)
{
	struct dd_ctx *ctx = priv;
	u32 depth = dd_codec_ctrl_depth(ctx->codec, desc->id, payload);

	return dd_fmt_depth_may_change(depth, dd_queue_busy(&ctx->cap_q), &ctx->cap_fmt);
}

static int dd_ioctl_s_cur_ctrls(struct dd_ctx *ctx, struct v4l2_ext_controls *cs)
{
	int ret = dd_ctrls_set_checked(&ctx->ctrls, cs, dd_ioctl_depth_check, ctx);

	if (!ret)
		dd_fmt_set_depth(&ctx->out_fmt, dd_ctrls_depth(&ctx->ctrls, false),
				 &ctx->cap_fmt);
	return ret;
}

static int dd_ioctl_ext_ctrls(struct dd_ctx *ctx, unsigned int cmd,
			      struct v4l2_ext_controls *cs)
{
	struct dd_request *req;
	struct dd_ctrls *ctrls;
	int ret;

	if (cmd != VIDIOC_G_EXT_CTRLS && cs->which == V4L2_CTRL_WHICH_DEF_VAL)
		return -EINVAL;
	ret = dd_ioctl_ctrls_of(ctx, cs, cmd != VIDIOC_G_EXT_CTRLS, &ctrls, &req);
	if (ret)
		return ret;
	if (cmd == VIDIOC_G_EXT_CTRLS)
		ret = dd_ctrls_get(ctrls, cs);
	else if (cmd == VIDIOC_TRY_EXT_CTRLS)
		ret = dd_ctrls_try(ctrls, cs);
	else if (!req)
		ret = dd_ioctl_s_cur_ctrls(ctx, cs);
	else
		ret = dd_ctrls_set(ctrls, cs);
	if (req)
		dd_request_put(req);
	return ret;
}

static long dd_ioctl_locked(struct dd_ctx *ctx, unsigned int cmd, void *arg)
{
	switch (cmd) {
	case VIDIOC_ENUM_FMT:
		return dd_ioctl_enum_fmt(ctx, arg);
	case VIDIOC_G_FMT:
		return dd_ioctl_g_fmt(ctx, arg);
	case VIDIOC_TRY_FMT:
		return dd_ioctl_try_fmt(ctx, arg);
	case VIDIOC_S_FMT:
		return dd_ioctl_s_fmt(ctx, arg);
	case VIDIOC_REQBUFS:
		return dd_ctx_reqbufs(ctx, arg);
	case VIDIOC_CREATE_BUFS:
		return dd_ctx_create_bufs(ctx, arg);
	case VIDIOC_QUERYBUF:
		return dd_ctx_querybuf(ctx, arg);
	case VIDIOC_PREPARE_BUF:
		return dd_ctx_prepare_buf(ctx, arg);
	case VIDIOC_QBUF:
		return dd_ctx_qbuf(ctx, arg);
	case VIDIOC_DQBUF:
		return dd_ctx_dqbuf(ctx, arg);
	case VIDIOC_STREAMON:
		return dd_ctx_streamon(ctx, *(u32 *)arg);
	case VIDIOC_STREAMOFF:
		return dd_ctx_streamoff(ctx, *(u32 *)arg);
	case VIDIOC_QUERYCTRL:
		return dd_ctrls_queryctrl(&ctx->ctrls, arg);
	case VIDIOC_QUERY_EXT_CTRL:
		return dd_ctrls_query_ext(&ctx->ctrls, arg);
	case VIDIOC_QUERYMENU:
		return dd_ctrls_querymenu(&ctx->ctrls, arg);
	case VIDIOC_G_CTRL:
		return dd_ctrls_g_ctrl(&ctx->ctrls, arg);
	case VIDIOC_S_CTRL:
		return dd_ctrls_s_ctrl(&ctx->ctrls, arg);
	case VIDIOC_G_EXT_CTRLS:
	case VIDIOC_S_EXT_CTRLS:
	case VIDIOC_TRY_EXT_CTRLS:
		return dd_ioctl_ext_ctrls(ctx, cmd, arg);
	case VIDIOC_G_SELECTION:
		return dd_ioctl_g_selection(ctx, arg);
	case VIDIOC_TRY_DECODER_CMD:
		return dd_ctx_try_decoder_cmd(ctx, arg);
	case VIDIOC_DECODER_CMD:
		return dd_ctx_decoder_cmd(ctx, arg);
	default:
		return -ENOTTY;
	}
}

/* The ioctls dd_ioctl() implements (all but LOG_STATUS take an argument). */
static const unsigned int dd_ioctl_cmds[] = {
	VIDIOC_QUERYCAP, VIDIOC_ENUM_FMT, VIDIOC_ENUM_FRAMESIZES, VIDIOC_G_FMT,
	VIDIOC_S_FMT, VIDIOC_TRY_FMT, VIDIOC_REQBUFS, VIDIOC_CREATE_BUFS, VIDIOC_QUERYBUF,
	VIDIOC_PREPARE_BUF, VIDIOC_QBUF, VIDIOC_DQBUF, VIDIOC_STREAMON, VIDIOC_STREAMOFF,
	VIDIOC_QUERYCTRL, VIDIOC_QUERY_EXT_CTRL, VIDIOC_QUERYMENU, VIDIOC_G_CTRL,
	VIDIOC_S_CTRL, VIDIOC_G_EXT_CTRLS, VIDIOC_S_EXT_CTRLS, VIDIOC_TRY_EXT_CTRLS,
	VIDIOC_G_SELECTION, VIDIOC_TRY_DECODER_CMD, VIDIOC_DECODER_CMD,
};

static bool dd_ioctl_known(unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dd_ioctl_cmds); i++)
		if (dd_ioctl_cmds[i] == cmd)
			return true;
	return false;
}

long dd_ioctl(struct dd_ctx *ctx, unsigned int cmd, void *arg)
{
	long ret;

	/* Like video_ioctl2: an unknown ioctl is ENOTTY whatever its argument. */
	if (!arg && cmd != VIDIOC_LOG_STATUS)
		return dd_ioctl_known(cmd) ? -EFAULT : -ENOTTY;
	switch (cmd) {
	case VIDIOC_QUERYCAP:
		dd_ioctl_querycap(arg);
		return 0;
	case VIDIOC_ENUM_FRAMESIZES:
		return dd_fmt_enum_framesizes(arg);
	case VIDIOC_LOG_STATUS:
		return 0;
	default:
		break;
	}
	dd_mutex_lock(&ctx->lock);
	ret = dd_ioctl_locked(ctx, cmd, arg);
	dd_mutex_unlock(&ctx->lock);
	return ret;
}
