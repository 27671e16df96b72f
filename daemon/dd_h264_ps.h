/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_h264_ps.h - rebuild H.264 SPS and PPS NAL units from the V4L2
 * stateless controls, so that a bitstream decoder that parses parameter
 * sets itself (libavcodec) can decode the slice-only data of a request.
 *
 * The SPS never carries frame cropping, VUI or scaling lists (the controls
 * have none); the PPS carries the picture's final scaling matrices as
 * explicit lists when V4L2_H264_PPS_FLAG_SCALING_MATRIX_PRESENT is set.
 */
#ifndef DD_H264_PS_H
#define DD_H264_PS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/v4l2-controls.h>

/* Room for either NAL unit (offset_for_ref_frame[255] dominates the SPS). */
#define DD_H264_PS_MAX	4096

extern const uint8_t dd_h264_zigzag4x4[16];
extern const uint8_t dd_h264_zigzag8x8[64];

/*
 * Each returns the Annex-B bytes written to out (start code included) or a
 * negative errno: -EINVAL for values the syntax cannot express, -ENOTSUP
 * for features the rebuild does not support (slice groups), -ENOSPC.
 */
long dd_h264_build_sps(const struct v4l2_ctrl_h264_sps *sps, uint8_t *out, size_t cap);
/* scaling may be NULL when the PPS flag SCALING_MATRIX_PRESENT is clear. */
long dd_h264_build_pps(const struct v4l2_ctrl_h264_pps *pps,
		       const struct v4l2_ctrl_h264_sps *sps,
		       const struct v4l2_ctrl_h264_scaling_matrix *scaling,
		       uint8_t *out, size_t cap);

#endif /* DD_H264_PS_H */
