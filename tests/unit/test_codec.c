// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_codec.c - the codec table: lookups, control order and element
 * counts, and the H.264 control descriptors clients rely on.
 */
#include <criterion/criterion.h>

#include "dd_codec.h"
#include "dd_proto.h"

Test(codec, table_has_h264_first)
{
	cr_assert_geq(dd_num_codecs, 1);
	cr_assert_eq(dd_codecs[0], &dd_codec_h264);
	cr_assert_str_eq(dd_codec_h264.name, "h264");
	cr_assert_eq(dd_codec_h264.proto_codec, DD_CODEC_H264);
}

Test(codec, by_fourcc)
{
	cr_assert_eq(dd_codec_by_fourcc(V4L2_PIX_FMT_H264_SLICE), &dd_codec_h264);
	cr_assert_null(dd_codec_by_fourcc(V4L2_PIX_FMT_H264));
	cr_assert_null(dd_codec_by_fourcc(V4L2_PIX_FMT_NV12));
	cr_assert_null(dd_codec_by_fourcc(0));
}

Test(codec, h264_frame_limits)
{
	const struct dd_codec *c = &dd_codec_h264;

	cr_assert_eq(c->output_fourcc, V4L2_PIX_FMT_H264_SLICE);
	cr_assert_eq(c->min_width, 16);
	cr_assert_eq(c->max_width, 4096);
	cr_assert_eq(c->min_height, 16);
	cr_assert_eq(c->max_height, 2304);
	cr_assert_eq(c->step_width, 16);
	cr_assert_eq(c->step_height, 16);
	cr_assert_eq(c->mb_size, 16);
}

Test(codec, find_ctrl)
{
	const struct dd_ctrl_desc *d;

	d = dd_codec_find_ctrl(&dd_codec_h264, V4L2_CID_STATELESS_H264_SPS);
	cr_assert_not_null(d);
	cr_assert_eq(d->id, V4L2_CID_STATELESS_H264_SPS);
	cr_assert_null(dd_codec_find_ctrl(&dd_codec_h264, V4L2_CID_BRIGHTNESS));
	cr_assert_null(dd_codec_find_ctrl(&dd_codec_h264,
					  V4L2_CID_STATELESS_VP8_FRAME));
	cr_assert_null(dd_codec_find_ctrl(NULL, V4L2_CID_STATELESS_H264_SPS));
}

Test(codec, next_ctrl_walks_all_in_id_order)
{
	const struct dd_codec *codec = NULL;
	const struct dd_ctrl_desc *d;
	unsigned int n = 0, total = 0, i;
	u32 id = 0;

	for (i = 0; i < dd_num_codecs; i++)
		total += dd_codecs[i]->num_ctrls;
	while ((d = dd_codec_next_ctrl(id, &codec))) {
		cr_assert_gt(d->id, id);
		cr_assert_not_null(codec);
		cr_assert_eq(dd_codec_find_ctrl(codec, d->id), d);
		id = d->id;
		n++;
	}
	cr_assert_eq(n, total);
	cr_assert_null(codec, "no codec reported past the end");
	/* The first H.264 control is the level menu (lowest id). */
	d = dd_codec_next_ctrl(0, NULL);
	cr_assert_eq(d->id, V4L2_CID_MPEG_VIDEO_H264_LEVEL);
	d = dd_codec_next_ctrl(V4L2_CID_STATELESS_H264_SPS, NULL);
	cr_assert_eq(d->id, V4L2_CID_STATELESS_H264_PPS);
	cr_assert_null(dd_codec_next_ctrl(0xffffffff, NULL));
}

Test(codec, ctrl_elems)
{
	struct dd_ctrl_desc d = { .elem_size = 4 };

	cr_assert_eq(dd_ctrl_elems(&d), 1);
	d.dims[0] = 6;
	cr_assert_eq(dd_ctrl_elems(&d), 6);
	d.dims[1] = 16;
	cr_assert_eq(dd_ctrl_elems(&d), 96);
	d.dims[0] = 2;
	d.dims[1] = 3;
	d.dims[2] = 4;
	d.dims[3] = 5;
	cr_assert_eq(dd_ctrl_elems(&d), 120);
}

static const struct dd_ctrl_desc *tc_ctrl(u32 id)
{
	const struct dd_ctrl_desc *d = dd_codec_find_ctrl(&dd_codec_h264, id);

	cr_assert_not_null(d, "control 0x%x missing", id);
	return d;
}

struct tc_compound {
	u32 id;
	u32 type;
	u32 size;
	bool required;
};

