// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_ctrl.c - control value sets: enumeration (QUERYCTRL, QUERY_EXT_CTRL,
 * QUERYMENU), the EXT_CTRLS errno/error_idx rules of v4l2-ctrls-api.c,
 * G/S_CTRL, atomic SET, request application and required controls.
 */
#include <criterion/criterion.h>

#include "dd_ctrl.h"
#include "tlog.h"

static struct dd_ctrls tc;

static void tc_setup(void)
{
	cr_assert_eq(dd_ctrls_init(&tc, &dd_codec_h264), 0);
}

static void tc_teardown(void)
{
	dd_ctrls_free(&tc);
}

TestSuite(ctrl, .init = tc_setup, .fini = tc_teardown);

static void tc_sps(struct v4l2_ctrl_h264_sps *sps)
{
	memset(sps, 0, sizeof(*sps));
	sps->profile_idc = 100;
	sps->level_idc = 40;
	sps->chroma_format_idc = 1;
	sps->log2_max_pic_order_cnt_lsb_minus4 = 2;
	sps->max_num_ref_frames = 3;
	sps->pic_width_in_mbs_minus1 = 119;
	sps->pic_height_in_map_units_minus1 = 67;
	sps->flags = V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY;
}

static void tc_ext(struct v4l2_ext_controls *cs, struct v4l2_ext_control *arr,
		   u32 count, u32 which)
{
	memset(cs, 0, sizeof(*cs));
	cs->which = which;
	cs->count = count;
	cs->controls = arr;
	cs->error_idx = 0xdead;
}

static void tc_ptr(struct v4l2_ext_control *e, u32 id, void *p, u32 size)
{
	memset(e, 0, sizeof(*e));
	e->id = id;
	e->ptr = p;
	e->size = size;
}

static void tc_val(struct v4l2_ext_control *e, u32 id, s32 value)
{
	memset(e, 0, sizeof(*e));
	e->id = id;
	e->value = value;
}

Test(ctrl, init_sorted_with_classes_and_defaults)
{
	const struct v4l2_ctrl_h264_scaling_matrix *sm;
	struct dd_ctrl_val *v;
	unsigned int i;

	cr_assert_eq(tc.codec, &dd_codec_h264);
	cr_assert_eq(tc.num, dd_codec_h264.num_ctrls + 2);
	for (i = 1; i < tc.num; i++)
		cr_assert_gt(tc.vals[i].desc->id, tc.vals[i - 1].desc->id);
	for (i = 0; i < tc.num; i++) {
		cr_assert_not(tc.vals[i].set);
		cr_assert_eq((uintptr_t)tc.vals[i].p % 8, 0);
	}
	cr_assert_not_null(dd_ctrls_find(&tc, V4L2_CID_CODEC_CLASS));
	cr_assert_not_null(dd_ctrls_find(&tc, V4L2_CID_CODEC_STATELESS_CLASS));
	cr_assert_null(dd_ctrls_find(&tc, V4L2_CID_USER_CLASS));
	cr_assert_null(dd_ctrls_find(&tc, V4L2_CID_BRIGHTNESS));

	v = dd_ctrls_find(&tc, V4L2_CID_STATELESS_H264_SCALING_MATRIX);
	cr_assert_eq(v->size, sizeof(*sm));
	sm = v->p;
	cr_assert_eq(sm->scaling_list_8x8[3][63], 16);
	v = dd_ctrls_find(&tc, V4L2_CID_STATELESS_H264_DECODE_MODE);
	cr_assert_eq(*(s32 *)v->p, V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED);
	cr_assert_eq(v->size, sizeof(s32));
	v = dd_ctrls_find(&tc, V4L2_CID_STATELESS_H264_SPS);
	cr_assert_eq(((struct v4l2_ctrl_h264_sps *)v->p)->chroma_format_idc, 1);
	cr_assert_eq(v->size, sizeof(struct v4l2_ctrl_h264_sps));
}

Test(ctrl, init_rejects_empty_codec)
{
	static const struct dd_codec empty = { .name = "none" };
	struct dd_ctrls c;

	cr_assert_eq(dd_ctrls_init(&c, &empty), -EINVAL);
}

Test(ctrl, query_ext_compound)
{
	struct v4l2_query_ext_ctrl q = { .id = V4L2_CID_STATELESS_H264_DECODE_PARAMS };

	cr_assert_eq(dd_ctrls_query_ext(&tc, &q), 0);
	cr_assert_eq(q.id, V4L2_CID_STATELESS_H264_DECODE_PARAMS);
	cr_assert_eq(q.type, V4L2_CTRL_TYPE_H264_DECODE_PARAMS);
	cr_assert_str_eq(q.name, "H264 Decode Parameters");
	cr_assert(q.flags & V4L2_CTRL_FLAG_HAS_PAYLOAD);
	cr_assert_eq(q.elem_size, sizeof(struct v4l2_ctrl_h264_decode_params));
	cr_assert_eq(q.elems, 1);
	cr_assert_eq(q.nr_of_dims, 0);
	cr_assert_eq(q.minimum, 0);
	cr_assert_eq(q.maximum, 0);
}

