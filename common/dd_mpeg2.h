/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_mpeg2.h - MPEG-2 specifics shared by the codec table and the control
 * validation: frame-size limits, the default quantiser matrices and the
 * payload initialisers and validators.
 */
#ifndef DD_MPEG2_H
#define DD_MPEG2_H

#include "dd_os.h"

/* Coded frame size limits (those of cedrus/hantro-class decoders). */
#define DD_MPEG2_MIN_WIDTH	16U
#define DD_MPEG2_MAX_WIDTH	4096U
#define DD_MPEG2_MIN_HEIGHT	16U
#define DD_MPEG2_MAX_HEIGHT	4096U

/* The default intra matrix of ISO/IEC 13818-2, in zigzag scan order. */
extern const u8 dd_mpeg2_default_intra_matrix[64];

/* The defaults the kernel's std_init_compound() gives these controls. */
void dd_mpeg2_init_sequence(void *payload);
void dd_mpeg2_init_picture(void *payload);
void dd_mpeg2_init_quantisation(void *payload);

/*
 * The kernel's std_validate_compound() rules, then what this decoder does
 * not implement (4:2:0 only: CAPTURE is 8-bit 4:2:0) and what the syntax
 * forbids (zero sizes, f_codes out of range for the picture type, a zero
 * quantiser).  -EINVAL after one log line "mpeg2 <control>: <field>=...".
 */
int dd_mpeg2_validate_sequence(void *payload);
int dd_mpeg2_validate_picture(void *payload);
int dd_mpeg2_validate_quantisation(void *payload);

#endif /* DD_MPEG2_H */
