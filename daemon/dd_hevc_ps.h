/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_hevc_ps.h - rebuild HEVC VPS, SPS and PPS NAL units from the V4L2
 * stateless controls, so that libavcodec, which parses parameter sets
 * itself, can decode the slice-only data of a request.
 *
 * What the controls do not carry:
 *  - the SPS's short-term RPS sets (st_ref_pic_set(i), only their count)
 *    and its long-term candidates (lt_ref_pic_poc_lsb_sps, only their
 *    count): the SPS gets that many empty sets / zero candidates, so slice
 *    headers still parse; a slice that refers to them (short_term_ref_pic_
 *    set_sps_flag = 1, RPS prediction from an SPS set, lt_idx_sps) cannot be
 *    decoded exactly, and dd_hevc_check_slices() finds it first.  libx265
 *    writes no SPS sets (every slice carries its own RPS): its streams
 *    decode exactly;
 *  - conformance window, VUI, profile/tier/level: not needed to decode
 *    (Main, or Main 10 for a 10-bit SPS, level 6.2 written; the picture is
 *    the full coded size);
 *  - scaling lists are written in the PPS from the SCALING_MATRIX control
 *    (the lists in force for the picture) whenever the SPS enables them.
 */
#ifndef DD_HEVC_PS_H
#define DD_HEVC_PS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/v4l2-controls.h>

/* Room for any one NAL unit built here (the PPS with scaling lists). */
#define DD_HEVC_PS_MAX	2048

/* up-right diagonal scans (6.5.3): raster index of the i-th coefficient. */
extern const uint8_t dd_hevc_diag4x4[16];
extern const uint8_t dd_hevc_diag8x8[64];

/*
 * Each returns the Annex-B bytes written to out (start code included) or a
 * negative errno: -EINVAL for values the syntax cannot express, -ENOSPC.
 */
long dd_hevc_build_vps(const struct v4l2_ctrl_hevc_sps *sps, uint8_t *out, size_t cap);
long dd_hevc_build_sps(const struct v4l2_ctrl_hevc_sps *sps, uint8_t *out, size_t cap);
/* sm may be NULL: flat lists (16) when the SPS enables scaling lists. */
long dd_hevc_build_pps(const struct v4l2_ctrl_hevc_pps *pps,
		       const struct v4l2_ctrl_hevc_sps *sps,
		       const struct v4l2_ctrl_hevc_scaling_matrix *sm,
		       uint8_t *out, size_t cap);
/*
 * Scan the Annex-B slice NAL units of a frame: 0, or -ENOTSUP (logged)
 * when a slice refers to SPS-level RPS data the controls do not carry.
 * Only looks when the SPS has such data (sets or long-term candidates).
 */
int dd_hevc_check_slices(const struct v4l2_ctrl_hevc_sps *sps,
			 const struct v4l2_ctrl_hevc_pps *pps,
			 const uint8_t *data, size_t size);

#endif /* DD_HEVC_PS_H */