Test(ctrl, query_ext_menu_and_class)
{
	struct v4l2_query_ext_ctrl q = { .id = V4L2_CID_MPEG_VIDEO_H264_PROFILE };

	cr_assert_eq(dd_ctrls_query_ext(&tc, &q), 0);
	cr_assert_eq(q.type, V4L2_CTRL_TYPE_MENU);
	cr_assert_eq(q.step, 1);
	cr_assert_eq(q.minimum, V4L2_MPEG_VIDEO_H264_PROFILE_BASELINE);
	cr_assert_eq(q.maximum, V4L2_MPEG_VIDEO_H264_PROFILE_HIGH);
	cr_assert_eq(q.default_value, V4L2_MPEG_VIDEO_H264_PROFILE_HIGH);
	cr_assert_eq(q.elem_size, 4);
	cr_assert_eq(q.elems, 1);
	cr_assert_not(q.flags & V4L2_CTRL_FLAG_HAS_PAYLOAD);

	memset(&q, 0, sizeof(q));
	q.id = V4L2_CID_CODEC_STATELESS_CLASS;
	cr_assert_eq(dd_ctrls_query_ext(&tc, &q), 0);
	cr_assert_eq(q.type, V4L2_CTRL_TYPE_CTRL_CLASS);
	cr_assert_str_eq(q.name, "Stateless Codec Controls");
	cr_assert_eq(q.flags, V4L2_CTRL_FLAG_READ_ONLY | V4L2_CTRL_FLAG_WRITE_ONLY);

	q.id = V4L2_CID_BRIGHTNESS;
	cr_assert_eq(dd_ctrls_query_ext(&tc, &q), -EINVAL);
}

static unsigned int tc_walk(u32 flags, u32 *ids, unsigned int max)
{
	struct v4l2_query_ext_ctrl q;
	unsigned int n = 0;
	u32 id = 0;

	for (;;) {
		memset(&q, 0, sizeof(q));
		q.id = id | flags;
		if (dd_ctrls_query_ext(&tc, &q))
			break;
		cr_assert_lt(n, max);
		ids[n++] = q.id;
		cr_assert_eq(q.id & ~V4L2_CTRL_ID_MASK, 0, "flags not echoed");
		id = q.id;
	}
	return n;
}

Test(ctrl, query_ext_next_ctrl_skips_compound)
{
	static const u32 want[] = {
		V4L2_CID_CODEC_CLASS, V4L2_CID_MPEG_VIDEO_H264_LEVEL,
		V4L2_CID_MPEG_VIDEO_H264_PROFILE, V4L2_CID_CODEC_STATELESS_CLASS,
		V4L2_CID_STATELESS_H264_DECODE_MODE, V4L2_CID_STATELESS_H264_START_CODE,
	};
	u32 ids[32];
	unsigned int n, i;

	n = tc_walk(V4L2_CTRL_FLAG_NEXT_CTRL, ids, 32);
	cr_assert_eq(n, ARRAY_SIZE(want));
	for (i = 0; i < n; i++)
		cr_assert_eq(ids[i], want[i], "item %u: 0x%x", i, ids[i]);
}

Test(ctrl, query_ext_next_compound_only)
{
	static const u32 want[] = {
		V4L2_CID_STATELESS_H264_SPS, V4L2_CID_STATELESS_H264_PPS,
		V4L2_CID_STATELESS_H264_SCALING_MATRIX,
		V4L2_CID_STATELESS_H264_PRED_WEIGHTS,
		V4L2_CID_STATELESS_H264_SLICE_PARAMS,
		V4L2_CID_STATELESS_H264_DECODE_PARAMS,
	};
	u32 ids[32];
	unsigned int n, i;

	n = tc_walk(V4L2_CTRL_FLAG_NEXT_COMPOUND, ids, 32);
	cr_assert_eq(n, ARRAY_SIZE(want));
	for (i = 0; i < n; i++)
		cr_assert_eq(ids[i], want[i]);
}

Test(ctrl, query_ext_next_both_lists_all)
{
	u32 ids[32];
	unsigned int n, i;

	n = tc_walk(V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CTRL_FLAG_NEXT_COMPOUND, ids, 32);
	cr_assert_eq(n, tc.num);
	for (i = 0; i < n; i++)
		cr_assert_eq(ids[i], tc.vals[i].desc->id);
}

Test(ctrl, query_ext_next_from_unknown_id)
{
	struct v4l2_query_ext_ctrl q;

	memset(&q, 0, sizeof(q));
	q.id = (V4L2_CID_STATELESS_H264_SPS + 100) | V4L2_CTRL_FLAG_NEXT_CTRL |
	       V4L2_CTRL_FLAG_NEXT_COMPOUND;
	cr_assert_eq(dd_ctrls_query_ext(&tc, &q), -EINVAL, "nothing above");
	q.id = (V4L2_CID_CODEC_STATELESS_BASE - 1) | V4L2_CTRL_FLAG_NEXT_COMPOUND;
	cr_assert_eq(dd_ctrls_query_ext(&tc, &q), 0);
	cr_assert_eq(q.id, V4L2_CID_STATELESS_H264_SPS);
}

