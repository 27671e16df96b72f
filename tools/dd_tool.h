/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_tool.h - what daedalus-decode's main hands to the decoder of one
 * codec: the parsed command line and the whole input file.  H.264 is
 * decoded in dd_decode_main.c; each other codec is one entry point,
 * dd_<codec>_decode(), listed in dd_tool_codecs[] (dd_decode_main.c).
 */
#ifndef DD_TOOL_H
#define DD_TOOL_H

#include <stddef.h>
#include <stdint.h>

#include "dd_framemd5.h"
#include "dd_v4l2_dev.h"

#define DD_TOOL_MAX_INFLIGHT	16
#define DD_TOOL_TIMEOUT_MS	10000
#define DD_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct dd_tool_opts {
	const char *path;		/* input file, for messages */
	const char *video;		/* -d, or NULL */
	const char *media;		/* -m, or NULL */
	enum dd_mem mem;
	unsigned int inflight;		/* 1..DD_TOOL_MAX_INFLIGHT */
	int verbose;
	struct dd_out *out;		/* framemd5 / raw output, display order */
};

struct dd_tool_codec {
	const char *name;		/* --codec NAME */
	/* 0 or -errno after a message on stderr. */
	int (*decode)(const struct dd_tool_opts *o, const uint8_t *data, size_t size);
};

#endif
