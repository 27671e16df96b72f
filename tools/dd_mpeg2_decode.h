/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_mpeg2_decode.h - daedalus-decode's MPEG-2 client (elementary stream).
 */
#ifndef DD_MPEG2_DECODE_H
#define DD_MPEG2_DECODE_H

#include "dd_tool.h"

int dd_mpeg2_decode(const struct dd_tool_opts *o, const uint8_t *data, size_t size);

#endif