Test(ctrl, queryctrl)
{
	struct v4l2_queryctrl q = { .id = V4L2_CID_MPEG_VIDEO_H264_LEVEL };
	u32 id = 0;
	unsigned int n = 0;

	cr_assert_eq(dd_ctrls_queryctrl(&tc, &q), 0);
	cr_assert_eq(q.type, V4L2_CTRL_TYPE_MENU);
	cr_assert_str_eq((char *)q.name, "H264 Level");
	cr_assert_eq(q.maximum, V4L2_MPEG_VIDEO_H264_LEVEL_6_2);
	cr_assert_eq(q.step, 1);
	cr_assert_eq(q.default_value, V4L2_MPEG_VIDEO_H264_LEVEL_6_2);

	/* Asked for directly, a compound control answers with no range. */
	memset(&q, 0, sizeof(q));
	q.id = V4L2_CID_STATELESS_H264_SPS;
	cr_assert_eq(dd_ctrls_queryctrl(&tc, &q), 0);
	cr_assert_eq(q.type, V4L2_CTRL_TYPE_H264_SPS);
	cr_assert_eq(q.minimum, 0);
	cr_assert_eq(q.maximum, 0);
	cr_assert_eq(q.step, 0);
	cr_assert(q.flags & V4L2_CTRL_FLAG_HAS_PAYLOAD);

	/* The old enumeration never shows compound controls. */
	for (;;) {
		memset(&q, 0, sizeof(q));
		q.id = id | V4L2_CTRL_FLAG_NEXT_CTRL;
		if (dd_ctrls_queryctrl(&tc, &q))
			break;
		cr_assert_lt(q.type, V4L2_CTRL_COMPOUND_TYPES);
		id = q.id;
		n++;
	}
	cr_assert_eq(n, 6);

	memset(&q, 0, sizeof(q));
	q.id = 0x12345;
	cr_assert_eq(dd_ctrls_queryctrl(&tc, &q), -EINVAL);
}

Test(ctrl, querymenu)
{
	struct v4l2_querymenu m = { .id = V4L2_CID_MPEG_VIDEO_H264_PROFILE };
	static const char * const names[] = {
		"Baseline", "Constrained Baseline", "Main", NULL, "High",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		m.index = i;
		m.reserved = 0x77;
		if (!names[i]) {
			cr_assert_eq(dd_ctrls_querymenu(&tc, &m), -EINVAL, "skipped item");
			continue;
		}
		cr_assert_eq(dd_ctrls_querymenu(&tc, &m), 0);
		cr_assert_str_eq((char *)m.name, names[i]);
		cr_assert_eq(m.reserved, 0);
	}
	m.index = 5;
	cr_assert_eq(dd_ctrls_querymenu(&tc, &m), -EINVAL, "above max");

	m.id = V4L2_CID_STATELESS_H264_DECODE_MODE;
	m.index = 0;
	cr_assert_eq(dd_ctrls_querymenu(&tc, &m), -EINVAL, "below min");
	m.index = 1;
	cr_assert_eq(dd_ctrls_querymenu(&tc, &m), 0);
	cr_assert_str_eq((char *)m.name, "Frame-Based");

	m.id = V4L2_CID_STATELESS_H264_SPS;
	m.index = 0;
	cr_assert_eq(dd_ctrls_querymenu(&tc, &m), -EINVAL, "not a menu");
	m.id = V4L2_CID_BRIGHTNESS;
	cr_assert_eq(dd_ctrls_querymenu(&tc, &m), -EINVAL, "unknown");
}

Test(ctrl, get_compound_enospc_then_ok)
{
	struct v4l2_ctrl_h264_scaling_matrix sm;
	struct v4l2_ext_control e[2];
	struct v4l2_ext_controls cs;

	tc_val(&e[0], V4L2_CID_STATELESS_H264_DECODE_MODE, 0);
	tc_ptr(&e[1], V4L2_CID_STATELESS_H264_SCALING_MATRIX, &sm, 10);
	tc_ext(&cs, e, 2, 0);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), -ENOSPC);
	cr_assert_eq(e[1].size, sizeof(sm), "size needed reported");
	cr_assert_eq(cs.error_idx, 2, "GET reports count for prepare errors");

	memset(&sm, 0, sizeof(sm));
	e[1].size = sizeof(sm) + 100;
	cr_assert_eq(dd_ctrls_get(&tc, &cs), 0);
	cr_assert_eq(e[1].size, sizeof(sm), "size trimmed to the payload");
	cr_assert_eq(sm.scaling_list_4x4[0][0], 16);
	cr_assert_eq(e[0].value, V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED);
}

Test(ctrl, get_unknown_and_private_ids)
{
	struct v4l2_ext_control e[2];
	struct v4l2_ext_controls cs;

	tc_val(&e[0], V4L2_CID_MPEG_VIDEO_H264_LEVEL, 0);
	tc_val(&e[1], V4L2_CID_BRIGHTNESS, 0);
	tc_ext(&cs, e, 2, 0);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), -EINVAL);
	cr_assert_eq(cs.error_idx, 2);

	tc_val(&e[1], V4L2_CID_PRIVATE_BASE, 0);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), -EINVAL);
	tc_ext(&cs, e, 2, 0);
	cr_assert_eq(dd_ctrls_try(&tc, &cs), -EINVAL);
	cr_assert_eq(cs.error_idx, 1);
}

Test(ctrl, try_set_unknown_id_error_idx)
{
	struct v4l2_ext_control e[3];
	struct v4l2_ext_controls cs;

	tc_val(&e[0], V4L2_CID_MPEG_VIDEO_H264_PROFILE, V4L2_MPEG_VIDEO_H264_PROFILE_MAIN);
	tc_val(&e[1], V4L2_CID_BRIGHTNESS, 0);
	tc_val(&e[2], V4L2_CID_MPEG_VIDEO_H264_LEVEL, 0);
	tc_ext(&cs, e, 3, 0);
	cr_assert_eq(dd_ctrls_try(&tc, &cs), -EINVAL);
	cr_assert_eq(cs.error_idx, 1, "TRY names the failing index");
	tc_ext(&cs, e, 3, 0);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -EINVAL);
	cr_assert_eq(cs.error_idx, 3, "SET reports count: nothing touched");
	cr_assert_eq(*(s32 *)dd_ctrls_find(&tc, V4L2_CID_MPEG_VIDEO_H264_PROFILE)->p,
		     V4L2_MPEG_VIDEO_H264_PROFILE_HIGH);
}

