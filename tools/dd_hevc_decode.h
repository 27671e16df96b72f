/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_hevc_decode.h - daedalus-decode's HEVC client (Annex-B elementary stream).
 */
#ifndef DD_HEVC_DECODE_H
#define DD_HEVC_DECODE_H

#include "dd_tool.h"

int dd_hevc_decode(const struct dd_tool_opts *o, const uint8_t *data, size_t size);

#endif