Test(codec, h264_compound_descriptors)
{
	static const struct tc_compound want[] = {
		{ V4L2_CID_STATELESS_H264_SPS, V4L2_CTRL_TYPE_H264_SPS,
		  sizeof(struct v4l2_ctrl_h264_sps), true },
		{ V4L2_CID_STATELESS_H264_PPS, V4L2_CTRL_TYPE_H264_PPS,
		  sizeof(struct v4l2_ctrl_h264_pps), true },
		{ V4L2_CID_STATELESS_H264_SCALING_MATRIX,
		  V4L2_CTRL_TYPE_H264_SCALING_MATRIX,
		  sizeof(struct v4l2_ctrl_h264_scaling_matrix), false },
		{ V4L2_CID_STATELESS_H264_PRED_WEIGHTS,
		  V4L2_CTRL_TYPE_H264_PRED_WEIGHTS,
		  sizeof(struct v4l2_ctrl_h264_pred_weights), false },
		{ V4L2_CID_STATELESS_H264_SLICE_PARAMS,
		  V4L2_CTRL_TYPE_H264_SLICE_PARAMS,
		  sizeof(struct v4l2_ctrl_h264_slice_params), false },
		{ V4L2_CID_STATELESS_H264_DECODE_PARAMS,
		  V4L2_CTRL_TYPE_H264_DECODE_PARAMS,
		  sizeof(struct v4l2_ctrl_h264_decode_params), true },
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct dd_ctrl_desc *d = tc_ctrl(want[i].id);

		cr_assert_eq(d->type, want[i].type, "type of %s", d->name);
		cr_assert_eq(d->elem_size, want[i].size, "size of %s", d->name);
		cr_assert_eq(d->required, want[i].required, "required %s", d->name);
		cr_assert(d->per_request, "%s per request", d->name);
		cr_assert(d->flags & V4L2_CTRL_FLAG_HAS_PAYLOAD);
		cr_assert_eq(dd_ctrl_elems(d), 1, "%s is one element", d->name);
		for (j = 0; j < DD_CTRL_MAX_DIMS; j++)
			cr_assert_eq(d->dims[j], 0);
		cr_assert_eq(d->min, 0);
		cr_assert_eq(d->max, 0);
		cr_assert_eq(d->def, 0);
		cr_assert_not_null(d->name);
	}
}

Test(codec, h264_menus)
{
	const struct dd_ctrl_desc *d;

	d = tc_ctrl(V4L2_CID_STATELESS_H264_DECODE_MODE);
	cr_assert_eq(d->type, V4L2_CTRL_TYPE_MENU);
	cr_assert_eq(d->min, V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED);
	cr_assert_eq(d->max, V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED);
	cr_assert_eq(d->def, V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED);
	cr_assert_str_eq(d->menu[d->def], "Frame-Based");
	cr_assert_not(d->per_request);

	d = tc_ctrl(V4L2_CID_STATELESS_H264_START_CODE);
	cr_assert_eq(d->type, V4L2_CTRL_TYPE_MENU);
	cr_assert_eq(d->def, V4L2_STATELESS_H264_START_CODE_ANNEX_B);
	cr_assert_eq(d->min, d->def);
	cr_assert_eq(d->max, d->def);
	cr_assert_str_eq(d->menu[d->def], "Annex B Start Code");

	d = tc_ctrl(V4L2_CID_MPEG_VIDEO_H264_PROFILE);
	cr_assert_eq(d->type, V4L2_CTRL_TYPE_MENU);
	cr_assert_eq(d->min, V4L2_MPEG_VIDEO_H264_PROFILE_BASELINE);
	cr_assert_eq(d->max, V4L2_MPEG_VIDEO_H264_PROFILE_HIGH);
	cr_assert_eq(d->def, V4L2_MPEG_VIDEO_H264_PROFILE_HIGH);
	cr_assert(d->menu_skip_mask & BIT(V4L2_MPEG_VIDEO_H264_PROFILE_EXTENDED));
	cr_assert_not(d->menu_skip_mask & BIT(V4L2_MPEG_VIDEO_H264_PROFILE_MAIN));
	cr_assert_str_eq(d->menu[V4L2_MPEG_VIDEO_H264_PROFILE_CONSTRAINED_BASELINE],
			 "Constrained Baseline");
	cr_assert_str_eq(d->menu[V4L2_MPEG_VIDEO_H264_PROFILE_HIGH], "High");

	d = tc_ctrl(V4L2_CID_MPEG_VIDEO_H264_LEVEL);
	cr_assert_eq(d->type, V4L2_CTRL_TYPE_MENU);
	cr_assert_eq(d->min, V4L2_MPEG_VIDEO_H264_LEVEL_1_0);
	cr_assert_eq(d->max, V4L2_MPEG_VIDEO_H264_LEVEL_6_2);
	cr_assert_str_eq(d->menu[V4L2_MPEG_VIDEO_H264_LEVEL_1B], "1b");
	cr_assert_str_eq(d->menu[V4L2_MPEG_VIDEO_H264_LEVEL_5_1], "5.1");
	cr_assert_str_eq(d->menu[V4L2_MPEG_VIDEO_H264_LEVEL_6_2], "6.2");
	cr_assert_null(d->menu[V4L2_MPEG_VIDEO_H264_LEVEL_6_2 + 1]);
}