Test(ctrl, class_mismatch)
{
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_ext_control e[2];
	struct v4l2_ext_controls cs;

	tc_sps(&sps);
	tc_val(&e[0], V4L2_CID_STATELESS_H264_DECODE_MODE,
	       V4L2_STATELESS_H264_DECODE_MODE_FRAME_BASED);
	tc_val(&e[1], V4L2_CID_MPEG_VIDEO_H264_LEVEL, 0);
	tc_ext(&cs, e, 2, V4L2_CTRL_CLASS_CODEC_STATELESS);
	cr_assert_eq(dd_ctrls_try(&tc, &cs), -EINVAL);
	cr_assert_eq(cs.error_idx, 1);
	tc_ext(&cs, e, 2, V4L2_CTRL_CLASS_CODEC_STATELESS);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), -EINVAL);
	cr_assert_eq(cs.error_idx, 2);

	/* A class control id as `which` means its class. */
	tc_ptr(&e[1], V4L2_CID_STATELESS_H264_SPS, &sps, sizeof(sps));
	tc_ext(&cs, e, 2, V4L2_CID_CODEC_STATELESS_CLASS);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), 0);
	cr_assert_eq(cs.which, V4L2_CTRL_CLASS_CODEC_STATELESS);
}

Test(ctrl, count_zero_class_check)
{
	struct v4l2_ext_controls cs;

	tc_ext(&cs, NULL, 0, 0);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), 0);
	tc_ext(&cs, NULL, 0, V4L2_CTRL_CLASS_CODEC_STATELESS);
	cr_assert_eq(dd_ctrls_try(&tc, &cs), 0);
	tc_ext(&cs, NULL, 0, V4L2_CTRL_CLASS_CODEC);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), 0);
	tc_ext(&cs, NULL, 0, V4L2_CTRL_CLASS_CAMERA);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), -EINVAL);
	cr_assert_eq(cs.error_idx, 0);
	tc_ext(&cs, NULL, 0, V4L2_CTRL_CLASS_USER);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -EINVAL);
	tc_ext(&cs, NULL, 0, V4L2_CTRL_WHICH_DEF_VAL);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), 0);
	tc_ext(&cs, NULL, 0, V4L2_CTRL_WHICH_REQUEST_VAL);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), 0);
}

Test(ctrl, too_many_controls)
{
	struct v4l2_ext_control e[1];
	struct v4l2_ext_controls cs;

	tc_ext(&cs, e, V4L2_CID_MAX_CTRLS + 1, 0);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), -EINVAL);
	cr_assert_eq(cs.error_idx, 0xdead, "rejected before the handler");
	cr_assert_eq(dd_ctrls_try(&tc, &cs), -EINVAL);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -EINVAL);
}

Test(ctrl, bad_array_pointer)
{
	struct v4l2_ext_controls cs;

	tc_ext(&cs, NULL, 2, 0);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), -EFAULT);
	tc_ext(&cs, NULL, 2, 0);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -EFAULT);
}

Test(ctrl, def_val)
{
	struct v4l2_ctrl_h264_scaling_matrix sm;
	struct v4l2_ext_control e[2];
	struct v4l2_ext_controls cs;

	memset(&sm, 3, sizeof(sm));
	tc_ptr(&e[0], V4L2_CID_STATELESS_H264_SCALING_MATRIX, &sm, sizeof(sm));
	tc_val(&e[1], V4L2_CID_MPEG_VIDEO_H264_PROFILE, V4L2_MPEG_VIDEO_H264_PROFILE_MAIN);
	tc_ext(&cs, e, 2, V4L2_CTRL_WHICH_DEF_VAL);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -EINVAL);
	cr_assert_eq(cs.error_idx, 2);
	tc_ext(&cs, e, 2, V4L2_CTRL_WHICH_DEF_VAL);
	cr_assert_eq(dd_ctrls_try(&tc, &cs), -EINVAL);

	tc_ext(&cs, e, 2, 0);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), 0);
	memset(&sm, 0, sizeof(sm));
	e[1].value = -1;
	tc_ext(&cs, e, 2, V4L2_CTRL_WHICH_DEF_VAL);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), 0);
	cr_assert_eq(sm.scaling_list_8x8[5][10], 16, "default, not current");
	cr_assert_eq(e[1].value, V4L2_MPEG_VIDEO_H264_PROFILE_HIGH);
	tc_ext(&cs, e, 2, 0);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), 0);
	cr_assert_eq(sm.scaling_list_8x8[5][10], 3, "current");
	cr_assert_eq(e[1].value, V4L2_MPEG_VIDEO_H264_PROFILE_MAIN);
}

Test(ctrl, set_sps_roundtrip_and_normalised_writeback)
{
	struct v4l2_ctrl_h264_sps sps, got;
	struct v4l2_ext_control e[1];
	struct v4l2_ext_controls cs;
	struct dd_ctrl_val *v = dd_ctrls_find(&tc, V4L2_CID_STATELESS_H264_SPS);

	tc_sps(&sps);
	sps.pic_order_cnt_type = 2;	/* makes the lsb size meaningless */
	tc_ptr(&e[0], V4L2_CID_STATELESS_H264_SPS, &sps, sizeof(sps));
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_try(&tc, &cs), 0);
	cr_assert_eq(sps.log2_max_pic_order_cnt_lsb_minus4, 0, "TRY writes back");
	cr_assert_not(v->set, "TRY changes nothing");
	cr_assert_eq(((struct v4l2_ctrl_h264_sps *)v->p)->profile_idc, 0);

	tc_ext(&cs, e, 1, V4L2_CTRL_WHICH_REQUEST_VAL);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), 0);
	cr_assert(v->set);
	cr_assert_eq(memcmp(v->p, &sps, sizeof(sps)), 0);

	memset(&got, 0, sizeof(got));
	tc_ptr(&e[0], V4L2_CID_STATELESS_H264_SPS, &got, sizeof(got));
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), 0);
	cr_assert_eq(memcmp(&got, &sps, sizeof(sps)), 0);
}

