/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_vp9_decode.h - daedalus-decode's VP9 client (IVF input).
 */
#ifndef DD_VP9_DECODE_H
#define DD_VP9_DECODE_H

#include "dd_tool.h"

int dd_vp9_decode(const struct dd_tool_opts *o, const uint8_t *data, size_t size);

#endif
