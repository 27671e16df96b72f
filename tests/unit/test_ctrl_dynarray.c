// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_ctrl_dynarray.c - dynamic-array controls (V4L2_CTRL_FLAG_DYNAMIC_ARRAY)
 * as v4l2-ctrls-api.c handles them, on HEVC's SLICE_PARAMS and
 * ENTRY_POINT_OFFSETS: one default element at start, SET of 1..max
 * elements (size rounded down, 0 EFAULT, above max ENOSPC with the max
 * size), GET with ENOSPC and the current size, QUERY_EXT_CTRL elems,
 * per-element validation, request application and the element count
 * the job carries.
 */
#include <stdlib.h>
#include <criterion/criterion.h>

#include "dd_ctrl.h"
#include "dd_hevc.h"
#include "tlog.h"

static struct dd_ctrls tdy;

static void tdy_setup(void)
{
	cr_assert_eq(dd_ctrls_init(&tdy, &dd_codec_hevc), 0);
}

static void tdy_teardown(void)
{
	dd_ctrls_free(&tdy);
}

TestSuite(ctrl_dynarray, .init = tdy_setup, .fini = tdy_teardown);

#define TDY_SLICE	V4L2_CID_STATELESS_HEVC_SLICE_PARAMS
#define TDY_EPO		V4L2_CID_STATELESS_HEVC_ENTRY_POINT_OFFSETS
#define TDY_SZ		sizeof(struct v4l2_ctrl_hevc_slice_params)

static void tdy_slice(struct v4l2_ctrl_hevc_slice_params *sp, u32 addr)
{
	memset(sp, 0, sizeof(*sp));
	sp->bit_size = 800;
	sp->data_byte_offset = 10;
	sp->nal_unit_type = 1;
	sp->nuh_temporal_id_plus1 = 1;
	sp->slice_type = V4L2_HEVC_SLICE_TYPE_P;
	sp->slice_segment_addr = addr;
}

static int tdy_set(struct dd_ctrls *c, u32 id, void *p, u32 size, u32 which, bool set,
		   struct v4l2_ext_control *out, u32 *error_idx)
{
	struct v4l2_ext_controls cs = { .which = which, .count = 1 };
	struct v4l2_ext_control e = { .id = id, .size = size, .ptr = p };
	int ret;

	cs.controls = &e;
	ret = set ? dd_ctrls_set(c, &cs) : dd_ctrls_try(c, &cs);
	if (out)
		*out = e;
	if (error_idx)
		*error_idx = cs.error_idx;
	return ret;
}

static int tdy_get(struct dd_ctrls *c, u32 id, void *p, u32 *size, u32 which)
{
	struct v4l2_ext_controls cs = { .which = which, .count = 1 };
	struct v4l2_ext_control e = { .id = id, .size = *size, .ptr = p };
	int ret;

	cs.controls = &e;
	ret = dd_ctrls_get(c, &cs);
	*size = e.size;
	return ret;
}

Test(ctrl_dynarray, starts_with_one_element)
{
	struct v4l2_query_ext_ctrl q = { .id = TDY_SLICE };
	struct dd_ctrl_val *v = dd_ctrls_find(&tdy, TDY_SLICE);
	u32 size = 0;

	cr_assert_not_null(v);
	cr_assert_eq(v->size, TDY_SZ);
	cr_assert_eq(v->cap, TDY_SZ * DD_HEVC_MAX_SLICES);
	cr_assert_eq(dd_ctrls_query_ext(&tdy, &q), 0);
	cr_assert_eq(q.elems, 1);
	cr_assert_eq(q.nr_of_dims, 1);
	cr_assert_eq(q.dims[0], DD_HEVC_MAX_SLICES);
	cr_assert_eq(q.elem_size, TDY_SZ);
	cr_assert(q.flags & V4L2_CTRL_FLAG_DYNAMIC_ARRAY);
	cr_assert(q.flags & V4L2_CTRL_FLAG_HAS_PAYLOAD);
	/* GET with no room: ENOSPC and the size of the one element. */
	cr_assert_eq(tdy_get(&tdy, TDY_SLICE, NULL, &size, 0), -ENOSPC);
	cr_assert_eq(size, TDY_SZ);
}

Test(ctrl_dynarray, set_three_then_get)
{
	struct v4l2_ctrl_hevc_slice_params in[3], back[4];
	struct v4l2_query_ext_ctrl q = { .id = TDY_SLICE };
	struct v4l2_ext_control e;
	u32 size, i;

	for (i = 0; i < 3; i++)
		tdy_slice(&in[i], i * 10);
	/* A size that is not a whole number of elements is rounded down. */
	cr_assert_eq(tdy_set(&tdy, TDY_SLICE, in, 3 * TDY_SZ + 5, 0, true, &e, NULL), 0);
	cr_assert_eq(e.size, 3 * TDY_SZ);
	cr_assert_eq(dd_ctrls_find(&tdy, TDY_SLICE)->size, 3 * TDY_SZ);
	cr_assert_eq(dd_ctrls_query_ext(&tdy, &q), 0);
	cr_assert_eq(q.elems, 3);
	size = 2 * TDY_SZ;
	cr_assert_eq(tdy_get(&tdy, TDY_SLICE, back, &size, 0), -ENOSPC);
	cr_assert_eq(size, 3 * TDY_SZ);
	size = sizeof(back);
	memset(back, 0xa5, sizeof(back));
	cr_assert_eq(tdy_get(&tdy, TDY_SLICE, back, &size, 0), 0);
	cr_assert_eq(size, 3 * TDY_SZ);
	for (i = 0; i < 3; i++)
		cr_assert_eq(back[i].slice_segment_addr, i * 10);
	/* Nothing written past the current elements. */
	cr_assert_eq(((u8 *)&back[3])[0], 0xa5);
	/* Fewer elements later: the count shrinks. */
	cr_assert_eq(tdy_set(&tdy, TDY_SLICE, in, TDY_SZ, 0, true, NULL, NULL), 0);
	cr_assert_eq(dd_ctrls_find(&tdy, TDY_SLICE)->size, TDY_SZ);
}