Test(codec, h264_menu_names_cover_range)
{
	const struct dd_codec *c = &dd_codec_h264;
	unsigned int i;
	s64 v;

	for (i = 0; i < c->num_ctrls; i++) {
		const struct dd_ctrl_desc *d = &c->ctrls[i];

		if (d->type != V4L2_CTRL_TYPE_MENU)
			continue;
		cr_assert_not_null(d->menu);
		cr_assert_eq(d->elem_size, sizeof(s32));
		cr_assert(d->def >= d->min && d->def <= d->max, "%s", d->name);
		cr_assert_not(d->menu_skip_mask & BIT(d->def), "%s default", d->name);
		for (v = 0; v <= d->max; v++)
			cr_assert_not_null(d->menu[v], "%s item %lld", d->name,
					   (long long)v);
	}
}

Test(codec, h264_table_sorted_unique)
{
	const struct dd_codec *c = &dd_codec_h264;
	unsigned int i;

	for (i = 1; i < c->num_ctrls; i++)
		cr_assert_gt(c->ctrls[i].id, c->ctrls[i - 1].id);
}

Test(codec, h264_defaults)
{
	const struct dd_ctrl_desc *d;
	struct v4l2_ctrl_h264_scaling_matrix sm;
	struct v4l2_ctrl_h264_sps sps;
	unsigned int i;

	d = tc_ctrl(V4L2_CID_STATELESS_H264_SCALING_MATRIX);
	cr_assert_not_null(d->init);
	memset(&sm, 0, sizeof(sm));
	d->init(&sm);
	for (i = 0; i < 16; i++)
		cr_assert_eq(sm.scaling_list_4x4[5][i], 16);
	for (i = 0; i < 64; i++)
		cr_assert_eq(sm.scaling_list_8x8[5][i], 16);
	cr_assert_eq(sm.scaling_list_4x4[0][0], 16);

	d = tc_ctrl(V4L2_CID_STATELESS_H264_SPS);
	cr_assert_not_null(d->init);
	memset(&sps, 0xa5, sizeof(sps));
	d->init(&sps);
	cr_assert_eq(sps.chroma_format_idc, 1);
	cr_assert_eq(sps.bit_depth_luma_minus8, 0);
	cr_assert_eq(sps.flags, 0);
	cr_assert_eq(sps.profile_idc, 0);
}

Test(codec, payload_len_of_ext_control)
{
	struct v4l2_ext_control c = { .id = V4L2_CID_STATELESS_H264_SPS,
				      .size = sizeof(struct v4l2_ctrl_h264_sps) };

	cr_assert_eq(dd_ctrl_payload_len(&c), sizeof(struct v4l2_ctrl_h264_sps));
	c.size = 4096;
	cr_assert_eq(dd_ctrl_payload_len(&c), sizeof(struct v4l2_ctrl_h264_sps),
		     "never more than the control's own size");
	c.size = 3;
	cr_assert_eq(dd_ctrl_payload_len(&c), 3, "never more than the client gave");
	c.id = V4L2_CID_STATELESS_H264_DECODE_MODE;
	c.size = 0;
	cr_assert_eq(dd_ctrl_payload_len(&c), 0, "scalar");
	c.id = V4L2_CID_BRIGHTNESS;
	cr_assert_eq(dd_ctrl_payload_len(&c), 0, "unknown id");
}

/*
 * Every control's default must pass its own validation: v4l2-compliance
 * (and any client) reads a control and tries it back unchanged.
 */
Test(codec, every_default_passes_its_validation)
{
	unsigned int i, j;

	for (i = 0; i < dd_num_codecs; i++) {
		const struct dd_codec *c = dd_codecs[i];

		for (j = 0; j < c->num_ctrls; j++) {
			const struct dd_ctrl_desc *d = &c->ctrls[j];
			size_t len = (size_t)d->elem_size;
			u8 *p;
			int ret;

			if (!d->validate || d->type < V4L2_CTRL_COMPOUND_TYPES)
				continue;
			p = calloc(1, len);
			cr_assert_not_null(p);
			if (d->init)
				d->init(p);
			ret = d->validate(p);
			cr_expect_eq(ret, 0, "%s: default of '%s' (0x%08x) fails its validation (%d)",
				     c->name, d->name, d->id, ret);
			free(p);
		}
	}
}
