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

#endif /* DD_H264_H */
