/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_vp8.h - VP8 specifics shared by the codec table and the control
 * validation: frame-size limits and the frame control's initialiser and
 * validator.
 */
#ifndef DD_VP8_H
#define DD_VP8_H

#include "dd_os.h"

/* Coded frame size limits (14-bit sizes in the key frame header). */
#define DD_VP8_MIN_WIDTH	16U
#define DD_VP8_MAX_WIDTH	4096U
#define DD_VP8_MIN_HEIGHT	16U
#define DD_VP8_MAX_HEIGHT	4096U

/* num_dct_parts = 1, as the kernel's std_init_compound(). */
void dd_vp8_init_frame(void *payload);
/*
 * The kernel's rules (num_dct_parts 1, 2, 4 or 8; padding zeroed), then
 * the ranges the VP8 frame header syntax gives each field.  -EINVAL after
 * one log line "vp8 frame: <field>=<value> ...".
 */
int dd_vp8_validate_frame(void *payload);

#endif /* DD_VP8_H */
