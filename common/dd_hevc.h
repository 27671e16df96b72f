/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_hevc.h - HEVC specifics shared by the codec table and the control
 * validation: frame-size and array limits, and the payload validators.
 */
#ifndef DD_HEVC_H
#define DD_HEVC_H

#include "dd_os.h"

/* Coded frame size limits (level 6.2 picture sizes; MinCbSizeY steps). */
#define DD_HEVC_MIN_WIDTH	16U
#define DD_HEVC_MAX_WIDTH	8192U
#define DD_HEVC_MIN_HEIGHT	16U
#define DD_HEVC_MAX_HEIGHT	4352U

/*
 * Dynamic array maxima: slice segments of one frame and their entry points.
 * Each fits the job protocol's per-control limit (DD_PROTO_MAX_CTRL_SIZE).
 */
#define DD_HEVC_MAX_SLICES	200U
#define DD_HEVC_MAX_ENTRY_POINTS	4096U

/*
 * Payload validators of the stateless HEVC controls.  Each applies the
 * kernel's std_validate_compound() rules (the same normalisation of
 * conditionally present fields, the same range checks), then the ranges
 * the specification sets, then refuses what this decoder does not
 * implement (anything but 4:2:0 at 8 or 10 bits).  A rejection returns -EINVAL after
 * one log line "hevc <control>: <field>=<value> ...".
 */
int dd_hevc_validate_sps(void *payload);
int dd_hevc_validate_pps(void *payload);
int dd_hevc_validate_slice_params(void *payload);
int dd_hevc_validate_decode_params(void *payload);
/* Rules between the controls of one request (struct dd_codec's check_request). */
int dd_hevc_check_request(const void *(*get)(void *priv, u32 id), void *priv,
			  u32 width, u32 height);

#endif /* DD_HEVC_H */
