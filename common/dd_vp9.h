/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_vp9.h - VP9 specifics shared by the codec table and the control
 * validation: frame-size limits, the tile limits of the specification and
 * the payload validators of the stateless VP9 controls.
 */
#ifndef DD_VP9_H
#define DD_VP9_H

#include "dd_os.h"

/* Frame size limits (those of the H.264 entry: the same CAPTURE pool). */
#define DD_VP9_MIN_WIDTH	16U
#define DD_VP9_MAX_WIDTH	4096U
#define DD_VP9_MIN_HEIGHT	16U
#define DD_VP9_MAX_HEIGHT	2304U

/* Tile column bounds of a frame width (spec 7.2.11 calc_min/max_log2_tile_cols). */
void dd_vp9_tile_cols_log2_range(u32 frame_width, u32 *min_log2, u32 *max_log2);

/*
 * Payload validators.  Each applies the rules of the kernel's
 * std_validate_compound() for the control (same ranges, reserved bytes
 * zeroed), then the syntax limits the kernel leaves open (tile rows and
 * columns for the frame width) and what this decoder does not implement:
 * profiles 1 and 3, 12 bits, frames beyond the size limits.
 * Every rejection returns -EINVAL after one log line naming the field.
 */
int dd_vp9_validate_frame(void *payload);
int dd_vp9_validate_compressed_hdr(void *payload);

#endif /* DD_VP9_H */
