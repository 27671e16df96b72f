/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_h264.h - H.264 specifics shared by the codec table and the control
 * validation: frame-size limits and the payload validators.
 */
#ifndef DD_H264_H
#define DD_H264_H

#include "dd_os.h"

/* Coded frame size limits (those of cedrus/visl-class decoders). */
#define DD_H264_MIN_WIDTH	16U
#define DD_H264_MAX_WIDTH	4096U
#define DD_H264_MIN_HEIGHT	16U
#define DD_H264_MAX_HEIGHT	2304U

/*
 * Payload validators of the stateless H.264 controls.  Each applies the
 * kernel's std_validate_compound() rules (normalising fields the syntax
 * makes meaningless and zeroing reserved bytes, as the kernel does), then
 * refuses what this decoder does not implement (4:2:0 8-bit only, no FMO,
 * no SP/SI slices, frame sizes beyond the codec limits).  Every rejection
 * returns -EINVAL after one log line naming the control and the field.
 */
int dd_h264_validate_sps(void *payload);
int dd_h264_validate_pps(void *payload);
int dd_h264_validate_pred_weights(void *payload);
int dd_h264_validate_slice_params(void *payload);
int dd_h264_validate_decode_params(void *payload);
/*
 * The rules between the controls of one decode request (struct dd_codec's
 * check_request): get(priv, id) returns the payload the request carries
 * for control `id` or NULL; width x height is the OUTPUT coded size.
 */
int dd_h264_check_request(const void *(*get)(void *priv, u32 id), void *priv,
			  u32 width, u32 height);

#endif /* DD_H264_H */