Test(ctrl_dynarray, empty_and_oversized_sets)
{
	struct v4l2_ctrl_hevc_slice_params sp;
	struct v4l2_ext_control e;
	u32 *big;

	tdy_slice(&sp, 0);
	cr_assert_eq(tdy_set(&tdy, TDY_SLICE, &sp, 0, 0, true, NULL, NULL), -EFAULT);
	cr_assert_eq(tdy_set(&tdy, TDY_SLICE, &sp, TDY_SZ - 1, 0, false, NULL, NULL), -EFAULT);
	big = calloc(DD_HEVC_MAX_ENTRY_POINTS + 1, sizeof(u32));
	cr_assert_not_null(big);
	cr_assert_eq(tdy_set(&tdy, TDY_EPO, big, (DD_HEVC_MAX_ENTRY_POINTS + 1) * 4, 0, true,
			     &e, NULL), -ENOSPC);
	cr_assert_eq(e.size, DD_HEVC_MAX_ENTRY_POINTS * 4);
	cr_assert_eq(tdy_set(&tdy, TDY_EPO, big, DD_HEVC_MAX_ENTRY_POINTS * 4, 0, true,
			     NULL, NULL), 0);
	cr_assert_eq(dd_ctrls_find(&tdy, TDY_EPO)->size, DD_HEVC_MAX_ENTRY_POINTS * 4);
	free(big);
}

Test(ctrl_dynarray, every_element_is_validated)
{
	struct v4l2_ctrl_hevc_slice_params in[4];
	u32 i, idx;

	for (i = 0; i < 4; i++)
		tdy_slice(&in[i], i);
	in[3].slice_type = 7;
	tlog_start();
	cr_assert_eq(tdy_set(&tdy, TDY_SLICE, in, sizeof(in), 0, true, NULL, &idx), -EINVAL);
	cr_assert_eq(idx, 0);
	cr_assert(tlog_has("slice_type=7"));
	/* Refused: the old single element stays. */
	cr_assert_eq(dd_ctrls_find(&tdy, TDY_SLICE)->size, TDY_SZ);
	/* The fourth is not looked at when only three are sent. */
	cr_assert_eq(tdy_set(&tdy, TDY_SLICE, in, 3 * TDY_SZ, 0, true, NULL, NULL), 0);
}

Test(ctrl_dynarray, request_values_carry_their_count)
{
	struct v4l2_ctrl_hevc_slice_params in[5], back[5];
	struct dd_ctrls req;
	u32 i, size = sizeof(back);

	cr_assert_eq(dd_ctrls_init(&req, &dd_codec_hevc), 0);
	for (i = 0; i < 5; i++)
		tdy_slice(&in[i], 100 + i);
	cr_assert_eq(tdy_set(&req, TDY_SLICE, in, sizeof(in), V4L2_CTRL_WHICH_REQUEST_VAL,
			     true, NULL, NULL), 0);
	cr_assert_eq(tdy_get(&req, TDY_SLICE, back, &size, V4L2_CTRL_WHICH_REQUEST_VAL), 0);
	cr_assert_eq(size, sizeof(in));
	dd_ctrls_apply(&tdy, &req);
	cr_assert_eq(dd_ctrls_find(&tdy, TDY_SLICE)->size, sizeof(in));
	cr_assert(dd_ctrls_find(&tdy, TDY_SLICE)->set);
	cr_assert_eq(((struct v4l2_ctrl_hevc_slice_params *)
		      dd_ctrls_find(&tdy, TDY_SLICE)->p)[4].slice_segment_addr, 104);
	cr_assert_eq(dd_ctrl_val_elems(dd_ctrls_find(&tdy, TDY_SLICE)), 5);
	dd_ctrls_free(&req);
}

Test(ctrl_dynarray, default_value_get)
{
	struct v4l2_ctrl_hevc_slice_params in[2], back[2];
	u32 size = sizeof(back), i;

	for (i = 0; i < 2; i++)
		tdy_slice(&in[i], 7);
	cr_assert_eq(tdy_set(&tdy, TDY_SLICE, in, sizeof(in), 0, true, NULL, NULL), 0);
	memset(back, 0xff, sizeof(back));
	cr_assert_eq(tdy_get(&tdy, TDY_SLICE, back, &size, V4L2_CTRL_WHICH_DEF_VAL), 0);
	cr_assert_eq(size, sizeof(in));
	cr_assert_eq(back[1].slice_segment_addr, 0);
	cr_assert_eq(back[0].bit_size, 0);
}

Test(ctrl_dynarray, payload_len_is_bounded_by_max)
{
	struct v4l2_ext_control c = { .id = TDY_EPO, .size = 1u << 30 };

	cr_assert_eq(dd_ctrl_payload_len(&c), DD_HEVC_MAX_ENTRY_POINTS * 4);
	c.size = 12;
	cr_assert_eq(dd_ctrl_payload_len(&c), 12);
}
