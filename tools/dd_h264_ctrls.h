/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_h264_ctrls.h - turns parsed H.264 syntax (GstH264SPS/PPS/SliceHdr) and
 * the DPB model's state into the V4L2 stateless H.264 controls (SPS, PPS,
 * SCALING_MATRIX, DECODE_PARAMS) of one picture, and the DPB model's
 * per-sequence parameters.
 */
#ifndef DD_H264_CTRLS_H
#define DD_H264_CTRLS_H

#include <stdbool.h>
#include <linux/videodev2.h>

#include "dd_h264_au.h"
#include "dd_h264_dpb.h"

struct dd_h264_ctrls {
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_ctrl_h264_pps pps;
	struct v4l2_ctrl_h264_scaling_matrix scaling;
	struct v4l2_ctrl_h264_decode_params decode;
	struct v4l2_ctrl_h264_slice_params slice;
	struct v4l2_ctrl_h264_pred_weights weights;
	bool scaling_present;
};

void dd_h264_fill_sps(struct v4l2_ctrl_h264_sps *out, const GstH264SPS *sps);
void dd_h264_fill_pps(struct dd_h264_ctrls *c, const GstH264PPS *pps);
void dd_h264_fill_decode(struct v4l2_ctrl_h264_decode_params *d,
			 const struct dd_h264_picture *pic, const struct dd_dpb *dpb);
/* Slice-based mode: SLICE_PARAMS (with reference lists) and PRED_WEIGHTS. */
void dd_h264_fill_slice(struct v4l2_ctrl_h264_slice_params *sp,
			struct v4l2_ctrl_h264_pred_weights *pw, const struct dd_h264_slice *s,
			const struct dd_dpb *dpb);
void dd_h264_dpb_seq(struct dd_dpb_seq *seq, const GstH264SPS *sps);
void dd_h264_pic_info(struct dd_dpb_pic_info *pi, const struct dd_h264_picture *pic);
/* Visible rectangle of the SPS (frame cropping applied). */
void dd_h264_visible(const GstH264SPS *sps, unsigned int *x, unsigned int *y,
		     unsigned int *w, unsigned int *h);

#endif
