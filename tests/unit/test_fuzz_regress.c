// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_fuzz_regress.c - regression tests for what the libFuzzer targets
 * (tests/fuzz/) found in common/, one test per finding.
 */
#include <criterion/criterion.h>

#include "dd_ctrl.h"

/*
 * fuzz_ctrls: TRY/S_EXT_CTRLS with only scalar controls staged no payload
 * block and then formed `NULL + 0` (undefined; clang's UBSan aborts on it).
 * The scalar-only path must work and write the value.
 */
Test(fuzz_regress, ext_ctrls_scalar_only)
{
	struct v4l2_ext_control c[2] = {
		{ .id = V4L2_CID_MPEG_VIDEO_H264_PROFILE,
		  .value = V4L2_MPEG_VIDEO_H264_PROFILE_MAIN },
		{ .id = V4L2_CID_MPEG_VIDEO_H264_LEVEL,
		  .value = V4L2_MPEG_VIDEO_H264_LEVEL_3_1 },
	};
	struct v4l2_ext_controls cs = {
		.which = V4L2_CTRL_WHICH_CUR_VAL, .count = 2, .controls = c,
	};
	struct dd_ctrls set;
	struct v4l2_control g = { .id = V4L2_CID_MPEG_VIDEO_H264_PROFILE };

	cr_assert_eq(dd_ctrls_init(&set, &dd_codec_h264), 0);
	cr_assert_eq(dd_ctrls_try(&set, &cs), 0);
	cr_assert_eq(dd_ctrls_set(&set, &cs), 0);
	cr_assert_eq(cs.error_idx, 2);
	cr_assert_eq(dd_ctrls_g_ctrl(&set, &g), 0);
	cr_assert_eq(g.value, V4L2_MPEG_VIDEO_H264_PROFILE_MAIN);
	dd_ctrls_free(&set);
}
