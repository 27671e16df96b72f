// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_codec.c - the list of codecs the device offers and lookups over their
 * tables: by OUTPUT fourcc, control by id, the next control in id order
 * (for V4L2_CTRL_FLAG_NEXT_CTRL enumeration) and a control's element count.
 * The per-codec tables themselves live in dd_codec_<name>.c.
 */
#include "dd_codec.h"

const struct dd_codec * const dd_codecs[] = {
	&dd_codec_h264,
	&dd_codec_hevc,
	&dd_codec_mpeg2,
	&dd_codec_vp8,
	&dd_codec_vp9,
};

const unsigned int dd_num_codecs = ARRAY_SIZE(dd_codecs);

const struct dd_codec *dd_codec_by_fourcc(u32 fourcc)
{
	unsigned int i;

	for (i = 0; i < dd_num_codecs; i++)
		if (dd_codecs[i]->output_fourcc == fourcc)
			return dd_codecs[i];
	return NULL;
}

const struct dd_ctrl_desc *dd_codec_find_ctrl(const struct dd_codec *codec, u32 id)
{
	unsigned int i;

	if (!codec)
		return NULL;
	for (i = 0; i < codec->num_ctrls; i++)
		if (codec->ctrls[i].id == id)
			return &codec->ctrls[i];
	return NULL;
}

const struct dd_ctrl_desc *dd_codec_next_ctrl(u32 id, const struct dd_codec **codec)
{
	const struct dd_ctrl_desc *best = NULL;
	const struct dd_codec *best_codec = NULL;
	unsigned int i, j;

	for (i = 0; i < dd_num_codecs; i++) {
		const struct dd_codec *c = dd_codecs[i];

		for (j = 0; j < c->num_ctrls; j++) {
			const struct dd_ctrl_desc *d = &c->ctrls[j];

			if (d->id > id && (!best || d->id < best->id)) {
				best = d;
				best_codec = c;
			}
		}
	}
	if (codec)
		*codec = best_codec;
	return best;
}

u32 dd_codec_ctrl_depth(const struct dd_codec *codec, u32 id, const void *payload)
{
	if (!codec || !codec->depth || !codec->depth_ctrl || id != codec->depth_ctrl ||
	    !payload)
		return 0;
	return codec->depth(payload);
}

u32 dd_ctrl_elems(const struct dd_ctrl_desc *desc)
{
	u32 elems = 1;
	unsigned int i;

	for (i = 0; i < DD_CTRL_MAX_DIMS && desc->dims[i]; i++)
		elems *= desc->dims[i];
	return elems;
}

size_t dd_ctrl_payload_len(const struct v4l2_ext_control *c)
{
	const struct dd_ctrl_desc *d = NULL;
	unsigned int i;
	size_t want;

	for (i = 0; i < dd_num_codecs && !d; i++)
		d = dd_codec_find_ctrl(dd_codecs[i], c->id);
	if (!d)
		return 0;
	if (d->type < V4L2_CTRL_COMPOUND_TYPES && !d->dims[0] &&
	    d->type != V4L2_CTRL_TYPE_STRING)
		return 0;
	/* common/ never touches more than the control's own size. */
	want = (size_t)d->elem_size * dd_ctrl_elems(d);
	return c->size < want ? c->size : want;
}

int dd_codec_check_required(const struct dd_codec *codec, u64 carried, u64 *seen)
{
	unsigned int i;

	for (i = 0; i < codec->num_ctrls && i < 64; i++) {
		const struct dd_ctrl_desc *d = &codec->ctrls[i];
		u64 bit = 1ull << i;

		if (d->required && !((carried | *seen) & bit)) {
			dd_err("%s request lacks required control '%s' (0x%08x)",
			       codec->name, d->name, d->id);
			return -ENOENT;
		}
	}
	*seen |= carried;
	return 0;
}