Test(ctrl, set_invalid_payload_logs_and_changes_nothing)
{
	struct v4l2_ctrl_h264_pps pps;
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_ext_control e[2];
	struct v4l2_ext_controls cs;

	memset(&pps, 0, sizeof(pps));
	pps.pic_init_qp_minus26 = 4;
	tc_sps(&sps);
	sps.bit_depth_luma_minus8 = 2;
	tc_ptr(&e[0], V4L2_CID_STATELESS_H264_PPS, &pps, sizeof(pps));
	tc_ptr(&e[1], V4L2_CID_STATELESS_H264_SPS, &sps, sizeof(sps));
	tc_ext(&cs, e, 2, 0);
	tlog_start();
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -EINVAL);
	cr_assert_eq(cs.error_idx, 1);
	cr_assert(tlog_has("bit_depth_luma_minus8=2"), "%s", tlog_buf);
	cr_assert_not(dd_ctrls_find(&tc, V4L2_CID_STATELESS_H264_PPS)->set,
		      "the valid PPS was not applied either");
	cr_assert_eq(((struct v4l2_ctrl_h264_pps *)
		      dd_ctrls_find(&tc, V4L2_CID_STATELESS_H264_PPS)->p)->pic_init_qp_minus26, 0);
	cr_assert_not(dd_ctrls_find(&tc, V4L2_CID_STATELESS_H264_SPS)->set);
}

Test(ctrl, set_payload_size_and_pointer_errors)
{
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_ext_control e[2];
	struct v4l2_ext_controls cs;

	tc_sps(&sps);
	tc_val(&e[0], V4L2_CID_MPEG_VIDEO_H264_LEVEL, 3);
	tc_ptr(&e[1], V4L2_CID_STATELESS_H264_SPS, &sps, sizeof(sps) - 1);
	tc_ext(&cs, e, 2, 0);
	cr_assert_eq(dd_ctrls_try(&tc, &cs), -EFAULT);
	cr_assert_eq(cs.error_idx, 1);
	cr_assert_eq(e[1].size, sizeof(sps) - 1, "size left alone on TRY/SET");
	tc_ext(&cs, e, 2, 0);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -EFAULT);
	cr_assert_eq(cs.error_idx, 2);

	tc_ptr(&e[1], V4L2_CID_STATELESS_H264_SPS, NULL, sizeof(sps));
	tc_ext(&cs, e, 2, 0);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -EFAULT);
	cr_assert_eq(cs.error_idx, 1);
	cr_assert_not(dd_ctrls_find(&tc, V4L2_CID_MPEG_VIDEO_H264_LEVEL)->set);
}

Test(ctrl, menu_values)
{
	struct v4l2_ext_control e[1];
	struct v4l2_ext_controls cs;

	tc_val(&e[0], V4L2_CID_STATELESS_H264_DECODE_MODE,
	       V4L2_STATELESS_H264_DECODE_MODE_SLICE_BASED);
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -ERANGE);
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_try(&tc, &cs), -ERANGE);
	cr_assert_eq(cs.error_idx, 0);

	tc_val(&e[0], V4L2_CID_MPEG_VIDEO_H264_PROFILE, V4L2_MPEG_VIDEO_H264_PROFILE_EXTENDED);
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -EINVAL, "skipped item");
	tc_val(&e[0], V4L2_CID_MPEG_VIDEO_H264_PROFILE, V4L2_MPEG_VIDEO_H264_PROFILE_HIGH_10);
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -ERANGE);
	tc_val(&e[0], V4L2_CID_MPEG_VIDEO_H264_PROFILE, -1);
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -ERANGE);
	tc_val(&e[0], V4L2_CID_MPEG_VIDEO_H264_PROFILE,
	       V4L2_MPEG_VIDEO_H264_PROFILE_CONSTRAINED_BASELINE);
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), 0);
	cr_assert_eq(*(s32 *)dd_ctrls_find(&tc, V4L2_CID_MPEG_VIDEO_H264_PROFILE)->p,
		     V4L2_MPEG_VIDEO_H264_PROFILE_CONSTRAINED_BASELINE);
}

Test(ctrl, class_controls_access)
{
	struct v4l2_ext_control e[2];
	struct v4l2_ext_controls cs;

	tc_val(&e[0], V4L2_CID_MPEG_VIDEO_H264_LEVEL, 2);
	tc_val(&e[1], V4L2_CID_CODEC_CLASS, 0);
	tc_ext(&cs, e, 2, 0);
	cr_assert_eq(dd_ctrls_get(&tc, &cs), -EACCES, "write-only");
	cr_assert_eq(cs.error_idx, 2);
	tc_ext(&cs, e, 2, 0);
	cr_assert_eq(dd_ctrls_try(&tc, &cs), -EACCES, "read-only");
	cr_assert_eq(cs.error_idx, 1);
	tc_ext(&cs, e, 2, 0);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), -EACCES);
	cr_assert_eq(cs.error_idx, 2);
	cr_assert_not(dd_ctrls_find(&tc, V4L2_CID_MPEG_VIDEO_H264_LEVEL)->set);
}

