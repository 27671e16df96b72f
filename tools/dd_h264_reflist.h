/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_h264_reflist.h - reference picture lists of one slice (8.2.4:
 * initialisation for P/B frames and fields, modification, truncation) as
 * the slice-based decode mode's SLICE_PARAMS wants them: indexes into the
 * DECODE_PARAMS DPB array that dd_h264_fill_decode() wrote.
 */
#ifndef DD_H264_REFLIST_H
#define DD_H264_REFLIST_H

#include <linux/videodev2.h>

#include "dd_h264_au.h"
#include "dd_h264_dpb.h"

void dd_h264_ref_lists(const struct dd_dpb *dpb, const GstH264SliceHdr *h,
		       struct v4l2_h264_reference *l0, struct v4l2_h264_reference *l1);

#endif
