// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_ctrl_check.c - the codec's rules between the controls of one decode
 * request (struct dd_codec's check_request), run by the userspace front
 * end when a request is queued.  Only the values the request itself
 * carries take part: a control it does not carry keeps a value that was
 * checked with the request that set it.  Also the picture bit depth a
 * set of values announces (the CAPTURE formats follow it).
 */
#include "dd_codec.h"
#include "dd_ctrl.h"
#include "dd_fmt.h"

static const void *dd_ctrls_req_get(void *priv, u32 id)
{
	const struct dd_ctrls *req = priv;
	unsigned int i;

	for (i = 0; i < req->num; i++)
		if (req->vals[i].set && req->vals[i].desc->id == id)
			return req->vals[i].p;
	return NULL;
}

int dd_ctrls_check_request(const struct dd_ctrls *req, u32 width, u32 height)
{
	const struct dd_codec *codec = req->codec;

	if (!codec || !codec->check_request)
		return 0;
	return codec->check_request(dd_ctrls_req_get, (void *)req, width, height);
}

u32 dd_ctrls_depth(const struct dd_ctrls *c, bool set_only)
{
	const struct dd_codec *codec = c->codec;
	unsigned int i;

	if (!codec || !codec->depth_ctrl)
		return set_only ? 0 : DD_FMT_DEPTH_8;
	for (i = 0; i < c->num; i++) {
		const struct dd_ctrl_val *v = &c->vals[i];

		if (v->desc->id != codec->depth_ctrl)
			continue;
		if (set_only && !v->set)
			return 0;
		return dd_codec_ctrl_depth(codec, v->desc->id, v->p);
	}
	return set_only ? 0 : DD_FMT_DEPTH_8;
}