Test(ctrl, repeated_id_last_wins)
{
	struct v4l2_ext_control e[2];
	struct v4l2_ext_controls cs;

	tc_val(&e[0], V4L2_CID_MPEG_VIDEO_H264_LEVEL, 2);
	tc_val(&e[1], V4L2_CID_MPEG_VIDEO_H264_LEVEL, 9);
	tc_ext(&cs, e, 2, 0);
	cr_assert_eq(dd_ctrls_set(&tc, &cs), 0);
	cr_assert_eq(*(s32 *)dd_ctrls_find(&tc, V4L2_CID_MPEG_VIDEO_H264_LEVEL)->p, 9);
}

Test(ctrl, g_s_ctrl)
{
	struct v4l2_control ctl = { .id = V4L2_CID_MPEG_VIDEO_H264_LEVEL };

	cr_assert_eq(dd_ctrls_g_ctrl(&tc, &ctl), 0);
	cr_assert_eq(ctl.value, V4L2_MPEG_VIDEO_H264_LEVEL_6_2);
	ctl.value = V4L2_MPEG_VIDEO_H264_LEVEL_4_1;
	cr_assert_eq(dd_ctrls_s_ctrl(&tc, &ctl), 0);
	cr_assert(dd_ctrls_find(&tc, V4L2_CID_MPEG_VIDEO_H264_LEVEL)->set);
	ctl.value = 0;
	cr_assert_eq(dd_ctrls_g_ctrl(&tc, &ctl), 0);
	cr_assert_eq(ctl.value, V4L2_MPEG_VIDEO_H264_LEVEL_4_1);

	ctl.value = 50;
	cr_assert_eq(dd_ctrls_s_ctrl(&tc, &ctl), -ERANGE);
	cr_assert_eq(ctl.value, 50);
	cr_assert_eq(*(s32 *)dd_ctrls_find(&tc, V4L2_CID_MPEG_VIDEO_H264_LEVEL)->p,
		     V4L2_MPEG_VIDEO_H264_LEVEL_4_1);

	ctl.id = V4L2_CID_STATELESS_H264_SPS;
	cr_assert_eq(dd_ctrls_g_ctrl(&tc, &ctl), -EINVAL, "compound");
	cr_assert_eq(dd_ctrls_s_ctrl(&tc, &ctl), -EINVAL);
	ctl.id = V4L2_CID_BRIGHTNESS;
	cr_assert_eq(dd_ctrls_g_ctrl(&tc, &ctl), -EINVAL);
	cr_assert_eq(dd_ctrls_s_ctrl(&tc, &ctl), -EINVAL);
	ctl.id = V4L2_CID_CODEC_CLASS;
	cr_assert_eq(dd_ctrls_g_ctrl(&tc, &ctl), -EACCES);
	cr_assert_eq(dd_ctrls_s_ctrl(&tc, &ctl), -EACCES);
}

Test(ctrl, apply_and_required)
{
	struct v4l2_ctrl_h264_decode_params dp;
	struct v4l2_ctrl_h264_pps pps;
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_ext_control e[3];
	struct v4l2_ext_controls cs;
	struct dd_ctrls req;

	cr_assert_eq(dd_ctrls_init(&req, &dd_codec_h264), 0);
	tlog_start();
	cr_assert_eq(dd_ctrls_check_required(&req, NULL), -ENOENT);
	cr_assert(tlog_has("H264 Sequence Parameter Set"), "%s", tlog_buf);

	tc_sps(&sps);
	memset(&pps, 0, sizeof(pps));
	pps.num_ref_idx_l0_default_active_minus1 = 5;
	tc_ptr(&e[0], V4L2_CID_STATELESS_H264_SPS, &sps, sizeof(sps));
	tc_ptr(&e[1], V4L2_CID_STATELESS_H264_PPS, &pps, sizeof(pps));
	tc_ext(&cs, e, 2, V4L2_CTRL_WHICH_REQUEST_VAL);
	cr_assert_eq(dd_ctrls_set(&req, &cs), 0);
	tlog_start();
	cr_assert_eq(dd_ctrls_check_required(&req, NULL), -ENOENT);
	cr_assert(tlog_has("H264 Decode Parameters"), "%s", tlog_buf);
	cr_assert(tlog_has("h264"), "%s", tlog_buf);

	memset(&dp, 0, sizeof(dp));
	dp.frame_num = 7;
	tc_ptr(&e[2], V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp));
	tc_ext(&cs, &e[2], 1, V4L2_CTRL_WHICH_REQUEST_VAL);
	cr_assert_eq(dd_ctrls_set(&req, &cs), 0);
	cr_assert_eq(dd_ctrls_check_required(&req, NULL), 0);

	dd_ctrls_apply(&tc, &req);
	cr_assert(dd_ctrls_find(&tc, V4L2_CID_STATELESS_H264_SPS)->set);
	cr_assert_eq(((struct v4l2_ctrl_h264_pps *)
		      dd_ctrls_find(&tc, V4L2_CID_STATELESS_H264_PPS)->p)
		     ->num_ref_idx_l0_default_active_minus1, 5);
	cr_assert_eq(((struct v4l2_ctrl_h264_decode_params *)
		      dd_ctrls_find(&tc, V4L2_CID_STATELESS_H264_DECODE_PARAMS)->p)
		     ->frame_num, 7);
	cr_assert_not(dd_ctrls_find(&tc, V4L2_CID_STATELESS_H264_SCALING_MATRIX)->set,
		      "unset controls are not applied");
	cr_assert_eq(((struct v4l2_ctrl_h264_scaling_matrix *)
		      dd_ctrls_find(&tc, V4L2_CID_STATELESS_H264_SCALING_MATRIX)->p)
		     ->scaling_list_4x4[0][0], 16);

	dd_ctrls_clear_set(&req);
	cr_assert_eq(dd_ctrls_check_required(&req, NULL), -ENOENT);
	dd_ctrls_free(&req);
	cr_assert_null(req.vals);
	cr_assert_eq(req.num, 0);
}

/* A made-up codec with the scalar and array types H.264 does not use. */
static int tc_validate_even(void *p)
{
	return *(s64 *)p % 2 ? -EINVAL : 0;
}

static const struct dd_ctrl_desc tc_misc_ctrls[] = {
	{ .id = V4L2_CID_BRIGHTNESS, .type = V4L2_CTRL_TYPE_INTEGER, .name = "Brightness",
	  .min = -10, .max = 100, .step = 5, .def = 50, .elem_size = 4 },
	{ .id = V4L2_CID_CONTRAST, .type = V4L2_CTRL_TYPE_INTEGER64, .name = "Contrast",
	  .min = 0, .max = 1LL << 40, .step = 1, .def = 1LL << 33, .elem_size = 8 },
	{ .id = V4L2_CID_SATURATION, .type = V4L2_CTRL_TYPE_BOOLEAN, .name = "Saturation",
	  .min = 0, .max = 1, .step = 1, .def = 1, .elem_size = 4 },
	{ .id = V4L2_CID_HUE, .type = V4L2_CTRL_TYPE_BITMASK, .name = "Hue",
	  .max = 0xf0, .elem_size = 4 },
	{ .id = V4L2_CID_AUDIO_VOLUME, .type = V4L2_CTRL_TYPE_INTEGER, .name = "Array",
	  .min = 0, .max = 10, .step = 1, .def = 2, .elem_size = 4, .dims = { 2, 3 } },
	{ .id = V4L2_CID_AUDIO_BALANCE, .type = V4L2_CTRL_TYPE_INTEGER, .name = "Even",
	  .min = 0, .max = 10, .step = 1, .def = 4, .elem_size = 4,
	  .validate = tc_validate_even },
	{ .id = V4L2_CID_DO_WHITE_BALANCE, .type = V4L2_CTRL_TYPE_BUTTON, .name = "Button",
	  .elem_size = 4 },
};

static const struct dd_codec tc_misc = {
	.name = "misc",
	.ctrls = tc_misc_ctrls,
	.num_ctrls = ARRAY_SIZE(tc_misc_ctrls),
};

Test(ctrl, generic_scalar_types)
{
	struct v4l2_ext_control e[5];
	struct v4l2_ext_controls cs;
	struct v4l2_query_ext_ctrl q;
	struct v4l2_queryctrl qc;
	struct v4l2_control ctl;
	struct dd_ctrls c;

	cr_assert_eq(dd_ctrls_init(&c, &tc_misc), 0);
	cr_assert_eq(c.num, ARRAY_SIZE(tc_misc_ctrls) + 1, "user class added");
	cr_assert_eq(c.vals[0].desc->id, V4L2_CID_USER_CLASS);
	cr_assert_eq(*(s64 *)dd_ctrls_find(&c, V4L2_CID_CONTRAST)->p, 1LL << 33);

	tc_val(&e[0], V4L2_CID_BRIGHTNESS, 13);		/* rounds to 15 */
	tc_val(&e[1], V4L2_CID_SATURATION, 7);		/* becomes 1 */
	tc_val(&e[2], V4L2_CID_HUE, 0xff);		/* masked */
	memset(&e[3], 0, sizeof(e[3]));
	e[3].id = V4L2_CID_CONTRAST;
	e[3].value64 = (1LL << 41);			/* clamped */
	tc_val(&e[4], V4L2_CID_DO_WHITE_BALANCE, 5);	/* buttons read 0 */
	tc_ext(&cs, e, 5, V4L2_CTRL_CLASS_USER);
	cr_assert_eq(dd_ctrls_set(&c, &cs), 0);
	cr_assert_eq(e[0].value, 15);
	cr_assert_eq(e[1].value, 1);
	cr_assert_eq(e[2].value, 0xf0);
	cr_assert_eq(e[3].value64, 1LL << 40);
	cr_assert_eq(e[4].value, 0);
	cr_assert_eq(*(s32 *)dd_ctrls_find(&c, V4L2_CID_BRIGHTNESS)->p, 15);
	cr_assert_eq(*(s64 *)dd_ctrls_find(&c, V4L2_CID_CONTRAST)->p, 1LL << 40);

	tc_val(&e[0], V4L2_CID_BRIGHTNESS, -1000);
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_set(&c, &cs), 0);
	cr_assert_eq(e[0].value, -10);
	e[0].value = 98;
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_set(&c, &cs), 0);
	cr_assert_eq(e[0].value, 100);

	/* The descriptor's own check runs after the generic one. */
	tc_val(&e[0], V4L2_CID_AUDIO_BALANCE, 3);
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_try(&c, &cs), -EINVAL);
	ctl.id = V4L2_CID_AUDIO_BALANCE;
	ctl.value = 6;
	cr_assert_eq(dd_ctrls_s_ctrl(&c, &ctl), 0);
	cr_assert_eq(dd_ctrls_g_ctrl(&c, &ctl), 0);
	cr_assert_eq(ctl.value, 6);

	memset(&e[0], 0, sizeof(e[0]));
	e[0].id = V4L2_CID_CONTRAST;
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_get(&c, &cs), 0);
	cr_assert_eq(e[0].value64, 1LL << 40);
	ctl.id = V4L2_CID_CONTRAST;
	cr_assert_eq(dd_ctrls_g_ctrl(&c, &ctl), -EINVAL, "64-bit is not G_CTRL's");

	memset(&qc, 0, sizeof(qc));
	qc.id = V4L2_CID_CONTRAST;
	cr_assert_eq(dd_ctrls_queryctrl(&c, &qc), 0);
	cr_assert_eq(qc.maximum, 0, "no 64-bit range in QUERYCTRL");
	memset(&q, 0, sizeof(q));
	q.id = V4L2_CID_CONTRAST;
	cr_assert_eq(dd_ctrls_query_ext(&c, &q), 0);
	cr_assert_eq(q.maximum, 1LL << 40);
	cr_assert_eq(q.elem_size, 8);
	memset(&qc, 0, sizeof(qc));
	qc.id = V4L2_CID_BRIGHTNESS;
	cr_assert_eq(dd_ctrls_queryctrl(&c, &qc), 0);
	cr_assert_eq(qc.step, 5);
	cr_assert_eq(qc.minimum, -10);
	dd_ctrls_free(&c);
}

Test(ctrl, generic_arrays)
{
	struct v4l2_ext_control e[1];
	struct v4l2_ext_controls cs;
	struct v4l2_query_ext_ctrl q;
	struct dd_ctrls c;
	s32 arr[6] = { 0, 1, 2, 3, 4, 99 };
	s32 got[6];

	cr_assert_eq(dd_ctrls_init(&c, &tc_misc), 0);
	memset(&q, 0, sizeof(q));
	q.id = V4L2_CID_AUDIO_VOLUME;
	cr_assert_eq(dd_ctrls_query_ext(&c, &q), 0);
	cr_assert_eq(q.elems, 6);
	cr_assert_eq(q.nr_of_dims, 2);
	cr_assert_eq(q.dims[0], 2);
	cr_assert_eq(q.dims[1], 3);
	cr_assert(q.flags & V4L2_CTRL_FLAG_HAS_PAYLOAD);
	cr_assert_eq(dd_ctrls_find(&c, V4L2_CID_AUDIO_VOLUME)->size, sizeof(arr));
	cr_assert_eq(((s32 *)dd_ctrls_find(&c, V4L2_CID_AUDIO_VOLUME)->p)[5], 2);

	tc_ptr(&e[0], V4L2_CID_AUDIO_VOLUME, got, 8);
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_get(&c, &cs), -ENOSPC);
	cr_assert_eq(e[0].size, sizeof(got));

	tc_ptr(&e[0], V4L2_CID_AUDIO_VOLUME, arr, sizeof(arr));
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_set(&c, &cs), 0);
	cr_assert_eq(arr[5], 10, "each element clamped and written back");
	tc_ptr(&e[0], V4L2_CID_AUDIO_VOLUME, got, sizeof(got));
	tc_ext(&cs, e, 1, 0);
	cr_assert_eq(dd_ctrls_get(&c, &cs), 0);
	cr_assert_eq(got[4], 4);
	cr_assert_eq(got[5], 10);
	dd_ctrls_free(&c);
}

/*
 * A required control carried by an earlier accepted request need not be
 * repeated (GStreamer sends the SPS only when it changes); the very first
 * request must carry it.
 */
Test(ctrl, required_inherited_from_earlier_requests)
{
	struct v4l2_ctrl_h264_decode_params dp;
	struct v4l2_ctrl_h264_pps pps;
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_ext_control e[3];
	struct v4l2_ext_controls cs;
	struct dd_ctrls req;
	u64 seen = 0;

	cr_assert_eq(dd_ctrls_init(&req, &dd_codec_h264), 0);
	memset(&dp, 0, sizeof(dp));
	tc_ptr(&e[2], V4L2_CID_STATELESS_H264_DECODE_PARAMS, &dp, sizeof(dp));
	tc_ext(&cs, &e[2], 1, V4L2_CTRL_WHICH_REQUEST_VAL);
	cr_assert_eq(dd_ctrls_set(&req, &cs), 0);
	tlog_start();
	cr_assert_eq(dd_ctrls_check_required(&req, &seen), -ENOENT);
	cr_assert(tlog_has("H264 Sequence Parameter Set"), "%s", tlog_buf);
	cr_assert_eq(seen, 0, "a rejected request records nothing");

	tc_sps(&sps);
	memset(&pps, 0, sizeof(pps));
	tc_ptr(&e[0], V4L2_CID_STATELESS_H264_SPS, &sps, sizeof(sps));
	tc_ptr(&e[1], V4L2_CID_STATELESS_H264_PPS, &pps, sizeof(pps));
	tc_ext(&cs, e, 3, V4L2_CTRL_WHICH_REQUEST_VAL);
	cr_assert_eq(dd_ctrls_set(&req, &cs), 0);
	cr_assert_eq(dd_ctrls_check_required(&req, &seen), 0);
	cr_assert_neq(seen, 0);

	/* The next request carries only DECODE_PARAMS. */
	dd_ctrls_clear_set(&req);
	tc_ext(&cs, &e[2], 1, V4L2_CTRL_WHICH_REQUEST_VAL);
	cr_assert_eq(dd_ctrls_set(&req, &cs), 0);
	cr_assert_eq(dd_ctrls_check_required(&req, &seen), 0);
	cr_assert_eq(dd_ctrls_check_required(&req, NULL), -ENOENT, "no history");
	dd_ctrls_free(&req);
}
